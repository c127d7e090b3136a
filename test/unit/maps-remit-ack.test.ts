/**
 * The 835, 999 and 277CA guide maps: their structure (what the loop walker relies on), and walks of
 * the valid public samples in the shared corpus (skipped when the corpus is not checked out beside
 * the repository).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { X12Issue } from '../../src/x12/issues.ts';
import { map277CA } from '../../src/x12/maps/277ca.ts';
import { map835 } from '../../src/x12/maps/835.ts';
import { map999 } from '../../src/x12/maps/999.ts';
import { findGuide, guideMaps } from '../../src/x12/maps/index.ts';
import { isComposite, type GuideMap, type LoopDef, type SegmentDef } from '../../src/x12/maps/types.ts';
import type { Segment } from '../../src/x12/segment.ts';
import { tokenizeSync } from '../../src/x12/tokenizer.ts';
import { validateX12 } from '../../src/x12/validate.ts';
import { LoopWalker } from '../../src/x12/walker.ts';

const maps: readonly GuideMap[] = [map835, map999, map277CA];

function loopsOf(root: LoopDef): LoopDef[] {
  const out: LoopDef[] = [];
  const visit = (l: LoopDef): void => {
    out.push(l);
    for (const c of l.children) if (c.kind === 'loop') visit(c);
  };
  visit(root);
  return out;
}

function segmentsOf(root: LoopDef): SegmentDef[] {
  return loopsOf(root).flatMap((l) => l.children.filter((c): c is SegmentDef => c.kind === 'segment'));
}

function openerOf(child: SegmentDef | LoopDef): SegmentDef {
  if (child.kind === 'segment') return child;
  const head = child.children[0];
  if (!head || head.kind !== 'segment') throw new Error(`loop ${child.id} does not open with a segment`);
  return head;
}

describe.each(maps.map((m) => [m.name, m] as const))('guide map %s: structure', (_name, map) => {
  it('is rooted at ST, opens with ST and closes with SE', () => {
    const children = map.root.children;
    expect(map.root.id).toBe('ST');
    expect(openerOf(children[0]!).id).toBe('ST');
    expect(openerOf(children[children.length - 1]!).id).toBe('SE');
    const st01 = children[0]!.kind === 'segment' ? children[0].elements[0] : undefined;
    expect(st01 && !isComposite(st01) ? st01.codes : undefined).toEqual([map.transactionSet]);
  });

  it('opens every loop with a segment', () => {
    for (const l of loopsOf(map.root)) {
      expect({ loop: l.id, first: l.children[0]?.kind }).toEqual({ loop: l.id, first: 'segment' });
    }
  });

  it('has no duplicate loop ids', () => {
    const ids = loopsOf(map.root).map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('tells every pair of same-id siblings apart by disjoint qualifier values on the same element', () => {
    for (const l of loopsOf(map.root)) {
      const byId = new Map<string, SegmentDef[]>();
      for (const child of l.children) {
        const opener = openerOf(child);
        byId.set(opener.id, [...(byId.get(opener.id) ?? []), opener]);
      }
      for (const [segmentId, siblings] of byId) {
        if (siblings.length < 2) continue;
        const where = `${l.id}/${segmentId}`;
        const seen = new Set<string>();
        for (const s of siblings) {
          expect({ where, qualifier: s.qualifier !== undefined }).toEqual({ where, qualifier: true });
          expect({ where, element: s.qualifier!.element, component: s.qualifier!.component }).toEqual({
            where,
            element: siblings[0]!.qualifier!.element,
            component: siblings[0]!.qualifier!.component,
          });
          for (const v of s.qualifier!.values) {
            expect({ where, duplicate: seen.has(v) ? v : undefined }).toEqual({ where, duplicate: undefined });
            seen.add(v);
          }
        }
      }
    }
  });

  it('lists each qualifier value among the codes of the qualifier element', () => {
    for (const s of segmentsOf(map.root)) {
      if (!s.qualifier) continue;
      const slot = s.elements[s.qualifier.element - 1];
      const def = slot && isComposite(slot) ? slot.components[(s.qualifier.component ?? 1) - 1] : slot;
      expect({ segment: s.name, codes: def?.codes ? [...s.qualifier.values].filter((v) => !def.codes!.includes(v)) : 'none' }).toEqual({
        segment: s.name,
        codes: [],
      });
    }
  });

  it('defines well-formed elements and syntax notes within the defined positions', () => {
    for (const s of segmentsOf(map.root)) {
      expect(s.elements.length).toBeGreaterThan(0);
      for (const slot of s.elements) {
        const parts = isComposite(slot) ? slot.components : [slot];
        for (const e of parts) {
          expect({ segment: s.name, ref: e.ref, ok: e.ref.length > 0 && e.min >= 1 && e.min <= e.max }).toEqual({ segment: s.name, ref: e.ref, ok: true });
          if (e.codes) expect(e.codes.length).toBeGreaterThan(0);
        }
      }
      for (const note of s.syntax ?? []) {
        for (const position of note.elements) expect(position).toBeLessThanOrEqual(s.elements.length);
      }
    }
  });

  it('accepts its own version and the forms seen in the wild, through findGuide', () => {
    expect(map.acceptedVersions).toContain(map.version);
    for (const v of map.acceptedVersions) expect(findGuide(map.transactionSet, v)).toBe(map);
    expect(guideMaps).toContain(map);
  });
});

describe('guide map versions', () => {
  it('are the 005010 identifiers the brief names', () => {
    expect(map835.acceptedVersions).toEqual(['005010X221A1', '005010X221']);
    expect(map999.acceptedVersions).toEqual(['005010X231A1', '005010X231']);
    expect(map277CA.acceptedVersions).toEqual(['005010X214', '005010X214A1']);
    expect([map835.functionalId, map999.functionalId, map277CA.functionalId]).toEqual(['HP', 'FA', 'HN']);
  });

  it('does not claim a version it does not know', () => {
    expect(findGuide('835', '004010X091A1')).toBeUndefined();
    expect(findGuide('277', '005010X212')).toBeUndefined();
  });
});

// ---- Walking transaction sets ----------------------------------------------------------------------

interface WalkedSegment {
  id: string;
  /** Element 1 (a qualifier for most segments): not PHI in the segments the assertions pick. */
  first: string;
  loopId: string;
  /** Open loops after the segment, e.g. `ST/2000/2100/2110`. */
  path: string;
  matched: boolean;
  badQualifier: boolean;
}

interface WalkedSet {
  segments: WalkedSegment[];
  issues: X12Issue[];
}

/** Every transaction set of an X12 text, walked with the map its ST01 and ST03 (else GS08) select. */
function walkSets(content: string | Uint8Array, leadingText: 'reject' | 'skip' = 'reject'): WalkedSet[] {
  const { segments } = tokenizeSync(content, { leadingText });
  const sets: WalkedSet[] = [];
  let walker: LoopWalker | undefined;
  let current: WalkedSet | undefined;
  let last: Segment | undefined;
  let groupVersion = '';
  for (const segment of segments) {
    if (segment.id === 'GS') groupVersion = segment.element(8);
    if (segment.id === 'ST') {
      // ST03 is optional in the base standard; older senders leave it out and rely on GS08.
      const version = segment.element(3) || groupVersion;
      const map = findGuide(segment.element(1), version);
      if (!map) throw new Error(`no map for ${segment.element(1)} ${version}`);
      current = { segments: [], issues: [] };
      const set = current;
      walker = new LoopWalker(map, (issue) => set.issues.push(issue));
      sets.push(set);
    }
    if (!walker || !current) continue;
    const step = walker.push(segment);
    current.segments.push({
      id: segment.id,
      first: segment.element(1),
      loopId: step.loopId,
      path: walker.path().join('/'),
      matched: step.def !== undefined,
      badQualifier: step.badQualifier === true,
    });
    last = segment;
    if (segment.id === 'SE') {
      walker.finish(segment.ordinal);
      walker = undefined;
    }
  }
  if (walker && last) walker.finish(last.ordinal);
  return sets;
}

function loopIdsOf(set: WalkedSet, segmentId: string, first?: string): string[] {
  return [...new Set(set.segments.filter((s) => s.id === segmentId && (first === undefined || s.first === first)).map((s) => s.loopId))];
}

const segmentIssues = (set: WalkedSet): X12Issue[] => set.issues.filter((i) => i.level === 'segment');

describe('walking built 835s', () => {
  const isa = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*^*00501*000000001*0*T*:~';
  const wrap = (body: string[]): string =>
    [isa, 'GS*HP*S*R*20240101*1200*1*X*005010X221A1', 'ST*835*0001', ...body, `SE*${body.length + 2}*0001`, 'GE*1*1', 'IEA*1*000000001'].join('~') + '~';
  const header = [
    'BPR*I*90*C*CHK************20240105',
    'TRN*1*12345*1999999999',
    'REF*EV*RECEIVER',
    'DTM*405*20240104',
    'N1*PR*PAYER',
    'N3*1 MAIN ST',
    'N4*CITY*ST*12345',
    'PER*BL*EDI*TE*8005551212',
    'N1*PE*PROVIDER*XX*1234567893',
  ];

  it('places claim, line and provider-level segments in their loops, by qualifier where ids repeat', () => {
    const [set] = walkSets(
      wrap([
        ...header,
        'LX*1',
        'CLP*PCN1*19*100*90*10*12*PAYERCLAIM1',
        'CAS*CO*45*0',
        'NM1*QC*1*DOE*JANE****MI*M1',
        'NM1*TT*2*NEXT PAYER*****PI*P2',
        'MOA***MA01',
        'REF*1L*GROUP',
        'REF*1B*RENDERID',
        'DTM*232*20231201',
        'DTM*050*20231210',
        'SVC*HC:99213*100*90**1',
        'DTM*472*20231201',
        'CAS*PR*3*10',
        'REF*6R*LINE1',
        'REF*HPI*1234567893',
        'AMT*B6*100',
        'LQ*HE*M1',
        'PLB*1234567893*20241231*L6:REF1*-5*WO:REF2*5',
      ]),
    );
    expect(segmentIssues(set!)).toEqual([]);
    expect(set!.segments.every((s) => s.matched && !s.badQualifier)).toBe(true);
    const loopOf = (id: string, first?: string): string[] => loopIdsOf(set!, id, first);
    expect(loopOf('BPR')).toEqual(['ST']);
    expect(loopOf('N1', 'PR')).toEqual(['1000A']);
    expect(loopOf('PER', 'BL')).toEqual(['1000A']);
    expect(loopOf('N1', 'PE')).toEqual(['1000B']);
    expect(loopOf('LX')).toEqual(['2000']);
    expect(loopOf('CLP')).toEqual(['2100']);
    expect(loopOf('CAS', 'CO')).toEqual(['2100']);
    expect(loopOf('NM1', 'TT')).toEqual(['2100']);
    expect(loopOf('REF', '1B')).toEqual(['2100']);
    expect(loopOf('SVC')).toEqual(['2110']);
    expect(loopOf('CAS', 'PR')).toEqual(['2110']);
    expect(loopOf('REF', 'HPI')).toEqual(['2110']);
    expect(loopOf('LQ')).toEqual(['2110']);
    expect(loopOf('PLB')).toEqual(['ST']);
  });

  it('reports a missing required payer technical contact and a segment out of sequence', () => {
    const withoutBl = header.filter((s) => !s.startsWith('PER*BL'));
    const [set] = walkSets(wrap([...withoutBl, 'LX*1', 'CLP*PCN1*1*100*90**12*PC1', 'DTM*232*20231201', 'NM1*QC*1*DOE*JANE****MI*M1']));
    const issues = segmentIssues(set!).map((i) => ({ code: i.code, segmentId: i.segmentId, loopId: i.loopId }));
    expect(issues).toContainEqual({ code: '3', segmentId: 'PER', loopId: '1000A' });
    // NM1*QC belongs before the claim dates.
    expect(issues).toContainEqual({ code: '7', segmentId: 'NM1', loopId: '2100' });
  });
});

// ---- The shared corpus -----------------------------------------------------------------------------

const corpusDir = fileURLToPath(new URL('../../../shared/corpus/x12/', import.meta.url));
const describeCorpus = existsSync(corpusDir) ? describe : describe.skip;

function walkCorpusFile(file: string, leadingText: 'reject' | 'skip' = 'reject'): WalkedSet[] {
  return walkSets(readFileSync(`${corpusDir}${file}`), leadingText);
}

/**
 * Valid 835 samples (SOURCES.md), with the segment issues the guide itself requires us to report:
 * two of them omit the payer technical contact (1000A PER*BL), which 005010X221A1 makes Required.
 */
const valid835: readonly (readonly [string, readonly { code: string; segmentId: string; loopId: string }[]])[] = [
  ['835-anesthesia-denial-and-paid.x12', []],
  ['835-emedny-professional-vision-3claims.x12', []],
  ['835-managed-care-claim-and-line-cas.x12', [{ code: '3', segmentId: 'PER', loopId: '1000A' }]],
  ['835-medicaid-denied-non-payment-bpr-h.x12', []],
  ['835-cob-contractual-adjustment-negative-cas.x12', [{ code: '3', segmentId: 'PER', loopId: '1000A' }]],
];

describeCorpus('walking the valid corpus samples', () => {
  it.each(valid835)('835 %s walks with only the expected segment issues', (file, expected) => {
    const sets = walkCorpusFile(file);
    expect(sets).toHaveLength(1);
    const set = sets[0]!;
    expect(segmentIssues(set).map((i) => ({ code: i.code, segmentId: i.segmentId, loopId: i.loopId }))).toEqual(expected);
    expect(set.segments.filter((s) => !s.matched || s.badQualifier).map((s) => s.id)).toEqual([]);
    expect(loopIdsOf(set, 'N1', 'PR')).toEqual(['1000A']);
    expect(loopIdsOf(set, 'N1', 'PE')).toEqual(['1000B']);
    expect(loopIdsOf(set, 'CLP')).toEqual(['2100']);
    expect(loopIdsOf(set, 'SVC')).toEqual(['2110']);
    expect(loopIdsOf(set, 'LX')).toEqual(['2000']);
    // Every CAS after an SVC (and before the next CLP) is a service adjustment.
    let inLine = false;
    for (const s of set.segments) {
      if (s.id === 'CLP') inLine = false;
      if (s.id === 'SVC') inLine = true;
      if (s.id === 'CAS') expect({ cas: s.loopId }).toEqual({ cas: inLine ? '2110' : '2100' });
    }
  });

  it.each(['999-accepted-834-repetition-sep-bang.x12', '999-emedny-rejected-ik3.x12'])('999 %s walks without segment issues', (file) => {
    const sets = walkCorpusFile(file);
    expect(sets).toHaveLength(1);
    const set = sets[0]!;
    expect(segmentIssues(set)).toEqual([]);
    expect(set.segments.filter((s) => !s.matched || s.badQualifier).map((s) => s.id)).toEqual([]);
    expect(loopIdsOf(set, 'AK1')).toEqual(['ST']);
    expect(loopIdsOf(set, 'AK2')).toEqual(['2000']);
    expect(loopIdsOf(set, 'IK5')).toEqual(['2000']);
    expect(loopIdsOf(set, 'AK9')).toEqual(['ST']);
  });

  it('999 with a rejected set places IK3 in 2100', () => {
    const [set] = walkCorpusFile('999-emedny-rejected-ik3.x12');
    expect(loopIdsOf(set!, 'IK3')).toEqual(['2100']);
    expect(set!.segments.find((s) => s.id === 'IK3')?.path).toBe('ST/2000/2100');
  });

  it.each([
    ['277ca-emedny-accepted.x12', 'reject'],
    ['277ca-annotated-payer-response-provider-level-reject.txt', 'skip'],
  ] as const)('277CA %s walks without segment issues, each level in its loop', (file, leadingText) => {
    const sets = walkCorpusFile(file, leadingText);
    expect(sets).toHaveLength(1);
    const set = sets[0]!;
    expect(segmentIssues(set)).toEqual([]);
    expect(set.segments.filter((s) => !s.matched || s.badQualifier).map((s) => s.id)).toEqual([]);
    expect(loopIdsOf(set, 'NM1', 'PR')).toEqual(['2100A']);
    expect(loopIdsOf(set, 'NM1', '41')).toEqual(['2100B']);
    expect(loopIdsOf(set, 'NM1', '85')).toEqual(['2100C']);
    expect(loopIdsOf(set, 'NM1', 'QC')).toEqual(['2100D']);
    expect(loopIdsOf(set, 'DTP', '472')).toEqual(['2200D']);
    expect(loopIdsOf(set, 'REF', '1K')).toEqual(['2200D']);
    // STC belongs to the trace loop of the HL level it follows.
    const stcLoopByLevel = new Map<string, Set<string>>();
    let level = '';
    for (const s of set.segments) {
      if (s.id === 'HL') level = s.path.split('/').pop()!;
      if (s.id === 'STC') stcLoopByLevel.set(level, (stcLoopByLevel.get(level) ?? new Set()).add(s.loopId));
    }
    expect(stcLoopByLevel.get('2000D')).toEqual(new Set(['2200D']));
    expect(stcLoopByLevel.get('2000B')).toEqual(new Set(['2200B']));
    const patientStc = set.segments.find((s) => s.id === 'STC' && s.loopId === '2200D');
    expect(patientStc?.path).toBe('ST/2000A/2000B/2000C/2000D/2200D');
  });

  it('277CA provider-level rejection: STC, QTY and AMT of HL 19 stay in 2200C', () => {
    const [set] = walkCorpusFile('277ca-annotated-payer-response-provider-level-reject.txt', 'skip');
    expect(loopIdsOf(set!, 'QTY', 'QC')).toEqual(['2200C']);
    expect(loopIdsOf(set!, 'QTY', 'QA')).toEqual(['2200C']);
    expect(loopIdsOf(set!, 'QTY', '90')).toEqual(['2200B']);
    expect(loopIdsOf(set!, 'AMT', 'YY')).toEqual(['2200B', '2200C']);
    expect(loopIdsOf(set!, 'HL', '9')).toEqual(['2000C']);
  });

  it.each([
    ['835-anesthesia-denial-and-paid.x12', 'reject'],
    ['835-emedny-professional-vision-3claims.x12', 'reject'],
    ['835-medicaid-denied-non-payment-bpr-h.x12', 'reject'],
    ['999-accepted-834-repetition-sep-bang.x12', 'reject'],
    ['999-emedny-rejected-ik3.x12', 'reject'],
    ['277ca-emedny-accepted.x12', 'reject'],
    ['277ca-annotated-payer-response-provider-level-reject.txt', 'skip'],
  ] as const)('%s passes the element checks of its map (codes, lengths, usage)', async (file, leadingText) => {
    const report = await validateX12(readFileSync(`${corpusDir}${file}`), { leadingText });
    const sets = report.interchanges.flatMap((i) => i.groups.flatMap((g) => g.sets));
    expect(sets).toHaveLength(1);
    const elementIssues = sets[0]!.issues.filter((i) => i.level === 'element' || i.level === 'segment');
    expect(elementIssues.map((i) => ({ code: i.code, segment: i.segmentId, element: i.element, component: i.component }))).toEqual([]);
  });
});
