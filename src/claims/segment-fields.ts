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
import { ElementView, fieldPath, indexedPath, itemPrefix } from '../x12/read-kit.ts';
import type { Segment } from '../x12/segment.ts';
import { formatCents, formatD8, formatDecimal, parseCents, parseD8, parseDatePeriod, parseDecimal, type DatePeriod } from '../x12/values.ts';

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
 *
 * A collector can be reused ({@link SourceCollector.reset}): the reader keeps one for the claim and one
 * for its lines, so the lists keep their room from claim to claim instead of growing anew (and being
 * thrown away) for every claim and line. Only entries `0 … length - 1` count; the lists may be longer.
 */
export class SourceCollector {
  readonly paths: string[];
  readonly refs: SourceRef[];
  /** Entries recorded (the lists may hold stale entries beyond it). */
  length = 0;
  private base: SourceCollector | undefined;
  /** How many of the base's entries come first. */
  private baseLength = 0;
  /** This collector's entries as a base: the shape its first `walkedLength` entries lead to (none when the tree is full). */
  private shape: RecordShape | undefined;
  private walkedLength = -1;

  /** `capacity`: the entries expected, when known (the lists are made that long at once). */
  constructor(base?: SourceCollector, capacity = 0) {
    this.base = base;
    this.baseLength = base?.length ?? 0;
    this.paths = capacity > 0 ? new Array<string>(capacity) : [];
    this.refs = capacity > 0 ? new Array<SourceRef>(capacity) : [];
  }

  add(path: string, ref: SourceRef): void {
    const n = this.length;
    this.paths[n] = path;
    this.refs[n] = ref;
    this.length = n + 1;
  }

  addAll(other: SourceCollector): void {
    this.addFirst(other, other.length);
  }

  /** The first `count` entries of `other`, after those of its base. */
  private addFirst(other: SourceCollector, count: number): void {
    if (other.base) this.addFirst(other.base, other.baseLength);
    this.addRange(other, 0, count);
  }

  /** Entries `from … to - 1` of `other` (without its base's). */
  private addRange(other: SourceCollector, from: number, to: number): void {
    for (let i = from; i < to; i++) this.add(other.paths[i]!, other.refs[i]!);
  }

  /**
   * A new collector starting with a copy of `parent`'s entries (its base's first), its lists made long
   * enough for `more` entries after them.
   */
  static extending(parent: SourceCollector | undefined, more: number): SourceCollector {
    let inherited = 0;
    for (let p = parent; p !== undefined; p = p.base) inherited += p.length;
    const collector = new SourceCollector(undefined, inherited + more);
    if (parent) collector.addAll(parent);
    return collector;
  }

  /**
   * This collector, emptied (keeping its lists' room) to start again with a copy of `parent`'s entries,
   * as {@link SourceCollector.extending} makes one: for a reader that recycles the collectors of levels
   * no claim can take any more. Nothing may read the collector's former entries afterwards.
   */
  restart(parent: SourceCollector | undefined): this {
    this.length = 0;
    this.base = undefined;
    this.baseLength = 0;
    this.shape = undefined;
    this.walkedLength = -1;
    if (parent) this.addAll(parent);
    return this;
  }

  /** The room of the lists (entries they hold without growing). */
  get capacity(): number {
    return this.paths.length;
  }

  /**
   * Forget every entry (keeping the lists' room) and start from the first `baseLength` entries of
   * `base`. Not for a collector used as a base.
   */
  reset(base?: SourceCollector, baseLength = base?.length ?? 0): void {
    this.length = 0;
    this.base = base;
    this.baseLength = baseLength;
  }

  /** The record (a path read twice keeps its last source). */
  toRecord(): FieldSources {
    return this.rangeToRecord(0, this.length);
  }

  /**
   * The record of entries `from … to - 1`, after the base's (a reader collecting several objects' sources
   * in turn, such as the lines of a claim, builds each object's record from its own range).
   */
  rangeToRecord(from: number, to: number): FieldSources {
    const base = this.base;
    if (base === undefined) return buildRecord(rootShape, EMPTY_PATHS, EMPTY_REFS, 0, this.paths, this.refs, from, to);
    const baseLength = this.baseLength;
    if (base.base !== undefined) {
      // Not used by the readers (a base has no base); kept correct all the same.
      const flat = new SourceCollector();
      flat.addFirst(base, baseLength);
      flat.addRange(this, from, to);
      return flat.toRecord();
    }
    if (base.walkedLength !== baseLength) {
      base.shape = walkShape(rootShape, base.paths, 0, baseLength);
      base.walkedLength = baseLength;
    }
    return buildRecord(base.shape, base.paths, base.refs, baseLength, this.paths, this.refs, from, to);
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

/** Builds a record from the base's refs and the own refs from `from` on. */
type RecordBuilder = (base: readonly SourceRef[], own: readonly SourceRef[], from: number) => FieldSources;

const rootShape = new RecordShape(undefined, '');
let shapeCount = 0;
/** The tree stops growing here (a batch of unusual claims must not grow memory without bound). */
const MAX_SHAPES = 5_000;
/** A sequence gets its builder once it has been seen this often (compiling one costs about as much as a hundred records built key by key). */
const ENDS_BEFORE_COMPILING = 32;
/** Compiled builders are capped as well (each holds its code and literal template). */
const MAX_BUILDERS = 1_000;
let builderCount = 0;

function walkShape(from: RecordShape | undefined, paths: readonly string[], start: number, end: number): RecordShape | undefined {
  let shape = from;
  for (let i = start; i < end && shape !== undefined; i++) {
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

/** The record of the base's first `baseLength` entries, then entries `from … to - 1` of `paths` and `refs`. */
function buildRecord(
  baseShape: RecordShape | undefined,
  basePaths: readonly string[],
  baseRefs: readonly SourceRef[],
  baseLength: number,
  paths: readonly string[],
  refs: readonly SourceRef[],
  from: number,
  to: number,
): FieldSources {
  const shape = walkShape(baseShape, paths, from, to);
  if (shape !== undefined) {
    if (shape.build !== undefined && shape.buildSplit === baseLength) return shape.build(baseRefs, refs, from);
    if (shape.build === undefined && ++shape.ends >= ENDS_BEFORE_COMPILING && shape !== rootShape && builderCount < MAX_BUILDERS) {
      builderCount++;
      shape.build = compileRecordBuilder(shape.pathsFromRoot(), baseLength);
      shape.buildSplit = baseLength;
      return shape.build(baseRefs, refs, from);
    }
  }
  const out: FieldSources = {};
  for (let i = 0; i < baseLength; i++) out[basePaths[i]!] = baseRefs[i]!;
  for (let i = from; i < to; i++) out[paths[i]!] = refs[i]!;
  return out;
}

/**
 * `(a, b, o) => ({ "path0": a[0], …, "pathN": b[o], … })`: the first `split` paths take the base's refs,
 * the others the own refs from `o` on.
 * The paths are the program's own (field names and list indexes, never element values) and are written
 * as JSON string literals; a repeated path keeps its last value, as an assignment would.
 */
function compileRecordBuilder(paths: readonly string[], split: number): RecordBuilder {
  if (paths.includes('__proto__')) {
    return (base, own, from) => {
      const out: FieldSources = {};
      for (let i = 0; i < paths.length; i++) out[paths[i]!] = i < split ? base[i]! : own[from + i - split]!;
      return out;
    };
  }
  const body = paths.map((path, i) => `${JSON.stringify(path)}:${i < split ? `a[${i}]` : `b[o + ${i - split}]`}`).join(',');
  return new Function('a', 'b', 'o', `return {${body}};`) as RecordBuilder;
}

/** A table's fields read from a segment into `out`, with the sources under `paths` (see `readTableInto`). */
type TableReader = (r: SegmentFieldReader, out: Record<string, string | number>, paths: readonly string[]) => Record<string, string | number>;

/**
 * What a table is read with: its compiled reader and the paths of its fields under each prefix (made
 * once per table and prefix), with the last prefix asked for at hand (a table is mostly read under the
 * same prefix as the time before: one look-up per segment instead of three).
 */
interface TableEntry {
  reader: TableReader;
  pathsByPrefix: Map<string, readonly string[]>;
  lastPrefix: string | undefined;
  lastPaths: readonly string[];
}

const entriesByTable = new WeakMap<FieldTable<never>, TableEntry>();

function tableEntryOf<T>(table: FieldTable<T>): TableEntry {
  const key = table as unknown as FieldTable<never>;
  let entry = entriesByTable.get(key);
  if (entry === undefined) {
    entry = { reader: compileTableReader(table), pathsByPrefix: new Map(), lastPrefix: undefined, lastPaths: [] };
    entriesByTable.set(key, entry);
  }
  return entry;
}

/** The paths of a table's fields under a prefix. */
function tablePaths<T>(table: FieldTable<T>, entry: TableEntry, prefix: string): readonly string[] {
  if (entry.lastPrefix === prefix) return entry.lastPaths;
  let paths = entry.pathsByPrefix.get(prefix);
  if (paths === undefined) {
    paths = table.map((f) => fieldPath(prefix, f.key));
    entry.pathsByPrefix.set(prefix, paths);
  }
  entry.lastPrefix = prefix;
  entry.lastPaths = paths;
  return paths;
}

const KIND_METHODS = { text: 'text', money: 'money', decimal: 'decimal', date: 'date' } as const satisfies Record<FieldKind, keyof SegmentFieldReader>;

/**
 * The reader of a table, compiled once per table: straight-line code with one named store per field.
 * (A loop over the table stored every field of every table through one keyed store, which the engine
 * can only run on its slow generic path once it has seen more than a few keys and object shapes.)
 */
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

/** Distinct dates a reader keeps before it starts over. */
const MAX_CACHED_DATES = 4096;

/** The components of an empty element (shared: component lists are only read). */
const NO_COMPONENTS: string[] = Object.freeze([]) as unknown as string[];

/** Where a reader records sources and findings, and how to name the claim and line in findings. */
export interface ReadSink {
  sources: SourceCollector;
  findings: Finding[];
  claimRef?: string | undefined;
  line?: number | undefined;
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
  /**
   * Components by element position, split on first use; valid where `splitStamps[n] === generation`
   * (kept from segment to segment: a new generation forgets them all, with no list made per segment).
   * The lists themselves are refilled by the next segment's split of the same position.
   */
  private readonly split: string[][] = [];
  private readonly splitLists: string[][] = [];
  private splitStamps = new Int32Array(32);
  private generation = 1;
  /** {@link SegmentFieldReader.isoDate}'s dates by their text (null: not a date), for this reader's file. */
  private readonly isoDates = new Map<string, string | null>();

  constructor(
    public segment: Segment,
    public loopId: string,
    private sink: ReadSink,
  ) {
    this.elements.reset(segment);
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
    if (++this.generation === 0x7fffffff) {
      this.generation = 1;
      this.splitStamps.fill(0);
    }
    return this;
  }

  /** Element n (1-based) as written, or `''`. */
  value(element: number): string {
    return this.elements.value(element);
  }

  /**
   * Components of element n (an empty list when the element is empty); split once per element. The
   * list is the reader's: read it, copy it, never change or keep it.
   */
  components(element: number): readonly string[] {
    const stamps = this.splitStamps;
    if (element < stamps.length && stamps[element] === this.generation) return this.split[element]!;
    // Split from the bytes into the list kept for this position (the first repetition: 837 elements do not repeat).
    const list = (this.splitLists[element] ??= []);
    const count = this.elements.componentsInto(element, list);
    if (count > 0 && list.length !== count) list.length = count;
    const parts = count > 0 ? list : NO_COMPONENTS;
    if (element >= stamps.length) {
      const bigger = new Int32Array(Math.max(element + 1, stamps.length * 2));
      bigger.set(stamps);
      this.splitStamps = bigger;
    }
    this.splitStamps[element] = this.generation;
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
    // Not looked up in `isoDates`: these are mostly birth dates, nearly all distinct.
    const parsed = parseD8(v);
    if (!parsed.ok) {
      this.problem('READ_INVALID_DATE', 'reject', `${this.where(element, component)} is not ${KIND_WORDS.date}.`, element, component);
      return undefined;
    }
    this.record(path, element, component);
    return parsed.value;
  }

  /**
   * `CCYYMMDD` text as an ISO date, or undefined when it is not a calendar date (as {@link parseD8}).
   * A file holds few distinct service dates (they cluster, and repeat on every line): each is checked
   * and built once per reader, one shared string instead of a new string and result per date.
   */
  isoDate(text: string): string | undefined {
    let iso = this.isoDates.get(text);
    if (iso === undefined) {
      const parsed = parseD8(text);
      iso = parsed.ok ? parsed.value : null;
      // Bounded: a file of endless distinct dates must not grow it without limit.
      if (this.isoDates.size >= MAX_CACHED_DATES) this.isoDates.clear();
      this.isoDates.set(text, iso);
    }
    return iso ?? undefined;
  }

  /** A date period as DTP02 names its format and DTP03 writes it (see {@link parseDatePeriod}), or undefined when it is not one. */
  datePeriod(format: string, text: string): DatePeriod | undefined {
    if (format === 'D8') {
      const iso = this.isoDate(text);
      return iso === undefined ? undefined : { from: iso, to: iso };
    }
    const parsed = parseDatePeriod(format, text);
    return parsed.ok ? parsed.value : undefined;
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
    const entry = tableEntryOf(table);
    return entry.reader(this, target as Record<string, string | number>, tablePaths(table, entry, prefix)) as Partial<T>;
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
