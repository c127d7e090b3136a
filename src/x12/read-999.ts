/**
 * Reading acknowledgments a payer or clearinghouse sent us: the 999 (005010X231A1) and the TA1, into
 * the canonical {@link Acknowledgment}. Also the small kit every model reader shares (835, 999,
 * 277CA): driving the streaming engine (tokenizer → {@link X12Validator} with its walker hooks) while
 * keeping each set's envelope, and turning X12 values (decimal amounts, CCYYMMDD dates) into model
 * values with a finding, never an exception, when they are not what they claim to be.
 *
 * The kit is shared so that every reader agrees on these steps (cents are computed from the decimal
 * text, never by floating-point multiplication; a date must exist in the calendar). It would sit better
 * in a module of its own; it is here because this module was the first reader written.
 *
 * @example
 * const { acknowledgments, findings, report } = await read999(bytes);
 * for (const ack of acknowledgments) if (ack.kind === '999') console.log(ack.groupResponse.acknowledgmentCode);
 */
import type { Acknowledgment, ElementError, ErrorContext, Implementation999, SegmentError, Ta1Acknowledgment, TransactionSetResponse } from '../../schemas/acknowledgment.schema.ts';
import type { EnvelopeRef, FieldSources, IsoDate, SourceRef } from '../../schemas/common.schema.ts';
import type { Finding } from '../../schemas/finding.schema.ts';
import type { TransactionSetReport, ValidationReport } from './report.ts';
import type { Segment } from './segment.ts';
import { chunksOf, Tokenizer, type TokenizerOptions, type TokenSink, type X12Source } from './tokenizer.ts';
import { X12Validator } from './validate.ts';
import type { WalkStep } from './walker.ts';

// ── The reading kit: values ─────────────────────────────────────────────────────────────────────

/** A decimal as X12 writes it (`R`): sign, digits, one optional point. */
const PLAIN_DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;
/** The exponent form the X12 `R` type also allows (`1.5E2`). */
const EXPONENT_DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)E[+-]?\d+$/i;

/**
 * Dollars as written in an X12 `R` element → integer cents, exactly (from the text, so `0.29` is 29
 * cents, never 28.999…). More than two decimals are rounded half away from zero. Returns undefined
 * for text that is not a number (an empty string included).
 *
 * @example
 * toCents('-9.00') // -900
 * toCents('.5')    // 50
 */
export function toCents(text: string): number | undefined {
  const m = PLAIN_DECIMAL.exec(text);
  if (m) {
    const whole = m[2] ?? '';
    const fraction = m[3] ?? '';
    if (whole === '' && fraction === '') return undefined;
    const padded = (fraction + '000').slice(0, 3);
    let cents = Number(whole || '0') * 100 + Number(padded.slice(0, 2));
    if (padded.charCodeAt(2) >= 0x35) cents += 1;
    if (!Number.isSafeInteger(cents)) return undefined;
    return m[1] === '-' ? -cents || 0 : cents;
  }
  if (EXPONENT_DECIMAL.test(text)) {
    const value = Number(text);
    if (!Number.isFinite(value)) return undefined;
    const cents = Math.sign(value) * Math.round(Math.abs(value) * 100);
    return Number.isSafeInteger(cents) ? cents || 0 : undefined;
  }
  return undefined;
}

/** A quantity or rate (`R`, `N0`) as a number, or undefined when the text is not one. */
export function toDecimal(text: string): number | undefined {
  if (PLAIN_DECIMAL.test(text) && /\d/.test(text)) return Number(text);
  if (EXPONENT_DECIMAL.test(text)) {
    const value = Number(text);
    return Number.isFinite(value) ? value : undefined;
  }
  return undefined;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A `CCYYMMDD` date → ISO `YYYY-MM-DD`, or undefined when it is not a calendar date. `YYMMDD` (the ISA
 * and TA1 form) is read with the century 20.
 */
export function toIsoDate(text: string): IsoDate | undefined {
  let digits = text;
  if (/^\d{6}$/.test(text)) digits = `20${text}`;
  if (!/^\d{8}$/.test(digits)) return undefined;
  const year = Number(digits.slice(0, 4));
  const month = Number(digits.slice(4, 6));
  const day = Number(digits.slice(6, 8));
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return undefined;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return undefined;
  return `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
}

/**
 * A date period as a DTP writes it: `D8` one date, `RD8` `CCYYMMDD-CCYYMMDD`. Undefined when the
 * format is unknown or a date is not a date.
 */
export function toDateRange(format: string, text: string): { from: IsoDate; to: IsoDate } | undefined {
  if (format === 'D8') {
    const date = toIsoDate(text);
    return date ? { from: date, to: date } : undefined;
  }
  if (format === 'RD8') {
    const [a, b] = text.split('-');
    const from = toIsoDate(a ?? '');
    const to = toIsoDate(b ?? '');
    return from && to ? { from, to } : undefined;
  }
  return undefined;
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
    const text = component === undefined ? segment.element(element) : segment.component(element, component);
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
  sources[field] = sourceOf(segment, loop, element, component);
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

/**
 * Stream a source through the engine, feeding `reader`. Yields (nothing) after each chunk so the
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
    tokenizer.write(chunk, sink);
    yield;
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

/** What {@link read999} returns. */
export interface Read999Result {
  /** TA1s and 999s in file order. */
  acknowledgments: Acknowledgment[];
  findings: Finding[];
  report: ValidationReport;
}

/** Builds 999s (and TA1s) from walked segments. */
class Ack999Reader implements TransactionSetReader {
  readonly acknowledgments: Acknowledgment[] = [];
  readonly findings: Finding[] = [];
  private readonly values = new ValueReader((f) => this.findings.push(f));
  private interchangeControl = '';
  private ack: Implementation999 | undefined;
  private setResponse: TransactionSetResponse | undefined;
  private segmentError: SegmentError | undefined;
  private elementError: ElementError | undefined;

  envelopeSegment(segment: Segment): void {
    if (segment.id === 'ISA') this.interchangeControl = segment.element(13).trim();
    if (segment.id !== 'TA1') return;
    const ta1: Ta1Acknowledgment = {
      kind: 'TA1',
      carrierInterchangeControl: this.interchangeControl,
      interchangeControl: segment.element(1),
      interchangeTime: segment.element(3),
      acknowledgmentCode: segment.element(4),
      noteCode: segment.element(5),
    };
    const date = toIsoDate(segment.element(2));
    if (date) ta1.interchangeDate = date;
    this.acknowledgments.push(ta1);
  }

  segment(segment: Segment, step: WalkStep, set: TransactionSetReport, envelope: EnvelopeRef): void {
    if (set.transactionSet !== '999') return;
    const loop = step.loopId;
    switch (segment.id) {
      case 'ST':
        this.ack = {
          kind: '999',
          envelope,
          functionalGroup: { functionalId: '', control: '' },
          transactionSets: [],
          groupResponse: { acknowledgmentCode: '', errorCodes: [] },
          sources: {},
        };
        return;
      case 'AK1': {
        const ack = this.ack;
        if (!ack) return;
        ack.functionalGroup = { functionalId: segment.element(1), control: segment.element(2) };
        const version = optionalElement(segment, 3);
        if (version) ack.functionalGroup.version = version;
        noteSource(ack.sources, 'functionalGroup.control', segment, loop, 2);
        return;
      }
      case 'AK2': {
        if (!this.ack) return;
        this.setResponse = { transactionSet: segment.element(1), control: segment.element(2), segmentErrors: [], acknowledgmentCode: '', errorCodes: [] };
        const version = optionalElement(segment, 3);
        if (version) this.setResponse.version = version;
        this.segmentError = undefined;
        this.elementError = undefined;
        this.ack.transactionSets.push(this.setResponse);
        return;
      }
      case 'IK3': {
        if (!this.setResponse) return;
        this.segmentError = { segmentId: segment.element(1), contexts: [], elementErrors: [] };
        const position = this.values.quantity(segment, loop, 2);
        if (position !== undefined) this.segmentError.position = Math.trunc(position);
        const loopId = optionalElement(segment, 3);
        if (loopId) this.segmentError.loopId = loopId;
        const code = optionalElement(segment, 4);
        if (code) this.segmentError.code = code;
        this.elementError = undefined;
        this.setResponse.segmentErrors.push(this.segmentError);
        return;
      }
      case 'IK4': {
        if (!this.segmentError) return;
        this.elementError = { position: positionOf(segment, 1), code: segment.element(3), contexts: [] };
        const elementRef = optionalElement(segment, 2);
        if (elementRef) this.elementError.elementRef = elementRef;
        const bad = optionalElement(segment, 4);
        if (bad !== undefined) this.elementError.badValue = bad;
        this.segmentError.elementErrors.push(this.elementError);
        return;
      }
      case 'CTX': {
        const context = contextOf(segment);
        // A CTX after IK4 is the element's context (2110); else the segment's (2100).
        if (loop === '2110' && this.elementError) this.elementError.contexts.push(context);
        else this.segmentError?.contexts.push(context);
        return;
      }
      case 'IK5': {
        if (!this.setResponse) return;
        this.setResponse.acknowledgmentCode = segment.element(1);
        this.setResponse.errorCodes = codesFrom(segment, 2, 6);
        this.segmentError = undefined;
        this.elementError = undefined;
        return;
      }
      case 'AK9': {
        const ack = this.ack;
        if (!ack) return;
        ack.groupResponse = { acknowledgmentCode: segment.element(1), errorCodes: codesFrom(segment, 5, 9) };
        const counts = [
          ['included', 2],
          ['received', 3],
          ['accepted', 4],
        ] as const;
        for (const [field, element] of counts) {
          const n = this.values.quantity(segment, loop, element);
          if (n !== undefined) ack.groupResponse[field] = Math.trunc(n);
        }
        noteSource(ack.sources, 'groupResponse.acknowledgmentCode', segment, loop, 1);
        return;
      }
    }
  }

  setEnd(set: TransactionSetReport): void {
    if (set.transactionSet !== '999') return;
    if (this.ack) this.acknowledgments.push(this.ack);
    else this.findings.push(unreadableSetFinding(set, 'acknowledgment'));
    this.ack = undefined;
    this.setResponse = undefined;
    this.segmentError = undefined;
    this.elementError = undefined;
  }
}

/** C030 (IK401, CTX05): element, component and repetition positions. */
function positionOf(segment: Segment, element: number): { element: number; component?: number; repetition?: number } {
  const parts = segment.components(element);
  const position: { element: number; component?: number; repetition?: number } = { element: Number(parts[0] ?? '0') || 0 };
  const component = Number(parts[1] ?? '');
  if (parts[1] && Number.isInteger(component)) position.component = component;
  const repetition = Number(parts[2] ?? '');
  if (parts[2] && Number.isInteger(repetition)) position.repetition = repetition;
  return position;
}

function contextOf(segment: Segment): ErrorContext {
  const context: ErrorContext = { name: segment.component(1, 1) };
  const reference = segment.component(1, 2);
  if (reference) context.reference = reference;
  const segmentId = optionalElement(segment, 2);
  if (segmentId) context.segmentId = segmentId;
  const position = Number(segment.element(3));
  if (segment.element(3) && Number.isInteger(position)) context.segmentPosition = position;
  const loopId = optionalElement(segment, 4);
  if (loopId) context.loopId = loopId;
  if (segment.element(5)) context.position = positionOf(segment, 5);
  return context;
}

function codesFrom(segment: Segment, first: number, last: number): string[] {
  const codes: string[] = [];
  for (let n = first; n <= last; n++) {
    const code = segment.element(n);
    if (code) codes.push(code);
  }
  return codes;
}

/**
 * Read the 999s and TA1s of a file (a payer's or clearinghouse's answer to our 837s).
 *
 * @example
 * const { acknowledgments } = await read999(readFileSync('ack.999'));
 * const rejected = acknowledgments.flatMap((a) => (a.kind === '999' ? a.transactionSets : [])).filter((s) => s.acknowledgmentCode === 'R');
 */
export async function read999(source: X12Source, options: TokenizerOptions = {}): Promise<Read999Result> {
  const reader = new Ack999Reader();
  const report = await feedAll(source, reader, options);
  return { acknowledgments: reader.acknowledgments, findings: reader.findings, report };
}
