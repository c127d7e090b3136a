/**
 * The loop walker: assigns every segment of a transaction set to its implementation-guide loop and
 * reports segment-level (SNIP 1–2) problems as IK3 issues: unrecognized (1), unexpected (2), required
 * segment missing (3), loop over its maximum repeats (4), segment over its maximum use (5), segment not
 * in the set (6), out of sequence (7), and "not used" segments present (I4).
 *
 * It reads only the map (data): a stack of open loop occurrences, each with its position among its
 * children and per-child counts. A segment is matched, innermost loop first, against the children at or
 * after the current position (a segment id plus, where siblings share that id, its qualifier); a match
 * in an outer loop closes the inner ones; a loop child matches by its opening segment and opens a new
 * occurrence.
 *
 * @example
 * const walker = new LoopWalker(map837P, (issue) => issues.push(issue));
 * for (const segment of transactionSet) walker.push(segment); // ST … SE
 * walker.finish(lastOrdinal);
 */
import type { X12Issue } from './issues.ts';
import type { GuideMap, LoopDef, SegmentDef } from './maps/types.ts';
import { packString, segmentCode, type Segment } from './segment.ts';
import { compileSegment, type CompiledSegment } from './elements.ts';

export interface WalkStep {
  /** The loop the segment belongs to (`ST` for the header and trailer). */
  loopId: string;
  /** The guide's definition the segment matched, when it matched one. */
  def: SegmentDef | undefined;
  /** The same definition compiled for the element checks. */
  compiled: CompiledSegment | undefined;
  /** True when the segment opened a new loop occurrence. */
  opened: boolean;
  /**
   * Index of a qualifier element whose value matched no sibling (so `def` was picked by id alone and the
   * element check should report the invalid code).
   */
  badQualifier: boolean;
}

/**
 * One child of a loop (a segment, or a loop by its opening segment) with everything the walker reads
 * about it, in one fixed shape: the hot path loads one object per candidate instead of one entry from
 * each of a dozen parallel arrays, and every property access stays monomorphic.
 */
class ChildIndex {
  constructor(
    /** Position among the loop's children (the opener is 0). */
    readonly position: number,
    /** The opening segment (the child itself for a segment child). */
    readonly opener: SegmentDef,
    /** `opener` compiled for the element checks. */
    readonly compiled: CompiledSegment,
    /** The child loop's index; undefined for a segment child. */
    readonly loop: LoopIndex | undefined,
    /**
     * The qualifier values, packed (see `packString`), in a small array compared one by one (most
     * qualifiers allow a handful of values); undefined: no qualifier, or one too long to pack.
     */
    readonly qualifierKeys: Int32Array | undefined,
    /** Qualifier values too long to pack: matched by decoding the element. */
    readonly slowQualifier: boolean,
    /** The qualifier's element and component (0: none). */
    readonly qualifierElement: number,
    readonly qualifierComponent: number,
    /** Maximum use (segments) or repeat (loops). */
    readonly maxUse: number,
    readonly notUsed: boolean,
    /**
     * The first position of the run of adjacent children opened by the same segment id (the guides give
     * such siblings one position, e.g. the DTPs of 2300 or the 2310x loops, so their order among
     * themselves is free).
     */
    readonly runStart: number,
  ) {}
}

/** Per-loop lookup tables, built once per map (lazily, when a set of that guide is first walked). */
interface LoopIndex {
  loop: LoopDef;
  /** Every child, in guide order. */
  children: ChildIndex[];
  /** Children by segment id (for a loop child: its opening segment's id). */
  byId: Map<string, ChildIndex[]>;
  /** The same, indexed by segment id number ({@link segmentCode}). */
  byCode: (ChildIndex[] | undefined)[];
  /** Positions of required children (checked when an occurrence closes). */
  required: number[];
  /**
   * Frames of closed occurrences of this loop, reused by the next one (no allocation per loop), as a
   * list linked through `Frame.next`: an array would change its elements kind on its first push, which
   * for the root loop happens at the end of the first set and throws away the code that inlined it.
   */
  spare: Frame | undefined;
}

const indexCache = new WeakMap<LoopDef, LoopIndex>();

function indexLoop(loop: LoopDef): LoopIndex {
  const cached = indexCache.get(loop);
  if (cached) return cached;
  const children: ChildIndex[] = [];
  const byId = new Map<string, ChildIndex[]>();
  const byCode: (ChildIndex[] | undefined)[] = [];
  const required: number[] = [];
  const index: LoopIndex = { loop, children, byId, byCode, required, spare: undefined };
  indexCache.set(loop, index);
  loop.children.forEach((child, i) => {
    let first: SegmentDef;
    let childLoop: LoopIndex | undefined;
    if (child.kind === 'loop') {
      const head = child.children[0];
      if (!head || head.kind !== 'segment') throw new Error(`map error: loop ${child.id} does not open with a segment`);
      first = head;
      childLoop = indexLoop(child);
    } else {
      first = child;
    }
    const packed = first.qualifier?.values.map(packString);
    const previous = children[i - 1];
    const info = new ChildIndex(
      i,
      first,
      compileSegment(first),
      childLoop,
      packed && !packed.includes(-1) ? Int32Array.from(new Set(packed)) : undefined,
      packed !== undefined && packed.includes(-1),
      first.qualifier?.element ?? 0,
      first.qualifier?.component ?? 0,
      child.kind === 'loop' ? child.repeat : child.maxUse,
      child.usage === 'N',
      previous !== undefined && previous.opener.id === first.id ? previous.runStart : i,
    );
    children.push(info);
    if (i > 0 && child.usage === 'R') required.push(i);
    const list = byId.get(first.id);
    if (list) list.push(info);
    else {
      const fresh = [info];
      byId.set(first.id, fresh);
      byCode[segmentCode(first.id)] = fresh;
    }
  });
  return index;
}

/** Every segment id a map knows, for telling "not in this set" (6) from "unexpected here" (2). */
const idsCache = new WeakMap<GuideMap, Set<string>>();
function mapSegmentIds(map: GuideMap): Set<string> {
  let ids = idsCache.get(map);
  if (ids) return ids;
  ids = new Set<string>();
  const visit = (loop: LoopDef): void => {
    for (const c of loop.children) {
      if (c.kind === 'loop') visit(c);
      else ids!.add(c.id);
    }
  };
  visit(map.root);
  idsCache.set(map, ids);
  return ids;
}

/**
 * Segment ids of the X12 standard that the health-care guides may meet. An id outside this list and
 * outside the map is "unrecognized" (IK304 1); a standard id the map lacks is "not in the set" (6).
 */
const STANDARD_SEGMENT_IDS = new Set(
  ('AAA ACT ADX AK1 AK2 AK3 AK4 AK5 AK9 AMT AT9 BGN BHT BPR BIN CAS CL1 CLM CLP CN1 COB CR1 CR2 CR3 CR4 CR5 CR6 CR7 CR8 ' +
    'CRC CTP CTX CUR DMG DN1 DN2 DSB DTM DTP EB EC EFI EM ENT EQ FRM GE GS HCP HCR HD HI HL HLH HSD ICM IDC IEA III IK3 ' +
    'IK4 IK5 IMM INS ISA K1 K2 K3 LE LIN LQ LS LUI LX MEA MIA MOA MPI MSG N1 N2 N3 N4 NM1 NTE NX1 OI PAT PER PLA PLB ' +
    'PRV PS1 PWK QTY RDM REF RMR SBR SE SEF SPR ST STC SV1 SV2 SV3 SV4 SV5 SV6 SV7 SVC SVD TA1 TOO TRN TS2 TS3 UM ' +
    'UR VEH YNQ').split(' '),
);

/**
 * The offset given for issues found when a set closes at its end rather than at a segment (always a
 * number, so that the closing code sees one type of argument).
 */
const NO_OFFSET = -1;

/**
 * Numbers loop occurrences (process-wide, so that frames shared through a loop's `spare` list never
 * mistake another occurrence's counts for theirs). 0 is never used: fresh stamps hold 0.
 */
let lastOccurrence = 0;
function nextOccurrence(): number {
  lastOccurrence = (lastOccurrence + 1) | 0;
  if (lastOccurrence === 0) lastOccurrence = 1;
  return lastOccurrence;
}

/**
 * One open loop occurrence, reused by later occurrences of the same loop. A child's count is valid
 * only where its stamp is the occurrence's number, so an occurrence starts at zero without clearing
 * the array (a loop closes some 200,000 times in a 10 MiB 837).
 */
class Frame {
  /** Child position last matched (the opener is 0). */
  pos = 0;
  /** This occurrence's number (see {@link nextOccurrence}). */
  occurrence = 0;
  /** Uses of each child within this occurrence (segment uses, or loop occurrences), where stamped. */
  readonly counts: Uint32Array;
  /** The occurrence each entry of `counts` belongs to. */
  readonly stamps: Int32Array;
  /** The next spare frame of the same loop (see `LoopIndex.spare`). */
  next: Frame | undefined = undefined;

  constructor(readonly index: LoopIndex) {
    this.counts = new Uint32Array(index.children.length);
    this.stamps = new Int32Array(index.children.length);
  }

  /** Open a new occurrence: its opener used once, every other child not yet. */
  open(): this {
    const occurrence = nextOccurrence();
    this.occurrence = occurrence;
    this.pos = 0;
    this.stamps[0] = occurrence;
    this.counts[0] = 1;
    return this;
  }

  /** Put this closed frame on its loop's spare list. */
  release(): void {
    this.next = this.index.spare;
    this.index.spare = this;
  }

  /** Uses of child i in this occurrence. */
  count(i: number): number {
    return this.stamps[i] === this.occurrence ? this.counts[i]! : 0;
  }

  /** Count one more use of child i; return the new count. */
  use(i: number): number {
    if (this.stamps[i] === this.occurrence) return ++this.counts[i]!;
    this.stamps[i] = this.occurrence;
    this.counts[i] = 1;
    return 1;
  }
}

export class LoopWalker {
  private readonly stack: Frame[] = [];
  /** The step `push` returns: one object, overwritten by the next `push` (read it, do not keep it). */
  private readonly current: WalkStep = { loopId: '', def: undefined, compiled: undefined, opened: false, badQualifier: false };
  private readonly rootIndex: LoopIndex;
  private readonly ids: Set<string>;

  constructor(
    readonly map: GuideMap,
    private readonly report: (issue: X12Issue) => void,
  ) {
    this.rootIndex = indexLoop(map.root);
    this.ids = mapSegmentIds(map);
  }

  /** The loop ids currently open, outermost first (e.g. `ST, 2000A, 2000B, 2300, 2400`). */
  path(): string[] {
    return this.stack.map((f) => f.index.loop.id);
  }

  /**
   * Forget the open transaction set without reporting anything, so that the walker can start the next
   * one (a validator keeps one walker per guide). {@link finish} leaves it in the same state.
   */
  reset(): void {
    while (this.stack.length > 0) {
      const frame = this.stack.pop()!;
      frame.release();
    }
  }

  /**
   * Start a transaction set with its first segment (ST): the walker is reset, then walks `segment`.
   * {@link push} does the same when nothing is open, but a validator opens each set through here: the
   * optimized code of `push` is then built for the segments within a set only. (A set's first ST comes
   * before `push` has gathered any type feedback, so the branch that opens a set would otherwise be
   * left out of that code and throw it away at the next set's ST, as the engine's deoptimizations showed.)
   */
  begin(segment: Segment): WalkStep {
    this.reset();
    return this.openSet(segment) ?? this.push(segment);
  }

  /** Assign one segment (ST first, SE last). The returned step is valid until the next call. */
  push(segment: Segment): WalkStep {
    if (this.stack.length === 0) {
      const step = this.openSet(segment);
      if (step !== undefined) return step;
    }
    const code = segment.code;
    // The qualifier's packed value, read once per segment for all the candidates that share its position.
    let keyElement = -1;
    let keyComponent = -1;
    let key = 0;
    // Forward, innermost loop first.
    for (let d = this.stack.length - 1; d >= 0; d--) {
      const frame = this.stack[d]!;
      const index = frame.index;
      const candidates = code < index.byCode.length ? index.byCode[code] : undefined;
      if (candidates === undefined) continue;
      for (let c = 0; c < candidates.length; c++) {
        const child = candidates[c]!;
        const i = child.position;
        // The opener (0) repeating means a new occurrence of this loop, which the parent's frame
        // matches. Behind the current position: not here, unless in the same run of same-id siblings.
        if (i === 0) continue;
        if (i < frame.pos && child.runStart !== index.children[frame.pos]!.runStart) continue;
        const keys = child.qualifierKeys;
        if (keys !== undefined) {
          if (child.qualifierElement !== keyElement || child.qualifierComponent !== keyComponent) {
            keyElement = child.qualifierElement;
            keyComponent = child.qualifierComponent;
            key = segment.elementKey(keyElement, keyComponent);
          }
          if (!includesKey(keys, key)) continue;
        } else if (child.slowQualifier && !qualifierMatches(segment, child.opener)) continue;
        return this.advance(d, child, segment);
      }
    }
    return this.unmatched(segment);
  }

  /** ST opens the root loop; a set that does not start with ST is reported and walked from its root. */
  private openSet(segment: Segment): WalkStep | undefined {
    const root = this.rootIndex;
    this.stack.push(frameFor(root));
    const st = root.children[0]!;
    if (segment.id === st.opener.id) return this.step('ST', st.opener, st.compiled, true, false);
    this.issue(segment, '3', `Required segment ${st.opener.id} is missing at the start of the transaction set.`, 'ST');
    return undefined;
  }

  private step(loopId: string, def: SegmentDef | undefined, compiled: CompiledSegment | undefined, opened: boolean, badQualifier: boolean): WalkStep {
    const c = this.current;
    c.loopId = loopId;
    c.def = def;
    c.compiled = compiled;
    c.opened = opened;
    c.badQualifier = badQualifier;
    return c;
  }

  /** Close the set at SE (or at its end when SE is missing): report required segments and loops never seen. */
  finish(ordinal: number): void {
    while (this.stack.length > 0) this.closeTop(ordinal, NO_OFFSET);
  }

  private advance(depth: number, child: ChildIndex, segment: Segment): WalkStep {
    while (this.stack.length - 1 > depth) this.closeTop(segment.ordinal, segment.offset);
    const frame = this.stack[depth]!;
    const i = child.position;
    if (i > frame.pos) frame.pos = i;
    const count = frame.use(i);
    if (count > child.maxUse || child.notUsed) this.overUse(frame.index, child, count, segment);
    const childLoop = child.loop;
    if (childLoop !== undefined) {
      this.stack.push(frameFor(childLoop));
      return this.step(childLoop.loop.id, child.opener, child.compiled, true, false);
    }
    return this.step(frame.index.loop.id, child.opener, child.compiled, false, false);
  }

  /** A child used more often than the guide allows, or "not used" and present (loop 4 / I4, segment 5 / I4). */
  private overUse(index: LoopIndex, child: ChildIndex, count: number, segment: Segment): void {
    const childLoop = child.loop;
    if (childLoop !== undefined) {
      const loop = childLoop.loop;
      if (count > child.maxUse) this.issue(segment, '4', `Loop ${loop.id} occurs more than ${loop.repeat} time(s).`, loop.id);
      if (child.notUsed) this.issue(segment, 'I4', `Loop ${loop.id} is not used in this implementation.`, loop.id);
      return;
    }
    const loopId = index.loop.id;
    const def = child.opener;
    if (count > def.maxUse) this.issue(segment, '5', `Segment ${def.id} (${def.name}) exceeds its maximum use of ${def.maxUse} in loop ${loopId}.`, loopId);
    if (def.usage === 'N') this.issue(segment, 'I4', `Segment ${def.id} is not used in this implementation (loop ${loopId}).`, loopId);
  }

  private unmatched(segment: Segment): WalkStep {
    const id = segment.id;
    const top = this.stack[this.stack.length - 1]!;
    const loopId = top.index.loop.id;
    // Same id earlier in an open loop: out of sequence. Same id, no qualifier match: bad qualifier.
    for (let d = this.stack.length - 1; d >= 0; d--) {
      const frame = this.stack[d]!;
      const candidates = frame.index.byId.get(id);
      if (!candidates) continue;
      let sameId: ChildIndex | undefined;
      for (const child of candidates) {
        const i = child.position;
        if (qualifierMatches(segment, child.opener)) {
          if (i < frame.pos) {
            const where = frame.index.loop.id;
            frame.use(i);
            this.issue(segment, '7', `Segment ${id} is not in its proper sequence in loop ${where}.`, where);
            return this.step(child.loop ? child.loop.loop.id : where, child.opener, child.compiled, false, false);
          }
        } else if (sameId === undefined && i >= frame.pos) {
          sameId = child;
        }
      }
      if (sameId !== undefined && d === this.stack.length - 1) {
        // The id belongs here but its qualifier names no variant: report it on the qualifier element.
        return this.step(frame.index.loop.id, sameId.opener, sameId.compiled, false, true);
      }
    }
    if (this.ids.has(id)) {
      this.issue(segment, '2', `Segment ${id} is not expected at this position (loop ${loopId}).`, loopId);
    } else if (STANDARD_SEGMENT_IDS.has(id)) {
      this.issue(segment, '6', `Segment ${id} is not defined in this transaction set.`, loopId);
    } else {
      this.issue(segment, '1', `Segment id ${safeId(id)} is not a recognized segment id.`, loopId);
    }
    return this.step(loopId, undefined, undefined, false, false);
  }

  /**
   * Close the innermost loop occurrence: its required children never seen are missing (checked at the
   * close, not when a position is skipped, so a segment that merely comes late is reported once, as out
   * of sequence).
   */
  private closeTop(ordinal: number, offset: number): void {
    const frame = this.stack.pop()!;
    const required = frame.index.required;
    for (let r = 0; r < required.length; r++) {
      if (frame.count(required[r]!) === 0) this.missing(frame.index, required[r]!, ordinal, offset);
    }
    frame.release();
  }

  private missing(index: LoopIndex, k: number, ordinal: number, offset: number): void {
    const child = index.loop.children[k]!;
    const opener = index.children[k]!.opener;
    const loopId = child.kind === 'loop' ? child.id : index.loop.id;
    const what = child.kind === 'loop' ? `Required loop ${child.id} (${child.name})` : `Required segment ${child.id} (${child.name})`;
    this.report({
      level: 'segment',
      code: '3',
      severity: 'error',
      message: `${what} is missing in loop ${index.loop.id}.`,
      segmentId: opener.id,
      ordinal,
      offset: offset === NO_OFFSET ? undefined : offset,
      loopId,
    });
  }

  private issue(segment: Segment, code: string, message: string, loopId: string): void {
    this.report({ level: 'segment', code, severity: 'error', message, segmentId: segment.id, ordinal: segment.ordinal, offset: segment.offset, loopId });
  }
}

/** Is `key` one of `keys`? (A linear scan: these lists are short, and it needs no hashing.) */
function includesKey(keys: Int32Array, key: number): boolean {
  for (let i = 0; i < keys.length; i++) if (keys[i] === key) return true;
  return false;
}

/** A frame for a new occurrence of the loop `index`: a closed one reused, or a new one. */
function frameFor(index: LoopIndex): Frame {
  const spare = index.spare;
  if (spare === undefined) return new Frame(index).open();
  index.spare = spare.next;
  return spare.open();
}

/** Does the segment carry one of the qualifier values that select `def` (no qualifier: any)? */
export function qualifierMatches(segment: Segment, def: SegmentDef): boolean {
  const q = def.qualifier;
  if (!q) return true;
  const value = q.component === undefined ? segment.element(q.element) : firstComponent(segment, q.element, q.component);
  return q.values.includes(value);
}

function firstComponent(segment: Segment, element: number, component: number): string {
  const v = segment.element(element);
  const sep = String.fromCharCode(segment.delimiters.component);
  if (component === 1) {
    const k = v.indexOf(sep);
    return k < 0 ? v : v.slice(0, k);
  }
  return v.split(sep)[component - 1] ?? '';
}

/** A segment id for a message: ids are not PHI, but a garbage "id" could be anything. */
function safeId(id: string): string {
  return /^[A-Z0-9]{1,3}$/.test(id) ? id : '(not an id)';
}
