/**
 * The 837 qualifier tables the reader and the writer share: which model field a DTP, REF, AMT, QTY or
 * HI qualifier fills, which role an NM101 entity code names, and the guide version of each claim type.
 * Adding a qualifier means adding a row here; neither the reader nor the writer branches on it.
 */
import type { ClaimAmounts, ClaimDates, ClaimReferences, ClaimType, DiagnosisKind, LineAmounts, LineDates, LineReferences, ProviderRole } from '../../schemas/claim.schema.ts';

/** GS08/ST03 written for each claim type. */
export const GUIDE_VERSIONS: Record<ClaimType, string> = { P: '005010X222A1', I: '005010X223A2', D: '005010X224A2' };

/** NM101 entity identifier code of each provider role. */
export const ROLE_ENTITY_CODES: Record<ProviderRole, string> = {
  referring: 'DN',
  primaryCare: 'P3',
  rendering: '82',
  serviceFacility: '77',
  supervising: 'DQ',
  ordering: 'DK',
  purchasedService: 'QB',
  attending: '71',
  operating: '72',
  otherOperating: 'ZZ',
  assistantSurgeon: 'DD',
  ambulancePickUp: 'PW',
  ambulanceDropOff: '45',
  billing: '85',
};

/** Provider role of an NM101 entity code. */
export const ENTITY_CODE_ROLES: ReadonlyMap<string, ProviderRole> = new Map(Object.entries(ROLE_ENTITY_CODES).map(([role, code]) => [code, role as ProviderRole]));

/**
 * PRV01 provider code written before the taxonomy of a provider in each role (the guides: BI billing,
 * PE performing — rendering and assistant surgeon —, AT attending).
 */
export const ROLE_PROVIDER_CODES: Partial<Record<ProviderRole, string>> = { rendering: 'PE', assistantSurgeon: 'PE', attending: 'AT' };

/** How a DTP is written: RD8 always (DTP*434, DTP*314), or by its value. */
export interface DateQualifier<K extends string> {
  qualifier: string;
  key: K;
  alwaysRange?: boolean;
}

/** 2300 DTP qualifiers → claim date fields (all three guides; each guide uses its own subset). */
export const CLAIM_DATE_QUALIFIERS: readonly DateQualifier<Exclude<keyof ClaimDates, 'dischargeHour' | 'appliancePlacements'>>[] = [
  { qualifier: '431', key: 'onset' },
  { qualifier: '454', key: 'initialTreatment' },
  { qualifier: '304', key: 'lastSeen' },
  { qualifier: '453', key: 'acuteManifestation' },
  { qualifier: '439', key: 'accident' },
  { qualifier: '484', key: 'lastMenstrualPeriod' },
  { qualifier: '455', key: 'lastXray' },
  { qualifier: '471', key: 'prescription' },
  { qualifier: '314', key: 'disability', alwaysRange: true },
  { qualifier: '360', key: 'disabilityBegin' },
  { qualifier: '361', key: 'disabilityEnd' },
  { qualifier: '297', key: 'lastWorked' },
  { qualifier: '296', key: 'returnToWork' },
  { qualifier: '435', key: 'admission' },
  { qualifier: '096', key: 'discharge' },
  { qualifier: '090', key: 'assumedCare' },
  { qualifier: '091', key: 'relinquishedCare' },
  { qualifier: '444', key: 'firstContact' },
  { qualifier: '050', key: 'repricerReceived' },
  { qualifier: '434', key: 'statement', alwaysRange: true },
  { qualifier: '472', key: 'service' },
];

/** DTP*096 with format TM: the 837I discharge hour. */
export const DISCHARGE_HOUR_QUALIFIER = '096';
/** DTP*452 on 837D 2300: appliance placement, up to five. */
export const APPLIANCE_PLACEMENT_QUALIFIER = '452';

/** 2400 DTP qualifiers → line date fields. */
export const LINE_DATE_QUALIFIERS: readonly DateQualifier<keyof LineDates>[] = [
  { qualifier: '472', key: 'service' },
  { qualifier: '471', key: 'prescription' },
  { qualifier: '607', key: 'recertification' },
  { qualifier: '463', key: 'beginTherapy' },
  { qualifier: '461', key: 'lastCertification' },
  { qualifier: '304', key: 'lastSeen' },
  { qualifier: '738', key: 'hemoglobinTest' },
  { qualifier: '739', key: 'serumCreatinineTest' },
  { qualifier: '011', key: 'shipped' },
  { qualifier: '455', key: 'lastXray' },
  { qualifier: '454', key: 'initialTreatment' },
  { qualifier: '441', key: 'priorPlacement' },
  { qualifier: '452', key: 'appliancePlacement' },
  { qualifier: '446', key: 'replacement' },
  { qualifier: '196', key: 'treatmentStart' },
  { qualifier: '198', key: 'treatmentCompletion' },
];

/** A REF qualifier and the field it fills; `repeatable` fields are lists. */
export interface ReferenceQualifier<K extends string> {
  qualifier: string;
  key: K;
}

/** 2300 REF qualifiers with one value each → claim reference fields. */
export const CLAIM_REFERENCE_QUALIFIERS: readonly ReferenceQualifier<Exclude<keyof ClaimReferences, 'investigationalDeviceExemptions' | 'other'>>[] = [
  { qualifier: '4N', key: 'serviceAuthorizationException' },
  { qualifier: 'F5', key: 'medicareCrossoverIndicator' },
  { qualifier: 'EW', key: 'mammographyCertification' },
  { qualifier: '9F', key: 'referralNumber' },
  { qualifier: 'G1', key: 'priorAuthorization' },
  { qualifier: 'F8', key: 'payerClaimControlNumber' },
  { qualifier: 'X4', key: 'clia' },
  { qualifier: '9A', key: 'repricedClaimNumber' },
  { qualifier: '9C', key: 'adjustedRepricedClaimNumber' },
  { qualifier: 'D9', key: 'clearinghouseTraceNumber' },
  { qualifier: 'EA', key: 'medicalRecordNumber' },
  { qualifier: 'P4', key: 'demonstrationProject' },
  { qualifier: '1J', key: 'carePlanOversight' },
  { qualifier: 'LU', key: 'autoAccidentState' },
  { qualifier: 'G4', key: 'peerReviewApproval' },
  { qualifier: 'G3', key: 'predetermination' },
];

/** REF*LX on 2300: investigational device exemption numbers (up to five on 837I). */
export const INVESTIGATIONAL_DEVICE_QUALIFIER = 'LX';

/** 2400 REF qualifiers with one value each. */
export const LINE_REFERENCE_QUALIFIERS: readonly ReferenceQualifier<Exclude<keyof LineReferences, 'priorAuthorizations' | 'referrals' | 'predeterminations' | 'other'>>[] = [
  { qualifier: '6R', key: 'lineControlNumber' },
  { qualifier: '9B', key: 'repricedLineItem' },
  { qualifier: '9D', key: 'adjustedRepricedLineItem' },
  { qualifier: 'EW', key: 'mammographyCertification' },
  { qualifier: 'X4', key: 'clia' },
  { qualifier: 'F4', key: 'referringClia' },
  { qualifier: 'BT', key: 'immunizationBatch' },
];

/** 2400 REF qualifiers that repeat and may name the other payer (REF04). */
export const LINE_REFERENCE_LISTS: readonly ReferenceQualifier<'priorAuthorizations' | 'referrals' | 'predeterminations'>[] = [
  { qualifier: 'G1', key: 'priorAuthorizations' },
  { qualifier: '9F', key: 'referrals' },
  { qualifier: 'G3', key: 'predeterminations' },
];

/** 2300 AMT qualifiers. */
export const CLAIM_AMOUNT_QUALIFIERS: readonly ReferenceQualifier<keyof ClaimAmounts>[] = [
  { qualifier: 'F5', key: 'patientAmountPaid' },
  { qualifier: 'F3', key: 'patientEstimatedAmountDue' },
];

/** 2400 AMT qualifiers. */
export const LINE_AMOUNT_QUALIFIERS: readonly ReferenceQualifier<keyof LineAmounts>[] = [
  { qualifier: 'T', key: 'salesTax' },
  { qualifier: 'F4', key: 'postageClaimed' },
  { qualifier: 'GT', key: 'serviceTax' },
  { qualifier: 'N8', key: 'facilityTax' },
];

/** 2400 QTY qualifiers. */
export const LINE_QUANTITY_QUALIFIERS: readonly ReferenceQualifier<'ambulancePatientCount' | 'obstetricAnesthesiaAdditionalUnits'>[] = [
  { qualifier: 'PT', key: 'ambulancePatientCount' },
  { qualifier: 'FL', key: 'obstetricAnesthesiaAdditionalUnits' },
];

/** HI qualifiers of diagnoses (ICD-10 and ICD-9 forms) and their kind. */
export const DIAGNOSIS_QUALIFIERS: ReadonlyMap<string, DiagnosisKind> = new Map([
  ['ABK', 'principal'],
  ['BK', 'principal'],
  ['ABF', 'other'],
  ['BF', 'other'],
  ['ABJ', 'admitting'],
  ['BJ', 'admitting'],
  ['APR', 'reasonForVisit'],
  ['PR', 'reasonForVisit'],
  ['ABN', 'externalCause'],
  ['BN', 'externalCause'],
]);

/** Diagnosis kinds that line diagnosis pointers (SV107, SV311) count. */
export const POINTED_DIAGNOSIS_KINDS: ReadonlySet<DiagnosisKind> = new Set(['principal', 'other']);

/** The other HI qualifier families. */
export const HI_QUALIFIERS = {
  anesthesia: new Set(['BP', 'BO']),
  condition: new Set(['BG']),
  drg: new Set(['DR']),
  principalProcedure: new Set(['BBR', 'BR', 'CAH']),
  otherProcedure: new Set(['BBQ', 'BQ']),
  occurrenceSpan: new Set(['BI']),
  occurrence: new Set(['BH']),
  value: new Set(['BE']),
  treatment: new Set(['TC']),
} as const;
