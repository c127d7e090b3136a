/**
 * SNIP 3 balancing of an 837 claim, as the 005010 guides state it:
 * - the claim: CLM02 (total charge) = Σ line charges (SV102 / SV203 / SV302);
 * - each other payer (2320) that reports what it paid: CLM02 − Σ its CAS (2320 claim-level and the
 *   2430 line-level CAS of the lines it adjudicated, matched by SVD01 = 2330B NM109) = AMT*D;
 * - each line a prior payer adjudicated (2430): line charge − Σ that 2430's CAS = SVD02.
 *
 * Imbalances are findings with the amounts expected (computed from the other values) and found (the
 * element checked) in `amounts` — never in the message, which must hold no element value — pointing at
 * the element that does not balance; nothing is corrected. A check whose inputs could not be read (an amount that is not a
 * number, already a reader finding) is skipped rather than reported twice.
 *
 * @example
 * const findings = balance837(claim); // [] when the claim balances
 */
import type { AdjustmentGroup, Claim } from '../../schemas/claim.schema.ts';
import type { SourceRef } from '../../schemas/common.schema.ts';
import type { Finding } from '../../schemas/finding.schema.ts';

export interface BalanceOptions {
  /**
   * Field paths whose value was present in the file but unreadable (`totalCharge`, `lines.0.charge`,
   * `otherPayers.1.paidAmount`, `…adjustments`): checks that need them are skipped.
   */
  unreadable?: ReadonlySet<string>;
}

/** Σ of the adjustment amounts of CAS groups. */
export function adjustmentTotal(groups: readonly AdjustmentGroup[] | undefined): number {
  let total = 0;
  for (const g of groups ?? []) for (const a of g.adjustments) total += a.amount;
  return total;
}

/** No field unreadable (the common case). */
const NOTHING_UNREADABLE: ReadonlySet<string> = new Set<string>();

/** Whether a line of the claim has a prior payer's adjudication (2430). */
function hasAdjudications(lines: Claim['lines']): boolean {
  for (let i = 0; i < lines.length; i++) {
    const adjudications = lines[i]!.adjudications;
    if (adjudications !== undefined && adjudications.length > 0) return true;
  }
  return false;
}

/** Balance one claim; returns the imbalances as findings (empty when it balances). */
export function balance837(claim: Claim, options: BalanceOptions = {}): Finding[] {
  const unreadable = options.unreadable ?? NOTHING_UNREADABLE;
  const lines = claim.lines;
  const totalReadable = !unreadable.has('totalCharge');
  let linesReadable = true;
  if (unreadable.size > 0) for (let i = 0; i < lines.length && linesReadable; i++) linesReadable = !unreadable.has(`lines.${i}.charge`);
  // The common case (every claim of a clean batch) is decided here, with no closure or list made for it.
  let sum = 0;
  for (let i = 0; i < lines.length; i++) sum += lines[i]!.charge;
  const claimLinesBalance = lines.length === 0 || !totalReadable || !linesReadable || sum === claim.totalCharge;
  if (claimLinesBalance && claim.otherPayers.length === 0 && !hasAdjudications(lines)) return [];

  // Paths are only built to be looked up when something was unreadable (most claims: nothing).
  const isUnreadable = (path: () => string): boolean => unreadable.size > 0 && unreadable.has(path());
  const findings: Finding[] = [];
  const claimRef = claim.patientControlNumber || undefined;
  const finding = (code: string, message: string, expected: number, actual: number, location: SourceRef | undefined, line?: number): void => {
    const f: Finding = { origin: 'balancing', code, severity: 'reject', message, amounts: { expected, actual } };
    if (claimRef !== undefined) f.claimRef = claimRef;
    if (line !== undefined) f.line = line;
    if (location) f.location = location;
    findings.push(f);
  };

  // CLM02 = Σ line charges.
  if (lines.length > 0 && totalReadable && linesReadable) {
    if (sum !== claim.totalCharge) {
      finding(
        'BALANCE_CLAIM_LINES',
        `The total claim charge (CLM02) does not equal the sum of the ${lines.length} line charge(s).`,
        sum,
        claim.totalCharge,
        claim.sources['totalCharge'],
      );
    }
  }
  if (claim.otherPayers.length === 0 && !hasAdjudications(lines)) return findings;

  // Per other payer: CLM02 − Σ CAS (2320 and its 2430s) = AMT*D.
  claim.otherPayers.forEach((payer, p) => {
    const payerId = payer.payer.id;
    const adjudicated = lines.flatMap((line, i) => (line.adjudications ?? []).map((a, j) => ({ line, i, a, j }))).filter((x) => payerId !== undefined && x.a.otherPayerId === payerId);
    const claimAdjustmentsReadable = !(payer.adjustments ?? []).some((_, g) => isUnreadable(() => `otherPayers.${p}.adjustments.${g}.adjustments`));
    const lineAdjustmentsReadable = adjudicated.every((x) => !(x.a.adjustments ?? []).some((_, g) => isUnreadable(() => `lines.${x.i}.adjudications.${x.j}.adjustments.${g}.adjustments`)));
    if (payer.paidAmount !== undefined && totalReadable && claimAdjustmentsReadable && lineAdjustmentsReadable) {
      const adjustments = adjustmentTotal(payer.adjustments) + adjudicated.reduce((s, x) => s + adjustmentTotal(x.a.adjustments), 0);
      const expected = claim.totalCharge - adjustments;
      if (expected !== payer.paidAmount) {
        finding(
          'BALANCE_OTHER_PAYER_PAID',
          `Other payer ${p + 1} (2320): the claim charge less its adjustments (2320 and 2430 CAS) does not equal its paid amount (AMT*D).`,
          expected,
          payer.paidAmount,
          claim.sources[`otherPayers.${p}.paidAmount`],
        );
      }
    }
  });

  // Per line adjudication: line charge − Σ 2430 CAS = SVD02.
  const payerIds = new Set(claim.otherPayers.map((p) => p.payer.id).filter((id): id is string => id !== undefined));
  lines.forEach((line, i) => {
    (line.adjudications ?? []).forEach((a, j) => {
      const path = `lines.${i}.adjudications.${j}`;
      if (!payerIds.has(a.otherPayerId)) {
        const f: Finding = {
          origin: 'balancing',
          code: 'BALANCE_UNKNOWN_OTHER_PAYER',
          severity: 'warn',
          message: `Line ${line.lineNumber}: the line adjudication (2430 SVD01) names no other payer of the claim (2330B NM109); it cannot be balanced against a payer.`,
          line: line.lineNumber,
        };
        if (claimRef !== undefined) f.claimRef = claimRef;
        const location = line.sources[`adjudications.${j}.otherPayerId`];
        if (location) f.location = location;
        findings.push(f);
      }
      const readable = !isUnreadable(() => `lines.${i}.charge`) && !isUnreadable(() => `${path}.paidAmount`) && !(a.adjustments ?? []).some((_, g) => isUnreadable(() => `${path}.adjustments.${g}.adjustments`));
      if (!readable) return;
      const expected = line.charge - adjustmentTotal(a.adjustments);
      if (expected !== a.paidAmount) {
        finding(
          'BALANCE_LINE_ADJUDICATION',
          `Line ${line.lineNumber}: the line charge less the prior payer's line adjustments (2430 CAS) does not equal the line paid amount (SVD02).`,
          expected,
          a.paidAmount,
          line.sources[`adjudications.${j}.paidAmount`],
          line.lineNumber,
        );
      }
    });
  });
  return findings;
}
