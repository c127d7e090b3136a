/**
 * Frequency limits: at most N services of a code (or of a group of codes counted together) per patient
 * in a period — the date of service, its calendar month or year, or a rolling number of days ending on
 * it. Earlier claims come from the claim-history port; this claim's own lines count too, in date order,
 * so the line that goes over the limit is the one reported.
 */
import type { IsoDate } from '../../../schemas/common.schema.ts';
import { FrequencyLimitParamsSchema, type FrequencyLimit, type FrequencyPeriod } from '../../../schemas/payer-rule.schema.ts';
import { addDays, fromDayNumber, dayNumber } from './dates.ts';
import type { LineReview } from './claim-review.ts';
import type { RuleKindModule } from './rule-kind.ts';

interface CompiledLimit {
  limit: FrequencyLimit;
  codes: ReadonlySet<string>;
}

/** The period holding `date`: the days whose services count with it. */
export function periodOf(date: IsoDate, period: FrequencyPeriod): { from: IsoDate; to: IsoDate } {
  if (period === 'date-of-service') return { from: date, to: date };
  if (period === 'calendar-year') return { from: `${date.slice(0, 4)}-01-01`, to: `${date.slice(0, 4)}-12-31` };
  if (period === 'calendar-month') {
    const year = Number(date.slice(0, 4));
    const month = Number(date.slice(5, 7));
    const firstOfNext = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
    return { from: `${date.slice(0, 7)}-01`, to: fromDayNumber(dayNumber(firstOfNext) - 1) };
  }
  return { from: addDays(date, -(period.rollingDays - 1)), to: date };
}

function describePeriod(period: FrequencyPeriod): string {
  if (period === 'date-of-service') return 'per date of service';
  if (period === 'calendar-month') return 'per calendar month';
  if (period === 'calendar-year') return 'per calendar year';
  return `in any ${period.rollingDays} days`;
}

export const frequencyLimitKind: RuleKindModule<'frequency-limit', CompiledLimit[]> = {
  kind: 'frequency-limit',
  paramsSchema: FrequencyLimitParamsSchema,
  defaultQueue: () => 'clinical',
  compile: (rule) => rule.params.limits.map((limit) => ({ limit, codes: new Set(limit.procedures) })),
  async evaluate(limits, review, lines, report) {
    for (const { limit, codes } of limits) {
      const matching = lines
        .filter((line): line is LineReview & { code: string; date: IsoDate } => line.code !== undefined && line.date !== undefined && codes.has(line.code))
        .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : (a.lineNumber ?? 0) - (b.lineNumber ?? 0)));
      if (matching.length === 0) continue;
      const count = (line: LineReview): number => (limit.countUnits ? line.units : 1);
      const key = review.patientKey();
      for (let i = 0; i < matching.length; i++) {
        const line = matching[i]!;
        const { from, to } = periodOf(line.date, limit.period);
        let total = count(line);
        for (let j = 0; j < i; j++) {
          const earlier = matching[j]!;
          if (from <= earlier.date && earlier.date <= to) total += count(earlier);
        }
        for (const code of codes) {
          for (const service of await review.history.servicesFor(key, code, from, to, review.claimId)) {
            total += limit.countUnits ? service.units : 1;
          }
        }
        if (total <= limit.max) continue;
        report({
          message: `Procedure ${line.code} is over its frequency limit of ${limit.max} ${limit.countUnits ? 'units' : 'services'} ${describePeriod(limit.period)} for the patient${codes.size > 1 ? ` (counted with ${[...codes].filter((c) => c !== line.code).join(', ')})` : ''}`,
          line,
          location: review.lineSource(line, 'procedure.code'),
          carc: '119',
        });
      }
    }
  },
};
