/**
 * The exceptions queue's work from a remittance (DESIGN.md, "Remittances in"):
 * - a claim payment that matches no claim of the tenant (kind `unmatched-payment`), with the reason;
 * - an allowed amount below the payer's fee schedule (kind `underpayment`), with the shortfall: each
 *   paid line's allowed amount (AMT*B6, else paid + the line's patient responsibility) against
 *   `expectedAllowed` for the billed procedure, modifiers, units and date of service.
 */
import type { Claim } from '../../schemas/claim.schema.ts';
import type { IsoDate } from '../../schemas/common.schema.ts';
import type { PayerRule } from '../../schemas/payer-rule.schema.ts';
import type { PostedLine, Posting } from '../../schemas/posting.schema.ts';
import type { WorkItem, WorkReason } from '../../schemas/work-item.schema.ts';
import { expectedAllowed } from '../rules/kinds/fee-schedule.ts';
import { claimServiceDatesOf } from './match.ts';
import { isDenial } from './post.ts';
import { underpaymentWorkItemIdOf, unmatchedPaymentWorkItemIdOf, type ClaimPaymentRecord, type UnmatchedReason } from './ports.ts';
import { remittanceWorkItem } from './remittance-work-item.ts';

/** Our words for why a claim payment matched no claim (no values from the payment). */
export const UNMATCHED_DESCRIPTIONS: Readonly<Record<UnmatchedReason, string>> = {
  'no-claim': 'No claim of this billing office has the patient control number the payer sent (CLP01)',
  'not-confirmed': 'Claims with this patient control number differ from the payment in charges, dates of service or patient',
  'reversal-without-control-number': 'A reversal (CLP02 22) without the payer claim control number (CLP07): the payment it takes back cannot be found',
  'reversal-without-posting': 'A reversal (CLP02 22) of a payment not posted here: no standing payment has its payer claim control number (CLP07)',
};

/**
 * The work item of a claim payment that matched no claim: in the exceptions queue, the payment at
 * risk (|CLP04|) and the charge (|CLP03|) as the payer sent them.
 *
 * @throws {RangeError} for a matched record (a programming error).
 */
export function unmatchedPaymentWorkItem(record: ClaimPaymentRecord, createdAt: string): WorkItem {
  const { match, claimPayment } = record;
  if (match.kind !== 'unmatched') throw new RangeError('only an unmatched claim payment makes an unmatched-payment item');
  return remittanceWorkItem({
    workItemId: unmatchedPaymentWorkItemIdOf(record.remittanceId, record.position),
    tenant: record.tenant,
    kind: 'unmatched-payment',
    queue: 'exceptions',
    createdAt,
    remittanceId: record.remittanceId,
    claimPaymentPosition: record.position,
    payer: record.payer,
    reasons: [{ code: match.reason, source: 'matching', description: UNMATCHED_DESCRIPTIONS[match.reason] }],
    chargeCents: Math.abs(claimPayment.totalCharge),
    amountAtRiskCents: Math.abs(claimPayment.paid),
    note: 'unmatched-payment',
  });
}

/** The fee-schedule rules in effect for the payment's payer on a date of service. */
export type RulesOnDate = (date: IsoDate) => Promise<readonly PayerRule[]>;

/** One line's comparison with the fee schedule. */
export interface LineShortfall {
  /** The claim's line (1-based). */
  line: number;
  allowedCents: number;
  expectedCents: number;
  shortfallCents: number;
  ruleId: string;
}

/**
 * Lines of a posting paid below the payer's fee schedule. A line is compared when it matched a line of
 * the claim with a procedure code, was not denied (its denial has its own item), and its allowed amount
 * is its own: AMT*B6, or paid + its patient responsibility when no claim-level adjustment takes a share
 * that cannot be apportioned to lines. Units: SVC05, else the billed units (payers often omit SVC05).
 */
export async function lineShortfallsOf(posting: Posting, record: ClaimPaymentRecord, claim: Claim, rulesOn: RulesOnDate): Promise<LineShortfall[]> {
  if (posting.reversal) return [];
  const claimLevelShare = posting.adjustments.some((adjustment) => adjustment.category === 'patient-responsibility' && adjustment.amountCents !== 0);
  const shortfalls: LineShortfall[] = [];
  for (const [index, line] of posting.lines.entries()) {
    if (line.line === undefined) continue;
    const claimLine = claim.lines[line.line - 1];
    const code = claimLine?.procedure?.code;
    if (!claimLine || !code || line.adjustments.some((adjustment) => isDenial(adjustment) && adjustment.amountCents > 0)) continue;
    const allowed = ownAllowed(line, claimLevelShare);
    if (allowed === undefined) continue;
    const date = claimLine.dates.service?.from ?? record.claimPayment.serviceLines[index]?.serviceDates?.from ?? claimServiceDatesOf(claim)?.from ?? record.paymentDate;
    const units = line.units ?? claimLine.units ?? 1;
    const expected = expectedAllowed(await rulesOn(date), code, claimLine.procedure?.modifiers ?? [], date, units);
    if (!expected || expected.total <= allowed) continue;
    shortfalls.push({ line: line.line, allowedCents: allowed, expectedCents: expected.total, shortfallCents: expected.total - allowed, ruleId: expected.ruleId });
  }
  return shortfalls;
}

/** A line's allowed amount, when it can be told from the line alone. */
function ownAllowed(line: PostedLine, claimLevelShare: boolean): number | undefined {
  if (line.allowedCents !== undefined) return line.allowedCents;
  if (claimLevelShare) return undefined;
  const patientShare = line.adjustments.filter((adjustment) => adjustment.category === 'patient-responsibility').reduce((sum, adjustment) => sum + adjustment.amountCents, 0);
  return line.paidCents + patientShare;
}

/** What an underpayment item needs besides the posting and its shortfalls. */
export interface UnderpaymentContext {
  chargeCents: number;
  appealDeadline: IsoDate;
  createdAt: string;
}

/** The underpayment item of a posting with shortfalls (undefined without any): the sum at risk, one reason per line. */
export function underpaymentWorkItem(posting: Posting, shortfalls: readonly LineShortfall[], context: UnderpaymentContext): WorkItem | undefined {
  if (shortfalls.length === 0) return undefined;
  const reasons: WorkReason[] = shortfalls.map((shortfall) => ({
    code: 'fee-schedule',
    source: 'fee-schedule',
    description: "Allowed amount below the payer's fee schedule for the billed procedure and units",
    line: shortfall.line,
    amountCents: shortfall.shortfallCents,
    ruleId: shortfall.ruleId,
  }));
  return remittanceWorkItem({
    workItemId: underpaymentWorkItemIdOf(posting.claimId, posting.remittanceId, posting.claimPaymentPosition),
    tenant: posting.tenant,
    kind: 'underpayment',
    queue: 'exceptions',
    createdAt: context.createdAt,
    claimId: posting.claimId,
    remittanceId: posting.remittanceId,
    claimPaymentPosition: posting.claimPaymentPosition,
    ...(posting.payer !== undefined ? { payer: posting.payer } : {}),
    reasons,
    chargeCents: context.chargeCents,
    amountAtRiskCents: shortfalls.reduce((sum, shortfall) => sum + shortfall.shortfallCents, 0),
    appealDeadline: context.appealDeadline,
    note: 'underpayment',
  });
}
