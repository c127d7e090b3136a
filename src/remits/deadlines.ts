/**
 * The deadlines a work item from a remittance carries, so that it is worked in time (src/worklist/
 * priority.ts orders queues by the nearest one):
 * - the appeal deadline: the payer's appeal-window rule (`appealDeadline`), counted from the payment
 *   date, else {@link DEFAULT_APPEAL_WINDOW_DAYS};
 * - the timely-filing deadline: the payer's timely-filing rule, counted from the claim's earliest date
 *   of service, else {@link DEFAULT_TIMELY_FILING_DAYS}.
 */
import type { Claim } from '../../schemas/claim.schema.ts';
import type { IsoDate } from '../../schemas/common.schema.ts';
import { EVERY_PAYER_ID, type PayerRule, type PayerRuleOf } from '../../schemas/payer-rule.schema.ts';
import { appealDeadline } from '../rules/kinds/appeal-window.ts';
import { addDays, isWithin } from '../rules/kinds/dates.ts';
import { earliestServiceDateOf } from './match.ts';

/** Days to appeal after the payment date when the payer has no appeal-window rule in effect. */
export const DEFAULT_APPEAL_WINDOW_DAYS = 90;
/** Days to file after the earliest date of service when the payer has no timely-filing rule in effect. */
export const DEFAULT_TIMELY_FILING_DAYS = 365;

/** The last day to appeal a remittance paid on `paymentDate`, given the rules in effect on that date. */
export function appealDeadlineOf(rulesOnPaymentDate: readonly PayerRule[], paymentDate: IsoDate): IsoDate {
  return appealDeadline(rulesOnPaymentDate, paymentDate)?.deadline ?? addDays(paymentDate, DEFAULT_APPEAL_WINDOW_DAYS);
}

/**
 * The last day to (re)file a claim, from its earliest date of service and the timely-filing rule in
 * effect on that date (the payer's own before the every-payer rule, the highest version first).
 * A claim the payer adjudicated is refiled as a replacement (frequency 7), so a rule's
 * `correctedClaimDays` applies when it has one. Undefined when the claim has no date at all.
 */
export function timelyFilingDeadlineOf(rulesOnServiceDate: readonly PayerRule[], claim: Claim): IsoDate | undefined {
  const earliest = earliestServiceDateOf(claim);
  if (earliest === undefined) return undefined;
  let chosen: PayerRuleOf<'timely-filing'> | undefined;
  for (const rule of rulesOnServiceDate) {
    if (rule.kind !== 'timely-filing' || !isWithin(earliest, rule.effective)) continue;
    if (!chosen || preferred(rule, chosen)) chosen = rule;
  }
  const days = chosen ? (chosen.params.correctedClaimDays ?? chosen.params.days) : DEFAULT_TIMELY_FILING_DAYS;
  return addDays(earliest, days);
}

function preferred(candidate: PayerRule, current: PayerRule): boolean {
  const candidateOwn = candidate.payer !== EVERY_PAYER_ID;
  const currentOwn = current.payer !== EVERY_PAYER_ID;
  if (candidateOwn !== currentOwn) return candidateOwn;
  return candidate.version > current.version;
}
