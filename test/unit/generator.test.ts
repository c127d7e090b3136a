/**
 * The fixture generator (bench/generator.ts): deterministic, of the size asked, and valid — envelope
 * counts and control numbers, HL tree, 837 claim totals and diagnosis pointers, 835 balancing, public
 * code values (ICD-10-CM billable, HCPCS Level II active, NPI check digits) — and, once the validator
 * exists, accepted by `validateX12` with no issue.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { FIXTURE_KINDS, generateFixture, isValidNpi, npiCheckDigit, type FixtureKind, type GeneratorOptions } from '../../bench/generator.ts';
import type { Segment } from '../../src/x12/segment.ts';
import { tokenizeSync } from '../../src/x12/tokenizer.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');

function generate(kind: FixtureKind, options: GeneratorOptions): string {
  let text = '';
  for (const chunk of generateFixture(kind, options)) text += chunk;
  return text;
}

function cents(value: string): number {
  return Math.round(Number(value) * 100);
}

/** Sum of CAS amounts (CAS03, 06, 09, 12, 15, 18) in one CAS segment. */
function casTotal(segment: Segment): number {
  let total = 0;
  for (let n = 3; n <= 18; n += 3) if (segment.element(n) !== '') total += cents(segment.element(n));
  return total;
}

interface EnvelopeFindings {
  problems: string[];
  sets: Segment[][];
}

/** Checks ISA/IEA, GS/GE, ST/SE nesting, counts and control numbers; returns each set's segments. */
function checkEnvelope(segments: readonly Segment[]): EnvelopeFindings {
  const problems: string[] = [];
  const sets: Segment[][] = [];
  let isa: Segment | undefined;
  let gs: Segment | undefined;
  let current: Segment[] | undefined;
  let groups = 0;
  let setsInGroup = 0;
  const setControls = new Set<string>();
  for (const s of segments) {
    switch (s.id) {
      case 'ISA':
        isa = s;
        groups = 0;
        if (s.length !== 105) problems.push(`ISA is ${s.length} characters before its terminator`);
        break;
      case 'GS':
        gs = s;
        groups++;
        setsInGroup = 0;
        setControls.clear();
        break;
      case 'ST':
        current = [s];
        setsInGroup++;
        if (setControls.has(s.element(2))) problems.push(`ST02 ${s.element(2)} repeats in a group`);
        setControls.add(s.element(2));
        break;
      case 'SE':
        if (!current) {
          problems.push('SE outside a set');
          break;
        }
        current.push(s);
        if (Number(s.element(1)) !== current.length) problems.push(`SE01 ${s.element(1)} but ${current.length} segments`);
        if (s.element(2) !== current[0]!.element(2)) problems.push('SE02 differs from ST02');
        sets.push(current);
        current = undefined;
        break;
      case 'GE':
        if (Number(s.element(1)) !== setsInGroup) problems.push(`GE01 ${s.element(1)} but ${setsInGroup} sets`);
        if (s.element(2) !== gs?.element(6)) problems.push('GE02 differs from GS06');
        break;
      case 'IEA':
        if (Number(s.element(1)) !== groups) problems.push(`IEA01 ${s.element(1)} but ${groups} groups`);
        if (s.element(2) !== isa?.element(13)) problems.push('IEA02 differs from ISA13');
        break;
      default:
        if (current) current.push(s);
        else problems.push(`${s.id} outside a transaction set`);
    }
  }
  return { problems, sets };
}

/** HL01 counts from 1; HL02 names an earlier HL of the parent level; HL04 = 1 exactly when it has children. */
function checkHierarchy(set: readonly Segment[]): string[] {
  const problems: string[] = [];
  const levelOf = new Map<string, string>();
  const declaresChildren = new Map<string, boolean>();
  const hasChildren = new Set<string>();
  const parentLevel: Record<string, string> = { '22': '20', '23': '22' };
  let expected = 1;
  for (const s of set) {
    if (s.id !== 'HL') continue;
    const [id, parent, level, child] = [s.element(1), s.element(2), s.element(3), s.element(4)];
    if (Number(id) !== expected++) problems.push(`HL01 ${id} out of sequence`);
    if (level === '20') {
      if (parent !== '') problems.push('2000A HL has a parent');
    } else if (levelOf.get(parent) !== parentLevel[level]) {
      problems.push(`HL ${id} (level ${level}) has parent ${parent} of level ${levelOf.get(parent)}`);
    }
    if (parent !== '') hasChildren.add(parent);
    levelOf.set(id, level);
    declaresChildren.set(id, child === '1');
  }
  for (const [id, declared] of declaresChildren) if (declared !== hasChildren.has(id)) problems.push(`HL04 of ${id} is wrong`);
  return problems;
}

/** CLM02 = Σ line charges; diagnosis pointers (837P) within the HI list; REF*6R on every line. */
function checkClaims(set: readonly Segment[], kind: '837P' | '837I'): string[] {
  const problems: string[] = [];
  let clm: Segment | undefined;
  let lineSum = 0;
  let diagnoses = 0;
  let linesWithoutRef = 0;
  const close = (): void => {
    if (clm && cents(clm.element(2)) !== lineSum) problems.push(`CLM02 ${clm.element(2)} but lines sum to ${lineSum} cents`);
  };
  for (const s of set) {
    if (s.id === 'CLM') {
      close();
      clm = s;
      lineSum = 0;
      diagnoses = 0;
    } else if (s.id === 'HI' && (s.component(1, 1) === 'ABK' || s.component(1, 1) === 'ABF')) {
      diagnoses += s.elementCount;
    } else if (s.id === 'SV1') {
      lineSum += cents(s.element(2));
      for (const pointer of s.components(7)) if (Number(pointer) < 1 || Number(pointer) > diagnoses) problems.push(`pointer ${pointer} with ${diagnoses} diagnoses`);
      if (s.components(7).length === 0) problems.push('SV1 without diagnosis pointer');
      linesWithoutRef++;
    } else if (s.id === 'SV2') {
      lineSum += cents(s.element(3));
      linesWithoutRef++;
    } else if (s.id === 'REF' && s.element(1) === '6R') {
      linesWithoutRef--;
    } else if (s.id === 'HL' || s.id === 'SE') {
      close();
      clm = undefined;
    }
  }
  if (linesWithoutRef !== 0) problems.push(`${linesWithoutRef} lines without REF*6R`);
  if (kind === '837I' && set.some((s) => s.id === 'SV1')) problems.push('SV1 in an 837I');
  return problems;
}

/** The three 835 balancing equations. */
function checkRemittanceBalance(set: readonly Segment[]): string[] {
  const problems: string[] = [];
  let bpr = 0;
  let paidTotal = 0;
  let plbTotal = 0;
  let clp: Segment | undefined;
  let claimAdjustments = 0;
  let svc: Segment | undefined;
  let lineAdjustments = 0;
  const closeLine = (): void => {
    if (svc && cents(svc.element(2)) - lineAdjustments !== cents(svc.element(3))) problems.push(`SVC02 − ΣCAS ≠ SVC03 at byte ${svc.offset}`);
    claimAdjustments += lineAdjustments;
    svc = undefined;
    lineAdjustments = 0;
  };
  const closeClaim = (): void => {
    closeLine();
    if (clp && cents(clp.element(3)) - claimAdjustments !== cents(clp.element(4))) problems.push(`CLP03 − ΣCAS ≠ CLP04 at byte ${clp.offset}`);
    clp = undefined;
    claimAdjustments = 0;
  };
  for (const s of set) {
    if (s.id === 'BPR') bpr = cents(s.element(2));
    else if (s.id === 'CLP') {
      closeClaim();
      clp = s;
      paidTotal += cents(s.element(4));
    } else if (s.id === 'SVC') {
      closeLine();
      svc = s;
    } else if (s.id === 'CAS') {
      if (svc) lineAdjustments += casTotal(s);
      else claimAdjustments += casTotal(s);
    } else if (s.id === 'PLB' || s.id === 'SE') {
      closeClaim();
      if (s.id === 'PLB') for (let n = 4; n <= 14; n += 2) if (s.element(n) !== '') plbTotal += cents(s.element(n));
    }
  }
  if (paidTotal - plbTotal !== bpr) problems.push(`ΣCLP04 ${paidTotal} − ΣPLB ${plbTotal} ≠ BPR02 ${bpr}`);
  return problems;
}

describe('NPI check digit', () => {
  it('matches the CMS worked example and rejects a wrong digit', () => {
    expect(npiCheckDigit('123456789')).toBe(3);
    expect(isValidNpi('1234567893')).toBe(true);
    expect(isValidNpi('1234567890')).toBe(false);
  });
});

describe.each(FIXTURE_KINDS)('generator %s', (kind) => {
  const small = generate(kind, { targetBytes: 100 * 1024, seed: 11 });
  const large = generate(kind, { targetBytes: 2 * 1024 * 1024, seed: 12 });
  const multiSet = generate(kind, { targetBytes: 60 * 1024, seed: 13, claimsPerTransaction: 7, transactionsPerGroup: 3, newlineAfterSegment: true });

  it('is deterministic for a seed and differs between seeds', () => {
    const again = generate(kind, { targetBytes: 100 * 1024, seed: 11 });
    const other = generate(kind, { targetBytes: 100 * 1024, seed: 99 });
    const digest = (text: string): string => createHash('sha256').update(text).digest('hex');
    expect(digest(again)).toBe(digest(small));
    expect(digest(other)).not.toBe(digest(small));
  });

  it('lands within 5 % of the target size (100 KB and 2 MB)', () => {
    expect(Math.abs(small.length / (100 * 1024) - 1)).toBeLessThan(0.05);
    expect(Math.abs(large.length / (2 * 1024 * 1024) - 1)).toBeLessThan(0.05);
  });

  it('yields bounded chunks, never the whole file at once', () => {
    const sizes = [...generateFixture(kind, { targetBytes: 2 * 1024 * 1024, seed: 12 })].map((chunk) => chunk.length);
    expect(sizes.length).toBeGreaterThan(10);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(64 * 1024);
  });

  it.each([
    ['100 KB', () => small],
    ['2 MB', () => large],
    ['many small sets, newline after segments', () => multiSet],
  ])('tokenizes with correct envelopes, hierarchy and totals (%s)', (_label, text) => {
    const content = text();
    const { segments, issues } = tokenizeSync(content);
    expect(issues).toEqual([]);
    const envelope = checkEnvelope(segments);
    expect(envelope.problems).toEqual([]);
    expect(envelope.sets.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const set of envelope.sets) {
      if (kind === '835') problems.push(...checkRemittanceBalance(set));
      else problems.push(...checkHierarchy(set), ...checkClaims(set, kind));
    }
    expect(problems).toEqual([]);
  });

  it('writes several sets per group and several groups when asked', () => {
    const { segments } = tokenizeSync(multiSet);
    const count = (id: string): number => segments.filter((s) => s.id === id).length;
    expect(count('GS')).toBeGreaterThan(1);
    expect(count('ST')).toBeGreaterThan(count('GS'));
    expect(multiSet).toContain('~\n');
  });

  it('uses valid NPIs everywhere an XX qualifier is sent', () => {
    const { segments } = tokenizeSync(large);
    const npis = segments.filter((s) => (s.id === 'NM1' && s.element(8) === 'XX') || (s.id === 'N1' && s.element(3) === 'XX')).map((s) => (s.id === 'NM1' ? s.element(9) : s.element(4)));
    expect(npis.length).toBeGreaterThan(0);
    expect(npis.filter((npi) => !isValidNpi(npi))).toEqual([]);
  });
});

describe('generator variety', () => {
  const professional = tokenizeSync(generate('837P', { targetBytes: 2 * 1024 * 1024, seed: 12 })).segments;
  const institutional = tokenizeSync(generate('837I', { targetBytes: 2 * 1024 * 1024, seed: 12 })).segments;
  const remittance = tokenizeSync(generate('835', { targetBytes: 2 * 1024 * 1024, seed: 12 })).segments;

  it('837P has dependents, modifiers, several places of service, multi-line claims and replacements', () => {
    expect(professional.some((s) => s.id === 'HL' && s.element(3) === '23')).toBe(true);
    expect(professional.some((s) => s.id === 'SV1' && s.components(1).length > 2)).toBe(true);
    expect(new Set(professional.filter((s) => s.id === 'CLM').map((s) => s.component(5, 1))).size).toBeGreaterThanOrEqual(3);
    expect(professional.some((s) => s.id === 'LX' && s.element(1) === '3')).toBe(true);
    expect(professional.some((s) => s.id === 'CLM' && s.component(5, 3) === '7')).toBe(true);
    expect(professional.some((s) => s.id === 'REF' && s.element(1) === 'F8')).toBe(true);
  });

  it('837I has revenue codes, types of bill, admissions and inpatient stays without DRG', () => {
    expect(institutional.some((s) => s.id === 'SV2' && /^\d{4}$/.test(s.element(1)))).toBe(true);
    const billTypes = new Set(institutional.filter((s) => s.id === 'CLM').map((s) => s.component(5, 1)));
    expect(billTypes).toEqual(new Set(['11', '13', '85']));
    expect(institutional.some((s) => s.id === 'DTP' && s.element(1) === '435')).toBe(true);
    expect(institutional.some((s) => s.id === 'HI' && s.component(1, 1) === 'DR')).toBe(false);
  });

  it('835 mixes paid, partly paid and denied lines, claim denials and PLB', () => {
    const reasons = new Set(remittance.filter((s) => s.id === 'CAS').map((s) => `${s.element(1)}-${s.element(2)}`));
    for (const expected of ['CO-45', 'PR-1', 'PR-2', 'PR-3', 'CO-16', 'CO-197', 'CO-50', 'CO-31']) expect(reasons).toContain(expected);
    expect(remittance.some((s) => s.id === 'LQ' && s.element(1) === 'HE')).toBe(true);
    expect(remittance.some((s) => s.id === 'PLB')).toBe(true);
    expect(remittance.some((s) => s.id === 'CLP' && s.element(2) === '4')).toBe(true);
  });
});

/** Where the official code-set files are: the repository's copy when it has one, else the shared folder. */
const codesetFolder = [process.env.CLAIMPATH_CODESETS, join(repoRoot, 'data', 'codesets'), '/work/shared/codesets'].find(
  (folder): folder is string => folder !== undefined && existsSync(join(folder, 'icd10cm_order_2026.txt.gz')) && existsSync(join(folder, 'hcpcs_level2_2026_jan.csv')),
);

/** Fields of one CSV line (quoted fields may hold commas and doubled quotes). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/** Code → [first day effective, termination day or ''] as CCYYMMDD strings. */
function hcpcsPeriods(file: string): Map<string, { from: string; to: string }> {
  const periods = new Map<string, { from: string; to: string }>();
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).slice(1);
  for (const line of lines) {
    if (line === '') continue;
    const f = csvFields(line);
    periods.set(f[0]!, { from: f[3]!, to: f[5]! });
  }
  return periods;
}

(codesetFolder ? describe : describe.skip)('generator code values (official CMS files)', () => {
  const folder = codesetFolder ?? '';
  const billable = new Set<string>();
  if (codesetFolder) {
    for (const line of gunzipSync(readFileSync(join(folder, 'icd10cm_order_2026.txt.gz'))).toString('latin1').split(/\r?\n/)) {
      if (line.charAt(14) === '1') billable.add(line.slice(6, 13).trim());
    }
  }
  const procedures = codesetFolder ? hcpcsPeriods(join(folder, 'hcpcs_level2_2026_jan.csv')) : new Map<string, { from: string; to: string }>();
  const modifiers = codesetFolder ? hcpcsPeriods(join(folder, 'hcpcs_level2_modifiers_2026_jan.csv')) : new Map<string, { from: string; to: string }>();
  const active = (period: { from: string; to: string } | undefined, day: string): boolean => period !== undefined && period.from <= day && (period.to === '' || period.to >= day);

  it.each(FIXTURE_KINDS)('%s uses billable ICD-10-CM codes and active HCPCS Level II codes and modifiers', (kind) => {
    const { segments } = tokenizeSync(generate(kind, { targetBytes: 1024 * 1024, seed: 21 }));
    const bad: string[] = [];
    // Lines are checked against their own date of service (the DTP*472 / DTM*472 after them), or for
    // inpatient 837I lines, which carry none, against the statement period's first day.
    let line: Segment | undefined;
    let statementFrom = '';
    const checkLine = (day: string): void => {
      if (!line) return;
      const procedure = line.id === 'SV2' ? line.components(2) : line.components(1);
      line = undefined;
      if (procedure.length === 0) return;
      if (procedure[0] !== 'HC') bad.push(`qualifier ${procedure[0]}`);
      if (!active(procedures.get(procedure[1]!), day)) bad.push(`procedure ${procedure[1]} on ${day}`);
      for (const modifier of procedure.slice(2)) if (!active(modifiers.get(modifier), day)) bad.push(`modifier ${modifier} on ${day}`);
    };
    for (const s of segments) {
      if (s.id === 'HI') {
        for (let n = 1; n <= s.elementCount; n++) if (!billable.has(s.component(n, 2))) bad.push(`diagnosis ${s.component(n, 2)}`);
      } else if (s.id === 'SV1' || s.id === 'SV2' || s.id === 'SVC') {
        line = s;
      } else if ((s.id === 'DTP' || s.id === 'DTM') && s.element(1) === '472') {
        checkLine(s.id === 'DTP' ? s.element(3) : s.element(2));
      } else if (s.id === 'DTP' && s.element(1) === '434') {
        statementFrom = s.element(3).slice(0, 8);
      } else if (s.id === 'REF' && s.element(1) === '6R') {
        checkLine(statementFrom);
      }
    }
    expect(bad).toEqual([]);
  });
});

const validatorPath = join(repoRoot, 'src', 'x12', 'validate.ts');

/** The validator's entry point, as the lead specified it (src/x12/validate.ts). */
type ValidateX12 = (source: string, options?: { leadingText?: 'reject' | 'skip' }) => Promise<{ verdict: string; fileIssues: unknown[]; interchanges: { issues: unknown[]; groups: { issues: unknown[]; sets: { issues: unknown[] }[] }[] }[] }>;

(existsSync(validatorPath) ? describe : describe.skip)('generated fixtures pass validateX12', () => {
  it.each(FIXTURE_KINDS)('%s is accepted with no issue', async (kind) => {
    const specifier = '../../src/x12/validate.ts';
    const module: { validateX12?: ValidateX12 } = await import(specifier);
    expect(typeof module.validateX12).toBe('function');
    const report = await module.validateX12!(generate(kind, { targetBytes: 300 * 1024, seed: 31, claimsPerTransaction: 200 }));
    const issues = [
      ...report.fileIssues,
      ...report.interchanges.flatMap((i) => [...i.issues, ...i.groups.flatMap((g) => [...g.issues, ...g.sets.flatMap((s) => s.issues)])]),
    ];
    expect(issues).toEqual([]);
    expect(report.verdict).toBe('accepted');
  });
});
