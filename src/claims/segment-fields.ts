/**
 * Simple segments as data: a table says which element (and component) fills which model field and how
 * its value converts (text, money in cents, decimal, D8 date). The reader turns a segment into a partial
 * object with the table, recording where each value came from and reporting values that do not convert;
 * the writer turns the object back into the segment's elements with the same table.
 *
 * @example
 * const CN1_FIELDS: FieldTable<Contract> = [
 *   { key: 'type', element: 1 },
 *   { key: 'amount', element: 2, kind: 'money' },
 * ];
 */
import type { Finding } from '../../schemas/finding.schema.ts';
import type { FieldSources, SourceRef } from '../../schemas/common.schema.ts';
import type { Segment } from '../x12/segment.ts';
import { formatCents, formatD8, formatDecimal, parseCents, parseD8, parseDecimal } from '../x12/values.ts';

/** How an element's text becomes a model value. */
export type FieldKind = 'text' | 'money' | 'decimal' | 'date';

/** One model field read from one element (or component). */
export interface FieldSpec<T> {
  key: keyof T & string;
  element: number;
  component?: number;
  kind?: FieldKind;
}

export type FieldTable<T> = readonly FieldSpec<T>[];

/**
 * Field sources as they are read: two parallel lists, turned into a {@link FieldSources} record once
 * the object is complete. (Growing a record key by key, and copying a context's record into every
 * claim, costs several times more than appending to arrays.)
 */
export class SourceCollector {
  readonly paths: string[] = [];
  readonly refs: SourceRef[] = [];

  add(path: string, ref: SourceRef): void {
    this.paths.push(path);
    this.refs.push(ref);
  }

  addAll(other: SourceCollector): void {
    for (let i = 0; i < other.paths.length; i++) this.add(other.paths[i]!, other.refs[i]!);
  }

  /** The record (a path read twice keeps its last source). */
  toRecord(): FieldSources {
    const out: FieldSources = {};
    const { paths, refs } = this;
    for (let i = 0; i < paths.length; i++) out[paths[i]!] = refs[i]!;
    return out;
  }
}

/** Where a reader records sources and findings, and how to name the claim and line in findings. */
export interface ReadSink {
  sources: SourceCollector;
  findings: Finding[];
  claimRef?: string;
  line?: number;
}

const KIND_WORDS: Record<Exclude<FieldKind, 'text'>, string> = {
  money: 'a decimal amount',
  decimal: 'a decimal number',
  date: 'a valid CCYYMMDD date',
};

/**
 * Reads the elements of one segment into model fields. `prefix` is the field path of the object being
 * filled (`subscriber.`, `otherPayers.0.`); sources are recorded under prefix + key.
 */
export class SegmentFieldReader {
  readonly elements: string[];
  private readonly componentSeparator: string;
  /** Components by element position, split on first use. */
  private readonly split: (string[] | undefined)[] = [];

  constructor(
    readonly segment: Segment,
    readonly loopId: string,
    private readonly sink: ReadSink,
  ) {
    this.elements = segment.elements();
    this.componentSeparator = String.fromCharCode(segment.delimiters.component);
  }

  /** Element n (1-based) as written, or `''`. */
  value(element: number): string {
    return this.elements[element] ?? '';
  }

  /** Components of element n (an empty list when the element is empty); split once per element. */
  components(element: number): string[] {
    const cached = this.split[element];
    if (cached) return cached;
    const v = this.elements[element];
    const parts = v ? v.split(this.componentSeparator) : [];
    this.split[element] = parts;
    return parts;
  }

  /** Element n, or its component c (1-based), or `''`. */
  part(element: number, component?: number): string {
    if (component === undefined) return this.value(element);
    return this.components(element)[component - 1] ?? '';
  }

  /** Where element n (component c) of this segment is. */
  ref(element?: number, component?: number): SourceRef {
    const s = this.segment;
    const ref: SourceRef = { ordinal: s.ordinal, offset: s.offset, loop: this.loopId, segment: s.id };
    if (element !== undefined) ref.element = element;
    if (component !== undefined) ref.component = component;
    return ref;
  }

  /** Record the source of a field. */
  record(path: string, element: number, component?: number): void {
    this.sink.sources.add(path, this.ref(element, component));
  }

  /** A text field: the value when present (its source recorded), else undefined. */
  text(path: string, element: number, component?: number): string | undefined {
    const v = this.part(element, component);
    if (v === '') return undefined;
    this.record(path, element, component);
    return v;
  }

  /** A money field in cents; a value that is not an amount is reported and left out. */
  money(path: string, element: number, component?: number): number | undefined {
    const v = this.part(element, component);
    if (v === '') return undefined;
    const parsed = parseCents(v);
    if (!parsed.ok) {
      this.problem('READ_INVALID_AMOUNT', 'reject', `${this.where(element, component)} is not ${KIND_WORDS.money}.`, element, component);
      return undefined;
    }
    if (parsed.rounded) {
      this.problem('READ_AMOUNT_ROUNDED', 'warn', `${this.where(element, component)} has more than two decimals; it was rounded to cents.`, element, component);
    }
    this.record(path, element, component);
    return parsed.value;
  }

  /** A decimal field (units, quantities, percentages). */
  decimal(path: string, element: number, component?: number): number | undefined {
    const v = this.part(element, component);
    if (v === '') return undefined;
    const parsed = parseDecimal(v);
    if (!parsed.ok) {
      this.problem('READ_INVALID_NUMBER', 'reject', `${this.where(element, component)} is not ${KIND_WORDS.decimal}.`, element, component);
      return undefined;
    }
    this.record(path, element, component);
    return parsed.value;
  }

  /** A D8 date field as ISO. */
  date(path: string, element: number, component?: number): string | undefined {
    const v = this.part(element, component);
    if (v === '') return undefined;
    const parsed = parseD8(v);
    if (!parsed.ok) {
      this.problem('READ_INVALID_DATE', 'reject', `${this.where(element, component)} is not ${KIND_WORDS.date}.`, element, component);
      return undefined;
    }
    this.record(path, element, component);
    return parsed.value;
  }

  /** Every field of `table` present in this segment, as a partial object (sources under `prefix`). */
  readTable<T>(table: FieldTable<T>, prefix: string): Partial<T> {
    const out: Record<string, string | number> = {};
    for (const f of table) {
      const path = prefix + f.key;
      let v: string | number | undefined;
      switch (f.kind ?? 'text') {
        case 'text':
          v = this.text(path, f.element, f.component);
          break;
        case 'money':
          v = this.money(path, f.element, f.component);
          break;
        case 'decimal':
          v = this.decimal(path, f.element, f.component);
          break;
        case 'date':
          v = this.date(path, f.element, f.component);
          break;
      }
      if (v !== undefined) out[f.key] = v;
    }
    // The table's keys are T's keys and each kind yields the type its field declares.
    return out as Partial<T>;
  }

  /** Report a problem with an element of this segment (never quoting the value). */
  problem(code: string, severity: Finding['severity'], message: string, element?: number, component?: number): void {
    const finding: Finding = { origin: 'reader', code, severity, message, location: this.ref(element, component) };
    if (this.sink.claimRef !== undefined) finding.claimRef = this.sink.claimRef;
    if (this.sink.line !== undefined) finding.line = this.sink.line;
    this.sink.findings.push(finding);
  }

  /** `CLM02`, `SV101-2`: an element's name for a message. */
  where(element: number, component?: number): string {
    const n = element < 10 ? `0${element}` : String(element);
    return `${this.segment.id}${n}${component !== undefined ? `-${component}` : ''} in loop ${this.loopId}`;
  }
}

/** An element as the writer builds it: a simple value, or components. */
export type WrittenElement = string | readonly string[];

/**
 * The elements of a segment from `values` by `table` (positions 1..n, composites as component lists).
 * Values absent from the object leave their position empty.
 */
export function writeTable<T>(values: Partial<T>, table: FieldTable<T>, elements: WrittenElement[] = []): WrittenElement[] {
  for (const f of table) {
    const v = values[f.key];
    if (v === undefined || v === null) continue;
    const text = formatField(v as unknown as string | number, f.kind ?? 'text');
    if (f.component === undefined) {
      elements[f.element - 1] = text;
    } else {
      const existing = elements[f.element - 1];
      const parts = Array.isArray(existing) ? [...existing] : [];
      parts[f.component - 1] = text;
      elements[f.element - 1] = parts;
    }
  }
  return elements;
}

function formatField(value: string | number, kind: FieldKind): string {
  switch (kind) {
    case 'money':
      return formatCents(value as number);
    case 'decimal':
      return formatDecimal(value as number);
    case 'date':
      return formatD8(value as string);
    case 'text':
      return String(value);
  }
}
