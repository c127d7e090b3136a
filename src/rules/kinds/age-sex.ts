/**
 * Age and sex edits: a procedure or diagnosis that fits only some ages (whole years on the date of
 * service, from the patient's DMG02 birth date) or one sex (DMG03). Messages name the code and the
 * range, never the patient's age, birth date or sex. A patient without a birth date, or with sex U,
 * is not judged here (a required-data rule can demand them).
 */
import type { IsoDate } from '../../../schemas/common.schema.ts';
import { AgeSexParamsSchema, type AgeSexEdit } from '../../../schemas/payer-rule.schema.ts';
import { ageInYears } from './dates.ts';
import type { ClaimReview } from './claim-review.ts';
import { CodePatternSet, type FindingSink, type RuleKindModule } from './rule-kind.ts';

interface CompiledEdit {
  edit: AgeSexEdit;
  procedures?: CodePatternSet;
  diagnoses?: CodePatternSet;
}

type Outcome = { ok: true } | { ok: false; reason: 'age' | 'sex' };

function judge(edit: AgeSexEdit, review: ClaimReview, date: IsoDate | undefined): Outcome {
  const { patient } = review.claim;
  if ((edit.minAge !== undefined || edit.maxAge !== undefined) && patient.birthDate !== undefined && date !== undefined) {
    const age = ageInYears(patient.birthDate, date);
    if ((edit.minAge !== undefined && age < edit.minAge) || (edit.maxAge !== undefined && age > edit.maxAge)) return { ok: false, reason: 'age' };
  }
  if (edit.sex !== undefined && (patient.sex === 'F' || patient.sex === 'M') && patient.sex !== edit.sex) return { ok: false, reason: 'sex' };
  return { ok: true };
}

function describeLimit(edit: AgeSexEdit, reason: 'age' | 'sex'): string {
  if (reason === 'sex') return `is for ${edit.sex === 'F' ? 'female' : 'male'} patients only, and the patient's sex (DMG03) differs`;
  const range =
    edit.minAge !== undefined && edit.maxAge !== undefined
      ? `aged ${edit.minAge} to ${edit.maxAge}`
      : edit.minAge !== undefined
        ? `aged ${edit.minAge} or older`
        : `aged ${edit.maxAge} or younger`;
  return `is for patients ${range} on the date of service, and the patient's age (from DMG02) is outside it`;
}

export const ageSexKind: RuleKindModule<'age-sex', CompiledEdit[]> = {
  kind: 'age-sex',
  paramsSchema: AgeSexParamsSchema,
  defaultQueue: () => 'clinical',
  compile: (rule) =>
    rule.params.edits.map((edit) => ({
      edit,
      procedures: edit.procedures ? new CodePatternSet(edit.procedures) : undefined,
      diagnoses: edit.diagnoses ? new CodePatternSet(edit.diagnoses) : undefined,
    })),
  evaluate(edits, review, lines, report: FindingSink) {
    for (const { edit, procedures, diagnoses } of edits) {
      if (procedures) {
        for (const line of lines) {
          if (line.code === undefined || !procedures.has(line.code)) continue;
          const outcome = judge(edit, review, line.date);
          if (outcome.ok) continue;
          report({
            message: `Procedure ${line.code} ${describeLimit(edit, outcome.reason)}`,
            line,
            location: review.lineSource(line, 'procedure.code'),
            carc: outcome.reason === 'age' ? '6' : '7',
          });
        }
      }
      if (diagnoses) {
        // Diagnoses are the claim's: judged on the first in-effect date of service (inpatient: discharge).
        if (lines.length === 0) continue;
        const date = review.dischargeDate ?? lines.find((l) => l.date !== undefined)?.date;
        review.claim.diagnoses.forEach((diagnosis, index) => {
          const code = diagnosis.code.replace('.', '').toUpperCase();
          if (!diagnoses.has(code)) return;
          const outcome = judge(edit, review, date);
          if (outcome.ok) return;
          report({
            message: `Diagnosis ${code} ${describeLimit(edit, outcome.reason)}`,
            location: review.claimSource(`diagnoses.${index}.code`),
            carc: outcome.reason === 'age' ? '9' : '10',
          });
        });
      }
    }
  },
};
