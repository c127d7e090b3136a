/**
 * The real public X12 samples in ../shared/corpus/x12 (see its SOURCES.md), through validateX12:
 * nothing throws, every file is accepted or rejected with at least one structured error, the result
 * does not depend on how the bytes are chunked, and the defects SOURCES.md describes are found with
 * the right acknowledgment codes. A table of what was found is printed for people.
 *
 * Skipped, with a note, where the corpus is not checked out next to the repository.
 */
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IssueLevel, X12Issue } from '../../src/x12/issues.ts';
import type { ValidationReport } from '../../src/x12/report.ts';
import { validateX12 } from '../../src/x12/validate.ts';

const corpusDirectory = fileURLToPath(new URL('../../../shared/corpus/x12', import.meta.url));
const corpusPresent = existsSync(corpusDirectory);

/** `.x12` files are pure X12; annotated `.txt` files start with prose and are read with leadingText 'skip'. */
const files = corpusPresent ? readdirSync(corpusDirectory).filter((f) => /\.(x12|txt)$/.test(f)).sort() : [];

function leadingTextFor(file: string): 'skip' | 'reject' {
  return file.endsWith('.txt') ? 'skip' : 'reject';
}

/** One acceptable finding: level, one of `codes` (any code when absent), and where. */
interface Finding {
  level: IssueLevel;
  codes?: readonly string[];
  segmentId?: string;
  element?: number;
  severity?: X12Issue['severity'];
}

/** A defect SOURCES.md describes, and the finding(s) that report it (any one of `anyOf` will do). */
interface KnownDefect {
  file: string;
  defect: string;
  anyOf: readonly Finding[];
  /** The finding must be in every transaction set of the file (each set carries the defect). */
  inEverySet?: boolean;
}

const seCountMismatch = (file: string, defect: string, inEverySet = false): KnownDefect => ({
  file,
  defect: `${defect}: IK502 4`,
  anyOf: [{ level: 'set', codes: ['4'], segmentId: 'SE', element: 1 }],
  inEverySet,
});
const isa11NotASeparator = (file: string): KnownDefect => ({
  file,
  defect: "ISA11 'U' (a 4010 habit): file warning ISA11_NOT_A_SEPARATOR",
  anyOf: [{ level: 'file', codes: ['ISA11_NOT_A_SEPARATOR'], severity: 'warning' }],
});
/** HI written with element separators inside the composite ('HI*BK*8901*BF*…'): element errors on HI. */
const hiCompositeSplit = (file: string): KnownDefect => ({
  file,
  defect: "HI composite written with element separators ('HI*BK*8901*BF*…'): an IK4 on HI",
  anyOf: [{ level: 'element', segmentId: 'HI' }],
});
const unsupportedGs01 = (file: string): KnownDefect => ({
  file,
  defect: "GS01 'XX' is no functional group: AK905 1 (or TA105 024 invalid GS)",
  anyOf: [
    { level: 'group', codes: ['1'] },
    { level: 'interchange', codes: ['024'], segmentId: 'GS' },
  ],
});

/** From SOURCES.md ("what it exercises" and the annotated validators' lists). */
const knownDefects: readonly KnownDefect[] = [
  // 837P files from imsweb/x12-parser.
  { file: '837p-neg-missing-iea.x12', defect: 'no IEA trailer: TA105 023', anyOf: [{ level: 'interchange', codes: ['023'] }] },
  seCountMismatch('837p-neg-missing-iea.x12', 'SE01 = 25 for 34 segments'),
  seCountMismatch('837p-alt-separators-tilde-caret-underscore.x12', 'SE01 = 25 for 34 segments'),
  seCountMismatch('837p-neg-segments-out-of-order.x12', 'SE01 = 25 for 34 segments'),
  seCountMismatch('837p-loop-stress-2st-cob-synthetic.x12', 'SE01 wrong in both sets (25/26)', true),
  { file: '837p-loop-stress-2st-cob-synthetic.x12', defect: 'GE01 = 1 with 2 transaction sets: AK905 5', anyOf: [{ level: 'group', codes: ['5'] }] },
  {
    file: '837p-neg-segments-out-of-order.x12',
    defect: '2010AA REF between N3 and N4, pay-to N4 before N3: IK304 7 or 2',
    anyOf: [{ level: 'segment', codes: ['7', '2'] }],
  },
  isa11NotASeparator('837p-alt-separators-tilde-caret-underscore.x12'),
  isa11NotASeparator('837p-loop-stress-2st-cob-synthetic.x12'),
  isa11NotASeparator('837p-neg-missing-iea.x12'),
  isa11NotASeparator('837p-neg-segments-out-of-order.x12'),
  hiCompositeSplit('837p-alt-separators-tilde-caret-underscore.x12'),
  hiCompositeSplit('837p-loop-stress-2st-cob-synthetic.x12'),
  hiCompositeSplit('837p-neg-segments-out-of-order.x12'),
  // 835.
  { file: '835-institutional-revcodes-denied-se-mismatch.x12', defect: 'ST02 1234 but SE02 0001: IK502 3', anyOf: [{ level: 'set', codes: ['3'], segmentId: 'SE' }] },
  seCountMismatch('835-malformed-cas-underscore-and-shifted-bpr.x12', 'SE01 = 25 for 26 segments'),
  {
    file: '835-malformed-cas-underscore-and-shifted-bpr.x12',
    defect: "segment 'CAS_CO*45*50': IK304 1 (unrecognized segment id)",
    anyOf: [{ level: 'segment', codes: ['1'], segmentId: 'CAS_CO' }],
  },
  { file: '835-malformed-cas-underscore-and-shifted-bpr.x12', defect: 'BPR missing an element separator (shifted elements): an IK4 on BPR', anyOf: [{ level: 'element', segmentId: 'BPR' }] },
  { file: '835-tertiary-payment-single-line.x12', defect: "SVC01 just 'HC', procedure shifted into SVC02: an IK4 on SVC", anyOf: [{ level: 'element', segmentId: 'SVC' }] },
  unsupportedGs01('835-annotated-secondary-cob-validator-errors.txt'),
  seCountMismatch('835-annotated-secondary-cob-validator-errors.txt', 'SE01 = 38 for 25 segments'),
  { file: '835-annotated-secondary-cob-validator-errors.txt', defect: "SVC01 'HC>55669' ('>' although ISA16 is ':'): an IK4 on SVC", anyOf: [{ level: 'element', segmentId: 'SVC' }] },
  {
    file: '835-annotated-secondary-cob-validator-errors.txt',
    defect: "AMT01 'AU' at the service line is not in the guide: IK403 I6 (or 7)",
    anyOf: [{ level: 'element', codes: ['I6', '7'], segmentId: 'AMT', element: 1 }],
  },
  // 837I / 837D annotated (stupidedi).
  unsupportedGs01('837i-annotated-ppo-repriced-validator-errors.txt'),
  { file: '837i-annotated-ppo-repriced-validator-errors.txt', defect: "ST03 '005010X223' differs from GS08: IK502 19", anyOf: [{ level: 'set', codes: ['19'] }] },
  { file: '837i-annotated-ppo-repriced-validator-errors.txt', defect: "CLM06 present though 'not used' in 837I: IK403 I10", anyOf: [{ level: 'element', codes: ['I10'], segmentId: 'CLM', element: 6 }] },
  { file: '837i-annotated-ppo-repriced-validator-errors.txt', defect: 'CLM07 missing (required): IK403 1 (or I9)', anyOf: [{ level: 'element', codes: ['1', 'I9'], segmentId: 'CLM', element: 7 }] },
  { file: '837i-annotated-ppo-repriced-validator-errors.txt', defect: 'DMG in 2320 (unexpected segment): IK304 2 (or 7)', anyOf: [{ level: 'segment', codes: ['2', '7'], segmentId: 'DMG' }] },
  unsupportedGs01('837d-annotated-commercial-validator-errors.txt'),
  { file: '837d-annotated-commercial-validator-errors.txt', defect: "ST03 '005010X224' differs from GS08 005010X224A1: IK502 19", anyOf: [{ level: 'set', codes: ['19'] }] },
  { file: '837d-annotated-commercial-validator-errors.txt', defect: 'CLM07 missing (required): IK403 1 (or I9)', anyOf: [{ level: 'element', codes: ['1', 'I9'], segmentId: 'CLM', element: 7 }] },
  // 999.
  { file: '999-accepted-837i-iea-mismatch.x12', defect: 'IEA02 000000001 for ISA13 000000286: TA105 001', anyOf: [{ level: 'interchange', codes: ['001'] }] },
  { file: '999-accepted-837i-iea-mismatch.x12', defect: "GS05 '102497' is not a valid time: TA105 024 on GS05", anyOf: [{ level: 'interchange', codes: ['024'], segmentId: 'GS', element: 5 }] },
  // 277CA annotated (stupidedi).
  { file: '277ca-annotated-payer-response-validator-errors.txt', defect: "NM107 'MD' present though 'not used': IK403 I10", anyOf: [{ level: 'element', codes: ['I10'], segmentId: 'NM1', element: 7 }] },
  { file: '277ca-annotated-payer-response-validator-errors.txt', defect: "NM108 '24' not in the guide: IK403 I6 (or 7)", anyOf: [{ level: 'element', codes: ['I6', '7'], segmentId: 'NM1', element: 8 }] },
  { file: '277ca-annotated-payer-response-validator-errors.txt', defect: "DTP01 '232' instead of 472: IK403 I6 (or 7)", anyOf: [{ level: 'element', codes: ['I6', '7'], segmentId: 'DTP', element: 1 }] },
];

/** Every issue of a report, wherever it sits. */
function allIssues(report: ValidationReport): X12Issue[] {
  return [
    ...report.fileIssues,
    ...report.interchanges.flatMap((x) => [...x.issues, ...x.groups.flatMap((g) => [...g.issues, ...g.sets.flatMap((s) => s.issues)])]),
  ];
}

function matches(issue: X12Issue, finding: Finding): boolean {
  return (
    issue.level === finding.level &&
    (finding.codes === undefined || finding.codes.includes(issue.code)) &&
    (finding.segmentId === undefined || issue.segmentId === finding.segmentId) &&
    (finding.element === undefined || issue.element === finding.element) &&
    (finding.severity === undefined || issue.severity === finding.severity)
  );
}

/** What was found, for the failure message: level:code@segment-element for every issue. */
function describeFound(issues: readonly X12Issue[]): string {
  if (issues.length === 0) return 'no issues';
  return [...new Set(issues.map((i) => `${i.level}:${i.code}${i.segmentId ? `@${i.segmentId}${i.element !== undefined ? `-${i.element}` : ''}` : ''}`))].join(' ');
}

async function validateFile(file: string, highWaterMark?: number): Promise<ValidationReport> {
  const stream = createReadStream(join(corpusDirectory, file), highWaterMark === undefined ? {} : { highWaterMark });
  return validateX12(stream, { leadingText: leadingTextFor(file) });
}

const reports = new Map<string, ValidationReport>();
const failures = new Map<string, string>();

(corpusPresent ? describe : describe.skip)('X12 corpus (../shared/corpus/x12)', () => {
  beforeAll(async () => {
    for (const file of files) {
      try {
        reports.set(file, await validateFile(file));
      } catch (error) {
        failures.set(file, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      }
    }
    console.log(summaryTable());
  });

  it('holds the files SOURCES.md describes', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    for (const defect of knownDefects) expect(files).toContain(defect.file);
  });

  it('validates every file without throwing', () => {
    expect(Object.fromEntries(failures)).toEqual({});
    expect(reports.size).toBe(files.length);
  });

  it.each(files)('%s is accepted, or rejected with at least one structured error', (file) => {
    const report = reports.get(file);
    expect(report).toBeDefined();
    if (!report || report.verdict === 'accepted' || report.verdict === 'accepted with errors') return;
    const structured = allIssues(report).filter(
      (i) => i.severity === 'error' && i.code !== '' && (i.offset !== undefined || i.ordinal !== undefined),
    );
    expect(structured.length).toBeGreaterThanOrEqual(1);
  });

  it.each(files)('%s gives the same report read in 7-byte chunks', async (file) => {
    // Chunk boundaries fall inside ISAs, segments and CR LF pairs: the result must not change.
    const chunked = await validateFile(file, 7);
    expect(chunked).toEqual(reports.get(file));
  });

  it.each(knownDefects.map((d) => [d.file, d.defect, d] as const))('%s: %s', (file, _defect, known) => {
    const report = reports.get(file);
    expect(report).toBeDefined();
    if (!report) return;
    if (known.inEverySet) {
      const sets = report.interchanges.flatMap((x) => x.groups.flatMap((g) => g.sets));
      expect(sets.length).toBeGreaterThan(0);
      for (const set of sets) {
        const found = set.issues.some((i) => known.anyOf.some((f) => matches(i, f)));
        if (!found) throw new Error(`${file}: expected ${known.defect} in set ${set.control}; found ${describeFound(set.issues)}`);
      }
      return;
    }
    const issues = allIssues(report);
    const found = issues.some((i) => known.anyOf.some((f) => matches(i, f)));
    if (!found) throw new Error(`${file}: expected ${known.defect}; found ${describeFound(issues)}`);
  });
});

if (!corpusPresent) {
  console.log(`Corpus test skipped: ${corpusDirectory} does not exist.`);
}

/** file | verdict | transaction/guide | counts | error codes, one row per file. */
function summaryTable(): string {
  const rows: string[][] = [['file', 'verdict', 'transaction/guide', 'counts (sets; claims, lines, payments)', 'codes (level:code)']];
  for (const file of files) {
    const report = reports.get(file);
    if (!report) {
      rows.push([file, 'THREW', '', '', failures.get(file) ?? '']);
      continue;
    }
    const sets = report.interchanges.flatMap((x) => x.groups.flatMap((g) => g.sets));
    const kinds = [...new Set(sets.map((s) => `${s.transactionSet}/${s.guide ?? '-'} ${s.version}`))].join(', ');
    const sum = (pick: (s: (typeof sets)[number]) => number): number => sets.reduce((n, s) => n + pick(s), 0);
    const counts = `${sets.length}; ${sum((s) => s.counts.claims)}, ${sum((s) => s.counts.serviceLines)}, ${sum((s) => s.counts.claimPayments)}`;
    const codes = [...new Set(allIssues(report).map((i) => `${i.level}:${i.code}`))].join(' ');
    rows.push([file, report.verdict, kinds, counts, codes]);
  }
  const widths = rows[0]!.map((_, c) => Math.min(60, Math.max(...rows.map((r) => r[c]!.length))));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join(' | ')).join('\n');
}
