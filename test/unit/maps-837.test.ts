/**
 * The 837P, 837I and 837D guide maps: the structure the loop walker relies on (every loop opens with a
 * segment, same-id siblings carry disjoint qualifiers, loops nest as the guides have them), and walks
 * of the valid public 837 samples in the shared corpus (skipped when the corpus is not checked out
 * beside the repository).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { X12Issue } from '../../src/x12/issues.ts';
import { map837D } from '../../src/x12/maps/837d.ts';
import { map837I } from '../../src/x12/maps/837i.ts';
import { map837P } from '../../src/x12/maps/837p.ts';
import { findGuide, guideMaps } from '../../src/x12/maps/index.ts';
import { isComposite, type ElementDef, type GuideMap, type LoopDef, type SegmentDef } from '../../src/x12/maps/types.ts';
import type { TransactionSetReport, ValidationReport } from '../../src/x12/report.ts';
import { validateX12 } from '../../src/x12/validate.ts';

const maps: readonly GuideMap[] = [map837P, map837I, map837D];

/** Every loop of a map with its path of loop ids from the root (`ST/2000A/2010AA`). */
function loopsWithPaths(root: LoopDef): { loop: LoopDef; path: string }[] {
  const out: { loop: LoopDef; path: string }[] = [];
  const visit = (l: LoopDef, path: string): void => {
    out.push({ loop: l, path });
    for (const c of l.children) if (c.kind === 'loop') visit(c, `${path}/${c.id}`);
  };
  visit(root, root.id);
  return out;
}

function segmentsOf(root: LoopDef): { segment: SegmentDef; loopId: string }[] {
  return loopsWithPaths(root).flatMap(({ loop }) => loop.children.filter((c): c is SegmentDef => c.kind === 'segment').map((segment) => ({ segment, loopId: loop.id })));
}

function openerOf(child: SegmentDef | LoopDef): SegmentDef {
  if (child.kind === 'segment') return child;
  const head = child.children[0];
  if (!head || head.kind !== 'segment') throw new Error(`loop ${child.id} does not open with a segment`);
  return head;
}

/** The paths where a loop id occurs in a map. */
function pathsOf(map: GuideMap, loopId: string): string[] {
  return loopsWithPaths(map.root)
    .filter(({ loop }) => loop.id === loopId)
    .map(({ path }) => path);
}

/** A loop's structure without its usage, to compare the two placements of the floating 2300. */
function shape(l: LoopDef): unknown {
  return { id: l.id, repeat: l.repeat, children: l.children.map((c) => (c.kind === 'loop' ? shape(c) : c)) };
}

/** The simple elements of a segment (composite components flattened), for per-element checks. */
function simpleElementsOf(s: SegmentDef): { where: string; def: ElementDef }[] {
  return s.elements.flatMap((slot, k) =>
    isComposite(slot) ? slot.components.map((c, j) => ({ where: `${s.id}${k + 1}-${j + 1}`, def: c })) : [{ where: `${s.id}${k + 1}`, def: slot }],
  );
}

describe.each(maps.map((m) => [m.name, m] as const))('guide map %s: structure', (_name, map) => {
  it('names the transaction set and functional group, and is rooted at ST … SE with BHT and the 1000/2000A loops', () => {
    expect({ set: map.transactionSet, group: map.functionalId }).toEqual({ set: '837', group: 'HC' });
    expect(map.root.id).toBe('ST');
    const ids = map.root.children.map((c) => (c.kind === 'loop' ? c.id : c.id));
    expect(ids).toEqual(['ST', 'BHT', '1000A', '1000B', '2000A', 'SE']);
  });

  it('opens every loop with a segment, and gives every loop and segment a usage and a positive repeat or max use', () => {
    for (const { loop, path } of loopsWithPaths(map.root)) {
      expect({ path, first: loop.children[0]?.kind }).toEqual({ path, first: 'segment' });
      expect({ path, ok: ['R', 'S', 'N'].includes(loop.usage) && loop.repeat >= 1 }).toEqual({ path, ok: true });
    }
    for (const { segment, loopId } of segmentsOf(map.root)) {
      expect({ loopId, segment: segment.id, ok: ['R', 'S', 'N'].includes(segment.usage) && segment.maxUse >= 1 && segment.elements.length > 0 }).toEqual({
        loopId,
        segment: segment.id,
        ok: true,
      });
    }
  });

  it('never repeats a loop id among siblings or along a path, and places every copy of a loop identically', () => {
    const byId = new Map<string, LoopDef[]>();
    for (const { loop, path } of loopsWithPaths(map.root)) {
      const ids = path.split('/');
      expect({ path, repeated: new Set(ids).size !== ids.length }).toEqual({ path, repeated: false });
      const childIds = loop.children.filter((c): c is LoopDef => c.kind === 'loop').map((c) => c.id);
      expect({ path, siblings: new Set(childIds).size }).toEqual({ path, siblings: childIds.length });
      byId.set(loop.id, [...(byId.get(loop.id) ?? []), loop]);
    }
    // Only the floating claim (2300 under 2000B and under 2000C) and what it holds appear twice.
    for (const [loopId, copies] of byId) {
      for (const copy of copies.slice(1)) expect({ loopId, shape: shape(copy) }).toEqual({ loopId, shape: shape(copies[0]!) });
    }
  });

  it('tells every set of same-id siblings apart by disjoint qualifier values on the same element', () => {
    for (const { loop, path } of loopsWithPaths(map.root)) {
      const byId = new Map<string, SegmentDef[]>();
      for (const child of loop.children) {
        const opener = openerOf(child);
        byId.set(opener.id, [...(byId.get(opener.id) ?? []), opener]);
      }
      for (const [segmentId, siblings] of byId) {
        if (siblings.length < 2) continue;
        const where = `${path}/${segmentId}`;
        const seen = new Set<string>();
        for (const s of siblings) {
          expect({ where, name: s.name, qualified: s.qualifier !== undefined && s.qualifier.values.length > 0 }).toEqual({ where, name: s.name, qualified: true });
          expect({ where, element: s.qualifier!.element, component: s.qualifier!.component }).toEqual({
            where,
            element: siblings[0]!.qualifier!.element,
            component: siblings[0]!.qualifier!.component,
          });
          for (const v of s.qualifier!.values) {
            expect({ where, value: v, shared: seen.has(v) }).toEqual({ where, value: v, shared: false });
            seen.add(v);
          }
        }
      }
    }
  });

  it('selects each qualified segment by values its own code list allows', () => {
    for (const { segment, loopId } of segmentsOf(map.root)) {
      const q = segment.qualifier;
      if (!q) continue;
      const slot = segment.elements[q.element - 1];
      expect({ loopId, segment: segment.name, slot: slot !== undefined }).toEqual({ loopId, segment: segment.name, slot: true });
      const def = isComposite(slot!) ? slot.components[(q.component ?? 1) - 1] : slot;
      if (!def?.codes) continue;
      for (const v of q.values) expect({ loopId, segment: segment.name, value: v, listed: def.codes.includes(v) }).toEqual({ loopId, segment: segment.name, value: v, listed: true });
    }
  });

  it('gives every element a reference, sane lengths and codes that fit them', () => {
    for (const { segment, loopId } of segmentsOf(map.root)) {
      for (const { where, def } of simpleElementsOf(segment)) {
        const at = `${loopId}/${where}`;
        expect({ at, ref: def.ref.length > 0, lengths: def.min >= 1 && def.min <= def.max }).toEqual({ at, ref: true, lengths: true });
        for (const code of def.codes ?? []) {
          expect({ at, code, fits: code.length >= def.min && code.length <= def.max }).toEqual({ at, code, fits: true });
        }
      }
    }
  });

  it('nests the hierarchy as the guide does: 2000A ⊃ 2010AA…, 2000B ⊃ 2010BA/BB, 2300, 2000C ⊃ 2010CA, 2300', () => {
    expect(pathsOf(map, '2010AA')).toEqual(['ST/2000A/2010AA']);
    expect(pathsOf(map, '2010AB')).toEqual(['ST/2000A/2010AB']);
    expect(pathsOf(map, '2010AC')).toEqual(['ST/2000A/2010AC']);
    expect(pathsOf(map, '2010BA')).toEqual(['ST/2000A/2000B/2010BA']);
    expect(pathsOf(map, '2010BB')).toEqual(['ST/2000A/2000B/2010BB']);
    expect(pathsOf(map, '2010CA')).toEqual(['ST/2000A/2000B/2000C/2010CA']);
    expect(pathsOf(map, '2300')).toEqual(['ST/2000A/2000B/2300', 'ST/2000A/2000B/2000C/2300']);
    expect(pathsOf(map, '2400')).toEqual(['ST/2000A/2000B/2300/2400', 'ST/2000A/2000B/2000C/2300/2400']);
    expect(pathsOf(map, '2330B')).toEqual(['ST/2000A/2000B/2300/2320/2330B', 'ST/2000A/2000B/2000C/2300/2320/2330B']);
    expect(pathsOf(map, '2430')).toEqual(['ST/2000A/2000B/2300/2400/2430', 'ST/2000A/2000B/2000C/2300/2400/2430']);
  });

  it('opens the hierarchical levels by HL03 and the claim (situational under 2000B, required under 2000C)', () => {
    const level = (path: string): SegmentDef => openerOf(loopsWithPaths(map.root).find((l) => l.path === path)!.loop);
    expect(level('ST/2000A').qualifier).toEqual({ element: 3, values: ['20'] });
    expect(level('ST/2000A/2000B').qualifier).toEqual({ element: 3, values: ['22'] });
    expect(level('ST/2000A/2000B/2000C').qualifier).toEqual({ element: 3, values: ['23'] });
    const claims = loopsWithPaths(map.root).filter((l) => l.loop.id === '2300');
    expect(claims.map((c) => [c.path, c.loop.usage, c.loop.repeat])).toEqual([
      ['ST/2000A/2000B/2300', 'S', 100],
      ['ST/2000A/2000B/2000C/2300', 'R', 100],
    ]);
  });
});

describe('guide maps 837P, 837I, 837D: versions and registration', () => {
  it.each([
    ['837P', map837P, ['005010X222A1', '005010X222A2', '005010X222']],
    ['837I', map837I, ['005010X223A2', '005010X223A1', '005010X223A3', '005010X223']],
    ['837D', map837D, ['005010X224A2', '005010X224A1', '005010X224A3', '005010X224']],
  ] as const)('%s accepts its errata and unsuffixed versions, and findGuide resolves each to it', (_name, map, versions) => {
    expect([...map.acceptedVersions].sort()).toEqual([...versions].sort());
    expect(map.version).toBe(versions[0]);
    for (const v of versions) expect(findGuide('837', v)).toBe(map);
    expect(guideMaps).toContain(map);
  });

  it('does not resolve an 837 version of another guide or an unknown errata', () => {
    expect(findGuide('837', '005010X098A1')).toBeUndefined();
    expect(findGuide('837', '005010X222A9')).toBeUndefined();
    expect(findGuide('835', '005010X222A1')).toBeUndefined();
  });

  it('has the provider and other-payer loops each guide lists', () => {
    const ids = (m: GuideMap): string[] => [...new Set(loopsWithPaths(m.root).map((l) => l.loop.id))].sort();
    expect(ids(map837P)).toEqual(
      ['ST', '1000A', '1000B', '2000A', '2010AA', '2010AB', '2010AC', '2000B', '2010BA', '2010BB', '2000C', '2010CA', '2300', '2310A', '2310B', '2310C', '2310D', '2310E', '2310F', '2320', '2330A', '2330B', '2330C', '2330D', '2330E', '2330F', '2330G', '2400', '2410', '2420A', '2420B', '2420C', '2420D', '2420E', '2420F', '2420G', '2420H', '2430', '2440'].sort(),
    );
    expect(ids(map837I)).toEqual(
      ['ST', '1000A', '1000B', '2000A', '2010AA', '2010AB', '2010AC', '2000B', '2010BA', '2010BB', '2000C', '2010CA', '2300', '2310A', '2310B', '2310C', '2310D', '2310E', '2310F', '2320', '2330A', '2330B', '2330C', '2330D', '2330E', '2330F', '2330G', '2330H', '2330I', '2400', '2410', '2420A', '2420B', '2420C', '2420D', '2430'].sort(),
    );
    expect(ids(map837D)).toEqual(
      ['ST', '1000A', '1000B', '2000A', '2010AA', '2010AB', '2010AC', '2000B', '2010BA', '2010BB', '2000C', '2010CA', '2300', '2310A', '2310B', '2310C', '2310D', '2310E', '2320', '2330A', '2330B', '2330C', '2330D', '2330E', '2330F', '2330G', '2330H', '2400', '2420A', '2420B', '2420C', '2420D', '2430'].sort(),
    );
  });

  it('opens the professional 2310/2420 loops and the institutional attending/operating loops by their NM101 entity codes', () => {
    const opener = (m: GuideMap, loopId: string): readonly string[] | undefined => openerOf(loopsWithPaths(m.root).find((l) => l.loop.id === loopId)!.loop).qualifier?.values;
    expect(['2310A', '2310B', '2310C', '2310D', '2310E', '2310F'].map((id) => opener(map837P, id))).toEqual([['DN', 'P3'], ['82'], ['77'], ['DQ'], ['PW'], ['45']]);
    expect(['2420A', '2420B', '2420C', '2420D', '2420E', '2420F', '2420G', '2420H'].map((id) => opener(map837P, id))).toEqual([['82'], ['QB'], ['77'], ['DQ'], ['DK'], ['DN', 'P3'], ['PW'], ['45']]);
    expect(['2310A', '2310B', '2310C', '2310D', '2310E', '2310F'].map((id) => opener(map837I, id))).toEqual([['71'], ['72'], ['ZZ'], ['82'], ['77'], ['DN']]);
    expect(['2330C', '2330D', '2330E', '2330F', '2330G', '2330H', '2330I'].map((id) => opener(map837I, id))).toEqual([['71'], ['72'], ['ZZ'], ['77'], ['82'], ['DN'], ['85']]);
    expect(['2310A', '2310B', '2310C', '2310D', '2310E'].map((id) => opener(map837D, id))).toEqual([['DN', 'P3'], ['82'], ['77'], ['DD'], ['DQ']]);
  });

  it('keeps licensed code lists out: revenue codes, type of bill digits and procedure codes are checked for form only', () => {
    const find = (m: GuideMap, segmentId: string): SegmentDef => segmentsOf(m.root).find((s) => s.segment.id === segmentId)!.segment;
    const sv2 = find(map837I, 'SV2');
    expect((sv2.elements[0] as ElementDef).codes).toBeUndefined();
    const clmI = find(map837I, 'CLM').elements[4]!;
    expect(isComposite(clmI) && clmI.components.map((c) => c.codes)).toEqual([undefined, ['A'], undefined]);
    const sv3 = find(map837D, 'SV3').elements[0]!;
    expect(isComposite(sv3) && sv3.components[1]!.codes).toBeUndefined();
    for (const m of maps) {
      for (const { segment } of segmentsOf(m.root).filter((s) => s.segment.id === 'HI')) {
        for (const slot of segment.elements) if (isComposite(slot)) expect(slot.components[1]!.codes).toBeUndefined();
      }
    }
  });
});

// ---- Walking 837s -----------------------------------------------------------------------------------

const corpusDir = fileURLToPath(new URL('../../../shared/corpus/x12/', import.meta.url));
const describeCorpus = existsSync(corpusDir) ? describe : describe.skip;

interface WalkedSegment {
  id: string;
  /** The element that selects the segment's variant (NM101, HL03, REF01…), for spot checks. */
  selector: string;
  loopId: string;
  badQualifier: boolean;
}

interface WalkedSet {
  report: TransactionSetReport;
  segments: WalkedSegment[];
}

const SELECTOR_ELEMENT: Record<string, number> = { NM1: 1, HL: 3, REF: 1, DTP: 1, AMT: 1, SBR: 1 };

/** Validate a source, keeping each transaction set's report and the loop every segment was put in. */
async function walk(source: string | Uint8Array, leadingText: 'skip' | 'reject' = 'reject'): Promise<{ sets: WalkedSet[]; report: ValidationReport }> {
  const sets: WalkedSet[] = [];
  let current: WalkedSegment[] = [];
  const report = await validateX12(source, {
    leadingText,
    onSegment: (segment, step) => {
      const k = SELECTOR_ELEMENT[segment.id];
      current.push({ id: segment.id, selector: k ? segment.element(k) : '', loopId: step.loopId, badQualifier: step.badQualifier === true });
    },
    onSetEnd: (report) => {
      sets.push({ report, segments: current });
      current = [];
    },
  });
  return { sets, report };
}

async function walkCorpusFile(file: string): Promise<WalkedSet[]> {
  return (await walk(readFileSync(`${corpusDir}${file}`), file.endsWith('.txt') ? 'skip' : 'reject')).sets;
}

type IssueKey = { code: string; segmentId: string | undefined; loopId: string | undefined };
const key = (i: X12Issue): IssueKey => ({ code: i.code, segmentId: i.segmentId, loopId: i.loopId });
const segmentIssues = (set: WalkedSet): IssueKey[] => set.report.issues.filter((i) => i.level === 'segment').map(key);
const loopIdsOf = (set: WalkedSet, id: string, selector?: string): string[] =>
  set.segments.filter((s) => s.id === id && (selector === undefined || s.selector === selector)).map((s) => s.loopId);
/** Every occurrence of the segment (if any) is in one of `loops`. */
const onlyIn = (set: WalkedSet, id: string, selector: string | undefined, loops: readonly string[]): boolean => loopIdsOf(set, id, selector).every((l) => loops.includes(l));

/**
 * The valid 837 samples (SOURCES.md) and the segment issues they must or may produce:
 * - `must`: a defect of the file that the guide obliges us to report — the COB sample has a 2320 with
 *   2330A but no 2330B (Other Payer Name), which 005010X222A1 makes Required.
 * - `may`: the 837I samples write composites with '>' while ISA16 is ':', so HI01-1 reads "BK>38181"
 *   and selects no HI variant; the walker reports that on the qualifier element (IK4) and, depending
 *   on whether it counts such a segment as a use, also the required Principal Diagnosis HI as missing.
 */
const valid837: readonly { file: string; guide: string; sets: number; must?: IssueKey[]; may?: IssueKey[] }[] = [
  { file: '837p-basic-dependent-4lines.x12', guide: '837P', sets: 1 },
  { file: '837p-auto-accident-dependent.x12', guide: '837P', sets: 1 },
  { file: '837p-cob-primary-with-other-subscriber.x12', guide: '837P', sets: 1, must: [{ code: '3', segmentId: 'NM1', loopId: '2330B' }] },
  { file: '837p-dme-oxygen-cmn-lq-frm.x12', guide: '837P', sets: 1 },
  { file: '837p-drug-ndc-lin-ctp.x12', guide: '837P', sets: 1 },
  { file: '837p-icd10-two-subscribers-two-claims.x12', guide: '837P', sets: 1 },
  { file: '837p-uhin-clearinghouse-test-icd10.x12', guide: '837P', sets: 1 },
  { file: '837p-annotated-out-of-network-repriced-hcp.txt', guide: '837P', sets: 1 },
  { file: '837i-out-of-network-repriced-hcp.x12', guide: '837I', sets: 1, may: [{ code: '3', segmentId: 'HI', loopId: '2300' }] },
  { file: '837i-ppo-repriced-hcp-cob-occurrence.x12', guide: '837I', sets: 1, may: [{ code: '3', segmentId: 'HI', loopId: '2300' }] },
];

describeCorpus('walking the valid 837 corpus samples', () => {
  it.each(valid837.map((v) => [v.file, v] as const))('%s walks with only its known segment issues and every segment in its loop', async (_file, sample) => {
    const sets = await walkCorpusFile(sample.file);
    expect(sets).toHaveLength(sample.sets);
    for (const set of sets) {
      expect(set.report.guide).toBe(sample.guide);
      const issues = segmentIssues(set);
      for (const must of sample.must ?? []) expect(issues).toContainEqual(must);
      const unexpected = issues.filter((i) => ![...(sample.must ?? []), ...(sample.may ?? [])].some((k) => k.code === i.code && k.segmentId === i.segmentId && k.loopId === i.loopId));
      expect(unexpected).toEqual([]);

      // Spot checks: each segment lands in the loop the guide puts it in.
      expect(loopIdsOf(set, 'ST')).toEqual(['ST']);
      expect(loopIdsOf(set, 'BHT')).toEqual(['ST']);
      expect(loopIdsOf(set, 'SE')).toEqual(['ST']);
      expect(loopIdsOf(set, 'NM1', '41')).toEqual(['1000A']);
      expect(loopIdsOf(set, 'NM1', '40')).toEqual(['1000B']);
      expect(loopIdsOf(set, 'NM1', '85')[0]).toBe('2010AA');
      expect(onlyIn(set, 'NM1', '85', ['2010AA', '2330G', '2330I'])).toBe(true);
      expect(onlyIn(set, 'HL', '20', ['2000A'])).toBe(true);
      expect(onlyIn(set, 'HL', '22', ['2000B'])).toBe(true);
      expect(onlyIn(set, 'HL', '23', ['2000C'])).toBe(true);
      expect(onlyIn(set, 'SBR', undefined, ['2000B', '2320'])).toBe(true);
      // The first NM1*IL and NM1*PR of a subscriber are 2010BA and 2010BB; later ones name the other payer's subscriber (2330A, 2330B).
      expect(loopIdsOf(set, 'NM1', 'IL')[0]).toBe('2010BA');
      expect(onlyIn(set, 'NM1', 'IL', ['2010BA', '2330A'])).toBe(true);
      expect(loopIdsOf(set, 'NM1', 'PR')[0]).toBe('2010BB');
      expect(onlyIn(set, 'NM1', 'PR', ['2010BB', '2330B'])).toBe(true);
      expect(onlyIn(set, 'NM1', 'QC', ['2010CA'])).toBe(true);
      expect(onlyIn(set, 'CLM', undefined, ['2300'])).toBe(true);
      expect(onlyIn(set, 'LX', undefined, ['2400'])).toBe(true);
      expect(onlyIn(set, 'DTP', '472', ['2400'])).toBe(true);
      expect(onlyIn(set, sample.guide === '837I' ? 'SV2' : 'SV1', undefined, ['2400'])).toBe(true);
      expect(loopIdsOf(set, 'CLM').length).toBeGreaterThan(0);
      expect(loopIdsOf(set, 'LX').length).toBeGreaterThan(0);
      expect(set.segments.every((s) => s.loopId !== '')).toBe(true);
      // Only the 837I samples' unreadable HI composites fall back to selection by id alone.
      expect(set.segments.filter((s) => s.badQualifier).map((s) => s.id)).toEqual(sample.may ? set.segments.filter((s) => s.badQualifier && s.id === 'HI').map((s) => s.id) : []);
    }
  });

  it('places the DME sample: CMN PWK, CR3 and certification dates in 2400, ordering provider in 2420E, CMN answers in 2440', async () => {
    const [set] = await walkCorpusFile('837p-dme-oxygen-cmn-lq-frm.x12');
    expect(new Set(loopIdsOf(set!, 'PWK'))).toEqual(new Set(['2400']));
    expect(new Set(loopIdsOf(set!, 'CR3'))).toEqual(new Set(['2400']));
    expect(new Set(loopIdsOf(set!, 'DTP', '607'))).toEqual(new Set(['2400']));
    expect(new Set(loopIdsOf(set!, 'NM1', 'DK'))).toEqual(new Set(['2420E']));
    expect(new Set(loopIdsOf(set!, 'PER').slice(1))).toEqual(new Set(['2420E']));
    expect(new Set(loopIdsOf(set!, 'LQ'))).toEqual(new Set(['2440']));
    expect(new Set(loopIdsOf(set!, 'FRM'))).toEqual(new Set(['2440']));
  });

  it('places the drug sample: sales tax AMT in 2400, LIN and CTP in 2410, rendering provider in 2310B', async () => {
    const [set] = await walkCorpusFile('837p-drug-ndc-lin-ctp.x12');
    expect(loopIdsOf(set!, 'AMT', 'T')).toEqual(['2400']);
    expect(loopIdsOf(set!, 'LIN')).toEqual(['2410']);
    expect(loopIdsOf(set!, 'CTP')).toEqual(['2410']);
    expect(loopIdsOf(set!, 'NM1', '82')).toEqual(['2310B']);
    expect(loopIdsOf(set!, 'PRV')).toEqual(['2310B']);
  });

  it('places the auto accident sample: accident dates in 2300, patient P&C claim number and contact in 2010CA, facility contact in 2310C', async () => {
    const [set] = await walkCorpusFile('837p-auto-accident-dependent.x12');
    expect(loopIdsOf(set!, 'DTP', '439')).toEqual(['2300']);
    expect(loopIdsOf(set!, 'DTP', '444')).toEqual(['2300']);
    expect(loopIdsOf(set!, 'REF', 'Y4')).toEqual(['2010CA']);
    expect(loopIdsOf(set!, 'PER')).toEqual(['1000A', '2010CA', '2310C']);
    expect(loopIdsOf(set!, 'NM1', '77')).toEqual(['2310C']);
  });

  it('places the COB samples: other subscriber in 2320/2330A, other payer in 2330B, billing provider secondary id in 2010BB', async () => {
    const [professional] = await walkCorpusFile('837p-cob-primary-with-other-subscriber.x12');
    expect(loopIdsOf(professional!, 'SBR')).toEqual(['2000B', '2320']);
    expect(loopIdsOf(professional!, 'OI')).toEqual(['2320']);
    expect(loopIdsOf(professional!, 'NM1', 'IL')).toEqual(['2010BA', '2330A']);
    expect(loopIdsOf(professional!, 'REF', 'G2')).toEqual(['2010BB', '2310B']);
    expect(loopIdsOf(professional!, 'NM1', '87')).toEqual(['2010AB']);
    const [institutional] = await walkCorpusFile('837i-ppo-repriced-hcp-cob-occurrence.x12');
    expect(loopIdsOf(institutional!, 'NM1', 'PR')).toEqual(['2010BB', '2330B']);
    expect(loopIdsOf(institutional!, 'NM1', '71')).toEqual(['2310A']);
    expect(loopIdsOf(institutional!, 'CL1')).toEqual(['2300']);
    expect(loopIdsOf(institutional!, 'DTP', '434')).toEqual(['2300']);
    expect(loopIdsOf(institutional!, 'HCP')).toEqual(['2300', '2400', '2400']);
  });
});

// ---- Built transactions: every variant the guides define, read back without a single issue --------

const ISA = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*^*00501*000000001*0*T*:~';
const wrap = (version: string, body: readonly string[]): string =>
  [ISA, `GS*HC*SENDER*RECEIVER*20240101*1200*1*X*${version}`, `ST*837*0001*${version}`, ...body, `SE*${body.length + 2}*0001`, 'GE*1*1', 'IEA*1*000000001'].join('~') + '~';

/** All issues of a walked file, at every level, as keys (no values: the test data are fictional anyway). */
function allIssues(report: ValidationReport): { level: string; code: string; segmentId?: string; loopId?: string; element?: number; component?: number }[] {
  const out: X12Issue[] = [...report.fileIssues];
  for (const ic of report.interchanges) {
    out.push(...ic.issues);
    for (const g of ic.groups) {
      out.push(...g.issues);
      for (const set of g.sets) out.push(...set.issues);
    }
  }
  return out.map((i) => ({ level: i.level, code: i.code, segmentId: i.segmentId, loopId: i.loopId, element: i.element, component: i.component }));
}

/** The segments of a walked set as `ID*selector@loop`, for comparing a whole placement at once. */
const placements = (set: WalkedSet): string[] => set.segments.map((s) => `${s.id}${s.selector ? `*${s.selector}` : ''}@${s.loopId}`);

const HEADER = ['BHT*0019*00*0001*20240101*1200*CH', 'NM1*41*2*BILLING SERVICE*****46*TGJ23', 'PER*IC*JANE*TE*8005551212*EX*123', 'NM1*40*2*PAYER A*****46*66783JJT'];

describe('walking built 837s', () => {
  it('837P: places every professional variant (pay-to plan, ambulance, COB with other-payer providers, both line PWKs, drug, line adjudication, CMN form) with no issue at all', async () => {
    const body = [
      ...HEADER,
      'HL*1**20*1',
      'PRV*BI*PXC*203BF0100Y',
      'NM1*85*2*CLINIC*****XX*1234567893',
      'N3*1 MAIN ST',
      'N4*CITY*FL*33111',
      'REF*EI*123456789',
      'REF*1G*X12345',
      'PER*IC*BOB*TE*8005551212',
      'NM1*87*2',
      'N3*PO BOX 1',
      'N4*CITY*FL*33111',
      'NM1*PE*2*PLAN*****PI*12345',
      'N3*2 MAIN ST',
      'N4*CITY*FL*33111',
      'REF*EI*987654321',
      'HL*2*1*22*1',
      'SBR*P**GRP1******CI',
      'NM1*IL*1*DOE*JOHN****MI*M123',
      'N3*3 MAIN ST',
      'N4*CITY*FL*33111',
      'DMG*D8*19700101*M',
      'NM1*PR*2*PAYER A*****PI*66783',
      'REF*G2*PROV1',
      'HL*3*2*23*0',
      'PAT*19',
      'NM1*QC*1*DOE*JIM',
      'N3*3 MAIN ST',
      'N4*CITY*FL*33111',
      'DMG*D8*20100101*M',
      'CLM*PCN1*300***41:B:1*Y*A*Y*Y*P',
      'DTP*431*D8*20231201',
      'DTP*439*D8*20231130',
      'PWK*OZ*BM***AC*ATT1',
      'AMT*F5*10',
      'REF*G1*AUTH1',
      'REF*D9*TRACE1',
      'NTE*ADD*NOTE TEXT',
      'CR1*LB*150**A*DH*12',
      'CRC*07*Y*01',
      'HI*ABK:S0100XA*ABF:R51',
      'HI*BP:01996',
      'HI*BG:01',
      'HCP*00*250',
      'NM1*DN*1*REFERRING*DOC****XX*1234567893',
      'REF*G2*R1',
      'NM1*82*1*RENDERING*DOC****XX*1234567893',
      'PRV*PE*PXC*207Q00000X',
      'NM1*77*2*FACILITY*****XX*1234567893',
      'N3*4 MAIN ST',
      'N4*CITY*FL*33111',
      'PER*IC*FRONT DESK*TE*8005551212',
      'NM1*PW*2',
      'N3*5 MAIN ST',
      'N4*CITY*FL*33111',
      'NM1*45*2*HOSPITAL',
      'N3*6 MAIN ST',
      'N4*CITY*FL*33111',
      'SBR*S*01*GRP2******CI',
      'CAS*CO*45*20',
      'AMT*D*100',
      'OI***Y*P**Y',
      'MOA***MA01',
      'NM1*IL*1*DOE*JANE****MI*M999',
      'NM1*PR*2*PAYER B*****PI*99999',
      'DTP*573*D8*20231215',
      'REF*F8*ICN1',
      'NM1*82*1',
      'REF*G2*OTHER1',
      'LX*1',
      'SV1*HC:99213:25*100*UN*1***1:2',
      'PWK*OZ*EL***AC*ATT2',
      'PWK*CT*AD',
      'DTP*472*D8*20231201',
      'QTY*PT*1',
      'REF*6R*LINE1',
      'AMT*T*5',
      'NTE*ADD*LINE NOTE',
      'NTE*TPO*REPRICER NOTE',
      'HCP*00*90',
      'LIN**N4*00026063512',
      'CTP****10*ML',
      'NM1*82*1*RENDERING*DOC****XX*1234567893',
      'PRV*PE*PXC*207Q00000X',
      'NM1*DK*1*ORDERING*DOC****XX*1234567893',
      'PER*IC*ORDERING OFFICE*TE*8005551212',
      'NM1*PW*2',
      'N3*5 MAIN ST',
      'N4*CITY*FL*33111',
      'NM1*45*2',
      'N3*6 MAIN ST',
      'N4*CITY*FL*33111',
      'SVD*99999*80*HC:99213**1',
      'CAS*PR*1*20',
      'DTP*573*D8*20231215',
      'LQ*UT*04.03',
      'FRM*1A*Y',
      'LX*2',
      'SV1*HC:A0425*200*UN*12***1',
      'DTP*472*D8*20231201',
    ];
    const { sets, report } = await walk(wrap('005010X222A1', body));
    expect(allIssues(report)).toEqual([]);
    const [set] = sets;
    expect(set!.report.guide).toBe('837P');
    const placed = placements(set!);
    expect(placed).toEqual(
      expect.arrayContaining([
        'NM1*PE@2010AC', 'REF*EI@2010AC', 'REF*1G@2010AA', 'REF*G2@2010BB', 'PWK@2300', 'AMT*F5@2300', 'CR1@2300', 'CRC@2300', 'HI@2300',
        'NM1*DN@2310A', 'NM1*82@2310B', 'NM1*77@2310C', 'PER@2310C', 'NM1*PW@2310E', 'NM1*45@2310F', 'SBR*S@2320', 'CAS@2320', 'AMT*D@2320',
        'MOA@2320', 'NM1*IL@2330A', 'NM1*PR@2330B', 'DTP*573@2330B', 'REF*F8@2330B', 'NM1*82@2330D', 'REF*G2@2330D', 'QTY@2400', 'REF*6R@2400',
        'AMT*T@2400', 'NTE@2400', 'LIN@2410', 'CTP@2410', 'NM1*82@2420A', 'NM1*DK@2420E', 'PER@2420E', 'NM1*PW@2420G', 'NM1*45@2420H',
        'SVD@2430', 'CAS@2430', 'DTP*573@2430', 'LQ@2440', 'FRM@2440',
      ]),
    );
    expect(placed.filter((p) => p.startsWith('PWK'))).toEqual(['PWK@2300', 'PWK@2400', 'PWK@2400']);
  });

  it('837I: places the institutional HI variants, physicians, MIA and the revenue-code lines with no issue at all', async () => {
    const body = [
      ...HEADER,
      'HL*1**20*1',
      'NM1*85*2*HOSPITAL*****XX*1234567893',
      'N3*1 MAIN ST',
      'N4*CITY*OH*43215',
      'REF*EI*123456789',
      'HL*2*1*22*0',
      'SBR*P*18*GRP******CI',
      'NM1*IL*1*DOE*JOHN****MI*M1',
      'N3*1 MAIN ST',
      'N4*CITY*OH*43215',
      'DMG*D8*19600101*M',
      'NM1*PR*2*PAYER A*****PI*P1',
      'CLM*PCN2*500***11:A:1**A*Y*Y',
      'DTP*096*TM*1130',
      'DTP*434*RD8*20231201-20231203',
      'DTP*435*DT*202312010800',
      'CL1*1*7*01',
      'AMT*F3*50',
      'REF*G1*AUTH',
      'NTE*ALG*ALLERGY TEXT',
      'NTE*ADD*BILLING NOTE',
      'HI*ABK:I10:::::::Y',
      'HI*ABJ:R51',
      'HI*ABN:V0001XA:::::::N',
      'HI*DR:470',
      'HI*ABF:E119:::::::Y*ABF:Z794:::::::N',
      'HI*BBR:0SR90JZ:D8:20231201',
      'HI*BBQ:0SRB0JZ:D8:20231202',
      'HI*BI:70:RD8:20231101-20231105',
      'HI*BH:11:D8:20231130',
      'HI*BE:80:::5',
      'HI*BG:39',
      'NM1*71*1*ATTENDING*DOC****XX*1234567893',
      'PRV*AT*PXC*207R00000X',
      'NM1*72*1*OPERATING*DOC****XX*1234567893',
      'NM1*DN*1*REFERRING*DOC',
      'SBR*S*01*GRP2******CI',
      'AMT*D*100',
      'AMT*EAF*20',
      'OI***Y***Y',
      'MIA*0***10',
      'NM1*IL*1*DOE*JANE****MI*M2',
      'NM1*PR*2*PAYER B*****PI*P2',
      'NM1*71*1',
      'REF*G2*X1',
      'LX*1',
      'SV2*0120**300*DA*3',
      'DTP*472*RD8*20231201-20231203',
      'REF*6R*L1',
      'LX*2',
      'SV2*0360*HC:27447*200*UN*1',
      'DTP*472*D8*20231202',
      'NM1*72*1*OPERATING*DOC****XX*1234567893',
      'SVD*P2*150*HC:27447*0360*1',
      'CAS*CO*45*50',
      'DTP*573*D8*20231215',
    ];
    const { sets, report } = await walk(wrap('005010X223A2', body));
    expect(allIssues(report)).toEqual([]);
    const [set] = sets;
    expect(set!.report.guide).toBe('837I');
    expect(set!.segments.filter((s) => s.badQualifier)).toEqual([]);
    expect(placements(set!)).toEqual(
      expect.arrayContaining([
        'DTP*096@2300', 'DTP*435@2300', 'CL1@2300', 'AMT*F3@2300', 'NTE@2300', 'NM1*71@2310A', 'PRV@2310A', 'NM1*72@2310B', 'NM1*DN@2310F',
        'AMT*EAF@2320', 'MIA@2320', 'NM1*71@2330C', 'SV2@2400', 'NM1*72@2420A', 'SVD@2430',
      ]),
    );
    expect(loopIdsOf(set!, 'HI')).toHaveLength(11);
    expect(new Set(loopIdsOf(set!, 'HI'))).toEqual(new Set(['2300']));
  });

  it('837D: places orthodontic and tooth status data, tooth information and the dental provider loops with no issue at all', async () => {
    const body = [
      ...HEADER,
      'HL*1**20*1',
      'NM1*85*1*DENTIST*ANN****XX*1234567893',
      'N3*1 MAIN ST',
      'N4*CITY*FL*33111',
      'REF*EI*123456789',
      'HL*2*1*22*1',
      'SBR*P**GRP******CI',
      'NM1*IL*1*DOE*JOHN****MI*M1',
      'N3*1 MAIN ST',
      'N4*CITY*FL*33111',
      'DMG*D8*19700101*M',
      'NM1*PR*2*PAYER A*****PI*P1',
      'HL*3*2*23*0',
      'PAT*19***F',
      'NM1*QC*1*DOE*KID',
      'N3*1 MAIN ST',
      'N4*CITY*FL*33111',
      'DMG*D8*20100101*F',
      'CLM*PCN3*250***11:B:1*Y*A*Y*Y',
      'DTP*472*D8*20231201',
      'DN1*24*12',
      'DN2*3*M',
      'DN2*14*E',
      'REF*G3*PRED1',
      'HI*ABK:K021',
      'NM1*82*1*DENTIST*ANN****XX*1234567893',
      'PRV*PE*PXC*1223G0001X',
      'NM1*DD*1*ASSISTANT*AL',
      'SBR*S*01*GRP2******CI',
      'OI***Y***Y',
      'NM1*IL*1*DOE*JANE****MI*M2',
      'NM1*PR*2*PAYER B*****PI*P2',
      'NM1*DD*1',
      'REF*G2*X1',
      'LX*1',
      'SV3*AD:D2392*150****1*****1',
      'TOO*JP*3*M:O',
      'DTP*472*D8*20231201',
      'REF*6R*L1',
      'LX*2',
      'SV3*AD:D1110*100*11*10',
      'TOO*JP*14',
      'DTP*441*D8*20200101',
      'NM1*82*1*DENTIST*ANN****XX*1234567893',
      'SVD*P2*80*AD:D1110**1',
      'DTP*573*D8*20231215',
    ];
    const { sets, report } = await walk(wrap('005010X224A2', body));
    expect(allIssues(report)).toEqual([]);
    const [set] = sets;
    expect(set!.report.guide).toBe('837D');
    expect(placements(set!)).toEqual(
      expect.arrayContaining([
        'DTP*472@2300', 'DN1@2300', 'DN2@2300', 'REF*G3@2300', 'HI@2300', 'NM1*82@2310B', 'NM1*DD@2310D', 'SBR*S@2320', 'NM1*DD@2330H',
        'SV3@2400', 'TOO@2400', 'DTP*441@2400', 'NM1*82@2420A', 'SVD@2430',
      ]),
    );
  });

  it('837P: reports a variant out of the guide order and a required segment missing, each on its loop', async () => {
    const body = [
      ...HEADER,
      'HL*1**20*1',
      'NM1*85*2*CLINIC*****XX*1234567893',
      'N3*1 MAIN ST',
      'N4*CITY*FL*33111',
      'HL*2*1*22*0',
      'SBR*P*18*GRP1******CI',
      'NM1*IL*1*DOE*JOHN****MI*M123',
      'NM1*PR*2*PAYER A*****PI*66783',
      'CLM*PCN1*100***11:B:1*Y*A*Y*Y',
      'HI*ABK:R51',
      'LX*1',
      'SV1*HC:99213*100*UN*1***1',
    ];
    const { sets } = await walk(wrap('005010X222A1', body));
    // 2010AA lacks its required tax id REF; the line lacks its required service date.
    expect(segmentIssues(sets[0]!)).toEqual([
      { code: '3', segmentId: 'REF', loopId: '2010AA' },
      { code: '3', segmentId: 'DTP', loopId: '2400' },
    ]);
  });
});
