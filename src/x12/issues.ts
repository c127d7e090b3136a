/**
 * Problems found in X12 data are data, not text: each carries the acknowledgment level and the
 * standard code an acknowledgment is built from, where it happened, and a message for people.
 *
 * Levels and their code lists (see X12-NOTES / the 005010X231A1 guide):
 * - `interchange`: TA105 note codes (`001` … `027`), reported in a TA1.
 * - `group`: AK905 functional-group error codes (`1` … `6`, `19`), reported in a 999 AK9.
 * - `set`: IK502 transaction-set error codes (`1` … `23`, `I5`, `I6`), reported in IK5.
 * - `segment`: IK304 segment error codes (`1` … `8`, `I4`, `I6` … `I9`), reported in IK3.
 * - `element`: IK403 element error codes (`1` … `13`, `I6` … `I13`), reported in IK4 under an IK3.
 * - `file`: problems below the X12 grammar (no ISA, bytes after the end, a runaway segment).
 *
 * Messages never contain element values: values may be PHI. The offending value travels in
 * `badValue` only, which goes into the 999 IK404 (returned to the submitter) and nowhere else.
 */
export type IssueLevel = 'file' | 'interchange' | 'group' | 'set' | 'segment' | 'element';
export type IssueSeverity = 'error' | 'warning';

export interface X12Issue {
  level: IssueLevel;
  /** The standard code for the level (TA105, AK905, IK502, IK304, IK403), or a `file` code. */
  code: string;
  severity: IssueSeverity;
  /** For people. Never contains an element value. */
  message: string;
  /** Byte offset in the file of the segment concerned (or of the problem). */
  offset?: number;
  /** Segment id (IK301). */
  segmentId?: string;
  /** Position of the segment in its transaction set, ST = 1 (IK302). */
  ordinal?: number;
  /** Implementation-guide loop id (IK303), e.g. `2300`. */
  loopId?: string;
  /** Element position in the segment, 1-based (IK401-1). */
  element?: number;
  /** Component position in a composite, 1-based (IK401-2). */
  component?: number;
  /** Repetition, 1-based (IK401-3). */
  repetition?: number;
  /** Data element reference number (IK402), e.g. `1065`. */
  elementRef?: string;
  /** A copy of the bad value (IK404). Goes into the 999 only, never into logs or messages. */
  badValue?: string;
  /**
   * The business unit the problem lies in, for the 999's CTX (e.g. `CLM01` and the claim's patient
   * control number), so the submitter can find the claim. Like `badValue`: the 999 only.
   */
  context?: { name: string; reference: string };
}

/** File-level codes (no acknowledgment code exists for them; a TA1 is built where one applies). */
export const FileIssueCode = {
  noIsa: 'NO_ISA',
  textBeforeIsa: 'TEXT_BEFORE_ISA',
  segmentTooLong: 'SEGMENT_TOO_LONG',
  trailingData: 'TRAILING_DATA',
  truncated: 'TRUNCATED',
  empty: 'EMPTY',
  repetitionSeparator: 'ISA11_NOT_A_SEPARATOR',
  binaryData: 'BINARY_DATA',
} as const;

/** The 999 / TA1 terms for a verdict. */
export type Verdict = 'accepted' | 'accepted with errors' | 'partially accepted' | 'rejected';
