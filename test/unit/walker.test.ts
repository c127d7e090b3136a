/**
 * The loop walker and element checks on a small hand-made map, so each rule is tested on its own,
 * apart from the full guide maps.
 */
import { an, comp, dt, id, loop, n0, q, r, seg, tm, UNBOUNDED } from '../../src/x12/maps/dsl.ts';
import { se, st } from '../../src/x12/maps/common.ts';
import type { GuideMap } from '../../src/x12/maps/types.ts';
import { checkElements } from '../../src/x12/elements.ts';
import { LoopWalker } from '../../src/x12/walker.ts';
import { tokenizeSync } from '../../src/x12/tokenizer.ts';
import type { X12Issue } from '../../src/x12/issues.ts';
import { interchange, isa } from '../support/x12.ts';
import { validateX12 } from '../../src/x12/validate.ts';

const nm1 = (entity: string, usage: 'R' | 'S') =>
  seg('NM1', `Name ${entity}`, usage, 1, [id('98', 'Entity', 'R', 2, 3, [entity]), an('1035', 'Name', 'R', 1, 60)], { qualifier: q(1, entity) });

const testMap: GuideMap = {
  name: 'TEST',
  transactionSet: '837',
  functionalId: 'HC',
  version: '005010TEST',
  acceptedVersions: ['005010TEST'],
  root: loop('ST', 'Transaction', 'R', 1, [
    st('837'),
    seg('BHT', 'Beginning', 'R', 1, [id('1005', 'Structure', 'R', 4, 4, ['0019']), dt('373', 'Date', 'R'), tm('337', 'Time', 'S')]),
    loop('1000A', 'Submitter', 'R', 1, [nm1('41', 'R'), seg('PER', 'Contact', 'R', 2, [id('366', 'Function', 'R', 2, 2, ['IC']), an('93', 'Name', 'S', 1, 60)])]),
    loop('2000', 'Claim', 'R', UNBOUNDED, [
      seg('CLM', 'Claim', 'R', 1, [
        an('1028', 'Claim id', 'R', 1, 38),
        r('782', 'Amount', 'R', 1, 18),
        comp('C023', 'Facility', 'R', [an('1331', 'Place', 'R', 1, 2), id('1332', 'Qualifier', 'R', 1, 2, ['B']), id('1325', 'Frequency', 'R', 1, 1, ['1', '7', '8'])]),
      ], { syntax: [{ kind: 'P', elements: [1, 2] }] }),
      seg('REF', 'Prior auth', 'S', 1, [id('128', 'Qualifier', 'R', 2, 3, ['G1']), an('127', 'Value', 'R', 1, 50)], { qualifier: q(1, 'G1') }),
      seg('REF', 'Original', 'S', 1, [id('128', 'Qualifier', 'R', 2, 3, ['F8']), an('127', 'Value', 'R', 1, 50)], { qualifier: q(1, 'F8') }),
      seg('NTE', 'Note', 'N', 1, [an('363', 'Ref', 'R', 3, 3)]),
      loop('2010', 'Provider', 'S', 2, [nm1('82', 'R'), seg('N3', 'Address', 'S', 1, [an('166', 'Address', 'R', 1, 55)])]),
      loop('2400', 'Line', 'R', 3, [seg('LX', 'Line', 'R', 1, [n0('554', 'Number', 'R', 1, 6)]), seg('DTP', 'Date', 'S', 1, [id('374', 'Qualifier', 'R', 3, 3, ['472']), dt('1251', 'Date', 'R')])]),
    ]),
    se,
  ]),
};

function walk(body: string[]): { steps: string[]; issues: X12Issue[] } {
  const text = isa() + ['ST*837*0001*005010TEST', ...body, `SE*${body.length + 2}*0001`].join('~') + '~';
  const { segments } = tokenizeSync(text);
  const issues: X12Issue[] = [];
  const walker = new LoopWalker(testMap, (i) => issues.push(i));
  const steps: string[] = [];
  for (const s of segments.slice(1)) {
    const step = walker.push(s);
    steps.push(`${s.id}@${step.loopId}`);
    if (step.def) checkElements(s, step.def, step.loopId, (i) => issues.push(i), step.badQualifier === true);
  }
  walker.finish(segments.at(-1)!.ordinal);
  return { steps, issues };
}

const codes = (issues: X12Issue[]): string[] => issues.map((i) => `${i.level === 'segment' ? 'IK3' : 'IK4'}:${i.segmentId}:${i.code}${i.element ? `@${i.element}${i.component ? `-${i.component}` : ''}` : ''}`);

const GOOD = ['BHT*0019*20261121*1200', 'NM1*41*SUBMITTER', 'PER*IC*DESK', 'CLM*A1*100*11:B:1', 'REF*G1*AUTH', 'NM1*82*DOCTOR', 'N3*STREET', 'LX*1', 'DTP*472*20261101', 'LX*2', 'CLM*A2*50*11:B:1', 'LX*1'];

describe('loop walker', () => {
  test('assigns every segment to its loop, opening loops on their qualifier', () => {
    const { steps, issues } = walk(GOOD);
    expect(issues).toEqual([]);
    expect(steps).toEqual([
      'ST@ST', 'BHT@ST', 'NM1@1000A', 'PER@1000A', 'CLM@2000', 'REF@2000', 'NM1@2010', 'N3@2010', 'LX@2400', 'DTP@2400', 'LX@2400', 'CLM@2000', 'LX@2400', 'SE@ST',
    ]);
  });

  test('required segment and required loop missing → IK304 3 with the loop id', () => {
    const { issues } = walk(['BHT*0019*20261121', 'NM1*41*SUBMITTER', 'CLM*A1*100*11:B:1']);
    expect(codes(issues)).toEqual(['IK3:PER:3', 'IK3:LX:3']);
    expect(issues[1]!.loopId).toBe('2400');
  });

  test('out of sequence → 7; unexpected → 2; not in the set → 6; unrecognized → 1', () => {
    expect(codes(walk(['BHT*0019*20261121', 'NM1*41*S', 'PER*IC', 'CLM*A1*1*11:B:1', 'NM1*82*DOC', 'REF*G1*Y', 'LX*1']).issues)).toEqual(['IK3:REF:7']);
    expect(codes(walk(['BHT*0019*20261121', 'NM1*41*S', 'PER*IC', 'CLM*A1*1*11:B:1', 'LX*1', 'BHT*0019*20261121']).issues)).toEqual(['IK3:BHT:7']);
    expect(codes(walk(['BHT*0019*20261121', 'NM1*41*S', 'PER*IC', 'CLM*A1*1*11:B:1', 'LX*1', 'SV1*HC:X*1']).issues)).toEqual(['IK3:SV1:6']);
    expect(codes(walk(['BHT*0019*20261121', 'NM1*41*S', 'PER*IC', 'CLM*A1*1*11:B:1', 'LX*1', 'ZZZ*1']).issues)).toEqual(['IK3:ZZZ:1']);
  });

  test('siblings with the same segment id share one position: their order is free', () => {
    const { steps, issues } = walk(['BHT*0019*20261121', 'NM1*41*S', 'PER*IC', 'CLM*A1*1*11:B:1', 'REF*F8*X', 'REF*G1*Y', 'LX*1']);
    expect(issues).toEqual([]);
    expect(steps.slice(5, 7)).toEqual(['REF@2000', 'REF@2000']);
  });

  test('max use → 5; loop repeat over maximum → 4; "not used" segment → I4', () => {
    expect(codes(walk(['BHT*0019*20261121', 'NM1*41*S', 'PER*IC', 'PER*IC', 'PER*IC', 'CLM*A1*1*11:B:1', 'LX*1']).issues)).toEqual(['IK3:PER:5']);
    expect(codes(walk(['BHT*0019*20261121', 'NM1*41*S', 'PER*IC', 'CLM*A1*1*11:B:1', 'LX*1', 'LX*2', 'LX*3', 'LX*4']).issues)).toEqual(['IK3:LX:4']);
    expect(codes(walk(['BHT*0019*20261121', 'NM1*41*S', 'PER*IC', 'CLM*A1*1*11:B:1', 'NTE*ADD', 'LX*1']).issues)).toEqual(['IK3:NTE:I4']);
  });

  test('a qualifier no sibling allows → IK4 7 on the qualifier element', () => {
    const { issues, steps } = walk(['BHT*0019*20261121', 'NM1*41*S', 'PER*IC', 'CLM*A1*1*11:B:1', 'REF*XX*Y', 'LX*1']);
    expect(codes(issues)).toEqual(['IK4:REF:7@1']);
    expect(steps[5]).toBe('REF@2000');
  });
});

describe('element checks', () => {
  const good = ['BHT*0019*20261121*1200', 'NM1*41*S', 'PER*IC', 'CLM*A1*1*11:B:1', 'LX*1'];
  const withClm = (clm: string, bht = 'BHT*0019*20261121*1200'): string[] => codes(walk([bht, 'NM1*41*S', 'PER*IC', clm, 'LX*1']).issues);

  test('required element and component missing → 1; too many elements → 3; too many components → 13', () => {
    expect(codes(walk(good).issues)).toEqual([]);
    expect(withClm('CLM**1*11:B:1')).toEqual(['IK4:CLM:1@1', 'IK4:CLM:2@1']);
    expect(withClm('CLM*A1*1*11::1')).toEqual(['IK4:CLM:1@3-2']);
    expect(withClm('CLM*A1*1*11:B:1*EXTRA')).toEqual(['IK4:CLM:3@4']);
    expect(withClm('CLM*A1*1*11:B:1:9')).toEqual(['IK4:CLM:13@3-4']);
  });

  test('lengths → 4/5; numbers → 6; codes → 7; dates → 8; times → 9', () => {
    expect(withClm('CLM*' + 'X'.repeat(39) + '*1*11:B:1')).toEqual(['IK4:CLM:5@1']);
    expect(withClm('CLM*A1*12A*11:B:1')).toEqual(['IK4:CLM:6@2']);
    expect(withClm('CLM*A1*1.2.3*11:B:1')).toEqual(['IK4:CLM:6@2']);
    expect(withClm('CLM*A1*-12.50*11:B:9')).toEqual(['IK4:CLM:7@3-3']);
    // A sign only in front, once; a point only once; a digit at least.
    for (const amount of ['1-2', '--5', '-', '-.', '5-', '1.2-']) expect(withClm(`CLM*A1*${amount}*11:B:1`)).toEqual(['IK4:CLM:6@2']);
    for (const amount of ['-5', '-.5', '-0.50', '.5']) expect(withClm(`CLM*A1*${amount}*11:B:1`)).toEqual([]);
    expect(withClm('CLM*A1*1*11:B:1', 'BHT*0019*20260230*1200')).toEqual(['IK4:BHT:8@2']);
    expect(withClm('CLM*A1*1*11:B:1', 'BHT*0019*20240229*2460')).toEqual(['IK4:BHT:9@3']);
    expect(withClm('CLM*A1*1*11:B:1', 'BHT*019*20261121')).toEqual(['IK4:BHT:7@1']);
    // A date or time is read first, its length checked after: a calendar date in six digits is too short
    // for a CCYYMMDD element; seven digits are no date at all.
    expect(withClm('CLM*A1*1*11:B:1', 'BHT*0019*261121*1200')).toEqual(['IK4:BHT:4@2']);
    expect(withClm('CLM*A1*1*11:B:1', 'BHT*0019*2026112*1200')).toEqual(['IK4:BHT:8@2']);
    expect(withClm('CLM*A1*1*11:B:1', 'BHT*0019*20261121*12001')).toEqual(['IK4:BHT:9@3']);
    expect(withClm('CLM*A1*1*11:B:1', 'BHT*0019*2026-1121*1200')).toEqual(['IK4:BHT:8@2']);
  });

  test('syntax notes: a pattern that passed once passes again, one that failed fails every time', () => {
    // P: 1 and 2 together or neither; R: at least one of 1, 2, 3; C: 3 needs 1; E: 2 or 4, not both.
    const def = seg('ZZZ', 'Notes', 'S', 1, [an('1', 'One', 'S', 1, 9), an('2', 'Two', 'S', 1, 9), an('3', 'Three', 'S', 1, 9), an('4', 'Four', 'S', 1, 9)], {
      syntax: [
        { kind: 'P', elements: [1, 2] },
        { kind: 'R', elements: [1, 2, 3] },
        { kind: 'C', elements: [3, 1] },
        { kind: 'E', elements: [2, 4] },
      ],
    });
    const verdicts = ['ZZZ*A*B', 'ZZZ*A', 'ZZZ*A*B', 'ZZZ*A', 'ZZZ**B', 'ZZZ*A*B*C', 'ZZZ***C', 'ZZZ*A*B', 'ZZZ*A*B*C', 'ZZZ*A', 'ZZZ', 'ZZZ*A**C*D', 'ZZZ*A*B**D'].map((text) => {
      const { segments } = tokenizeSync(isa() + text + '~');
      const found: X12Issue[] = [];
      checkElements(segments[1]!, def, 'X', (i) => found.push(i));
      return found.map((i) => `${i.code}@${i.element}`).join(' ');
    });
    expect(verdicts).toEqual(['', '2@2', '', '2@2', '2@1', '', '2@1', '', '', '2@2', '2@1', '2@2', '10@4']);
  });

  test('IK4 carries the element reference and the bad value (for the 999 only)', () => {
    const { issues } = walk(['BHT*0019*20261321', 'NM1*41*S', 'PER*IC', 'CLM*A1*1*11:B:1', 'LX*1']);
    expect(issues[0]).toMatchObject({ level: 'element', code: '8', segmentId: 'BHT', ordinal: 2, loopId: 'ST', element: 2, elementRef: '373', badValue: '20261321' });
    expect(issues[0]!.message).not.toContain('20261321');
  });
});

describe('validateX12: what is missing at SE belongs to the set', () => {
  test('a set with only ST, BHT and SE is rejected with its missing required segments, none at file level', async () => {
    const report = await validateX12(interchange([{ id: '837', version: '005010X222A1', body: ['BHT*0019*00*0123*20261120*1200*CH'] }]));
    const set = report.interchanges[0]!.groups[0]!.sets[0]!;
    expect(report.fileIssues).toEqual([]);
    expect(set.verdict).toBe('rejected');
    expect(set.issues.filter((issue) => issue.level === 'segment' && issue.code === '3').map((issue) => issue.segmentId)).toEqual(expect.arrayContaining(['NM1', 'HL']));
  });
});
