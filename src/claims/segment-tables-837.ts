/**
 * Field tables of the 837 segments whose elements map one to one onto model fields (see
 * segment-fields.ts). The reader and the writer both use them, so a field is read and written from the
 * same element by construction.
 */
import type {
  AmbulanceTransport,
  Contract,
  DmeCertification,
  DurableMedicalEquipment,
  InpatientAdjudication,
  OrthodonticTreatment,
  OtherPayer,
  OutpatientAdjudication,
  Pricing,
  SpinalManipulation,
  Subscriber,
} from '../../schemas/claim.schema.ts';
import type { FieldTable } from './segment-fields.ts';

/** NM102–NM107 name parts. */
export interface NameFields {
  entityType?: string;
  lastOrOrganizationName?: string;
  firstName?: string;
  middleName?: string;
  suffix?: string;
}

export const NM1_NAME: FieldTable<NameFields> = [
  { key: 'entityType', element: 2 },
  { key: 'lastOrOrganizationName', element: 3 },
  { key: 'firstName', element: 4 },
  { key: 'middleName', element: 5 },
  { key: 'suffix', element: 7 },
];

export interface AddressLines {
  line1?: string;
  line2?: string;
}
export interface AddressPlace {
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
  countrySubdivision?: string;
}

export const N3_ADDRESS: FieldTable<AddressLines> = [
  { key: 'line1', element: 1 },
  { key: 'line2', element: 2 },
];

export const N4_ADDRESS: FieldTable<AddressPlace> = [
  { key: 'city', element: 1 },
  { key: 'state', element: 2 },
  { key: 'postalCode', element: 3 },
  { key: 'country', element: 4 },
  { key: 'countrySubdivision', element: 7 },
];

/** SBR of 2000B and 2320 (the same positions). */
export type SubscriberInformation = Pick<Subscriber, 'payerResponsibility' | 'relationship' | 'groupNumber' | 'groupName' | 'insuranceType' | 'claimFilingIndicator'>;
export const SBR_FIELDS: FieldTable<SubscriberInformation> = [
  { key: 'payerResponsibility', element: 1 },
  { key: 'relationship', element: 2 },
  { key: 'groupNumber', element: 3 },
  { key: 'groupName', element: 4 },
  { key: 'insuranceType', element: 5 },
  { key: 'claimFilingIndicator', element: 9 },
];

/** PAT details (2000C PAT, 2000B PAT on 837P). PAT05/PAT07 are the fixed qualifiers D8 and 01. */
export interface PatientDetails {
  relationship?: string;
  studentStatus?: string;
  deathDate?: string;
  weightPounds?: number;
  pregnancyIndicator?: string;
}
export const PAT_FIELDS: FieldTable<PatientDetails> = [
  { key: 'relationship', element: 1 },
  { key: 'studentStatus', element: 4 },
  { key: 'deathDate', element: 6, kind: 'date' },
  { key: 'weightPounds', element: 8, kind: 'decimal' },
  { key: 'pregnancyIndicator', element: 9 },
];

/** CLM indicators one element each. */
export interface ClaimIndicators {
  providerSignature?: string;
  assignment?: string;
  benefitsAssignment?: string;
  releaseOfInformation?: string;
  patientSignatureSource?: string;
  specialProgram?: string;
  submissionReason?: string;
  delayReason?: string;
}
export const CLM_INDICATORS: FieldTable<ClaimIndicators> = [
  { key: 'providerSignature', element: 6 },
  { key: 'assignment', element: 7 },
  { key: 'benefitsAssignment', element: 8 },
  { key: 'releaseOfInformation', element: 9 },
  { key: 'patientSignatureSource', element: 10 },
  { key: 'specialProgram', element: 12 },
  { key: 'submissionReason', element: 19 },
  { key: 'delayReason', element: 20 },
];

export const CN1_FIELDS: FieldTable<Contract> = [
  { key: 'type', element: 1 },
  { key: 'amount', element: 2, kind: 'money' },
  { key: 'percentage', element: 3, kind: 'decimal' },
  { key: 'code', element: 4 },
  { key: 'termsDiscountPercentage', element: 5, kind: 'decimal' },
  { key: 'version', element: 6 },
];

export const CR1_FIELDS: FieldTable<AmbulanceTransport> = [
  { key: 'weightUnit', element: 1 },
  { key: 'patientWeight', element: 2, kind: 'decimal' },
  { key: 'reasonCode', element: 4 },
  { key: 'distanceUnit', element: 5 },
  { key: 'distance', element: 6, kind: 'decimal' },
  { key: 'roundTripPurpose', element: 9 },
  { key: 'stretcherPurpose', element: 10 },
];

export const CR2_FIELDS: FieldTable<SpinalManipulation> = [
  { key: 'patientConditionCode', element: 8 },
  { key: 'description', element: 10 },
  { key: 'secondDescription', element: 11 },
];

export const CR3_FIELDS: FieldTable<DmeCertification> = [
  { key: 'type', element: 1 },
  { key: 'unitBasis', element: 2 },
  { key: 'duration', element: 3, kind: 'decimal' },
];

export const HCP_FIELDS: FieldTable<Pricing> = [
  { key: 'methodology', element: 1 },
  { key: 'allowedAmount', element: 2, kind: 'money' },
  { key: 'savingAmount', element: 3, kind: 'money' },
  { key: 'organizationId', element: 4 },
  { key: 'perDiemOrFlatRate', element: 5, kind: 'money' },
  { key: 'approvedGroupCode', element: 6 },
  { key: 'approvedAmount', element: 7, kind: 'money' },
  { key: 'approvedRevenueCode', element: 8 },
  { key: 'procedureQualifier', element: 9 },
  { key: 'approvedProcedureCode', element: 10 },
  { key: 'unitBasis', element: 11 },
  { key: 'approvedUnits', element: 12, kind: 'decimal' },
  { key: 'rejectReason', element: 13 },
  { key: 'policyCompliance', element: 14 },
  { key: 'exception', element: 15 },
];

/** CL1 (837I). */
export interface InstitutionalClaimCode {
  admissionType?: string;
  admissionSource?: string;
  patientStatus?: string;
}
export const CL1_FIELDS: FieldTable<InstitutionalClaimCode> = [
  { key: 'admissionType', element: 1 },
  { key: 'admissionSource', element: 2 },
  { key: 'patientStatus', element: 3 },
];

export const DN1_FIELDS: FieldTable<OrthodonticTreatment> = [
  { key: 'totalMonths', element: 1, kind: 'decimal' },
  { key: 'monthsRemaining', element: 2, kind: 'decimal' },
  { key: 'description', element: 4 },
];

export const SV5_FIELDS: FieldTable<DurableMedicalEquipment> = [
  { key: 'procedureQualifier', element: 1, component: 1 },
  { key: 'procedureCode', element: 1, component: 2 },
  { key: 'unitBasis', element: 2 },
  { key: 'lengthOfNeed', element: 3, kind: 'decimal' },
  { key: 'rentalPrice', element: 4, kind: 'money' },
  { key: 'purchasePrice', element: 5, kind: 'money' },
  { key: 'rentalUnitPriceIndicator', element: 6 },
];

/** OI of 2320. */
export type OtherInsuranceCoverage = Pick<OtherPayer, 'benefitsAssignment' | 'patientSignatureSource' | 'releaseOfInformation'>;
export const OI_FIELDS: FieldTable<OtherInsuranceCoverage> = [
  { key: 'benefitsAssignment', element: 3 },
  { key: 'patientSignatureSource', element: 4 },
  { key: 'releaseOfInformation', element: 6 },
];

/** MOA without its remark codes (MOA03–MOA07, a list). */
export const MOA_FIELDS: FieldTable<OutpatientAdjudication> = [
  { key: 'reimbursementRate', element: 1, kind: 'decimal' },
  { key: 'hcpcsPayableAmount', element: 2, kind: 'money' },
  { key: 'esrdPaymentAmount', element: 8, kind: 'money' },
  { key: 'nonpayableProfessionalComponentAmount', element: 9, kind: 'money' },
];
export const MOA_REMARK_ELEMENTS = [3, 4, 5, 6, 7] as const;

/** MIA without its remark codes (MIA05, MIA20–MIA23, a list). */
export const MIA_FIELDS: FieldTable<InpatientAdjudication> = [
  { key: 'coveredDays', element: 1, kind: 'decimal' },
  { key: 'lifetimePsychiatricDays', element: 3, kind: 'decimal' },
  { key: 'drgAmount', element: 4, kind: 'money' },
  { key: 'disproportionateShareAmount', element: 6, kind: 'money' },
  { key: 'mspPassThroughAmount', element: 7, kind: 'money' },
  { key: 'ppsCapitalAmount', element: 8, kind: 'money' },
  { key: 'ppsCapitalFspDrgAmount', element: 9, kind: 'money' },
  { key: 'ppsCapitalHspDrgAmount', element: 10, kind: 'money' },
  { key: 'ppsCapitalDshDrgAmount', element: 11, kind: 'money' },
  { key: 'oldCapitalAmount', element: 12, kind: 'money' },
  { key: 'ppsCapitalImeAmount', element: 13, kind: 'money' },
  { key: 'ppsOperatingHospitalSpecificDrgAmount', element: 14, kind: 'money' },
  { key: 'costReportDays', element: 15, kind: 'decimal' },
  { key: 'ppsOperatingFederalSpecificDrgAmount', element: 16, kind: 'money' },
  { key: 'ppsCapitalOutlierAmount', element: 17, kind: 'money' },
  { key: 'indirectTeachingAmount', element: 18, kind: 'money' },
  { key: 'nonpayableProfessionalComponentAmount', element: 19, kind: 'money' },
  { key: 'ppsCapitalExceptionAmount', element: 24, kind: 'money' },
];
export const MIA_REMARK_ELEMENTS = [5, 20, 21, 22, 23] as const;
