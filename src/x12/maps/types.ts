/**
 * Implementation-guide maps, held as data. One map per guide (837P 005010X222A1, 837I 005010X223A2,
 * 837D 005010X224A2, 835 005010X221A1, 999 005010X231A1, 277CA 005010X214), written from the guides'
 * published structure: loops, segment order, usage, max use, loop repeats, the qualifiers that open a
 * loop, element requirements, lengths and code values.
 *
 * The loop walker reads these tables; it has no transaction-specific branches.
 */

/** Usage in the implementation guide: Required, Situational, Not used. */
export type Usage = 'R' | 'S' | 'N';

/**
 * X12 data element types: ID (code), AN (string), N0…N9 (implied-decimal numeric), R (decimal),
 * DT (date CCYYMMDD or YYMMDD by length), TM (time HHMM[SS[d..]]), B (binary).
 */
export type ElementType = 'ID' | 'AN' | 'N' | 'N0' | 'N2' | 'R' | 'DT' | 'TM' | 'B';

/** One simple data element, or one component of a composite. */
export interface ElementDef {
  /** Data element reference number (IK402), e.g. `'1065'`. */
  ref: string;
  name: string;
  usage: Usage;
  type: ElementType;
  min: number;
  max: number;
  /** Code values the guide allows (ID elements). Absent: any value of the right form. */
  codes?: readonly string[];
}

/** A composite element (C0xx): its components, each an ElementDef. */
export interface CompositeDef {
  /** Composite reference, e.g. `'C023'`. */
  ref: string;
  name: string;
  usage: Usage;
  components: readonly ElementDef[];
}

/** An element position in a segment: a simple element or a composite, possibly repeating. */
export type ElementSlot = (ElementDef | CompositeDef) & {
  /** How many repetitions are allowed (default 1). */
  repeat?: number;
};

export function isComposite(slot: ElementDef | CompositeDef): slot is CompositeDef {
  return (slot as CompositeDef).components !== undefined;
}

export interface SegmentDef {
  kind: 'segment';
  /** Segment id, e.g. `'NM1'`. */
  id: string;
  name: string;
  usage: Usage;
  /** Maximum use within its loop occurrence (`Infinity` for >1). */
  maxUse: number;
  /**
   * The qualifier that tells this segment apart from siblings with the same id
   * (`NM1*85` vs `NM1*87`; `HL` with HL03 = 22): element position (1-based), optional component
   * (1-based) and the values that select it.
   */
  qualifier?: { element: number; component?: number; values: readonly string[] };
  /** Element positions 1..n. Missing trailing definitions mean "not used". */
  elements: readonly ElementSlot[];
  /**
   * Syntax notes (X12 relational conditions), e.g. `{ kind: 'P', elements: [3, 4] }` — paired:
   * if any is present all are required. Kinds: P paired, R at least one required, E at most one,
   * C if first present all others required, L if first present at least one other required.
   */
  syntax?: readonly { kind: 'P' | 'R' | 'E' | 'C' | 'L'; elements: readonly number[] }[];
}

export interface LoopDef {
  kind: 'loop';
  /** Guide loop id, e.g. `'2010AA'`. The transaction-set header pseudo-loop is `'HEADER'`. */
  id: string;
  name: string;
  usage: Usage;
  /** Maximum repeats of the loop (`Infinity` for >1). */
  repeat: number;
  /** Children in guide order; the first child is the loop's opening segment. */
  children: readonly (SegmentDef | LoopDef)[];
}

export interface GuideMap {
  /** Short name used by people and the CLI: `'837P'`, `'837I'`, `'837D'`, `'835'`, `'999'`, `'277CA'`. */
  name: string;
  /** ST01 transaction set id: `'837'`, `'835'`, `'999'`, `'277'`. */
  transactionSet: string;
  /** GS01 functional identifier code: `'HC'`, `'HP'`, `'FA'`, `'HN'`. */
  functionalId: string;
  /** The guide's version id, e.g. `'005010X222A1'`. */
  version: string;
  /** Every GS08/ST03 value accepted for this guide (errata and unsuffixed forms). */
  acceptedVersions: readonly string[];
  /**
   * The transaction set as one loop: ST first, SE last; `id` is `'ST'` (the table 1 header
   * segments are direct children, as in the guides).
   */
  root: LoopDef;
}
