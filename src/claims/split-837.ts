/**
 * Large 837 batches in chunks (DESIGN.md, "Performance"): above a size threshold, ingest cuts a batch
 * into chunk objects that the same function processes in parallel, each bounded in size, so memory does
 * not grow with the batch.
 *
 * Three steps, each streaming:
 * 1. {@link scanForSplit} reads the original once: its SHA-256 (the file id), its interchanges, the
 *    X12 validation report of the WHOLE file (the 999 must point at the original sets, and a chunk's
 *    own envelope would not tell it), where chunks may start, and each claim's CLM offset and member id.
 * 2. {@link planChunks} turns that into chunks, once the interchanges refused as duplicates (TA1 025) are
 *    known: their bytes are in no chunk. Each chunk knows its claims' positions in the ORIGINAL file
 *    (claim ids are the unsplit run's) and the earlier claims of the same members ("priors"), which the
 *    duplicate and frequency rules must see exactly as in an unsplit run.
 * 3. {@link writeChunks} reads the original again and writes each chunk: a header line, then X12 — the
 *    priors (each as a small interchange of its own: envelope, its 2000A/B/C levels and the claim), then
 *    the chunk's own byte range of the original with the envelope (ISA, GS, ST…BHT/1000A/1000B) and the
 *    2000A level it continues, and trailers (SE/GE/IEA) closing what the range leaves open. Control
 *    numbers and every segment's bytes are the original's.
 *
 * Where a chunk may start: before an ISA, GS or ST, and inside a transaction set before an HL of level
 * 20 or 22 — only in sets whose HL tree is regular (every HL02 names the latest HL of the level above,
 * ids unique, every CLM under a subscriber or patient level) and which have no segment- or set-level
 * X12 issue. There a chunk reads its claims exactly as the whole file does: same loops, same 2000A/B/C
 * contexts. Other sets are never cut (a chunk then holds the whole set, however large).
 *
 * The reader of a chunk ({@link readChunkObject}) gets the header and the X12; {@link SourceRemapper}
 * turns the chunk's byte offsets and segment ordinals back into the original's, so stored claims (with
 * their field sources and findings) equal those of an unsplit run.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Claim } from '../../schemas/claim.schema.ts';
import type { FieldSources, SourceRef } from '../../schemas/common.schema.ts';
import type { Finding } from '../../schemas/finding.schema.ts';
import { rejectedSetRanges, type TransactionSetReport, type ValidationReport } from '../x12/report.ts';
import type { Segment } from '../x12/segment.ts';
import { chunksOf, Tokenizer, type TokenSink, type X12Source } from '../x12/tokenizer.ts';
import { X12Validator } from '../x12/validate.ts';
import type { WalkStep } from '../x12/walker.ts';

// ── Keys ────────────────────────────────────────────────────────────────────────────────────────────

/** Digits of a chunk number in keys: keys sort in chunk order. */
const CHUNK_NUMBER_DIGITS = 5;
/** The most chunks a file is cut into (five digits). */
export const MAX_CHUNKS = 99_999;

function chunkNumber(chunk: number): string {
  return String(chunk).padStart(CHUNK_NUMBER_DIGITS, '0');
}

/**
 * Keys of a split file's objects, all in the inbound bucket. Chunks live under `{tenant}/837/` so that
 * the bucket's notification filter (by tenant prefix `{tenant}/837/`) delivers them to ingest-claims;
 * the work objects (the split-time report, each chunk's results) live under `{tenant}/837-work/`, which
 * that filter does not deliver. Everything here is deleted once the file is assembled.
 */
export const chunkKeys = {
  chunk: (tenant: string, fileId: string, chunk: number) => `${tenant}/837/chunks/${fileId}/${chunkNumber(chunk)}.x12`,
  splitState: (tenant: string, fileId: string) => `${tenant}/837-work/${fileId}/split.json`,
  chunkResult: (tenant: string, fileId: string, chunk: number) => `${tenant}/837-work/${fileId}/${chunkNumber(chunk)}.result.json`,
};

/** A chunk object's identity, from its key. */
export interface ChunkRef {
  tenant: string;
  fileId: string;
  chunk: number;
}

/** The chunk a key names (`{tenant}/837/chunks/{tenant}-{sha256}/{nnnnn}.x12`), or undefined. */
export function parseChunkKey(key: string): ChunkRef | undefined {
  const match = /^([A-Za-z0-9_-]{1,64})\/837\/chunks\/(\1-[0-9a-f]{64})\/(\d{5})\.x12$/.exec(key);
  if (!match) return undefined;
  const chunk = Number(match[3]);
  if (chunk < 1) return undefined;
  return { tenant: match[1]!, fileId: match[2]!, chunk };
}

// ── Chunk object format ─────────────────────────────────────────────────────────────────────────────

/** First word of a chunk object's header line. */
const CHUNK_MAGIC = 'CLAIMPATH-837-CHUNK';
/** A header longer than this is not ours (a chunk lists its priors; thousands fit easily). */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;

/**
 * A piece of a chunk's own X12 and where it came from: `[chunkOffset, originalOffset, ordinalDelta]`.
 * From `chunkOffset` on (up to the next piece), a byte at chunk offset `c` was at `c − chunkOffset +
 * originalOffset` in the original, and a segment's ordinal in its set is the chunk's plus `ordinalDelta`.
 */
const PieceSchema = z.tuple([z.int().nonnegative(), z.int().nonnegative(), z.int()]);
export type Piece = z.infer<typeof PieceSchema>;

/** The header line of a chunk object. */
export const ChunkHeaderSchema = z.object({
  version: z.literal(1),
  fileId: z.string().min(1),
  chunk: z.int().positive(),
  /** Position in the original file of the chunk's first own claim. */
  firstPosition: z.int().positive(),
  /** Own claims (positions `firstPosition` …); the X12 must yield exactly this many after the priors. */
  claims: z.int().positive(),
  /** Positions of the prior claims the X12 starts with, one interchange each, in this order. */
  priors: z.array(z.int().positive()),
  /** Where the own X12 came from (offsets relative to the X12 body, after the header line). */
  pieces: z.array(PieceSchema).min(1),
  /** Byte ranges of the original (`[start, end)`) holding rejected transaction sets: their claims are skipped. */
  rejected: z.array(z.tuple([z.int().nonnegative(), z.int().nonnegative()])).default([]),
});
export type ChunkHeader = z.infer<typeof ChunkHeaderSchema>;

/** A chunk object is not what {@link writeChunks} writes (a hand-made object under the chunk prefix, or a bug). */
export class ChunkFormatError extends Error {
  override readonly name = 'ChunkFormatError';
  constructor(
    readonly fileId: string,
    readonly chunk: number,
    reason: string,
  ) {
    super(`Chunk ${chunk} of a split file is not readable: ${reason}`);
  }
}

/** A chunk object's bytes: the header line, then the X12 body. */
function encodeChunkObject(header: ChunkHeader, body: readonly Uint8Array[]): Buffer {
  return Buffer.concat([Buffer.from(`${CHUNK_MAGIC} ${JSON.stringify(header)}\n`, 'latin1'), ...body]);
}

/**
 * Read a chunk object: its header (checked against `expected`) and its X12 body as a stream.
 *
 * @example
 * const { header, body } = await readChunkObject(stream, { fileId, chunk: 3 });
 * for await (const read of read837(body)) …
 */
export async function readChunkObject(source: AsyncIterable<Uint8Array>, expected: { fileId: string; chunk: number }): Promise<{ header: ChunkHeader; body: AsyncIterable<Uint8Array> }> {
  const iterator = chunksOf(source)[Symbol.asyncIterator]();
  const parts: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done) throw new ChunkFormatError(expected.fileId, expected.chunk, 'no header line');
    const newline = next.value.indexOf(0x0a);
    if (newline < 0) {
      parts.push(next.value);
      length += next.value.length;
      if (length > MAX_HEADER_BYTES) throw new ChunkFormatError(expected.fileId, expected.chunk, 'header line too long');
      continue;
    }
    parts.push(next.value.subarray(0, newline));
    const rest = next.value.subarray(newline + 1);
    const line = Buffer.concat(parts).toString('latin1');
    if (!line.startsWith(`${CHUNK_MAGIC} `)) throw new ChunkFormatError(expected.fileId, expected.chunk, 'not a chunk object');
    let json: unknown;
    try {
      json = JSON.parse(line.slice(CHUNK_MAGIC.length + 1));
    } catch {
      throw new ChunkFormatError(expected.fileId, expected.chunk, 'header is not JSON');
    }
    const parsed = ChunkHeaderSchema.safeParse(json);
    if (!parsed.success) throw new ChunkFormatError(expected.fileId, expected.chunk, `invalid header fields ${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}`);
    if (parsed.data.fileId !== expected.fileId || parsed.data.chunk !== expected.chunk) throw new ChunkFormatError(expected.fileId, expected.chunk, 'header names another chunk');
    async function* body(): AsyncGenerator<Uint8Array> {
      if (rest.length > 0) yield rest;
      for (;;) {
        const more = await iterator.next();
        if (more.done) return;
        yield more.value;
      }
    }
    return { header: parsed.data, body: body() };
  }
}

/**
 * Turns the chunk-relative positions of claims read from a chunk (byte offsets, segment ordinals) into
 * the original file's, in place. Field sources are shared between the claims of one 2000A/B/C context,
 * so each source is moved once.
 */
export class SourceRemapper {
  private readonly moved = new WeakSet<SourceRef>();
  private readonly starts: number[];

  constructor(private readonly pieces: readonly Piece[]) {
    this.starts = pieces.map((piece) => piece[0]);
  }

  /** Remap a claim's field sources, its lines' and its findings' locations. */
  claim(claim: Claim, findings: readonly Finding[]): void {
    this.sources(claim.sources);
    for (const line of claim.lines) this.sources(line.sources);
    for (const finding of findings) if (finding.location) this.ref(finding.location);
  }

  private sources(sources: FieldSources): void {
    for (const path in sources) this.ref(sources[path]!);
  }

  private ref(ref: SourceRef): void {
    if (this.moved.has(ref)) return;
    this.moved.add(ref);
    const piece = this.pieces[Math.max(0, lastAtOrBefore(this.starts, ref.offset))]!;
    ref.offset = ref.offset - piece[0] + piece[1];
    ref.ordinal += piece[2];
  }
}

/** Index of the last element of sorted `values` that is ≤ `value` (−1 when none). */
function lastAtOrBefore(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (values[middle]! <= value) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

// ── The HL tree as the 837 reader resolves it ───────────────────────────────────────────────────────

type HlLevel = '20' | '22' | '23';

interface HlNode<T> {
  readonly id: string;
  readonly level: HlLevel;
  /** 22: its billing provider level; 23: its subscriber level (as read-837 resolves HL02). */
  readonly parent: HlNode<T> | undefined;
  data: T;
}

/**
 * The HL levels of one transaction set, resolved exactly as `read-837` resolves them, and whether the
 * tree is regular. The reader takes the level HL02 names only while nothing has closed it (an 837 nests
 * each level's children right after it: a later level of its rank or above closes it) — which makes it
 * the latest level of its rank; a parent missing, unknown, of the wrong level or closed falls back to
 * that same latest level. Regular: every HL02 names it.
 */
class HlTree<T> {
  private readonly nodes = new Map<string, HlNode<T>>();
  current: HlNode<T> | undefined;
  lastBilling: HlNode<T> | undefined;
  lastSubscriber: HlNode<T> | undefined;
  /** False once any HL or CLM of the set departs from the regular shape. */
  regular = true;

  /** A new HL segment; undefined for a level the 837 does not have (its segments belong to no claim). */
  open(id: string, parentId: string, level: string, data: T): HlNode<T> | undefined {
    if (level !== '20' && level !== '22' && level !== '23') {
      this.regular = false;
      this.current = undefined;
      return undefined;
    }
    if (id === '' || this.nodes.has(id)) this.regular = false;
    let parent: HlNode<T> | undefined;
    if (level === '22') parent = this.resolve(parentId, '20', this.lastBilling);
    else if (level === '23') parent = this.resolve(parentId, '22', this.lastSubscriber);
    const node: HlNode<T> = { id, level, parent, data };
    if (level === '20') {
      this.lastBilling = node;
      this.lastSubscriber = undefined;
    } else if (level === '22') {
      this.lastSubscriber = node;
    }
    if (id !== '') this.nodes.set(id, node);
    this.current = node;
    return node;
  }

  /** The levels a CLM takes its context from (read-837's `startClaim`). */
  claimLevels(): { billing: HlNode<T> | undefined; subscriber: HlNode<T> | undefined; patient: HlNode<T> | undefined } {
    const node = this.current;
    if (node === undefined || node.level === '20') this.regular = false;
    const patient = node?.level === '23' ? node : undefined;
    const subscriber = node?.level === '22' ? node : patient?.parent;
    const billing = subscriber?.parent ?? (node?.level === '20' ? node : undefined);
    return { billing, subscriber, patient };
  }

  private resolve(parentId: string, level: HlLevel, latest: HlNode<T> | undefined): HlNode<T> | undefined {
    const named = parentId === '' ? undefined : this.nodes.get(parentId);
    if (latest === undefined || named !== latest || named.level !== level) this.regular = false;
    return latest;
  }
}

/** The guides whose sets read-837 reads claims from. */
const CLAIM_GUIDES: ReadonlySet<string> = new Set(['837P', '837I', '837D']);

// ── Step 1: scan ────────────────────────────────────────────────────────────────────────────────────

/** An interchange of the original: its ISA, its extent and its claims' positions. */
export interface InterchangeSpan {
  /** ISA13, ISA05 and ISA06, trimmed. */
  control: string;
  senderQualifier: string;
  senderId: string;
  /** Byte offset of its ISA; it runs to the next ISA (or the end of the file). */
  start: number;
  end: number;
  /** Positions `firstPosition` … `firstPosition + claims − 1`. */
  firstPosition: number;
  claims: number;
}

/** What one read of the original tells (step 1). */
export interface SplitScan {
  /** The chunk size the cuts aim at. */
  targetBytes: number;
  sha256: string;
  bytes: number;
  interchanges: InterchangeSpan[];
  /** The validation report of the whole file, as `read837` returns it for an unsplit run. */
  report: ValidationReport;
  /** Byte offsets where chunks start (the first is 0), about `targetBytes` apart where the file allows. */
  cuts: number[];
  /** Each claim's CLM byte offset, by position − 1. */
  claimOffsets: number[];
  /** Each claim's member id key (an index; 0 when its subscriber has no member id), by position − 1. */
  memberKeys: number[];
}

/**
 * Step 1: read the original once — hash, interchanges, validation report, chunk starts about
 * `targetBytes` apart, and what the plan needs of every claim. Memory: the report and a few numbers per
 * claim, whatever the size of the file.
 */
export async function scanForSplit(source: X12Source, targetBytes: number): Promise<SplitScan> {
  const hash = createHash('sha256');
  const scanner = new SplitScanner(Math.max(1, targetBytes));
  // The same tokenizer settings as read-837, so that the report is the one an unsplit run builds.
  const tokenizer = new Tokenizer({ reuseSegments: true });
  let bytes = 0;
  for await (const chunk of chunksOf(source)) {
    hash.update(chunk);
    bytes += chunk.length;
    scanner.validator.bytes += chunk.length;
    tokenizer.write(chunk, scanner);
  }
  tokenizer.end(scanner);
  const report = scanner.validator.finish();
  scanner.end(bytes);
  return {
    targetBytes,
    sha256: hash.digest('hex'),
    bytes,
    interchanges: scanner.interchanges,
    report,
    cuts: scanner.cuts,
    claimOffsets: scanner.claimOffsets,
    memberKeys: scanner.memberKeys,
  };
}

/** The token sink of step 1: the validator, plus the bookkeeping of interchanges, claims and cuts. */
class SplitScanner implements TokenSink {
  readonly validator: X12Validator;
  readonly interchanges: InterchangeSpan[] = [];
  readonly cuts: number[] = [0];
  readonly claimOffsets: number[] = [];
  readonly memberKeys: number[] = [];
  private readonly memberKeyIds = new Map<string, number>();
  private chunkStart = 0;
  /** The open set reads claims (an 837 guide); its HL tree and the offsets where a chunk could start. */
  private claimsSet = false;
  private tree = new HlTree<{ memberId: string }>();
  private candidates: number[] = [];

  constructor(private readonly targetBytes: number) {
    this.validator = new X12Validator({
      onSegment: (segment, step, set) => this.walked(segment, step, set),
      onSetEnd: (set) => this.setEnded(set),
    });
  }

  segment(segment: Segment): void {
    this.validator.segment(segment);
  }

  /** ISA, GS and ST may start a chunk (the tokenizer hands envelope segments over apart from the body's). */
  envelopeSegment(segment: Segment): void {
    const id = segment.id;
    if (id === 'ISA') this.startInterchange(segment);
    // The validator first closes what this segment ends (the set before an ST: its candidates are
    // settled in setEnded), then the segment may start a chunk.
    this.validator.envelopeSegment(segment);
    if (id === 'ISA' || id === 'GS' || id === 'ST') this.consider(segment.offset);
  }

  issue(issue: Parameters<TokenSink['issue']>[0]): void {
    this.validator.issue(issue);
  }

  end(bytes: number): void {
    const last = this.interchanges.at(-1);
    if (last) last.end = bytes;
  }

  private startInterchange(segment: Segment): void {
    const last = this.interchanges.at(-1);
    if (last) last.end = segment.offset;
    this.interchanges.push({
      control: segment.element(13).trim(),
      senderQualifier: segment.element(5).trim(),
      senderId: segment.element(6).trim(),
      start: segment.offset,
      end: segment.offset,
      firstPosition: this.claimOffsets.length + 1,
      claims: 0,
    });
  }

  private walked(segment: Segment, step: WalkStep, set: TransactionSetReport): void {
    const id = segment.id;
    if (id === 'ST') {
      this.claimsSet = CLAIM_GUIDES.has(set.guide ?? '');
      this.tree = new HlTree();
      this.candidates = [];
      return;
    }
    if (!this.claimsSet) return;
    if (id === 'HL') {
      const level = segment.element(3);
      this.tree.open(segment.element(1), segment.element(2), level, { memberId: '' });
      if (level === '20' || level === '22') this.candidates.push(segment.offset);
    } else if (id === 'NM1' && step.loopId === '2010BA') {
      // read-837 keeps the last non-empty NM109 of 2010BA as the subscriber's member id.
      const node = this.tree.current;
      const memberId = segment.element(9);
      if (node?.level === '22' && memberId !== '') node.data.memberId = memberId.trim().toUpperCase();
    } else if (id === 'CLM') {
      const { subscriber } = this.tree.claimLevels();
      this.claimOffsets.push(segment.offset);
      this.memberKeys.push(this.memberKeyOf(subscriber?.data.memberId ?? ''));
      const interchange = this.interchanges.at(-1);
      if (interchange) interchange.claims++;
    }
  }

  private setEnded(set: TransactionSetReport): void {
    if (!this.claimsSet) return;
    this.claimsSet = false;
    const structural = set.issues.some((issue) => issue.level === 'segment' || issue.level === 'set');
    if (this.tree.regular && !structural) for (const offset of this.candidates) this.consider(offset);
    this.candidates = [];
  }

  /** Start a chunk at `offset` if the current one has reached its size. */
  private consider(offset: number): void {
    if (offset - this.chunkStart < this.targetBytes) return;
    this.cuts.push(offset);
    this.chunkStart = offset;
  }

  /** Member ids as small numbers (the plan compares them, many times). */
  private memberKeyOf(memberId: string): number {
    if (memberId === '') return 0;
    let key = this.memberKeyIds.get(memberId);
    if (key === undefined) {
      key = this.memberKeyIds.size + 1;
      this.memberKeyIds.set(memberId, key);
    }
    return key;
  }
}

// ── Step 2: plan ────────────────────────────────────────────────────────────────────────────────────

/** One chunk to write. */
export interface ChunkPlan {
  chunk: number;
  /** The original's bytes `start` … `end` (exclusive) are the chunk's own. */
  start: number;
  end: number;
  /** The ranges of rejected transaction sets ({@link rejectedSetRanges}) that reach into the chunk: its claims there are skipped. */
  rejected: [number, number][];
  firstPosition: number;
  claims: number;
  /**
   * Earlier claims (positions, ascending) of the members whose claims the chunk holds: the chunk reads
   * them first, into its claim history only, so that duplicate and frequency rules see every earlier
   * claim of the file as an unsplit run does. (Claims whose subscriber has no member id are compared
   * within their chunk only.)
   */
  priors: number[];
}

/**
 * Step 2: the chunks. Interchanges refused as duplicates (by ISA13) are left out, and so are ranges
 * without claims (a chunk exists for its claims).
 */
export function planChunks(scan: SplitScan, duplicateControls: ReadonlySet<string>): ChunkPlan[] {
  const excludedSpans = scan.interchanges.filter((span) => duplicateControls.has(span.control));
  const excluded = new Uint8Array(scan.claimOffsets.length + 1);
  for (const span of excludedSpans) excluded.fill(1, span.firstPosition, span.firstPosition + span.claims);

  // Byte ranges between cuts, less the refused interchanges.
  const ranges: [number, number][] = [];
  for (let i = 0; i < scan.cuts.length; i++) {
    let pieces: [number, number][] = [[scan.cuts[i]!, scan.cuts[i + 1] ?? scan.bytes]];
    for (const span of excludedSpans) {
      pieces = pieces.flatMap(([from, to]): [number, number][] => {
        if (span.end <= from || span.start >= to) return [[from, to]];
        const kept: [number, number][] = [];
        if (span.start > from) kept.push([from, span.start]);
        if (span.end < to) kept.push([span.end, to]);
        return kept;
      });
    }
    ranges.push(...pieces);
  }

  const claimsBefore = (offset: number): number => lastAtOrBefore(scan.claimOffsets, offset - 1) + 1;
  const positionsByMember = new Map<number, number[]>();
  scan.memberKeys.forEach((key, index) => {
    const position = index + 1;
    if (key === 0 || excluded[position] === 1) return;
    const list = positionsByMember.get(key);
    if (list) list.push(position);
    else positionsByMember.set(key, [position]);
  });

  const rejected = rejectedSetRanges(scan.report, duplicateControls);
  const plans: ChunkPlan[] = [];
  for (const [start, end] of ranges) {
    const before = claimsBefore(start);
    const claims = claimsBefore(end) - before;
    if (claims === 0) continue;
    const firstPosition = before + 1;
    const members = new Set<number>();
    for (let position = firstPosition; position < firstPosition + claims; position++) {
      const key = scan.memberKeys[position - 1]!;
      if (key !== 0) members.add(key);
    }
    const priors: number[] = [];
    for (const key of members) {
      for (const position of positionsByMember.get(key)!) {
        if (position >= firstPosition) break;
        priors.push(position);
      }
    }
    priors.sort((a, b) => a - b);
    plans.push({ chunk: plans.length + 1, start, end, firstPosition, claims, priors, rejected: rejected.filter(([from, to]) => from < end && to > start) });
  }
  if (plans.length > MAX_CHUNKS) throw new RangeError(`a file is split into at most ${MAX_CHUNKS} chunks`);
  return plans;
}

// ── Step 3: write ───────────────────────────────────────────────────────────────────────────────────

/** Bytes of the original kept while they may still be copied, by absolute offset. */
class ByteWindow {
  private readonly parts: { start: number; bytes: Uint8Array }[] = [];
  private end = 0;

  append(bytes: Uint8Array): void {
    this.parts.push({ start: this.end, bytes });
    this.end += bytes.length;
  }

  /** A copy of the original's bytes `from` … `to` (exclusive). */
  slice(from: number, to: number): Buffer {
    const out: Uint8Array[] = [];
    for (const part of this.parts) {
      const partEnd = part.start + part.bytes.length;
      if (partEnd <= from || part.start >= to) continue;
      out.push(part.bytes.subarray(Math.max(0, from - part.start), Math.min(part.bytes.length, to - part.start)));
    }
    const copy = Buffer.concat(out);
    if (copy.length !== to - from) throw new RangeError('the bytes to copy are no longer held');
    return copy;
  }

  /** Forget the bytes before `offset`. */
  release(offset: number): void {
    while (this.parts.length > 1 && this.parts[0]!.start + this.parts[0]!.bytes.length <= offset) this.parts.shift();
  }
}

/** Consecutive segments of the original, copied: their bytes, the first one's offset and ordinal, and how many. */
interface CopiedSegments {
  bytes: Buffer;
  offset: number;
  ordinal: number;
  segments: number;
}

/** Segments being copied until one of `endsAt` (or the end of the file) arrives. */
interface Capture {
  start: number;
  ordinal: number;
  segments: number;
  endsAt: ReadonlySet<string>;
  done: (copied: CopiedSegments) => void;
}

/** Segments that close an open transaction set (the validator's and the reader's view). */
const SET_CLOSERS: ReadonlySet<string> = new Set(['SE', 'ST', 'GS', 'GE', 'ISA', 'IEA']);
/** Segments that end a claim in read-837: the next claim, the next HL, or the end of its set. */
const CLAIM_ENDERS: ReadonlySet<string> = new Set([...SET_CLOSERS, 'CLM', 'HL']);
/** The ST…BHT…1000A/1000B header of a set ends at its first HL (or a CLM outside any HL). */
const HEADER_ENDERS: ReadonlySet<string> = new Set([...SET_CLOSERS, 'HL', 'CLM']);
/** An ISA or GS segment is copied alone: it ends at the next segment, whatever it is. */
const ANY_SEGMENT: ReadonlySet<string> = new Set<string>();

interface OpenInterchange {
  copied?: CopiedSegments;
  /** ISA13 as written, for a synthesized IEA02. */
  control: string;
  elementSeparator: string;
  terminator: string;
}

interface OpenGroup {
  copied?: CopiedSegments;
  control: string;
}

interface OpenSet {
  control: string;
  header?: CopiedSegments;
}

/** The chunk being written: its own bytes start at `plan.start`; what precedes them in the chunk. */
interface OwnChunk {
  plan: ChunkPlan;
  prefix: Buffer[];
  prefixLength: number;
  pieces: Piece[];
  /** What the chunk holds of the open set, group and interchange: counts for synthesized trailers. */
  segmentsInSet: number;
  setsInGroup: number;
  groupsInInterchange: number;
}

/**
 * Step 3: read the original again and write the chunks of `plans` (from {@link planChunks}) through
 * `write`, in chunk order. Holds the chunk being written, the small copies of the envelope and HL levels
 * it may need, and the prior claims later chunks will read.
 */
export async function writeChunks(source: X12Source, fileId: string, scan: SplitScan, plans: readonly ChunkPlan[], write: (chunk: number, bytes: Buffer) => Promise<void>): Promise<void> {
  const window = new ByteWindow();
  const writer = new ChunkWriter(fileId, scan, plans, window);
  const tokenizer = new Tokenizer({ reuseSegments: true });
  let bytes = 0;
  for await (const chunk of chunksOf(source)) {
    window.append(chunk);
    bytes += chunk.length;
    tokenizer.write(chunk, writer);
    for (const ready of writer.takeReady()) await write(ready.chunk, ready.bytes);
    window.release(writer.keepFrom());
  }
  tokenizer.end(writer);
  writer.finish(bytes);
  for (const ready of writer.takeReady()) await write(ready.chunk, ready.bytes);
}

/** The token sink of step 3. */
class ChunkWriter implements TokenSink {
  private readonly ready: { chunk: number; bytes: Buffer }[] = [];
  private readonly captures: Capture[] = [];
  private lastSegmentOffset = 0;
  private interchange: OpenInterchange | undefined;
  private group: OpenGroup | undefined;
  private set: OpenSet | undefined;
  private tree = new HlTree<{ context?: CopiedSegments }>();
  private own: OwnChunk | undefined;
  private nextPlan = 0;
  /** Prior claims to copy: position by CLM offset, and how many chunks still need each. */
  private readonly priorAt = new Map<number, number>();
  private readonly priorUses = new Map<number, number>();
  private readonly priors = new Map<number, Buffer>();

  constructor(
    private readonly fileId: string,
    scan: SplitScan,
    private readonly plans: readonly ChunkPlan[],
    private readonly window: ByteWindow,
  ) {
    for (const plan of plans) {
      for (const position of plan.priors) {
        this.priorAt.set(scan.claimOffsets[position - 1]!, position);
        this.priorUses.set(position, (this.priorUses.get(position) ?? 0) + 1);
      }
    }
  }

  takeReady(): { chunk: number; bytes: Buffer }[] {
    return this.ready.splice(0);
  }

  /** The first byte still needed: the chunk being written, a copy in progress, or the segment being cut. */
  keepFrom(): number {
    let from = this.lastSegmentOffset;
    if (this.own) from = Math.min(from, this.own.plan.start);
    else if (this.nextPlan < this.plans.length) from = Math.min(from, this.plans[this.nextPlan]!.start);
    for (const capture of this.captures) from = Math.min(from, capture.start);
    return from;
  }

  issue(): void {
    // Step 1 reported everything; here only the segments matter.
  }

  segment(segment: Segment): void {
    const offset = segment.offset;
    const id = segment.id;
    this.lastSegmentOffset = offset;
    // 1. Copies that this segment ends.
    this.endCaptures(offset, id);
    // 2. Chunk boundaries, with the envelope as it is before this segment.
    if (this.own && offset >= this.own.plan.end) this.finishOwn(this.own.plan.end, false);
    const plan = this.plans[this.nextPlan];
    if (!this.own && plan !== undefined && plan.start <= offset) this.startOwn(plan, segment);
    // 3. The segment itself: envelope, HL levels, the chunk's counts; copies it starts.
    this.apply(segment);
  }

  finish(bytes: number): void {
    for (const capture of this.captures.splice(0)) capture.done(this.copied(capture, bytes));
    if (this.own) this.finishOwn(bytes, true);
    if (this.nextPlan < this.plans.length) throw new RangeError('the file ended before every planned chunk was written');
  }

  private endCaptures(offset: number, id: string): void {
    for (let i = 0; i < this.captures.length; ) {
      const capture = this.captures[i]!;
      if (capture.endsAt === ANY_SEGMENT || capture.endsAt.has(id)) {
        this.captures.splice(i, 1);
        capture.done(this.copied(capture, offset));
      } else {
        capture.segments++;
        i++;
      }
    }
  }

  private copied(capture: Capture, end: number): CopiedSegments {
    return { bytes: this.window.slice(capture.start, end), offset: capture.start, ordinal: capture.ordinal, segments: capture.segments };
  }

  private capture(segment: Segment, endsAt: ReadonlySet<string>, done: (copied: CopiedSegments) => void): void {
    this.captures.push({ start: segment.offset, ordinal: segment.ordinal, segments: 1, endsAt, done });
  }

  private apply(segment: Segment): void {
    const own = this.own;
    switch (segment.id) {
      case 'ISA': {
        this.closeSet();
        this.group = undefined;
        const delimiters = segment.delimiters;
        const interchange: OpenInterchange = {
          control: segment.element(13),
          elementSeparator: String.fromCharCode(delimiters.element),
          terminator: String.fromCharCode(delimiters.segment),
        };
        this.interchange = interchange;
        this.capture(segment, ANY_SEGMENT, (copied) => (interchange.copied = copied));
        if (own) {
          own.groupsInInterchange = 0;
          own.setsInGroup = 0;
        }
        return;
      }
      case 'IEA':
        this.closeSet();
        this.group = undefined;
        this.interchange = undefined;
        return;
      case 'GS': {
        this.closeSet();
        const group: OpenGroup = { control: segment.element(6) };
        this.group = group;
        this.capture(segment, ANY_SEGMENT, (copied) => (group.copied = copied));
        if (own) {
          own.groupsInInterchange++;
          own.setsInGroup = 0;
        }
        return;
      }
      case 'GE':
        this.closeSet();
        this.group = undefined;
        return;
      case 'ST': {
        this.closeSet();
        const set: OpenSet = { control: segment.element(2) };
        this.set = set;
        this.capture(segment, HEADER_ENDERS, (copied) => (set.header = copied));
        if (own) {
          own.setsInGroup++;
          own.segmentsInSet = 1;
          // Ordinals restart at ST in the original and in the chunk alike.
          own.pieces.push([this.chunkOffsetOf(own, segment.offset), segment.offset, 0]);
        }
        return;
      }
      case 'SE':
        if (own && this.set) own.segmentsInSet++;
        this.closeSet();
        return;
    }
    if (!this.set) return;
    if (own) own.segmentsInSet++;
    if (segment.id === 'HL') {
      const previous = this.tree.current;
      // A patient level (23) is never a parent: its copy is dropped once another HL follows it.
      if (previous?.level === '23') previous.data = {};
      const node = this.tree.open(segment.element(1), segment.element(2), segment.element(3), {});
      if (node) this.capture(segment, CLAIM_ENDERS, (copied) => (node.data.context = copied));
    } else if (segment.id === 'CLM') {
      const position = this.priorAt.get(segment.offset);
      if (position !== undefined) this.startPrior(segment, position);
    }
  }

  private closeSet(): void {
    this.set = undefined;
    this.tree = new HlTree();
  }

  /** A prior claim: a copy of the claim with everything it is read under, as an interchange of its own. */
  private startPrior(segment: Segment, position: number): void {
    const interchange = this.interchange;
    const group = this.group;
    const set = this.set;
    if (!interchange?.copied || !set) throw new RangeError('a claim outside an interchange and set cannot be copied');
    const { billing, subscriber, patient } = this.tree.claimLevels();
    const prefix: CopiedSegments[] = [interchange.copied];
    if (group?.copied) prefix.push(group.copied);
    if (set.header) prefix.push(set.header);
    for (const node of [billing, subscriber, patient]) if (node?.data.context) prefix.push(node.data.context);
    this.capture(segment, CLAIM_ENDERS, (claim) => {
      // SE01 counts ST … SE: the header, the levels and the claim, and the SE itself.
      const segmentsInSet = prefix.slice(group?.copied ? 2 : 1).reduce((sum, copied) => sum + copied.segments, 0) + claim.segments + 1;
      const trailers = synthesizedTrailers(interchange, { segments: segmentsInSet, control: set.control }, group ? { sets: 1, control: group.control } : undefined, group ? 1 : 0);
      this.priors.set(position, Buffer.concat([...prefix.map((copied) => copied.bytes), claim.bytes, trailers]));
    });
  }

  private startOwn(plan: ChunkPlan, segment: Segment): void {
    const own: OwnChunk = { plan, prefix: [], prefixLength: 0, pieces: [], segmentsInSet: 0, setsInGroup: 0, groupsInInterchange: 0 };
    const add = (copied: CopiedSegments, ordinalDelta: number): void => {
      own.pieces.push([own.prefixLength, copied.offset, ordinalDelta]);
      own.prefix.push(copied.bytes);
      own.prefixLength += copied.bytes.length;
    };
    const id = segment.id;
    let firstOrdinalDelta = 0;
    if (plan.start > 0) {
      // Reopen what the range starts inside of: the interchange, the group, the set and its 2000A level.
      if (this.interchange?.copied && id !== 'ISA') add(this.interchange.copied, 0);
      if (this.group?.copied && id !== 'ISA' && id !== 'GS') {
        add(this.group.copied, 0);
        own.groupsInInterchange = 1;
      }
      if (this.set && id === 'HL') {
        if (!this.set.header) throw new RangeError('a chunk cannot start in a set whose header was not copied');
        add(this.set.header, 0);
        own.segmentsInSet = this.set.header.segments;
        own.setsInGroup = 1;
        if (segment.element(3) === '22') {
          // A regular set: the subscriber level's parent is the latest billing provider level.
          const billing = this.tree.lastBilling?.data.context;
          if (!billing) throw new RangeError('a chunk cannot start at a subscriber level without its billing provider level');
          add(billing, billing.ordinal - (own.segmentsInSet + 1));
          own.segmentsInSet += billing.segments;
        }
        firstOrdinalDelta = segment.ordinal - (own.segmentsInSet + 1);
      }
    }
    own.pieces.push([own.prefixLength, plan.start, firstOrdinalDelta]);
    this.own = own;
  }

  private finishOwn(end: number, endOfFile: boolean): void {
    const own = this.own!;
    const { plan } = own;
    const interchange = this.interchange;
    let trailers: Buffer | undefined;
    if (!endOfFile && interchange) {
      trailers = synthesizedTrailers(
        interchange,
        this.set ? { segments: own.segmentsInSet + 1, control: this.set.control } : undefined,
        this.group ? { sets: own.setsInGroup, control: this.group.control } : undefined,
        own.groupsInInterchange,
      );
    }
    const priorBytes = plan.priors.map((position) => {
      const bytes = this.priors.get(position);
      if (!bytes) throw new RangeError('a prior claim was not copied before the chunk that reads it');
      const uses = this.priorUses.get(position)! - 1;
      if (uses === 0) {
        this.priors.delete(position);
        this.priorUses.delete(position);
      } else {
        this.priorUses.set(position, uses);
      }
      return bytes;
    });
    const priorsLength = priorBytes.reduce((sum, bytes) => sum + bytes.length, 0);
    const header: ChunkHeader = {
      version: 1,
      fileId: this.fileId,
      chunk: plan.chunk,
      firstPosition: plan.firstPosition,
      claims: plan.claims,
      priors: plan.priors,
      pieces: own.pieces.map(([chunkOffset, originalOffset, delta]): Piece => [chunkOffset + priorsLength, originalOffset, delta]),
      rejected: plan.rejected,
    };
    const body = [...priorBytes, ...own.prefix, this.window.slice(plan.start, end), ...(trailers ? [trailers] : [])];
    this.ready.push({ chunk: plan.chunk, bytes: encodeChunkObject(header, body) });
    this.own = undefined;
    this.nextPlan++;
  }

  private chunkOffsetOf(own: OwnChunk, originalOffset: number): number {
    return own.prefixLength + (originalOffset - own.plan.start);
  }
}

/** SE, GE and IEA closing a copied range, with the interchange's own delimiters. */
function synthesizedTrailers(interchange: OpenInterchange, set: { segments: number; control: string } | undefined, group: { sets: number; control: string } | undefined, groups: number): Buffer {
  const e = interchange.elementSeparator;
  const t = interchange.terminator;
  // A line break after each terminator, as people expect, unless the terminator is one already.
  const end = t === '\n' ? t : `${t}\n`;
  let text = '';
  if (set) text += `SE${e}${set.segments}${e}${set.control}${end}`;
  if (group) text += `GE${e}${group.sets}${e}${group.control}${end}`;
  text += `IEA${e}${groups}${e}${interchange.control}${end}`;
  return Buffer.from(text, 'latin1');
}
