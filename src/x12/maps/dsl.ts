/**
 * A small vocabulary for writing implementation-guide maps as data that reads like the guides'
 * segment tables. Each builder returns a plain frozen object of the types in `types.ts`.
 *
 * @example
 * seg('NM1', 'Billing Provider Name', 'R', 1, [
 *   id('98', 'Entity Identifier Code', 'R', 2, 3, ['85']),
 *   an('1065', ...)
 * ], { qualifier: q(1, '85') })
 */
import type { CompositeDef, ElementDef, ElementSlot, ElementType, LoopDef, SegmentDef, Usage } from './types.ts';

/** A simple element. */
export function el(ref: string, name: string, usage: Usage, type: ElementType, min: number, max: number, codes?: readonly string[]): ElementDef {
  return codes ? { ref, name, usage, type, min, max, codes } : { ref, name, usage, type, min, max };
}

/** An ID (code) element with its allowed values (omit `codes` for "any code of the right form"). */
export function id(ref: string, name: string, usage: Usage, min: number, max: number, codes?: readonly string[]): ElementDef {
  return el(ref, name, usage, 'ID', min, max, codes);
}

/** An AN (string) element. */
export function an(ref: string, name: string, usage: Usage, min: number, max: number): ElementDef {
  return el(ref, name, usage, 'AN', min, max);
}

/** An R (decimal) element. */
export function r(ref: string, name: string, usage: Usage, min: number, max: number): ElementDef {
  return el(ref, name, usage, 'R', min, max);
}

/** A DT (date) element: 8 digits CCYYMMDD (6 for YYMMDD where the guide says so). */
export function dt(ref: string, name: string, usage: Usage, min = 8, max = 8): ElementDef {
  return el(ref, name, usage, 'DT', min, max);
}

/** A TM (time) element: HHMM[SS[dd]]. */
export function tm(ref: string, name: string, usage: Usage, min = 4, max = 8): ElementDef {
  return el(ref, name, usage, 'TM', min, max);
}

/** An N0 (integer) element. */
export function n0(ref: string, name: string, usage: Usage, min: number, max: number): ElementDef {
  return el(ref, name, usage, 'N0', min, max);
}

/** A composite element. */
export function comp(ref: string, name: string, usage: Usage, components: readonly ElementDef[]): CompositeDef {
  return { ref, name, usage, components };
}

/** A repeating element slot. */
export function rep<T extends ElementDef | CompositeDef>(slot: T, repeat: number): T & { repeat: number } {
  return { ...slot, repeat };
}

/** A "not used" element position. */
export function nu(ref: string, name = 'Not Used'): ElementDef {
  return el(ref, name, 'N', 'AN', 1, 1);
}

/** The qualifier that selects a segment among same-id siblings. */
export function q(element: number, ...values: string[]): NonNullable<SegmentDef['qualifier']> {
  return { element, values };
}

/** The qualifier on a component (`HI01-1`, `SV101-1`). */
export function qc(element: number, component: number, ...values: string[]): NonNullable<SegmentDef['qualifier']> {
  return { element, component, values };
}

export function seg(
  segmentId: string,
  name: string,
  usage: Usage,
  maxUse: number,
  elements: readonly ElementSlot[],
  options: { qualifier?: SegmentDef['qualifier']; syntax?: SegmentDef['syntax'] } = {},
): SegmentDef {
  return { kind: 'segment', id: segmentId, name, usage, maxUse, elements, ...options };
}

export function loop(loopId: string, name: string, usage: Usage, repeat: number, children: readonly (SegmentDef | LoopDef)[]): LoopDef {
  return { kind: 'loop', id: loopId, name, usage, repeat, children };
}

/** `>1` in the guides. */
export const UNBOUNDED = Infinity;

/** Re-use a segment definition under another name/usage/max use (same elements). */
export function as(base: SegmentDef, name: string, usage: Usage, maxUse: number, qualifier?: SegmentDef['qualifier']): SegmentDef {
  return { ...base, name, usage, maxUse, ...(qualifier ? { qualifier } : {}) };
}
