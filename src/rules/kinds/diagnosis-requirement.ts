/**
 * Diagnosis requirements, LCD-style: a procedure is covered only with one of the listed diagnoses among
 * those its line points at (SV107 / SV311 pointers into the principal and other diagnoses; an 837I
 * line, which has no pointers, is judged against every principal and other diagnosis). By default a
 * medical-necessity edit for the clinical queue; `medicalNecessity: false` makes it a coding edit.
 */
import { DiagnosisRequirementParamsSchema } from '../../../schemas/payer-rule.schema.ts';
import type { ClaimReview, LineReview } from './claim-review.ts';
import { CodePatternSet, type RuleKindModule } from './rule-kind.ts';

interface CompiledRequirement {
  procedures: CodePatternSet;
  diagnoses: CodePatternSet;
  /** The first few accepted diagnoses, to name in the message. */
  examples: string;
}

interface CompiledDiagnosisRequirements {
  requirements: CompiledRequirement[];
  medicalNecessity: boolean;
}

/** The diagnosis codes a line points at; every principal and other diagnosis when it has no pointers. */
function diagnosesOf(review: ClaimReview, line: LineReview): string[] {
  const pointers = line.line.diagnosisPointers;
  if (!pointers || pointers.length === 0) return review.pointable.map((d) => d.code);
  const codes: string[] = [];
  for (const pointer of pointers) {
    const entry = review.pointable[pointer - 1];
    if (entry) codes.push(entry.code);
  }
  return codes;
}

export const diagnosisRequirementKind: RuleKindModule<'diagnosis-requirement', CompiledDiagnosisRequirements> = {
  kind: 'diagnosis-requirement',
  paramsSchema: DiagnosisRequirementParamsSchema,
  defaultQueue: (rule) => (rule.params.medicalNecessity === false ? 'coding' : 'clinical'),
  compile: (rule) => ({
    medicalNecessity: rule.params.medicalNecessity !== false,
    requirements: rule.params.requirements.map((requirement) => ({
      procedures: new CodePatternSet(requirement.procedures),
      diagnoses: new CodePatternSet(requirement.diagnoses),
      examples: requirement.diagnoses.slice(0, 5).join(', ') + (requirement.diagnoses.length > 5 ? ' …' : ''),
    })),
  }),
  evaluate({ requirements, medicalNecessity }, review, lines, report) {
    for (const line of lines) {
      if (line.code === undefined) continue;
      for (const requirement of requirements) {
        if (!requirement.procedures.has(line.code)) continue;
        if (diagnosesOf(review, line).some((code) => requirement.diagnoses.has(code))) continue;
        report({
          message: `Procedure ${line.code} needs a supporting diagnosis among those the line points at (one of ${requirement.examples})`,
          line,
          location: review.lineSource(line, line.line.diagnosisPointers?.length ? 'diagnosisPointers.0' : 'procedure.code'),
          carc: medicalNecessity ? '50' : '11',
        });
        break;
      }
    }
  },
};
