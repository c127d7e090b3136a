/**
 * SNIP 3 balancing of an 835 (005010X221A1, section 1.10.2 "balancing"):
 *
 *   service line:  SVC02 − Σ CAS (line)                 = SVC03
 *   claim payment: CLP03 − Σ CAS (claim and its lines)  = CLP04
 *   transaction:   Σ CLP04 − Σ PLB amounts              = BPR02 (negated when BPR03 = D, a debit)
 *
 * A positive adjustment reduces the payment; negative ones (reversals, OA-94 "processed in excess of
 * charges", PLB interest L6) increase it, and the arithmetic is the same. Imbalances become findings
 * with the expected and actual amounts in cents; nothing is corrected. The functions read the model
 * only, so they check a remittance the same way whether it was streamed or read whole.
 *
 * @example
 * const findings = balanceRemittance(remittance); // [] when every line, claim and the total balance
 */
import type { SourceRef } from '../../schemas/common.schema.ts';
import type { Finding } from '../../schemas/finding.schema.ts';
import type { Adjustment, ClaimPayment, ProviderAdjustment, Remittance, RemittanceSummary, ServicePayment } from '../../schemas/remittance.schema.ts';

/** The finding codes of the 835 balancing checks. */
export const BalanceCode = {
  serviceLine: 'BALANCE_SERVICE_LINE',
  claimPayment: 'BALANCE_CLAIM_PAYMENT',
  transaction: 'BALANCE_TRANSACTION',
} as const;

/** Σ of adjustment amounts, in cents. */
export function sumAdjustments(adjustments: readonly Adjustment[]): number {
  let sum = 0;
  for (const a of adjustments) sum += a.amount;
  return sum;
}

/**
 * A service line: SVC02 − Σ its CAS = SVC03. `lineNumber` is the line's 1-based position in its
 * claim payment.
 */
export function balanceServicePayment(line: ServicePayment, claimRef: string | undefined, lineNumber: number): Finding | undefined {
  const expected = line.charge - sumAdjustments(line.adjustments);
  if (expected === line.paid) return undefined;
  return imbalance(
    BalanceCode.serviceLine,
    `Service line ${lineNumber} does not balance: its charge (SVC02) less its adjustments (CAS) is not its payment (SVC03).`,
    expected,
    line.paid,
    line.sources['paid'],
    claimRef,
    lineNumber,
  );
}

/** A claim payment alone: CLP03 − Σ CAS (claim level and every line's) = CLP04. */
export function balanceClaimTotal(claim: ClaimPayment): Finding | undefined {
  let adjusted = sumAdjustments(claim.adjustments);
  for (const line of claim.serviceLines) adjusted += sumAdjustments(line.adjustments);
  const expected = claim.totalCharge - adjusted;
  if (expected === claim.paid) return undefined;
  return imbalance(
    BalanceCode.claimPayment,
    'The claim payment does not balance: its charge (CLP03) less the claim and line adjustments (CAS) is not its payment (CLP04).',
    expected,
    claim.paid,
    claim.sources['paid'],
    claim.patientControlNumber,
  );
}

/** A claim payment and each of its lines. */
export function balanceClaimPayment(claim: ClaimPayment): Finding[] {
  const findings: Finding[] = [];
  claim.serviceLines.forEach((line, i) => {
    const f = balanceServicePayment(line, claim.patientControlNumber, i + 1);
    if (f) findings.push(f);
  });
  const total = balanceClaimTotal(claim);
  if (total) findings.push(total);
  return findings;
}

/**
 * The transaction check, accumulated while a remittance streams: add each claim payment's CLP04 and
 * each PLB as they complete, then check against BPR02 at the set's end. Holds two numbers, whatever
 * the set's size.
 */
export class TransactionBalance {
  private paid = 0;
  private providerAdjusted = 0;

  addClaimPayment(claim: Pick<ClaimPayment, 'paid'>): void {
    this.paid += claim.paid;
  }

  addProviderAdjustment(plb: Pick<ProviderAdjustment, 'adjustments'>): void {
    for (const a of plb.adjustments) this.providerAdjusted += a.amount;
  }

  /** Σ CLP04 − Σ PLB = BPR02 (the payment is the provider's debt when BPR03 = D). */
  check(summary: Pick<RemittanceSummary, 'payment' | 'sources'>): Finding | undefined {
    const expected = this.paid - this.providerAdjusted;
    const payment = summary.payment;
    const actual = payment.creditDebit === 'D' ? -payment.totalPaid : payment.totalPaid;
    if (expected === actual) return undefined;
    return imbalance(
      BalanceCode.transaction,
      'The remittance does not balance: the claim payments (CLP04) less the provider adjustments (PLB) are not the total payment (BPR02).',
      expected,
      actual,
      summary.sources['payment.totalPaid'],
    );
  }
}

/** Every balancing check of a whole remittance: lines, claim payments, then the transaction. */
export function balanceRemittance(remittance: Remittance): Finding[] {
  const findings: Finding[] = [];
  const total = new TransactionBalance();
  for (const claim of remittance.claimPayments) {
    findings.push(...balanceClaimPayment(claim));
    total.addClaimPayment(claim);
  }
  for (const plb of remittance.providerAdjustments) total.addProviderAdjustment(plb);
  const transaction = total.check(remittance);
  if (transaction) findings.push(transaction);
  return findings;
}

function imbalance(
  code: string,
  message: string,
  expected: number,
  actual: number,
  location: SourceRef | undefined,
  claimRef?: string,
  line?: number,
): Finding {
  // An 835 that does not balance cannot be posted as it stands: a person must look at it.
  const finding: Finding = { origin: 'balancing', code, severity: 'reject', message, amounts: { expected, actual } };
  if (location) finding.location = location;
  if (claimRef !== undefined) finding.claimRef = claimRef;
  if (line !== undefined) finding.line = line;
  return finding;
}
