/**
 * Shared by the rules tests: a small hand-made CodeSets (the real ones are R1's, loaded where a test
 * needs real data), a claim builder with sources like the 837 reader's, and a rule builder that goes
 * through the schema (so the tests use rules exactly as parsed).
 */
import type { Claim, ServiceLine } from '../../schemas/claim.schema.ts';
import type { IsoDate, SourceRef } from '../../schemas/common.schema.ts';
import { PayerRuleSchema, type PayerRule, type PayerRuleOf, type RuleKind } from '../../schemas/payer-rule.schema.ts';
import type { CodeSets, HcpcsCodeSet, HcpcsLookup, Icd10CmCodeSet, Icd10CmStatus } from '../../src/rules/codesets/types.ts';
import type { Finding } from '../../schemas/finding.schema.ts';
import { InMemoryClaimHistory, type ClaimHistory } from '../../src/rules/history.ts';
import { npiCheckDigit } from '../../src/rules/npi.ts';
import { compileRuleSet, scrub } from '../../src/rules/scrub.ts';

/** A valid NPI built from nine digits. */
export function npi(firstNine: string): string {
  return firstNine + String(npiCheckDigit(firstNine));
}

export const BILLING_NPI = npi('123456789');
export const RENDERING_NPI = npi('198765432');
export const OTHER_RENDERING_NPI = npi('155555555');

// ── Code sets ─────────────────────────────────────────────────────────────────────────────────────

function fiscalYearOf(date: IsoDate): number {
  const year = Number(date.slice(0, 4));
  return date.slice(5) >= '10-01' ? year + 1 : year;
}

/** ICD-10-CM codes by fiscal year (2024–2027) → status; absent years are 'not-in-effect'. */
const ICD10: Record<string, Partial<Record<number, Icd10CmStatus>>> = {
  E119: { 2024: 'billable', 2025: 'billable', 2026: 'billable', 2027: 'billable' },
  E11: { 2024: 'header', 2025: 'header', 2026: 'header', 2027: 'header' },
  I10: { 2024: 'billable', 2025: 'billable', 2026: 'billable', 2027: 'billable' },
  Z0000: { 2024: 'billable', 2025: 'billable', 2026: 'billable', 2027: 'billable' },
  Z23: { 2024: 'billable', 2025: 'billable', 2026: 'billable', 2027: 'billable' },
  M25561: { 2024: 'billable', 2025: 'billable', 2026: 'billable', 2027: 'billable' },
  O2441: { 2024: 'billable', 2025: 'billable', 2026: 'billable', 2027: 'billable' },
  /** Deleted for FY2027 (as S23.420A really is). */
  S23420A: { 2024: 'billable', 2025: 'billable', 2026: 'billable' },
};

const icd10cm: Icd10CmCodeSet = {
  lookup(code, date) {
    const years = ICD10[code.replace('.', '').toUpperCase()];
    const asked = fiscalYearOf(date);
    const fiscalYear = Math.min(2027, Math.max(2024, asked));
    const status: Icd10CmStatus = !years ? 'unknown' : (years[fiscalYear] ?? 'not-in-effect');
    return { status, fiscalYear, outOfRange: fiscalYear !== asked };
  },
  fiscalYears: [2024, 2025, 2026, 2027],
  coverage: { from: '2023-10-01', to: '2027-09-30' },
  size: Object.keys(ICD10).length,
};

function hcpcsSet(codes: Record<string, { added: IsoDate; terminated?: IsoDate }>, coverage: { from: IsoDate; to: IsoDate }): HcpcsCodeSet {
  return {
    lookup(code, date): HcpcsLookup {
      const known = codes[code.trim().toUpperCase()];
      const outOfRange = date < coverage.from || date > coverage.to;
      if (!known) return { status: 'unknown', outOfRange };
      const status = date < known.added ? 'not-yet-effective' : known.terminated !== undefined && date > known.terminated ? 'terminated' : 'active';
      return { status, outOfRange, added: known.added, ...(known.terminated ? { terminated: known.terminated } : {}) };
    },
    shortDescription: () => undefined,
    release: '2026-01',
    coverage,
    size: Object.keys(codes).length,
  };
}

const HCPCS_COVERAGE = { from: '2014-07-01', to: '2026-06-30' };

/** Hand-made code sets: enough codes for the rules tests, the same interface as R1's. */
export const testCodeSets: CodeSets = {
  icd10cm,
  hcpcs: hcpcsSet(
    {
      G0438: { added: '2011-01-01' },
      G0439: { added: '2011-01-01' },
      G0444: { added: '2015-01-01' },
      G0442: { added: '2011-01-01' },
      J1100: { added: '1982-01-01' },
      J0696: { added: '1990-01-01' },
      A4253: { added: '1990-01-01' },
      E0143: { added: '1990-01-01' },
      L3908: { added: '1990-01-01' },
      G0378: { added: '2002-01-01' },
      G9999: { added: '2020-01-01', terminated: '2025-12-31' },
      G0555: { added: '2026-04-01' },
    },
    HCPCS_COVERAGE,
  ),
  hcpcsModifiers: hcpcsSet(
    {
      LT: { added: '1984-01-01' },
      RT: { added: '1984-01-01' },
      XS: { added: '2015-01-01' },
      XU: { added: '2015-01-01' },
      KX: { added: '2002-07-01' },
      NU: { added: '1984-01-01' },
      GP: { added: '1999-01-01' },
      F1: { added: '1984-01-01' },
    },
    { from: '2012-04-01', to: '2026-06-30' },
  ),
  placeOfService: {
    lookup: (code) => ({ '11': { name: 'Office', active: true }, '12': { name: 'Home', active: true }, '68': { name: 'Unassigned', active: false } })[code],
    size: 3,
  },
  carc: { lookup: () => undefined, size: 0 },
  rarc: { lookup: () => undefined, size: 0 },
  categoryOf: () => ({ category: 'billing', queue: 'billing', unknown: true }),
  versions: [],
};

// ── Claims ────────────────────────────────────────────────────────────────────────────────────────

function source(ordinal: number, loop: string, segment: string, element?: number, component?: number): SourceRef {
  return { ordinal, offset: ordinal * 40, loop, segment, ...(element ? { element } : {}), ...(component ? { component } : {}) };
}

export interface LineSpec {
  code?: string;
  modifiers?: string[];
  date?: IsoDate;
  to?: IsoDate;
  units?: number;
  charge?: number;
  pointers?: number[];
  renderingNpi?: string;
  priorAuthorization?: string;
  revenueCode?: string;
  placeOfService?: string;
}

/** A service line with sources as the reader records them (LX, SV1 components, DTP). */
export function line(spec: LineSpec, lineNumber = 1): ServiceLine {
  const base = 100 + lineNumber * 10;
  const result: ServiceLine = {
    lineNumber,
    charge: spec.charge ?? 10_000,
    units: spec.units ?? 1,
    unitBasis: 'UN',
    dates: spec.date ? { service: { from: spec.date, to: spec.to ?? spec.date } } : {},
    references: spec.priorAuthorization ? { priorAuthorizations: [{ qualifier: 'G1', value: spec.priorAuthorization }] } : {},
    amounts: {},
    sources: {
      lineNumber: source(base, '2400', 'LX', 1),
      'procedure.code': source(base + 1, '2400', 'SV1', 1, 2),
      units: source(base + 1, '2400', 'SV1', 4),
      'dates.service': source(base + 2, '2400', 'DTP', 3),
    },
  };
  if (spec.code !== undefined) result.procedure = { qualifier: 'HC', code: spec.code, ...(spec.modifiers ? { modifiers: spec.modifiers } : {}) };
  spec.modifiers?.forEach((_, i) => (result.sources[`procedure.modifiers.${i}`] = source(base + 1, '2400', 'SV1', 1, 3 + i)));
  if (spec.pointers) {
    result.diagnosisPointers = spec.pointers;
    spec.pointers.forEach((_, i) => (result.sources[`diagnosisPointers.${i}`] = source(base + 1, '2400', 'SV1', 7, i + 1)));
  }
  if (spec.renderingNpi) result.providers = [{ role: 'rendering', entityType: '1', npi: spec.renderingNpi }];
  if (spec.revenueCode) result.revenueCode = spec.revenueCode;
  if (spec.placeOfService) result.placeOfService = spec.placeOfService;
  return result;
}

export interface ClaimSpec {
  type?: 'P' | 'I' | 'D';
  patientControlNumber?: string;
  payerId?: string;
  billingNpi?: string;
  memberId?: string;
  birthDate?: IsoDate;
  sex?: string;
  diagnoses?: string[];
  lines?: LineSpec[];
  frequency?: string;
  totalCharge?: number;
  priorAuthorization?: string;
  referralNumber?: string;
  placeOfService?: string;
  facilityType?: string;
  statement?: { from: IsoDate; to: IsoDate };
  setControl?: string;
  clmOrdinal?: number;
}

/** A claim shaped like the 837 reader's output (professional unless told), with sources. */
export function claim(spec: ClaimSpec = {}): Claim {
  const lines = (spec.lines ?? [{ code: 'J1100', date: '2026-03-02', pointers: [1] }]).map((l, i) => line(l, i + 1));
  const diagnoses = (spec.diagnoses ?? ['E119']).map((code, i) => ({ kind: i === 0 ? ('principal' as const) : ('other' as const), qualifier: i === 0 ? 'ABK' : 'ABF', code }));
  const clm = spec.clmOrdinal ?? 20;
  const sources: Claim['sources'] = {
    patientControlNumber: source(clm, '2300', 'CLM', 1),
    placeOfService: source(clm, '2300', 'CLM', 5, 1),
    'billingProvider.npi': source(5, '2010AA', 'NM1', 9),
    'patient.birthDate': source(12, '2010CA', 'DMG', 2),
  };
  diagnoses.forEach((_, i) => (sources[`diagnoses.${i}.code`] = source(clm + 1, '2300', 'HI', i + 1, 2)));
  const type = spec.type ?? 'P';
  const result: Claim = {
    type,
    patientControlNumber: spec.patientControlNumber ?? 'PCN0001',
    totalCharge: spec.totalCharge ?? lines.reduce((sum, l) => sum + l.charge, 0),
    frequency: spec.frequency ?? '1',
    billingProvider: { entityType: '2', lastOrOrganizationName: 'TEST CLINIC', npi: spec.billingNpi ?? BILLING_NPI },
    subscriber: { entityType: '1', lastOrOrganizationName: 'TESTPERSON', firstName: 'ALPHA', memberId: spec.memberId ?? 'MEMBER0001', relationship: '18' },
    payer: { name: 'TESTPAYER', idQualifier: 'PI', id: spec.payerId ?? 'TESTPPO01' },
    patient: {
      sameAsSubscriber: true,
      relationship: '18',
      entityType: '1',
      lastOrOrganizationName: 'TESTPERSON',
      firstName: 'ALPHA',
      ...(spec.birthDate !== undefined || !('birthDate' in spec) ? { birthDate: spec.birthDate ?? '1970-06-15' } : {}),
      ...(spec.sex !== undefined || !('sex' in spec) ? { sex: spec.sex ?? 'F' } : {}),
    },
    dates: spec.statement ? { statement: { from: spec.statement.from, to: spec.statement.to } } : {},
    references: {
      ...(spec.priorAuthorization ? { priorAuthorization: spec.priorAuthorization } : {}),
      ...(spec.referralNumber ? { referralNumber: spec.referralNumber } : {}),
    },
    amounts: {},
    diagnoses,
    providers: [],
    otherPayers: [],
    lines,
    sources,
    envelope: { interchangeControl: '000000001', groupControl: '1', setControl: spec.setControl ?? '0001', version: '005010X222A1' },
  };
  if (type === 'I') {
    result.facilityType = spec.facilityType ?? '13';
    result.facilityCodeQualifier = 'A';
  } else {
    result.placeOfService = spec.placeOfService ?? '11';
    result.facilityCodeQualifier = 'B';
  }
  return result;
}

// ── Rules ─────────────────────────────────────────────────────────────────────────────────────────

export interface RuleSpec {
  id?: string;
  payer?: string;
  version?: number;
  from?: IsoDate;
  to?: IsoDate;
  severity?: 'reject' | 'warn';
  message?: string;
  preventsCarc?: string;
  queue?: 'coding' | 'billing' | 'clinical' | 'exceptions';
}

/** A rule of `kind` parsed by the schema (so codes are normalized as they would be from a file). */
export function rule<Kind extends RuleKind>(kind: Kind, params: unknown, spec: RuleSpec = {}): PayerRuleOf<Kind> {
  const document = {
    id: spec.id ?? `test-${kind}`,
    payer: spec.payer ?? '*',
    kind,
    version: spec.version ?? 1,
    effective: { from: spec.from ?? '2024-10-01', ...(spec.to ? { to: spec.to } : {}) },
    severity: spec.severity ?? 'reject',
    ...(params === undefined ? {} : { params }),
    ...(spec.message ? { message: spec.message } : {}),
    ...(spec.preventsCarc ? { preventsCarc: spec.preventsCarc } : {}),
    ...(spec.queue ? { queue: spec.queue } : {}),
  };
  const parsed: PayerRule = PayerRuleSchema.parse(document);
  return parsed as PayerRuleOf<Kind>;
}

// ── Scrubbing ─────────────────────────────────────────────────────────────────────────────────────

export interface ScrubOptions {
  history?: ClaimHistory;
  receivedOn?: IsoDate;
  codeSets?: CodeSets;
}

/** The findings of `rules` on `target`, with an empty history unless one is given. */
export async function findingsOf(target: Claim, rules: readonly PayerRule[], options: ScrubOptions = {}): Promise<Finding[]> {
  return scrub(target, compileRuleSet(rules), options.codeSets ?? testCodeSets, options.history ?? new InMemoryClaimHistory(), { receivedOn: options.receivedOn });
}
