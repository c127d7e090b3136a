/**
 * Appeal windows: how many days after a remittance a payer accepts an appeal. Not a claim edit — the
 * scrubber skips it; the worklist uses {@link appealDeadline} to date denial work items.
 */
import type { IsoDate } from '../../../schemas/common.schema.ts';
import { AppealWindowParamsSchema, EVERY_PAYER_ID, type PayerRule, type PayerRuleOf } from '../../../schemas/payer-rule.schema.ts';
import { addDays, isWithin } from './dates.ts';
import type { RuleKindModule } from './rule-kind.ts';

export interface AppealDeadline {
  /** The last day an appeal is accepted. */
  deadline: IsoDate;
  days: number;
  ruleId: string;
}

/**
 * The appeal deadline of a remittance dated `remitDate`, from the appeal-window rule among `rules` in
 * effect on that date — the payer's own before the every-payer rule, the highest version first;
 * undefined when there is none.
 *
 * @example
 * appealDeadline(await store.rulesInEffect('TESTHMO01', '2026-04-10'), '2026-04-10'); // { deadline: '2026-06-09', days: 60, … }
 */
export function appealDeadline(rules: readonly PayerRule[], remitDate: IsoDate): AppealDeadline | undefined {
  let chosen: PayerRuleOf<'appeal-window'> | undefined;
  for (const rule of rules) {
    if (rule.kind !== 'appeal-window' || !isWithin(remitDate, rule.effective)) continue;
    if (!chosen || preferred(rule, chosen)) chosen = rule;
  }
  if (!chosen) return undefined;
  return { deadline: addDays(remitDate, chosen.params.days), days: chosen.params.days, ruleId: chosen.id };
}

function preferred(candidate: PayerRule, current: PayerRule): boolean {
  const candidateOwn = candidate.payer !== EVERY_PAYER_ID;
  const currentOwn = current.payer !== EVERY_PAYER_ID;
  if (candidateOwn !== currentOwn) return candidateOwn;
  return candidate.version > current.version;
}

export const appealWindowKind: RuleKindModule<'appeal-window', undefined> = {
  kind: 'appeal-window',
  paramsSchema: AppealWindowParamsSchema,
  defaultQueue: () => 'billing',
  notAClaimEdit: true,
  compile: () => undefined,
  evaluate: () => undefined,
};
