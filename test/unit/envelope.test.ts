import { validateX12 } from '../../src/x12/validate.ts';
import type { X12Issue } from '../../src/x12/issues.ts';
import type { ValidationReport } from '../../src/x12/report.ts';
import { BODY_837P, interchange, isa } from '../support/x12.ts';

const SET = { id: '837', version: '005010X222A1', body: BODY_837P };

/** Every issue in a report with the level it was filed under. */
function allIssues(r: ValidationReport): X12Issue[] {
  const out = [...r.fileIssues];
  for (const x of r.interchanges) {
    out.push(...x.issues);
    for (const g of x.groups) {
      out.push(...g.issues);
      for (const s of g.sets) out.push(...s.issues);
    }
  }
  return out;
}

const envelopeCodes = (r: ValidationReport): string[] =>
  allIssues(r)
    .filter((i) => i.level === 'interchange' || i.level === 'group' || i.level === 'set' || i.level === 'file')
    .map((i) => `${i.level}:${i.code}`);

describe('envelope', () => {
  test('a clean interchange: verdicts, counts and envelope ids', async () => {
    const r = await validateX12(interchange([SET, SET]));
    expect(envelopeCodes(r)).toEqual([]);
    const x = r.interchanges[0]!;
    expect(x).toMatchObject({ control: '000000001', sender: 'SENDERID', receiver: 'RECEIVERID', senderQualifier: 'ZZ', version: '00501', usage: 'T', ta1Requested: false, verdict: 'accepted' });
    const g = x.groups[0]!;
    expect(g).toMatchObject({ functionalId: 'HC', control: '1', version: '005010X222A1', declaredSets: 2 });
    expect(g.sets.map((s) => s.control)).toEqual(['0001', '0002']);
    expect(g.sets[0]!.counts).toEqual({ segments: BODY_837P.length + 2, claims: 1, serviceLines: 2, claimPayments: 0 });
  });

  test('missing IEA → TA1 023; missing GE → AK905 3; missing SE → IK502 2', async () => {
    const full = interchange([SET]);
    const noIea = full.slice(0, full.indexOf('IEA*'));
    expect(envelopeCodes(await validateX12(noIea))).toEqual(['interchange:023']);
    const noGe = full.replace(/GE\*1\*1~/, '');
    expect(envelopeCodes(await validateX12(noGe))).toEqual(['group:3']);
    const noSe = full.replace(/SE\*\d+\*0001~/, '');
    const r = await validateX12(noSe);
    expect(envelopeCodes(r)).toContain('set:2');
    expect(r.verdict).toBe('rejected');
  });

  test('control numbers and counts: 001, 021, AK905 4/5, IK502 3/4', async () => {
    const full = interchange([SET]);
    expect(envelopeCodes(await validateX12(full.replace('IEA*1*000000001', 'IEA*1*000000009')))).toEqual(['interchange:001']);
    expect(envelopeCodes(await validateX12(full.replace('IEA*1*', 'IEA*2*')))).toEqual(['interchange:021']);
    expect(envelopeCodes(await validateX12(full.replace('GE*1*1', 'GE*1*7')))).toEqual(['group:4']);
    expect(envelopeCodes(await validateX12(full.replace('GE*1*1', 'GE*3*1')))).toEqual(['group:5']);
    expect(envelopeCodes(await validateX12(full.replace(/SE\*(\d+)\*0001/, 'SE*$1*0009')))).toEqual(['set:3']);
    expect(envelopeCodes(await validateX12(full.replace(/SE\*(\d+)\*0001/, 'SE*99*0001')))).toEqual(['set:4']);
  });

  test('duplicate ST02 in a group → IK502 23; ST03 disagreeing with GS08 → IK502 19', async () => {
    const two = interchange([SET, SET]).replace('ST*837*0002', 'ST*837*0001').replace(/SE\*(\d+)\*0002/, 'SE*$1*0001');
    expect(envelopeCodes(await validateX12(two))).toEqual(['set:23']);
    const mismatch = interchange([SET]).replace('ST*837*0001*005010X222A1', 'ST*837*0001*005010X222A2');
    expect(envelopeCodes(await validateX12(mismatch))).toEqual(['set:19']);
  });

  test('unsupported transaction set → IK502 1; set in the wrong kind of group → IK502 6', async () => {
    const r834 = await validateX12(interchange([{ id: '834', version: '005010X220A1', body: ['BGN*00*1*20261121'] }], { functionalId: 'BE' }));
    expect(envelopeCodes(r834)).toEqual(['set:1']);
    expect(r834.interchanges[0]!.groups[0]!.verdict).toBe('rejected');
    const wrongGroup = await validateX12(interchange([SET], { functionalId: 'HP' }));
    expect(envelopeCodes(wrongGroup)).toEqual(['set:6']);
  });

  test('ISA field values and widths map to their TA105 codes', async () => {
    const base = interchange([SET]);
    const cases: [string, string][] = [
      [base.replace('*00501*', '*00401*'), '003'],
      [base.replace('*000000001*', '*00000000A*'), '018'],
      [base.replace('*000000001*0*T*', '*000000001*2*T*'), '019'],
      [base.replace('*0*T*:', '*0*X*:'), '020'],
      [base.replace('*261121*', '*261399*'), '014'],
      [base.replace('*1200*^', '*2599*^'), '015'],
      [base.replace('ZZ*SENDERID       ', 'QQ*SENDERID       '), '005'],
      [base.replace('SENDERID       ', 'SENDERID      '), '006'],
    ];
    for (const [text, code] of cases) {
      const r = await validateX12(text);
      expect(r.interchanges[0]!.issues.map((i) => i.code)).toContain(code);
      expect(r.interchanges[0]!.verdict).toBe('rejected');
      expect(r.verdict).toBe('rejected');
    }
  });

  test('ISA14 = 1 is recorded so a TA1 is sent even when all is well', async () => {
    const r = await validateX12(interchange([SET], { ackRequested: '1' }));
    expect(r.interchanges[0]!.ta1Requested).toBe(true);
  });

  test('GS date and time are checked (TA1 024); duplicate GS06 → AK905 19', async () => {
    const r = await validateX12(interchange([SET]).replace('*20261121*1200*1*X*', '*20261321*1299*1*X*'));
    expect(r.interchanges[0]!.issues.map((i) => [i.code, i.element])).toEqual([
      ['024', 4],
      ['024', 5],
    ]);
    const one = interchange([SET]);
    const group = one.slice(one.indexOf('GS*'), one.indexOf('IEA*'));
    const twice = isa() + group + group + 'IEA*2*000000001~';
    expect(envelopeCodes(await validateX12(twice))).toEqual(['group:19']);
  });

  test('a TA1 is checked element by element (TA1 024 naming the element); a clean one passes', async () => {
    const withTa1 = (ta1: string): string => isa() + ta1 + '~IEA*0*000000001~';
    const clean = await validateX12(withTa1('TA1*000000286*240102*0930*R*005'));
    expect(clean.verdict).toBe('accepted');
    expect(allIssues(clean)).toEqual([]);

    const bad = await validateX12(withTa1('TA1*286*240231*2460*X*999'));
    expect(bad.verdict).toBe('rejected');
    expect(bad.interchanges[0]!.issues.map((i) => [i.code, i.segmentId, i.element, i.badValue])).toEqual([
      ['024', 'TA1', 1, '286'],
      ['024', 'TA1', 3, '2460'],
      ['024', 'TA1', 4, 'X'],
      ['024', 'TA1', 5, '999'],
    ]);
    // 240231 is calendar-shaped (as ISA09 is checked); 241301 is not.
    const date = await validateX12(withTa1('TA1*000000286*241301*0930*A*000'));
    expect(date.interchanges[0]!.issues.map((i) => [i.element, i.message])).toEqual([[2, 'TA102 (interchange date) is not a valid YYMMDD date.']]);

    const short = await validateX12(withTa1('TA1*000000286*240102'));
    expect(short.interchanges[0]!.issues.map((i) => [i.element, i.badValue])).toEqual([
      [3, ''],
      [4, ''],
      [5, ''],
    ]);
    const long = await validateX12(withTa1('TA1*000000286*240102*0930*A*000*EXTRA'));
    expect(long.interchanges[0]!.issues.map((i) => [i.element, i.badValue])).toEqual([[6, 'EXTRA']]);
  });

  test('a TA1 after a functional group is out of place (TA1 024); inside a set it is an unexpected segment', async () => {
    const one = interchange([SET]);
    const afterGroup = one.replace('IEA*1*', 'TA1*000000286*240102*0930*A*000~IEA*1*');
    const r = await validateX12(afterGroup);
    expect(r.interchanges[0]!.issues.map((i) => [i.code, i.segmentId, i.element])).toEqual([['024', 'TA1', undefined]]);
    const insideSet = await validateX12(one.replace('SE*', 'TA1*000000286*240102*0930*A*000~SE*'));
    expect(insideSet.interchanges[0]!.groups[0]!.sets[0]!.verdict).toBe('rejected');
  });

  test('several interchanges in one file are reported one by one', async () => {
    const text = interchange([SET]) + '\n' + interchange([SET], { control: '000000002' }).replace('IEA*1*000000002', 'IEA*1*000000003');
    const r = await validateX12(text);
    expect(r.interchanges.map((x) => [x.control, x.verdict])).toEqual([
      ['000000001', 'accepted'],
      ['000000002', 'rejected'],
    ]);
    expect(r.verdict).toBe('rejected');
  });

  test('segments outside a transaction set and text around interchanges are reported, not dropped', async () => {
    const text = interchange([SET]).replace('ST*837', 'NTE*ADD*STRAY~ST*837');
    const r = await validateX12(text);
    expect(envelopeCodes(r)).toEqual(['interchange:024']);
    const garbage = await validateX12('\u0000\u0001binary\u00ff junk');
    expect(garbage.verdict).toBe('rejected');
    expect(garbage.fileIssues.map((i) => i.code)).toEqual(['TEXT_BEFORE_ISA', 'NO_ISA']);
    const empty = await validateX12('');
    expect(empty.verdict).toBe('rejected');
    expect(empty.fileIssues.map((i) => i.code)).toEqual(['EMPTY']);
  });

  test('issues never carry values in their messages', async () => {
    const text = interchange([SET]).replace('TESTPATIENT', 'TESTPATIENT\u0001').replace('IEA*1*000000001', 'IEA*1*000000009');
    const r = await validateX12(text);
    for (const i of allIssues(r)) {
      expect(i.message).not.toMatch(/TESTPATIENT|TST000111|19800101/);
    }
  });
});
