/**
 * Units limits, MUE-style (medically unlikely edits): the most units of a code a provider would report
 * for one patient — per line (MUE adjudication indicator 1) or per date of service, summed over the
 * claim's lines of that code and date (indicators 2 and 3). Other claims of the same date are not
 * added (the history port is not read here).
 */
import { UnitsLimitParamsSchema } from '../../../schemas/payer-rule.schema.ts';
import type { LineReview } from './claim-review.ts';
import type { RuleKindModule } from './rule-kind.ts';

interface Limit {
  maxUnits: number;
  per: 'line' | 'date-of-service';
}

interface CompiledUnitsLimits {
  /** By procedure code. */
  limits: Map<string, Limit>;
}

export const unitsLimitKind: RuleKindModule<'units-limit', CompiledUnitsLimits> = {
  kind: 'units-limit',
  paramsSchema: UnitsLimitParamsSchema,
  defaultQueue: () => 'coding',
  compile(rule) {
    const limits = new Map<string, Limit>();
    for (const limit of rule.params.limits) limits.set(limit.code, { maxUnits: limit.maxUnits, per: limit.per ?? rule.params.per ?? 'line' });
    return { limits };
  },
  evaluate({ limits }, review, lines, report) {
    const perDate = new Map<string, { code: string; total: number; limit: Limit; reported: boolean }>();
    for (const line of lines) {
      if (line.code === undefined) continue;
      const limit = limits.get(line.code);
      if (!limit) continue;
      const location = review.lineSource(line, 'units');
      if (limit.per === 'line') {
        if (line.units > limit.maxUnits) {
          report({ message: `Procedure ${line.code} is billed with more units on the line than the limit of ${limit.maxUnits}`, line, location, carc: '151' });
        }
        continue;
      }
      const key = `${line.code}\u0000${line.date ?? ''}`;
      const sum = perDate.get(key) ?? { code: line.code, total: 0, limit, reported: false };
      perDate.set(key, sum);
      sum.total += line.units;
      if (sum.total > limit.maxUnits && !sum.reported) {
        // Reported on the line that crosses the limit: the lines before it fit.
        sum.reported = true;
        report({ message: `Procedure ${line.code} is billed with more units on one date of service than the limit of ${limit.maxUnits}`, line, location, carc: '151' });
      }
    }
  },
};
