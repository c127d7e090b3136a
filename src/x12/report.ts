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

/**
 * The byte ranges `[start, end)` of the transaction sets whose content is not to be processed: sets
 * the 999 rejects, and every set of a rejected group (AK9 R) or interchange (TA1 R). A set runs from
 * its ST to the next set's ST (or to the end of the file). Interchanges whose control number is in
 * `skipped` are left out (the caller accounts for them otherwise). In file order.
 *
 * @example
 * rejectedSetRanges(report) // [[1480, 2960]]: the second set was rejected
 */
export function rejectedSetRanges(report: ValidationReport, skipped: ReadonlySet<string> = new Set()): [number, number][] {
  const sets: { offset: number; rejected: boolean }[] = [];
  for (const interchange of report.interchanges) {
    for (const group of interchange.groups) {
      for (const set of group.sets) {
        const rejected = !skipped.has(interchange.control) && (set.verdict === 'rejected' || group.verdict === 'rejected' || interchange.verdict === 'rejected');
        sets.push({ offset: set.offset, rejected });
      }
    }
  }
  sets.sort((a, b) => a.offset - b.offset);
  const ranges: [number, number][] = [];
  sets.forEach((set, i) => {
    if (set.rejected) ranges.push([set.offset, sets[i + 1]?.offset ?? Number.MAX_SAFE_INTEGER]);
  });
  return ranges;
}

/** Whether `offset` lies in one of `ranges` (as {@link rejectedSetRanges} gives them: sorted, apart). */
export function inRanges(ranges: readonly (readonly [number, number])[], offset: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [start, end] = ranges[mid]!;
    if (offset < start) hi = mid - 1;
    else if (offset >= end) lo = mid + 1;
    else return true;
  }
  return false;
}
