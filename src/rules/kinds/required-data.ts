/**
 * Required data per payer: fields a payer wants that the implementation guide leaves situational —
 * `references.priorAuthorization`, `patient.birthDate`, `lines[].dates.service` … A path through
 * `lines[]` is checked line by line (one finding per line lacking it); other array steps (`providers[]`)
 * require the field on every element and at least one element.
 */
import type { Claim, ClaimType } from '../../../schemas/claim.schema.ts';
import { RequiredDataParamsSchema } from '../../../schemas/payer-rule.schema.ts';
import type { ClaimReview, LineReview } from './claim-review.ts';
import type { RuleKindModule } from './rule-kind.ts';

interface RequiredPath {
  label: string;
  /** The path as written, for `sources` look-ups of claim-level fields. */
  path: string;
  /** Steps below a line when the path starts with `lines[]`; undefined for claim-level paths. */
  lineSteps?: readonly PathStep[];
  claimSteps: readonly PathStep[];
}

interface PathStep {
  key: string;
  eachElement: boolean;
}

interface CompiledRequiredData {
  paths: readonly RequiredPath[];
  claimTypes?: ReadonlySet<ClaimType>;
}

function parseSteps(path: string): PathStep[] {
  return path.split('.').map((step) => (step.endsWith('[]') ? { key: step.slice(0, -2), eachElement: true } : { key: step, eachElement: false }));
}

/** A value counts as present when it is not undefined, not blank and not an empty list. */
function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** True when every branch of `steps` from `value` ends on a present value. */
function hasField(value: unknown, steps: readonly PathStep[], from = 0): boolean {
  if (from === steps.length) return isPresent(value);
  if (typeof value !== 'object' || value === null) return false;
  const step = steps[from]!;
  const next = (value as Record<string, unknown>)[step.key];
  if (!step.eachElement) return hasField(next, steps, from + 1);
  if (!Array.isArray(next) || next.length === 0) return false;
  return next.every((element) => hasField(element, steps, from + 1));
}

export const requiredDataKind: RuleKindModule<'required-data', CompiledRequiredData> = {
  kind: 'required-data',
  paramsSchema: RequiredDataParamsSchema,
  defaultQueue: () => 'billing',
  compile: (rule) => ({
    claimTypes: rule.params.claimTypes ? new Set(rule.params.claimTypes) : undefined,
    paths: rule.params.fields.map((field) => {
      const steps = parseSteps(field.path);
      const overLines = steps[0]!.key === 'lines' && steps[0]!.eachElement;
      return { label: field.label ?? field.path, path: field.path, claimSteps: steps, lineSteps: overLines ? steps.slice(1) : undefined };
    }),
  }),
  evaluate({ paths, claimTypes }, review: ClaimReview, lines: readonly LineReview[], report) {
    const claim: Claim = review.claim;
    if (claimTypes && !claimTypes.has(claim.type)) return;
    for (const required of paths) {
      if (required.lineSteps) {
        for (const line of lines) {
          if (!hasField(line.line, required.lineSteps)) {
            report({ message: `The line lacks ${required.label}, which this payer requires`, line, location: review.lineSource(line, 'lineNumber'), carc: '16' });
          }
        }
      } else if (!hasField(claim, required.claimSteps)) {
        report({ message: `The claim lacks ${required.label}, which this payer requires`, location: review.claimSource('patientControlNumber'), carc: '16' });
      }
    }
  },
};
