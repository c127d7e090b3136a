/**
 * The JSON report of an 835 file (`{tenant}/reports/<fileId>.json` in the outbound bucket): what was
 * wrong with it (problems that stop posting), the X12 verdicts, each transaction set's payment and
 * provider-level adjustments, and what became of each claim payment.
 *
 * No PHI: ids, control numbers, codes, amounts, dates of payment and counts. Patient control numbers
 * (CLP01), names and member ids never appear; claim payments are named by their position in the file.
 */
import type { Finding } from '../../schemas/finding.schema.ts';
import type { RemittanceSummary } from '../../schemas/remittance.schema.ts';
import type { ValidationReport } from '../x12/report.ts';
import type { ClaimPaymentMatch, RemittanceCounts } from './ports.ts';

/** Why a file is not posted: each is reported, and nothing of the file is posted. */
export type RemittanceProblemCode =
  /** No interchange could be read: the file is not X12. */
  | 'NOT_X12'
  /** The X12 engine rejected an interchange, a group or a transaction set (see the TA1/999). */
  | 'X12_REJECTED'
  /** The file holds no 835 transaction set. */
  | 'NOT_835'
  /** An amount, date or other value could not be read. */
  | 'UNREADABLE_VALUE'
  /** A service line, claim payment or the transaction does not balance (SNIP 3). */
  | 'UNBALANCED'
  /** A transaction set has no reassociation trace number (TRN02). */
  | 'MISSING_TRACE'
  /** The payer is not in the payer directory (REF*2U, TRN03, N1*PR N104). */
  | 'UNKNOWN_PAYER'
  /** The payer's trace number was carried by another file already (or twice in this one). */
  | 'DUPLICATE_TRACE';

/** One problem, for people and for the handler's logs (codes and ids only). */
export interface RemittanceProblem {
  code: RemittanceProblemCode;
  message: string;
  /** ISA13 and ST02 of the set concerned. */
  interchangeControl?: string;
  setControl?: string;
  /** The rules' payer id, when resolved. */
  payer?: string;
  /** TRN02 (a check or EFT number: no PHI). */
  traceNumber?: string;
  /** The other file that carries the trace number. */
  usedByFileId?: string;
  /** How many findings of this kind (imbalances, unreadable values) the set has. */
  count?: number;
}

/** A finding as reported: without the patient control number it names, with the claim payment's position. */
export interface ReportedFinding {
  origin: Finding['origin'];
  code: string;
  severity: Finding['severity'];
  message: string;
  claimPaymentPosition?: number;
  line?: number;
  amounts?: { expected: number; actual: number };
  /** ST = 1: where in the set (no value). */
  segmentOrdinal?: number;
}

/** A finding without what could identify a patient (its `claimRef` is CLP01). */
export function reportedFinding(finding: Finding, claimPaymentPosition?: number): ReportedFinding {
  const reported: ReportedFinding = { origin: finding.origin, code: finding.code, severity: finding.severity, message: finding.message };
  if (claimPaymentPosition !== undefined) reported.claimPaymentPosition = claimPaymentPosition;
  if (finding.line !== undefined) reported.line = finding.line;
  if (finding.amounts !== undefined) reported.amounts = { ...finding.amounts };
  if (finding.location !== undefined) reported.segmentOrdinal = finding.location.ordinal;
  return reported;
}

/** One transaction set as reported. */
export interface ReportedSet {
  interchangeControl: string;
  setControl: string;
  payer?: { payerId: string; matchedBy: string };
  traceNumber?: string;
  payment: { handlingCode: string; method: string; creditDebit: string; totalPaidCents: number; paymentDate?: string };
  claimPayments: number;
  /**
   * PLB: kept at provider level, not posted to claims. Without PLB03-2: payers put a patient control
   * number there as often as their own claim number.
   */
  providerAdjustments: { fiscalPeriodDate?: string; reason: string; amountCents: number }[];
  findings: ReportedFinding[];
}

/** A set's header as reported (no bank account data, no names). */
export function reportedSet(summary: RemittanceSummary, payer: ReportedSet['payer'], claimPayments: number, findings: ReportedFinding[]): ReportedSet {
  const set: ReportedSet = {
    interchangeControl: summary.envelope.interchangeControl,
    setControl: summary.envelope.setControl,
    payment: {
      handlingCode: summary.payment.handlingCode,
      method: summary.payment.method,
      creditDebit: summary.payment.creditDebit,
      totalPaidCents: summary.payment.totalPaid,
      ...(summary.payment.paymentDate !== undefined ? { paymentDate: summary.payment.paymentDate } : {}),
    },
    claimPayments,
    providerAdjustments: summary.providerAdjustments.flatMap((plb) =>
      plb.adjustments.map((adjustment) => ({
        ...(plb.fiscalPeriodDate !== undefined ? { fiscalPeriodDate: plb.fiscalPeriodDate } : {}),
        reason: adjustment.reason,
        amountCents: adjustment.amount,
      })),
    ),
    findings,
  };
  if (payer) set.payer = payer;
  if (summary.trace?.traceNumber) set.traceNumber = summary.trace.traceNumber;
  return set;
}

/** What became of one claim payment. */
export interface ReportedClaimPayment {
  position: number;
  setControl: string;
  claimStatusCode: string;
  reversal: boolean;
  chargeCents: number;
  paidCents: number;
  outcome: 'posted' | 'unmatched';
  claimId?: string;
  postingId?: string;
  matchedBy?: string;
  reversesPostingId?: string;
  unmatchedReason?: string;
  /** Service payments and how many matched a line of the claim. */
  serviceLines: { total: number; matched: number };
  workItemIds: string[];
}

/** A claim payment's entry from its decision. */
export function reportedClaimPayment(
  input: { position: number; setControl: string; claimStatusCode: string; reversal: boolean; chargeCents: number; paidCents: number; serviceLines: number },
  match: ClaimPaymentMatch,
  postingId: string | undefined,
  workItemIds: string[],
): ReportedClaimPayment {
  const entry: ReportedClaimPayment = {
    position: input.position,
    setControl: input.setControl,
    claimStatusCode: input.claimStatusCode,
    reversal: input.reversal,
    chargeCents: input.chargeCents,
    paidCents: input.paidCents,
    outcome: match.kind === 'matched' ? 'posted' : 'unmatched',
    serviceLines: { total: input.serviceLines, matched: match.kind === 'matched' ? match.lines.filter((line) => line.line !== undefined).length : 0 },
    workItemIds,
  };
  if (match.kind === 'matched') {
    entry.claimId = match.claimId;
    entry.matchedBy = match.matchedBy;
    if (postingId !== undefined) entry.postingId = postingId;
    if (match.reversesPostingId !== undefined) entry.reversesPostingId = match.reversesPostingId;
  } else {
    entry.unmatchedReason = match.reason;
  }
  return entry;
}

/** The whole report. */
export interface RemittanceReport {
  kind: '835';
  fileId: string;
  tenant: string;
  receivedAt: string;
  status: 'complete' | 'rejected';
  verdict: string;
  bytes: number;
  problems: RemittanceProblem[];
  fileIssues: { code: string; severity: string; message: string }[];
  interchanges: {
    control: string;
    verdict: string;
    issueCodes: string[];
    groups: { control: string; verdict: string; issueCodes: string[]; sets: { control: string; verdict: string; issueCodes: string[] }[] }[];
  }[];
  remittances: ReportedSet[];
  counts?: RemittanceCounts;
  claimPayments: ReportedClaimPayment[];
}

/** The report's X12 part: verdicts and issue codes (the TA1/999 carry the details). */
export function reportedX12(report: ValidationReport): Pick<RemittanceReport, 'verdict' | 'bytes' | 'fileIssues' | 'interchanges'> {
  return {
    verdict: report.verdict,
    bytes: report.bytes,
    fileIssues: report.fileIssues.map((issue) => ({ code: issue.code, severity: issue.severity, message: issue.message })),
    interchanges: report.interchanges.map((interchange) => ({
      control: interchange.control,
      verdict: interchange.verdict,
      issueCodes: interchange.issues.map((issue) => issue.code),
      groups: interchange.groups.map((group) => ({
        control: group.control,
        verdict: group.verdict,
        issueCodes: group.issues.map((issue) => issue.code),
        sets: group.sets.map((set) => ({ control: set.control, verdict: set.verdict, issueCodes: set.issues.map((issue) => `${issue.level}:${issue.code}`) })),
      })),
    })),
  };
}
