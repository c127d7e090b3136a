/**
 * What a benchmark contender is: something that reads an X12 file and reports how many segments it
 * found, run alone in its own child process (bench/child.ts) so that its memory and time are its own.
 */

/** What one run of a contender found. */
export interface ContenderOutput {
  /** Segments found (blank pseudo-segments some parsers emit for trailing line ends are not counted). */
  segments: number;
  /** Order-sensitive hash of every segment id (see {@link SegmentDigest}); absent when not observable. */
  idDigest?: string;
  /** Hash of the full content of every 1009th segment; absent when not observable. */
  sampleDigest?: string;
  /** Something the tables should show beside the time (e.g. a validator that rejected a valid file). */
  warning?: string;
}

export interface Contender {
  /** Stable id, used on the child's command line and in results.json. */
  id: string;
  /** How the tables name it. */
  label: string;
  /**
   * Load what the contender needs before the clock starts; returns why it cannot run, if it cannot
   * (e.g. the module it measures does not exist yet).
   */
  prepare(): Promise<string | undefined>;
  /** Read `file` from the first byte to the end; the child times exactly this call. */
  run(file: string): Promise<ContenderOutput>;
}

/** Read size for every streaming contender: the same 1 MiB chunks for all, so they compare fairly. */
export const READ_CHUNK_BYTES = 1024 * 1024;

/** One segment in this many has its content hashed for the cross-check (a prime, to avoid patterns). */
export const SAMPLE_STRIDE = 1009;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function hex(hash: number): string {
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** A segment id as one number (seven bits a character, folded beyond four characters). */
export function packId(id: string): number {
  let packed = id.length;
  for (let i = 0; i < id.length; i++) packed = ((packed << 7) ^ id.charCodeAt(i)) | 0;
  return packed;
}

/**
 * Fingerprints of a segment stream, comparable between parsers: every segment's id in order (catches
 * segments merged, split or shifted at read-chunk boundaries) and the full content of a sample
 * (catches corrupted elements). Content is normalized: elements trimmed, joined with `*`, components
 * joined with `:`. ISA and IEA are not sampled (parsers rewrite their numeric fields).
 */
export class SegmentDigest {
  private index = 0;
  private idHash = FNV_OFFSET;
  private sampleHash = FNV_OFFSET;

  /** Segments until the next sampled one. */
  private untilSample = 0;

  /** Record the next segment's id; true when its content should be passed to {@link sample}. */
  next(id: string): boolean {
    return this.nextPacked(packId(id), id === 'ISA' || id === 'IEA');
  }

  /**
   * The same as {@link next} with the id already packed ({@link packId}): a parser that numbers its
   * segment ids can pack each id once, so the fingerprint costs it one multiplication per segment.
   */
  nextPacked(packed: number, interchangeEnvelope: boolean): boolean {
    this.idHash = Math.imul(this.idHash ^ packed, FNV_PRIME);
    this.index++;
    if (this.untilSample-- > 0) return false;
    this.untilSample = SAMPLE_STRIDE - 1;
    return !interchangeEnvelope;
  }

  /** Hash a sampled segment: its id and elements (each element's components already joined with `:`). */
  sample(id: string, elements: readonly string[]): void {
    let h = this.sampleHash;
    const text = id + '*' + elements.map((e) => e.trim()).join('*') + '~';
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
    this.sampleHash = h;
  }

  result(): ContenderOutput {
    return { segments: this.index, idDigest: hex(this.idHash), sampleDigest: hex(this.sampleHash) };
  }
}
