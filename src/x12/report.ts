/**
 * What validating an X12 file tells: per interchange, functional group and transaction set, the
 * verdict in the 999's own terms, the counts, and every issue with its position. Acknowledgments
 * (TA1, 999) and the `claimpath check` output are built from this and nothing else.
 *
 * No element values are held here except identifiers of the envelope (sender/receiver ids,
 * control numbers, versions), which are not PHI, and `badValue` inside issues (999 IK404 only).
 */
import type { Verdict, X12Issue } from './issues.ts';

export interface TransactionCounts {
  /** Segments from ST to SE inclusive, as found. */
  segments: number;
  /** 837: CLM segments. */
  claims: number;
  /** 837: LX-opened service lines (2400). 835: SVC service payment lines. */
  serviceLines: number;
  /** 835: CLP claim payments. */
  claimPayments: number;
}

export interface TransactionSetReport {
  /** ST01, e.g. `837`. */
  transactionSet: string;
  /** ST02. */
  control: string;
  /** ST03 (or GS08 where ST03 is absent). */
  version: string;
  /** The guide map used (`837P`, `837I`, `837D`, `835`, `999`, `277CA`), when one applies. */
  guide?: string;
  /** IK501 terms: accepted, accepted with errors, rejected. */
  verdict: Exclude<Verdict, 'partially accepted'>;
  /** Byte offset of ST. */
  offset: number;
  counts: TransactionCounts;
  /** Set-, segment- and element-level issues (IK5, IK3, IK4), in file order. */
  issues: X12Issue[];
}

export interface FunctionalGroupReport {
  /** GS01, e.g. `HC`. */
  functionalId: string;
  /** GS06. */
  control: string;
  /** GS08. */
  version: string;
  /** GS02 / GS03 application sender and receiver codes. */
  sender: string;
  receiver: string;
  /** AK901 terms. */
  verdict: Verdict;
  offset: number;
  /** GE01 as declared (undefined when GE is missing). */
  declaredSets?: number;
  /** Group-level issues (AK905-909). */
  issues: X12Issue[];
  sets: TransactionSetReport[];
}

export interface InterchangeReport {
  /** ISA13. */
  control: string;
  /** ISA05:ISA06 and ISA07:ISA08, trimmed. */
  senderQualifier: string;
  sender: string;
  receiverQualifier: string;
  receiver: string;
  /** ISA12. */
  version: string;
  /** ISA15: `P` production, `T` test, `I` information. */
  usage: string;
  /** ISA14 = 1: the sender asks for a TA1. */
  ta1Requested: boolean;
  /** TA104 terms: A accepted, E accepted with errors, R rejected. */
  verdict: 'accepted' | 'accepted with errors' | 'rejected';
  offset: number;
  /** ISA09 and ISA10 (date YYMMDD, time HHMM) as written, for the TA1. */
  date: string;
  time: string;
  /** Interchange-level issues (TA105 codes). */
  issues: X12Issue[];
  groups: FunctionalGroupReport[];
}

export interface ValidationReport {
  /** The file's verdict: the worst of its interchanges', or `rejected` when it holds none. */
  verdict: Verdict;
  /** Bytes read. */
  bytes: number;
  /** Problems below the X12 grammar (no ISA, text around interchanges, a runaway segment). */
  fileIssues: X12Issue[];
  interchanges: InterchangeReport[];
}
