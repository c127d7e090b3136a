/**
 * What a rule kind is: its params schema, its default work queue, how one rule document is compiled
 * (its params indexed once: maps by code), and how a compiled rule evaluates a claim. Adding a kind is
 * one module exporting a {@link RuleKindModule} and one line in `index.ts`.
 */
import type { z } from 'zod';
import type { SourceRef } from '../../../schemas/common.schema.ts';
import type { FindingSeverity, WorkQueue } from '../../../schemas/finding.schema.ts';
import type { PayerRule, PayerRuleOf, RuleKind, RuleParamsOf } from '../../../schemas/payer-rule.schema.ts';
import type { ClaimReview, LineReview } from './claim-review.ts';

/** One finding as a kind reports it; the scrubber adds the rule's id, kind, severity, queue and claim. */
export interface RuleFindingInput {
  /** The kind's message: what is wrong, naming codes and modifiers, never a person's data. */
  message: string;
  /** The line concerned. */
  line?: LineReview;
  location?: SourceRef;
  /** The CARC a payer would deny with; the rule's `preventsCarc` wins over it. */
  carc?: string;
  /**
   * An engine warning (a code set out of date) rather than the rule's edit: its severity is `warn`
   * whatever the rule says, and the rule's own `message` does not replace it.
   */
  engineWarning?: boolean;
}

/** Where a kind reports its findings. */
export type FindingSink = (finding: RuleFindingInput) => void;

/** A rule kind. `Compiled` is whatever the kind prepares from one rule (indexes, sets). */
export interface RuleKindModule<Kind extends RuleKind, Compiled> {
  readonly kind: Kind;
  readonly paramsSchema: z.ZodType<RuleParamsOf<Kind>>;
  /** The work queue of the kind's findings when the rule names none. */
  defaultQueue(rule: PayerRuleOf<Kind>): WorkQueue;
  /** Index the rule's params; called once per rule set, never per claim. */
  compile(rule: PayerRuleOf<Kind>): Compiled;
  /**
   * Report the claim's findings. `lines` are the claim's lines whose date of service is within the
   * rule's effective range; a kind judging the claim as a whole uses `review`.
   */
  evaluate(compiled: Compiled, review: ClaimReview, lines: readonly LineReview[], report: FindingSink): void | Promise<void>;
  /**
   * For kinds that are not claim edits (fee schedule, appeal window): the scrubber skips them; their
   * module exports the look-up other parts of the system use.
   */
  readonly notAClaimEdit?: boolean;
}

/** A rule compiled by its kind, ready to evaluate claims. */
export interface CompiledRule {
  rule: PayerRule;
  queue: WorkQueue;
  severity: FindingSeverity;
  notAClaimEdit: boolean;
  evaluate(review: ClaimReview, lines: readonly LineReview[], report: FindingSink): void | Promise<void>;
}

/** A kind with its types erased, as the registry holds it. */
export interface RegisteredKind {
  readonly kind: RuleKind;
  readonly paramsSchema: z.ZodType;
  compile(rule: PayerRule): CompiledRule;
}

/** Erase a kind's compiled type behind a closure, so the registry is one homogeneous table. */
export function registerKind<Kind extends RuleKind, Compiled>(module: RuleKindModule<Kind, Compiled>): RegisteredKind {
  return {
    kind: module.kind,
    paramsSchema: module.paramsSchema,
    compile(rule) {
      if (rule.kind !== module.kind) throw new TypeError(`rule kind ${rule.kind} compiled by the ${module.kind} module`);
      // Checked just above: the discriminant names this module's kind.
      const typed = rule as PayerRuleOf<Kind>;
      const compiled = module.compile(typed);
      return {
        rule,
        queue: rule.queue ?? module.defaultQueue(typed),
        severity: rule.severity,
        notAClaimEdit: module.notAClaimEdit === true,
        evaluate: (review, lines, report) => module.evaluate(compiled, review, lines, report),
      };
    },
  };
}

/**
 * A set of codes and prefixes (`E11*`) with a look-up that costs one hash per prefix length in use, not
 * one comparison per pattern.
 */
export class CodePatternSet {
  private readonly exact = new Set<string>();
  private readonly prefixes = new Set<string>();
  private readonly prefixLengths: number[] = [];

  constructor(patterns: readonly string[]) {
    const lengths = new Set<number>();
    for (const pattern of patterns) {
      if (pattern.endsWith('*')) {
        const prefix = pattern.slice(0, -1);
        this.prefixes.add(prefix);
        lengths.add(prefix.length);
      } else {
        this.exact.add(pattern);
      }
    }
    this.prefixLengths = [...lengths].sort((a, b) => a - b);
  }

  has(code: string): boolean {
    if (this.exact.has(code)) return true;
    for (const length of this.prefixLengths) {
      if (length > code.length) break;
      if (this.prefixes.has(code.slice(0, length))) return true;
    }
    return false;
  }
}
