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

/** Per-loop lookup tables, built once per map. */
interface LoopIndex {
  loop: LoopDef;
  /** Child indices by segment id (for a loop child: its opening segment's id). */
  byId: Map<string, number[]>;
  /** The same, indexed by segment id number ({@link segmentCode}). */
  byCode: (number[] | undefined)[];
  /** The opening segment of each child (the child itself for segments). */
  opener: SegmentDef[];
  /** Child loops' indices (undefined for segment children). */
  childLoops: (LoopIndex | undefined)[];
  /** Each child's qualifier values, packed (see `packString`); undefined: no qualifier. */
  qualifierKeys: (Set<number> | undefined)[];
  /** Children whose qualifier values are too long to pack: matched by decoding the element. */
  slowQualifier: boolean[];
  /** Each child's qualifier element and component (0: none), as plain numbers for the hot path. */
  qualifierElement: number[];
  qualifierComponent: number[];
  /** Each child's maximum use (segments) or repeat (loops), and whether it is "not used". */
  maxUse: number[];
  notUsed: boolean[];
  /** Each child's opening segment, compiled for the element checks. */
  compiled: CompiledSegment[];
  /**
   * For each child, the first index of the run of adjacent children opened by the same segment id
   * (the guides give such siblings one position, e.g. the DTPs of 2300 or the 2310x loops, so their
   * order among themselves is free).
   */
  runStart: number[];
  /** Indices of required children (checked when an occurrence closes). */
  required: number[];
  /** Count arrays of closed occurrences, reused by the next occurrence (no allocation per loop). */
  spare: Uint32Array[];
}

const indexCache = new WeakMap<LoopDef, LoopIndex>();

function indexLoop(loop: LoopDef): LoopIndex {
  const cached = indexCache.get(loop);
  if (cached) return cached;
  const byId = new Map<string, number[]>();
  const opener: SegmentDef[] = [];
  const childLoops: (LoopIndex | undefined)[] = [];
  const qualifierKeys: (Set<number> | undefined)[] = [];
  const runStart: number[] = [];
  const required: number[] = [];
  const slowQualifier: boolean[] = [];
  const qualifierElement: number[] = [];
  const qualifierComponent: number[] = [];
  const maxUse: number[] = [];
  const notUsed: boolean[] = [];
  const compiled: CompiledSegment[] = [];
  const byCode: (number[] | undefined)[] = [];
  const index: LoopIndex = { loop, byId, byCode, opener, childLoops, qualifierKeys, slowQualifier, qualifierElement, qualifierComponent, maxUse, notUsed, compiled, runStart, required, spare: [] };
  indexCache.set(loop, index);
  loop.children.forEach((child, i) => {
    let first: SegmentDef;
    if (child.kind === 'loop') {
      const head = child.children[0];
      if (!head || head.kind !== 'segment') throw new Error(`map error: loop ${child.id} does not open with a segment`);
      first = head;
      childLoops.push(indexLoop(child));
    } else {
      first = child;
      childLoops.push(undefined);
    }
    opener.push(first);
    const packed = first.qualifier?.values.map(packString);
    // Values too long to pack are compared as strings (`slowQualifier`).
    qualifierKeys.push(packed && !packed.includes(-1) ? new Set(packed) : undefined);
    slowQualifier.push(packed !== undefined && packed.includes(-1));
    qualifierElement.push(first.qualifier?.element ?? 0);
    qualifierComponent.push(first.qualifier?.component ?? 0);
    maxUse.push(child.kind === 'loop' ? child.repeat : child.maxUse);
    notUsed.push(child.usage === 'N');
    compiled.push(compileSegment(first));
    runStart.push(i > 0 && opener[i - 1]!.id === first.id ? runStart[i - 1]! : i);
    if (i > 0 && child.usage === 'R') required.push(i);
    const list = byId.get(first.id);
    if (list) list.push(i);
    else {
      const fresh = [i];
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

interface Frame {
  index: LoopIndex;
  /** Child position last matched (the opener is 0). */
  pos: number;
  /** Uses of each child within this occurrence (segment uses, or loop occurrences). */
  counts: Uint32Array;
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

  /** Assign one segment (ST first, SE last). The returned step is valid until the next call. */
  push(segment: Segment): WalkStep {
    if (this.stack.length === 0) {
      // ST opens the root loop.
      const frame: Frame = { index: this.rootIndex, pos: 0, counts: new Uint32Array(this.rootIndex.loop.children.length) };
      this.stack.push(frame);
      const stDef = this.rootIndex.opener[0]!;
      frame.counts[0] = 1;
      if (segment.id !== stDef.id) this.issue(segment, '3', `Required segment ${stDef.id} is missing at the start of the transaction set.`, 'ST');
      else return this.step('ST', stDef, this.rootIndex.compiled[0], true, false);
    }
    const code = segment.code;
    // Forward, innermost loop first.
    for (let d = this.stack.length - 1; d >= 0; d--) {
      const frame = this.stack[d]!;
      const candidates = frame.index.byCode[code];
      if (candidates === undefined) continue;
      for (let c = 0; c < candidates.length; c++) {
        const i = candidates[c]!;
        // The opener (0) repeating means a new occurrence of this loop, which the parent's frame
        // matches. Behind the current position: not here, unless in the same run of same-id siblings.
        if (i === 0) continue;
        if (i < frame.pos && frame.index.runStart[i] !== frame.index.runStart[frame.pos]) continue;
        const keys = frame.index.qualifierKeys[i];
        if (keys !== undefined) {
          if (!keys.has(segment.elementKey(frame.index.qualifierElement[i]!, frame.index.qualifierComponent[i]!))) continue;
        } else if (frame.index.slowQualifier[i] && !qualifierMatches(segment, frame.index.opener[i]!)) continue;
        return this.advance(d, i, segment);
      }
    }
    return this.unmatched(segment);
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
    while (this.stack.length > 0) this.closeTop(ordinal);
  }

  private advance(depth: number, i: number, segment: Segment): WalkStep {
    while (this.stack.length - 1 > depth) this.closeTop(segment.ordinal, segment.offset);
    const frame = this.stack[depth]!;
    const index = frame.index;
    if (i > frame.pos) frame.pos = i;
    const count = ++frame.counts[i]!;
    const childLoop = index.childLoops[i];
    if (childLoop !== undefined) {
      const loop = childLoop.loop;
      if (count > index.maxUse[i]!) this.issue(segment, '4', `Loop ${loop.id} occurs more than ${loop.repeat} time(s).`, loop.id);
      if (index.notUsed[i]) this.issue(segment, 'I4', `Loop ${loop.id} is not used in this implementation.`, loop.id);
      const counts = childLoop.spare.pop() ?? new Uint32Array(loop.children.length);
      counts[0] = 1;
      this.stack.push({ index: childLoop, pos: 0, counts });
      return this.step(loop.id, childLoop.opener[0], childLoop.compiled[0], true, false);
    }
    const loopId = index.loop.id;
    if (count > index.maxUse[i]! || index.notUsed[i]) {
      const def = index.opener[i]!;
      if (count > def.maxUse) this.issue(segment, '5', `Segment ${def.id} (${def.name}) exceeds its maximum use of ${def.maxUse} in loop ${loopId}.`, loopId);
      if (def.usage === 'N') this.issue(segment, 'I4', `Segment ${def.id} is not used in this implementation (loop ${loopId}).`, loopId);
    }
    return this.step(loopId, index.opener[i], index.compiled[i], false, false);
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
      let sameId: number | undefined;
      for (const i of candidates) {
        const opener = frame.index.opener[i]!;
        if (qualifierMatches(segment, opener)) {
          if (i < frame.pos) {
            const where = frame.index.loop.id;
            frame.counts[i]!++;
            this.issue(segment, '7', `Segment ${id} is not in its proper sequence in loop ${where}.`, where);
            const child = frame.index.childLoops[i];
            return this.step(child ? child.loop.id : where, opener, frame.index.compiled[i], false, false);
          }
        } else if (sameId === undefined && i >= frame.pos) {
          sameId = i;
        }
      }
      if (sameId !== undefined && d === this.stack.length - 1) {
        // The id belongs here but its qualifier names no variant: report it on the qualifier element.
        const opener = frame.index.opener[sameId]!;
        return this.step(frame.index.loop.id, opener, frame.index.compiled[sameId], false, true);
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
  private closeTop(ordinal: number, offset?: number): void {
    const frame = this.stack.pop()!;
    const children = frame.index.loop.children;
    for (const k of frame.index.required) {
      if (frame.counts[k]! > 0) continue;
      const child = children[k]!;
      const opener = frame.index.opener[k]!;
      const loopId = child.kind === 'loop' ? child.id : frame.index.loop.id;
      const what = child.kind === 'loop' ? `Required loop ${child.id} (${child.name})` : `Required segment ${child.id} (${child.name})`;
      this.report({
        level: 'segment',
        code: '3',
        severity: 'error',
        message: `${what} is missing in loop ${frame.index.loop.id}.`,
        segmentId: opener.id,
        ordinal,
        offset,
        loopId,
      });
    }
    const counts = frame.counts;
    for (let k = 0; k < counts.length; k++) counts[k] = 0;
    frame.index.spare.push(counts);
  }

  private issue(segment: Segment, code: string, message: string, loopId: string): void {
    this.report({ level: 'segment', code, severity: 'error', message, segmentId: segment.id, ordinal: segment.ordinal, offset: segment.offset, loopId });
  }
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
