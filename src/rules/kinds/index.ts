/**
 * The rule kinds, one module each. Adding a kind: a params schema and rule schema in
 * `schemas/payer-rule.schema.ts`, a module here exporting a `RuleKindModule`, and one line below.
 */
import type { RuleKind } from '../../../schemas/payer-rule.schema.ts';
import { ageSexKind } from './age-sex.ts';
import { appealWindowKind } from './appeal-window.ts';
import { codeSetValidityKind } from './code-set-validity.ts';
import { diagnosisRequirementKind } from './diagnosis-requirement.ts';
import { duplicateClaimKind } from './duplicate-claim.ts';
import { feeScheduleKind } from './fee-schedule.ts';
import { frequencyLimitKind } from './frequency-limit.ts';
import { npiCheckDigitKind } from './npi-check-digit.ts';
import { priorAuthorizationKind } from './prior-authorization.ts';
import { procedurePairKind } from './procedure-pair.ts';
import { registerKind, type RegisteredKind } from './rule-kind.ts';
import { requiredDataKind } from './required-data.ts';
import { timelyFilingKind } from './timely-filing.ts';
import { unitsLimitKind } from './units-limit.ts';

/** Every kind by name; the type makes a kind in the schema without a module a compile error. */
export const ruleKinds: { readonly [Kind in RuleKind]: RegisteredKind } = {
  'code-set-validity': registerKind(codeSetValidityKind),
  'npi-check-digit': registerKind(npiCheckDigitKind),
  'required-data': registerKind(requiredDataKind),
  'procedure-pair': registerKind(procedurePairKind),
  'units-limit': registerKind(unitsLimitKind),
  'age-sex': registerKind(ageSexKind),
  'diagnosis-requirement': registerKind(diagnosisRequirementKind),
  'prior-authorization': registerKind(priorAuthorizationKind),
  'timely-filing': registerKind(timelyFilingKind),
  'frequency-limit': registerKind(frequencyLimitKind),
  'duplicate-claim': registerKind(duplicateClaimKind),
  'fee-schedule': registerKind(feeScheduleKind),
  'appeal-window': registerKind(appealWindowKind),
};

export { appealDeadline, type AppealDeadline } from './appeal-window.ts';
export { expectedAllowed, FeeSchedule, type ExpectedAllowed } from './fee-schedule.ts';
