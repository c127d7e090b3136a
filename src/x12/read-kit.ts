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
export function sourceOf(segment: Segment, loop: string, element?: number, component?: number): SourceRef {
  // One object shape for every pointer (absent positions are left out, not undefined).
  if (element === undefined) return { ordinal: segment.ordinal, offset: segment.offset, loop, segment: segment.id };
  if (component === undefined) return { ordinal: segment.ordinal, offset: segment.offset, loop, segment: segment.id, element };
  return { ordinal: segment.ordinal, offset: segment.offset, loop, segment: segment.id, element, component };
}

/** Element n, or undefined when it is empty (X12 has no difference between absent and empty). */
export function optionalElement(segment: Segment, n: number): string | undefined {
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
  amount(segment: Segment, loop: string, element: number, claimRef?: string, component?: number): number | undefined {
    const text = component === undefined ? segment.element(element) : componentOf(segment, element, component);
    const cents = toCents(text);
    if (cents === undefined) this.invalid('READ_INVALID_AMOUNT', 'an amount', segment, loop, element, claimRef, component);
    return cents;
  }

  /** An optional amount: absent → undefined with no finding; present and bad → finding. */
  optionalAmount(segment: Segment, loop: string, element: number, claimRef?: string): number | undefined {
    if (segment.element(element) === '') return undefined;
    return this.amount(segment, loop, element, claimRef);
  }

  /** An optional quantity or rate. */
  quantity(segment: Segment, loop: string, element: number, claimRef?: string): number | undefined {
    const text = segment.element(element);
    if (text === '') return undefined;
    const value = toDecimal(text);
    if (value === undefined) this.invalid('READ_INVALID_NUMBER', 'a number', segment, loop, element, claimRef);
    return value;
  }

  /** An optional CCYYMMDD date. */
  date(segment: Segment, loop: string, element: number, claimRef?: string): IsoDate | undefined {
    const text = segment.element(element);
    if (text === '') return undefined;
    const date = toIsoDate(text);
    if (date === undefined) this.invalid('READ_INVALID_DATE', 'a calendar date', segment, loop, element, claimRef);
    return date;
  }

  /** A DTP-style date period (format qualifier in `formatElement`, value in the next element). */
  dateRange(segment: Segment, loop: string, formatElement: number, claimRef?: string): { from: IsoDate; to: IsoDate } | undefined {
    const text = segment.element(formatElement + 1);
    if (text === '') return undefined;
    const range = toDateRange(segment.element(formatElement), text);
    if (range === undefined) this.invalid('READ_INVALID_DATE', 'a date or date range in the format its qualifier names', segment, loop, formatElement + 1, claimRef);
    return range;
  }

  private invalid(code: string, what: string, segment: Segment, loop: string, element: number, claimRef: string | undefined, component?: number): void {
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
export function noteSource(sources: FieldSources, field: string, segment: Segment, loop: string, element?: number, component?: number): void {
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
export function componentsOf(segment: Segment, n: number): string[] {
  let value = segment.element(n);
  const repetition = segment.delimiters.repetition;
  if (repetition >= 0 && value !== '') {
    const end = value.indexOf(String.fromCharCode(repetition));
    if (end >= 0) value = value.slice(0, end);
  }
  return value === '' ? [] : splitOn(value, segment.delimiters.component);
}

/** Component c (1-based) of element n's first repetition, or `''` (as {@link Segment.component}). */
export function componentOf(segment: Segment, n: number, c: number): string {
  return componentsOf(segment, n)[c - 1] ?? '';
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
  const sink: TokenSink = {
    segment(segment) {
      if (segment.ordinal === 0) {
        envelope.see(segment);
        reader.envelopeSegment?.(segment);
      }
      validator.segment(segment);
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
