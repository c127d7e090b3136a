/**
 * A coder's corrections to a claim — the diagnoses in pointer order, and per line the procedure,
 * modifiers, units and diagnosis pointers — merged into a draft kept on the work item, applied to a copy
 * of the stored claim, and re-checked by the same scrubber and payer rules ingest used.
 *
 * The stored claim is never changed: it is what the payer was (or would have been) sent. The draft is
 * applied again whenever it is needed (the preview, the resubmission), so the two always agree.
 */
import type { Claim, Diagnosis } from '../../schemas/claim.schema.ts';
import type { IsoDate } from '../../schemas/common.schema.ts';
import type { Finding } from '../../schemas/finding.schema.ts';
import { EVERY_PAYER_ID } from '../../schemas/payer-rule.schema.ts';
import type { CorrectionRequest, FieldIssue, LineCorrection } from '../../schemas/worklist-api.schema.ts';
import { POINTED_DIAGNOSIS_KINDS } from '../claims/codes-837.ts';
import type { CodeSets } from '../rules/codesets/types.ts';
import { normalizeIcd10CmCode } from '../rules/codesets/index.ts';
import { InMemoryClaimHistory } from '../rules/history.ts';
import type { RuleStore } from '../rules/rule-store.ts';
import { compileRuleSet, scrub } from '../rules/scrub.ts';
import { WorklistRequestError } from './errors.ts';

/** The changes of a draft (what the coder asked for, merged over time). */
export interface ClaimCorrection {
  diagnoses?: string[];
  lines?: LineCorrection[];
}

/**
 * Diagnoses a claim may carry in its principal-and-other list, by claim type: one HI of 12 on 837P,
 * four on 837D (the guide's 2300 HI), the principal and 24 others on 837I.
 */
const MAX_POINTED_DIAGNOSES: Readonly<Record<Claim['type'], number>> = { P: 12, D: 4, I: 25 };

/** SV101-1 / SV301-1 qualifier of a procedure added where a line had none: HCPCS/CPT, or CDT on 837D. */
const PROCEDURE_QUALIFIER: Readonly<Record<Claim['type'], string>> = { P: 'HC', I: 'HC', D: 'AD' };

/** HI qualifiers of ICD-10-CM principal and other diagnoses. */
const PRINCIPAL_QUALIFIER = 'ABK';
const OTHER_QUALIFIER = 'ABF';

/**
 * The draft after `request`: diagnoses replaced when given; each line's fields replaced one by one,
 * lines kept in line order. Codes are normalized (no dot, upper case).
 */
export function mergeCorrection(previous: ClaimCorrection | undefined, request: CorrectionRequest): ClaimCorrection {
  const diagnoses = request.diagnoses?.map(normalizeIcd10CmCode) ?? previous?.diagnoses;
  const lines = new Map<number, LineCorrection>((previous?.lines ?? []).map((line) => [line.line, line]));
  for (const line of request.lines ?? []) {
    const normalized: LineCorrection = {
      ...line,
      ...(line.procedure !== undefined ? { procedure: line.procedure.toUpperCase() } : {}),
      ...(line.modifiers !== undefined ? { modifiers: line.modifiers.map((modifier) => modifier.toUpperCase()) } : {}),
    };
    lines.set(line.line, { ...lines.get(line.line), ...normalized });
  }
  const merged = [...lines.values()].sort((a, b) => a.line - b.line);
  return { ...(diagnoses !== undefined ? { diagnoses } : {}), ...(merged.length > 0 ? { lines: merged } : {}) };
}

/** What a draft changes, for the item's history: field names and line numbers, never codes. */
export function describeCorrection(correction: ClaimCorrection): string {
  const parts: string[] = [];
  if (correction.diagnoses !== undefined) parts.push('diagnoses');
  for (const line of correction.lines ?? []) {
    const fields = (['procedure', 'modifiers', 'units', 'diagnosisPointers'] as const).filter((field) => line[field] !== undefined);
    parts.push(`line ${line.line}: ${fields.join(', ')}`);
  }
  return parts.join('; ');
}

/**
 * A copy of `claim` with the correction applied. Throws {@link WorklistRequestError} when the draft
 * does not fit the claim: a line it does not have, a pointer past the corrected diagnoses, too many
 * diagnoses for the claim type.
 */
export function applyCorrection(claim: Claim, correction: ClaimCorrection): Claim {
  const corrected = structuredClone(claim);
  const issues: FieldIssue[] = [];

  if (correction.diagnoses !== undefined) {
    const limit = MAX_POINTED_DIAGNOSES[claim.type];
    if (correction.diagnoses.length > limit) issues.push({ path: 'diagnoses', message: `at most ${limit} diagnoses on this claim type` });
    // Present-on-admission indicators (837I) follow their code when the code stays on the claim.
    const previousByCode = new Map(claim.diagnoses.filter((d) => POINTED_DIAGNOSIS_KINDS.has(d.kind)).map((d) => [normalizeIcd10CmCode(d.code), d]));
    const pointed = correction.diagnoses.map((code, index): Diagnosis => {
      const presentOnAdmission = previousByCode.get(code)?.presentOnAdmission;
      return {
        kind: index === 0 ? 'principal' : 'other',
        qualifier: index === 0 ? PRINCIPAL_QUALIFIER : OTHER_QUALIFIER,
        code,
        ...(presentOnAdmission !== undefined ? { presentOnAdmission } : {}),
      };
    });
    corrected.diagnoses = [...pointed, ...claim.diagnoses.filter((d) => !POINTED_DIAGNOSIS_KINDS.has(d.kind))];
  }

  for (const change of correction.lines ?? []) {
    const line = corrected.lines.find((candidate) => candidate.lineNumber === change.line);
    if (!line) {
      issues.push({ path: 'lines', message: `line ${change.line}: the claim has no such line` });
      continue;
    }
    if (change.procedure !== undefined || change.modifiers !== undefined) {
      const procedure = line.procedure ?? { qualifier: PROCEDURE_QUALIFIER[claim.type], code: change.procedure ?? '' };
      if (change.procedure !== undefined) procedure.code = change.procedure;
      if (change.modifiers !== undefined) {
        if (change.modifiers.length > 0) procedure.modifiers = [...change.modifiers];
        else delete procedure.modifiers;
      }
      if (procedure.code === '') issues.push({ path: 'lines', message: `line ${change.line}: modifiers need a procedure code` });
      line.procedure = procedure;
    }
    if (change.units !== undefined) line.units = change.units;
    if (change.diagnosisPointers !== undefined) line.diagnosisPointers = [...change.diagnosisPointers];
  }

  // Every line's pointers (corrected or not) must name a diagnosis of the corrected list.
  const pointedCount = corrected.diagnoses.filter((d) => POINTED_DIAGNOSIS_KINDS.has(d.kind)).length;
  for (const line of corrected.lines) {
    if ((line.diagnosisPointers ?? []).some((pointer) => pointer > pointedCount)) {
      issues.push({ path: 'lines', message: `line ${line.lineNumber}: a diagnosis pointer is past the ${pointedCount} diagnoses of the corrected claim` });
    }
  }
  if (issues.length > 0) throw new WorklistRequestError(issues);
  return corrected;
}

/** What a re-scrub needs. */
export interface RescrubPorts {
  rules: RuleStore;
  codeSets: CodeSets;
}

/**
 * The findings of the scrubber on a (corrected) claim, with the rules ingest uses: the payer's and the
 * every-payer rules, each line judged by the version in effect on its date. `receivedOn` is the day the
 * payer would receive it now (timely filing); the claim history is empty — a store-backed history
 * (duplicates, frequency limits across claims) is not available to the worklist yet.
 */
export async function rescrub(claim: Claim, ports: RescrubPorts, context: { receivedOn: IsoDate; claimId: string }): Promise<Finding[]> {
  const payer = claim.payer.id;
  const [everyPayer, own] = await Promise.all([
    ports.rules.list({ payer: EVERY_PAYER_ID }),
    payer === undefined || payer === EVERY_PAYER_ID ? Promise.resolve([]) : ports.rules.list({ payer }),
  ]);
  return scrub(claim, compileRuleSet([...everyPayer, ...own]), ports.codeSets, new InMemoryClaimHistory(), context);
}
