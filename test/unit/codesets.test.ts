/**
 * Code sets: ICD-10-CM by fiscal year (FY2024..FY2027, October 1 boundaries), HCPCS Level II codes
 * and modifiers by add/termination date, coverage and out-of-range flags, place of service, CARC/RARC
 * categories and DESIGN.md's routing order, format checks for licensed code sets, the compact data
 * format, `claimpath codesets info|import`, and that the committed data is what the build makes.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { CliContext } from '../../src/cli/args.ts';
import { main } from '../../src/cli/main.ts';
import { buildCodeSets } from '../../src/rules/codesets/build.ts';
import {
  decodeIcd10Cm,
  encodeIcd10Cm,
  Icd10CmBlockIndex,
  packYearStates,
  Icd10CmYearState,
} from '../../src/rules/codesets/compact-format.ts';
import { readCodeSetData, readManifest } from '../../src/rules/codesets/data-files.ts';
import {
  CodeSetDateError,
  defaultCodeSetDataDirectory,
  fiscalYearOf,
  isCdtFormat,
  isCptFormat,
  isCptModifierFormat,
  isHcpcsLevel2Format,
  isIcd10CmFormat,
  isRevenueCodeFormat,
  isTypeOfBillFormat,
  loadCodeSets,
  type CodeSets,
} from '../../src/rules/codesets/index.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const sharedCodesets = join(repoRoot, '..', 'shared', 'codesets');

let codeSets: CodeSets;
let firstLoadMs: number;

beforeAll(async () => {
  const started = performance.now();
  codeSets = await loadCodeSets();
  firstLoadMs = performance.now() - started;
});

describe('loading', () => {
  it('loads once per process and says how long the first load took', async () => {
    const started = performance.now();
    const again = await loadCodeSets();
    const secondLoadMs = performance.now() - started;
    // Measured, not asserted: shared machines drift.
    process.stdout.write(`code sets: first load ${firstLoadMs.toFixed(1)} ms, second ${secondLoadMs.toFixed(3)} ms\n`);
    const firstS7 = performance.now();
    codeSets.icd10cm.lookup('S72.001A', '2026-01-15');
    process.stdout.write(`code sets: first look-up in a new ICD-10-CM block ${(performance.now() - firstS7).toFixed(2)} ms\n`);
    expect(again).toBe(codeSets);
    expect(codeSets.icd10cm.size).toBeGreaterThan(98_000);
    expect(codeSets.hcpcs.size).toBe(8623);
    expect(codeSets.hcpcsModifiers.size).toBe(383);
  });

  it('states each code set’s source, release and coverage', () => {
    const names = codeSets.versions.map((version) => version.name);
    expect(names).toEqual(['ICD-10-CM', 'HCPCS Level II', 'HCPCS modifiers', 'Place of service', 'CARC', 'RARC']);
    const icd = codeSets.versions[0]!;
    expect(icd.release).toBe('FY2024..FY2027');
    expect(icd.coverage).toEqual({ from: '2023-10-01', to: '2027-09-30' });
    expect(icd.notes?.join(' ')).toMatch(/FY2027 is DERIVED/);
    expect(codeSets.versions[1]).toMatchObject({ release: '2026-01', coverage: { to: '2026-06-30' } });
  });

  it('fails with a CodeSetDataError on a folder without data, and can retry later', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'codesets-empty-'));
    try {
      await expect(loadCodeSets({ dataDirectory: empty })).rejects.toMatchObject({ name: 'CodeSetDataError' });
      await expect(loadCodeSets({ dataDirectory: empty })).rejects.toMatchObject({ name: 'CodeSetDataError' });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('refuses a data file that differs from its manifest digest', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'codesets-corrupt-'));
    try {
      cpSync(defaultCodeSetDataDirectory, copy, { recursive: true });
      const manifest = JSON.parse(readFileSync(join(copy, 'manifest.json'), 'utf8')) as { hcpcs: { sha256: string } };
      manifest.hcpcs.sha256 = '0'.repeat(64);
      writeFileSync(join(copy, 'manifest.json'), JSON.stringify(manifest));
      await expect(loadCodeSets({ dataDirectory: copy })).rejects.toThrow(/sha256/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('ICD-10-CM by fiscal year', () => {
  /** One date inside each fiscal year held, including both ends of the coverage. */
  const oneDatePerYear = [
    ['2023-10-01', 2024],
    ['2025-09-30', 2025],
    ['2026-03-15', 2026],
    ['2027-09-30', 2027],
  ] as const;

  it.each(oneDatePerYear)('E11.9 and I10 are billable on %s (FY%i)', (date, fiscalYear) => {
    expect(codeSets.icd10cm.lookup('E11.9', date)).toEqual({ status: 'billable', fiscalYear, outOfRange: false });
    expect(codeSets.icd10cm.lookup('E119', date)).toEqual({ status: 'billable', fiscalYear, outOfRange: false });
    expect(codeSets.icd10cm.lookup('I10', date)).toEqual({ status: 'billable', fiscalYear, outOfRange: false });
  });

  it('E11 is a header (a category with codes below it) in every year', () => {
    for (const [date] of oneDatePerYear) expect(codeSets.icd10cm.lookup('E11', date).status).toBe('header');
  });

  it('accepts lower case, a dot and spaces', () => {
    expect(codeSets.icd10cm.lookup(' e11.9 ', '2026-03-15').status).toBe('billable');
  });

  it('a code deleted in FY2027 (S23.420A) is valid on 2026-09-30 and not in effect from 2026-10-01', () => {
    expect(codeSets.icd10cm.lookup('S23.420A', '2026-09-30')).toEqual({ status: 'billable', fiscalYear: 2026, outOfRange: false });
    expect(codeSets.icd10cm.lookup('S23.420A', '2026-10-01')).toEqual({ status: 'not-in-effect', fiscalYear: 2027, outOfRange: false });
  });

  it('a code added in FY2027 (C78.31) is not in effect on 2026-09-30 and billable from 2026-10-01', () => {
    expect(codeSets.icd10cm.lookup('C78.31', '2026-09-30')).toEqual({ status: 'not-in-effect', fiscalYear: 2026, outOfRange: false });
    expect(codeSets.icd10cm.lookup('C78.31', '2026-10-01')).toEqual({ status: 'billable', fiscalYear: 2027, outOfRange: false });
  });

  it('a code that became a header in FY2027 (I42.0) stops being billable on 2026-10-01', () => {
    expect(codeSets.icd10cm.lookup('I42.0', '2026-09-30').status).toBe('billable');
    expect(codeSets.icd10cm.lookup('I42.0', '2026-10-01').status).toBe('header');
  });

  it('a code in no year is unknown', () => {
    expect(codeSets.icd10cm.lookup('E11.99999', '2026-03-15').status).toBe('unknown');
    expect(codeSets.icd10cm.lookup('', '2026-03-15').status).toBe('unknown');
    expect(codeSets.icd10cm.lookup('9', '2026-03-15').status).toBe('unknown');
  });

  it('a date beyond the coverage is answered from the nearest year and flagged', () => {
    expect(codeSets.icd10cm.lookup('E11.9', '2023-09-30')).toEqual({ status: 'billable', fiscalYear: 2024, outOfRange: true });
    expect(codeSets.icd10cm.lookup('S23.420A', '2027-10-01')).toEqual({ status: 'not-in-effect', fiscalYear: 2027, outOfRange: true });
    expect(codeSets.icd10cm.coverage).toEqual({ from: '2023-10-01', to: '2027-09-30' });
    expect(codeSets.icd10cm.fiscalYears).toEqual([2024, 2025, 2026, 2027]);
  });

  it('fiscal years start on October 1', () => {
    expect(fiscalYearOf('2025-09-30')).toBe(2025);
    expect(fiscalYearOf('2025-10-01')).toBe(2026);
    expect(fiscalYearOf('2026-01-01')).toBe(2026);
    expect(() => fiscalYearOf('2026-13-01')).toThrow(CodeSetDateError);
    expect(() => codeSets.icd10cm.lookup('I10', '20260101')).toThrow(CodeSetDateError);
  });
});

describe('HCPCS Level II', () => {
  it('a code added on 2026-01-01 (A4295) is not yet effective the day before', () => {
    expect(codeSets.hcpcs.lookup('A4295', '2025-12-31')).toEqual({ status: 'not-yet-effective', outOfRange: false, added: '2026-01-01' });
    expect(codeSets.hcpcs.lookup('A4295', '2026-01-01')).toEqual({ status: 'active', outOfRange: false, added: '2026-01-01' });
  });

  it('a code terminated on 2025-12-31 (C5271) is valid that day and terminated the next', () => {
    expect(codeSets.hcpcs.lookup('C5271', '2025-12-31').status).toBe('active');
    expect(codeSets.hcpcs.lookup('c5271 ', '2026-01-01')).toEqual({
      status: 'terminated',
      outOfRange: false,
      added: '2014-01-01',
      terminated: '2025-12-31',
    });
  });

  it('unknown codes, including CPT and CDT codes the CMS file does not carry', () => {
    expect(codeSets.hcpcs.lookup('A9999X', '2026-03-02').status).toBe('unknown');
    expect(codeSets.hcpcs.lookup('99213', '2026-03-02').status).toBe('unknown');
    expect(codeSets.hcpcs.lookup('D0120', '2026-03-02').status).toBe('unknown');
  });

  it('keeps the CMS short description', () => {
    expect(codeSets.hcpcs.shortDescription('A4295')).toMatch(/cath/i);
    expect(codeSets.hcpcs.shortDescription('ZZZZZ')).toBeUndefined();
  });

  it('flags dates after the quarter that follows the release, and before the oldest termination listed', () => {
    expect(codeSets.hcpcs.coverage).toEqual({ from: '2014-07-01', to: '2026-06-30' });
    expect(codeSets.hcpcs.lookup('A4295', '2026-06-30').outOfRange).toBe(false);
    expect(codeSets.hcpcs.lookup('A4295', '2026-07-01')).toMatchObject({ status: 'active', outOfRange: true });
    expect(codeSets.hcpcs.lookup('A0021', '2014-06-30').outOfRange).toBe(true);
  });

  it('modifiers: active, added and terminated on their dates; CPT modifiers are unknown here', () => {
    expect(codeSets.hcpcsModifiers.lookup('LT', '2026-03-02').status).toBe('active');
    expect(codeSets.hcpcsModifiers.lookup('JK', '2023-03-31').status).toBe('not-yet-effective');
    expect(codeSets.hcpcsModifiers.lookup('JK', '2023-04-01').status).toBe('active');
    expect(codeSets.hcpcsModifiers.lookup('ZA', '2018-03-31').status).toBe('active');
    expect(codeSets.hcpcsModifiers.lookup('ZA', '2018-04-01').status).toBe('terminated');
    expect(codeSets.hcpcsModifiers.lookup('25', '2026-03-02').status).toBe('unknown');
    expect(codeSets.hcpcsModifiers.lookup('LT', '2026-10-01').outOfRange).toBe(true);
  });
});

describe('place of service', () => {
  it('names the assigned codes and marks the unassigned ones inactive', () => {
    expect(codeSets.placeOfService.lookup('11')).toEqual({ name: 'Office', active: true });
    expect(codeSets.placeOfService.lookup('10')?.active).toBe(true);
    expect(codeSets.placeOfService.lookup('27')?.active).toBe(true);
    expect(codeSets.placeOfService.lookup('30')).toEqual({ name: 'Unassigned', active: false });
    expect(codeSets.placeOfService.lookup('00')).toBeUndefined();
    expect(codeSets.placeOfService.lookup('1')).toBeUndefined();
    expect(codeSets.placeOfService.size).toBe(99);
  });
});

describe('CARC and RARC', () => {
  it('gives each code a short description and a category', () => {
    expect(codeSets.carc.lookup('45')).toMatchObject({ category: 'contractual' });
    expect(codeSets.carc.lookup('16')).toMatchObject({ category: 'billing', seeRemark: true });
    expect(codeSets.carc.lookup('252')).toMatchObject({ seeRemark: true });
    expect(codeSets.carc.lookup('227')).toMatchObject({ seeRemark: true });
    expect(codeSets.carc.lookup('17')).toMatchObject({ seeRemark: true, active: false });
    expect(codeSets.carc.lookup('a1')).toMatchObject({ seeRemark: true });
    expect(codeSets.carc.lookup('9999')).toBeUndefined();
    expect(codeSets.rarc.lookup('N382')).toMatchObject({ category: 'billing' });
    expect(codeSets.rarc.lookup('M76')).toMatchObject({ category: 'coding' });
    expect(codeSets.rarc.lookup('N1')).toMatchObject({ alert: true });
  });

  it('covers the CARCs in common use, with descriptions of our own', () => {
    const expected = [
      ...range(1, 16), ...range(18, 27), 29, ...range(31, 35), 39, 40, 45, ...range(49, 51), ...range(53, 59), 96, 97,
      ...range(100, 119), 129, 131, 133, 136, 140, 146, 149, 150, 151, 152, 167, ...range(170, 174),
      181, 182, 183, 185, 186, 189, 192, ...range(197, 200), 204, 226, 227, 231, 234, 236, 242, 252, 253, 256, 272, 284, 288, 290,
    ].map(String);
    for (const code of [...expected, 'A1', ...range(7, 16).map((n) => `B${n}`), 'B20', 'B22']) {
      const entry = codeSets.carc.lookup(code);
      expect({ code, described: (entry?.description.length ?? 0) > 3 }).toEqual({ code, described: true });
    }
    expect(codeSets.carc.size).toBeGreaterThanOrEqual(150);
  });

  it('routes in DESIGN.md’s order', () => {
    // Group PR is the patient's, whatever the CARC.
    expect(codeSets.categoryOf('1', [], 'PR')).toEqual({ category: 'patient-responsibility' });
    expect(codeSets.categoryOf('204', [], 'PR')).toEqual({ category: 'patient-responsibility' });
    // Contractual CARCs make no work item.
    expect(codeSets.categoryOf('45', [], 'CO')).toEqual({ category: 'contractual' });
    expect(codeSets.categoryOf('253', [], 'CO')).toEqual({ category: 'contractual' });
    // The prior payer's adjudication is information.
    expect(codeSets.categoryOf('23', [], 'OA')).toEqual({ category: 'informational' });
    // "See remark" CARCs take the RARC's category; alerts do not count.
    expect(codeSets.categoryOf('16', ['N382'], 'CO')).toEqual({ category: 'billing', queue: 'billing', refinedBy: 'N382' });
    expect(codeSets.categoryOf('16', ['N1', 'M76'], 'CO')).toEqual({ category: 'coding', queue: 'coding', refinedBy: 'M76' });
    expect(codeSets.categoryOf('16', [], 'CO')).toEqual({ category: 'billing', queue: 'billing' });
    expect(codeSets.categoryOf('16', ['XX999'], 'CO')).toEqual({ category: 'billing', queue: 'billing' });
    // A RARC does not override a CARC that carries its own reason.
    expect(codeSets.categoryOf('50', ['N382'], 'CO')).toEqual({ category: 'clinical', queue: 'clinical' });
    expect(codeSets.categoryOf('29', [], 'CO')).toEqual({ category: 'billing', queue: 'billing' });
    expect(codeSets.categoryOf('97', [], 'CO')).toEqual({ category: 'coding', queue: 'coding' });
    expect(codeSets.categoryOf('18', [], 'OA')).toEqual({ category: 'billing', queue: 'billing' });
    // Unknown CARCs go to billing, flagged.
    expect(codeSets.categoryOf('999', [], 'CO')).toEqual({ category: 'billing', queue: 'billing', unknown: true });
  });
});

describe('format checks for licensed code sets', () => {
  it('checks shapes only', () => {
    expect([isCptFormat('99213'), isCptFormat('0001U'), isCptFormat('1234F'), isCptFormat('9921'), isCptFormat('A0021')]).toEqual([true, true, true, false, false]);
    expect([isCdtFormat('D0120'), isCdtFormat('D012'), isCdtFormat('0120')]).toEqual([true, false, false]);
    expect([isRevenueCodeFormat('0450'), isRevenueCodeFormat('450'), isRevenueCodeFormat('04500')]).toEqual([true, false, false]);
    expect([isTypeOfBillFormat('111'), isTypeOfBillFormat('0131'), isTypeOfBillFormat('011'), isTypeOfBillFormat('1111')]).toEqual([true, true, false, false]);
    expect([isCptModifierFormat('25'), isCptModifierFormat('LT')]).toEqual([true, false]);
    expect([isHcpcsLevel2Format('G0008'), isHcpcsLevel2Format('D0120'), isHcpcsLevel2Format('W1234')]).toEqual([true, false, false]);
    expect([isIcd10CmFormat('E11.9'), isIcd10CmFormat('S23420A'), isIcd10CmFormat('E1'), isIcd10CmFormat('11.9')]).toEqual([true, true, false, false]);
  });
});

describe('compact ICD-10-CM format', () => {
  it('round-trips, and the block index answers as the full decode does', () => {
    const table = {
      fiscalYears: [2024, 2025],
      states: new Map([
        ['A00', packYearStates([Icd10CmYearState.header, Icd10CmYearState.header])],
        ['A000', packYearStates([Icd10CmYearState.billable, Icd10CmYearState.billable])],
        ['A01', packYearStates([Icd10CmYearState.absent, Icd10CmYearState.billable])],
        ['B99', packYearStates([Icd10CmYearState.billable, Icd10CmYearState.absent])],
        ['B9912345', packYearStates([Icd10CmYearState.billable, Icd10CmYearState.billable])],
      ]),
    };
    const text = encodeIcd10Cm(table);
    expect(decodeIcd10Cm(text, 'test')).toEqual(table);
    const index = new Icd10CmBlockIndex(text, 'test');
    for (const [code, packed] of table.states) expect(index.get(code)).toBe(packed);
    expect(index.get('A0')).toBeUndefined();
    expect(index.get('C00')).toBeUndefined();
  });

  it('the block index agrees with the full decode on every code of the project data', async () => {
    const data = await readCodeSetData(defaultCodeSetDataDirectory);
    const text = gunzipSync(readFileSync(join(defaultCodeSetDataDirectory, data.manifest.icd10cm.file))).toString('utf8');
    const index = new Icd10CmBlockIndex(text, data.manifest.icd10cm.file);
    let differences = 0;
    for (const [code, packed] of data.icd10cm.states) if (index.get(code) !== packed) differences++;
    expect(differences).toBe(0);
  });
});

/** A CLI context that records what a command prints. */
function recordingContext(): CliContext & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    stdin: (async function* () {})(),
    env: {},
  };
}

describe('claimpath codesets', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'codesets-cli-'));
    cpSync(defaultCodeSetDataDirectory, join(work, 'data'), { recursive: true });
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('info prints versions and coverage', async () => {
    const context = recordingContext();
    expect(await main(['codesets', 'info', '--data', join(work, 'data')], context)).toBe(0);
    const text = context.out.join('');
    expect(text).toMatch(/ICD-10-CM: FY2024\.\.FY2027, covers 2023-10-01\.\.2027-09-30/);
    expect(text).toMatch(/HCPCS Level II: 2026-01, covers 2014-07-01\.\.2026-06-30/);
  });

  it('import merges a newer fiscal year and a newer HCPCS release, and prints what changed', async () => {
    // Prepare: an FY2028 order file (official layout) and an April 2026 HCPCS CSV, both tiny.
    const source = join(work, 'cms');
    mkdirSync(source);
    const orderLine = (order: number, code: string, billable: boolean) =>
      `${String(order).padStart(5, '0')} ${code.padEnd(7)} ${billable ? '1' : '0'} ${'Description'.padEnd(60)} Long description`;
    writeFileSync(join(source, 'icd10cm_order_2028.txt'), [orderLine(1, 'E11', false), orderLine(2, 'E119', true), orderLine(3, 'Z9999', true)].join('\r\n') + '\r\n');
    writeFileSync(
      join(source, 'hcpcs_level2_2026_apr.csv'),
      'code,short_description,long_description,add_date,action_effective_date,termination_date,action_code\n' +
        'A4295,"Straight tip, cath",long,20260101,20260101,20260331,D\nG9999,New code,long,20260401,20260401,,A\n',
    );
    writeFileSync(join(source, 'README.txt'), 'not a code set');
    const context = recordingContext();

    // Act
    const exit = await main(['codesets', 'import', source, '--data', join(work, 'data')], context);

    // Assess: printed changes, then the data as loaded.
    expect(exit).toBe(0);
    const text = context.out.join('');
    expect(text).toMatch(/coverage 2023-10-01\.\.2027-09-30 → 2023-10-01\.\.2028-09-30/);
    expect(text).toMatch(/FY2028 added \(official\): 2 billable, 1 header; vs FY2027:/);
    expect(text).toMatch(/HCPCS codes: release 2026-01 → 2026-04, 2 codes/);
    expect(text).toMatch(/README\.txt/);
    const imported = await loadCodeSets({ dataDirectory: join(work, 'data') });
    expect(imported.icd10cm.fiscalYears).toEqual([2024, 2025, 2026, 2027, 2028]);
    expect(imported.icd10cm.lookup('E11.9', '2027-10-01')).toEqual({ status: 'billable', fiscalYear: 2028, outOfRange: false });
    expect(imported.icd10cm.lookup('I10', '2027-10-01').status).toBe('not-in-effect');
    expect(imported.icd10cm.lookup('I10', '2026-10-01').status).toBe('billable');
    expect(imported.hcpcs.release).toBe('2026-04');
    expect(imported.hcpcs.coverage.to).toBe('2026-09-30');
    expect(imported.hcpcs.lookup('A4295', '2026-04-01').status).toBe('terminated');
    expect(imported.hcpcs.lookup('G9999', '2026-04-01').status).toBe('active');
    expect(imported.hcpcsModifiers.release).toBe('2026-01');
    expect(readFileSync(join(work, 'data', 'SOURCES.md'), 'utf8')).toMatch(/icd10cm_order_2028\.txt/);
  });

  it('import --dry-run writes nothing; a folder with nothing importable exits 1', async () => {
    const source = join(work, 'cms');
    mkdirSync(source);
    writeFileSync(join(source, 'notes.txt'), 'nothing here');
    const before = readdirSync(join(work, 'data')).map((file) => readFileSync(join(work, 'data', file), 'latin1'));
    const nothing = recordingContext();
    expect(await main(['codesets', 'import', source, '--data', join(work, 'data')], nothing)).toBe(1);
    expect(nothing.err.join('')).toMatch(/nothing changed/);

    writeFileSync(join(source, 'icd10cm_order_2028.txt'), '00001 E119    1 Type 2 diabetes\n');
    const dryRun = recordingContext();
    expect(await main(['codesets', 'import', source, '--data', join(work, 'data'), '--dry-run', '--json'], dryRun)).toBe(0);
    const result = JSON.parse(dryRun.out.join('')) as { written: boolean; changes: { icd10cm: { years: { fiscalYear: number; change: string }[] } } };
    expect(result.written).toBe(false);
    expect(result.changes.icd10cm.years.at(-1)).toMatchObject({ fiscalYear: 2028, change: 'added' });
    const after = readdirSync(join(work, 'data')).map((file) => readFileSync(join(work, 'data', file), 'latin1'));
    expect(after).toEqual(before);
  });

  it('an unreadable official file is reported with its name and line, and changes nothing', async () => {
    const source = join(work, 'cms');
    mkdirSync(source);
    writeFileSync(join(source, 'icd10cm_order_2028.txt'), '00001 E119    1 Type 2 diabetes\nthis is not a record\n');
    const context = recordingContext();
    expect(await main(['codesets', 'import', source, '--data', join(work, 'data')], context)).toBe(1);
    expect(context.err.join('')).toMatch(/icd10cm_order_2028\.txt line 2/);
    expect((await readManifest(join(work, 'data'))).icd10cm.fiscalYears).toHaveLength(4);
  });

  it('usage errors exit 2', async () => {
    expect(await main(['codesets'], recordingContext())).toBe(2);
    expect(await main(['codesets', 'import'], recordingContext())).toBe(2);
    expect(await main(['codesets', 'import', join(work, 'missing')], recordingContext())).toBe(2);
    expect(await main(['codesets', 'frobnicate'], recordingContext())).toBe(2);
  });
});

describe('the committed data', () => {
  const haveSources = existsSync(join(sharedCodesets, 'SOURCES.md'));
  (haveSources ? it : it.skip)('is what scripts/build-codesets.ts builds from ../shared/codesets', async () => {
    const built = await buildCodeSets({ sourceDirectory: sharedCodesets, builtBy: 'test' });
    const committed = await readManifest(defaultCodeSetDataDirectory);
    expect(built.data.manifest.icd10cm.sha256).toBe(committed.icd10cm.sha256);
    expect(built.data.manifest.hcpcs.sha256).toBe(committed.hcpcs.sha256);
    expect(built.data.manifest.hcpcsModifiers.sha256).toBe(committed.hcpcsModifiers.sha256);
    expect(built.data.manifest.icd10cm.fiscalYears.map((year) => [year.fiscalYear, year.billable, year.header])).toEqual([
      [2024, 74044, 23252],
      [2025, 74260, 23324],
      [2026, 74719, 23467],
      [2027, 74879, 23524],
    ]);
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}
