/**
 * Code values the fixtures draw from. Every value is public: ICD-10-CM codes billable in FY2026
 * (checked against the CMS order file in the tests), HCPCS Level II codes and modifiers active in the
 * January 2026 CMS file (also checked in the tests), CARC/RARC codes as published by X12/CMS. No CPT
 * (AMA) code or modifier is used. Revenue codes and type-of-bill codes are NUBC's and appear here as
 * bare values only (no descriptions). Names, addresses and identifiers are obviously fictional.
 */

/** A procedure a fixture line can bill, with a plausible price and unit range. */
export interface ProcedureChoice {
  /** HCPCS Level II code (SV101-2 / SV202-2 / SVC01-2). */
  code: string;
  /** Charge per unit, in cents. */
  unitPriceCents: number;
  minUnits: number;
  maxUnits: number;
  /** Level II modifiers, one of which is used when the list is not empty. */
  modifiers?: readonly string[];
  weight: number;
}

/** A kind of professional encounter: where it happens, why, and what is billed. */
export interface ProfessionalScenario {
  name: string;
  /** Place of service (CLM05-1). */
  placeOfService: string;
  /** ICD-10-CM codes, without the dot, as the 837 carries them. */
  diagnoses: readonly string[];
  procedures: readonly ProcedureChoice[];
  maxLines: number;
  weight: number;
}

export const PROFESSIONAL_SCENARIOS: readonly ProfessionalScenario[] = [
  {
    name: 'wellness',
    placeOfService: '11',
    diagnoses: ['Z0000', 'Z0001', 'I10', 'E785', 'E119', 'E039', 'E6601'],
    procedures: [
      { code: 'G0438', unitPriceCents: 19_500, minUnits: 1, maxUnits: 1, weight: 2 },
      { code: 'G0439', unitPriceCents: 13_500, minUnits: 1, maxUnits: 1, weight: 3 },
      { code: 'G0402', unitPriceCents: 17_000, minUnits: 1, maxUnits: 1, weight: 1 },
      { code: 'G0444', unitPriceCents: 2_250, minUnits: 1, maxUnits: 1, weight: 2 },
      { code: 'G0442', unitPriceCents: 2_100, minUnits: 1, maxUnits: 1, weight: 1 },
    ],
    maxLines: 3,
    weight: 4,
  },
  {
    name: 'immunization',
    placeOfService: '11',
    diagnoses: ['Z23'],
    procedures: [
      { code: 'G0008', unitPriceCents: 2_500, minUnits: 1, maxUnits: 1, weight: 3 },
      { code: 'G0009', unitPriceCents: 2_500, minUnits: 1, maxUnits: 1, weight: 1 },
    ],
    maxLines: 2,
    weight: 2,
  },
  {
    name: 'injection',
    placeOfService: '11',
    diagnoses: ['J069', 'J45909', 'M5450', 'R519', 'M1990', 'R059', 'J189'],
    procedures: [
      { code: 'J1100', unitPriceCents: 150, minUnits: 4, maxUnits: 10, weight: 3 },
      { code: 'J1885', unitPriceCents: 575, minUnits: 1, maxUnits: 2, weight: 2 },
      { code: 'J0696', unitPriceCents: 1_225, minUnits: 1, maxUnits: 4, weight: 2 },
      { code: 'J3420', unitPriceCents: 1_500, minUnits: 1, maxUnits: 1, weight: 1 },
      { code: 'J2405', unitPriceCents: 310, minUnits: 2, maxUnits: 8, weight: 1 },
    ],
    maxLines: 3,
    weight: 3,
  },
  {
    name: 'durable medical equipment',
    placeOfService: '12',
    diagnoses: ['M25561', 'M25562', 'S93401A', 'E119', 'E1165', 'M1990'],
    procedures: [
      { code: 'E0114', unitPriceCents: 9_000, minUnits: 1, maxUnits: 1, modifiers: ['NU'], weight: 2 },
      { code: 'E0143', unitPriceCents: 14_500, minUnits: 1, maxUnits: 1, modifiers: ['NU', 'RR'], weight: 2 },
      { code: 'E0607', unitPriceCents: 6_000, minUnits: 1, maxUnits: 1, modifiers: ['NU'], weight: 1 },
      { code: 'A4253', unitPriceCents: 3_800, minUnits: 1, maxUnits: 2, modifiers: ['KX'], weight: 2 },
      { code: 'L3908', unitPriceCents: 7_250, minUnits: 1, maxUnits: 1, modifiers: ['LT', 'RT'], weight: 1 },
    ],
    maxLines: 4,
    weight: 2,
  },
  {
    name: 'therapy',
    placeOfService: '11',
    diagnoses: ['M5450', 'M25561', 'M25562', 'M1990'],
    procedures: [{ code: 'G0283', unitPriceCents: 2_600, minUnits: 1, maxUnits: 2, modifiers: ['GP'], weight: 1 }],
    maxLines: 1,
    weight: 1,
  },
  {
    name: 'telehealth screening',
    placeOfService: '10',
    diagnoses: ['F329', 'G4700', 'R5383'],
    procedures: [
      { code: 'G0444', unitPriceCents: 2_250, minUnits: 1, maxUnits: 1, weight: 2 },
      { code: 'G0442', unitPriceCents: 2_100, minUnits: 1, maxUnits: 1, weight: 1 },
    ],
    maxLines: 2,
    weight: 1,
  },
];

/** An institutional line: a revenue code with or without a HCPCS code. */
export interface RevenueLineChoice {
  /** NUBC revenue code (SV201), four digits. */
  revenueCode: string;
  /** HCPCS Level II code (SV202-2), when the line carries one. */
  procedure?: string;
  unitPriceCents: number;
  minUnits: number;
  maxUnits: number;
  weight: number;
}

/** A kind of institutional claim: its type of bill and the lines it carries. */
export interface InstitutionalScenario {
  name: string;
  /** Facility type code + bill classification (CLM05-1), e.g. `13` hospital outpatient. */
  facilityType: string;
  inpatient: boolean;
  /** Unscheduled outpatient visit: the patient's reason for visit (HI APR) is sent. */
  unscheduled: boolean;
  principalDiagnoses: readonly string[];
  /** Admitting diagnoses (HI ABJ), inpatient only. */
  admittingDiagnoses: readonly string[];
  otherDiagnoses: readonly string[];
  /** Lines the claim always carries first (one of each). */
  anchorLines: readonly RevenueLineChoice[];
  extraLines: readonly RevenueLineChoice[];
  maxExtraLines: number;
  /** CL101 admission type and CL102 point of origin. */
  admissionType: string;
  admissionSource: string;
  weight: number;
}

const ANCILLARY_LINES: readonly RevenueLineChoice[] = [
  { revenueCode: '0636', procedure: 'J1885', unitPriceCents: 2_400, minUnits: 1, maxUnits: 2, weight: 2 },
  { revenueCode: '0636', procedure: 'J2405', unitPriceCents: 1_100, minUnits: 1, maxUnits: 8, weight: 2 },
  { revenueCode: '0636', procedure: 'J2250', unitPriceCents: 1_400, minUnits: 1, maxUnits: 2, weight: 1 },
  { revenueCode: '0636', procedure: 'J2270', unitPriceCents: 2_900, minUnits: 1, maxUnits: 2, weight: 1 },
  { revenueCode: '0636', procedure: 'J7030', unitPriceCents: 8_500, minUnits: 1, maxUnits: 2, weight: 2 },
  { revenueCode: '0250', unitPriceCents: 4_550, minUnits: 1, maxUnits: 3, weight: 3 },
  { revenueCode: '0270', unitPriceCents: 6_275, minUnits: 1, maxUnits: 4, weight: 2 },
];

export const INSTITUTIONAL_SCENARIOS: readonly InstitutionalScenario[] = [
  {
    name: 'emergency visit',
    facilityType: '13',
    inpatient: false,
    unscheduled: true,
    principalDiagnoses: ['R079', 'R0600', 'R1084', 'R42', 'S93401A', 'J189', 'R519'],
    admittingDiagnoses: [],
    otherDiagnoses: ['I10', 'E119', 'E785', 'J45909', 'K219', 'F329'],
    anchorLines: [
      { revenueCode: '0450', procedure: 'G0380', unitPriceCents: 32_000, minUnits: 1, maxUnits: 1, weight: 1 },
      { revenueCode: '0450', procedure: 'G0382', unitPriceCents: 61_000, minUnits: 1, maxUnits: 1, weight: 2 },
      { revenueCode: '0450', procedure: 'G0384', unitPriceCents: 128_000, minUnits: 1, maxUnits: 1, weight: 1 },
    ],
    extraLines: ANCILLARY_LINES,
    maxExtraLines: 5,
    admissionType: '1',
    admissionSource: '7',
    weight: 4,
  },
  {
    name: 'clinic visit',
    facilityType: '13',
    inpatient: false,
    unscheduled: false,
    principalDiagnoses: ['I10', 'E119', 'E1165', 'F329', 'K219', 'N390', 'J45909'],
    admittingDiagnoses: [],
    otherDiagnoses: ['E785', 'E039', 'G4700', 'R5383'],
    anchorLines: [{ revenueCode: '0510', procedure: 'G0463', unitPriceCents: 18_500, minUnits: 1, maxUnits: 1, weight: 1 }],
    extraLines: [
      { revenueCode: '0636', procedure: 'J1100', unitPriceCents: 600, minUnits: 4, maxUnits: 10, weight: 2 },
      { revenueCode: '0250', unitPriceCents: 2_250, minUnits: 1, maxUnits: 2, weight: 1 },
    ],
    maxExtraLines: 2,
    admissionType: '3',
    admissionSource: '1',
    weight: 3,
  },
  {
    name: 'observation stay',
    facilityType: '13',
    inpatient: false,
    unscheduled: true,
    principalDiagnoses: ['R079', 'R0600', 'R42', 'R1084'],
    admittingDiagnoses: [],
    otherDiagnoses: ['I10', 'I4891', 'E119', 'E785'],
    anchorLines: [{ revenueCode: '0762', procedure: 'G0378', unitPriceCents: 7_500, minUnits: 8, maxUnits: 30, weight: 1 }],
    extraLines: ANCILLARY_LINES,
    maxExtraLines: 4,
    admissionType: '1',
    admissionSource: '7',
    weight: 1,
  },
  {
    name: 'inpatient stay',
    facilityType: '11',
    inpatient: true,
    unscheduled: false,
    principalDiagnoses: ['J189', 'N179', 'I4891', 'N390'],
    admittingDiagnoses: ['R0600', 'R079', 'R109', 'R5383'],
    otherDiagnoses: ['I10', 'E119', 'E785', 'E6601', 'K219'],
    anchorLines: [{ revenueCode: '0120', unitPriceCents: 145_000, minUnits: 1, maxUnits: 1, weight: 1 }],
    extraLines: ANCILLARY_LINES,
    maxExtraLines: 5,
    admissionType: '1',
    admissionSource: '7',
    weight: 1,
  },
  {
    name: 'critical access outpatient',
    facilityType: '85',
    inpatient: false,
    unscheduled: false,
    principalDiagnoses: ['I10', 'E119', 'M5450', 'J069'],
    admittingDiagnoses: [],
    otherDiagnoses: ['E785', 'R5383'],
    anchorLines: [{ revenueCode: '0510', procedure: 'G0463', unitPriceCents: 16_000, minUnits: 1, maxUnits: 1, weight: 1 }],
    extraLines: [{ revenueCode: '0250', unitPriceCents: 1_850, minUnits: 1, maxUnits: 2, weight: 1 }],
    maxExtraLines: 1,
    admissionType: '3',
    admissionSource: '1',
    weight: 1,
  },
];

/** Claim filing indicator (SBR09) and the matching 835 CLP06 value. */
export interface PayerChoice {
  name: string;
  /** 2010BB NM109 / 835 N1*PR reference. */
  payerId: string;
  professionalFiling: string;
  institutionalFiling: string;
  /** CLP06 claim filing indicator on the remittance. */
  remitFiling: string;
  /** BPR10 / TRN03: `1` followed by the payer's (fictional) EIN. */
  companyId: string;
  weight: number;
}

export const PAYERS: readonly PayerChoice[] = [
  { name: 'TESTPAYER COMMERCIAL PPO', payerId: 'TESTPPO01', professionalFiling: 'CI', institutionalFiling: 'CI', remitFiling: '12', companyId: '1990000011', weight: 4 },
  { name: 'TESTPAYER HMO PLAN', payerId: 'TESTHMO01', professionalFiling: 'HM', institutionalFiling: 'HM', remitFiling: 'HM', companyId: '1990000022', weight: 2 },
  { name: 'TESTPAYER MEDICARE DEMO', payerId: 'TESTMCR01', professionalFiling: 'MB', institutionalFiling: 'MA', remitFiling: 'MB', companyId: '1990000033', weight: 2 },
  { name: 'TESTPAYER MEDICAID DEMO', payerId: 'TESTMCD01', professionalFiling: 'MC', institutionalFiling: 'MC', remitFiling: 'MC', companyId: '1990000044', weight: 1 },
];

export const FIRST_NAMES: readonly string[] = [
  'ALPHA', 'BRAVO', 'CHARLIE', 'DELTA', 'ECHO', 'FOXTROT', 'GOLF', 'HOTEL', 'INDIA', 'JULIET',
  'KILO', 'LIMA', 'MIKE', 'NOVEMBER', 'OSCAR', 'PAPA', 'QUEBEC', 'ROMEO', 'SIERRA', 'TANGO',
];

export const LAST_NAMES: readonly string[] = ['TESTPATIENT', 'SAMPLEPATIENT', 'DEMOPATIENT', 'FAKEPATIENT', 'MOCKPATIENT'];

export const STREETS: readonly string[] = ['SAMPLE ST', 'EXAMPLE AVE', 'TEST BLVD', 'PLACEHOLDER RD', 'FIXTURE LN', 'DEMO CT'];

/** Fictional cities in real states; ZIP codes in the 00000-range that no real address uses. */
export const CITIES: readonly { city: string; state: string; zip: string }[] = [
  { city: 'TESTVILLE', state: 'PA', zip: '00001' },
  { city: 'SAMPLETOWN', state: 'OH', zip: '00002' },
  { city: 'EXAMPLE CITY', state: 'TX', zip: '00003' },
  { city: 'DEMOBURG', state: 'CA', zip: '00004' },
  { city: 'FIXTURE FALLS', state: 'NY', zip: '00005' },
];

export const BILLING_PROVIDER_NAMES: readonly string[] = [
  'TESTBILLING MEDICAL GROUP', 'SAMPLE FAMILY PRACTICE', 'EXAMPLE ORTHOPEDIC SUPPLY', 'DEMO HEALTH CLINIC',
];

export const FACILITY_NAMES: readonly string[] = ['TESTGENERAL HOSPITAL', 'SAMPLE COMMUNITY HOSPITAL', 'EXAMPLE REGIONAL HOSPITAL'];

/** A denial the 835 fixtures use: group and CARC, with the RARC sent on the line (LQ*HE). */
export interface DenialChoice {
  group: 'CO' | 'PR' | 'OA';
  reason: string;
  remark?: string;
  weight: number;
}

export const LINE_DENIALS: readonly DenialChoice[] = [
  // CARC 16 says "see remark": the RARC names what is missing.
  { group: 'CO', reason: '16', remark: 'M51', weight: 3 },
  { group: 'CO', reason: '16', remark: 'N290', weight: 2 },
  { group: 'CO', reason: '197', remark: 'N54', weight: 2 },
  { group: 'CO', reason: '50', remark: 'N115', weight: 2 },
  { group: 'CO', reason: '97', remark: 'M15', weight: 1 },
  { group: 'CO', reason: '18', weight: 1 },
  { group: 'CO', reason: '29', weight: 1 },
  { group: 'PR', reason: '204', weight: 1 },
];

/** PLB03-1 adjustment reasons the fixtures use, with the sign of their amount (positive lowers BPR02). */
export const PROVIDER_ADJUSTMENTS: readonly { reason: string; sign: 1 | -1; weight: number }[] = [
  { reason: 'WO', sign: 1, weight: 3 },
  { reason: 'L6', sign: -1, weight: 2 },
  { reason: 'FB', sign: 1, weight: 1 },
  { reason: '72', sign: 1, weight: 1 },
];
