/**
 * What a rebuild changed, for people: per ICD-10-CM fiscal year the codes added, removed and whose
 * billable flag flipped; per HCPCS table the release, new codes, newly terminated codes; coverage
 * before and after. Counts only: code sets are public, but a count is what a reviewer needs.
 */
import { Icd10CmYearState, yearStateOf, type HcpcsTable, type Icd10CmTable } from './compact-format.ts';
import type { CodeSetData } from './data-files.ts';
import type { Coverage } from './types.ts';

export interface Icd10CmYearChange {
  fiscalYear: number;
  /** `added`: a year the data did not hold; `replaced`: a new source file; `kept`: unchanged. */
  change: 'added' | 'replaced' | 'kept' | 'removed';
  official: boolean;
  billable: number;
  header: number;
  /** The year the counts below compare with: the same year before, or the previous year for an added one. */
  comparedWith?: number;
  codesAdded: number;
  codesRemoved: number;
  becameHeader: number;
  becameBillable: number;
}

export interface HcpcsChange {
  releaseBefore?: string;
  releaseAfter: string;
  coverageBefore?: Coverage;
  coverageAfter: Coverage;
  codes: number;
  codesAdded: number;
  codesRemoved: number;
  newlyTerminated: number;
  datesChanged: number;
}

export interface CodeSetChanges {
  icd10cm: { coverageBefore?: Coverage; coverageAfter: Coverage; years: Icd10CmYearChange[] };
  hcpcs: HcpcsChange;
  hcpcsModifiers: HcpcsChange;
}

/** Compare the data before a rebuild (if there was any) with the data after it. */
export function compareCodeSetData(before: CodeSetData | undefined, after: CodeSetData): CodeSetChanges {
  return {
    icd10cm: {
      ...(before && { coverageBefore: before.manifest.icd10cm.coverage }),
      coverageAfter: after.manifest.icd10cm.coverage,
      years: compareIcd10Cm(before, after),
    },
    hcpcs: compareHcpcs(before?.hcpcs, before?.manifest.hcpcs.coverage, after.hcpcs, after.manifest.hcpcs.coverage),
    hcpcsModifiers: compareHcpcs(
      before?.hcpcsModifiers,
      before?.manifest.hcpcsModifiers.coverage,
      after.hcpcsModifiers,
      after.manifest.hcpcsModifiers.coverage,
    ),
  };
}

function compareIcd10Cm(before: CodeSetData | undefined, after: CodeSetData): Icd10CmYearChange[] {
  const changes: Icd10CmYearChange[] = after.manifest.icd10cm.fiscalYears.map((year, index) => {
    const beforeIndex = before ? before.icd10cm.fiscalYears.indexOf(year.fiscalYear) : -1;
    const beforeYear = before && beforeIndex >= 0 ? before.manifest.icd10cm.fiscalYears[beforeIndex]! : undefined;
    const change = !beforeYear ? 'added' : beforeYear.source.sha256 === year.source.sha256 ? 'kept' : 'replaced';
    const base = { fiscalYear: year.fiscalYear, change, official: year.official, billable: year.billable, header: year.header } as const;
    if (before && beforeIndex >= 0) return { ...base, comparedWith: year.fiscalYear, ...diffYears(before.icd10cm, beforeIndex, after.icd10cm, index) };
    if (index > 0) return { ...base, comparedWith: year.fiscalYear - 1, ...diffYears(after.icd10cm, index - 1, after.icd10cm, index) };
    return { ...base, codesAdded: year.billable + year.header, codesRemoved: 0, becameHeader: 0, becameBillable: 0 };
  });
  for (const [index, year] of (before?.manifest.icd10cm.fiscalYears ?? []).entries()) {
    if (after.icd10cm.fiscalYears.includes(year.fiscalYear)) continue;
    changes.push({
      fiscalYear: year.fiscalYear,
      change: 'removed',
      official: year.official,
      billable: year.billable,
      header: year.header,
      codesAdded: 0,
      codesRemoved: countPresent(before!.icd10cm, index),
      becameHeader: 0,
      becameBillable: 0,
    });
  }
  return changes.sort((a, b) => a.fiscalYear - b.fiscalYear);
}

/** Codes added/removed/flipped between year `fromIndex` of `from` and year `toIndex` of `to`. */
function diffYears(from: Icd10CmTable, fromIndex: number, to: Icd10CmTable, toIndex: number) {
  let codesAdded = 0;
  let codesRemoved = 0;
  let becameHeader = 0;
  let becameBillable = 0;
  const stateIn = (table: Icd10CmTable, code: string, index: number) => {
    const packed = table.states.get(code);
    return packed === undefined ? Icd10CmYearState.absent : yearStateOf(packed, index);
  };
  const codes = new Set([...from.states.keys(), ...to.states.keys()]);
  for (const code of codes) {
    const old = stateIn(from, code, fromIndex);
    const now = stateIn(to, code, toIndex);
    if (old === now) continue;
    if (old === Icd10CmYearState.absent) codesAdded++;
    else if (now === Icd10CmYearState.absent) codesRemoved++;
    else if (now === Icd10CmYearState.header) becameHeader++;
    else becameBillable++;
  }
  return { codesAdded, codesRemoved, becameHeader, becameBillable };
}

function countPresent(table: Icd10CmTable, index: number): number {
  let count = 0;
  for (const packed of table.states.values()) if (yearStateOf(packed, index) !== Icd10CmYearState.absent) count++;
  return count;
}

function compareHcpcs(before: HcpcsTable | undefined, coverageBefore: Coverage | undefined, after: HcpcsTable, coverageAfter: Coverage): HcpcsChange {
  let codesAdded = 0;
  let newlyTerminated = 0;
  let datesChanged = 0;
  for (const [code, record] of after.records) {
    const old = before?.records.get(code);
    if (!old) {
      codesAdded++;
      continue;
    }
    if (record.terminated && !old.terminated) newlyTerminated++;
    else if (record.added !== old.added || record.terminated !== old.terminated) datesChanged++;
  }
  let codesRemoved = 0;
  for (const code of before?.records.keys() ?? []) if (!after.records.has(code)) codesRemoved++;
  return {
    ...(before && { releaseBefore: before.release }),
    releaseAfter: after.release,
    ...(coverageBefore && { coverageBefore }),
    coverageAfter,
    codes: after.records.size,
    codesAdded,
    codesRemoved,
    newlyTerminated,
    datesChanged,
  };
}
