/**
 * Code-set validity (WEDI SNIP 5): the codes on a claim exist and are valid on its dates of service.
 *
 * - ICD-10-CM (HI ABK/ABF/ABJ/APR/ABN): billable in the fiscal year of the date of service — each
 *   diagnosis on the dates of the lines that point at it; for inpatient 837I claims on the discharge
 *   date (the ICD-10-CM guidelines and CMS code-version rule for inpatient stays).
 * - Procedures: HCPCS Level II (a letter A–V and four digits) active on the line's date; CPT (AMA) and
 *   CDT (ADA) are licensed, so only their format is checked.
 * - Modifiers: HCPCS Level II modifiers active on the line's date; two-digit CPT modifiers by format.
 * - Place of service (837P/837D claim and lines) in the CMS list; 837I revenue codes (four digits)
 *   and type of bill — NUBC values are licensed: format only.
 *
 * A date beyond a code set's coverage never rejects: it gives one warning per code set per claim that
 * the code set may be out of date.
 */
import type { IsoDate } from '../../../schemas/common.schema.ts';
import { CodeSetValidityParamsSchema, type CodeSetCheck } from '../../../schemas/payer-rule.schema.ts';
import { isCdtFormat, isCptFormat, isCptModifierFormat, isHcpcsLevel2Format, isRevenueCodeFormat, isTypeOfBillFormat } from '../codesets/formats.ts';
import type { ClaimReview, LineReview } from './claim-review.ts';
import type { FindingSink, RuleKindModule } from './rule-kind.ts';

interface CompiledCodeSetValidity {
  checks: ReadonlySet<CodeSetCheck>;
}

const ALL_CHECKS: readonly CodeSetCheck[] = ['diagnoses', 'procedures', 'modifiers', 'place-of-service', 'revenue-codes', 'type-of-bill'];

/** HI qualifiers of ICD-10-CM diagnoses (the ICD-9 forms BK, BF … cannot be checked against ICD-10-CM). */
const ICD10_DIAGNOSIS_QUALIFIERS = new Set(['ABK', 'ABF', 'ABJ', 'APR', 'ABN']);


type CodeSetName = 'ICD-10-CM' | 'HCPCS Level II' | 'HCPCS modifier';

/** One out-of-date warning per code set per claim. */
class OutOfRangeWarnings {
  private readonly warned = new Set<CodeSetName>();
  constructor(private readonly report: FindingSink) {}

  warn(codeSet: CodeSetName, coverage: { from: IsoDate; to: IsoDate }, where: Parameters<FindingSink>[0]['location'], line?: LineReview): void {
    if (this.warned.has(codeSet)) return;
    this.warned.add(codeSet);
    this.report({
      message: `A date of service is outside the ${codeSet} code set loaded (${coverage.from} to ${coverage.to}): the code set may be out of date; codes were not rejected on it`,
      location: where,
      line,
      engineWarning: true,
    });
  }
}

function checkDiagnoses(review: ClaimReview, lines: readonly LineReview[], report: FindingSink, outOfRange: OutOfRangeWarnings): void {
  const { icd10cm } = review.codeSets;
  const inEffect = new Set(lines);
  review.pointable.forEach((entry, pointableIndex) => checkDiagnosis(entry.index, entry.code, entry.diagnosis.qualifier, review.linesPointingAt(pointableIndex)));
  // Admitting, reason-for-visit and external-cause codes are named by no pointer: judged on every line's date.
  review.claim.diagnoses.forEach((diagnosis, index) => {
    if (diagnosis.kind !== 'principal' && diagnosis.kind !== 'other') checkDiagnosis(index, diagnosis.code.replace('.', '').toUpperCase(), diagnosis.qualifier, review.lines);
  });

  function checkDiagnosis(index: number, code: string, qualifier: string, pointing: readonly LineReview[]): void {
    if (!ICD10_DIAGNOSIS_QUALIFIERS.has(qualifier)) return;
    const dates = new Set<IsoDate>();
    if (review.dischargeDate !== undefined) dates.add(review.dischargeDate);
    else {
      // A diagnosis no line points at still has to be valid: judge it on every line's date.
      for (const line of pointing.length > 0 ? pointing : review.lines) if (inEffect.has(line) && line.date !== undefined) dates.add(line.date);
    }
    const location = review.claimSource(`diagnoses.${index}.code`);
    for (const date of dates) {
      const found = icd10cm.lookup(code, date);
      if (found.outOfRange) {
        if (found.status !== 'billable') outOfRange.warn('ICD-10-CM', icd10cm.coverage, location);
        continue;
      }
      const fiscalYear = `FY${found.fiscalYear}`;
      const basis = review.dischargeDate !== undefined ? 'the discharge date' : 'a date of service';
      if (found.status === 'header') {
        report({ message: `Diagnosis ${code} is a category, not a billable code, in ${fiscalYear} (${basis}): code to the highest specificity`, location, carc: '146' });
      } else if (found.status === 'not-in-effect') {
        report({ message: `Diagnosis ${code} is not valid in ${fiscalYear} (${basis}): it was added later or deleted`, location, carc: '146' });
      } else if (found.status === 'unknown') {
        report({ message: `Diagnosis ${code} is not an ICD-10-CM code`, location, carc: '146' });
      } else {
        continue;
      }
      return; // one finding per diagnosis is enough for the coder
    }
  }
}

function checkProcedure(review: ClaimReview, line: LineReview, report: FindingSink, outOfRange: OutOfRangeWarnings): void {
  const procedure = line.line.procedure;
  if (!procedure || line.code === undefined) return;
  const code = line.code;
  const location = review.lineSource(line, 'procedure.code');
  const qualifier = procedure.qualifier;
  if (qualifier === 'AD' || (qualifier === 'HC' && isCdtFormat(code))) {
    if (!isCdtFormat(code)) report({ message: `Procedure ${code} is not in the CDT format (D and four digits)`, line, location, carc: '181' });
    return;
  }
  if (qualifier !== 'HC') return; // ER, IV, WK, HP: code lists the project does not hold
  if (isCptFormat(code)) return;
  if (!isHcpcsLevel2Format(code)) {
    report({ message: `Procedure ${code} is neither a HCPCS Level II nor a CPT code in format`, line, location, carc: '181' });
    return;
  }
  if (line.date === undefined) return;
  const { hcpcs } = review.codeSets;
  const found = hcpcs.lookup(code, line.date);
  if (found.outOfRange && found.status !== 'active') {
    outOfRange.warn('HCPCS Level II', hcpcs.coverage, location, line);
    return;
  }
  if (found.status === 'terminated') {
    report({ message: `Procedure ${code} was terminated${found.terminated ? ` after ${found.terminated}` : ''}: not valid on the line's date of service`, line, location, carc: '181' });
  } else if (found.status === 'not-yet-effective') {
    report({ message: `Procedure ${code} takes effect${found.added ? ` on ${found.added}` : ' later'}: not valid on the line's date of service`, line, location, carc: '181' });
  } else if (found.status === 'unknown') {
    report({ message: `Procedure ${code} is not in the HCPCS Level II code set (release ${hcpcs.release})`, line, location, carc: '181' });
  }
}

function checkModifiers(review: ClaimReview, line: LineReview, report: FindingSink, outOfRange: OutOfRangeWarnings): void {
  const { hcpcsModifiers } = review.codeSets;
  line.modifiers.forEach((modifier, i) => {
    const location = review.lineSource(line, `procedure.modifiers.${i}`);
    if (isCptModifierFormat(modifier)) return;
    if (!/^[A-Z0-9]{2}$/.test(modifier)) {
      report({ message: `Modifier ${modifier} is not two letters or digits`, line, location, carc: '4' });
      return;
    }
    if (line.date === undefined) return;
    const found = hcpcsModifiers.lookup(modifier, line.date);
    if (found.outOfRange && found.status !== 'active') {
      outOfRange.warn('HCPCS modifier', hcpcsModifiers.coverage, location, line);
      return;
    }
    if (found.status === 'active') return;
    const why = found.status === 'unknown' ? 'is not a HCPCS modifier' : found.status === 'terminated' ? 'was terminated before the line\'s date of service' : 'is not yet effective on the line\'s date of service';
    report({ message: `Modifier ${modifier} ${why}`, line, location, carc: '182' });
  });
}

function checkPlaceOfService(review: ClaimReview, lines: readonly LineReview[], report: FindingSink): void {
  const { claim, codeSets } = review;
  const invalid = (code: string): boolean => !codeSets.placeOfService.lookup(code)?.active;
  if (claim.type !== 'I' && claim.placeOfService !== undefined && invalid(claim.placeOfService)) {
    report({ message: `Place of service ${claim.placeOfService} is not in the CMS place-of-service list`, location: review.claimSource('placeOfService'), carc: '58' });
  }
  for (const line of lines) {
    const code = line.line.placeOfService;
    if (code !== undefined && invalid(code)) {
      report({ message: `Place of service ${code} on the line is not in the CMS place-of-service list`, line, location: review.lineSource(line, 'placeOfService'), carc: '58' });
    }
  }
}

function checkRevenueCodes(review: ClaimReview, lines: readonly LineReview[], report: FindingSink): void {
  if (review.claim.type !== 'I') return;
  for (const line of lines) {
    const code = line.line.revenueCode;
    if (code !== undefined && !isRevenueCodeFormat(code)) {
      report({ message: 'The revenue code is not four digits', line, location: review.lineSource(line, 'revenueCode'), carc: '16' });
    }
  }
}

function checkTypeOfBill(review: ClaimReview, report: FindingSink): void {
  const { claim } = review;
  if (claim.type !== 'I' || claim.facilityType === undefined) return;
  const typeOfBill = claim.typeOfBill ?? `${claim.facilityType}${claim.frequency ?? ''}`;
  if (!isTypeOfBillFormat(typeOfBill)) {
    report({ message: 'The type of bill (facility type code and frequency) is not in the NUBC format', location: review.claimSource('facilityType'), carc: '16' });
  }
}

export const codeSetValidityKind: RuleKindModule<'code-set-validity', CompiledCodeSetValidity> = {
  kind: 'code-set-validity',
  paramsSchema: CodeSetValidityParamsSchema,
  defaultQueue: () => 'coding',
  compile: (rule) => ({ checks: new Set(rule.params.checks ?? ALL_CHECKS) }),
  evaluate({ checks }, review, lines, report) {
    const outOfRange = new OutOfRangeWarnings(report);
    if (checks.has('diagnoses')) checkDiagnoses(review, lines, report, outOfRange);
    for (const line of lines) {
      if (checks.has('procedures')) checkProcedure(review, line, report, outOfRange);
      if (checks.has('modifiers')) checkModifiers(review, line, report, outOfRange);
    }
    if (checks.has('place-of-service')) checkPlaceOfService(review, lines, report);
    if (checks.has('revenue-codes')) checkRevenueCodes(review, lines, report);
    if (checks.has('type-of-bill')) checkTypeOfBill(review, report);
  },
};
