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
import type { Segment } from './segment.ts';

const codeSets = new WeakMap<ElementDef, Set<string>>();
function codeSet(def: ElementDef): Set<string> | undefined {
  if (!def.codes) return undefined;
  let set = codeSets.get(def);
  if (!set) {
    set = new Set(def.codes);
    codeSets.set(def, set);
  }
  return set;
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

interface Position {
  element: number;
  component?: number;
  repetition?: number;
}

/**
 * Check every element of `segment` against `def`; report IK4 issues through `report`. Returns the
 * number of element errors found. `badQualifier`: the walker picked `def` by segment id alone, so the
 * qualifier element holds a value the guide does not allow here.
 */
export function checkElements(segment: Segment, def: SegmentDef, loopId: string, report: (issue: X12Issue) => void, badQualifier = false): number {
  const checker = new ElementChecker(segment, def, loopId, report);
  return checker.run(badQualifier);
}

class ElementChecker {
  errors = 0;
  private readonly buf: Uint8Array;
  private readonly sep: number;
  private readonly comp: number;
  private readonly rep: number;

  constructor(
    private readonly segment: Segment,
    private readonly def: SegmentDef,
    private readonly loopId: string,
    private readonly report: (issue: X12Issue) => void,
  ) {
    this.buf = segment.buf;
    this.sep = segment.delimiters.element;
    this.comp = segment.delimiters.component;
    this.rep = segment.delimiters.repetition;
  }

  run(badQualifier: boolean): number {
    const { buf, sep, segment, def } = this;
    const slots = def.elements;
    const present = new Uint8Array(slots.length + 1);
    const end = segment.end;
    let p = segment.start + segment.id.length;
    let position = 0;
    let reportedExtra = false;
    let qualifierError = false;
    const qualifierAt = def.qualifier?.element ?? -1;
    if (p < end && buf[p] === sep) {
      p++;
      for (;;) {
        position++;
        let q = p;
        while (q < end && buf[q] !== sep) q++;
        if (position <= slots.length) {
          if (q > p) present[position] = 1;
          const before = this.errors;
          this.checkSlot(slots[position - 1]!, p, q, position);
          if (position === qualifierAt && this.errors > before) qualifierError = true;
        } else if (q > p && !reportedExtra) {
          reportedExtra = true;
          this.issue({ element: position }, '3', `${def.id} has more elements than the guide defines (element ${position}).`, '', p, q);
        }
        if (q >= end) break;
        p = q + 1;
      }
    }
    for (let k = position + 1; k <= slots.length; k++) {
      const slot = slots[k - 1]!;
      if (slot.usage === 'R') this.issue({ element: k }, '1', `Required element ${def.id}${pad(k)} (${slot.name}) is missing.`, slot.ref);
    }
    if (badQualifier && !qualifierError && qualifierAt > 0) {
      const slot = slots[qualifierAt - 1];
      const value = segment.element(qualifierAt);
      this.report({
        level: 'element',
        code: '7',
        severity: 'error',
        message: `${def.id}${pad(qualifierAt)} holds a qualifier not allowed in loop ${this.loopId}.`,
        segmentId: def.id,
        ordinal: segment.ordinal,
        offset: segment.offset,
        loopId: this.loopId,
        element: qualifierAt,
        elementRef: slot?.ref ?? '',
        badValue: value,
      });
      this.errors++;
    }
    if (def.syntax) this.checkSyntax(present);
    return this.errors;
  }

  private checkSlot(slot: ElementDef | CompositeDef, from: number, to: number, position: number): void {
    const { buf, def } = this;
    if (from === to) {
      if (slot.usage === 'R') this.issue({ element: position }, '1', `Required element ${def.id}${pad(position)} (${slot.name}) is missing.`, slot.ref);
      return;
    }
    if (slot.usage === 'N') {
      this.issue({ element: position }, 'I10', `Element ${def.id}${pad(position)} is not used in this implementation but is present.`, slot.ref, from, to);
      return;
    }
    const maxRepeat = (slot as { repeat?: number }).repeat ?? 1;
    let repetition = 0;
    let p = from;
    const rep = this.rep;
    for (;;) {
      repetition++;
      let q = p;
      if (rep >= 0) while (q < to && buf[q] !== rep) q++;
      else q = to;
      if (repetition > maxRepeat) {
        this.issue({ element: position, repetition }, '12', `Element ${def.id}${pad(position)} repeats more than ${maxRepeat} time(s).`, slot.ref, from, to);
        return;
      }
      const at: Position = maxRepeat > 1 ? { element: position, repetition } : { element: position };
      if (isComposite(slot)) this.checkComposite(slot, p, q, at);
      else this.checkSimple(slot, p, q, at);
      if (q >= to) break;
      p = q + 1;
    }
  }

  private checkComposite(slot: CompositeDef, from: number, to: number, at: Position): void {
    const { buf, comp, def } = this;
    const components = slot.components;
    let index = 0;
    let p = from;
    for (;;) {
      index++;
      let q = p;
      while (q < to && buf[q] !== comp) q++;
      if (index > components.length) {
        if (q > p || q < to) {
          this.issue({ ...at, component: index }, '13', `Composite ${def.id}${pad(at.element)} has more components than the guide defines.`, slot.ref, from, to);
        }
        return;
      }
      this.checkSimple(components[index - 1]!, p, q, { ...at, component: index });
      if (q >= to) break;
      p = q + 1;
    }
    for (let k = index + 1; k <= components.length; k++) {
      const c = components[k - 1]!;
      if (c.usage === 'R') {
        this.issue({ ...at, component: k }, '1', `Required component ${def.id}${pad(at.element)}-${k} (${c.name}) is missing.`, c.ref);
      }
    }
  }

  private checkSimple(el: ElementDef, from: number, to: number, at: Position): void {
    const { buf, def } = this;
    const where = `${def.id}${pad(at.element)}${at.component ? `-${at.component}` : ''}`;
    if (from === to) {
      if (el.usage === 'R') this.issue(at, '1', `Required element ${where} (${el.name}) is missing.`, el.ref);
      return;
    }
    if (el.usage === 'N') {
      this.issue(at, 'I10', `Element ${where} is not used in this implementation but is present.`, el.ref, from, to);
      return;
    }
    let length = 0;
    switch (el.type) {
      case 'N':
      case 'N0':
      case 'N2': {
        let p = from;
        if (buf[p] === 0x2d) p++;
        if (p === to) return this.issue(at, '6', `${where} must be a whole number.`, el.ref, from, to);
        for (; p < to; p++) {
          const c = buf[p]!;
          if (c < 0x30 || c > 0x39) return this.issue(at, '6', `${where} must be a whole number.`, el.ref, from, to);
          length++;
        }
        break;
      }
      case 'R': {
        let p = from;
        if (buf[p] === 0x2d) p++;
        let dots = 0;
        for (; p < to; p++) {
          const c = buf[p]!;
          if (c === 0x2e) dots++;
          else if (c < 0x30 || c > 0x39) return this.issue(at, '6', `${where} must be a decimal number.`, el.ref, from, to);
          else length++;
        }
        if (dots > 1 || length === 0) return this.issue(at, '6', `${where} must be a decimal number.`, el.ref, from, to);
        break;
      }
      case 'DT':
        if (!isValidDateBytes(buf, from, to)) return this.issue(at, '8', `${where} is not a valid date.`, el.ref, from, to);
        length = to - from;
        break;
      case 'TM':
        if (!isValidTimeBytes(buf, from, to)) return this.issue(at, '9', `${where} is not a valid time.`, el.ref, from, to);
        length = to - from;
        break;
      case 'B':
        return;
      default: {
        // ID and AN: X12 characters; control bytes are never data. Length counts characters.
        for (let p = from; p < to; p++) {
          const c = buf[p]!;
          if (c < 0x20 || c === 0x7f) return this.issue(at, '6', `${where} holds a character that is not allowed.`, el.ref, from, to);
          if ((c & 0xc0) !== 0x80) length++;
        }
        const codes = codeSet(el);
        if (codes && !codes.has(decodeValue(buf, from, to))) {
          return this.issue(at, '7', `${where} (${el.name}) holds a code value the guide does not allow.`, el.ref, from, to);
        }
      }
    }
    if (length < el.min) this.issue(at, '4', `${where} (${el.name}) is shorter than ${el.min}.`, el.ref, from, to);
    else if (length > el.max) this.issue(at, '5', `${where} (${el.name}) is longer than ${el.max}.`, el.ref, from, to);
  }

  private checkSyntax(present: Uint8Array): void {
    const { def } = this;
    for (const rule of def.syntax!) {
      const els = rule.elements;
      const has = els.map((e) => present[e] === 1);
      const count = has.filter(Boolean).length;
      const name = (k: number): string => `${def.id}${pad(k)}`;
      const refOf = (k: number): string => def.elements[k - 1]?.ref ?? '';
      switch (rule.kind) {
        case 'P':
          if (count > 0 && count < els.length) {
            els.forEach((e, i) => {
              if (!has[i]) this.issue({ element: e }, '2', `${name(e)} is required when ${els.filter((_, j) => has[j]).map(name).join(', ')} is present.`, refOf(e));
            });
          }
          break;
        case 'R':
          if (count === 0) this.issue({ element: els[0]! }, '2', `At least one of ${els.map(name).join(', ')} is required.`, refOf(els[0]!));
          break;
        case 'E':
          if (count > 1) {
            const second = els.filter((_, i) => has[i])[1]!;
            this.issue({ element: second }, '10', `Only one of ${els.map(name).join(', ')} may be present.`, refOf(second));
          }
          break;
        case 'C':
          if (has[0]) {
            els.slice(1).forEach((e, i) => {
              if (!has[i + 1]) this.issue({ element: e }, '2', `${name(e)} is required when ${name(els[0]!)} is present.`, refOf(e));
            });
          }
          break;
        case 'L':
          if (has[0] && count === 1) this.issue({ element: els[1]! }, '2', `One of ${els.slice(1).map(name).join(', ')} is required when ${name(els[0]!)} is present.`, refOf(els[1]!));
          break;
      }
    }
  }

  private issue(at: Position, code: string, message: string, elementRef: string, from?: number, to?: number): void {
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
      element: at.element,
      elementRef,
    };
    if (at.component !== undefined) issue.component = at.component;
    if (at.repetition !== undefined) issue.repetition = at.repetition;
    if (from !== undefined && to !== undefined) issue.badValue = decodeValue(this.buf, from, to).slice(0, 99);
    this.report(issue);
  }
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
