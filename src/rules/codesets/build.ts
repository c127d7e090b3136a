/**
 * Build the compact code-set data from official CMS/NCHS files: used by `scripts/build-codesets.ts`
 * (a full build from `../shared/codesets/`) and by `claimpath codesets import DIR` (newer files merged
 * into the data already there: the fiscal years and HCPCS release found in DIR replace or join those
 * held; the others are kept).
 *
 * Kept: ICD-10-CM codes with billable/header per fiscal year; HCPCS Level II codes and modifiers with
 * add date, termination date and the CMS short description (public domain, ≤ 28 characters).
 * Dropped: long descriptions, pricing and coverage columns, and anything licensed (CPT, CDT).
 */
import type { IsoDate } from '../../../schemas/common.schema.ts';
import { Icd10CmYearState, packYearStates, yearStateOf, type HcpcsRecord, type HcpcsTable, type Icd10CmTable } from './compact-format.ts';
import {
  encodeCodeSetData,
  HCPCS_FILE,
  HCPCS_MODIFIERS_FILE,
  ICD10CM_FILE,
  sha256,
  writeCodeSetData,
  type CodeSetData,
  type CodeSetManifest,
  type EncodedCodeSetData,
  type HcpcsManifest,
  type Icd10CmYearManifest,
  type SourceFile,
} from './data-files.ts';
import { CodeSetSourceError } from './errors.ts';
import {
  discoverSources,
  parseHcpcsCsv,
  parseHcpcsFixedWidth,
  parseIcd10CmCodesCsv,
  parseIcd10CmOrderFile,
  readSourceText,
  type Icd10CmYearCodes,
} from './sources.ts';
import type { Coverage } from './types.ts';

export interface BuildCodeSetsOptions {
  /** The folder of official files. */
  sourceDirectory: string;
  /** Data to merge into (an import); without it every code set must be found in the sources. */
  base?: CodeSetData;
  /** Who built it, recorded in the manifest (`scripts/build-codesets.ts`, `claimpath codesets import`). */
  builtBy: string;
  /** The build time recorded (tests pass a fixed one). */
  now?: Date;
}

export interface BuildCodeSetsResult {
  data: CodeSetData;
  encoded: EncodedCodeSetData;
  sourcesMarkdown: string;
  /** Things the user should read (also written to SOURCES.md): a derived year, an older release kept, CSV/TXT checks. */
  notes: string[];
  /** Files of the source folder whose names no official format matches (the user may have misnamed one). */
  ignoredFiles: string[];
  /** True when the sources brought nothing new (every set kept from the base). */
  nothingImported: boolean;
}

/** One fiscal year of ICD-10-CM while building. */
interface YearCodes {
  codes: Icd10CmYearCodes;
  manifest: Icd10CmYearManifest;
}

/** One HCPCS table (codes or modifiers) while building, with its manifest fields. */
interface HcpcsBuilt {
  table: HcpcsTable;
  source: SourceFile;
}

/**
 * Read the official files of `sourceDirectory` and build the data (not written: see
 * {@link writeBuiltCodeSets}).
 *
 * @example
 * const built = await buildCodeSets({ sourceDirectory: '../shared/codesets', builtBy: 'scripts/build-codesets.ts' });
 * await writeBuiltCodeSets('src/rules/codesets/data', built);
 */
export async function buildCodeSets(options: BuildCodeSetsOptions): Promise<BuildCodeSetsResult> {
  const { sourceDirectory, base } = options;
  const discovered = await discoverSources(sourceDirectory);
  const notes: string[] = [];
  let imported = 0;

  // ICD-10-CM: the base's years, then each year found in the sources replaces or joins them.
  const years = base ? yearsOf(base) : new Map<number, YearCodes>();
  for (const [fiscalYear, found] of [...discovered.icd10cm].sort(([a], [b]) => a - b)) {
    const { text, source } = await readSourceText(found.path);
    const codes = found.official ? parseIcd10CmOrderFile(text, source.file) : parseIcd10CmCodesCsv(text, source.file);
    const billable = [...codes.values()].filter(Boolean).length;
    years.set(fiscalYear, { codes, manifest: { fiscalYear, official: found.official, source, billable, header: codes.size - billable } });
    if (!found.official) notes.push(`ICD-10-CM FY${fiscalYear} is DERIVED (${source.file}), not an official CMS file: replace it when the official order file is out`);
    imported++;
  }
  if (years.size === 0) throw new CodeSetSourceError('no ICD-10-CM order file (icd10cm_order_<FY>.txt[.gz])', sourceDirectory);
  const fiscalYears = [...years.keys()].sort((a, b) => a - b);
  for (let index = 1; index < fiscalYears.length; index++) {
    if (fiscalYears[index] !== fiscalYears[index - 1]! + 1) {
      throw new CodeSetSourceError(`ICD-10-CM fiscal years must follow each other: FY${fiscalYears[index - 1]! + 1} is missing`, sourceDirectory);
    }
  }
  const icd10cm = packIcd10Cm(fiscalYears, years);

  // HCPCS: the newest release in the sources, unless the base holds a newer one.
  const newest = [...discovered.hcpcs].sort(([a], [b]) => b.localeCompare(a));
  let codes: HcpcsBuilt | undefined;
  let modifiers: HcpcsBuilt | undefined;
  for (const [release, files] of newest) {
    if (codes && modifiers) break;
    if (files.fixedWidth) {
      const { text, source } = await readSourceText(files.fixedWidth);
      const parsed = parseHcpcsFixedWidth(text, source.file);
      if (parsed.droppedLicensed > 0) notes.push(`${source.file}: ${parsed.droppedLicensed} CPT/CDT records dropped (licensed)`);
      codes ??= { table: { release, records: parsed.codes }, source };
      modifiers ??= { table: { release, records: parsed.modifiers }, source };
      notes.push(...(await crossCheckCsv(files.codesCsv, 'codes', parsed.codes)), ...(await crossCheckCsv(files.modifiersCsv, 'modifiers', parsed.modifiers)));
      continue;
    }
    if (!codes && files.codesCsv) {
      const { text, source } = await readSourceText(files.codesCsv);
      const parsed = parseHcpcsCsv(text, source.file, 'codes');
      if (parsed.droppedLicensed > 0) notes.push(`${source.file}: ${parsed.droppedLicensed} CPT/CDT rows dropped (licensed)`);
      codes = { table: { release, records: parsed.records }, source };
    }
    if (!modifiers && files.modifiersCsv) {
      const { text, source } = await readSourceText(files.modifiersCsv);
      const parsed = parseHcpcsCsv(text, source.file, 'modifiers');
      if (parsed.droppedLicensed > 0) notes.push(`${source.file}: ${parsed.droppedLicensed} numeric (CPT) modifiers dropped (licensed)`);
      modifiers = { table: { release, records: parsed.records }, source };
    }
  }
  const hcpcs = chooseRelease('HCPCS codes', codes, base && { table: base.hcpcs, source: base.manifest.hcpcs.source }, notes, sourceDirectory);
  const hcpcsModifiers = chooseRelease(
    'HCPCS modifiers',
    modifiers,
    base && { table: base.hcpcsModifiers, source: base.manifest.hcpcsModifiers.source },
    notes,
    sourceDirectory,
  );
  if (hcpcs.imported) imported++;
  if (hcpcsModifiers.imported) imported++;

  const encoded = encodeCodeSetData({ icd10cm, hcpcs: hcpcs.built.table, hcpcsModifiers: hcpcsModifiers.built.table });
  const manifest: CodeSetManifest = {
    format: 1,
    builtAt: (options.now ?? new Date()).toISOString(),
    builtBy: options.builtBy,
    icd10cm: {
      file: ICD10CM_FILE,
      sha256: sha256(encoded.icd10cm),
      codes: icd10cm.states.size,
      coverage: icd10CmCoverage(fiscalYears),
      fiscalYears: fiscalYears.map((year) => years.get(year)!.manifest),
    },
    hcpcs: hcpcsManifest(HCPCS_FILE, encoded.hcpcs, hcpcs.built),
    hcpcsModifiers: hcpcsManifest(HCPCS_MODIFIERS_FILE, encoded.hcpcsModifiers, hcpcsModifiers.built),
  };
  const data: CodeSetData = { manifest, icd10cm, hcpcs: hcpcs.built.table, hcpcsModifiers: hcpcsModifiers.built.table };
  return { data, encoded, sourcesMarkdown: renderSourcesMarkdown(manifest, notes), notes, ignoredFiles: discovered.ignored, nothingImported: imported === 0 };
}

/** Write a build into a data folder (the files, SOURCES.md, then the manifest). */
export async function writeBuiltCodeSets(directory: string, built: BuildCodeSetsResult): Promise<void> {
  await writeCodeSetData(directory, built.encoded, built.data.manifest, built.sourcesMarkdown);
}

/** The fiscal years of existing data, unpacked back to per-year code maps. */
function yearsOf(data: CodeSetData): Map<number, YearCodes> {
  const years = new Map<number, YearCodes>();
  data.icd10cm.fiscalYears.forEach((fiscalYear, index) => {
    const codes: Icd10CmYearCodes = new Map();
    for (const [code, packed] of data.icd10cm.states) {
      const state = yearStateOf(packed, index);
      if (state !== Icd10CmYearState.absent) codes.set(code, state === Icd10CmYearState.billable);
    }
    years.set(fiscalYear, { codes, manifest: data.manifest.icd10cm.fiscalYears[index]! });
  });
  return years;
}

function packIcd10Cm(fiscalYears: number[], years: Map<number, YearCodes>): Icd10CmTable {
  const allCodes = new Set<string>();
  for (const year of years.values()) for (const code of year.codes.keys()) allCodes.add(code);
  const states = new Map<string, number>();
  for (const code of allCodes) {
    const perYear = fiscalYears.map((fiscalYear): Icd10CmYearState => {
      const billable = years.get(fiscalYear)!.codes.get(code);
      if (billable === undefined) return Icd10CmYearState.absent;
      return billable ? Icd10CmYearState.billable : Icd10CmYearState.header;
    });
    states.set(code, packYearStates(perYear));
  }
  return { fiscalYears, states };
}

/** The sources' release unless the base holds a newer one. */
function chooseRelease(
  label: string,
  fromSources: HcpcsBuilt | undefined,
  fromBase: HcpcsBuilt | undefined,
  notes: string[],
  sourceDirectory: string,
): { built: HcpcsBuilt; imported: boolean } {
  if (fromSources && fromBase && fromSources.table.release < fromBase.table.release) {
    notes.push(`${label}: release ${fromSources.table.release} is older than the data's ${fromBase.table.release}; kept ${fromBase.table.release}`);
    return { built: fromBase, imported: false };
  }
  if (fromSources) return { built: fromSources, imported: true };
  if (fromBase) return { built: fromBase, imported: false };
  throw new CodeSetSourceError(`no ${label} file (HCPC<YYYY>_<MON>_ANWEB….txt or hcpcs_level2_…csv)`, sourceDirectory);
}

/** Compare the CSV of a release with its fixed-width file: they come from one CMS release and must agree. */
async function crossCheckCsv(path: string | undefined, kind: 'codes' | 'modifiers', fixedWidth: Map<string, HcpcsRecord>): Promise<string[]> {
  if (!path) return [];
  const { text, source } = await readSourceText(path);
  const { records } = parseHcpcsCsv(text, source.file, kind);
  let differences = 0;
  for (const [code, record] of records) {
    const other = fixedWidth.get(code);
    if (!other || other.added !== record.added || other.terminated !== record.terminated) differences++;
  }
  for (const code of fixedWidth.keys()) if (!records.has(code)) differences++;
  return differences === 0
    ? [`${source.file}: agrees with the fixed-width file (${records.size} ${kind})`]
    : [`${source.file}: ${differences} ${kind} differ from the fixed-width file, which was used`];
}

function hcpcsManifest(file: string, bytes: Buffer, built: HcpcsBuilt): HcpcsManifest {
  const releaseStart = `${built.table.release}-01`;
  let active = 0;
  for (const record of built.table.records.values()) if (!record.terminated || record.terminated >= releaseStart) active++;
  return {
    file,
    sha256: sha256(bytes),
    release: built.table.release,
    coverage: hcpcsCoverage(built.table),
    codes: built.table.records.size,
    activeAtRelease: active,
    source: built.source,
  };
}

/** FY2024..FY2027 → 2023-10-01..2027-09-30: a fiscal year starts on October 1 of the year before. */
export function icd10CmCoverage(fiscalYears: readonly number[]): Coverage {
  return { from: `${fiscalYears[0]! - 1}-10-01`, to: `${fiscalYears[fiscalYears.length - 1]!}-09-30` };
}

/**
 * The dates a HCPCS release answers for. From: the day after the oldest termination it still lists
 * (codes retired before that are no longer in the file, so an older date could call them unknown).
 * To: the end of the quarter after the release's, a quarter of grace for the next release to be
 * imported; later dates are out of range and get a warning.
 */
export function hcpcsCoverage(table: HcpcsTable): Coverage {
  let oldestTermination: string | undefined;
  for (const record of table.records.values()) {
    if (record.terminated && (!oldestTermination || record.terminated < oldestTermination)) oldestTermination = record.terminated;
  }
  const [year, month] = table.release.split('-').map(Number) as [number, number];
  const from = oldestTermination ? addDays(oldestTermination, 1) : `${table.release}-01`;
  // The quarter after the release's ends six months after the release month starts, less a day.
  const endMonthIndex = month - 1 + 6;
  const firstDayAfter = new Date(Date.UTC(year + Math.floor(endMonthIndex / 12), endMonthIndex % 12, 1));
  return { from, to: addDays(firstDayAfter.toISOString().slice(0, 10), -1) };
}

function addDays(date: IsoDate, days: number): IsoDate {
  const time = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(time).toISOString().slice(0, 10);
}

/** SOURCES.md of the data folder, from the manifest: what was built from what, and what was kept. */
export function renderSourcesMarkdown(manifest: CodeSetManifest, notes: readonly string[]): string {
  const source = (file: SourceFile): string =>
    `\`${file.file}\` sha256 ${file.sha256}` + (file.contentSha256 ? ` (uncompressed ${file.contentSha256})` : '');
  const hcpcsSection = (title: string, entry: HcpcsManifest): string[] => [
    `## ${title}`,
    '',
    `- release ${entry.release} (CMS alpha-numeric HCPCS file), public domain (CMS)`,
    `- source: ${source(entry.source)}`,
    `- ${entry.codes} codes, ${entry.activeAtRelease} active at the release; coverage ${entry.coverage.from}..${entry.coverage.to}`,
    `- data file \`${entry.file}\` sha256 ${entry.sha256}`,
    '',
  ];
  return [
    '# Code-set data: sources',
    '',
    `Generated by ${manifest.builtBy} on ${manifest.builtAt.slice(0, 10)}; do not edit by hand (rebuild with`,
    '`npx tsx scripts/build-codesets.ts` or `claimpath codesets import DIR`). The format of each file is',
    'described in `src/rules/codesets/compact-format.ts`; `manifest.json` holds the same facts for programs.',
    '',
    'Kept: ICD-10-CM codes with billable/header per fiscal year (no descriptions); HCPCS Level II codes and',
    'modifiers with add date, termination date (last valid day) and the CMS short description (public',
    'domain). Dropped: long descriptions, pricing and coverage columns. No CPT (AMA), CDT (ADA) or NUBC',
    'content is here: those code sets are licensed and ClaimPath checks their format only.',
    '',
    '## ICD-10-CM (NCHS/CMS), public domain',
    '',
    `- coverage ${manifest.icd10cm.coverage.from}..${manifest.icd10cm.coverage.to} (a fiscal year starts October 1); ${manifest.icd10cm.codes} distinct codes`,
    `- data file \`${manifest.icd10cm.file}\` sha256 ${manifest.icd10cm.sha256}`,
    '',
    '| FY | official | billable | header | source |',
    '|---|---|---|---|---|',
    ...manifest.icd10cm.fiscalYears.map(
      (year) => `| ${year.fiscalYear} | ${year.official ? 'yes' : 'no, DERIVED'} | ${year.billable} | ${year.header} | ${source(year.source)} |`,
    ),
    '',
    ...hcpcsSection('HCPCS Level II procedure codes', manifest.hcpcs),
    ...hcpcsSection('HCPCS Level II modifiers', manifest.hcpcsModifiers),
    '## Written by us',
    '',
    'Place of service (`place-of-service.ts`), CARC (`carc.ts`) and RARC (`rarc.ts`): short descriptions in',
    'our own words and a routing category for each, maintained by hand (see each file\'s header).',
    '',
    ...(notes.length > 0 ? ['## Notes from the build', '', ...notes.map((note) => `- ${note}`), ''] : []),
  ].join('\n');
}
