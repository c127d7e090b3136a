/**
 * Posting: one matched 835 claim payment applied to its claim — each CAS adjustment classified (patient
 * responsibility, contractual, informational, or a denial routed to a queue) through the code sets'
 * category table, the totals by category, and the claim's adjudication summed from all its postings.
 *
 * Everything here is a pure function of its inputs: a posting of the same claim payment is the same
 * posting, and an adjudication recomputed from the same postings is the same adjudication, whichever
 * run (first delivery, retry, concurrent copy) computes it.
 */
import type {
  AdjudicationStatus,
  ClaimAdjudication,
  PostedAdjustment,
  PostedLine,
  Posting,
  PostingTotals,
} from '../../schemas/posting.schema.ts';
import type { Adjustment, ClaimPayment, ServicePayment } from '../../schemas/remittance.schema.ts';
import type { CodeSets } from '../rules/codesets/types.ts';
import { postingIdOf, type ClaimPaymentRecord, type ServiceLineMatch } from './ports.ts';

/** What posting reads from the code sets: the routing of adjustments. */
export type AdjustmentRouter = Pick<CodeSets, 'categoryOf'>;

/** CLP02 = 22: reversal of a previous payment (the amounts are negated). */
export const REVERSAL_STATUS_CODE = '22';
/** LQ01 qualifier of a remittance advice remark code (HE); RX is an NCPDP reject reason. */
const RARC_QUALIFIER = 'HE';
/** AMT01 of the claim's coverage (allowed) amount in loop 2100. */
const CLAIM_ALLOWED_QUALIFIER = 'AU';
/** Categories that are denials: the payer refused the money, a person must act. */
const DENIAL_CATEGORIES: ReadonlySet<string> = new Set(['coding', 'billing', 'clinical']);

/** True for a claim payment that reverses an earlier one. */
export function isReversal(payment: Pick<ClaimPayment, 'statusCode'>): boolean {
  return payment.statusCode.trim() === REVERSAL_STATUS_CODE;
}

/** True for an adjustment categorized as a denial (coding, billing or clinical). */
export function isDenial(adjustment: Pick<PostedAdjustment, 'category'>): boolean {
  return DENIAL_CATEGORIES.has(adjustment.category);
}

/** The claim-level remark codes: MIA/MOA remarks (the claim payment's RARCs). */
export function claimRemarksOf(payment: ClaimPayment): string[] {
  return [...(payment.inpatient?.remarkCodes ?? []), ...(payment.outpatient?.remarkCodes ?? [])];
}

/** A service payment's RARCs (LQ*HE). */
export function lineRemarksOf(line: ServicePayment): string[] {
  return line.remarks.filter((remark) => remark.qualifier.trim() === RARC_QUALIFIER).map((remark) => remark.code);
}

/**
 * Classify CAS adjustments in DESIGN.md's order (`categoryOf`): PR → patient responsibility; a
 * contractual CARC → contractual; OA-23 → informational; otherwise a denial whose category comes from
 * the CARC, refined by the first RARC in `rarcs` that explains a "see remark" CARC.
 *
 * @example
 * classifyAdjustments([{ group: 'CO', reason: '16', amount: 5000 }], ['M76'], codeSets);
 * // [{ group: 'CO', carc: '16', amountCents: 5000, rarcs: ['M76'], category: 'coding', queue: 'coding' }]
 */
export function classifyAdjustments(adjustments: readonly Adjustment[], rarcs: readonly string[], router: AdjustmentRouter): PostedAdjustment[] {
  return adjustments.map((adjustment) => {
    const routing = router.categoryOf(adjustment.reason, rarcs, adjustment.group);
    const posted: PostedAdjustment = {
      group: adjustment.group.trim().toUpperCase(),
      carc: adjustment.reason.trim().toUpperCase(),
      amountCents: adjustment.amount,
      rarcs: [...rarcs],
      category: routing.category,
    };
    if (adjustment.quantity !== undefined) posted.quantity = adjustment.quantity;
    if (routing.queue !== undefined) posted.queue = routing.queue;
    if (routing.unknown) posted.unknownCarc = true;
    return posted;
  });
}

/** The procedure a service payment names: SVC01's code, or the revenue code of an `NU` line. */
export function procedureCodeOf(line: ServicePayment): string {
  return line.procedure.code.trim().toUpperCase();
}

/** One service payment as posted to the claim line it matched. */
function postedLineOf(line: ServicePayment, match: ServiceLineMatch, claimRemarks: readonly string[], router: AdjustmentRouter): PostedLine {
  // A line's own remarks explain its adjustments first; the claim's remarks may explain them too.
  const rarcs = unique([...lineRemarksOf(line), ...claimRemarks]);
  const posted: PostedLine = {
    matchedBy: match.matchedBy,
    procedure: procedureCodeOf(line),
    modifiers: line.procedure.modifiers.map((modifier) => modifier.trim().toUpperCase()),
    chargeCents: line.charge,
    paidCents: line.paid,
    adjustments: classifyAdjustments(line.adjustments, rarcs, router),
  };
  if (match.line !== undefined) posted.line = match.line;
  if (line.allowedAmount !== undefined) posted.allowedCents = line.allowedAmount;
  if (line.unitsPaid !== undefined) posted.units = line.unitsPaid;
  return posted;
}

/** Sums of adjustments by what they are. */
function sumByCategory(adjustments: readonly PostedAdjustment[], into: Omit<PostingTotals, 'chargeCents' | 'paidCents' | 'allowedCents'>): void {
  for (const adjustment of adjustments) {
    if (adjustment.category === 'patient-responsibility') into.patientResponsibilityCents += adjustment.amountCents;
    else if (adjustment.category === 'contractual') into.contractualCents += adjustment.amountCents;
    else if (adjustment.category === 'informational') into.informationalCents += adjustment.amountCents;
    else into.deniedCents += adjustment.amountCents;
  }
}

/**
 * The totals of a claim payment: CLP03 and CLP04, the adjustments (claim and line level) by category,
 * and the allowed amount — the lines' AMT*B6 when every line has one, else the claim's AMT*AU, else
 * paid + patient responsibility.
 */
export function postingTotalsOf(payment: ClaimPayment, claimAdjustments: readonly PostedAdjustment[], lines: readonly PostedLine[]): PostingTotals {
  const sums = { patientResponsibilityCents: 0, contractualCents: 0, deniedCents: 0, informationalCents: 0 };
  sumByCategory(claimAdjustments, sums);
  for (const line of lines) sumByCategory(line.adjustments, sums);
  let allowedCents = payment.paid + sums.patientResponsibilityCents;
  const claimAllowed = payment.amounts.find((amount) => amount.qualifier.trim() === CLAIM_ALLOWED_QUALIFIER)?.amount;
  if (lines.length > 0 && lines.every((line) => line.allowedCents !== undefined)) {
    allowedCents = lines.reduce((sum, line) => sum + (line.allowedCents ?? 0), 0);
  } else if (claimAllowed !== undefined) {
    allowedCents = claimAllowed;
  }
  return { chargeCents: payment.totalCharge, paidCents: payment.paid, ...sums, allowedCents };
}

/** What a posting is made of besides the stored claim payment record. */
export interface PostingContext {
  /** The file's first receipt time: the same on every run, so postings are equal run after run. */
  postedAt: string;
  router: AdjustmentRouter;
}

/**
 * The posting of a matched claim payment record.
 *
 * @throws {RangeError} when the record is not matched (a programming error: unmatched payments post nothing).
 */
export function postingOf(record: ClaimPaymentRecord, context: PostingContext): Posting {
  const { match, claimPayment: payment } = record;
  if (match.kind !== 'matched') throw new RangeError('only a matched claim payment can be posted');
  const claimRemarks = claimRemarksOf(payment);
  const adjustments = classifyAdjustments(payment.adjustments, claimRemarks, context.router);
  const lines = payment.serviceLines.map((line, index) =>
    postedLineOf(line, match.lines[index] ?? { matchedBy: 'unmatched' }, claimRemarks, context.router),
  );
  const posting: Posting = {
    postingId: postingIdOf(record.remittanceId, record.position),
    tenant: record.tenant,
    claimId: match.claimId,
    remittanceId: record.remittanceId,
    claimPaymentPosition: record.position,
    postedAt: context.postedAt,
    payer: record.payer,
    paymentDate: record.paymentDate,
    claimStatusCode: payment.statusCode.trim(),
    reversal: isReversal(payment),
    matchedBy: match.matchedBy,
    totals: postingTotalsOf(payment, adjustments, lines),
    adjustments,
    lines,
    remarks: claimRemarks,
  };
  if (record.traceNumber !== undefined) posting.traceNumber = record.traceNumber;
  if (payment.payerClaimControlNumber !== undefined) posting.payerClaimControlNumber = payment.payerClaimControlNumber;
  return posting;
}

// ── Adjudication ────────────────────────────────────────────────────────────────────────────────────

/** Field-by-field sum of totals (reversals carry negated amounts, so they take their payment back). */
export function sumTotals(totals: readonly PostingTotals[]): PostingTotals {
  const sum: PostingTotals = { chargeCents: 0, paidCents: 0, patientResponsibilityCents: 0, contractualCents: 0, deniedCents: 0, informationalCents: 0, allowedCents: 0 };
  for (const t of totals) {
    sum.chargeCents += t.chargeCents;
    sum.paidCents += t.paidCents;
    sum.patientResponsibilityCents += t.patientResponsibilityCents;
    sum.contractualCents += t.contractualCents;
    sum.deniedCents += t.deniedCents;
    sum.informationalCents += t.informationalCents;
    sum.allowedCents += t.allowedCents;
  }
  return sum;
}

/**
 * The status that net totals give a claim that still has a payment standing: `denied` when money was
 * denied and nothing allowed (paid or owed by the patient), `partially-paid` when some was denied and
 * some allowed, `paid` otherwise — which includes a claim applied wholly to the deductible: the payer
 * processed it, and the patient owes the rest. CLP02 plays no part: denials are read from the CAS.
 */
export function statusOfTotals(totals: PostingTotals): Exclude<AdjudicationStatus, 'reversed'> {
  if (totals.deniedCents <= 0) return 'paid';
  const allowed = totals.paidCents + totals.patientResponsibilityCents;
  return allowed > 0 ? 'partially-paid' : 'denied';
}

/** Postings in the order they were posted: receipt time of their file, then remittance and position. */
export function comparePostings(a: Pick<Posting, 'postedAt' | 'postingId'>, b: Pick<Posting, 'postedAt' | 'postingId'>): number {
  if (a.postedAt !== b.postedAt) return a.postedAt < b.postedAt ? -1 : 1;
  return a.postingId < b.postingId ? -1 : a.postingId > b.postingId ? 1 : 0;
}

/**
 * A claim's adjudication from all its postings (reversals included): the net totals, the status —
 * `reversed` when every payment posted has been taken back by a reversal, else from the net totals —
 * and the payer claim control number of the latest payment. Undefined without postings.
 *
 * @example
 * adjudicationOf([payment, reversal]);            // { status: 'reversed', totals: { paidCents: 0, … }, … }
 * adjudicationOf([payment, reversal, corrected]); // the corrected payment's status and amounts
 */
export function adjudicationOf(postings: readonly Posting[]): ClaimAdjudication | undefined {
  if (postings.length === 0) return undefined;
  const ordered = [...postings].sort(comparePostings);
  const totals = sumTotals(ordered.map((posting) => posting.totals));
  const reversals = ordered.filter((posting) => posting.reversal).length;
  const status: AdjudicationStatus = reversals >= ordered.length - reversals ? 'reversed' : statusOfTotals(totals);
  const latestPayment = ordered.filter((posting) => !posting.reversal).at(-1);
  const adjudication: ClaimAdjudication = {
    status,
    totals,
    postingIds: ordered.map((posting) => posting.postingId),
    updatedAt: ordered.at(-1)!.postedAt,
  };
  if (latestPayment?.payerClaimControlNumber !== undefined) adjudication.payerClaimControlNumber = latestPayment.payerClaimControlNumber;
  return adjudication;
}

/**
 * True when a claim with these postings is still open to a payment: nothing posted yet, or every
 * payment reversed (a corrected payment is expected).
 */
export function isOpen(postings: readonly Posting[]): boolean {
  return postings.length === 0 || adjudicationOf(postings)?.status === 'reversed';
}

/**
 * The standing payments of a claim whose payer claim control number is `payerClaimControlNumber`:
 * payments with that CLP07 less the reversals with it. A reversal (CLP02 = 22) takes back the latest.
 */
export function standingPaymentsWith(postings: readonly Posting[], payerClaimControlNumber: string): Posting[] {
  const wanted = payerClaimControlNumber.trim();
  const standing: Posting[] = [];
  for (const posting of [...postings].sort(comparePostings)) {
    if ((posting.payerClaimControlNumber ?? '').trim() !== wanted) continue;
    if (posting.reversal) standing.pop();
    else standing.push(posting);
  }
  return standing;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.map((value) => value.trim().toUpperCase()).filter((value) => value !== ''))];
}
