/**
 * A claim prepared once for every rule that looks at it: each line's date of service, procedure code,
 * modifiers, units and rendering NPI; the diagnoses lines point at; the dates rules are judged on; and
 * where in the file each of those came from. The rule kinds read this instead of re-deriving it, so a
 * claim costs the same whatever the number of rules.
 */
import type { Claim, Diagnosis, ServiceLine } from '../../../schemas/claim.schema.ts';
import type { IsoDate, SourceRef } from '../../../schemas/common.schema.ts';
import type { CodeSets } from '../codesets/types.ts';
import { lineServiceDate, patientKey, renderingNpiOf, type ClaimHistory } from '../history.ts';

/** One service line with what the rules compare. */
export interface LineReview {
  line: ServiceLine;
  /** LX01 (positive), or undefined when the reader could not read one. */
  lineNumber?: number;
  /** First date of service (DTP*472, else the claim's service or statement dates). */
  date?: IsoDate;
  /** Last date of service (the same as `date` for a single day). */
  lastDate?: IsoDate;
  /** Procedure code, upper case; undefined on an 837I line that bills a revenue code alone. */
  code?: string;
  modifiers: readonly string[];
  /** SV104 / SV205 / SV306; 1 when absent. */
  units: number;
  providerNpi?: string;
}

/** A diagnosis that line pointers can name: principal and other diagnoses, in HI order. */
export interface PointableDiagnosis {
  diagnosis: Diagnosis;
  /** Its index in `claim.diagnoses` (for `diagnoses.N.code` sources). */
  index: number;
  /** Upper case, without a dot. */
  code: string;
}

/** Where the claim, the rules' context and the shared look-ups meet. */
export interface ClaimReview {
  claim: Claim;
  codeSets: CodeSets;
  history: ClaimHistory;
  /** The payer's receipt date (timely filing); rules that need it do nothing without it. */
  receivedOn?: IsoDate;
  /** The claim's id in the history (see `claimPositionKey`). */
  claimId: string;
  lines: readonly LineReview[];
  /** Principal and other diagnoses: line pointer N names entry N − 1. */
  pointable: readonly PointableDiagnosis[];
  /** Every date of service of the claim, sorted, each once (the discharge date alone for inpatient 837I). */
  serviceDates: readonly IsoDate[];
  /** 837I inpatient (type of bill 11x, 18x, 21x, 41x): diagnoses are judged on the discharge date. */
  inpatient: boolean;
  /** The date an inpatient claim's diagnoses are judged on: discharge (statement through) date. */
  dischargeDate?: IsoDate;
  /** The patient's key in the history, computed once when a rule first asks. */
  patientKey(): string;
  /** The lines pointing at diagnosis list entry `pointableIndex` (0-based), or every line when none points. */
  linesPointingAt(pointableIndex: number): readonly LineReview[];
  /** Where a claim field came from (`patient.birthDate`, `diagnoses.0.code` …), else the CLM segment. */
  claimSource(field: string): SourceRef | undefined;
  /** Where a line field came from (`procedure.code`, `procedure.modifiers.1` …), else its LX segment. */
  lineSource(line: LineReview, field: string): SourceRef | undefined;
}

/** Facility types (first two digits of the type of bill) billed as inpatient stays. */
const INPATIENT_FACILITY_TYPES = new Set(['11', '18', '21', '41']);

/** Build the review of one claim. */
export function reviewClaim(
  claim: Claim,
  codeSets: CodeSets,
  history: ClaimHistory,
  options: { receivedOn?: IsoDate; claimId: string },
): ClaimReview {
  const lines: LineReview[] = claim.lines.map((line) => {
    const date = lineServiceDate(claim, line);
    return {
      line,
      lineNumber: line.lineNumber > 0 ? line.lineNumber : undefined,
      date,
      lastDate: line.dates.service?.to ?? claim.dates.service?.to ?? claim.dates.statement?.to ?? date,
      code: line.procedure?.code.toUpperCase(),
      modifiers: (line.procedure?.modifiers ?? []).map((m) => m.toUpperCase()),
      units: line.units ?? 1,
      providerNpi: renderingNpiOf(claim, line),
    };
  });

  const pointable: PointableDiagnosis[] = [];
  claim.diagnoses.forEach((diagnosis, index) => {
    if (diagnosis.kind === 'principal' || diagnosis.kind === 'other') {
      pointable.push({ diagnosis, index, code: diagnosis.code.replace('.', '').toUpperCase() });
    }
  });

  const facilityType = claim.facilityType ?? claim.typeOfBill?.slice(0, 2);
  const inpatient = claim.type === 'I' && facilityType !== undefined && INPATIENT_FACILITY_TYPES.has(facilityType);
  const dischargeDate = inpatient ? (claim.dates.statement?.to ?? claim.dates.discharge?.from ?? lines.at(-1)?.lastDate) : undefined;

  const dates = new Set<IsoDate>();
  if (dischargeDate !== undefined) dates.add(dischargeDate);
  else for (const line of lines) if (line.date !== undefined) dates.add(line.date);
  const serviceDates = [...dates].sort();

  let key: string | undefined;
  const pointing = new Map<number, LineReview[]>();
  for (const line of lines) {
    for (const pointer of line.line.diagnosisPointers ?? []) {
      const list = pointing.get(pointer - 1);
      if (list) list.push(line);
      else pointing.set(pointer - 1, [line]);
    }
  }
  const anyPointer = pointing.size > 0;
  const clm = claim.sources.patientControlNumber;

  return {
    claim,
    codeSets,
    history,
    receivedOn: options.receivedOn,
    claimId: options.claimId,
    lines,
    pointable,
    serviceDates,
    inpatient,
    dischargeDate,
    patientKey: () => (key ??= patientKey(claim)),
    linesPointingAt: (index) => (anyPointer ? (pointing.get(index) ?? []) : lines),
    claimSource: (field) => claim.sources[field] ?? clm,
    lineSource: (line, field) => line.line.sources[field] ?? line.line.sources.lineNumber ?? clm,
  };
}
