/**
 * Prior authorization: listed procedures need an authorization number — REF*G1 on the claim (2300) or
 * on the line (2400). A missing one is the payer's CARC 197 (precertification absent) waiting to happen.
 */
import { PriorAuthorizationParamsSchema } from '../../../schemas/payer-rule.schema.ts';
import { CodePatternSet, type RuleKindModule } from './rule-kind.ts';

export const priorAuthorizationKind: RuleKindModule<'prior-authorization', CodePatternSet> = {
  kind: 'prior-authorization',
  paramsSchema: PriorAuthorizationParamsSchema,
  defaultQueue: () => 'billing',
  compile: (rule) => new CodePatternSet(rule.params.procedures),
  evaluate(procedures, review, lines, report) {
    const claimAuthorization = review.claim.references.priorAuthorization;
    if (claimAuthorization !== undefined && claimAuthorization.trim() !== '') return;
    for (const line of lines) {
      if (line.code === undefined || !procedures.has(line.code)) continue;
      if (line.line.references.priorAuthorizations?.some((ref) => ref.value.trim() !== '')) continue;
      report({
        message: `Procedure ${line.code} needs prior authorization: no authorization number (REF*G1) on the claim or the line`,
        line,
        location: review.lineSource(line, 'procedure.code'),
        carc: '197',
      });
    }
  },
};
