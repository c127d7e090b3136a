/**
 * The official release files the code sets are built from, as CMS and NCHS publish them (see
 * `../shared/codesets/SOURCES.md`), recognised by name in a folder and parsed:
 *
 * - ICD-10-CM tabular order file, `icd10cm_order_<FY>.txt` (or `icd10cm-order-<FY>.txt`, as on the
 *   CDC site), optionally gzipped: fixed columns, code in 7–13 (no dot), 15 = `1` billable / `0` header.
 * - A derived ICD-10-CM list, `icd10cm_fy<FY>_DERIVED_codes.csv[.gz]` (`code,billable,…`), used for a
 *   fiscal year whose official file is not to be had yet; the official file wins when both are given.
 * - HCPCS Level II, the CMS alpha-numeric file `HCPC<YYYY>_<MON>_ANWEB….txt[.gz]` (fixed width, 320
 *   columns: record id 11 = 3 procedure / 7 modifier, code 1–5, modifier 4–5, short description
 *   92–119, added 269–276, terminated 285–292), or the CSVs `hcpcs_level2_<YYYY>_<mon>.csv` and
 *   `hcpcs_level2_modifiers_<YYYY>_<mon>.csv` (`code|modifier,short_description,…,add_date,…,
 *   termination_date,…`). The fixed-width file wins over the CSVs of the same release.
 *
 * Licensed content never enters the data: D-codes (CDT) and numeric codes (CPT) are dropped should
 * a file carry them, and so are numeric (CPT) modifiers.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { HcpcsRecord } from './compact-format.ts';
import { sha256, type SourceFile } from './data-files.ts';
import { CodeSetSourceError } from './errors.ts';

/** The quarter months of HCPCS releases, by the three-letter names CMS files use. */
const RELEASE_MONTHS: Readonly<Record<string, string>> = { jan: '01', apr: '04', jul: '07', oct: '10' };

const ICD10CM_ORDER_NAME = /^icd10cm[-_]order[-_](\d{4})\.txt(\.gz)?$/i;
const ICD10CM_DERIVED_NAME = /^icd10cm[-_]fy(\d{4})[-_]derived[-_]codes\.csv(\.gz)?$/i;
const HCPCS_FIXED_WIDTH_NAME = /^HCPC(\d{4})_(JAN|APR|JUL|OCT)_ANWEB.*\.txt(\.gz)?$/i;
const HCPCS_CSV_NAME = /^hcpcs_level2_(\d{4})_(jan|apr|jul|oct)\.csv(\.gz)?$/i;
const HCPCS_MODIFIERS_CSV_NAME = /^hcpcs_level2_modifiers_(\d{4})_(jan|apr|jul|oct)\.csv(\.gz)?$/i;

/** HCPCS Level II procedure codes: a letter A–V then four digits, less the D-codes (CDT, licensed). */
const HCPCS_LEVEL2_CODE = /^[A-CE-V]\d{4}$/;
/** HCPCS Level II modifiers are two characters with at least one letter; two digits are CPT's. */
const HCPCS_LEVEL2_MODIFIER = /^(?=.*[A-Z])[A-Z0-9]{2}$/;

/** The recognised official files of a folder. */
export interface DiscoveredSources {
  /** ICD-10-CM by fiscal year: the official order file when present, else the derived list. */
  icd10cm: Map<number, { path: string; official: boolean }>;
  /** HCPCS releases (`YYYY-MM`) with the files that carry each. */
  hcpcs: Map<string, { fixedWidth?: string; codesCsv?: string; modifiersCsv?: string }>;
  /** Files of the folder no pattern recognised (listed for the user, never an error). */
  ignored: string[];
}

/** List a folder's official files by name (not recursive). */
export async function discoverSources(directory: string): Promise<DiscoveredSources> {
  const names = (await readdir(directory, { withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
  const found: DiscoveredSources = { icd10cm: new Map(), hcpcs: new Map(), ignored: [] };
  const release = (year: string, month: string): string => `${year}-${RELEASE_MONTHS[month.toLowerCase()]}`;
  const hcpcsEntry = (key: string) => {
    let entry = found.hcpcs.get(key);
    if (!entry) found.hcpcs.set(key, (entry = {}));
    return entry;
  };
  for (const name of names) {
    const path = join(directory, name);
    let match: RegExpExecArray | null;
    if ((match = ICD10CM_ORDER_NAME.exec(name))) {
      found.icd10cm.set(Number(match[1]), { path, official: true });
    } else if ((match = ICD10CM_DERIVED_NAME.exec(name))) {
      const fiscalYear = Number(match[1]);
      if (!found.icd10cm.get(fiscalYear)?.official) found.icd10cm.set(fiscalYear, { path, official: false });
    } else if ((match = HCPCS_FIXED_WIDTH_NAME.exec(name))) {
      hcpcsEntry(release(match[1]!, match[2]!)).fixedWidth = path;
    } else if ((match = HCPCS_MODIFIERS_CSV_NAME.exec(name))) {
      hcpcsEntry(release(match[1]!, match[2]!)).modifiersCsv = path;
    } else if ((match = HCPCS_CSV_NAME.exec(name))) {
      hcpcsEntry(release(match[1]!, match[2]!)).codesCsv = path;
    } else {
      found.ignored.push(name);
    }
  }
  return found;
}

/** A source file's text and digests. */
export interface SourceText {
  text: string;
  source: SourceFile;
}

/** Read a source file, unzipping `.gz`; the digests go into the manifest and SOURCES.md. */
export async function readSourceText(path: string): Promise<SourceText> {
  const bytes = await readFile(path);
  const file = path.split(/[\\/]/).pop()!;
  const gzipped = file.toLowerCase().endsWith('.gz');
  const content = gzipped ? gunzipSync(bytes) : bytes;
  // The fixed-width CMS files are single-byte text whose columns must not shift; the CSVs are UTF-8.
  const encoding = /\.csv(\.gz)?$/i.test(file) ? 'utf8' : 'latin1';
  const source: SourceFile = gzipped ? { file, sha256: sha256(bytes), contentSha256: sha256(content) } : { file, sha256: sha256(bytes) };
  return { text: content.toString(encoding), source };
}

/** ICD-10-CM codes of one fiscal year: code (no dot) → billable. */
export type Icd10CmYearCodes = Map<string, boolean>;

/** Parse an ICD-10-CM tabular order file. */
export function parseIcd10CmOrderFile(text: string, file: string): Icd10CmYearCodes {
  const codes: Icd10CmYearCodes = new Map();
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '') continue;
    const code = line.slice(6, 13).trim();
    const flag = line[14];
    if (!/^\d{5} $/.test(line.slice(0, 6)) || !isIcd10CmCode(code) || (flag !== '0' && flag !== '1')) {
      throw new CodeSetSourceError('not an ICD-10-CM order-file record (order, code, 0/1 flag)', file, index + 1);
    }
    if (codes.has(code)) throw new CodeSetSourceError('a code appears twice', file, index + 1);
    codes.set(code, flag === '1');
  }
  if (codes.size === 0) throw new CodeSetSourceError('no codes', file);
  return codes;
}

/** Parse a derived ICD-10-CM list: CSV with `code` and `billable` (0/1) columns. */
export function parseIcd10CmCodesCsv(text: string, file: string): Icd10CmYearCodes {
  const codes: Icd10CmYearCodes = new Map();
  const rows = parseCsv(text);
  const header = rows.next().value;
  const codeColumn = header?.indexOf('code') ?? -1;
  const billableColumn = header?.indexOf('billable') ?? -1;
  if (codeColumn < 0 || billableColumn < 0) throw new CodeSetSourceError('needs code and billable columns', file, 1);
  let lineNumber = 1;
  for (const row of rows) {
    lineNumber++;
    const code = row[codeColumn]?.trim().replace('.', '').toUpperCase() ?? '';
    const billable = row[billableColumn]?.trim();
    if (!isIcd10CmCode(code) || (billable !== '0' && billable !== '1')) {
      throw new CodeSetSourceError('not a code with a 0/1 billable flag', file, lineNumber);
    }
    if (codes.has(code)) throw new CodeSetSourceError('a code appears twice', file, lineNumber);
    codes.set(code, billable === '1');
  }
  if (codes.size === 0) throw new CodeSetSourceError('no codes', file);
  return codes;
}

/** HCPCS codes and modifiers of one release, with what was dropped as licensed or malformed. */
export interface HcpcsReleaseRecords {
  codes: Map<string, HcpcsRecord>;
  modifiers: Map<string, HcpcsRecord>;
  /** Records dropped: CPT/CDT codes or numeric modifiers (licensed), never expected in CMS files. */
  droppedLicensed: number;
}

/** Parse the CMS fixed-width alpha-numeric HCPCS file (procedure and modifier records). */
export function parseHcpcsFixedWidth(text: string, file: string): HcpcsReleaseRecords {
  const result: HcpcsReleaseRecords = { codes: new Map(), modifiers: new Map(), droppedLicensed: 0 };
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '') continue;
    const recordId = line[10];
    // 4 and 8 continue a long description, which we do not keep.
    if (recordId === '4' || recordId === '8') continue;
    if (recordId !== '3' && recordId !== '7') throw new CodeSetSourceError('unknown record identification code', file, index + 1);
    const added = line.slice(268, 276);
    const terminated = line.slice(284, 292).trim();
    if (!isCompactDate(added) || (terminated !== '' && !isCompactDate(terminated))) {
      throw new CodeSetSourceError('add or termination date is not YYYYMMDD', file, index + 1);
    }
    const record = hcpcsRecord(added, terminated, line.slice(91, 119));
    if (recordId === '3') {
      const code = line.slice(0, 5).trim();
      if (HCPCS_LEVEL2_CODE.test(code)) result.codes.set(code, record);
      else result.droppedLicensed++;
    } else {
      const modifier = line.slice(3, 5).trim();
      if (HCPCS_LEVEL2_MODIFIER.test(modifier)) result.modifiers.set(modifier, record);
      else result.droppedLicensed++;
    }
  }
  if (result.codes.size === 0) throw new CodeSetSourceError('no procedure records', file);
  return result;
}

/**
 * Parse a HCPCS CSV (codes or modifiers): the first column is the code, then `short_description`,
 * `add_date` and `termination_date` columns by name.
 */
export function parseHcpcsCsv(text: string, file: string, kind: 'codes' | 'modifiers'): { records: Map<string, HcpcsRecord>; droppedLicensed: number } {
  const rows = parseCsv(text);
  const header = rows.next().value ?? [];
  const column = (name: string): number => {
    const index = header.indexOf(name);
    if (index < 0) throw new CodeSetSourceError(`no ${name} column`, file, 1);
    return index;
  };
  const descriptionColumn = column('short_description');
  const addedColumn = column('add_date');
  const terminatedColumn = column('termination_date');
  const pattern = kind === 'codes' ? HCPCS_LEVEL2_CODE : HCPCS_LEVEL2_MODIFIER;
  const records = new Map<string, HcpcsRecord>();
  let droppedLicensed = 0;
  let lineNumber = 1;
  for (const row of rows) {
    lineNumber++;
    const code = row[0]?.trim().toUpperCase() ?? '';
    const added = row[addedColumn]?.trim() ?? '';
    const terminated = row[terminatedColumn]?.trim() ?? '';
    if (!isCompactDate(added) || (terminated !== '' && !isCompactDate(terminated))) {
      throw new CodeSetSourceError('add or termination date is not YYYYMMDD', file, lineNumber);
    }
    if (!pattern.test(code)) {
      droppedLicensed++;
      continue;
    }
    records.set(code, hcpcsRecord(added, terminated, row[descriptionColumn] ?? ''));
  }
  if (records.size === 0) throw new CodeSetSourceError('no records', file);
  return { records, droppedLicensed };
}

function hcpcsRecord(added: string, terminated: string, description: string): HcpcsRecord {
  const record: HcpcsRecord = { added: isoFromCompact(added), shortDescription: description.trim() };
  if (terminated !== '') record.terminated = isoFromCompact(terminated);
  return record;
}

function isoFromCompact(compact: string): string {
  return `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;
}

function isCompactDate(value: string): boolean {
  if (!/^\d{8}$/.test(value)) return false;
  const month = Number(value.slice(4, 6));
  const day = Number(value.slice(6, 8));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** An ICD-10-CM code without its dot: a letter, then two to six letters or digits (FY2026 brought `QA0…`). */
function isIcd10CmCode(code: string): boolean {
  return /^[A-Z][0-9A-Z]{2,6}$/.test(code);
}

/**
 * RFC 4180 rows: fields separated by commas, quoted fields may hold commas, line breaks and doubled
 * quotes. Yields each row's fields; a trailing empty line yields nothing.
 */
export function* parseCsv(text: string): Generator<string[], void, undefined> {
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let index = 0;
  const length = text.length;
  while (index < length) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index += 2;
          continue;
        }
        quoted = false;
      } else {
        field += char;
      }
      index++;
      continue;
    }
    if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      row.push(field);
      yield row;
      row = [];
      field = '';
    } else {
      field += char;
    }
    index++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    yield row;
  }
}
