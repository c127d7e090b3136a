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
import { ElementView, fieldPath, indexedPath, itemPrefix, splitOn } from '../x12/read-kit.ts';
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

// Field paths are built by the reading kit's shared, internalized path helpers.
export { fieldPath, indexedPath, itemPrefix };

/**
 * Field sources as they are read: two parallel lists, turned into a {@link FieldSources} record once
 * the object is complete. (Growing a record key by key, and copying a context's record into every
 * claim, costs several times more than appending to arrays.) A collector may start from a `base` (the
 * sources of a claim's 2000A/B/C context, shared by every claim under it): its entries come first in
 * the record, and are neither copied nor walked again per claim. A base must not change once used.
 */
export class SourceCollector {
  readonly paths: string[] = [];
  readonly refs: SourceRef[] = [];
  /** This collector's entries as a base: the shape they lead to (found on first use; none when the tree is full). */
  private shape: RecordShape | undefined;
  private walked = false;

  constructor(private readonly base?: SourceCollector) {}

  add(path: string, ref: SourceRef): void {
    this.paths.push(path);
    this.refs.push(ref);
  }

  addAll(other: SourceCollector): void {
    if (other.base) this.addAll(other.base);
    for (let i = 0; i < other.paths.length; i++) this.add(other.paths[i]!, other.refs[i]!);
  }

  /** The record (a path read twice keeps its last source). */
  toRecord(): FieldSources {
    const base = this.base;
    if (base === undefined) return buildRecord(rootShape, EMPTY_PATHS, EMPTY_REFS, this.paths, this.refs);
    if (base.base !== undefined) {
      // Not used by the readers (a base has no base); kept correct all the same.
      const flat = new SourceCollector();
      flat.addAll(this);
      return flat.toRecord();
    }
    if (!base.walked) {
      base.shape = walkShape(rootShape, base.paths);
      base.walked = true;
    }
    return buildRecord(base.shape, base.paths, base.refs, this.paths, this.refs);
  }
}

const EMPTY_PATHS: readonly string[] = [];
const EMPTY_REFS: readonly SourceRef[] = [];

/**
 * A sequence of paths seen before, as a node of a tree (one edge per path): where a sequence repeats
 * (claims of one batch mostly share their shape), its record is built by a function compiled for it,
 * an object literal with its keys in order. A record grown key by key with keys that vary from object to
 * object falls into the engine's dictionary mode: several times slower to build, larger to keep.
 */
class RecordShape {
  /** The last edge taken (most sequences repeat the previous one's path at each step). */
  lastPath: string | undefined;
  lastNext: RecordShape | undefined;
  next: Map<string, RecordShape> | undefined;
  /** How often a record ended here, and the builder compiled once it ended here often enough. */
  ends = 0;
  build: RecordBuilder | undefined;
  /** How many of `paths` the builder takes from its first argument (the base's refs). */
  buildSplit = 0;

  constructor(
    readonly parent: RecordShape | undefined,
    readonly path: string,
  ) {}

  /** The paths from the root to here. */
  pathsFromRoot(): string[] {
    const paths: string[] = [];
    for (let shape: RecordShape | undefined = this; shape?.parent !== undefined; shape = shape.parent) paths.push(shape.path);
    return paths.reverse();
  }
}

type RecordBuilder = (base: readonly SourceRef[], own: readonly SourceRef[]) => FieldSources;

const rootShape = new RecordShape(undefined, '');
let shapeCount = 0;
/** The tree stops growing here (a batch of unusual claims must not grow memory without bound). */
const MAX_SHAPES = 5_000;
/** A sequence gets its builder once it has been seen this often (compiling one costs about as much as a hundred records built key by key). */
const ENDS_BEFORE_COMPILING = 32;
/** Compiled builders are capped as well (each holds its code and literal template). */
const MAX_BUILDERS = 1_000;
let builderCount = 0;

function walkShape(from: RecordShape | undefined, paths: readonly string[]): RecordShape | undefined {
  let shape = from;
  for (let i = 0; i < paths.length && shape !== undefined; i++) {
    const path = paths[i]!;
    if (shape.lastPath === path) {
      shape = shape.lastNext;
      continue;
    }
    let next: RecordShape | undefined = shape.next?.get(path);
    if (next === undefined && shapeCount < MAX_SHAPES) {
      next = new RecordShape(shape, path);
      shapeCount++;
      (shape.next ??= new Map()).set(path, next);
    }
    shape.lastPath = path;
    shape.lastNext = next;
    shape = next;
  }
  return shape;
}

function buildRecord(baseShape: RecordShape | undefined, basePaths: readonly string[], baseRefs: readonly SourceRef[], paths: readonly string[], refs: readonly SourceRef[]): FieldSources {
  const shape = walkShape(baseShape, paths);
  if (shape !== undefined) {
    const split = baseRefs.length;
    if (shape.build !== undefined && shape.buildSplit === split) return shape.build(baseRefs, refs);
    if (shape.build === undefined && ++shape.ends >= ENDS_BEFORE_COMPILING && shape !== rootShape && builderCount < MAX_BUILDERS) {
      builderCount++;
      shape.build = compileRecordBuilder(shape.pathsFromRoot(), split);
      shape.buildSplit = split;
      return shape.build(baseRefs, refs);
    }
  }
  const out: FieldSources = {};
  for (let i = 0; i < basePaths.length; i++) out[basePaths[i]!] = baseRefs[i]!;
  for (let i = 0; i < paths.length; i++) out[paths[i]!] = refs[i]!;
  return out;
}

/**
 * `(a, b) => ({ "path0": a[0], …, "pathN": b[0], … })`: the first `split` paths take the base's refs.
 * The paths are the program's own (field names and list indexes, never element values) and are written
 * as JSON string literals; a repeated path keeps its last value, as an assignment would.
 */
function compileRecordBuilder(paths: readonly string[], split: number): RecordBuilder {
  if (paths.includes('__proto__')) {
    return (base, own) => {
      const out: FieldSources = {};
      for (let i = 0; i < paths.length; i++) out[paths[i]!] = i < split ? base[i]! : own[i - split]!;
      return out;
    };
  }
  const body = paths.map((path, i) => `${JSON.stringify(path)}:${i < split ? `a[${i}]` : `b[${i - split}]`}`).join(',');
  return new Function('a', 'b', `return {${body}};`) as RecordBuilder;
}

/** The paths of a table's fields under a prefix, made once per (table, prefix). */
const pathsByTable = new WeakMap<FieldTable<never>, Map<string, string[]>>();
function tablePaths<T>(table: FieldTable<T>, prefix: string): readonly string[] {
  const key = table as unknown as FieldTable<never>;
  let byPrefix = pathsByTable.get(key);
  if (byPrefix === undefined) {
    byPrefix = new Map();
    pathsByTable.set(key, byPrefix);
  }
  let paths = byPrefix.get(prefix);
  if (paths === undefined) {
    paths = table.map((f) => fieldPath(prefix, f.key));
    byPrefix.set(prefix, paths);
  }
  return paths;
}

/** A table's fields read from a segment into `out`, with the sources under `paths` (see `readTableInto`). */
type TableReader = (r: SegmentFieldReader, out: Record<string, string | number>, paths: readonly string[]) => Record<string, string | number>;

const readersByTable = new WeakMap<FieldTable<never>, TableReader>();

/**
 * The reader of a table, compiled once per table: straight-line code with one named store per field.
 * (A loop over the table stored every field of every table through one keyed store, which the engine
 * can only run on its slow generic path once it has seen more than a few keys and object shapes.)
 */
function tableReaderOf<T>(table: FieldTable<T>): TableReader {
  const key = table as unknown as FieldTable<never>;
  let reader = readersByTable.get(key);
  if (reader === undefined) {
    reader = compileTableReader(table);
    readersByTable.set(key, reader);
  }
  return reader;
}

const KIND_METHODS = { text: 'text', money: 'money', decimal: 'decimal', date: 'date' } as const satisfies Record<FieldKind, keyof SegmentFieldReader>;

function compileTableReader<T>(table: FieldTable<T>): TableReader {
  // The tables are the program's own constants; anything unexpected in one takes the plain loop.
  const plain = table.some((f) => f.key === '__proto__' || !Number.isInteger(f.element) || (f.component !== undefined && !Number.isInteger(f.component)) || !((f.kind ?? 'text') in KIND_METHODS));
  if (plain) {
    return (r, out, paths) => {
      for (let i = 0; i < table.length; i++) {
        const f = table[i]!;
        const v = r[KIND_METHODS[f.kind ?? 'text']](paths[i]!, f.element, f.component);
        if (v !== undefined) out[f.key] = v;
      }
      return out;
    };
  }
  const body = table
    .map((f, i) => `v = r.${KIND_METHODS[f.kind ?? 'text']}(p[${i}], ${f.element}, ${f.component ?? 'undefined'}); if (v !== undefined) o[${JSON.stringify(f.key)}] = v;`)
    .join('\n');
  return new Function('r', 'o', 'p', `let v;\n${body}\nreturn o;`) as TableReader;
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
  /** The segment's elements, decoded one by one as they are read. */
  private readonly elements = new ElementView();
  /** ISA16, as a char code. */
  private componentSeparator: number;
  /** Components by element position, split on first use (allocated for segments that have composites). */
  private split: (string[] | undefined)[] | undefined;

  constructor(
    public segment: Segment,
    public loopId: string,
    private sink: ReadSink,
  ) {
    this.elements.reset(segment);
    this.componentSeparator = segment.delimiters.component;
  }

  /**
   * Point this reader at another segment: one reader serves a whole file (a reader per segment was a
   * measurable share of the garbage). A reader is only used during its segment's callback.
   */
  reset(segment: Segment, loopId: string, sink: ReadSink): this {
    this.segment = segment;
    this.loopId = loopId;
    this.sink = sink;
    this.elements.reset(segment);
    this.componentSeparator = segment.delimiters.component;
    this.split = undefined;
    return this;
  }

  /** Element n (1-based) as written, or `''`. */
  value(element: number): string {
    return this.elements.value(element);
  }

  /** Components of element n (an empty list when the element is empty); split once per element. */
  components(element: number): string[] {
    const split = (this.split ??= []);
    const cached = split[element];
    if (cached) return cached;
    const v = this.elements.value(element);
    const parts = v !== '' ? splitOn(v, this.componentSeparator) : [];
    split[element] = parts;
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
    // One literal per shape (same keys, same order as adding them one by one): no growing objects.
    if (element === undefined) {
      const ref: SourceRef = { ordinal: s.ordinal, offset: s.offset, loop: this.loopId, segment: s.id };
      if (component !== undefined) ref.component = component;
      return ref;
    }
    if (component === undefined) return { ordinal: s.ordinal, offset: s.offset, loop: this.loopId, segment: s.id, element };
    return { ordinal: s.ordinal, offset: s.offset, loop: this.loopId, segment: s.id, element, component };
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
    return this.readTableInto<T>({}, table, prefix);
  }

  /**
   * {@link readTable} straight into `target` (fields present in this segment are set, in table order,
   * as `Object.assign(target, readTable(…))` would, without the object in between).
   */
  readTableInto<T>(target: Partial<T>, table: FieldTable<T>, prefix: string): Partial<T> {
    // The table's keys are T's keys and each kind yields the type its field declares.
    return tableReaderOf(table)(this, target as Record<string, string | number>, tablePaths(table, prefix)) as Partial<T>;
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
