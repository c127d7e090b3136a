/**
 * Fee schedules: the allowed amount a payer is expected to pay per unit of a code (and modifiers). Not
 * a claim edit — the scrubber skips it; posting compares an 835's allowed amount (paid + patient
 * responsibility, or AMT*B6) with {@link expectedAllowed} to find underpayments.
 */
import type { Cents, IsoDate } from '../../../schemas/common.schema.ts';
import { EVERY_PAYER_ID, FeeScheduleParamsSchema, type PayerRule, type PayerRuleOf } from '../../../schemas/payer-rule.schema.ts';
import { isWithin } from './dates.ts';
import type { RuleKindModule } from './rule-kind.ts';

interface FeeEntry {
  modifiers: ReadonlySet<string>;
  allowed: Cents;
}

/** Entries by code, most modifiers first, so the first entry that fits is the most specific. */
type FeeIndex = Map<string, FeeEntry[]>;

/** What a fee schedule says about one service. */
export interface ExpectedAllowed {
  /** Expected allowed amount per unit, in cents. */
  perUnit: Cents;
  /** `perUnit` × units, rounded to the cent. */
  total: Cents;
  ruleId: string;
  /** The modifiers of the entry that applied (empty for the code's base rate). */
  modifiers: string[];
}

function indexFees(rule: PayerRuleOf<'fee-schedule'>): FeeIndex {
  const index: FeeIndex = new Map();
  for (const entry of rule.params.entries) {
    const list = index.get(entry.code) ?? [];
    list.push({ modifiers: new Set(entry.modifiers ?? []), allowed: entry.allowed });
    index.set(entry.code, list);
  }
  for (const list of index.values()) list.sort((a, b) => b.modifiers.size - a.modifiers.size);
  return index;
}

/** The most specific entry whose modifiers the line all carries (the base rate has none). */
function entryFor(index: FeeIndex, code: string, modifiers: readonly string[]): FeeEntry | undefined {
  const carried = new Set(modifiers.map((m) => m.toUpperCase()));
  return index.get(code.toUpperCase())?.find((entry) => [...entry.modifiers].every((m) => carried.has(m)));
}

/** Fee-schedule rules compiled once, answering for any service and date. */
export class FeeSchedule {
  private readonly compiled: { rule: PayerRuleOf<'fee-schedule'>; index: FeeIndex }[];

  /** `rules` may hold any kinds, payers and versions: fee-schedule rules are picked from them. */
  constructor(rules: readonly PayerRule[]) {
    const fees = rules.filter((rule): rule is PayerRuleOf<'fee-schedule'> => rule.kind === 'fee-schedule');
    // A payer's own schedule before the every-payer one; newer versions first.
    fees.sort((a, b) => Number(a.payer === EVERY_PAYER_ID) - Number(b.payer === EVERY_PAYER_ID) || b.version - a.version);
    this.compiled = fees.map((rule) => ({ rule, index: indexFees(rule) }));
  }

  /**
   * The expected allowed amount of `units` of `code` with `modifiers` on `date`, from the first
   * schedule in effect that prices the code; undefined when none does.
   */
  expectedAllowed(code: string, modifiers: readonly string[], date: IsoDate, units = 1): ExpectedAllowed | undefined {
    for (const { rule, index } of this.compiled) {
      if (!isWithin(date, rule.effective)) continue;
      const entry = entryFor(index, code, modifiers);
      if (!entry) continue;
      return { perUnit: entry.allowed, total: Math.round(entry.allowed * units), ruleId: rule.id, modifiers: [...entry.modifiers] };
    }
    return undefined;
  }
}

const schedules = new WeakMap<readonly PayerRule[], FeeSchedule>();

/**
 * The expected allowed amount of a service under the fee-schedule rules among `rules` (the payer's and
 * `*`'s rules in effect, as the rule store returns them). The compiled schedule is kept per `rules`
 * array, so calling this for every line of a remittance compiles once.
 *
 * @example
 * expectedAllowed(await store.rulesInEffect('TESTPPO01', '2026-03-02'), 'J1100', [], '2026-03-02', 4);
 */
export function expectedAllowed(rules: readonly PayerRule[], code: string, modifiers: readonly string[], date: IsoDate, units = 1): ExpectedAllowed | undefined {
  let schedule = schedules.get(rules);
  if (!schedule) schedules.set(rules, (schedule = new FeeSchedule(rules)));
  return schedule.expectedAllowed(code, modifiers, date, units);
}

export const feeScheduleKind: RuleKindModule<'fee-schedule', undefined> = {
  kind: 'fee-schedule',
  paramsSchema: FeeScheduleParamsSchema,
  defaultQueue: () => 'exceptions',
  notAClaimEdit: true,
  compile: () => undefined,
  evaluate: () => undefined,
};
