/**
 * Timely filing: the payer must receive the claim within a number of days of the date of service —
 * counted from each line's first date of service (837I: the claim's statement through date, judged
 * once for the claim), to the receipt date the caller passes (the file's arrival; `claimpath check`
 * uses today unless told). Replacement and void claims (frequency 7, 8) may have their own limit.
 * Without a receipt date nothing is judged.
 */
import { TimelyFilingParamsSchema } from '../../../schemas/payer-rule.schema.ts';
import { addDays } from './dates.ts';
import type { RuleKindModule } from './rule-kind.ts';

interface CompiledTimelyFiling {
  days: number;
  correctedClaimDays?: number;
}

export const timelyFilingKind: RuleKindModule<'timely-filing', CompiledTimelyFiling> = {
  kind: 'timely-filing',
  paramsSchema: TimelyFilingParamsSchema,
  defaultQueue: () => 'billing',
  compile: (rule) => ({ days: rule.params.days, correctedClaimDays: rule.params.correctedClaimDays }),
  evaluate({ days, correctedClaimDays }, review, lines, report) {
    const receivedOn = review.receivedOn;
    if (receivedOn === undefined) return;
    const { claim } = review;
    const corrected = claim.frequency === '7' || claim.frequency === '8';
    const limit = corrected && correctedClaimDays !== undefined ? correctedClaimDays : days;
    const message = `Filed late: received more than ${limit} days after the date of service (the payer's filing limit)`;
    // 837I: the claim is judged as a whole on its statement's through date (one finding, on DTP*434).
    const statementThrough = claim.type === 'I' ? claim.dates.statement?.to : undefined;
    if (statementThrough !== undefined) {
      if (lines.length > 0 && receivedOn > addDays(statementThrough, limit)) report({ message, location: review.claimSource('dates.statement'), carc: '29' });
      return;
    }
    // 837P/837D: each line on its own (first) date of service, as CMS counts span dates (Pub. 100-04 ch. 1
    // §70.1); a payer denies the late lines and pays the others.
    for (const line of lines) {
      if (line.date === undefined || receivedOn <= addDays(line.date, limit)) continue;
      // No dates in the message: a date of service is PHI.
      report({ message, line, location: review.lineSource(line, 'dates.service'), carc: '29' });
    }
  },
};
