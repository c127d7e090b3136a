/**
 * The canonical claim: one 837 claim (loop 2300 with its 2000A/2000B/2000C context and its 2400 lines),
 * professional (837P 005010X222A1), institutional (837I 005010X223A2) or dental (837D 005010X224A2).
 *
 * What the three guides share has one field; what one guide alone carries is optional and named after
 * its meaning, with the X12 element in the comment. Codes keep the values written in the file (the
 * scrubber and the payer rules judge them, not the schema), money is in integer cents, dates are ISO.
 * The sub-objects below (Provider, Person, ServiceLine, Diagnosis, OtherPayer, …) are parts of the claim,
 * not messages of their own.
 */
import { z } from 'zod';
import { CentsSchema, EnvelopeRefSchema, FieldSourcesSchema, IsoDateSchema, NameShape } from './common.schema.ts';

/** P professional (837P), I institutional (837I), D dental (837D). */
export const ClaimTypeSchema = z.enum(['P', 'I', 'D']);
export type ClaimType = z.infer<typeof ClaimTypeSchema>;

/** A date or date range from a DTP (D8, RD8) with the time of a DT (`HHMM`) where one was given. */
export const ClaimDateSchema = z.object({ from: IsoDateSchema, to: IsoDateSchema, time: z.string().optional() });
export type ClaimDate = z.infer<typeof ClaimDateSchema>;

/** N3/N4. */
export const AddressSchema = z.object({
  line1: z.string().optional(),
  line2: z.string().optional(),
  city: z.string().optional(),
  state: z.string().optional(),
  postalCode: z.string().optional(),
  country: z.string().optional(),
  countrySubdivision: z.string().optional(),
});
export type Address = z.infer<typeof AddressSchema>;

/** PER: a contact name and its communication numbers (qualifier TE, EX, FX, EM, UR …). */
export const ContactSchema = z.object({
  name: z.string().optional(),
  numbers: z.array(z.object({ qualifier: z.string(), number: z.string() })),
});
export type Contact = z.infer<typeof ContactSchema>;

/** A REF: qualifier, value, and (line-level provider ids) the other payer it belongs to (REF04-2). */
export const ReferenceSchema = z.object({
  qualifier: z.string(),
  value: z.string(),
  description: z.string().optional(),
  otherPayerId: z.string().optional(),
});
export type Reference = z.infer<typeof ReferenceSchema>;

/** NM102–NM107: a person's or an organization's name. */
const nameShape = NameShape;

/** A provider named in an NM1 loop (2010AA, 2310x, 2420x): name, NPI, taxonomy, address, ids, contacts. */
export const ProviderSchema = z.object({
  ...nameShape,
  /** NM109 when NM108 = XX. */
  npi: z.string().optional(),
  /** NM108/NM109 when NM108 is not XX (kept as written). */
  identifier: z.object({ qualifier: z.string(), value: z.string() }).optional(),
  /** PRV03 (the PRV01 provider code follows from the role: BI, PE, AT …). */
  taxonomy: z.string().optional(),
  address: AddressSchema.optional(),
  /** REF EI (employer id) or SY (social security number): the billing provider's tax id. */
  taxId: z.object({ qualifier: z.string(), value: z.string() }).optional(),
  /** REF 0B, 1G, G2, LU …, with REF04 on line-level loops. */
  secondaryIds: z.array(ReferenceSchema).optional(),
  contacts: z.array(ContactSchema).optional(),
});
export type Provider = z.infer<typeof ProviderSchema>;

/** Roles of the providers named on a claim or line, from their NM101 entity code. */
export const ProviderRoleSchema = z.enum([
  'referring', // DN
  'primaryCare', // P3
  'rendering', // 82
  'serviceFacility', // 77
  'supervising', // DQ
  'ordering', // DK
  'purchasedService', // QB
  'attending', // 71
  'operating', // 72
  'otherOperating', // ZZ
  'assistantSurgeon', // DD
  'ambulancePickUp', // PW
  'ambulanceDropOff', // 45
  'billing', // 85 (2330 other payer billing provider)
]);
export type ProviderRole = z.infer<typeof ProviderRoleSchema>;

/** A provider in a role: 2310A–F (claim), 2420A–H (line). */
export const ClaimProviderSchema = ProviderSchema.extend({ role: ProviderRoleSchema });
export type ClaimProvider = z.infer<typeof ClaimProviderSchema>;

/** The billing provider (2000A PRV/CUR and 2010AA). */
export const BillingProviderSchema = ProviderSchema.extend({
  /** CUR02 (2000A), when the claim is not in US dollars. */
  currency: z.string().optional(),
});
export type BillingProvider = z.infer<typeof BillingProviderSchema>;

/** 2010AB pay-to address (NM1*87 carries only the entity type). */
export const PayToAddressSchema = z.object({ entityType: z.string().optional(), address: AddressSchema.optional() });
export type PayToAddress = z.infer<typeof PayToAddressSchema>;

/** 2010AC pay-to plan (subrogation). */
export const PayToPlanSchema = z.object({
  name: z.string().optional(),
  idQualifier: z.string().optional(),
  id: z.string().optional(),
  address: AddressSchema.optional(),
  secondaryId: ReferenceSchema.optional(),
  taxId: z.string().optional(),
});
export type PayToPlan = z.infer<typeof PayToPlanSchema>;

/** A person (or organization) in 2010BA, 2010CA or 2330A. */
export const PersonSchema = z.object({
  ...nameShape,
  /** NM108: MI member id, II unique health identifier. */
  memberIdQualifier: z.string().optional(),
  /** NM109. */
  memberId: z.string().optional(),
  address: AddressSchema.optional(),
  /** DMG02. */
  birthDate: IsoDateSchema.optional(),
  /** DMG03: F, M, U. */
  sex: z.string().optional(),
  /** REF SY, Y4 (property and casualty claim number), 1W … */
  secondaryIds: z.array(ReferenceSchema).optional(),
  /** PER (property and casualty contact). */
  contact: ContactSchema.optional(),
});
export type Person = z.infer<typeof PersonSchema>;

/** 2000B SBR with 2010BA. */
export const SubscriberSchema = PersonSchema.extend({
  /** SBR01: P primary, S secondary, T tertiary, A–H payers 4–11, U unknown. */
  payerResponsibility: z.string().optional(),
  /** SBR02: 18 when the subscriber is the patient. */
  relationship: z.string().optional(),
  /** SBR03. */
  groupNumber: z.string().optional(),
  /** SBR04. */
  groupName: z.string().optional(),
  /** SBR05 (837P). */
  insuranceType: z.string().optional(),
  /** SBR09: MB Medicare part B, MC Medicaid, CI commercial … */
  claimFilingIndicator: z.string().optional(),
});
export type Subscriber = z.infer<typeof SubscriberSchema>;

/** The patient: 2000C PAT with 2010CA, or the subscriber (SBR02 = 18, 2000B PAT on 837P). */
export const PatientSchema = PersonSchema.extend({
  /** True when the patient is the subscriber (no 2000C): the name, id and demographics are the subscriber's. */
  sameAsSubscriber: z.boolean(),
  /** PAT01 relationship to the insured (18 when the patient is the subscriber). */
  relationship: z.string().optional(),
  /** PAT04 student status (837D). */
  studentStatus: z.string().optional(),
  /** PAT06 date of death (837P). */
  deathDate: IsoDateSchema.optional(),
  /** PAT08 weight in pounds (837P). */
  weightPounds: z.number().optional(),
  /** PAT09 Y: pregnant (837P). */
  pregnancyIndicator: z.string().optional(),
});
export type Patient = z.infer<typeof PatientSchema>;

/** 2010BB: the destination payer (its id keys the payer rules). */
export const PayerSchema = z.object({
  name: z.string().optional(),
  /** NM108: PI payer id, XV CMS plan id. */
  idQualifier: z.string().optional(),
  id: z.string().optional(),
  address: AddressSchema.optional(),
  /** REF 2U, EI, FY, NF. */
  secondaryIds: z.array(ReferenceSchema).optional(),
  /** REF G2, LU: the billing provider's id at this payer. */
  billingProviderSecondaryIds: z.array(ReferenceSchema).optional(),
});
export type Payer = z.infer<typeof PayerSchema>;

/** Diagnosis roles from the HI qualifier (ICD-10 / ICD-9). */
export const DiagnosisKindSchema = z.enum(['principal', 'other', 'admitting', 'reasonForVisit', 'externalCause']);
export type DiagnosisKind = z.infer<typeof DiagnosisKindSchema>;

/**
 * One diagnosis from an HI composite: qualifier ABK/BK principal, ABF/BF other, ABJ/BJ admitting,
 * APR/PR patient's reason for visit, ABN/BN external cause; HI0x-9 present on admission (837I).
 * Line diagnosis pointers (SV107, SV311) count the principal and other diagnoses in this list's order.
 */
export const DiagnosisSchema = z.object({
  kind: DiagnosisKindSchema,
  qualifier: z.string(),
  code: z.string(),
  presentOnAdmission: z.string().optional(),
});
export type Diagnosis = z.infer<typeof DiagnosisSchema>;

/** An HI code with a date (procedures BBR/BBQ, occurrences BH). */
export const DatedCodeSchema = z.object({ qualifier: z.string(), code: z.string(), date: IsoDateSchema.optional() });
export type DatedCode = z.infer<typeof DatedCodeSchema>;

/** HI occurrence span (BI): a code with a date range. */
export const OccurrenceSpanSchema = z.object({ code: z.string(), from: IsoDateSchema, to: IsoDateSchema });
export type OccurrenceSpan = z.infer<typeof OccurrenceSpanSchema>;

/** HI value code (BE) with its amount. */
export const ValueCodeSchema = z.object({ code: z.string(), amount: CentsSchema });
export type ValueCode = z.infer<typeof ValueCodeSchema>;

/** 837I institutional data: CL1, DRG, procedures, occurrence/value/treatment codes. */
export const InstitutionalCodesSchema = z.object({
  /** CL101. */
  admissionType: z.string().optional(),
  /** CL102. */
  admissionSource: z.string().optional(),
  /** CL103. */
  patientStatus: z.string().optional(),
  /** HI*DR. */
  drg: z.string().optional(),
  /** HI BBR/BR/CAH. */
  principalProcedure: DatedCodeSchema.optional(),
  /** HI BBQ/BQ. */
  otherProcedures: z.array(DatedCodeSchema).optional(),
  /** HI BI. */
  occurrenceSpans: z.array(OccurrenceSpanSchema).optional(),
  /** HI BH (the qualifier is always BH: `qualifier` kept for symmetry with procedures). */
  occurrences: z.array(DatedCodeSchema).optional(),
  /** HI BE. */
  values: z.array(ValueCodeSchema).optional(),
  /** HI TC. */
  treatmentCodes: z.array(z.string()).optional(),
});
export type InstitutionalCodes = z.infer<typeof InstitutionalCodesSchema>;

/** PWK: paperwork sent apart from the claim. */
export const AttachmentSchema = z.object({
  reportType: z.string(),
  transmission: z.string(),
  controlNumberQualifier: z.string().optional(),
  controlNumber: z.string().optional(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

/** CN1. */
export const ContractSchema = z.object({
  type: z.string(),
  amount: CentsSchema.optional(),
  percentage: z.number().optional(),
  code: z.string().optional(),
  termsDiscountPercentage: z.number().optional(),
  version: z.string().optional(),
});
export type Contract = z.infer<typeof ContractSchema>;

/** NTE. */
export const NoteSchema = z.object({ code: z.string(), text: z.string() });
export type Note = z.infer<typeof NoteSchema>;

/** CRC: a condition category (07 ambulance, E1–E3 vision, 75 homebound, ZZ EPSDT, 70, 09) with its answers. */
export const ConditionIndicatorSchema = z.object({ category: z.string(), certification: z.string(), conditions: z.array(z.string()) });
export type ConditionIndicator = z.infer<typeof ConditionIndicatorSchema>;

/** CR1 ambulance transport (claim and line, 837P). */
export const AmbulanceTransportSchema = z.object({
  weightUnit: z.string().optional(),
  patientWeight: z.number().optional(),
  reasonCode: z.string().optional(),
  distanceUnit: z.string().optional(),
  distance: z.number().optional(),
  roundTripPurpose: z.string().optional(),
  stretcherPurpose: z.string().optional(),
});
export type AmbulanceTransport = z.infer<typeof AmbulanceTransportSchema>;

/** CR2 spinal manipulation (837P). */
export const SpinalManipulationSchema = z.object({
  patientConditionCode: z.string().optional(),
  description: z.string().optional(),
  secondDescription: z.string().optional(),
});
export type SpinalManipulation = z.infer<typeof SpinalManipulationSchema>;

/** HCP claim or line repricing. */
export const PricingSchema = z.object({
  methodology: z.string(),
  allowedAmount: CentsSchema.optional(),
  savingAmount: CentsSchema.optional(),
  organizationId: z.string().optional(),
  perDiemOrFlatRate: CentsSchema.optional(),
  /** HCP06: approved DRG (837I) or ambulatory patient group code. */
  approvedGroupCode: z.string().optional(),
  approvedAmount: CentsSchema.optional(),
  approvedRevenueCode: z.string().optional(),
  procedureQualifier: z.string().optional(),
  approvedProcedureCode: z.string().optional(),
  unitBasis: z.string().optional(),
  approvedUnits: z.number().optional(),
  rejectReason: z.string().optional(),
  policyCompliance: z.string().optional(),
  exception: z.string().optional(),
});
export type Pricing = z.infer<typeof PricingSchema>;

/** CLM11: related causes (AA auto accident, EM employment, OA other accident) and the accident's place. */
export const RelatedCausesSchema = z.object({ codes: z.array(z.string()), state: z.string().optional(), country: z.string().optional() });
export type RelatedCauses = z.infer<typeof RelatedCausesSchema>;

/** Claim-level dates (2300 DTP by qualifier). */
export const ClaimDatesSchema = z.object({
  onset: ClaimDateSchema.optional(), // 431
  initialTreatment: ClaimDateSchema.optional(), // 454
  lastSeen: ClaimDateSchema.optional(), // 304
  acuteManifestation: ClaimDateSchema.optional(), // 453
  accident: ClaimDateSchema.optional(), // 439
  lastMenstrualPeriod: ClaimDateSchema.optional(), // 484
  lastXray: ClaimDateSchema.optional(), // 455
  prescription: ClaimDateSchema.optional(), // 471
  disability: ClaimDateSchema.optional(), // 314
  disabilityBegin: ClaimDateSchema.optional(), // 360
  disabilityEnd: ClaimDateSchema.optional(), // 361
  lastWorked: ClaimDateSchema.optional(), // 297
  returnToWork: ClaimDateSchema.optional(), // 296
  admission: ClaimDateSchema.optional(), // 435 (D8, or DT with the hour on 837I)
  discharge: ClaimDateSchema.optional(), // 096 D8 (837P)
  /** 096 TM (837I): the discharge hour, HHMM. */
  dischargeHour: z.string().optional(),
  assumedCare: ClaimDateSchema.optional(), // 090
  relinquishedCare: ClaimDateSchema.optional(), // 091
  firstContact: ClaimDateSchema.optional(), // 444
  repricerReceived: ClaimDateSchema.optional(), // 050
  statement: ClaimDateSchema.optional(), // 434 (837I)
  service: ClaimDateSchema.optional(), // 472 (837D claim level)
  appliancePlacements: z.array(ClaimDateSchema).optional(), // 452 (837D, up to 5)
});
export type ClaimDates = z.infer<typeof ClaimDatesSchema>;

/** Claim-level references (2300 REF by qualifier). */
export const ClaimReferencesSchema = z.object({
  serviceAuthorizationException: z.string().optional(), // 4N
  medicareCrossoverIndicator: z.string().optional(), // F5
  mammographyCertification: z.string().optional(), // EW
  referralNumber: z.string().optional(), // 9F
  priorAuthorization: z.string().optional(), // G1
  /** F8: the payer's claim control number of the claim this one replaces or voids (frequency 7/8). */
  payerClaimControlNumber: z.string().optional(),
  clia: z.string().optional(), // X4
  repricedClaimNumber: z.string().optional(), // 9A
  adjustedRepricedClaimNumber: z.string().optional(), // 9C
  investigationalDeviceExemptions: z.array(z.string()).optional(), // LX
  clearinghouseTraceNumber: z.string().optional(), // D9
  medicalRecordNumber: z.string().optional(), // EA
  demonstrationProject: z.string().optional(), // P4
  carePlanOversight: z.string().optional(), // 1J
  autoAccidentState: z.string().optional(), // LU (837I)
  peerReviewApproval: z.string().optional(), // G4 (837I)
  predetermination: z.string().optional(), // G3 (837D)
  /** Any other REF qualifier met in 2300, kept as written. */
  other: z.array(ReferenceSchema).optional(),
});
export type ClaimReferences = z.infer<typeof ClaimReferencesSchema>;

/** Claim-level amounts (2300 AMT). */
export const ClaimAmountsSchema = z.object({
  patientAmountPaid: CentsSchema.optional(), // F5 (837P, 837D)
  patientEstimatedAmountDue: CentsSchema.optional(), // F3 (837I)
});
export type ClaimAmounts = z.infer<typeof ClaimAmountsSchema>;

/** DN1 orthodontic treatment (837D). */
export const OrthodonticTreatmentSchema = z.object({
  totalMonths: z.number().optional(),
  monthsRemaining: z.number().optional(),
  description: z.string().optional(),
});
export type OrthodonticTreatment = z.infer<typeof OrthodonticTreatmentSchema>;

/** DN2 tooth status (837D): E to be extracted, M missing. */
export const ToothStatusSchema = z.object({ tooth: z.string(), status: z.string(), codeListQualifier: z.string().optional() });
export type ToothStatus = z.infer<typeof ToothStatusSchema>;

/** 837D claim data. */
export const DentalClaimSchema = z.object({
  orthodontic: OrthodonticTreatmentSchema.optional(),
  toothStatus: z.array(ToothStatusSchema).optional(),
});
export type DentalClaim = z.infer<typeof DentalClaimSchema>;

/** One CAS adjustment: reason code, amount, quantity. */
export const AdjustmentSchema = z.object({ reason: z.string(), amount: CentsSchema, quantity: z.number().optional() });
export type Adjustment = z.infer<typeof AdjustmentSchema>;

/** One CAS segment: a group code (CO, PR, OA, PI) and up to six adjustments. */
export const AdjustmentGroupSchema = z.object({ group: z.string(), adjustments: z.array(AdjustmentSchema) });
export type AdjustmentGroup = z.infer<typeof AdjustmentGroupSchema>;

/** MOA outpatient adjudication by a prior payer. */
export const OutpatientAdjudicationSchema = z.object({
  reimbursementRate: z.number().optional(),
  hcpcsPayableAmount: CentsSchema.optional(),
  remarkCodes: z.array(z.string()).optional(),
  esrdPaymentAmount: CentsSchema.optional(),
  nonpayableProfessionalComponentAmount: CentsSchema.optional(),
});
export type OutpatientAdjudication = z.infer<typeof OutpatientAdjudicationSchema>;

/** MIA inpatient adjudication by a prior payer (837I). */
export const InpatientAdjudicationSchema = z.object({
  coveredDays: z.number().optional(),
  lifetimePsychiatricDays: z.number().optional(),
  drgAmount: CentsSchema.optional(),
  /** MIA05 and MIA20–MIA23. */
  remarkCodes: z.array(z.string()).optional(),
  disproportionateShareAmount: CentsSchema.optional(),
  mspPassThroughAmount: CentsSchema.optional(),
  ppsCapitalAmount: CentsSchema.optional(),
  ppsCapitalFspDrgAmount: CentsSchema.optional(),
  ppsCapitalHspDrgAmount: CentsSchema.optional(),
  ppsCapitalDshDrgAmount: CentsSchema.optional(),
  oldCapitalAmount: CentsSchema.optional(),
  ppsCapitalImeAmount: CentsSchema.optional(),
  ppsOperatingHospitalSpecificDrgAmount: CentsSchema.optional(),
  costReportDays: z.number().optional(),
  ppsOperatingFederalSpecificDrgAmount: CentsSchema.optional(),
  ppsCapitalOutlierAmount: CentsSchema.optional(),
  indirectTeachingAmount: CentsSchema.optional(),
  nonpayableProfessionalComponentAmount: CentsSchema.optional(),
  ppsCapitalExceptionAmount: CentsSchema.optional(),
});
export type InpatientAdjudication = z.infer<typeof InpatientAdjudicationSchema>;

/** 2330B: the other payer. */
export const OtherPayerNameSchema = z.object({
  name: z.string().optional(),
  idQualifier: z.string().optional(),
  /** NM109: matched by SVD01 on the lines this payer adjudicated. */
  id: z.string().optional(),
  address: AddressSchema.optional(),
  /** DTP*573: claim check or remittance date. */
  adjudicationDate: IsoDateSchema.optional(),
  secondaryIds: z.array(ReferenceSchema).optional(),
  priorAuthorization: z.string().optional(), // G1
  referralNumber: z.string().optional(), // 9F
  claimAdjustmentIndicator: z.string().optional(), // T4
  claimControlNumber: z.string().optional(), // F8
});
export type OtherPayerName = z.infer<typeof OtherPayerNameSchema>;

/** 2330C–I: a provider's id at the other payer (NM1 entity only, REFs). */
export const OtherPayerProviderSchema = z.object({
  role: ProviderRoleSchema,
  entityType: z.string().optional(),
  secondaryIds: z.array(ReferenceSchema).optional(),
});
export type OtherPayerProvider = z.infer<typeof OtherPayerProviderSchema>;

/** 2320 other subscriber information with 2330A–I: one other payer for coordination of benefits. */
export const OtherPayerSchema = z.object({
  /** SBR01. */
  payerResponsibility: z.string().optional(),
  /** SBR02: the other insured's relationship to the patient. */
  relationship: z.string().optional(),
  groupNumber: z.string().optional(),
  groupName: z.string().optional(),
  insuranceType: z.string().optional(),
  claimFilingIndicator: z.string().optional(),
  /** 2320 CAS: the other payer's claim-level adjustments. */
  adjustments: z.array(AdjustmentGroupSchema).optional(),
  /** AMT*D: what the other payer paid. */
  paidAmount: CentsSchema.optional(),
  /** AMT*A8. */
  nonCoveredAmount: CentsSchema.optional(),
  /** AMT*EAF. */
  remainingPatientLiability: CentsSchema.optional(),
  /** OI03. */
  benefitsAssignment: z.string().optional(),
  /** OI04 (837P). */
  patientSignatureSource: z.string().optional(),
  /** OI06. */
  releaseOfInformation: z.string().optional(),
  inpatientAdjudication: InpatientAdjudicationSchema.optional(),
  outpatientAdjudication: OutpatientAdjudicationSchema.optional(),
  /** 2330A. */
  subscriber: PersonSchema,
  /** 2330B. */
  payer: OtherPayerNameSchema,
  /** 2330C–I. */
  providers: z.array(OtherPayerProviderSchema).optional(),
});
export type OtherPayer = z.infer<typeof OtherPayerSchema>;

/** C003: procedure qualifier (HC HCPCS, AD dental, ER, IV, WK, HP), code, up to four modifiers, description. */
export const ProcedureSchema = z.object({
  qualifier: z.string(),
  code: z.string(),
  modifiers: z.array(z.string()).optional(),
  description: z.string().optional(),
});
export type Procedure = z.infer<typeof ProcedureSchema>;

/** TOO: a tooth (JP universal national tooth designation) and its surfaces (837D). */
export const ToothSchema = z.object({ qualifier: z.string(), code: z.string(), surfaces: z.array(z.string()).optional() });
export type Tooth = z.infer<typeof ToothSchema>;

/** 2410 drug identification: LIN (NDC), CTP quantity and unit, prescription number. */
export const DrugSchema = z.object({
  qualifier: z.string(),
  code: z.string(),
  quantity: z.number().optional(),
  unit: z.string().optional(),
  prescriptionNumber: ReferenceSchema.optional(),
});
export type Drug = z.infer<typeof DrugSchema>;

/** 2430: one prior payer's adjudication of the line. */
export const LineAdjudicationSchema = z.object({
  /** SVD01: the other payer's id (2330B NM109). */
  otherPayerId: z.string(),
  /** SVD02. */
  paidAmount: CentsSchema,
  procedure: ProcedureSchema.optional(),
  /** SVD04 (837I). */
  revenueCode: z.string().optional(),
  /** SVD05. */
  paidUnits: z.number().optional(),
  /** SVD06. */
  bundledLineNumber: z.number().optional(),
  adjustments: z.array(AdjustmentGroupSchema).optional(),
  /** DTP*573. */
  adjudicationDate: IsoDateSchema.optional(),
  /** AMT*EAF. */
  remainingPatientLiability: CentsSchema.optional(),
});
export type LineAdjudication = z.infer<typeof LineAdjudicationSchema>;

/** Line-level dates (2400 DTP by qualifier). */
export const LineDatesSchema = z.object({
  service: ClaimDateSchema.optional(), // 472
  prescription: ClaimDateSchema.optional(), // 471
  recertification: ClaimDateSchema.optional(), // 607
  beginTherapy: ClaimDateSchema.optional(), // 463
  lastCertification: ClaimDateSchema.optional(), // 461
  lastSeen: ClaimDateSchema.optional(), // 304
  hemoglobinTest: ClaimDateSchema.optional(), // 738
  serumCreatinineTest: ClaimDateSchema.optional(), // 739
  shipped: ClaimDateSchema.optional(), // 011
  lastXray: ClaimDateSchema.optional(), // 455
  initialTreatment: ClaimDateSchema.optional(), // 454
  priorPlacement: ClaimDateSchema.optional(), // 441 (837D)
  appliancePlacement: ClaimDateSchema.optional(), // 452 (837D)
  replacement: ClaimDateSchema.optional(), // 446 (837D)
  treatmentStart: ClaimDateSchema.optional(), // 196 (837D)
  treatmentCompletion: ClaimDateSchema.optional(), // 198 (837D)
});
export type LineDates = z.infer<typeof LineDatesSchema>;

/** Line-level references (2400 REF by qualifier). */
export const LineReferencesSchema = z.object({
  /** 6R: the provider's line item control number, echoed on the 835 (REF*6R under SVC). */
  lineControlNumber: z.string().optional(),
  repricedLineItem: z.string().optional(), // 9B
  adjustedRepricedLineItem: z.string().optional(), // 9D
  mammographyCertification: z.string().optional(), // EW
  clia: z.string().optional(), // X4
  referringClia: z.string().optional(), // F4
  immunizationBatch: z.string().optional(), // BT
  /** G1 (up to 5, REF04 naming the other payer). */
  priorAuthorizations: z.array(ReferenceSchema).optional(),
  /** 9F. */
  referrals: z.array(ReferenceSchema).optional(),
  /** G3 (837D). */
  predeterminations: z.array(ReferenceSchema).optional(),
  other: z.array(ReferenceSchema).optional(),
});
export type LineReferences = z.infer<typeof LineReferencesSchema>;

/** Line-level amounts (2400 AMT). */
export const LineAmountsSchema = z.object({
  salesTax: CentsSchema.optional(), // T
  postageClaimed: CentsSchema.optional(), // F4
  serviceTax: CentsSchema.optional(), // GT (837I)
  facilityTax: CentsSchema.optional(), // N8 (837I)
});
export type LineAmounts = z.infer<typeof LineAmountsSchema>;

/** SV5 durable medical equipment (837P). */
export const DurableMedicalEquipmentSchema = z.object({
  procedureQualifier: z.string().optional(),
  procedureCode: z.string().optional(),
  unitBasis: z.string().optional(),
  lengthOfNeed: z.number().optional(),
  rentalPrice: CentsSchema.optional(),
  purchasePrice: CentsSchema.optional(),
  rentalUnitPriceIndicator: z.string().optional(),
});
export type DurableMedicalEquipment = z.infer<typeof DurableMedicalEquipmentSchema>;

/** CR3 DME certification (837P). */
export const DmeCertificationSchema = z.object({
  type: z.string().optional(),
  unitBasis: z.string().optional(),
  duration: z.number().optional(),
});
export type DmeCertification = z.infer<typeof DmeCertificationSchema>;

/** MEA test result (837P): OG original / TR test, HT height, R1–R4 hemoglobin, hematocrit, epoetin, creatinine. */
export const MeasurementSchema = z.object({ reference: z.string(), qualifier: z.string(), value: z.number().optional() });
export type Measurement = z.infer<typeof MeasurementSchema>;

/** 2440 LQ/FRM: a form (CMN) and its answers. */
export const FormSchema = z.object({
  qualifier: z.string(),
  formId: z.string(),
  answers: z.array(
    z.object({
      question: z.string(),
      yesNo: z.string().optional(),
      text: z.string().optional(),
      date: IsoDateSchema.optional(),
      percent: z.number().optional(),
    }),
  ),
});
export type Form = z.infer<typeof FormSchema>;

/** One service line (2400) with what hangs under it (2410, 2420x, 2430, 2440). */
export const ServiceLineSchema = z.object({
  /** LX01. */
  lineNumber: z.int(),
  /** SV101 / SV202 / SV301. */
  procedure: ProcedureSchema.optional(),
  /** SV201 (837I). */
  revenueCode: z.string().optional(),
  /** SV102 / SV203 / SV302. */
  charge: CentsSchema,
  /** SV103 / SV204: UN units, MJ minutes, DA days. */
  unitBasis: z.string().optional(),
  /** SV104 / SV205 / SV306. */
  units: z.number().optional(),
  /** SV105 / SV303. */
  placeOfService: z.string().optional(),
  /** SV107 / SV311: 1-based positions in the claim's principal-and-other diagnosis list. */
  diagnosisPointers: z.array(z.int()).optional(),
  emergencyIndicator: z.string().optional(), // SV109
  epsdtIndicator: z.string().optional(), // SV111
  familyPlanningIndicator: z.string().optional(), // SV112
  copayStatus: z.string().optional(), // SV115
  /** SV207 (837I). */
  nonCoveredCharge: CentsSchema.optional(),
  /** SV304 oral cavity designation codes (837D). */
  oralCavity: z.array(z.string()).optional(),
  /** SV305 prosthesis, crown or inlay: I initial, R replacement (837D). */
  prosthesisCrownInlay: z.string().optional(),
  teeth: z.array(ToothSchema).optional(),
  durableMedicalEquipment: DurableMedicalEquipmentSchema.optional(),
  attachments: z.array(AttachmentSchema).optional(),
  ambulanceTransport: AmbulanceTransportSchema.optional(),
  dmeCertification: DmeCertificationSchema.optional(),
  conditionIndicators: z.array(ConditionIndicatorSchema).optional(),
  dates: LineDatesSchema,
  /** QTY PT (ambulance patient count), FL (obstetric anesthesia additional units). */
  ambulancePatientCount: z.number().optional(),
  obstetricAnesthesiaAdditionalUnits: z.number().optional(),
  measurements: z.array(MeasurementSchema).optional(),
  contract: ContractSchema.optional(),
  references: LineReferencesSchema,
  amounts: LineAmountsSchema,
  fileInformation: z.array(z.string()).optional(),
  notes: z.array(NoteSchema).optional(),
  /** PS1 purchased service: provider id and charge. */
  purchasedService: z.object({ providerId: z.string(), charge: CentsSchema.optional() }).optional(),
  pricing: PricingSchema.optional(),
  drug: DrugSchema.optional(),
  providers: z.array(ClaimProviderSchema).optional(),
  adjudications: z.array(LineAdjudicationSchema).optional(),
  forms: z.array(FormSchema).optional(),
  sources: FieldSourcesSchema,
});
export type ServiceLine = z.infer<typeof ServiceLineSchema>;

/** The claim. */
export const ClaimSchema = z.object({
  type: ClaimTypeSchema,
  /** BHT06: CH chargeable claim, RP encounter (reporting), 31 subrogation demand. */
  claimOrEncounter: z.string().optional(),
  /** CLM01. */
  patientControlNumber: z.string(),
  /** CLM02. */
  totalCharge: CentsSchema,
  /** CLM05-1 on 837P/837D. */
  placeOfService: z.string().optional(),
  /** CLM05-1 on 837I (the first two digits of the type of bill). */
  facilityType: z.string().optional(),
  /** CLM05-2: B place of service codes, A UB-04 facility type codes. */
  facilityCodeQualifier: z.string().optional(),
  /** CLM05-3: 1 original, 7 replacement, 8 void (837I: the type of bill's last digit). */
  frequency: z.string().optional(),
  /** 837I type of bill: facility type and frequency (CLM05-1 + CLM05-3), as reported on the UB-04. */
  typeOfBill: z.string().optional(),
  providerSignature: z.string().optional(), // CLM06
  assignment: z.string().optional(), // CLM07
  benefitsAssignment: z.string().optional(), // CLM08
  releaseOfInformation: z.string().optional(), // CLM09
  patientSignatureSource: z.string().optional(), // CLM10
  relatedCauses: RelatedCausesSchema.optional(), // CLM11
  specialProgram: z.string().optional(), // CLM12
  submissionReason: z.string().optional(), // CLM19 (837D PB predetermination)
  delayReason: z.string().optional(), // CLM20
  billingProvider: BillingProviderSchema,
  payToAddress: PayToAddressSchema.optional(),
  payToPlan: PayToPlanSchema.optional(),
  subscriber: SubscriberSchema,
  payer: PayerSchema,
  patient: PatientSchema,
  dates: ClaimDatesSchema,
  references: ClaimReferencesSchema,
  amounts: ClaimAmountsSchema,
  attachments: z.array(AttachmentSchema).optional(),
  contract: ContractSchema.optional(),
  fileInformation: z.array(z.string()).optional(),
  notes: z.array(NoteSchema).optional(),
  ambulanceTransport: AmbulanceTransportSchema.optional(),
  spinalManipulation: SpinalManipulationSchema.optional(),
  conditionIndicators: z.array(ConditionIndicatorSchema).optional(),
  diagnoses: z.array(DiagnosisSchema),
  /** HI BP/BO anesthesia related surgical procedures (837P). */
  anesthesiaProcedures: z.array(z.object({ qualifier: z.string(), code: z.string() })).optional(),
  /** HI BG condition codes. */
  conditionCodes: z.array(z.string()).optional(),
  institutional: InstitutionalCodesSchema.optional(),
  dental: DentalClaimSchema.optional(),
  pricing: PricingSchema.optional(),
  /** 2310A–F. */
  providers: z.array(ClaimProviderSchema),
  /** 2320 (one per other payer, for coordination of benefits). */
  otherPayers: z.array(OtherPayerSchema),
  lines: z.array(ServiceLineSchema),
  /**
   * Field path (`subscriber.memberId`, `diagnoses.0.code`) → where its value was read. When the patient
   * is the subscriber, the patient's copied fields are found under `subscriber.`.
   */
  sources: FieldSourcesSchema,
  envelope: EnvelopeRefSchema,
});
export type Claim = z.infer<typeof ClaimSchema>;
