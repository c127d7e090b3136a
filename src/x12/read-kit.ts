/**
 * The reading kit every model reader shares (837, 835, 999, 277CA): driving the streaming engine
 * (tokenizer → {@link X12Validator} with its walker hooks) while keeping each set's envelope, and turning
 * X12 values (decimal amounts, CCYYMMDD dates) into model values with a finding, never an exception, when
 * they are not what they claim to be. Shared so that every reader agrees on these steps: cents are
 * computed from the decimal text, never by floating-point multiplication; a date must exist in the calendar.
 */
import type { EnvelopeRef, FieldSources, IsoDate, SourceRef } from '../../schemas/common.schema.ts';
import type { Finding } from '../../schemas/finding.schema.ts';
import type { TransactionSetReport, ValidationReport } from './report.ts';
import type { Segment } from './segment.ts';
import { chunksOf, Tokenizer, type TokenizerOptions, type TokenSink, type X12Source } from './tokenizer.ts';
import { X12Validator } from './validate.ts';
import type { WalkStep } from './walker.ts';
import { parseCents, parseD8, parseDatePeriod, parseDecimal } from './values.ts';

/**
 * What the value readers below need of a segment: a {@link Segment}, or an {@link ElementView} pointed
 * at one (which decodes each element once, on first use).
 */
export type SegmentElements = Pick<Segment, 'id' | 'ordinal' | 'offset' | 'delimiters' | 'element' | 'elementCount'>;

// ── The reading kit: values ─────────────────────────────────────────────────────────────────────

/**
 * Dollars as written in an X12 `R` element → integer cents, exactly (see {@link parseCents}), or
 * undefined for text that is not an amount.
 *
 * @example
 * toCents('-9.00') // -900
 * toCents('.5')    // 50
 */
export function toCents(text: string): number | undefined {
  const parsed = parseCents(text);
  return parsed.ok ? parsed.value : undefined;
}

/** A quantity or rate (`R`, `N0`) as a number, or undefined when the text is not one. */
export function toDecimal(text: string): number | undefined {
  const parsed = parseDecimal(text);
  return parsed.ok ? parsed.value : undefined;
}

/**
 * A `CCYYMMDD` date → ISO `YYYY-MM-DD`, or undefined when it is not a calendar date. `YYMMDD` (the ISA
 * and TA1 form) is read with the century 20.
 */
export function toIsoDate(text: string): IsoDate | undefined {
  const parsed = parseD8(text.length === 6 ? `20${text}` : text);
  return parsed.ok ? parsed.value : undefined;
}

/**
 * A date period as a DTP or DTM writes it (`D8`, `RD8`, `DT`; see {@link parseDatePeriod}), or undefined
 * when the format is unknown or a date is not a date.
 */
export function toDateRange(format: string, text: string): { from: IsoDate; to: IsoDate } | undefined {
  const parsed = parseDatePeriod(format, text);
  return parsed.ok ? { from: parsed.value.from, to: parsed.value.to } : undefined;
}

/** Where a value came from: the segment, its loop, and the element (and component). */
export function sourceOf(segment: SegmentElements, loop: string, element?: number, component?: number): SourceRef {
  // One object shape for every pointer (absent positions are left out, not undefined).
  if (element === undefined) return { ordinal: segment.ordinal, offset: segment.offset, loop, segment: segment.id };
  if (component === undefined) return { ordinal: segment.ordinal, offset: segment.offset, loop, segment: segment.id, element };
  return { ordinal: segment.ordinal, offset: segment.offset, loop, segment: segment.id, element, component };
}

/** Element n, or undefined when it is empty (X12 has no difference between absent and empty). */
export function optionalElement(segment: SegmentElements, n: number): string | undefined {
  const value = segment.element(n);
  return value === '' ? undefined : value;
}

/**
 * Reads values out of segments and records each problem as a reader finding (origin `reader`) with
 * its position. Messages name the element, never its value.
 */
export class ValueReader {
  constructor(private readonly report: (finding: Finding) => void) {}

  /** A required amount: cents, or undefined with a `READ_INVALID_AMOUNT` finding (empty counts as bad). */
  amount(segment: SegmentElements, loop: string, element: number, claimRef?: string, component?: number): number | undefined {
    const text = component === undefined ? segment.element(element) : componentOf(segment, element, component);
    const cents = toCents(text);
    if (cents === undefined) this.invalid('READ_INVALID_AMOUNT', 'an amount', segment, loop, element, claimRef, component);
    return cents;
  }

  /** An optional amount: absent → undefined with no finding; present and bad → finding. */
  optionalAmount(segment: SegmentElements, loop: string, element: number, claimRef?: string): number | undefined {
    if (segment.element(element) === '') return undefined;
    return this.amount(segment, loop, element, claimRef);
  }

  /** An optional quantity or rate. */
  quantity(segment: SegmentElements, loop: string, element: number, claimRef?: string): number | undefined {
    const text = segment.element(element);
    if (text === '') return undefined;
    const value = toDecimal(text);
    if (value === undefined) this.invalid('READ_INVALID_NUMBER', 'a number', segment, loop, element, claimRef);
    return value;
  }

  /** An optional CCYYMMDD date. */
  date(segment: SegmentElements, loop: string, element: number, claimRef?: string): IsoDate | undefined {
    const text = segment.element(element);
    if (text === '') return undefined;
    const date = toIsoDate(text);
    if (date === undefined) this.invalid('READ_INVALID_DATE', 'a calendar date', segment, loop, element, claimRef);
    return date;
  }

  /** A DTP-style date period (format qualifier in `formatElement`, value in the next element). */
  dateRange(segment: SegmentElements, loop: string, formatElement: number, claimRef?: string): { from: IsoDate; to: IsoDate } | undefined {
    const text = segment.element(formatElement + 1);
    if (text === '') return undefined;
    const range = toDateRange(segment.element(formatElement), text);
    if (range === undefined) this.invalid('READ_INVALID_DATE', 'a date or date range in the format its qualifier names', segment, loop, formatElement + 1, claimRef);
    return range;
  }

  private invalid(code: string, what: string, segment: SegmentElements, loop: string, element: number, claimRef: string | undefined, component?: number): void {
    const name = `${segment.id}${element < 10 ? '0' : ''}${element}${component === undefined ? '' : `-${component}`}`;
    const finding: Finding = {
      origin: 'reader',
      code,
      severity: code === 'READ_INVALID_DATE' ? 'warn' : 'reject',
      message: `${name} is not ${what}; the value was not read.`,
      location: sourceOf(segment, loop, element, component),
    };
    if (claimRef !== undefined) finding.claimRef = claimRef;
    this.report(finding);
  }
}

/** Record a field's source in a `sources` map. */
export function noteSource(sources: FieldSources, field: string, segment: SegmentElements, loop: string, element?: number, component?: number): void {
  // `field` should be a constant or come from fieldPath/indexedPath (a fresh string costs a hash per store).
  sources[field] = sourceOf(segment, loop, element, component);
}

// ── The reading kit: field paths ────────────────────────────────────────────────────────────

/**
 * Field paths are shared, internalized strings: a `sources` record gets ~60 keys per claim, and a key
 * built fresh by concatenation costs a string-table look-up (hashing, flattening) every time it is
 * stored, several times the cost of the store itself. Paths are made once here and reused.
 */
const pathsByPrefix = new Map<string, Map<string, string>>();
const indexedByPrefix = new Map<string, string[]>();

/**
 * Indexes at or beyond this are not cached, nor prefixes beyond that many (a garbage file with
 * thousands of repeats must not grow the cache without bound); such paths are built fresh.
 */
const MAX_CACHED_INDEX = 100;
const MAX_CACHED_PREFIXES = 10_000;

/** The internalized copy of a string (a property key is internalized by the engine; reuse its copy). */
function internalized(text: string): string {
  return Object.keys({ [text]: 0 })[0]!;
}

/**
 * `prefix + key` as a shared string: `fieldPath('subscriber.', 'firstName')` → `subscriber.firstName`.
 * Both parts must come from the program (constants or other paths), never from element values.
 */
export function fieldPath(prefix: string, key: string): string {
  if (prefix === '') return key;
  let byKey = pathsByPrefix.get(prefix);
  if (byKey === undefined) {
    if (pathsByPrefix.size >= MAX_CACHED_PREFIXES) return prefix + key;
    byKey = new Map();
    pathsByPrefix.set(prefix, byKey);
  }
  let path = byKey.get(key);
  if (path === undefined) {
    path = internalized(prefix + key);
    byKey.set(key, path);
  }
  return path;
}

/** `prefix + index` as a shared string (a list item's path): `indexedPath('diagnoses.', 2)` → `diagnoses.2`. */
export function indexedPath(prefix: string, index: number): string {
  if (index >= MAX_CACHED_INDEX) return prefix + index;
  let list = indexedByPrefix.get(prefix);
  if (list === undefined) {
    if (indexedByPrefix.size >= MAX_CACHED_PREFIXES) return prefix + index;
    list = [];
    indexedByPrefix.set(prefix, list);
  }
  let path = list[index];
  if (path === undefined) {
    path = internalized(prefix + index);
    list[index] = path;
  }
  return path;
}

/** `prefix + index + '.'`: the prefix of a list item's fields (`otherPayers.0.`). */
export function itemPrefix(prefix: string, index: number): string {
  return fieldPath(indexedPath(prefix, index), '.');
}

// ── The reading kit: composites ─────────────────────────────────────────────────────────────

/**
 * `text.split(separator)` for a one-character separator (a char code), by char codes: the engine's
 * split goes through the runtime and cost about three times as much on the short composites the
 * readers split by the million.
 */
export function splitOn(text: string, separator: number): string[] {
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === separator) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(from === 0 ? text : text.slice(from));
  return parts;
}

/**
 * The components of element n's first repetition, as {@link Segment.components} gives them (an empty
 * list for an empty element), split with {@link splitOn}.
 */
export function componentsOf(segment: SegmentElements, n: number): string[] {
  let value = segment.element(n);
  const repetition = segment.delimiters.repetition;
  if (repetition >= 0 && value !== '') {
    const end = value.indexOf(String.fromCharCode(repetition));
    if (end >= 0) value = value.slice(0, end);
  }
  return value === '' ? [] : splitOn(value, segment.delimiters.component);
}

/** Component c (1-based) of element n's first repetition, or `''` (as {@link Segment.component}). */
export function componentOf(segment: SegmentElements, n: number, c: number): string {
  return componentsOf(segment, n)[c - 1] ?? '';
}

// ── The reading kit: element views ─────────────────────────────────────────────────────────

/** Dates an {@link ElementView} keeps (a file's distinct dates are a few hundred). */
const DATE_SLOT_BITS = 10;
const DATE_SLOTS = 1 << DATE_SLOT_BITS;

/**
 * One segment's elements, as a model reader reads them: the element boundaries are found in one scan
 * of the segment's bytes, and an element's string is decoded only when asked for, once. A reader keeps
 * one view for a whole file and points it at each segment in turn ({@link ElementView.reset}): unlike
 * {@link Segment.elements} it builds no array of every element's string per segment (most of a
 * reader's garbage, since it reads a few elements of each segment), and it decodes short ASCII values
 * (nearly all of them) with one `String.fromCharCode` call instead of a string per character.
 */
export class ElementView implements SegmentElements {
  /** The segment's id, position and delimiters (as the {@link Segment} it was pointed at). */
  id = '';
  ordinal = 0;
  offset = 0;
  delimiters: Segment['delimiters'] = { element: 0, component: 0, repetition: -1, segment: 0 };
  /** The segment's bytes (shared with the tokenizer; never modified). */
  private buf: Uint8Array = new Uint8Array(0);
  /**
   * `[start, end)` of element n at `bounds[2n]`, `bounds[2n + 1]`; element 0 is the id. Either the
   * element checker's (lent with the segment, when it scanned it) or this view's own scan's.
   */
  private bounds: Int32Array = new Int32Array(64);
  /** The array this view scans into when the segment comes without its boundaries. */
  private ownBounds: Int32Array = this.bounds;
  /** Elements present, the id included (`count - 1` is the last element's position). */
  private count = 0;
  /** Decoded values, valid where `stamps[n] === generation`. */
  private readonly decoded: string[] = [];
  private stamps: Int32Array = new Int32Array(32);
  private generation = 1;
  /**
   * {@link ElementView.isoDate}'s dates, direct-mapped by their `CCYYMMDD` digits (a slot holds the
   * last date that hashed to it; a collision only costs a fresh check). `''` marks a digit string that
   * is not a calendar date.
   */
  private readonly dateKeys = new Int32Array(DATE_SLOTS).fill(-1);
  private readonly dateValues: string[] = new Array<string>(DATE_SLOTS).fill('');

  /** Point the view at `segment` (the view is only valid during that segment's callback). */
  reset(segment: Segment): this {
    const buf = segment.buf;
    const end = segment.end;
    const sep = segment.delimiters.element;
    this.buf = buf;
    this.id = segment.id;
    this.ordinal = segment.ordinal;
    this.offset = segment.offset;
    this.delimiters = segment.delimiters;
    // A new generation forgets every decoded value at once (wrapping long before 2^31 segments).
    if (++this.generation === 0x7fffffff) {
      this.generation = 1;
      this.stamps.fill(0);
    }
    // The validator's element checker has just read every byte of the segment: take its boundaries
    // rather than scanning again (segments no guide defines come without them).
    const shared = segment.elementBounds;
    if (shared !== undefined) {
      this.bounds = shared;
      this.count = segment.elementBoundCount;
      return this;
    }
    let bounds = (this.bounds = this.ownBounds);
    const idEnd = segment.start + segment.id.length;
    bounds[0] = segment.start;
    bounds[1] = idEnd;
    let count = 1;
    let p = idEnd;
    if (p < end && buf[p] === sep) {
      let from = ++p;
      for (;; p++) {
        if (p === end || buf[p] === sep) {
          if (2 * count + 2 > bounds.length) bounds = this.grow();
          bounds[2 * count] = from;
          bounds[2 * count + 1] = p;
          count++;
          if (p === end) break;
          from = p + 1;
        }
      }
    }
    this.count = count;
    return this;
  }

  /** Elements present after the id (trailing empty ones included, as written). */
  get elementCount(): number {
    return this.count - 1;
  }

  /** Element n (1-based) as written, or `''` when absent (as {@link Segment.element}). */
  element(n: number): string {
    return this.value(n);
  }

  /** Element n (1-based) as written, or `''` when absent. */
  value(n: number): string {
    if (n >= this.count) return '';
    const stamps = this.stamps;
    if (n < stamps.length && stamps[n] === this.generation) return this.decoded[n]!;
    const from = this.bounds[2 * n]!;
    const to = this.bounds[2 * n + 1]!;
    const text = from === to ? '' : decodeElement(this.buf, from, to);
    if (n >= stamps.length) this.growStamps(n);
    this.stamps[n] = this.generation;
    this.decoded[n] = text;
    return text;
  }

  /**
   * Element n as cents, exactly as {@link toCents} reads its text, but read from the bytes when it has
   * the common form (`[-]digits[.d[d]]`, at most 13 whole digits): no string and no result object per
   * amount, of which a remittance has several per line. Other forms go through {@link toCents}.
   */
  cents(n: number): number | undefined {
    if (n < this.count) {
      const b = this.buf;
      const end = this.bounds[2 * n + 1]!;
      let p = this.bounds[2 * n]!;
      const negative = p < end && b[p] === 0x2d;
      if (negative) p++;
      const wholeStart = p;
      let whole = 0;
      for (; p < end; p++) {
        const c = b[p]! - 0x30;
        if (c < 0 || c > 9) break;
        whole = whole * 10 + c;
      }
      const wholeDigits = p - wholeStart;
      if (wholeDigits > 0 && wholeDigits <= 13) {
        // -0 is 0 in the model (as parseCents).
        if (p === end) return negative && whole !== 0 ? -whole * 100 : whole * 100;
        if (b[p] === 0x2e && end - p <= 3) {
          let fraction = 0;
          let ok = true;
          for (let q = p + 1; q < end; q++) {
            const c = b[q]! - 0x30;
            if (c < 0 || c > 9) ok = false;
            fraction = fraction * 10 + c;
          }
          if (ok) {
            const magnitude = whole * 100 + (end - p === 2 ? fraction * 10 : fraction);
            return negative && magnitude !== 0 ? -magnitude : magnitude;
          }
        }
      }
    }
    return toCents(this.value(n));
  }

  /**
   * Element n as an ISO date, exactly as {@link toIsoDate} reads its text. A file holds few distinct
   * dates (service and received dates cluster), so a `CCYYMMDD` element is looked up by its digits and
   * a date is checked and built once while it keeps recurring: one shared string instead of two fresh
   * strings and a result object per date.
   */
  isoDate(n: number): IsoDate | undefined {
    if (n < this.count) {
      const b = this.buf;
      const from = this.bounds[2 * n]!;
      if (this.bounds[2 * n + 1]! - from === 8) {
        let digits = 0;
        for (let p = from; p < from + 8; p++) {
          const c = b[p]! - 0x30;
          if (c < 0 || c > 9) return toIsoDate(this.value(n));
          digits = digits * 10 + c;
        }
        const slot = Math.imul(digits, 0x9e3779b1) >>> (32 - DATE_SLOT_BITS);
        if (this.dateKeys[slot] !== digits) {
          this.dateKeys[slot] = digits;
          this.dateValues[slot] = toIsoDate(this.value(n)) ?? '';
        }
        const date = this.dateValues[slot]!;
        return date === '' ? undefined : date;
      }
    }
    return toIsoDate(this.value(n));
  }

  /**
   * The components of element n's first repetition, as {@link componentsOf} gives them, written into
   * `parts[0 … count - 1]` (entries past the count are left as they were); returns the count. Decoded
   * from the bytes one component at a time: no string of the whole composite, no array per call (a
   * reader passes the same `parts` every time).
   */
  componentsInto(n: number, parts: string[]): number {
    const component = this.delimiters.component;
    const repetition = this.delimiters.repetition;
    // Byte-wise splitting equals splitting the decoded text only for ASCII separators.
    if (component > 0x7f || repetition > 0x7f) {
      const split = componentsOf(this, n);
      for (let i = 0; i < split.length; i++) parts[i] = split[i]!;
      return split.length;
    }
    if (n >= this.count) return 0;
    const b = this.buf;
    const from = this.bounds[2 * n]!;
    let end = this.bounds[2 * n + 1]!;
    if (repetition >= 0) {
      for (let p = from; p < end; p++) {
        if (b[p] === repetition) {
          end = p;
          break;
        }
      }
    }
    if (from === end) return 0;
    let count = 0;
    let start = from;
    for (let p = from; p < end; p++) {
      if (b[p] === component) {
        parts[count++] = start === p ? '' : decodeElement(b, start, p);
        start = p + 1;
      }
    }
    parts[count++] = start === end ? '' : decodeElement(b, start, end);
    return count;
  }

  private grow(): Int32Array {
    const bigger = new Int32Array(this.ownBounds.length * 2);
    bigger.set(this.ownBounds);
    this.ownBounds = bigger;
    this.bounds = bigger;
    return bigger;
  }

  private growStamps(n: number): void {
    const bigger = new Int32Array(Math.max(n + 1, this.stamps.length * 2));
    bigger.set(this.stamps);
    this.stamps = bigger;
  }
}

const fromCharCode = String.fromCharCode;

/** Every two-character ASCII value decoded so far, by its two 7-bit char codes (at most 16,384 short strings). */
const TWO_CHARACTER_VALUES: (string | undefined)[] = new Array<string | undefined>(1 << 14).fill(undefined);

/**
 * Bytes `[from, to)` of an element as a string: ASCII values of up to 12 bytes (most elements) in one
 * `String.fromCharCode` call; anything else as UTF-8, as {@link Segment.element} decodes it.
 */
function decodeElement(b: Uint8Array, from: number, to: number): string {
  const n = to - from;
  if (n <= 12) {
    let high = 0;
    for (let i = from; i < to; i++) high |= b[i]!;
    if (high <= 0x7f) {
      const f = from;
      switch (n) {
        case 1: return fromCharCode(b[f]!);
        case 2: {
          // Two-character values (qualifiers, states, codes) repeat endlessly: one string each.
          const key = (b[f]! << 7) | b[f + 1]!;
          return (TWO_CHARACTER_VALUES[key] ??= fromCharCode(b[f]!, b[f + 1]!));
        }
        case 3: return fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!);
        case 4: return fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!);
        case 5: return fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!);
        case 6: return fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!);
        case 7: return fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!);
        case 8: return fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!);
        case 9: return fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!);
        case 10: return fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!, b[f + 9]!);
        case 11: return fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!, b[f + 9]!, b[f + 10]!);
        case 12: return fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!, b[f + 9]!, b[f + 10]!, b[f + 11]!);
      }
      return '';
    }
  } else if (n < 24) {
    let high = 0;
    for (let i = from; i < to; i++) high |= b[i]!;
    if (high <= 0x7f) return decodeLongAscii(b, from, n);
  }
  return Buffer.from(b.buffer, b.byteOffset + from, n).toString('utf8');
}

/**
 * ASCII bytes `[f, f + n)`, 13 ≤ n < 24 (claim and line control numbers, member ids), in one
 * `String.fromCharCode` call: joining two shorter strings would make a cons string (three objects,
 * flattened again by whoever later compares or hashes it), and this path costs about half as much.
 */
function decodeLongAscii(b: Uint8Array, f: number, n: number): string {
  switch (n) {
    case 13: return fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!, b[f + 9]!, b[f + 10]!, b[f + 11]!, b[f + 12]!);
    case 14: return fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!, b[f + 9]!, b[f + 10]!, b[f + 11]!, b[f + 12]!, b[f + 13]!);
    case 15: return fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!, b[f + 9]!, b[f + 10]!, b[f + 11]!, b[f + 12]!, b[f + 13]!, b[f + 14]!);
    case 16: return fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!, b[f + 9]!, b[f + 10]!, b[f + 11]!, b[f + 12]!, b[f + 13]!, b[f + 14]!, b[f + 15]!);
    case 17: return fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!, b[f + 9]!, b[f + 10]!, b[f + 11]!, b[f + 12]!, b[f + 13]!, b[f + 14]!, b[f + 15]!, b[f + 16]!);
    case 18: return fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!, b[f + 9]!, b[f + 10]!, b[f + 11]!, b[f + 12]!, b[f + 13]!, b[f + 14]!, b[f + 15]!, b[f + 16]!, b[f + 17]!);
    case 19: return fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!, b[f + 9]!, b[f + 10]!, b[f + 11]!, b[f + 12]!, b[f + 13]!, b[f + 14]!, b[f + 15]!, b[f + 16]!, b[f + 17]!, b[f + 18]!);
    case 20: return fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!, b[f + 9]!, b[f + 10]!, b[f + 11]!, b[f + 12]!, b[f + 13]!, b[f + 14]!, b[f + 15]!, b[f + 16]!, b[f + 17]!, b[f + 18]!, b[f + 19]!);
    case 21: return fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!, b[f + 9]!, b[f + 10]!, b[f + 11]!, b[f + 12]!, b[f + 13]!, b[f + 14]!, b[f + 15]!, b[f + 16]!, b[f + 17]!, b[f + 18]!, b[f + 19]!, b[f + 20]!);
    case 22: return fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!, b[f + 9]!, b[f + 10]!, b[f + 11]!, b[f + 12]!, b[f + 13]!, b[f + 14]!, b[f + 15]!, b[f + 16]!, b[f + 17]!, b[f + 18]!, b[f + 19]!, b[f + 20]!, b[f + 21]!);
    case 23: return fromCharCode(b[f]!, b[f + 1]!, b[f + 2]!, b[f + 3]!, b[f + 4]!, b[f + 5]!, b[f + 6]!, b[f + 7]!, b[f + 8]!, b[f + 9]!, b[f + 10]!, b[f + 11]!, b[f + 12]!, b[f + 13]!, b[f + 14]!, b[f + 15]!, b[f + 16]!, b[f + 17]!, b[f + 18]!, b[f + 19]!, b[f + 20]!, b[f + 21]!, b[f + 22]!);
  }
  return '';
}

// ── The reading kit: driving the engine ─────────────────────────────────────────────────────────

/** What a model reader implements to be fed by {@link feedX12}. */
export interface TransactionSetReader {
  /** A segment of a transaction set (ST … SE), once walked, with the envelope of its set. */
  segment(segment: Segment, step: WalkStep, set: TransactionSetReport, envelope: EnvelopeRef): void;
  /** The set's SE has been seen (or the set ended without one). */
  setEnd(set: TransactionSetReport, envelope: EnvelopeRef): void;
  /** A segment outside any transaction set (ISA, GS, GE, IEA, TA1), before the validator sees it. */
  envelopeSegment?(segment: Segment): void;
}

/** Keeps ISA13, the ISA parties and GS06 while the file streams, for each set's {@link EnvelopeRef}. */
class EnvelopeTracker {
  private interchangeControl = '';
  private sender = '';
  private receiver = '';
  private groupControl = '';
  private current: EnvelopeRef | undefined;
  private currentFor: TransactionSetReport | undefined;

  see(segment: Segment): void {
    if (segment.id === 'ISA') {
      this.interchangeControl = segment.element(13).trim();
      this.sender = segment.element(6).trim();
      this.receiver = segment.element(8).trim();
      this.groupControl = '';
    } else if (segment.id === 'GS') {
      this.groupControl = segment.element(6);
    }
  }

  /** The envelope of a set, built once per set. */
  of(set: TransactionSetReport): EnvelopeRef {
    if (this.currentFor !== set || !this.current) {
      this.currentFor = set;
      this.current = {
        interchangeControl: this.interchangeControl,
        groupControl: this.groupControl,
        setControl: set.control,
        version: set.version,
        sender: this.sender,
        receiver: this.receiver,
      };
    }
    return this.current;
  }
}

/** Largest slice of input handed to the tokenizer before the reader's completed work is handed on. */
const FEED_BYTES = 16 * 1024;

/**
 * Stream a source through the engine, feeding `reader`. Yields (nothing) after each slice so the
 * caller can hand on what the reader completed, and returns the validation report at the end.
 *
 * @example
 * const feed = feedX12(source, reader);
 * for (let step = await feed.next(); ; step = await feed.next()) {
 *   yield* reader.drain();
 *   if (step.done) return step.value; // the ValidationReport
 * }
 */
export async function* feedX12(source: X12Source, reader: TransactionSetReader, options: TokenizerOptions = {}): AsyncGenerator<void, ValidationReport> {
  const envelope = new EnvelopeTracker();
  const validator = new X12Validator({
    ...options,
    onSegment: (segment, step, set) => reader.segment(segment, step, set, envelope.of(set)),
    onSetEnd: (set) => reader.setEnd(set, envelope.of(set)),
  });
  const outside = (segment: Segment): void => {
    envelope.see(segment);
    reader.envelopeSegment?.(segment);
  };
  const sink: TokenSink = {
    segment(segment) {
      // A body segment outside a transaction set (a stray one) goes to the reader as the envelope's do.
      if (segment.ordinal === 0) outside(segment);
      validator.segment(segment);
    },
    envelopeSegment(segment) {
      if (segment.ordinal === 0) outside(segment);
      validator.envelopeSegment(segment);
    },
    issue: (issue) => validator.issue(issue),
  };
  const tokenizer = new Tokenizer(options);
  for await (const chunk of chunksOf(source)) {
    validator.bytes += chunk.length;
    // Fed in slices, yielding after each: what the reader completed leaves while it is still young (a
    // 1 MiB read chunk held thousands of claim payments at once, which then outlived the young
    // generation and had to be collected from the old one).
    for (let start = 0; start < chunk.length; start += FEED_BYTES) {
      tokenizer.write(start === 0 && chunk.length <= FEED_BYTES ? chunk : chunk.subarray(start, start + FEED_BYTES), sink);
      yield;
    }
  }
  tokenizer.end(sink);
  return validator.finish();
}

/** Run {@link feedX12} to the end (for readers that keep the whole model). */
export async function feedAll(source: X12Source, reader: TransactionSetReader, options: TokenizerOptions = {}): Promise<ValidationReport> {
  const feed = feedX12(source, reader, options);
  for (;;) {
    const step = await feed.next();
    if (step.done) return step.value;
  }
}

/** A reader finding for a transaction set the reader cannot read (no guide map for its version). */
export function unreadableSetFinding(set: TransactionSetReport, what: string): Finding {
  return {
    origin: 'reader',
    code: 'READ_UNSUPPORTED_SET',
    severity: 'reject',
    message: `Transaction set ${set.transactionSet} at byte ${set.offset} has no implementation guide the engine knows; its ${what} was not read.`,
  };
}

// ── 999 and TA1 ─────────────────────────────────────────────────────────────────────────────────
