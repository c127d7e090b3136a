/**
 * The look-ups of the dated code sets: ICD-10-CM by fiscal year, HCPCS Level II codes and modifiers
 * by add/termination date. Both answer a date outside their data's coverage from the nearest period
 * they hold, with `outOfRange: true`.
 */
import type { IsoDate } from '../../../schemas/common.schema.ts';
import { Icd10CmYearState, yearStateOf, type HcpcsRecord } from './compact-format.ts';
import { CodeSetDateError } from './errors.ts';
import type { Coverage, HcpcsCodeSet, HcpcsLookup, Icd10CmCodeSet, Icd10CmLookup } from './types.ts';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The ICD-10-CM fiscal year of a date: FY N runs from October 1 of N-1 to September 30 of N
 * (2025-10-01 and 2026-09-30 are both FY2026).
 */
export function fiscalYearOf(date: IsoDate): number {
  const match = ISO_DATE.exec(date);
  if (!match) throw new CodeSetDateError('a date of service must be an ISO YYYY-MM-DD date');
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (month < 1 || month > 12) throw new CodeSetDateError('a date of service must be an ISO YYYY-MM-DD date');
  return month >= 10 ? year + 1 : year;
}

/** An ICD-10-CM code as the data holds it: upper case, no dot, no surrounding spaces. */
export function normalizeIcd10CmCode(code: string): string {
  return code.trim().replace('.', '').toUpperCase();
}

/** Packed ICD-10-CM year states by code: a decoded table's map, or the lazy block index. */
export interface Icd10CmStates {
  readonly fiscalYears: readonly number[];
  get(code: string): number | undefined;
}

/** HCPCS records by code: a decoded table's map, or the lazy line index. */
export interface HcpcsRecords {
  readonly release: string;
  get(code: string): HcpcsRecord | undefined;
}

/** ICD-10-CM look-ups over the packed year states. */
export class Icd10CmLookupTable implements Icd10CmCodeSet {
  readonly fiscalYears: readonly number[];
  private readonly firstYear: number;
  private readonly lastYear: number;

  constructor(
    private readonly states: Icd10CmStates,
    readonly coverage: Coverage,
    readonly size: number,
  ) {
    this.fiscalYears = states.fiscalYears;
    // The build guarantees consecutive years, so a year's index is its distance from the first.
    this.firstYear = states.fiscalYears[0]!;
    this.lastYear = states.fiscalYears[states.fiscalYears.length - 1]!;
  }

  lookup(code: string, dateOfService: IsoDate): Icd10CmLookup {
    const wantedYear = fiscalYearOf(dateOfService);
    const fiscalYear = Math.min(Math.max(wantedYear, this.firstYear), this.lastYear);
    const outOfRange = fiscalYear !== wantedYear;
    const packed = this.states.get(normalizeIcd10CmCode(code));
    if (packed === undefined) return { status: 'unknown', fiscalYear, outOfRange };
    const state = yearStateOf(packed, fiscalYear - this.firstYear);
    const status =
      state === Icd10CmYearState.billable ? 'billable' : state === Icd10CmYearState.header ? 'header' : 'not-in-effect';
    return { status, fiscalYear, outOfRange };
  }
}

/** HCPCS Level II look-ups (codes or modifiers) over one release. */
export class HcpcsLookupTable implements HcpcsCodeSet {
  readonly release: string;

  constructor(
    private readonly records: HcpcsRecords,
    readonly coverage: Coverage,
    readonly size: number,
  ) {
    this.release = records.release;
  }

  lookup(code: string, dateOfService: IsoDate): HcpcsLookup {
    if (!ISO_DATE.test(dateOfService)) throw new CodeSetDateError('a date of service must be an ISO YYYY-MM-DD date');
    // ISO dates compare as strings, which spares a Date per look-up.
    const outOfRange = dateOfService < this.coverage.from || dateOfService > this.coverage.to;
    const record = this.records.get(code.trim().toUpperCase());
    if (!record) return { status: 'unknown', outOfRange };
    const dates = record.terminated ? { added: record.added, terminated: record.terminated } : { added: record.added };
    if (dateOfService < record.added) return { status: 'not-yet-effective', outOfRange, ...dates };
    // The termination date is the last day the code may be used (CMS record layout, field 29).
    if (record.terminated && dateOfService > record.terminated) return { status: 'terminated', outOfRange, ...dates };
    return { status: 'active', outOfRange, ...dates };
  }

  shortDescription(code: string): string | undefined {
    return this.records.get(code.trim().toUpperCase())?.shortDescription;
  }
}
