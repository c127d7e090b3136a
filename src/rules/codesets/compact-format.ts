/**
 * The compact data files under `data/`, written by the build (`scripts/build-codesets.ts`,
 * `claimpath codesets import`) and read by `loadCodeSets()`. Text, gzipped, one code a line, so a
 * change of release shows as a readable diff once unzipped.
 *
 * `icd10cm.txt.gz` — first line `claimpath-icd10cm 1 <FY> <FY> …` (the fiscal years held, oldest
 * first); then the codes in sorted order, front-coded: one digit says how many leading characters
 * the code shares with the previous line's code, then the rest of the code, a space, and one
 * character per fiscal year: `b` billable, `h` header (not billable), `-` not in that year.
 * `3119 bbbb` after `E11` is `E119`. Front coding takes the 1.2 MB plain list down to ≈25 KB gzipped.
 *
 * `hcpcs.txt.gz`, `hcpcs-modifiers.txt.gz` — first line `claimpath-hcpcs 1 <release YYYY-MM>`; then
 * `CODE<TAB>added YYYYMMDD<TAB>terminated YYYYMMDD or empty<TAB>CMS short description`.
 */
import { CodeSetDataError } from './errors.ts';

/** The state of an ICD-10-CM code in one fiscal year, as packed into two bits. */
export const Icd10CmYearState = { absent: 0, header: 1, billable: 2 } as const;
export type Icd10CmYearState = (typeof Icd10CmYearState)[keyof typeof Icd10CmYearState];

/** The letters of the ICD-10-CM file for each state (index = state). */
const YEAR_STATE_LETTERS = ['-', 'h', 'b'] as const;

const ICD10CM_MAGIC = 'claimpath-icd10cm';
const HCPCS_MAGIC = 'claimpath-hcpcs';
const FORMAT_VERSION = '1';

/** ICD-10-CM codes with a two-bit state per fiscal year (bits 2i..2i+1 for `fiscalYears[i]`). */
export interface Icd10CmTable {
  fiscalYears: number[];
  /** Code without its dot → packed year states. */
  states: Map<string, number>;
}

/** One HCPCS Level II code or modifier of a release. */
export interface HcpcsRecord {
  /** `YYYY-MM-DD`. */
  added: string;
  /** `YYYY-MM-DD`, the last day the code may be used; absent while the code is active. */
  terminated?: string;
  shortDescription: string;
}

export interface HcpcsTable {
  /** `YYYY-MM`: the first month of the release's quarter. */
  release: string;
  records: Map<string, HcpcsRecord>;
}

/** The state of `code` in the fiscal year at `yearIndex` of the table's years. */
export function yearStateOf(packed: number, yearIndex: number): Icd10CmYearState {
  return ((packed >> (2 * yearIndex)) & 3) as Icd10CmYearState;
}

/** Pack one state per fiscal year (in the table's year order). */
export function packYearStates(states: readonly Icd10CmYearState[]): number {
  let packed = 0;
  for (let index = 0; index < states.length; index++) packed |= states[index]! << (2 * index);
  return packed;
}

/** Two bits a year in a 32-bit integer: the table can hold sixteen fiscal years. */
export const MAX_FISCAL_YEARS = 16;

/** Write the ICD-10-CM table in the front-coded text format (not yet gzipped). */
export function encodeIcd10Cm(table: Icd10CmTable): string {
  if (table.fiscalYears.length > MAX_FISCAL_YEARS) {
    throw new RangeError(`at most ${MAX_FISCAL_YEARS} fiscal years fit the packed format`);
  }
  const lines = [[ICD10CM_MAGIC, FORMAT_VERSION, ...table.fiscalYears].join(' ')];
  const codes = [...table.states.keys()].sort();
  let previous = '';
  for (const code of codes) {
    const shared = sharedPrefixLength(previous, code);
    const packed = table.states.get(code)!;
    let letters = '';
    for (let index = 0; index < table.fiscalYears.length; index++) letters += YEAR_STATE_LETTERS[yearStateOf(packed, index)];
    lines.push(`${shared}${code.slice(shared)} ${letters}`);
    previous = code;
  }
  return lines.join('\n') + '\n';
}

/** Read the front-coded ICD-10-CM text; `file` names it in errors. */
export function decodeIcd10Cm(text: string, file: string): Icd10CmTable {
  const lines = text.split('\n');
  const header = lines[0]!.split(' ');
  if (header[0] !== ICD10CM_MAGIC || header[1] !== FORMAT_VERSION) {
    throw new CodeSetDataError('not a claimpath ICD-10-CM data file (format 1)', file);
  }
  const fiscalYears = header.slice(2).map(Number);
  if (fiscalYears.length === 0 || fiscalYears.some((year) => !Number.isInteger(year))) {
    throw new CodeSetDataError('the header names no fiscal years', file);
  }
  const yearCount = fiscalYears.length;
  const states = new Map<string, number>();
  let previous = '';
  for (let lineIndex = 1; lineIndex < lines.length; lineIndex++) {
    const line = lines[lineIndex]!;
    if (line === '') continue;
    const space = line.length - yearCount - 1;
    const shared = line.charCodeAt(0) - 48;
    if (space < 1 || line.charCodeAt(space) !== 32 || shared < 0 || shared > 9 || shared > previous.length) {
      throw new CodeSetDataError(`line ${lineIndex + 1} is not <shared><rest> <states>`, file);
    }
    const code = previous.slice(0, shared) + line.slice(1, space);
    let packed = 0;
    for (let index = 0; index < yearCount; index++) {
      const letter = line.charCodeAt(space + 1 + index);
      // 'b' = 98, 'h' = 104, '-' = 45: a switch on char codes avoids a string per line.
      const state = letter === 98 ? 2 : letter === 104 ? 1 : letter === 45 ? 0 : -1;
      if (state < 0) throw new CodeSetDataError(`line ${lineIndex + 1} has a state other than b, h or -`, file);
      packed |= state << (2 * index);
    }
    states.set(code, packed);
    previous = code;
  }
  return { fiscalYears, states };
}

/** Write a HCPCS table in its text format (not yet gzipped). */
export function encodeHcpcs(table: HcpcsTable): string {
  const lines = [`${HCPCS_MAGIC} ${FORMAT_VERSION} ${table.release}`];
  for (const code of [...table.records.keys()].sort()) {
    const record = table.records.get(code)!;
    const description = record.shortDescription.replace(/[\t\r\n]+/g, ' ');
    lines.push([code, compactDate(record.added), record.terminated ? compactDate(record.terminated) : '', description].join('\t'));
  }
  return lines.join('\n') + '\n';
}

/** Read a HCPCS table's text; `file` names it in errors. */
export function decodeHcpcs(text: string, file: string): HcpcsTable {
  const lines = text.split('\n');
  const header = lines[0]!.split(' ');
  if (header[0] !== HCPCS_MAGIC || header[1] !== FORMAT_VERSION || !/^\d{4}-\d{2}$/.test(header[2] ?? '')) {
    throw new CodeSetDataError('not a claimpath HCPCS data file (format 1)', file);
  }
  const records = new Map<string, HcpcsRecord>();
  for (let lineIndex = 1; lineIndex < lines.length; lineIndex++) {
    const line = lines[lineIndex]!;
    if (line === '') continue;
    const [code, added, terminated, shortDescription] = line.split('\t');
    if (!code || !added || !/^\d{8}$/.test(added) || terminated === undefined || shortDescription === undefined) {
      throw new CodeSetDataError(`line ${lineIndex + 1} is not CODE, added, terminated, description`, file);
    }
    const record: HcpcsRecord = { added: isoDate(added), shortDescription };
    if (terminated !== '') record.terminated = isoDate(terminated);
    records.set(code, record);
  }
  return { release: header[2]!, records };
}

function sharedPrefixLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length, 9);
  let length = 0;
  while (length < limit && a.charCodeAt(length) === b.charCodeAt(length)) length++;
  return length;
}

/** `20260101` → `2026-01-01`. */
export function isoDate(compact: string): string {
  return `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;
}

/** `2026-01-01` → `20260101`. */
export function compactDate(iso: string): string {
  return iso.replaceAll('-', '');
}

/**
 * ICD-10-CM look-ups straight from the front-coded text, decoding it block by block on first use,
 * a block being the codes that share their first two characters (`E1…`, `S7…`): building a map of
 * all ≈98,000 codes at load takes 40–60 ms, this index ≈5 ms, and a block ≈1 ms when first asked.
 * A line whose shared-prefix digit is 0 or 1 starts a block; any other line continues one.
 */
export class Icd10CmBlockIndex {
  readonly fiscalYears: number[];
  /** Block key → its line range in the text until decoded, then its codes. */
  private readonly blocks = new Map<string, { start: number; end: number; letter: string } | Map<string, number>>();

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    const headerEnd = text.indexOf('\n');
    const header = text.slice(0, headerEnd < 0 ? text.length : headerEnd).split(' ');
    if (header[0] !== ICD10CM_MAGIC || header[1] !== FORMAT_VERSION || header.length < 3) {
      throw new CodeSetDataError('not a claimpath ICD-10-CM data file (format 1)', file);
    }
    this.fiscalYears = header.slice(2).map(Number);
    const lineStartingWith = (digit: string, from: number): number => {
      if (from >= text.length) return -1;
      const found = text.indexOf('\n' + digit, from - 1);
      return found < 0 ? -1 : found + 1;
    };
    let letter = '';
    let previousKey: string | undefined;
    let previousStart = 0;
    let previousLetter = '';
    let nextZero = lineStartingWith('0', headerEnd + 1);
    let nextOne = lineStartingWith('1', headerEnd + 1);
    while (nextZero >= 0 || nextOne >= 0) {
      const isZero = nextOne < 0 || (nextZero >= 0 && nextZero < nextOne);
      const start = isZero ? nextZero : nextOne;
      if (isZero) letter = text[start + 1]!;
      const key = isZero ? text.slice(start + 1, start + 3) : letter + text[start + 1];
      if (previousKey !== undefined) this.blocks.set(previousKey, { start: previousStart, end: start, letter: previousLetter });
      previousKey = key;
      previousStart = start;
      previousLetter = letter;
      if (isZero) nextZero = lineStartingWith('0', start + 1);
      else nextOne = lineStartingWith('1', start + 1);
    }
    if (previousKey !== undefined) this.blocks.set(previousKey, { start: previousStart, end: text.length, letter: previousLetter });
  }

  /** The packed year states of a normalized code (no dot, upper case), or undefined. */
  get(code: string): number | undefined {
    const key = code.slice(0, 2);
    let block = this.blocks.get(key);
    if (block === undefined) return undefined;
    if (!(block instanceof Map)) {
      block = this.decodeBlock(block.start, block.end, block.letter);
      this.blocks.set(key, block);
    }
    return block.get(code);
  }

  private decodeBlock(start: number, end: number, letter: string): Map<string, number> {
    const { text } = this;
    const yearCount = this.fiscalYears.length;
    const codes = new Map<string, number>();
    let previous = letter;
    let position = start;
    while (position < end) {
      let lineEnd = text.indexOf('\n', position);
      if (lineEnd < 0 || lineEnd > end) lineEnd = end;
      if (lineEnd === position) {
        position++;
        continue;
      }
      const space = lineEnd - yearCount - 1;
      const shared = text.charCodeAt(position) - 48;
      if (space <= position || text.charCodeAt(space) !== 32 || shared < 0 || shared > previous.length) {
        throw new CodeSetDataError(`a line at offset ${position} is not <shared><rest> <states>`, this.file);
      }
      const code = previous.slice(0, shared) + text.slice(position + 1, space);
      let packed = 0;
      for (let index = 0; index < yearCount; index++) {
        const letterCode = text.charCodeAt(space + 1 + index);
        packed |= (letterCode === 98 ? 2 : letterCode === 104 ? 1 : 0) << (2 * index);
      }
      codes.set(code, packed);
      previous = code;
      position = lineEnd + 1;
    }
    return codes;
  }
}

/**
 * HCPCS look-ups straight from the text: the index maps each code to its line, and a record is read
 * from its line when asked, so that loading costs one pass over ≈8,600 short lines.
 */
export class HcpcsLineIndex {
  readonly release: string;
  private readonly lineOf = new Map<string, number>();

  constructor(
    private readonly text: string,
    file: string,
  ) {
    const headerEnd = text.indexOf('\n');
    const header = text.slice(0, headerEnd < 0 ? text.length : headerEnd).split(' ');
    if (header[0] !== HCPCS_MAGIC || header[1] !== FORMAT_VERSION || !/^\d{4}-\d{2}$/.test(header[2] ?? '')) {
      throw new CodeSetDataError('not a claimpath HCPCS data file (format 1)', file);
    }
    this.release = header[2]!;
    let position = headerEnd + 1;
    while (position > 0 && position < text.length) {
      const tab = text.indexOf('\t', position);
      const lineEnd = text.indexOf('\n', position);
      if (tab < 0 || (lineEnd >= 0 && tab > lineEnd)) throw new CodeSetDataError(`a line at offset ${position} has no fields`, file);
      this.lineOf.set(text.slice(position, tab), tab + 1);
      position = lineEnd + 1;
    }
  }

  get size(): number {
    return this.lineOf.size;
  }

  /** The record of a code (upper case), or undefined. */
  get(code: string): HcpcsRecord | undefined {
    const fields = this.lineOf.get(code);
    if (fields === undefined) return undefined;
    const { text } = this;
    // Fields after the code: added (8 digits), tab, terminated (8 digits or empty), tab, description.
    const added = text.slice(fields, fields + 8);
    const hasTermination = text.charCodeAt(fields + 9) !== 9;
    const descriptionStart = hasTermination ? fields + 18 : fields + 10;
    let lineEnd = text.indexOf('\n', descriptionStart);
    if (lineEnd < 0) lineEnd = text.length;
    const record: HcpcsRecord = { added: isoDate(added), shortDescription: text.slice(descriptionStart, lineEnd) };
    if (hasTermination) record.terminated = isoDate(text.slice(fields + 9, fields + 17));
    return record;
  }
}
