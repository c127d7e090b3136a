/**
 * Element checks (SNIP 1–2) against a segment's guide definition, reported as IK4 issues with the
 * 999's element error codes: required missing (1), conditional required missing (2), too many elements
 * (3), too short (4), too long (5), invalid character (6), invalid code value (7), invalid date (8),
 * invalid time (9), exclusion violated (10), too many repetitions (12), too many components (13),
 * "not used" element present (I10).
 *
 * The checks read the segment's bytes directly: a valid element costs a few byte comparisons and no
 * string, so validating a large file stays close to the speed of tokenizing it. A value is decoded
 * only for a code-list look-up or for an issue's `badValue`.
 */
import type { X12Issue } from './issues.ts';
import { isComposite, type CompositeDef, type ElementDef, type SegmentDef } from './maps/types.ts';
import { packBytes, packString, type Delimiters, type Segment } from './segment.ts';

/**
 * Code lists as look-up tables. Codes of up to six ASCII characters are packed into a number, so that
 * checking a value needs no string; longer codes fall back to a Set of strings.
 */
interface CodeTable {
  packed: Set<number>;
  /** The packed codes again when there are only a few: compared one by one, faster than hashing. */
  few: Int32Array | null;
  long: Set<string>;
}
/** Most code lists a guide gives an element (qualifiers) hold a handful of codes. */
const FEW_CODES = 6;
const codeTables = new WeakMap<ElementDef, CodeTable>();
function codeTable(def: ElementDef): CodeTable | undefined {
  if (!def.codes) return undefined;
  let table = codeTables.get(def);
  if (!table) {
    table = { packed: new Set(), few: null, long: new Set() };
    for (const code of def.codes) {
      const key = packString(code);
      if (key >= 0) table.packed.add(key);
      else table.long.add(code);
    }
    if (table.packed.size <= FEW_CODES) table.few = Int32Array.from(table.packed);
    codeTables.set(def, table);
  }
  return table;
}

function hasCode(table: CodeTable, buf: Uint8Array, from: number, to: number): boolean {
  const key = packBytes(buf, from, to);
  if (key >= 0) return hasPacked(table, key);
  return table.long.has(decodeValue(buf, from, to));
}

/** Is the packed code `key` (not -1) in the table? */
function hasPacked(table: CodeTable, key: number): boolean {
  const few = table.few;
  if (few === null) return table.packed.has(key);
  for (let i = 0; i < few.length; i++) if (few[i] === key) return true;
  return false;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Calendar check of a CCYYMMDD (or YYMMDD) date held in bytes [from, to). */
export function isValidDateBytes(buf: Uint8Array, from: number, to: number): boolean {
  const len = to - from;
  if (len !== 8 && len !== 6) return false;
  for (let p = from; p < to; p++) {
    const c = buf[p]!;
    if (c < 0x30 || c > 0x39) return false;
  }
  const d = (k: number): number => buf[from + k]! - 0x30;
  const off = len - 4;
  const month = d(off) * 10 + d(off + 1);
  const day = d(off + 2) * 10 + d(off + 3);
  if (month < 1 || month > 12 || day < 1) return false;
  if (day > DAYS_IN_MONTH[month - 1]!) return false;
  if (month === 2 && day === 29 && len === 8) {
    const year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3);
    if (!(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return false;
  }
  return true;
}

/** HHMM[SS[d..d]] time in bytes [from, to). */
export function isValidTimeBytes(buf: Uint8Array, from: number, to: number): boolean {
  const len = to - from;
  if (len < 4 || len > 8 || len === 5) return false;
  for (let p = from; p < to; p++) {
    const c = buf[p]!;
    if (c < 0x30 || c > 0x39) return false;
  }
  const two = (k: number): number => (buf[from + k]! - 0x30) * 10 + (buf[from + k + 1]! - 0x30);
  if (two(0) > 23 || two(2) > 59) return false;
  if (len >= 6 && two(4) > 59) return false;
  return true;
}

function decodeValue(buf: Uint8Array, from: number, to: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + from, to - from).toString('utf8');
}

/**
 * Element types as small numbers (the checker switches on these). Constant enums are written into the
 * code as literals when it is compiled: the hot loops compare with numbers, not with module variables.
 */
const enum ElementType {
  AN = 0,
  N = 1,
  R = 2,
  DT = 3,
  TM = 4,
  B = 5,
}

/**
 * A guide element in one fixed shape. The maps' objects come in several shapes (simple, composite,
 * repeating, with or without codes); reading them on the hot path would make every property access
 * polymorphic, so each segment definition is compiled once into these.
 */
interface CompiledElement {
  ref: string;
  name: string;
  required: boolean;
  notUsed: boolean;
  type: number;
  min: number;
  max: number;
  codes: CodeTable | null;
  components: CompiledElement[] | null;
  repeat: number;
  /**
   * For a Date Time Period (element 1251): the position of the format qualifier (element 1250) before it
   * in the same segment, whose value (D8, RD8, DT, TM…) says how to read it; 0 otherwise.
   */
  formatAt: number;
  /** Checked in full by `check` when its bytes are plain (ASCII, no separator inside): a simple AN, DT or TM element in use. */
  plain: boolean;
  /** A date or time: a DT or TM element, or a Date Time Period with its format qualifier. */
  dated: boolean;
  def: ElementDef | CompositeDef;
}

/** A segment definition compiled for the hot path (see {@link compileSegment}). */
export interface CompiledSegment {
  id: string;
  elements: CompiledElement[];
  qualifierAt: number;
  hasSyntax: boolean;
  /**
   * The syntax notes as bit masks over element positions, three numbers per note: its kind (see
   * SYNTAX_KINDS), the mask of all its elements, the bit of its first element. A clean segment passes
   * every note in a few bit operations; only a failing note is looked at element by element.
   */
  syntaxMasks: Int32Array;
  /**
   * The last two presence patterns (see `check`) that satisfied every syntax note, -1 while none: the notes
   * depend on nothing else, and the segments of one definition mostly carry one of a few patterns.
   */
  syntaxPassed: number;
  syntaxPassedBefore: number;
  /** Position of the last required element: positions after it need no "missing" check. */
  lastRequired: number;
  def: SegmentDef;
}

const SYNTAX_KINDS = ['P', 'R', 'E', 'C', 'L'] as const;

function compileSyntax(def: SegmentDef): Int32Array {
  const notes = def.syntax ?? [];
  const masks = new Int32Array(notes.length * 3);
  notes.forEach((note, i) => {
    let mask = 0;
    // Notes naming elements past 30 are checked the slow way (mask 0 sends them there).
    const fits = note.elements.every((e) => e > 0 && e < 31);
    if (fits) for (const e of note.elements) mask |= 1 << e;
    masks[i * 3] = SYNTAX_KINDS.indexOf(note.kind);
    masks[i * 3 + 1] = mask;
    masks[i * 3 + 2] = fits ? 1 << note.elements[0]! : 0;
  });
  return masks;
}

/**
 * Does `presence` satisfy the note (kind, mask, first bit)? A zero mask means "look closer". Every kind's
 * test is worked out and the note's kind picks one: the same operations run for every note, so that the
 * optimized code has seen them all however late a kind first appears.
 */
function syntaxHolds(kind: number, mask: number, first: number, presence: number): boolean {
  const present = presence & mask;
  const none = +(present === 0);
  const all = +(present === mask);
  const withoutFirst = +((present & first) === 0);
  const holds =
    (none | all) | // P: all or none
    ((1 - none) << 1) | // R: at least one
    (+((present & (present - 1)) === 0) << 2) | // E: at most one
    ((withoutFirst | all) << 3) | // C: if the first, then all the others
    ((withoutFirst | +((present & ~first) !== 0)) << 4); // L: if the first, then at least one other
  return mask !== 0 && ((holds >> kind) & 1) === 1;
}

function compileElement(slot: ElementDef | CompositeDef, index: number, slots: readonly (ElementDef | CompositeDef)[]): CompiledElement {
  const composite = isComposite(slot);
  const type = composite ? ElementType.AN : slot.type;
  const code = type === 'R' ? ElementType.R : type === 'DT' ? ElementType.DT : type === 'TM' ? ElementType.TM : type === 'B' ? ElementType.B : type === 'N' || type === 'N0' || type === 'N2' ? ElementType.N : ElementType.AN;
  const formatAt = slot.ref === '1251' ? formatQualifierBefore(slots, index) : 0;
  const notUsed = slot.usage === 'N';
  return {
    ref: slot.ref,
    name: slot.name,
    required: slot.usage === 'R',
    notUsed,
    type: code,
    min: composite ? 0 : slot.min,
    max: composite ? 0 : slot.max,
    codes: composite ? null : (codeTable(slot) ?? null),
    components: composite ? slot.components.map((c, i, all) => compileElement(c, i, all)) : null,
    repeat: (slot as { repeat?: number }).repeat ?? 1,
    formatAt,
    plain: !composite && !notUsed && (code === ElementType.AN || code === ElementType.DT || code === ElementType.TM),
    dated: code === ElementType.DT || code === ElementType.TM || formatAt > 0,
    def: slot,
  };
}

function lastRequiredOf(def: SegmentDef): number {
  let last = 0;
  def.elements.forEach((e, i) => {
    if (e.usage === 'R') last = i + 1;
  });
  return last;
}

/** 1-based position of the nearest element 1250 before `index`, or 0. */
function formatQualifierBefore(slots: readonly (ElementDef | CompositeDef)[], index: number): number {
  for (let k = index - 1; k >= 0; k--) if (slots[k]!.ref === '1250') return k + 1;
  return 0;
}

const compiledSegments = new WeakMap<SegmentDef, CompiledSegment>();

/** The compiled form of a segment definition, built once per definition. */
export function compileSegment(def: SegmentDef): CompiledSegment {
  let c = compiledSegments.get(def);
  if (!c) {
    c = { id: def.id, elements: def.elements.map((e, i, all) => compileElement(e, i, all)), qualifierAt: def.qualifier?.element ?? -1, hasSyntax: def.syntax !== undefined, syntaxMasks: compileSyntax(def), syntaxPassed: -1, syntaxPassedBefore: -1, lastRequired: lastRequiredOf(def), def };
    compiledSegments.set(def, c);
  }
  return c;
}

/**
 * Check every element of `segment` against `def`; report IK4 issues through `report`. Returns the
 * number of element errors found. `badQualifier`: the walker picked `def` by segment id alone, so the
 * qualifier element holds a value the guide does not allow here.
 */
export function checkElements(segment: Segment, def: SegmentDef, loopId: string, report: (issue: X12Issue) => void, badQualifier = false): number {
  return new ElementChecker(report).check(segment, compileSegment(def), loopId, badQualifier);
}

/**
 * The element checker, reusable across segments (one per validator): the valid path allocates nothing
 * and builds no string; messages are written only when there is an issue to report.
 */
export class ElementChecker {
  private errors = 0;
  private segment!: Segment;
  private def!: SegmentDef;
  private loopId = '';
  private buf: Uint8Array = new Uint8Array(0);
  private comp = 0;
  private rep = -1;

  /** Byte classes for the current interchange's delimiters (rebuilt when they change). */
  private classes: Uint8Array = new Uint8Array(256);
  private classesFor: Delimiters | undefined;
  /** Element boundaries of the segment being checked, lent to it (see `Segment.shareElementBounds`). */
  private bounds: Int32Array = new Int32Array(64);
  /** The segment holding them: it gives them back when the next segment is checked. */
  private lentTo: Segment | undefined;

  /**
   * @param shareBounds lend each segment the element boundaries found (see `Segment.shareElementBounds`):
   *   wanted by the model readers, which view segments after the checks; validation alone has no use for them.
   */
  constructor(
    private readonly report: (issue: X12Issue) => void,
    private readonly shareBounds = true,
  ) {}

  check(segment: Segment, compiled: CompiledSegment, loopId: string, badQualifier = false): number {
    this.errors = 0;
    this.segment = segment;
    const def = compiled.def;
    this.def = def;
    this.loopId = loopId;
    const buf = (this.buf = segment.buf);
    const sep = segment.delimiters.element;
    const comp = (this.comp = segment.delimiters.component);
    this.rep = segment.delimiters.repetition;
    if (segment.delimiters !== this.classesFor) {
      this.classes = byteClasses(segment.delimiters);
      this.classesFor = segment.delimiters;
    }
    const classes = this.classes;
    const slots = compiled.elements;
    const trackPresence = compiled.hasSyntax;
    /** Bit n set: element n is present (syntax notes name elements below 31). */
    let presence = 0;
    const end = segment.end;
    let p = segment.start + segment.id.length;
    let position = 0;
    let reportedExtra = false;
    let qualifierError = false;
    const qualifierAt = compiled.qualifierAt;
    const share = this.shareBounds;
    // A segment object kept past its callback must not see the next segment's boundaries. (A reused
    // segment object has dropped them already: it is reset for each segment.)
    if (share && this.lentTo !== segment) {
      this.lentTo?.shareElementBounds(undefined, 0);
      this.lentTo = segment;
    }
    let bounds = this.bounds;
    if (share) {
      bounds[0] = segment.start;
      bounds[1] = p;
    }
    if (p < end && buf[p] === sep) {
      p++;
      for (;;) {
        position++;
        // One pass finds the element's end and classifies its bytes through a table (digits, decimal
        // points, minus signs, anything else printable, the component separator, and what needs the full
        // check: a repetition separator, a control byte, a non-ASCII byte). Most elements are settled by
        // it alone.
        // The first byte's class is kept apart: a minus sign there is a number's sign.
        let q = p;
        let lead = 0;
        let rest = 0;
        if (q < end) {
          lead = classes[buf[q]!]!;
          if (lead === ByteClass.Separator) lead = 0;
          else {
            for (q++; q < end; q++) {
              const k = classes[buf[q]!]!;
              if (k === ByteClass.Separator) break;
              rest |= k;
            }
          }
        }
        const flags = lead | rest;
        const plain = (flags & (ByteClass.Special | ByteClass.Component)) === 0;
        // Plain means ASCII: characters are bytes.
        const chars = q - p;
        if (position <= slots.length) {
          if (trackPresence && q > p && position < 31) presence |= 1 << position;
          const before = this.errors;
          const slot = slots[position - 1]!;
          // The common cases are settled here. Each other kind of element goes through one call site that
          // the first segments already use (empty elements, composites, dates): optimized code is built
          // from what ran before it, and a kind first seen after (in a file's second transaction set, say)
          // would throw it away.
          if (plain && q > p && slot.plain) {
            // A plain string, code, date or time: the code list where there is one, then length or date.
            if (slot.codes !== null && (chars > 4 ? !slot.codes.long.has(decodeValue(buf, p, q)) : !hasPacked(slot.codes, packBytes(buf, p, q)))) {
              this.fail(position, 0, 0, '7', elementMessage('7', where(def, position), slot.def as ElementDef), slot.ref, p, q);
            } else if (slot.dated) {
              this.checkDated(slot.formatAt > 0 ? packedElement(segment, slot.formatAt) : 0, p, q, position, slot);
            } else if (chars < slot.min || chars > slot.max) {
              this.failLength(slot, chars, position, p, q);
            }
          } else if (
            plain &&
            (flags & ~(ByteClass.Dot | ByteClass.Minus)) === ByteClass.Digit &&
            slot.components === null &&
            !slot.notUsed &&
            (slot.type === ElementType.R ? (flags & ByteClass.Dot) === 0 || countByte(buf, p, q, 0x2e) === 1 : slot.type === ElementType.N && (flags & ByteClass.Dot) === 0) &&
            // No minus sign, or one in front. Worked out for every number (not only for those with a sign):
            // the optimized code has then seen it before the first negative amount.
            (+((flags & ByteClass.Minus) === 0) | (+(lead === ByteClass.Minus) & +((rest & ByteClass.Minus) === 0))) === 1
          ) {
            // A well-formed number (digits, a leading minus sign, one point in a decimal): only its length
            // (digits only) is left to check. Signs and points are counted only in the numbers that have
            // them (the byte scan above says only whether there are any).
            const digits = chars - ((flags & ByteClass.Dot) === 0 ? 0 : 1) - ((flags & ByteClass.Minus) === 0 ? 0 : 1);
            if (digits < slot.min || digits > slot.max) this.failLength(slot, digits, position, p, q);
          } else if (q > p && (flags & ByteClass.Special) === 0 && slot.components !== null && !slot.notUsed) {
            // A composite, its components split or not (one call site for both); a repeatable one's errors
            // name its first repetition, as `checkSlot` does.
            this.checkComposite(slot, p, q, position, slot.repeat > 1 ? 1 : 0, true);
          } else if (q === p) {
            // Empty: missing when required (the most common element of all after the plain ones).
            if (slot.required) this.failMissing(slot, position, 0, 0);
          } else this.checkSlot(slot, p, q, position);
          if (position === qualifierAt && this.errors > before) qualifierError = true;
        } else if (q > p && !reportedExtra) {
          reportedExtra = true;
          this.fail(position, 0, 0, '3', `${compiled.id} has more elements than the guide defines (element ${position}).`, '', p, q);
        }
        if (share) {
          if (2 * position + 1 >= bounds.length) bounds = this.growBounds();
          bounds[2 * position] = p;
          bounds[2 * position + 1] = q;
        }
        if (q >= end) break;
        p = q + 1;
      }
    }
    if (share) segment.shareElementBounds(bounds, position + 1);
    for (let k = position + 1; k <= compiled.lastRequired; k++) {
      const slot = slots[k - 1]!;
      if (slot.required) this.failMissing(slot, k, 0, 0);
    }
    if (badQualifier && !qualifierError && qualifierAt > 0) {
      const slot = slots[qualifierAt - 1];
      this.report({
        level: 'element',
        code: '7',
        severity: 'error',
        message: `${where(def, qualifierAt)} holds a qualifier not allowed in loop ${loopId}.`,
        segmentId: compiled.id,
        ordinal: segment.ordinal,
        offset: segment.offset,
        loopId,
        element: qualifierAt,
        elementRef: slot?.ref ?? '',
        badValue: segment.element(qualifierAt),
      });
      this.errors++;
    }
    if (trackPresence && presence !== compiled.syntaxPassed && presence !== compiled.syntaxPassedBefore) this.checkSyntaxMasks(compiled, presence);
    return this.errors;
  }

  /** The syntax notes of `compiled` against `presence`, through their masks; a pattern that passes is remembered. */
  private checkSyntaxMasks(compiled: CompiledSegment, presence: number): void {
    const masks = compiled.syntaxMasks;
    for (let i = 0; i < masks.length; i += 3) {
      if (!syntaxHolds(masks[i]!, masks[i + 1]!, masks[i + 2]!, presence)) {
        // Something fails (or a note is too wide for the masks): the full check names what.
        this.checkSyntax(presence);
        return;
      }
    }
    compiled.syntaxPassedBefore = compiled.syntaxPassed;
    compiled.syntaxPassed = presence;
  }

  private growBounds(): Int32Array {
    const bigger = new Int32Array(this.bounds.length * 2);
    bigger.set(this.bounds);
    this.bounds = bigger;
    return bigger;
  }

  private checkSlot(slot: CompiledElement, from: number, to: number, position: number): void {
    if (from === to) {
      if (slot.required) this.failMissing(slot, position, 0, 0);
      return;
    }
    if (slot.notUsed) {
      this.fail(position, 0, 0, 'I10', `Element ${where(this.def, position)} is not used in this implementation but is present.`, slot.ref, from, to);
      return;
    }
    const maxRepeat = slot.repeat;
    const composite = slot.components !== null;
    const rep = this.rep;
    const buf = this.buf;
    let repetition = 0;
    let p = from;
    for (;;) {
      repetition++;
      let q = to;
      if (rep >= 0) {
        q = p;
        while (q < to && buf[q] !== rep) q++;
      }
      if (repetition > maxRepeat) {
        this.fail(position, 0, repetition, '12', `Element ${where(this.def, position)} repeats more than ${maxRepeat} time(s).`, slot.ref, from, to);
        return;
      }
      const r = maxRepeat > 1 ? repetition : 0;
      if (composite) this.checkComposite(slot, p, q, position, r, false);
      else this.checkSimple(slot, p, q, position, 0, r, false);
      if (q >= to) break;
      p = q + 1;
    }
  }

  /** A composite in bytes [from, to); `plain`: they hold only printable ASCII (see {@link checkSimple}). */
  private checkComposite(slot: CompiledElement, from: number, to: number, position: number, repetition: number, plain: boolean): void {
    const { buf, comp } = this;
    const components = slot.components!;
    let index = 0;
    let p = from;
    for (;;) {
      index++;
      let q = p;
      while (q < to && buf[q] !== comp) q++;
      if (index > components.length) {
        this.fail(position, index, repetition, '13', `Composite ${where(this.def, position)} has more components than the guide defines.`, slot.ref, from, to);
        return;
      }
      const el = components[index - 1]!;
      // A plain string or code that passes (its code list, its length) needs no more; anything else is
      // checked, and reported, by checkSimple.
      const chars = q - p;
      if (!(plain && chars > 0 && el.plain && !el.dated && (el.codes === null || hasCode(el.codes, buf, p, q)) && chars >= el.min && chars <= el.max)) {
        this.checkSimple(el, p, q, position, index, repetition, plain);
      }
      if (q >= to) break;
      p = q + 1;
    }
    for (let k = index + 1; k <= components.length; k++) {
      const c = components[k - 1]!;
      if (c.required) this.fail(position, k, repetition, '1', `Required component ${where(this.def, position, k)} (${c.name}) is missing.`, c.ref);
    }
  }

  /**
   * One simple element or component in bytes [from, to); component/repetition 0 = not applicable. `plain`:
   * the bytes are known to be printable ASCII (the element scan found no control or non-ASCII byte), so a
   * string's characters need no second look.
   */
  private checkSimple(el: CompiledElement, from: number, to: number, position: number, component: number, repetition: number, plain: boolean): void {
    if (from === to) {
      if (el.required) this.failMissing(el, position, component, repetition);
      return;
    }
    if (el.notUsed) {
      this.fail(position, component, repetition, 'I10', `Element ${where(this.def, position, component)} is not used in this implementation but is present.`, el.ref, from, to);
      return;
    }
    const buf = this.buf;
    let length = 0;
    let code = '';
    switch (el.type) {
      case ElementType.N: {
        let p = from;
        if (buf[p] === 0x2d) p++;
        if (p === to) code = '6';
        for (; p < to; p++) {
          const c = buf[p]!;
          if (c < 0x30 || c > 0x39) {
            code = '6';
            break;
          }
          length++;
        }
        break;
      }
      case ElementType.R: {
        let p = from;
        if (buf[p] === 0x2d) p++;
        let dots = 0;
        for (; p < to; p++) {
          const c = buf[p]!;
          if (c === 0x2e) dots++;
          else if (c < 0x30 || c > 0x39) {
            code = '6';
            break;
          } else length++;
        }
        if (dots > 1 || length === 0) code = '6';
        break;
      }
      case ElementType.DT:
        if (!isValidDateBytes(buf, from, to)) code = '8';
        length = to - from;
        break;
      case ElementType.TM:
        if (!isValidTimeBytes(buf, from, to)) code = '9';
        length = to - from;
        break;
      case ElementType.B:
        return;
      default: {
        // ID and AN: X12 characters; control bytes are never data. Length counts characters.
        if (plain) {
          length = to - from;
        } else {
          for (let p = from; p < to; p++) {
            const c = buf[p]!;
            if (c < 0x20 || c === 0x7f) {
              code = '6';
              break;
            }
            if ((c & 0xc0) !== 0x80) length++;
          }
        }
        if (code === '' && el.codes !== null && !hasCode(el.codes, buf, from, to)) code = '7';
      }
    }
    if (code === '') {
      if (length < el.min) code = '4';
      else if (length > el.max) code = '5';
      else return;
    }
    this.fail(position, component, repetition, code, elementMessage(code, where(this.def, position, component), el.def as ElementDef), el.ref, from, to);
  }

  /** A required element (or component) is empty or absent. */
  private failMissing(el: CompiledElement, position: number, component: number, repetition: number): void {
    this.fail(position, component, repetition, '1', `Required element ${where(this.def, position, component)} (${el.name}) is missing.`, el.ref);
  }

  /** Element `position` (a simple one) in bytes [from, to) is `count` characters long: too short or too long. */
  private failLength(slot: CompiledElement, count: number, position: number, from: number, to: number): void {
    const code = count < slot.min ? '4' : '5';
    this.fail(position, 0, 0, code, elementMessage(code, where(this.def, position), slot.def as ElementDef), slot.ref, from, to);
  }

  /**
   * A plain date or time element (see `CompiledElement.dated`): a Date Time Period checked for length, then
   * read by its format qualifier (`format`, packed); a DT or TM element by {@link checkSimple}.
   */
  private checkDated(format: number, from: number, to: number, position: number, slot: CompiledElement): void {
    const length = to - from;
    if (slot.type === ElementType.AN) {
      if (length < slot.min || length > slot.max) this.failLength(slot, length, position, from, to);
      else this.checkDatePeriod(format, from, to, position, slot);
      return;
    }
    // Here rather than from `check` itself: a DT element may first come in a file's second set (BHT04).
    this.checkSimple(slot, from, to, position, 0, 0, true);
  }

  /**
   * A Date Time Period read by its format qualifier: D8 CCYYMMDD, RD8 CCYYMMDD-CCYYMMDD (not ending before
   * it starts), DT CCYYMMDDHHMM, D6 YYMMDD, TM HHMM; other formats are checked for length only.
   */
  private checkDatePeriod(format: number, from: number, to: number, position: number, slot: CompiledElement): void {
    const buf = this.buf;
    let valid = true;
    let code = '8';
    // The format qualifier is compared packed (see `packString`): no string per DTP.
    if (format === FORMAT_D8) valid = to - from === 8 && isValidDateBytes(buf, from, to);
    else if (format === FORMAT_RD8) valid = to - from === 17 && buf[from + 8] === 0x2d && isValidDateBytes(buf, from, from + 8) && isValidDateBytes(buf, from + 9, to) && compareBytes(buf, from, from + 9, 8) <= 0;
    else if (format === FORMAT_D6) valid = to - from === 6 && isValidDateBytes(buf, from, to);
    else if (format === FORMAT_DT) valid = to - from === 12 && isValidDateBytes(buf, from, from + 8) && isValidTimeBytes(buf, from + 8, to);
    else if (format === FORMAT_TM) {
      code = '9';
      valid = isValidTimeBytes(buf, from, to);
    }
    if (!valid) {
      this.fail(position, 0, 0, code, `${where(this.def, position)} is not a valid ${code === '9' ? 'time' : 'date'} in the format its qualifier names.`, slot.ref, from, to);
    }
  }

  private checkSyntax(presence: number): void {
    const { def } = this;
    for (const rule of def.syntax!) {
      const els = rule.elements;
      let count = 0;
      for (const e of els) if (isPresent(presence, e)) count++;
      switch (rule.kind) {
        case 'P':
          if (count > 0 && count < els.length) {
            const given = els.filter((e) => isPresent(presence, e)).map((e) => where(def, e)).join(', ');
            for (const e of els) if (!isPresent(presence, e)) this.fail(e, 0, 0, '2', `${where(def, e)} is required when ${given} is present.`, refOf(def, e));
          }
          break;
        case 'R':
          if (count === 0) this.fail(els[0]!, 0, 0, '2', `At least one of ${names(def, els)} is required.`, refOf(def, els[0]!));
          break;
        case 'E':
          if (count > 1) {
            const second = els.filter((e) => isPresent(presence, e))[1]!;
            this.fail(second, 0, 0, '10', `Only one of ${names(def, els)} may be present.`, refOf(def, second));
          }
          break;
        case 'C':
          if (isPresent(presence, els[0]!)) {
            for (const e of els.slice(1)) if (!isPresent(presence, e)) this.fail(e, 0, 0, '2', `${where(def, e)} is required when ${where(def, els[0]!)} is present.`, refOf(def, e));
          }
          break;
        case 'L':
          if (isPresent(presence, els[0]!) && count === 1) this.fail(els[1]!, 0, 0, '2', `One of ${names(def, els.slice(1))} is required when ${where(def, els[0]!)} is present.`, refOf(def, els[1]!));
          break;
      }
    }
  }

  private fail(element: number, component: number, repetition: number, code: string, message: string, elementRef: string, from?: number, to?: number): void {
    this.errors++;
    const issue: X12Issue = {
      level: 'element',
      code,
      severity: 'error',
      message,
      segmentId: this.def.id,
      ordinal: this.segment.ordinal,
      offset: this.segment.offset,
      loopId: this.loopId,
      element,
      elementRef,
    };
    if (component > 0) issue.component = component;
    if (repetition > 0) issue.repetition = repetition;
    if (from !== undefined && to !== undefined) issue.badValue = decodeValue(this.buf, from, to).slice(0, 99);
    this.report(issue);
  }
}

function elementMessage(code: string, at: string, el: ElementDef): string {
  switch (code) {
    case '4':
      return `${at} (${el.name}) is shorter than ${el.min}.`;
    case '5':
      return `${at} (${el.name}) is longer than ${el.max}.`;
    case '6':
      return el.type === 'R' ? `${at} must be a decimal number.` : el.type.startsWith('N') ? `${at} must be a whole number.` : `${at} holds a character that is not allowed.`;
    case '7':
      return `${at} (${el.name}) holds a code value the guide does not allow.`;
    case '8':
      return `${at} is not a valid date.`;
    case '9':
      return `${at} is not a valid time.`;
    default:
      return `${at} is in error.`;
  }
}

/** Date Time Period Format Qualifiers (element 1250), packed. */
const FORMAT_D8 = packString('D8');
const FORMAT_RD8 = packString('RD8');
const FORMAT_D6 = packString('D6');
const FORMAT_DT = packString('DT');
const FORMAT_TM = packString('TM');

/** {@link packString} of element n as written (up to the next element separator), or -1 when longer than four characters. */
function packedElement(segment: Segment, n: number): number {
  const { buf, end } = segment;
  const sep = segment.delimiters.element;
  let p = segment.start + segment.id.length;
  for (let k = 0; k < n; k++) {
    if (p >= end) return 0; // absent: the empty string's key
    p++;
    if (k < n - 1) while (p < end && buf[p] !== sep) p++;
  }
  let q = p;
  while (q < end && buf[q] !== sep) q++;
  return packBytes(buf, p, q);
}

/** How many times `byte` is in bytes [from, to). */
function countByte(buf: Uint8Array, from: number, to: number, byte: number): number {
  let count = 0;
  for (let p = from; p < to; p++) if (buf[p] === byte) count++;
  return count;
}

/** Compare `length` bytes at `a` and at `b`: negative, zero or positive. */
function compareBytes(buf: Uint8Array, a: number, b: number, length: number): number {
  for (let i = 0; i < length; i++) {
    const d = buf[a + i]! - buf[b + i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** Byte classes for the element scan (bits, except the separator's own value). */
const enum ByteClass {
  Dot = 1,
  Digit = 2,
  Minus = 4,
  Other = 8,
  /** Needs the full check: a repetition separator, a control byte, DEL, a non-ASCII byte. */
  Special = 16,
  /** The component separator: a composite with only this is split by `checkComposite` directly. */
  Component = 32,
  Separator = 255,
}

function byteClasses(d: Delimiters): Uint8Array {
  const classes = new Uint8Array(256);
  for (let c = 0; c < 256; c++) {
    if (c < 0x20 || c >= 0x7f) classes[c] = ByteClass.Special;
    else if (c >= 0x30 && c <= 0x39) classes[c] = ByteClass.Digit;
    else if (c === 0x2e) classes[c] = ByteClass.Dot;
    else if (c === 0x2d) classes[c] = ByteClass.Minus;
    else classes[c] = ByteClass.Other;
  }
  classes[d.component] = ByteClass.Component;
  if (d.repetition >= 0) classes[d.repetition] = ByteClass.Special;
  classes[d.element] = ByteClass.Separator;
  return classes;
}

/** Is element `e` marked in the presence bits? */
function isPresent(presence: number, e: number): boolean {
  return e < 31 && (presence & (1 << e)) !== 0;
}

function names(def: SegmentDef, elements: readonly number[]): string {
  return elements.map((e) => where(def, e)).join(', ');
}

function refOf(def: SegmentDef, element: number): string {
  return def.elements[element - 1]?.ref ?? '';
}

/** `CLM05-3`-style position for messages. */
function where(def: SegmentDef, element: number, component = 0): string {
  return `${def.id}${element < 10 ? `0${element}` : element}${component > 0 ? `-${component}` : ''}`;
}
