/**
 * The X12 tokenizer: bytes in, segments out, in one pass, across any read-chunk boundaries.
 *
 * Delimiters come from each interchange's fixed-width ISA: element separator at index 3, repetition
 * separator ISA11 (index 82, from version 00501 on, never a letter or digit), component separator
 * ISA16 (index 104) and segment terminator (index 105). Where an ISA's fields are not of the fixed
 * widths, the separators are found by counting sixteen element separators instead (the envelope
 * then reports the widths). CR, LF, spaces and tabs after a terminator are skipped; a leading UTF-8
 * BOM is tolerated; a file may hold several interchanges, each with its own delimiters.
 *
 * Segments are pushed to a {@link TokenSink}. The tokenizer only finds segments; what they mean is
 * the envelope's and the loop walker's business.
 */
import { FileIssueCode, type X12Issue } from './issues.ts';
import { GE_CODE, IEA_CODE, LAST_ENVELOPE_CODE, SE_CODE, Segment, segmentCode, ST_CODE, type Delimiters } from './segment.ts';

export interface TokenSink {
  segment(segment: Segment): void;
  /**
   * The envelope segments (ISA, IEA, GS, GE, ST, SE, TA1), when the sink takes them apart; without it they
   * come to {@link segment} too. They are handed over from outside the tokenizer's segment loop, and a
   * sink's own hot path then never meets them either (the first set end met after that path was optimized
   * would otherwise throw its optimized code away).
   */
  envelopeSegment?(segment: Segment): void;
  issue(issue: X12Issue): void;
}

export interface TokenizerOptions {
  /**
   * What to do with bytes before the first ISA (other than whitespace and a BOM): `reject` reports an
   * error (the file is not a clean interchange) and goes on from the first ISA; `skip` only warns.
   * Annotated samples (prose, then X12) are read with `skip`.
   */
  leadingText?: 'reject' | 'skip';
  /** Longest segment accepted, in bytes; a longer run without a terminator is reported and skipped. */
  maxSegmentLength?: number;
  /**
   * Hand the sink the same Segment object every time, repointed (no allocation per segment). Only for a
   * sink that keeps no segment after its `segment()` call returns.
   */
  reuseSegments?: boolean;
}

const enum State {
  /** Looking for an ISA (start of input, or after an IEA). */
  SeekIsa,
  /** Inside an interchange, at a segment boundary or inside a segment. */
  Segments,
  /** Skipping an over-long segment up to its terminator. */
  Discard,
  /** Saw non-X12 text; skipping to the next ISA. */
  SkipText,
}

const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const I = 0x49;
const S = 0x53;
const A = 0x41;
const ISA_LENGTH = 106;
/** The window of bytes one call of the segment loop reads (see `Tokenizer.feed`). */
const SLICE_BYTES = 16 * 1024;
/** How much of a new chunk is copied to finish the segment cut at the previous chunk's end. */
const BRIDGE_BYTES = 64 * 1024;
/** How far to look for the sixteenth separator of an ISA whose fields are not fixed width. */
const ISA_SCAN_LIMIT = 512;

function isWhite(c: number): boolean {
  return c === CR || c === LF || c === SPACE || c === TAB;
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/**
 * Segment ids decoded once: most segments share a few dozen ids. Each cache entry holds the id string
 * and its number ({@link segmentCode}); the last one found is in `lastId`/`lastCode`.
 */
const idCache = new Map<number, { id: string; code: number }>();
/**
 * A direct-mapped cache in front of `idCache` (most segments hit it: a few ids dominate). 1,024 slots
 * and a multiplicative hash keep the common ids of every guide (REF and CAS, CLM and HI…) apart.
 */
const FAST_SLOTS = 1024;
const fastKeys = new Int32Array(FAST_SLOTS).fill(-1);
const fastIds: string[] = new Array<string>(FAST_SLOTS).fill('');
const fastCodes = new Int32Array(FAST_SLOTS);
let lastId = '';
let lastCode = 0;
function readSegmentId(buf: Uint8Array, start: number, end: number, sep: number): void {
  let key = 0;
  let p = start;
  const limit = end < start + 3 ? end : start + 3;
  for (; p < limit; p++) {
    const c = buf[p]!;
    if (c === sep) break;
    key = key * 256 + c;
  }
  if (p < end && buf[p] !== sep) {
    // Longer than three bytes: not a standard id; decode without caching.
    let q = p;
    while (q < end && buf[q] !== sep) q++;
    lastId = Buffer.from(buf.buffer, buf.byteOffset + start, q - start).toString('latin1');
    lastCode = segmentCode(lastId);
    return;
  }
  key = key * 4 + (p - start);
  const slot = Math.imul(key, 0xc2b2ae35) >>> 22;
  if (fastKeys[slot] === key) {
    lastId = fastIds[slot]!;
    lastCode = fastCodes[slot]!;
    return;
  }
  let entry = idCache.get(key);
  if (entry === undefined) {
    const id = internalize(Buffer.from(buf.buffer, buf.byteOffset + start, p - start).toString('latin1'));
    entry = { id, code: segmentCode(id) };
    if (idCache.size < 4096) idCache.set(key, entry);
  }
  fastKeys[slot] = key;
  fastIds[slot] = entry.id;
  fastCodes[slot] = entry.code;
  lastId = entry.id;
  lastCode = entry.code;
}

/**
 * The engine's own copy of an id string: property keys are internalized, so comparing it with a
 * literal (`id === 'CLM'`) is one pointer comparison on the hot path.
 */
function internalize(id: string): string {
  return Object.keys({ [id]: 0 })[0] ?? id;
}

export class Tokenizer {
  private state = State.SeekIsa;
  private carry: Uint8Array | undefined;
  /** Absolute offset of `carry[0]` (or of the next chunk's first byte when there is no carry). */
  private base = 0;
  private delims: Delimiters | undefined;
  private ordinal = 0;
  private inSet = false;
  private seenIsa = false;
  private atStart = true;
  /** Bytes being skipped as text (already reported): an ISA found in them that proves not to be one is more of it. */
  private inText = false;
  private readonly leadingText: 'reject' | 'skip';
  private readonly maxSegmentLength: number;
  private readonly flyweight: Segment | undefined;
  /**
   * An envelope segment (ISA, IEA, GS, GE, ST, SE, TA1) found by `run`, which stops there; `feed` hands
   * it to the sink. The envelope's handling is far from the per-segment path and first meets a
   * segment only at the end of the first set: called from the segment loop, it would throw the
   * optimized loop (and whatever it has inlined) away at that moment; called from `feed`, it does not.
   */
  private pending: Segment | undefined;

  constructor(options: TokenizerOptions = {}) {
    this.flyweight = options.reuseSegments ? new Segment(new Uint8Array(0), 0, 0, '', 0, 0, { element: 0, component: 0, repetition: -1, segment: 0 }) : undefined;
    this.leadingText = options.leadingText ?? 'reject';
    this.maxSegmentLength = options.maxSegmentLength ?? 1 << 20;
  }

  /** Feed the next chunk of bytes. */
  write(chunk: Uint8Array, sink: TokenSink): void {
    const carry = this.carry;
    this.carry = undefined;
    let buf = chunk;
    let base = this.base;
    let from = 0;
    if (carry !== undefined && carry.length > 0) {
      if (chunk.length > BRIDGE_BYTES) {
        // The segment cut at the last chunk's end is finished in a copy of its bytes and the start of
        // this chunk only: copying every read chunk whole to finish one segment copied the whole file.
        const bridge = Buffer.concat([carry, chunk.subarray(0, BRIDGE_BYTES)]);
        const used = this.feed(bridge, 0, base, sink);
        if (used >= carry.length) {
          from = used - carry.length;
          base += carry.length;
        } else {
          // Still inside the carried bytes (a segment longer than the bridge): join everything.
          buf = Buffer.concat([carry, chunk]);
          from = used;
        }
      } else {
        buf = Buffer.concat([carry, chunk]);
      }
    }
    const used = this.feed(buf, from, base, sink);
    if (used < buf.length) {
      this.carry = buf.subarray(used);
      this.base = base + used;
    } else {
      this.base = base + buf.length;
    }
  }

  /**
   * Read `buf` (its first byte at absolute offset `base`) from `from`; return the index up to which it
   * was consumed (the rest is a partial segment or ISA, waiting for more bytes).
   *
   * The bytes are read in windows of SLICE_BYTES: each window's end is met like a chunk's end (a
   * segment cut there is read again from its start in the next window), so the end-of-bytes paths run
   * within the first few thousand segments, before the loop is optimized, instead of once per read
   * chunk (where each first time threw the optimized loop away and a whole chunk ran slowly).
   */
  private feed(buf: Uint8Array, from: number, base: number, sink: TokenSink): number {
    this.flyweight?.useBuffer(buf);
    let used = from;
    while (used < buf.length) {
      let next = this.run(buf, used, Math.min(buf.length, used + SLICE_BYTES), base, sink, false);
      // A segment longer than a window: read it with every byte there is.
      if (next === used && used + SLICE_BYTES < buf.length) next = this.run(buf, used, buf.length, base, sink, false);
      this.flush(sink);
      if (next === used) break;
      used = next;
    }
    return used;
  }

  /** Signal the end of input: whatever is left is reported. */
  end(sink: TokenSink): void {
    const buf = this.carry ?? new Uint8Array(0);
    const base = this.base;
    this.carry = undefined;
    this.flyweight?.useBuffer(buf);
    let used = 0;
    do used = this.run(buf, used, buf.length, base, sink, true);
    while (this.flush(sink));
    if (!this.seenIsa) {
      sink.issue({
        level: 'file',
        code: this.atStart ? FileIssueCode.empty : FileIssueCode.noIsa,
        severity: 'error',
        message: this.atStart ? 'The file is empty.' : 'No ISA interchange header was found in the file.',
        offset: 0,
      });
    }
  }

  /**
   * Process `buf` (whose first byte is at absolute offset `base`) from `from` up to `len`; return the
   * index up to which the bytes were consumed. Unconsumed bytes are a partial segment or ISA, read
   * again with the next window or carried to the next chunk.
   */
  private run(buf: Uint8Array, from: number, len: number, base: number, sink: TokenSink, final: boolean): number {
    let pos = from;
    while (pos < len) {
      switch (this.state) {
        case State.SeekIsa: {
          if (this.atStart) {
            if (len - pos < 3 && !final) return pos;
            if (buf[pos] === 0xef && buf[pos + 1] === 0xbb && buf[pos + 2] === 0xbf) pos += 3;
          }
          while (pos < len && isWhite(buf[pos]!)) pos++;
          if (pos >= len) return pos;
          this.atStart = false;
          if (len - pos < 4 && !final) return pos;
          if (buf[pos] === I && buf[pos + 1] === S && buf[pos + 2] === A && pos + 3 < len && !isAlnum(buf[pos + 3]!)) {
            const used = this.readIsa(buf, pos, base, sink, final);
            if (used < 0) return pos; // need more bytes
            pos = used;
            if (this.pending !== undefined) return pos;
            continue;
          }
          // Not an ISA: text before the first interchange, or after an IEA.
          if (!this.inText) this.reportText(base + pos, sink);
          this.inText = true;
          this.state = State.SkipText;
          continue;
        }
        case State.SkipText: {
          const next = findIsa(buf, pos);
          // At the end of input, an ISA with no byte after it cannot open an interchange: it is the
          // end of the text already reported (taken as a header again, it was reported and found
          // again without end).
          if (next < 0 || (final && next + 3 >= buf.length)) {
            // None in all the bytes there are (not only this window): keep the last 3, an ISA may
            // straddle the boundary.
            if (final) return buf.length;
            return Math.max(pos, buf.length - 3);
          }
          pos = next;
          this.state = State.SeekIsa;
          continue;
        }
        case State.Discard: {
          const t = buf.indexOf(this.delims!.segment, pos);
          if (t < 0) return len;
          pos = t + 1;
          this.state = State.Segments;
          continue;
        }
        case State.Segments: {
          const d = this.delims!;
          const term = d.segment;
          const elementSeparator = d.element;
          const lineFeedTerminator = term === LF;
          // Segment after segment without leaving this loop, until an envelope segment, a new ISA, or
          // the end of the window. Every way out but the ISA goes through the one return after the
          // loop, so that its code has run (at the first window's end) before the loop is optimized.
          let windowEnd = false;
          while (this.state === State.Segments && this.pending === undefined) {
            // Skip line ends and blanks between segments (never a delimiter). Bounded by `len`: a read
            // past the end would cost the optimized loop a deoptimization at every chunk's end.
            while (pos < len) {
              const c = buf[pos]!;
              if (c > 0x20 || c === term || c === elementSeparator || !isWhite(c)) break;
              pos++;
            }
            if (pos >= len) {
              windowEnd = true;
              break;
            }
            // A new ISA inside the current interchange (its IEA missing) starts a new one.
            if (buf[pos] === I && len - pos >= 4 && buf[pos + 1] === S && buf[pos + 2] === A && !isAlnum(buf[pos + 3]!)) {
              this.state = State.SeekIsa;
              break;
            }
            // The terminator, by native indexOf (measured: a JS byte loop was no faster once optimized,
            // and much slower before).
            let t = buf.indexOf(term, pos);
            if (t < 0 || t > len) t = len;
            if (t === len) {
              this.noTerminator(buf, pos, len, base, sink, final);
              if (final || len - pos > this.maxSegmentLength) pos = len;
              windowEnd = true;
              break;
            }
            if (t - pos > this.maxSegmentLength) {
              this.tooLong(base + pos, sink);
              pos = t + 1;
              continue;
            }
            if (t > pos) this.emit(buf, pos, lineFeedTerminator ? trimCr(buf, pos, t, term) : t, base, sink);
            pos = t + 1;
          }
          if (this.pending !== undefined || windowEnd) return pos;
          continue;
        }
      }
    }
    return pos;
  }

  private emit(buf: Uint8Array, start: number, end: number, base: number, sink: TokenSink): void {
    const d = this.delims!;
    readSegmentId(buf, start, end, d.element);
    const code = lastCode;
    // ST opens a set at ordinal 1, every segment inside counts, and SE, GE or IEA close it. Written
    // without a branch per rare id so that every property access here is reached by the first few
    // segments: an optimized emit then never meets an access without type feedback at a set's end.
    const ordinal = code === ST_CODE ? 1 : this.inSet ? this.ordinal + 1 : 0;
    this.ordinal = ordinal;
    this.inSet = ordinal > 0 && code !== SE_CODE && code !== GE_CODE && code !== IEA_CODE;
    this.state = code === IEA_CODE ? State.SeekIsa : State.Segments;
    const fly = this.flyweight;
    const segment = fly !== undefined ? fly.reset(start, end, lastId, base + start, ordinal, d, code) : new Segment(buf, start, end, lastId, base + start, ordinal, d, code);
    // Stored for every segment (so that the store is never a first), handed over here only in the body.
    const envelope = code <= LAST_ENVELOPE_CODE;
    this.pending = envelope ? segment : undefined;
    if (!envelope) sink.segment(segment);
  }

  /** Hand the sink the envelope segment `run` stopped at, if there is one; true when there was. */
  private flush(sink: TokenSink): boolean {
    const segment = this.pending;
    if (segment === undefined) return false;
    this.pending = undefined;
    if (sink.envelopeSegment !== undefined) sink.envelopeSegment(segment);
    else sink.segment(segment);
    return true;
  }

  /**
   * No terminator between `pos` and `len` (the end of the bytes read so far): at the end of input the segment is truncated
   * (reported, then emitted as it stands); an over-long run is reported and discarded; otherwise the
   * bytes wait for the next chunk. Kept out of `run` so that its loop stays small.
   */
  private noTerminator(buf: Uint8Array, pos: number, len: number, base: number, sink: TokenSink, final: boolean): void {
    if (len - pos > this.maxSegmentLength) {
      this.tooLong(base + pos, sink);
      this.state = State.Discard;
      return;
    }
    if (!final) return;
    sink.issue({
      level: 'file',
      code: FileIssueCode.truncated,
      severity: 'error',
      message: `The file ends inside a segment that starts at byte ${base + pos} (no segment terminator).`,
      offset: base + pos,
    });
    this.emit(buf, pos, trimCr(buf, pos, len, this.delims!.segment), base, sink);
  }

  /**
   * Read the ISA starting at `pos`; return the index after its terminator, or -1 when more bytes are
   * needed.
   */
  private readIsa(buf: Uint8Array, pos: number, base: number, sink: TokenSink, final: boolean): number {
    const avail = buf.length - pos;
    const elementSep = buf[pos + 3]!;
    let componentAt: number;
    if (avail >= ISA_LENGTH && buf[pos + 103] === elementSep && countSeparators(buf, pos, pos + 103, elementSep) === 15) {
      componentAt = pos + 104;
    } else {
      // Not the fixed widths (or not all here yet): find the sixteenth element separator.
      let count = 0;
      let p = pos + 3;
      const limit = Math.min(buf.length, pos + ISA_SCAN_LIMIT);
      for (; p < limit; p++) {
        if (buf[p] === elementSep && ++count === 16) break;
      }
      if (count < 16 || p + 2 >= buf.length) {
        if (!final && buf.length < pos + ISA_SCAN_LIMIT) return -1;
        sink.issue({
          level: 'interchange',
          code: '022',
          severity: 'error',
          message: `The ISA at byte ${base + pos} is incomplete: it does not hold 16 elements and a segment terminator.`,
          offset: base + pos,
          segmentId: 'ISA',
        });
        this.seenIsa = true;
        this.inText = true;
        this.state = State.SkipText;
        return pos + 3;
      }
      componentAt = p + 1;
    }
    const segmentTerm = buf[componentAt + 1]!;
    const version = Buffer.from(buf.buffer, buf.byteOffset + pos, componentAt - pos).toString('latin1').split(String.fromCharCode(elementSep))[12] ?? '';
    const rep = repetitionOf(buf, pos, elementSep);
    let repetition = -1;
    if (rep >= 0 && version >= '00501' && !isAlnum(rep) && rep !== elementSep && rep !== segmentTerm && rep !== buf[componentAt]) {
      repetition = rep;
    } else if (version >= '00501') {
      sink.issue({
        level: 'file',
        code: FileIssueCode.repetitionSeparator,
        severity: 'warning',
        message: `ISA11 at byte ${base + pos} is not a usable repetition separator for version ${version}; the interchange is read with none.`,
        offset: base + pos,
        segmentId: 'ISA',
        element: 11,
      });
    }
    this.delims = { element: elementSep, component: buf[componentAt]!, repetition, segment: segmentTerm };
    this.seenIsa = true;
    this.inText = false;
    this.inSet = false;
    this.ordinal = 0;
    this.state = State.Segments;
    const end = componentAt + 1;
    this.pending = new Segment(buf, pos, end, 'ISA', base + pos, 0, this.delims);
    return end + 1;
  }

  private reportText(offset: number, sink: TokenSink): void {
    sink.issue({
      level: 'file',
      code: this.seenIsa ? FileIssueCode.trailingData : FileIssueCode.textBeforeIsa,
      severity: this.seenIsa || this.leadingText === 'reject' ? 'error' : 'warning',
      message: this.seenIsa
        ? `Data that is not an interchange follows an IEA at byte ${offset}; it is ignored up to the next ISA.`
        : `The file does not start with an ISA: bytes from ${offset} up to the first ISA are not X12.`,
      offset,
    });
  }

  private tooLong(offset: number, sink: TokenSink): void {
    sink.issue({
      level: 'file',
      code: FileIssueCode.segmentTooLong,
      severity: 'error',
      message: `The segment starting at byte ${offset} runs over ${this.maxSegmentLength} bytes without a segment terminator; it is skipped.`,
      offset,
    });
  }
}

function trimCr(buf: Uint8Array, start: number, end: number, term: number): number {
  // With a line-feed terminator, a CR before it belongs to the line end, not to the data.
  if (term === LF && end > start && buf[end - 1] === CR) return end - 1;
  return end;
}

function countSeparators(buf: Uint8Array, from: number, to: number, sep: number): number {
  let n = 0;
  for (let p = from; p < to; p++) if (buf[p] === sep) n++;
  return n;
}

/** ISA11's byte: just before the twelfth element separator. */
function repetitionOf(buf: Uint8Array, pos: number, sep: number): number {
  let count = 0;
  for (let p = pos + 3; p < buf.length; p++) {
    if (buf[p] === sep && ++count === 12) return buf[p - 1] === sep ? -1 : buf[p - 1]!;
  }
  return -1;
}

/** Index of the next `ISA` followed by a non-alphanumeric byte, or -1. */
function findIsa(buf: Uint8Array, from: number): number {
  let p = from;
  for (;;) {
    const i = Buffer.prototype.indexOf.call(buf, 'ISA', p, 'latin1') as number;
    if (i < 0 || i + 3 >= buf.length) return i < 0 ? -1 : i;
    if (!isAlnum(buf[i + 3]!)) return i;
    p = i + 1;
  }
}

/** Anything the tokenizer can read from. Strings are content, not paths (see {@link fromFile}). */
export type X12Source = string | Uint8Array | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** Chunks of a source, as bytes. */
export async function* chunksOf(source: X12Source): AsyncGenerator<Uint8Array> {
  if (typeof source === 'string') {
    yield Buffer.from(source, 'utf8');
    return;
  }
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  }
}

/** Tokenize a source, pushing every segment and issue to `sink`. */
export async function tokenize(source: X12Source, sink: TokenSink, options?: TokenizerOptions): Promise<void> {
  const tokenizer = new Tokenizer(options);
  if (typeof source === 'string' || source instanceof Uint8Array) {
    tokenizer.write(typeof source === 'string' ? Buffer.from(source, 'utf8') : source, sink);
  } else {
    for await (const chunk of chunksOf(source)) tokenizer.write(chunk, sink);
  }
  tokenizer.end(sink);
}

/** Tokenize bytes or a string already in memory: every segment and issue, in order. */
export function tokenizeSync(content: string | Uint8Array, options?: TokenizerOptions): { segments: Segment[]; issues: X12Issue[] } {
  const segments: Segment[] = [];
  const issues: X12Issue[] = [];
  const sink: TokenSink = { segment: (s) => segments.push(s), issue: (i) => issues.push(i) };
  const tokenizer = new Tokenizer(options);
  tokenizer.write(typeof content === 'string' ? Buffer.from(content, 'utf8') : content, sink);
  tokenizer.end(sink);
  return { segments, issues };
}
