/**
 * The code sets the scrubber and denial routing read: ICD-10-CM by fiscal year, HCPCS Level II codes
 * and modifiers by add/termination date, place of service, CARC and RARC. {@link CodeSets} is the
 * interface the rule kinds code against; `loadCodeSets()` in `index.ts` builds it once per process.
 *
 * Every code set knows the period its data covers. A date of service beyond it is answered from the
 * nearest period with `outOfRange: true`, so that a rule warns "code set may be out of date" rather
 * than rejecting a claim on stale data.
 */
import type { IsoDate } from '../../../schemas/common.schema.ts';
import type { WorkQueue } from '../../../schemas/finding.schema.ts';

/** The dates a code set's data answers for, inclusive. */
export interface Coverage {
  from: IsoDate;
  to: IsoDate;
}

/** ICD-10-CM status of a code in the fiscal year of a date. */
export type Icd10CmStatus =
  /** Valid for HIPAA transactions: a complete, billable code. */
  | 'billable'
  /** A category or subcategory that has more specific codes below it: not billable. */
  | 'header'
  /** In no fiscal year of the data (a typo, or a code newer than the data). */
  | 'unknown'
  /** In the data, but not in this fiscal year (deleted before it, or added after it). */
  | 'not-in-effect';

export interface Icd10CmLookup {
  status: Icd10CmStatus;
  /** The fiscal year answered for (FY2026 = 2025-10-01..2026-09-30); the nearest one when out of range. */
  fiscalYear: number;
  /** The date is outside {@link Icd10CmCodeSet.coverage}: warn that the code set may be out of date. */
  outOfRange: boolean;
}

/** ICD-10-CM diagnosis codes, FY by FY. */
export interface Icd10CmCodeSet {
  /**
   * The code's status on a date of service (for inpatient claims, the discharge date).
   * The code may be given with or without its dot, in either case.
   *
   * @example
   * codeSets.icd10cm.lookup('E11.9', '2026-03-02'); // { status: 'billable', fiscalYear: 2026, outOfRange: false }
   */
  lookup(code: string, dateOfService: IsoDate): Icd10CmLookup;
  /** The fiscal years held, oldest first. */
  readonly fiscalYears: readonly number[];
  readonly coverage: Coverage;
  /** How many distinct codes the data holds over all its fiscal years. */
  readonly size: number;
}

/** HCPCS Level II (code or modifier) status on a date. */
export type HcpcsStatus =
  | 'active'
  /** The date is before the code's add date. */
  | 'not-yet-effective'
  /** The date is after the code's termination date (its last valid day). */
  | 'terminated'
  /** Not in the release (or a CPT/CDT code, which the CMS file does not carry). */
  | 'unknown';

export interface HcpcsLookup {
  status: HcpcsStatus;
  /** The date is outside the release's {@link HcpcsCodeSet.coverage}: warn, never reject on it. */
  outOfRange: boolean;
  /** The code's add date, when the code is known. */
  added?: IsoDate;
  /** The code's last valid day, when it has one. */
  terminated?: IsoDate;
}

/** HCPCS Level II procedure codes, or HCPCS modifiers, from one CMS quarterly release. */
export interface HcpcsCodeSet {
  /** The code's status on the date of service. Case and surrounding spaces are ignored. */
  lookup(code: string, dateOfService: IsoDate): HcpcsLookup;
  /** The CMS short description (public domain, at most 28 characters), when the code is known. */
  shortDescription(code: string): string | undefined;
  /** The release, `YYYY-MM` of its effective quarter (e.g. `2026-01`). */
  readonly release: string;
  readonly coverage: Coverage;
  readonly size: number;
}

/**
 * What an adjustment is, for routing: the first three queue work to people, the last three do not
 * make a work item (they are the contract, the patient's share, or the prior payer's doing).
 */
export type AdjustmentCategory =
  | 'coding'
  | 'billing'
  | 'clinical'
  | 'contractual'
  | 'patient-responsibility'
  | 'informational';

/** One CARC (claim adjustment reason code), described in our own words. */
export interface CarcEntry {
  description: string;
  category: AdjustmentCategory;
  /** The code says nothing by itself: its RARC(s) carry the reason and refine the routing (e.g. 16). */
  seeRemark?: boolean;
  /** Set to false for a code X12 has deactivated but that old remittances still carry. */
  active?: boolean;
}

/** One RARC (remittance advice remark code), described in our own words. */
export interface RarcEntry {
  description: string;
  /** Where a "see remark" CARC goes when this remark explains it. */
  category: AdjustmentCategory;
  /** An "Alert:" remark: information only, never the reason of a denial. */
  alert?: boolean;
}

/** One place-of-service code (CMS list, 01–99). */
export interface PlaceOfServiceEntry {
  name: string;
  /** False for numbers CMS has not assigned (or has withdrawn): a claim must not use them. */
  active: boolean;
}

/** A fixed code list looked up by code. */
export interface CodeList<Entry> {
  lookup(code: string): Entry | undefined;
  readonly size: number;
}

/** Where an 835 adjustment goes (see {@link CodeSets.categoryOf}). */
export interface AdjustmentRouting {
  category: AdjustmentCategory;
  /** The work queue for the category; undefined when the adjustment makes no work item. */
  queue?: WorkQueue;
  /** The RARC that decided the category of a "see remark" CARC. */
  refinedBy?: string;
  /** The CARC is not in our table: routed to billing for a person to look at. */
  unknown?: boolean;
}

/** Source and release of one code set, for `claimpath codesets info` and reports. */
export interface CodeSetVersion {
  name: string;
  source: string;
  /** The release (`FY2024..FY2027`, `2026-01`, or the revision date of our own tables). */
  release: string;
  coverage?: Coverage;
  /** Anything a reader must know, e.g. that a fiscal year was derived rather than official. */
  notes?: string[];
}

/** Every code set, loaded once per process by `loadCodeSets()`. */
export interface CodeSets {
  icd10cm: Icd10CmCodeSet;
  hcpcs: HcpcsCodeSet;
  hcpcsModifiers: HcpcsCodeSet;
  placeOfService: CodeList<PlaceOfServiceEntry>;
  carc: CodeList<CarcEntry>;
  rarc: CodeList<RarcEntry>;
  /**
   * The category of one 835 adjustment (CAS group + CARC, with the line's or claim's RARCs), in
   * DESIGN.md's order: group PR → patient responsibility; a contractual CARC → contractual; OA-23 →
   * informational; otherwise the CARC's category, refined by a RARC when the CARC says "see remark";
   * an unknown CARC → billing with `unknown: true`.
   */
  categoryOf(carc: string, rarcs: readonly string[], group: string): AdjustmentRouting;
  /** Source and release of each code set. */
  readonly versions: readonly CodeSetVersion[];
}

/** Options of `loadCodeSets()`. */
export interface LoadCodeSetsOptions {
  /**
   * The folder holding `manifest.json` and the compact data files; defaults to the project's
   * `src/rules/codesets/data/`. A Lambda bundle that copies the data elsewhere passes its folder.
   */
  dataDirectory?: string;
}
