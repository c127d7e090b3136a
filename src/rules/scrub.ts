/**
 * The scrubber (WEDI SNIP 4, 5 and 7): a claim, the payer rules, the code sets and the claim history
 * in; findings out. It writes nothing and logs nothing.
 *
 * Rule sets are compiled once ({@link compileRuleSet}): each rule's params indexed by its kind (maps by
 * code), rules grouped by payer and by rule id. A claim then costs one pass per rule over its own
 * lines, whatever the size of the tables behind the rules.
 *
 * The caller (the rule store) chooses the rules in effect for the payer; the scrubber still judges each
 * rule against the claim's own dates of service, line by line: a line is evaluated by the highest
 * version of a rule whose effective range holds its date, and by no version when none does (a rule that
 * ended the day before the date of service does not apply). A rule set may therefore hold several
 * payers and several versions: a claim sees its payer's rules and the every-payer (`*`) rules.
 */
import type { Claim } from '../../schemas/claim.schema.ts';
import type { IsoDate } from '../../schemas/common.schema.ts';
import type { Finding } from '../../schemas/finding.schema.ts';
import { EVERY_PAYER_ID, type PayerRule, type RuleKind } from '../../schemas/payer-rule.schema.ts';
import type { CodeSets } from './codesets/types.ts';
import { claimPositionKey, type ClaimHistory } from './history.ts';
import { reviewClaim, type ClaimReview, type LineReview } from './kinds/claim-review.ts';
import { ruleKinds } from './kinds/index.ts';
import type { CompiledRule, RuleFindingInput } from './kinds/rule-kind.ts';

/** What the scrubber needs to know beyond the claim. */
export interface ScrubContext {
  /** The payer's receipt date of the claim (timely filing); rules that need it do nothing without it. */
  receivedOn?: IsoDate;
  /** The claim's id in the history; {@link claimPositionKey} when absent. */
  claimId?: string;
}

/** The versions of one rule (same payer and id), highest version first. */
interface RuleVersions {
  versions: CompiledRule[];
}

/** A rule set compiled once for many claims. */
export interface CompiledRuleSet {
  /** Every compiled rule, in the order given. */
  readonly rules: readonly CompiledRule[];
  /** Compiled rules by kind. */
  readonly byKind: ReadonlyMap<RuleKind, readonly CompiledRule[]>;
  /** Claim edits by payer id (`*` included): the versions of each rule, highest first. */
  readonly byPayer: ReadonlyMap<string, readonly RuleVersions[]>;
}

/**
 * Compile rules (already validated by `parseRuleDocuments`) for {@link scrub}. Fee-schedule and
 * appeal-window rules are kept in `rules` and `byKind` but are not claim edits.
 *
 * @example
 * const ruleSet = compileRuleSet(await store.rulesInEffect(payer, dateOfService));
 * const findings = await scrub(claim, ruleSet, codeSets, history, { receivedOn: '2026-03-02' });
 */
export function compileRuleSet(rules: readonly PayerRule[]): CompiledRuleSet {
  const compiled = rules.map((rule) => ruleKinds[rule.kind].compile(rule));
  const byKind = new Map<RuleKind, CompiledRule[]>();
  const byRule = new Map<string, RuleVersions>();
  const byPayer = new Map<string, RuleVersions[]>();
  for (const rule of compiled) {
    const ofKind = byKind.get(rule.rule.kind);
    if (ofKind) ofKind.push(rule);
    else byKind.set(rule.rule.kind, [rule]);
    if (rule.notAClaimEdit) continue;
    const key = `${rule.rule.payer}\u0000${rule.rule.id}`;
    let versions = byRule.get(key);
    if (!versions) {
      versions = { versions: [] };
      byRule.set(key, versions);
      const ofPayer = byPayer.get(rule.rule.payer);
      if (ofPayer) ofPayer.push(versions);
      else byPayer.set(rule.rule.payer, [versions]);
    }
    versions.versions.push(rule);
  }
  for (const versions of byRule.values()) versions.versions.sort((a, b) => b.rule.version - a.rule.version);
  return { rules: compiled, byKind, byPayer };
}

/**
 * The findings of the rules in `ruleSet` on `claim`: the payer's rules (2010BB NM109) and the
 * every-payer rules, each line judged by the version of each rule in effect on its date of service.
 * Findings are ordered claim-level first, then by line; a `reject` finding holds the claim.
 */
export async function scrub(claim: Claim, ruleSet: CompiledRuleSet, codeSets: CodeSets, history: ClaimHistory, context: ScrubContext = {}): Promise<Finding[]> {
  const groups = [...(ruleSet.byPayer.get(EVERY_PAYER_ID) ?? []), ...(claim.payer.id !== undefined && claim.payer.id !== EVERY_PAYER_ID ? (ruleSet.byPayer.get(claim.payer.id) ?? []) : [])];
  if (groups.length === 0) return [];
  const review = reviewClaim(claim, codeSets, history, { receivedOn: context.receivedOn, claimId: context.claimId ?? claimPositionKey(claim) });
  const findings: Finding[] = [];
  for (const group of groups) {
    for (const [rule, lines] of assignLines(group, review)) {
      const report = (input: RuleFindingInput): void => void findings.push(toFinding(rule, claim, input));
      try {
        const pending = rule.evaluate(review, lines, report);
        if (pending) await pending;
      } catch (error) {
        // A failing rule must not lose the claim or the other rules' findings; say which rule, not why
        // (an exception's message could quote claim data).
        findings.push({
          origin: 'rule',
          code: rule.rule.kind,
          ruleId: rule.rule.id,
          severity: 'warn',
          message: `The rule could not be evaluated (${error instanceof Error ? error.name : 'error'}); report it to the rules maintainer`,
          claimRef: claim.patientControlNumber,
          queue: 'exceptions',
        });
      }
    }
  }
  return findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** True when any finding holds the claim (a `reject`). */
export function holdsClaim(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.severity === 'reject');
}

/**
 * Which version of a rule judges which lines: each line goes to the highest version in effect on its
 * date (lines without a date to the highest version in effect on any of the claim's dates). A version
 * with no lines still judges the claim as a whole when it is the one in effect on the claim's first
 * date of service — or when the claim has no dates at all, the highest version.
 */
function assignLines(group: RuleVersions, review: ClaimReview): [CompiledRule, LineReview[]][] {
  const assigned = new Map<CompiledRule, LineReview[]>();
  const inEffectOn = (date: IsoDate): CompiledRule | undefined =>
    group.versions.find((v) => v.rule.effective.from <= date && (v.rule.effective.to === undefined || date <= v.rule.effective.to));
  const claimDate = review.serviceDates[0];
  const claimLevel = claimDate === undefined ? group.versions[0] : inEffectOn(claimDate);
  if (claimLevel) assigned.set(claimLevel, []);
  for (const line of review.lines) {
    const version = line.date !== undefined ? inEffectOn(line.date) : claimLevel;
    if (!version) continue;
    const lines = assigned.get(version);
    if (lines) lines.push(line);
    else assigned.set(version, [line]);
  }
  return [...assigned];
}

function toFinding(compiled: CompiledRule, claim: Claim, input: RuleFindingInput): Finding {
  const { rule } = compiled;
  const finding: Finding = {
    origin: 'rule',
    code: rule.kind,
    ruleId: rule.id,
    severity: input.engineWarning ? 'warn' : compiled.severity,
    message: input.engineWarning ? input.message : (rule.message ?? input.message),
    claimRef: claim.patientControlNumber,
    queue: compiled.queue,
  };
  if (input.line?.lineNumber !== undefined) finding.line = input.line.lineNumber;
  if (input.location) finding.location = input.location;
  const carc = input.engineWarning ? undefined : (rule.preventsCarc ?? input.carc);
  if (carc !== undefined) finding.preventsCarc = carc;
  return finding;
}
