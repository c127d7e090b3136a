/**
 * A segment as the tokenizer yields it: its id, where it is, and its bytes. Element strings are
 * decoded only when asked for (lazy), so a scan that looks at ids and a few qualifiers decodes little.
 */

/** Delimiters of one interchange, as byte values; `repetition` is -1 where the interchange has none. */
export interface Delimiters {
  element: number;
  component: number;
  repetition: number;
  segment: number;
}

export function delimiterChars(d: Delimiters): { element: string; component: string; repetition: string; segment: string } {
  return {
    element: String.fromCharCode(d.element),
    component: String.fromCharCode(d.component),
    repetition: d.repetition < 0 ? '' : String.fromCharCode(d.repetition),
    segment: String.fromCharCode(d.segment),
  };
}

const EMPTY: readonly string[] = Object.freeze([]);

/**
 * Up to four ASCII characters packed into one small integer (seven bits each; X12 characters are never
 * NUL, so the length needs no bits of its own), or -1 for longer or non-ASCII text. Lets code lists and
 * qualifiers be matched against a segment's bytes without decoding a string; the result stays a small
 * integer (no heap number) so that set look-ups stay cheap.
 */
export function packString(s: string): number {
  if (s.length > 4) return -1;
  let key = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f || c === 0) return -1;
    key = key * 128 + c;
  }
  return key;
}

/** {@link packString} of the bytes [from, to). */
export function packBytes(buf: Uint8Array, from: number, to: number): number {
  if (to - from > 4) return -1;
  let key = 0;
  for (let p = from; p < to; p++) {
    const c = buf[p]!;
    if (c > 0x7f || c === 0) return -1;
    key = key * 128 + c;
  }
  return key;
}

/**
 * Segment ids numbered in order of first sight (process-wide), so the walker can find a segment's
 * candidates by array index instead of a string-keyed map.
 */
const codesById = new Map<string, number>();
export function segmentCode(id: string): number {
  let code = codesById.get(id);
  if (code === undefined) {
    code = codesById.size;
    codesById.set(id, code);
  }
  return code;
}

/**
 * The envelope's ids are numbered first, so that the hot path tells an envelope segment from a body
 * segment with one comparison (`code <= LAST_ENVELOPE_CODE`) instead of a string switch.
 */
export const ISA_CODE = segmentCode('ISA');
export const IEA_CODE = segmentCode('IEA');
export const GS_CODE = segmentCode('GS');
export const GE_CODE = segmentCode('GE');
export const ST_CODE = segmentCode('ST');
export const SE_CODE = segmentCode('SE');
export const TA1_CODE = segmentCode('TA1');
/** The highest envelope id number (ISA, IEA, GS, GE, ST, SE, TA1 are 0 … 6). */
export const LAST_ENVELOPE_CODE = TA1_CODE;

export class Segment {
  private els: string[] | undefined;
  /**
   * Where each element is, as the element checker found it (see {@link shareElementBounds}): `[start,
   * end)` of element n at `[2n]`, `[2n + 1]`, element 0 being the id. Undefined until a checker has
   * scanned this segment, and again once the object is pointed at another segment.
   */
  private bounds: Int32Array | undefined = undefined;
  private boundCount = 0;

  constructor(
    /** The bytes holding the segment (shared with neighbours; do not modify). */
    readonly buf: Uint8Array,
    /** Index in `buf` of the segment's first byte (the id). */
    readonly start: number,
    /** Index in `buf` just past the segment's last byte (the terminator is not included). */
    readonly end: number,
    /** Segment id, e.g. `NM1`. */
    readonly id: string,
    /** Byte offset of the segment's first byte in the whole input. */
    readonly offset: number,
    /** Position in its transaction set (ST = 1, SE = last); 0 outside a transaction set. */
    readonly ordinal: number,
    readonly delimiters: Delimiters,
    /** The id's number (see {@link segmentCode}). */
    readonly code: number = segmentCode(id),
  ) {}

  /**
   * Make `buf` the bytes that the next {@link reset}s point into (once per read chunk: storing it for each
   * segment would cost a write barrier each time, the chunk being young and this object old).
   */
  useBuffer(buf: Uint8Array): void {
    (this as { buf: Uint8Array }).buf = buf;
  }

  /**
   * Point this object at another segment in its buffer (see {@link useBuffer}; the tokenizer's
   * `reuseSegments` mode: one object for a whole file when the consumer keeps no segment past its callback).
   */
  reset(start: number, end: number, id: string, offset: number, ordinal: number, delimiters: Delimiters, code: number): this {
    const self = this as { -readonly [K in keyof Segment]: Segment[K] };
    self.start = start;
    self.end = end;
    self.id = id;
    self.offset = offset;
    self.ordinal = ordinal;
    self.delimiters = delimiters;
    self.code = code;
    this.els = undefined;
    this.bounds = undefined;
    return this;
  }

  /**
   * Record the element boundaries a scan of this segment found (the element checker's, which reads every
   * byte anyway), so that a model reader's view of the segment need not scan it again. `bounds` is the
   * scanner's own array, lent until it scans the next segment (it then takes it back with `undefined`):
   * readers use it only during this segment's callback, as they use the segment itself.
   */
  shareElementBounds(bounds: Int32Array | undefined, count: number): void {
    this.bounds = bounds;
    this.boundCount = count;
  }

  /** The boundaries shared by {@link shareElementBounds} (and how many elements, the id included), if any. */
  get elementBounds(): Int32Array | undefined {
    return this.bounds;
  }

  get elementBoundCount(): number {
    return this.boundCount;
  }

  /** Every element, decoded: index 0 is the segment id, index n is element n (ISA01 = `[1]`). */
  elements(): string[] {
    if (this.els) return this.els;
    const { buf, end } = this;
    const sep = this.delimiters.element;
    const out: string[] = [this.id];
    let p = this.start + this.id.length;
    if (p < end && buf[p] === sep) {
      p++;
      let from = p;
      for (; p < end; p++) {
        if (buf[p] === sep) {
          out.push(decode(buf, from, p));
          from = p + 1;
        }
      }
      out.push(decode(buf, from, end));
    }
    this.els = out;
    return out;
  }

  /** Number of elements present (trailing empty ones included, as written). */
  get elementCount(): number {
    return this.elements().length - 1;
  }

  /** Element n (1-based) as written, or `''` when absent. */
  element(n: number): string {
    if (this.els) return n < this.els.length ? this.els[n]! : '';
    // Without splitting the whole segment: find element n's bytes and decode only those.
    const { buf, end } = this;
    const sep = this.delimiters.element;
    let p = this.start + this.id.length;
    for (let k = 0; k < n; k++) {
      if (p >= end) return '';
      p++; // past the separator before element k + 1
      if (k < n - 1) {
        while (p < end && buf[p] !== sep) p++;
      }
    }
    let q = p;
    while (q < end && buf[q] !== sep) q++;
    return decode(buf, p, q);
  }

  /**
   * {@link packString} of element n (or of its component c, 1-based, first repetition), read from the
   * bytes: -1 when longer than four characters. The walker matches qualifiers with this.
   */
  elementKey(n: number, c = 0): number {
    const { buf, end } = this;
    const sep = this.delimiters.element;
    let p = this.start + this.id.length;
    for (let k = 0; k < n; k++) {
      if (p >= end) return 0; // absent: the empty string's key
      p++;
      if (k < n - 1) while (p < end && buf[p] !== sep) p++;
    }
    let q = p;
    const rep = this.delimiters.repetition;
    while (q < end && buf[q] !== sep && buf[q] !== rep) q++;
    if (c > 0) {
      const comp = this.delimiters.component;
      for (let k = 1; k < c; k++) {
        while (p < q && buf[p] !== comp) p++;
        if (p >= q) return 0;
        p++;
      }
      let r = p;
      while (r < q && buf[r] !== comp) r++;
      q = r;
    }
    return packBytes(buf, p, q);
  }

  /** Repetitions of element n (split on the repetition separator, if the interchange has one). */
  repetitions(n: number): readonly string[] {
    const v = this.element(n);
    if (v === '') return EMPTY;
    const rep = this.delimiters.repetition;
    return rep < 0 ? [v] : v.split(String.fromCharCode(rep));
  }

  /** Components of element n (first repetition unless `repetition` is given, 0-based). */
  components(n: number, repetition = 0): readonly string[] {
    const reps = this.repetitions(n);
    const v = reps[repetition];
    if (v === undefined || v === '') return EMPTY;
    return v.split(String.fromCharCode(this.delimiters.component));
  }

  /** Component c (1-based) of element n, or `''`. */
  component(n: number, c: number): string {
    return this.components(n)[c - 1] ?? '';
  }

  /** The segment as written, without its terminator. */
  raw(): string {
    return decode(this.buf, this.start, this.end);
  }

  /** Length in bytes, without the terminator. */
  get length(): number {
    return this.end - this.start;
  }
}

function decode(buf: Uint8Array, from: number, to: number): string {
  if (to - from < 24) {
    // Short ASCII values are the common case: build them without a decoder call.
    let s = '';
    for (let i = from; i < to; i++) {
      const c = buf[i]!;
      if (c > 0x7f) return Buffer.from(buf.buffer, buf.byteOffset + from, to - from).toString('utf8');
      s += String.fromCharCode(c);
    }
    return s;
  }
  return Buffer.from(buf.buffer, buf.byteOffset + from, to - from).toString('utf8');
}
