/**
 * What the three 005010 health care claim guides share — 837P (X222A1), 837I (X223A2) and 837D
 * (X224A2) — as factories: the header (BHT, 1000A submitter, 1000B receiver), the hierarchy (2000A
 * billing provider with 2010AA/AB/AC, 2000B subscriber with 2010BA/BB, 2000C patient with 2010CA),
 * the coordination-of-benefits loops (2320 with 2330A/B and the other payer's provider loops), the
 * 2300/2400 segments whose form is common (CLM, PWK, CN1, K3, NTE, CRC, HI, HCP, CAS, LX, SVD, 2410,
 * 2430) and a builder for the provider name loops (2310x, 2420x, 2330x).
 *
 * Each factory takes the claim type where the guides differ (usage, code lists, a segment one guide
 * has and the others lack); the differences are written next to the element they concern.
 *
 * Same-id siblings (the DTPs, REFs, HIs, CRCs of a loop; the NM1-opened 2310x/2330x/2420x loops) are
 * listed next to each other in the guide's order and each carries a qualifier. The guides give such a
 * run one position number, so X12 itself does not fix their order within the run.
 *
 * Licensed code lists (CPT, CDT, NUBC revenue, type of bill, condition, occurrence, value codes) are
 * never listed: their elements are checked for form only. ICD-9 qualifiers (BK, BF, BJ, BR, BQ, PR, BN)
 * stay in the lists because the 5010 guides still carry them.
 */
import { amt, dtp, hl, n3, n4, nm1, ref, type Nm1Options } from './common.ts';
import { an, comp, dt, el, id, loop, n0, nu, q, qc, r, seg, tm, UNBOUNDED } from './dsl.ts';
import type { CompositeDef, ElementDef, ElementSlot, LoopDef, SegmentDef, Usage } from './types.ts';

/** Which guide a factory builds for: professional, institutional or dental. */
export type ClaimType = 'P' | 'I' | 'D';

/** One X12 relational condition (P paired, R required, E exclusion, C conditional, L list conditional). */
export type SyntaxNote = NonNullable<SegmentDef['syntax']>[number];

// ---------------------------------------------------------------------------------------------------
// Code lists the guides print in full (short, stable, not licensed).

/** SBR01 payer responsibility sequence number codes (primary … eleventh, unknown). */
export const PAYER_RESPONSIBILITY_CODES = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'P', 'S', 'T', 'U'] as const;

/** SBR09 claim filing indicator codes. */
export const CLAIM_FILING_INDICATOR_CODES = [
  '11', '12', '13', '14', '15', '16', '17', 'AM', 'BL', 'CH', 'CI', 'DS', 'FI', 'HM', 'LM', 'MA', 'MB', 'MC', 'OF', 'TV', 'VA', 'WC', 'ZZ',
] as const;

/** SBR05 insurance type codes (837P, Medicare secondary payer situations). */
export const INSURANCE_TYPE_CODES = ['12', '13', '14', '15', '16', '41', '42', '43', '47'] as const;

/** PAT01 patient's relationship to the insured (2000C). */
export const PATIENT_RELATIONSHIP_CODES = ['01', '19', '20', '21', '39', '40', '53', 'G8'] as const;

/** 2320 SBR02: the other insured's relationship to the patient (adds 18, self). */
export const OTHER_INSURED_RELATIONSHIP_CODES = ['01', '18', '19', '20', '21', '39', '40', '53', 'G8'] as const;

/** CLM20 delay reason codes. */
export const DELAY_REASON_CODES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '15'] as const;

/**
 * CLM05-3 claim frequency codes used on professional and dental claims: original, corrected,
 * replacement, void. (837I CLM05-3 is the third digit of the NUBC type of bill: form check only.)
 */
export const PROFESSIONAL_FREQUENCY_CODES = ['1', '6', '7', '8'] as const;

/** PWK01 attachment report type codes of the professional and institutional guides. */
export const ATTACHMENT_REPORT_TYPES = [
  '03', '04', '05', '06', '07', '08', '09', '10', '11', '13', '15', '21', 'A3', 'A4', 'AM', 'AS', 'B2', 'B3', 'B4', 'BR', 'BS', 'BT', 'CB', 'CK',
  'CT', 'D2', 'DA', 'DB', 'DG', 'DJ', 'DS', 'EB', 'HC', 'HR', 'I5', 'IR', 'LA', 'M1', 'MT', 'NN', 'OB', 'OC', 'OD', 'OE', 'OX', 'OZ', 'P4', 'P5',
  'PE', 'PN', 'PO', 'PQ', 'PY', 'PZ', 'RB', 'RR', 'RT', 'RX', 'SG', 'V5', 'XP',
] as const;

/** PWK01 of the dental guide: referral form, models, diagnostic report, EOB, support data, perio charts, films, reports. */
export const DENTAL_ATTACHMENT_REPORT_TYPES = ['B4', 'DA', 'DG', 'EB', 'OZ', 'P6', 'RB', 'RR'] as const;

/** PWK02 attachment transmission codes (available on request, by mail, electronically, e-mail, file transfer, fax). */
export const ATTACHMENT_TRANSMISSION_CODES = ['AA', 'BM', 'EL', 'EM', 'FT', 'FX'] as const;

/** CN101 contract type codes. */
export const CONTRACT_TYPE_CODES = ['01', '02', '03', '04', '05', '06', '09'] as const;

/** HCP01 pricing methodology codes. */
export const PRICING_METHODOLOGY_CODES = ['00', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14'] as const;

/** CAS01 claim adjustment group codes as the 837 guides list them (CR is still printed there). */
export const ADJUSTMENT_GROUP_CODES = ['CO', 'CR', 'OA', 'PI', 'PR'] as const;

/** HI0x-9 present-on-admission indicator (837I diagnoses). */
export const PRESENT_ON_ADMISSION_CODES = ['N', 'U', 'W', 'Y'] as const;

/** Yes/no condition or response code values. */
const YES_NO = ['N', 'Y'] as const;

// ---------------------------------------------------------------------------------------------------
// Element helpers (X12 5010 dictionary refs, types and lengths).

/** A monetary amount (782, R 1/18). */
export const money = (name: string, usage: Usage): ElementDef => r('782', name, usage, 1, 18);
/** A quantity (380, R 1/15). */
export const quantity = (name: string, usage: Usage): ElementDef => r('380', name, usage, 1, 15);
/** A yes/no condition or response code (1073). */
export const yesNo = (name: string, usage: Usage, codes: readonly string[] = YES_NO): ElementDef => id('1073', name, usage, 1, 1, codes);
/** Reference identification (127, AN 1/50). */
export const referenceId = (name: string, usage: Usage): ElementDef => an('127', name, usage, 1, 50);

/** A copy of `base` with extra syntax notes. */
export function withSyntax(base: SegmentDef, notes: readonly SyntaxNote[]): SegmentDef {
  return { ...base, syntax: [...(base.syntax ?? []), ...notes] };
}

/** A copy of `base` with element `position` (1-based) replaced: tailors a common factory to one guide. */
export function withElement(base: SegmentDef, position: number, slot: ElementSlot): SegmentDef {
  const elements = [...base.elements];
  elements[position - 1] = slot;
  return { ...base, elements };
}

/** REF with the guide's syntax note R0203 (REF02 or REF03 present). */
export function refSegment(name: string, usage: Usage, qualifiers: readonly string[], maxUse = 1): SegmentDef {
  return withSyntax(ref(name, usage, qualifiers, maxUse), [{ kind: 'R', elements: [2, 3] }]);
}

/** REF whose REF02 is itself a code (REF*4N exception code, REF*F5 crossover indicator, REF*T4 Y). */
export function refCoded(name: string, usage: Usage, qualifier: string, valueName: string, values: readonly string[]): SegmentDef {
  return withElement(refSegment(name, usage, [qualifier]), 2, el('127', valueName, 'R', 'AN', 1, 50, values));
}

/**
 * Line-level provider REF whose REF04 (C040) may name the other payer the id belongs to (REF04-1 = 2U,
 * REF04-2 = that payer's primary identifier), as the 2400/2420 loops allow.
 */
export function refWithOtherPayer(name: string, usage: Usage, qualifiers: readonly string[], maxUse: number): SegmentDef {
  return withElement(
    refSegment(name, usage, qualifiers, maxUse),
    4,
    comp('C040', 'Reference Identifier', 'S', [
      id('128', 'Reference Identification Qualifier', 'R', 2, 3, ['2U']),
      an('127', 'Other Payer Primary Identifier', 'R', 1, 50),
      nu('128', 'Reference Identification Qualifier'),
      nu('127', 'Reference Identification'),
      nu('128', 'Reference Identification Qualifier'),
      nu('127', 'Reference Identification'),
    ]),
  );
}

/**
 * PER for the 837s: PER01 = IC, PER03/PER04 required, then `morePairs` situational qualifier/number
 * pairs. `first` and `more` are the communication number qualifiers allowed in PER03 and in PER05/PER07
 * (the property and casualty and facility contacts have one more pair, the others two).
 */
export function contact(name: string, usage: Usage, maxUse: number, first: readonly string[], more: readonly string[], morePairs: 1 | 2 = 2): SegmentDef {
  const qualifier = (u: Usage, codes: readonly string[]): ElementDef => id('365', 'Communication Number Qualifier', u, 2, 2, codes);
  const number = (u: Usage): ElementDef => an('364', 'Communication Number', u, 1, 256);
  const elements: ElementSlot[] = [id('366', 'Contact Function Code', 'R', 2, 2, ['IC']), an('93', 'Name', 'S', 1, 60), qualifier('R', first), number('R')];
  for (let k = 0; k < morePairs; k++) elements.push(qualifier('S', more), number('S'));
  return seg('PER', name, usage, maxUse, elements, {
    qualifier: q(1, 'IC'),
    syntax: [
      { kind: 'P', elements: [3, 4] },
      { kind: 'P', elements: [5, 6] },
      { kind: 'P', elements: [7, 8] },
    ],
  });
}

/** NM1 options of a person provider with an optional NPI (NM108 = XX). */
export const PERSON_PROVIDER: Nm1Options = { entityType: ['1'], lastName: 'R', firstName: 'S', middleName: 'S', suffix: 'S', idQualifiers: ['XX'], idUsage: 'S' };
/** NM1 options of a provider that is a person or an organization, with an optional NPI. */
export const PERSON_OR_ORGANIZATION_PROVIDER: Nm1Options = { ...PERSON_PROVIDER, entityType: ['1', '2'] };
/** NM1 options of a facility (organization name, optional NPI). */
export const FACILITY: Nm1Options = { entityType: ['2'], lastName: 'R', firstName: 'N', middleName: 'N', suffix: 'N', idQualifiers: ['XX'], idUsage: 'S' };
/** NM1 options carrying only NM101/NM102 (other payer's provider loops, ambulance locations). */
export function entityOnly(entityType: readonly string[]): Nm1Options {
  return { entityType, lastName: 'N', firstName: 'N', middleName: 'N', suffix: 'N' };
}

/** PRV — Provider Information (specialty taxonomy): PRV01 provider code, PRV02 = PXC, PRV03 taxonomy. */
export function prv(name: string, usage: Usage, providerCode: string): SegmentDef {
  return seg(
    'PRV',
    name,
    usage,
    1,
    [
      id('1221', 'Provider Code', 'R', 1, 3, [providerCode]),
      id('128', 'Reference Identification Qualifier', 'R', 2, 3, ['PXC']),
      an('127', 'Provider Taxonomy Code', 'R', 1, 50),
    ],
    { syntax: [{ kind: 'P', elements: [2, 3] }] },
  );
}

/** What a provider name loop (2310x, 2420x, 2330x) holds besides its NM1. */
export interface ProviderLoopSpec {
  loopId: string;
  name: string;
  usage?: Usage;
  repeat?: number;
  entityCodes: readonly string[];
  nm1: Nm1Options;
  /** PRV01 value when the loop has a specialty PRV (PE rendering, AT attending, …). */
  specialty?: string;
  /** N3/N4 usage when the loop carries an address. */
  address?: Usage;
  refName?: string;
  refQualifiers?: readonly string[];
  refMaxUse?: number;
  refUsage?: Usage;
  /** Line loops: REF04 may name the other payer (C040, 2U). */
  refOtherPayer?: boolean;
  /** A PER after the REFs (ordering provider, service facility contact). */
  contact?: SegmentDef;
}

/** A provider or location name loop: NM1 [PRV] [N3 N4] [REF] [PER]. */
export function providerLoop(spec: ProviderLoopSpec): LoopDef {
  const children: SegmentDef[] = [nm1(spec.name, 'R', spec.entityCodes, spec.nm1)];
  if (spec.specialty) children.push(prv(`${spec.name} Specialty Information`, 'S', spec.specialty));
  if (spec.address) {
    // "Ordering Provider Name" → "Ordering Provider Address", as the guides name them.
    const subject = spec.name.replace(/ Name$/, '');
    children.push(n3(`${subject} Address`, spec.address), n4(`${subject} City, State, ZIP Code`, spec.address));
  }
  if (spec.refQualifiers) {
    const refName = spec.refName ?? `${spec.name} Secondary Identification`;
    const usage = spec.refUsage ?? 'S';
    const maxUse = spec.refMaxUse ?? 1;
    children.push(spec.refOtherPayer ? refWithOtherPayer(refName, usage, spec.refQualifiers, maxUse) : refSegment(refName, usage, spec.refQualifiers, maxUse));
  }
  if (spec.contact) children.push(spec.contact);
  return loop(spec.loopId, spec.name, spec.usage ?? 'S', spec.repeat ?? 1, children);
}

/**
 * A 2330C–2330I loop: the other payer's id for a provider named in 2310x — NM1 with NM101/NM102 only,
 * and the required REF.
 */
export function otherPayerProviderLoop(loopId: string, name: string, entityCodes: readonly string[], entityType: readonly string[], refQualifiers: readonly string[], refMaxUse: number, repeat = 1): LoopDef {
  return providerLoop({
    loopId,
    name,
    repeat,
    entityCodes,
    nm1: entityOnly(entityType),
    refName: `${name} Secondary Identification`,
    refQualifiers,
    refMaxUse,
    refUsage: 'R',
  });
}

// ---------------------------------------------------------------------------------------------------
// Header: BHT, 1000A, 1000B.

/** BHT — Beginning of Hierarchical Transaction; BHT06 31 subrogation demand (837P/I), CH chargeable, RP reporting. */
export function bht837(claimIdentifiers: readonly string[]): SegmentDef {
  return seg('BHT', 'Beginning of Hierarchical Transaction', 'R', 1, [
    id('1005', 'Hierarchical Structure Code', 'R', 4, 4, ['0019']),
    id('353', 'Transaction Set Purpose Code', 'R', 2, 2, ['00', '18']),
    an('127', 'Originator Application Transaction Identifier', 'R', 1, 50),
    dt('373', 'Transaction Set Creation Date', 'R'),
    tm('337', 'Transaction Set Creation Time', 'R'),
    id('640', 'Claim or Encounter Identifier', 'R', 2, 2, claimIdentifiers),
  ]);
}

/** Loop 1000A — Submitter Name: NM1*41 and one or two EDI contacts. */
export function loop1000A(): LoopDef {
  return loop('1000A', 'Submitter Name', 'R', 1, [
    nm1('Submitter Name', 'R', ['41'], { entityType: ['1', '2'], lastName: 'R', firstName: 'S', middleName: 'S', suffix: 'N', idQualifiers: ['46'], idUsage: 'R' }),
    contact('Submitter EDI Contact Information', 'R', 2, ['EM', 'FX', 'TE'], ['EM', 'EX', 'FX', 'TE']),
  ]);
}

/** Loop 1000B — Receiver Name: NM1*40 with the receiver's ETIN (NM108 = 46). */
export function loop1000B(): LoopDef {
  return loop('1000B', 'Receiver Name', 'R', 1, [
    nm1('Receiver Name', 'R', ['40'], { entityType: ['2'], lastName: 'R', firstName: 'N', middleName: 'N', suffix: 'N', idQualifiers: ['46'], idUsage: 'R' }),
  ]);
}

// ---------------------------------------------------------------------------------------------------
// 2000A billing provider.

/** HL of one hierarchical level, with the HL02/HL04 usage and HL04 values the guide sets for it. */
function hierarchicalLevel(name: string, levelCode: string, parentUsage: Usage, childCodes: readonly string[]): SegmentDef {
  const base = hl(name, [levelCode], parentUsage);
  return withElement(base, 4, id('736', 'Hierarchical Child Code', 'R', 1, 1, childCodes));
}

/** Loop 2010AA — Billing Provider Name. 837I: an organization only, tax id EI only, no UPIN/license REF. */
export function loop2010AA(type: ClaimType): LoopDef {
  const institutional = type === 'I';
  const children: SegmentDef[] = [
    nm1('Billing Provider Name', 'R', ['85'], institutional ? FACILITY : PERSON_OR_ORGANIZATION_PROVIDER),
    n3('Billing Provider Address', 'R'),
    n4('Billing Provider City, State, ZIP Code', 'R'),
    refSegment('Billing Provider Tax Identification', 'R', institutional ? ['EI'] : ['EI', 'SY']),
  ];
  if (!institutional) children.push(refSegment('Billing Provider UPIN/License Information', 'S', ['0B', '1G'], 2));
  children.push(contact('Billing Provider Contact Information', 'S', 2, ['EM', 'FX', 'TE'], ['EM', 'EX', 'FX', 'TE']));
  return loop('2010AA', 'Billing Provider Name', 'R', 1, children);
}

/** Loop 2010AB — Pay-to Address Name: NM1*87 (no name or id) with the address. */
export function loop2010AB(type: ClaimType): LoopDef {
  return loop('2010AB', 'Pay-to Address Name', 'S', 1, [
    nm1('Pay-to Address Name', 'R', ['87'], entityOnly(type === 'I' ? ['2'] : ['1', '2'])),
    n3('Pay-to Address', 'R'),
    n4('Pay-to Address City, State, ZIP Code', 'R'),
  ]);
}

/** Loop 2010AC — Pay-to Plan Name (subrogation): NM1*PE, address, secondary id and the plan's tax id. */
export function loop2010AC(): LoopDef {
  return loop('2010AC', 'Pay-To Plan Name', 'S', 1, [
    nm1('Pay-To Plan Name', 'R', ['PE'], { entityType: ['2'], lastName: 'R', firstName: 'N', middleName: 'N', suffix: 'N', idQualifiers: ['PI', 'XV'], idUsage: 'R' }),
    n3('Pay-to Plan Address', 'R'),
    n4('Pay-To Plan City, State, ZIP Code', 'R'),
    refSegment('Pay-to Plan Secondary Identification', 'S', ['2U', 'FY', 'NF']),
    refSegment('Pay-To Plan Tax Identification Number', 'R', ['EI']),
  ]);
}

/** Loop 2000A — Billing Provider Hierarchical Level (HL03 = 20), holding the subscriber levels. */
export function loop2000A(type: ClaimType, subscriber: LoopDef): LoopDef {
  return loop('2000A', 'Billing Provider Hierarchical Level', 'R', UNBOUNDED, [
    hierarchicalLevel('Billing Provider Hierarchical Level', '20', 'N', ['1']),
    prv('Billing Provider Specialty Information', 'S', 'BI'),
    seg('CUR', 'Foreign Currency Information', 'S', 1, [id('98', 'Entity Identifier Code', 'R', 2, 3, ['85']), id('100', 'Currency Code', 'R', 3, 3)]),
    loop2010AA(type),
    loop2010AB(type),
    loop2010AC(),
    subscriber,
  ]);
}

// ---------------------------------------------------------------------------------------------------
// 2000B subscriber, 2000C patient.

/** SBR of 2000B. 837I and 837D do not use SBR05 (insurance type). */
function subscriberInformation(type: ClaimType): SegmentDef {
  return seg('SBR', 'Subscriber Information', 'R', 1, [
    id('1138', 'Payer Responsibility Sequence Number Code', 'R', 1, 1, PAYER_RESPONSIBILITY_CODES),
    id('1069', 'Individual Relationship Code', 'S', 2, 2, ['18']),
    referenceId('Subscriber Group or Policy Number', 'S'),
    an('93', 'Subscriber Group Name', 'S', 1, 60),
    type === 'P' ? id('1336', 'Insurance Type Code', 'S', 1, 3, INSURANCE_TYPE_CODES) : nu('1336', 'Insurance Type Code'),
    nu('1143', 'Coordination of Benefits Code'),
    nu('1073', 'Yes/No Condition or Response Code'),
    nu('584', 'Employment Status Code'),
    id('1032', 'Claim Filing Indicator Code', 'S', 1, 2, CLAIM_FILING_INDICATOR_CODES),
  ]);
}

/** PAT elements 05–09 of the professional guide: date of death, weight, pregnancy. */
function professionalPatientDetails(): ElementDef[] {
  return [
    id('1250', 'Date Time Period Format Qualifier', 'S', 2, 3, ['D8']),
    an('1251', 'Patient Death Date', 'S', 1, 35),
    id('355', 'Unit or Basis for Measurement Code', 'S', 2, 2, ['01']),
    r('81', 'Patient Weight', 'S', 1, 10),
    yesNo('Pregnancy Indicator', 'S', ['Y']),
  ];
}

const PAT_PAIRS: readonly SyntaxNote[] = [
  { kind: 'P', elements: [5, 6] },
  { kind: 'P', elements: [7, 8] },
];

/** PAT of 2000B (837P only): patient details when the patient is the subscriber. */
function subscriberPatientInformation(): SegmentDef {
  return seg(
    'PAT',
    'Patient Information',
    'S',
    1,
    [nu('1069', 'Individual Relationship Code'), nu('1384', 'Patient Location Code'), nu('584', 'Employment Status Code'), nu('1220', 'Student Status Code'), ...professionalPatientDetails()],
    { syntax: PAT_PAIRS },
  );
}

/** PAT of 2000C. 837P adds death date, weight, pregnancy; 837D the student status. */
function patientInformation(type: ClaimType): SegmentDef {
  const relationship = id('1069', 'Individual Relationship Code', 'R', 2, 2, PATIENT_RELATIONSHIP_CODES);
  if (type === 'P') {
    return seg(
      'PAT',
      'Patient Information',
      'R',
      1,
      [relationship, nu('1384', 'Patient Location Code'), nu('584', 'Employment Status Code'), nu('1220', 'Student Status Code'), ...professionalPatientDetails()],
      { syntax: PAT_PAIRS },
    );
  }
  if (type === 'D') {
    return seg('PAT', 'Patient Information', 'R', 1, [
      relationship,
      nu('1384', 'Patient Location Code'),
      nu('584', 'Employment Status Code'),
      id('1220', 'Student Status Code', 'S', 1, 1, ['F', 'N', 'P']),
    ]);
  }
  return seg('PAT', 'Patient Information', 'R', 1, [relationship]);
}

/** DMG — Demographic Information: D8 birth date and gender. */
function demographics(name: string, usage: Usage): SegmentDef {
  return seg(
    'DMG',
    name,
    usage,
    1,
    [
      id('1250', 'Date Time Period Format Qualifier', 'R', 2, 3, ['D8']),
      an('1251', 'Birth Date', 'R', 1, 35),
      id('1068', 'Gender Code', 'R', 1, 1, ['F', 'M', 'U']),
    ],
    { syntax: [{ kind: 'P', elements: [1, 2] }] },
  );
}

/** PER of the property and casualty contacts (subscriber 837P, patient 837P): TE, then EX. */
function propertyCasualtyContact(name: string): SegmentDef {
  return contact(name, 'S', 1, ['TE'], ['EX'], 1);
}

/** Loop 2010BA — Subscriber Name. */
export function loop2010BA(type: ClaimType): LoopDef {
  const children: SegmentDef[] = [
    nm1('Subscriber Name', 'R', ['IL'], { entityType: ['1', '2'], lastName: 'R', firstName: 'S', middleName: 'S', suffix: 'S', idQualifiers: ['II', 'MI'], idUsage: 'S' }),
    n3('Subscriber Address', 'S'),
    n4('Subscriber City, State, ZIP Code', 'S'),
    demographics('Subscriber Demographic Information', 'S'),
    refSegment('Subscriber Secondary Identification', 'S', ['SY']),
    refSegment('Property and Casualty Claim Number', 'S', ['Y4']),
  ];
  if (type === 'P') children.push(propertyCasualtyContact('Property and Casualty Subscriber Contact Information'));
  return loop('2010BA', 'Subscriber Name', 'R', 1, children);
}

/** Loop 2010BB — Payer Name: the destination payer (its NM109 keys the payer rules). */
export function loop2010BB(type: ClaimType): LoopDef {
  return loop('2010BB', 'Payer Name', 'R', 1, [
    nm1('Payer Name', 'R', ['PR'], { entityType: ['2'], lastName: 'R', firstName: 'N', middleName: 'N', suffix: 'N', idQualifiers: ['PI', 'XV'], idUsage: 'R' }),
    n3('Payer Address', 'S'),
    n4('Payer City, State, ZIP Code', 'S'),
    refSegment('Payer Secondary Identification', 'S', ['2U', 'EI', 'FY', 'NF'], 3),
    refSegment('Billing Provider Secondary Identification', 'S', ['G2', 'LU'], type === 'I' ? 1 : 2),
  ]);
}

/** Loop 2010CA — Patient Name (the patient is not the subscriber). */
export function loop2010CA(type: ClaimType): LoopDef {
  const children: SegmentDef[] = [
    nm1('Patient Name', 'R', ['QC'], { entityType: ['1'], lastName: 'R', firstName: 'S', middleName: 'S', suffix: 'S' }),
    n3('Patient Address', 'R'),
    n4('Patient City, State, ZIP Code', 'R'),
    demographics('Patient Demographic Information', 'R'),
    refSegment('Property and Casualty Claim Number', 'S', ['Y4']),
  ];
  if (type !== 'D') children.push(refSegment('Property and Casualty Patient Identifier', 'S', ['1W', 'SY']));
  if (type === 'P') children.push(propertyCasualtyContact('Property and Casualty Patient Contact Information'));
  return loop('2010CA', 'Patient Name', 'R', 1, children);
}

/**
 * Loop 2000C — Patient Hierarchical Level (HL03 = 23), present only when the patient is not the
 * subscriber; its claims (2300) are required there.
 */
export function loop2000C(type: ClaimType, claim: LoopDef): LoopDef {
  return loop('2000C', 'Patient Hierarchical Level', 'S', UNBOUNDED, [
    hierarchicalLevel('Patient Hierarchical Level', '23', 'R', ['0']),
    patientInformation(type),
    loop2010CA(type),
    { ...claim, usage: 'R' },
  ]);
}

/**
 * Loop 2000B — Subscriber Hierarchical Level (HL03 = 22). The claim "floats": it sits here when the
 * patient is the subscriber (situational) and in 2000C otherwise.
 */
export function loop2000B(type: ClaimType, claim: LoopDef): LoopDef {
  const children: (SegmentDef | LoopDef)[] = [hierarchicalLevel('Subscriber Hierarchical Level', '22', 'R', ['0', '1']), subscriberInformation(type)];
  if (type === 'P') children.push(subscriberPatientInformation());
  children.push(loop2010BA(type), loop2010BB(type), { ...claim, usage: 'S' }, loop2000C(type, claim));
  return loop('2000B', 'Subscriber Hierarchical Level', 'R', UNBOUNDED, children);
}

// ---------------------------------------------------------------------------------------------------
// 2300 claim segments.

/** C023 — Health Care Service Location Information (CLM05): place of service or facility type, qualifier, frequency. */
function serviceLocation(type: ClaimType): CompositeDef {
  const institutional = type === 'I';
  return comp('C023', 'Health Care Service Location Information', 'R', [
    an('1331', institutional ? 'Facility Type Code' : 'Place of Service Code', 'R', 1, 2),
    id('1332', 'Facility Code Qualifier', 'R', 1, 2, [institutional ? 'A' : 'B']),
    // 837I: the third digit of the NUBC type of bill (licensed list) — form only.
    institutional ? id('1325', 'Claim Frequency Type Code', 'R', 1, 1) : id('1325', 'Claim Frequency Type Code', 'R', 1, 1, PROFESSIONAL_FREQUENCY_CODES),
  ]);
}

/** C024 — Related Causes Information (CLM11): accident type, auto accident state and country. */
function relatedCauses(): CompositeDef {
  const cause = (usage: Usage): ElementDef => id('1362', 'Related Causes Code', usage, 2, 3, ['AA', 'EM', 'OA']);
  return comp('C024', 'Related Causes Information', 'S', [
    cause('R'),
    cause('S'),
    nu('1362', 'Related Causes Code'),
    id('156', 'Auto Accident State or Province Code', 'S', 2, 2),
    id('26', 'Country Code', 'S', 2, 3),
  ]);
}

/**
 * CLM — Claim Information. CLM01 is the patient control number (X12 allows 38 characters; the guides
 * note that only 20 are guaranteed to come back on the 835).
 */
export function clm(type: ClaimType): SegmentDef {
  const p = type === 'P';
  const i = type === 'I';
  const d = type === 'D';
  return seg('CLM', 'Claim Information', 'R', 1, [
    an('1028', 'Patient Control Number', 'R', 1, 38),
    money('Total Claim Charge Amount', 'R'),
    nu('1032', 'Claim Filing Indicator Code'),
    nu('1343', 'Non-Institutional Claim Type Code'),
    serviceLocation(type),
    i ? nu('1073', 'Provider or Supplier Signature Indicator') : yesNo('Provider or Supplier Signature Indicator', 'R'),
    id('1359', 'Assignment or Plan Participation Code', 'R', 1, 1, ['A', 'B', 'C']),
    yesNo('Benefits Assignment Certification Indicator', 'R', ['N', 'W', 'Y']),
    id('1363', 'Release of Information Code', 'R', 1, 1, ['I', 'Y']),
    p ? id('1351', 'Patient Signature Source Code', 'S', 1, 1, ['P']) : nu('1351', 'Patient Signature Source Code'),
    i ? nu('C024', 'Related Causes Information') : relatedCauses(),
    p ? id('1366', 'Special Program Indicator', 'S', 2, 3, ['02', '03', '05', '09']) : d ? id('1366', 'Special Program Indicator', 'S', 2, 3, ['01', '02', '03', '05']) : nu('1366', 'Special Program Code'),
    nu('1073', 'Yes/No Condition or Response Code'),
    nu('1338', 'Level of Service Code'),
    nu('1073', 'Yes/No Condition or Response Code'),
    nu('1360', 'Provider Agreement Code'),
    nu('1029', 'Claim Status Code'),
    nu('1073', 'Yes/No Condition or Response Code'),
    // 837D: PB, predetermination of benefits.
    d ? id('1383', 'Claim Submission Reason Code', 'S', 2, 2, ['PB']) : nu('1383', 'Claim Submission Reason Code'),
    id('1514', 'Delay Reason Code', 'S', 1, 2, DELAY_REASON_CODES),
  ]);
}

/**
 * PWK — Claim or Line Supplemental Information (paperwork sent separately). `qualifierOnTransmission`
 * selects the PWK by PWK02 where a loop has two PWKs that share PWK01 = CT (837P 2400: supplemental
 * information and the DME certificate of medical necessity indicator).
 */
export function supplementalInformation(name: string, maxUse: number, reportTypes: readonly string[], qualifierOnTransmission = false): SegmentDef {
  return seg(
    'PWK',
    name,
    'S',
    maxUse,
    [
      id('755', 'Attachment Report Type Code', 'R', 2, 2, reportTypes),
      id('756', 'Attachment Transmission Code', 'R', 1, 2, ATTACHMENT_TRANSMISSION_CODES),
      nu('757', 'Report Copies Needed'),
      nu('98', 'Entity Identifier Code'),
      id('66', 'Identification Code Qualifier', 'S', 1, 2, ['AC']),
      an('67', 'Attachment Control Number', 'S', 2, 50),
    ],
    {
      ...(qualifierOnTransmission ? { qualifier: q(2, ...ATTACHMENT_TRANSMISSION_CODES) } : {}),
      syntax: [{ kind: 'P', elements: [5, 6] }],
    },
  );
}

/** CN1 — Contract Information. The professional line CN1 requires CN102. */
export function contractInformation(amountUsage: Usage = 'S'): SegmentDef {
  return seg('CN1', 'Contract Information', 'S', 1, [
    id('1166', 'Contract Type Code', 'R', 2, 2, CONTRACT_TYPE_CODES),
    money('Contract Amount', amountUsage),
    r('332', 'Contract Percentage', 'S', 1, 6),
    an('127', 'Contract Code', 'S', 1, 50),
    r('338', 'Terms Discount Percentage', 'S', 1, 6),
    an('799', 'Contract Version Identifier', 'S', 1, 30),
  ]);
}

/** K3 — File Information (data a payer asks for that the guide has no place for). */
export function fileInformation(): SegmentDef {
  return seg('K3', 'File Information', 'S', 10, [an('449', 'Fixed Format Information', 'R', 1, 80)]);
}

/** NTE — Note/Special Instruction, selected by NTE01 where a loop has two NTEs. */
export function note(name: string, maxUse: number, noteCodes: readonly string[] | undefined, selectByCode: boolean): SegmentDef {
  return seg('NTE', name, 'S', maxUse, [id('363', 'Note Reference Code', 'R', 3, 3, noteCodes), an('352', 'Note Text', 'R', 1, 80)], selectByCode && noteCodes ? { qualifier: q(1, ...noteCodes) } : {});
}

/** CRC — Conditions Indicator, selected by CRC01 (code category). */
export function conditionsIndicator(name: string, maxUse: number, category: readonly string[], indicator: readonly string[], conditions: readonly string[], moreConditions: number): SegmentDef {
  const condition = (usage: Usage): ElementDef => id('1321', 'Condition Indicator', usage, 2, 3, conditions);
  const elements: ElementSlot[] = [id('1136', 'Code Category', 'R', 2, 2, category), yesNo('Certification Condition Indicator', 'R', indicator), condition('R')];
  for (let k = 0; k < moreConditions; k++) elements.push(condition('S'));
  return seg('CRC', name, 'S', maxUse, elements, { qualifier: q(1, ...category) });
}

/** CRC — EPSDT Referral (CRC01 = ZZ), 2300 of 837P and 837I. */
export function epsdtReferral(): SegmentDef {
  return conditionsIndicator('EPSDT Referral', 1, ['ZZ'], YES_NO, ['AV', 'NU', 'S2', 'ST'], 2);
}

/** What one C022 (HI) position carries besides its qualifier and code. */
export interface HealthCareCodeOptions {
  /** HI0x-3/-4: a date (D8) or date range (RD8) required with the code. */
  date?: 'D8' | 'RD8';
  /** HI0x-5: a monetary amount required with the code (value codes). */
  amount?: boolean;
  /** HI0x-9: present-on-admission indicator (837I diagnoses). */
  presentOnAdmission?: boolean;
}

/** C022 — Health Care Code Information, one HI position. */
export function healthCareCode(usage: Usage, qualifiers: readonly string[], codeName: string, o: HealthCareCodeOptions = {}): CompositeDef {
  return comp('C022', 'Health Care Code Information', usage, [
    id('1270', 'Code List Qualifier Code', 'R', 1, 3, qualifiers),
    an('1271', codeName, 'R', 1, 30),
    o.date ? id('1250', 'Date Time Period Format Qualifier', 'R', 2, 3, [o.date]) : nu('1250', 'Date Time Period Format Qualifier'),
    o.date ? an('1251', 'Date Time Period', 'R', 1, 35) : nu('1251', 'Date Time Period'),
    o.amount ? money('Monetary Amount', 'R') : nu('782', 'Monetary Amount'),
    nu('380', 'Quantity'),
    nu('799', 'Version Identifier'),
    nu('1271', 'Industry Code'),
    o.presentOnAdmission ? yesNo('Present on Admission Indicator', 'S', PRESENT_ON_ADMISSION_CODES) : nu('1073', 'Yes/No Condition or Response Code'),
  ]);
}

/**
 * HI — Health Care Information Codes, selected by HI01-1. `first` qualifies HI01 and `rest` HI02…;
 * `positions` is how many of the 12 the guide uses (the others are "not used").
 */
export function healthCareInformation(
  name: string,
  usage: Usage,
  maxUse: number,
  spec: { first: readonly string[]; rest?: readonly string[]; positions: number; codeName: string; options?: HealthCareCodeOptions },
): SegmentDef {
  const elements: ElementSlot[] = [];
  for (let k = 1; k <= 12; k++) {
    if (k > spec.positions) elements.push(nu('C022', 'Health Care Code Information'));
    else elements.push(healthCareCode(k === 1 ? 'R' : 'S', k === 1 ? spec.first : (spec.rest ?? spec.first), spec.codeName, spec.options));
  }
  return seg('HI', name, usage, maxUse, elements, { qualifier: qc(1, 1, ...spec.first) });
}

const HCP_SYNTAX: readonly SyntaxNote[] = [
  { kind: 'R', elements: [1, 13] },
  { kind: 'P', elements: [9, 10] },
  { kind: 'P', elements: [11, 12] },
];

/** HCP13–HCP15: reject reason, policy compliance, exception codes of a repricer. */
function repricingOutcome(): ElementDef[] {
  return [
    id('901', 'Reject Reason Code', 'S', 2, 2, ['T1', 'T2', 'T3', 'T4', 'T5', 'T6']),
    id('1526', 'Policy Compliance Code', 'S', 1, 2, ['1', '2', '3', '4', '5']),
    id('1527', 'Exception Code', 'S', 1, 2, ['1', '2', '3', '4', '5', '6']),
  ];
}

/** HCP01–HCP07, shared by claim and line pricing. HCP06 is the APG (837P) or DRG (837I) code. */
function repricingAmounts(type: ClaimType): ElementDef[] {
  return [
    id('1473', 'Pricing Methodology', 'R', 2, 2, PRICING_METHODOLOGY_CODES),
    money('Repriced Allowed Amount', 'R'),
    money('Repriced Saving Amount', 'S'),
    an('127', 'Repricing Organization Identifier', 'S', 1, 50),
    r('118', 'Repricing Per Diem or Flat Rate Amount', 'S', 1, 9),
    an('127', type === 'I' ? 'Repriced Approved DRG Code' : 'Repriced Approved Ambulatory Patient Group Code', 'S', 1, 50),
    money(type === 'I' ? 'Repriced Approved Amount' : 'Repriced Approved Ambulatory Patient Group Amount', 'S'),
  ];
}

/** HCP — Claim Pricing/Repricing Information (2300). 837I carries an approved revenue code and units. */
export function claimPricing(type: ClaimType): SegmentDef {
  const institutional = type === 'I';
  return seg(
    'HCP',
    'Claim Pricing/Repricing Information',
    'S',
    1,
    [
      ...repricingAmounts(type),
      institutional ? an('234', 'Repriced Approved Revenue Code', 'S', 1, 48) : nu('234', 'Product/Service ID'),
      nu('235', 'Product/Service ID Qualifier'),
      nu('234', 'Product/Service ID'),
      institutional ? id('355', 'Unit or Basis for Measurement Code', 'S', 2, 2, ['DA', 'UN']) : nu('355', 'Unit or Basis for Measurement Code'),
      institutional ? quantity('Repriced Approved Service Unit Count', 'S') : nu('380', 'Quantity'),
      ...repricingOutcome(),
    ],
    { syntax: HCP_SYNTAX },
  );
}

/** HCP — Line Pricing/Repricing Information (2400): the approved procedure code and units. */
export function linePricing(type: ClaimType): SegmentDef {
  const institutional = type === 'I';
  const procedureQualifiers = institutional ? ['ER', 'HC', 'HP', 'IV', 'WK'] : type === 'D' ? ['AD'] : ['ER', 'HC', 'IV', 'WK'];
  return seg(
    'HCP',
    'Line Pricing/Repricing Information',
    'S',
    1,
    [
      ...repricingAmounts(type),
      institutional ? an('234', 'Repriced Approved Revenue Code', 'S', 1, 48) : nu('234', 'Product/Service ID'),
      id('235', 'Product or Service ID Qualifier', 'S', 2, 2, procedureQualifiers),
      an('234', 'Repriced Approved Procedure Code', 'S', 1, 48),
      id('355', 'Unit or Basis for Measurement Code', 'S', 2, 2, institutional ? ['DA', 'UN'] : type === 'D' ? ['UN'] : ['MJ', 'UN']),
      quantity('Repriced Approved Service Unit Count', 'S'),
      ...repricingOutcome(),
    ],
    { syntax: HCP_SYNTAX },
  );
}

// ---------------------------------------------------------------------------------------------------
// 2320 other subscriber information and 2330A/B.

/** CAS syntax notes: each reason/amount/quantity triplet after the first needs its reason and amount. */
const CAS_SYNTAX: readonly SyntaxNote[] = [5, 8, 11, 14, 17].flatMap((k): SyntaxNote[] => [
  { kind: 'L', elements: [k, k + 1, k + 2] },
  { kind: 'C', elements: [k + 1, k] },
  { kind: 'C', elements: [k + 2, k] },
]);

/** CAS — Claim or Line Adjustment made by a prior payer (CARC codes: an external list, form only). */
export function adjustment(name: string): SegmentDef {
  const elements: ElementSlot[] = [
    id('1033', 'Claim Adjustment Group Code', 'R', 1, 2, ADJUSTMENT_GROUP_CODES),
    id('1034', 'Adjustment Reason Code', 'R', 1, 5),
    money('Adjustment Amount', 'R'),
    quantity('Adjustment Quantity', 'S'),
  ];
  for (let k = 0; k < 5; k++) elements.push(id('1034', 'Adjustment Reason Code', 'S', 1, 5), money('Adjustment Amount', 'S'), quantity('Adjustment Quantity', 'S'));
  return seg('CAS', name, 'S', 5, elements, { syntax: CAS_SYNTAX });
}

/** SBR of 2320: the other payer's subscriber. SBR05 only on 837P. */
function otherSubscriberInformation(type: ClaimType): SegmentDef {
  return seg('SBR', 'Other Subscriber Information', 'R', 1, [
    id('1138', 'Payer Responsibility Sequence Number Code', 'R', 1, 1, PAYER_RESPONSIBILITY_CODES),
    id('1069', 'Individual Relationship Code', 'R', 2, 2, OTHER_INSURED_RELATIONSHIP_CODES),
    referenceId('Insured Group or Policy Number', 'S'),
    an('93', 'Other Insured Group Name', 'S', 1, 60),
    type === 'P' ? id('1336', 'Insurance Type Code', 'S', 1, 3, INSURANCE_TYPE_CODES) : nu('1336', 'Insurance Type Code'),
    nu('1143', 'Coordination of Benefits Code'),
    nu('1073', 'Yes/No Condition or Response Code'),
    nu('584', 'Employment Status Code'),
    id('1032', 'Claim Filing Indicator Code', 'S', 1, 2, CLAIM_FILING_INDICATOR_CODES),
  ]);
}

/** OI — Other Insurance Coverage Information. OI04 (patient signature source) only on 837P. */
function otherInsuranceCoverage(type: ClaimType): SegmentDef {
  return seg('OI', 'Other Insurance Coverage Information', 'R', 1, [
    nu('1032', 'Claim Filing Indicator Code'),
    nu('1383', 'Claim Submission Reason Code'),
    yesNo('Benefits Assignment Certification Indicator', 'R', ['N', 'W', 'Y']),
    type === 'P' ? id('1351', 'Patient Signature Source Code', 'S', 1, 1, ['P']) : nu('1351', 'Patient Signature Source Code'),
    nu('1360', 'Provider Agreement Code'),
    id('1363', 'Release of Information Code', 'R', 1, 1, ['I', 'Y']),
  ]);
}

/** A claim payment remark code (RARC, 127 AN 1/50; external list). */
const remark = (usage: Usage): ElementDef => an('127', 'Claim Payment Remark Code', usage, 1, 50);

/** MIA — Inpatient Adjudication Information (837I 2320), from a prior payer's 835. */
function inpatientAdjudication(): SegmentDef {
  return seg('MIA', 'Inpatient Adjudication Information', 'S', 1, [
    quantity('Covered Days or Visits Count', 'R'),
    nu('782', 'PPS Operating Outlier Amount'),
    quantity('Lifetime Psychiatric Days Count', 'S'),
    money('Claim DRG Amount', 'S'),
    remark('S'),
    money('Claim Disproportionate Share Amount', 'S'),
    money('Claim MSP Pass-through Amount', 'S'),
    money('Claim PPS Capital Amount', 'S'),
    money('PPS-Capital FSP DRG Amount', 'S'),
    money('PPS-Capital HSP DRG Amount', 'S'),
    money('PPS-Capital DSH DRG Amount', 'S'),
    money('Old Capital Amount', 'S'),
    money('PPS-Capital IME Amount', 'S'),
    money('PPS-Operating Hospital Specific DRG Amount', 'S'),
    quantity('Cost Report Day Count', 'S'),
    money('PPS-Operating Federal Specific DRG Amount', 'S'),
    money('Claim PPS Capital Outlier Amount', 'S'),
    money('Claim Indirect Teaching Amount', 'S'),
    money('Nonpayable Professional Component Amount', 'S'),
    remark('S'),
    remark('S'),
    remark('S'),
    remark('S'),
    money('PPS-Capital Exception Amount', 'S'),
  ]);
}

/** MOA — Outpatient Adjudication Information (837P/837I 2320), from a prior payer's 835. */
function outpatientAdjudication(): SegmentDef {
  return seg('MOA', 'Outpatient Adjudication Information', 'S', 1, [
    r('954', 'Reimbursement Rate', 'S', 1, 10),
    money('HCPCS Payable Amount', 'S'),
    remark('S'),
    remark('S'),
    remark('S'),
    remark('S'),
    remark('S'),
    money('End Stage Renal Disease Payment Amount', 'S'),
    money('Nonpayable Professional Component Billed Amount', 'S'),
  ]);
}

/** Loop 2330A — Other Subscriber Name. */
export function loop2330A(): LoopDef {
  return loop('2330A', 'Other Subscriber Name', 'R', 1, [
    nm1('Other Subscriber Name', 'R', ['IL'], { entityType: ['1', '2'], lastName: 'R', firstName: 'S', middleName: 'S', suffix: 'S', idQualifiers: ['II', 'MI'], idUsage: 'R' }),
    n3('Other Subscriber Address', 'S'),
    n4('Other Subscriber City, State, ZIP Code', 'S'),
    refSegment('Other Subscriber Secondary Identification', 'S', ['SY']),
  ]);
}

/** Loop 2330B — Other Payer Name: the prior payer, its adjudication date and its references. */
export function loop2330B(): LoopDef {
  return loop('2330B', 'Other Payer Name', 'R', 1, [
    nm1('Other Payer Name', 'R', ['PR'], { entityType: ['2'], lastName: 'R', firstName: 'N', middleName: 'N', suffix: 'N', idQualifiers: ['PI', 'XV'], idUsage: 'R' }),
    n3('Other Payer Address', 'S'),
    n4('Other Payer City, State, ZIP Code', 'S'),
    dtp('Claim Check or Remittance Date', 'S', ['573']),
    refSegment('Other Payer Secondary Identifier', 'S', ['2U', 'EI', 'FY', 'NF'], 2),
    refSegment('Other Payer Prior Authorization Number', 'S', ['G1']),
    refSegment('Other Payer Referral Number', 'S', ['9F']),
    refCoded('Other Payer Claim Adjustment Indicator', 'S', 'T4', 'Other Payer Claim Adjustment Indicator', ['Y']),
    refSegment('Other Payer Claim Control Number', 'S', ['F8']),
  ]);
}

/**
 * Loop 2320 — Other Subscriber Information (one per other payer), with the prior payer's claim-level
 * adjustments and amounts, 2330A/2330B and the guide's other-payer provider loops (`providers`).
 * 837I lists the remaining patient liability before the non-covered amount, and adds MIA.
 */
export function loop2320(type: ClaimType, providers: readonly LoopDef[]): LoopDef {
  const paid = amt('Coordination of Benefits (COB) Payer Paid Amount', 'S', ['D']);
  const nonCovered = amt('Coordination of Benefits (COB) Total Non-Covered Amount', 'S', ['A8']);
  const remaining = amt('Remaining Patient Liability', 'S', ['EAF']);
  const children: (SegmentDef | LoopDef)[] = [otherSubscriberInformation(type), adjustment('Claim Level Adjustments')];
  if (type === 'I') children.push(paid, remaining, nonCovered);
  else children.push(paid, nonCovered, remaining);
  children.push(otherInsuranceCoverage(type));
  if (type === 'I') children.push(inpatientAdjudication());
  if (type !== 'D') children.push(outpatientAdjudication());
  children.push(loop2330A(), loop2330B(), ...providers);
  return loop('2320', 'Other Subscriber Information', 'S', 10, children);
}

// ---------------------------------------------------------------------------------------------------
// 2400 service line pieces.

/** LX — Service Line Number. */
export function serviceLineNumber(): SegmentDef {
  return seg('LX', 'Service Line Number', 'R', 1, [n0('554', 'Assigned Number', 'R', 1, 6)]);
}

/**
 * C003 — Composite Medical Procedure Identifier: qualifier, procedure code, up to four modifiers and a
 * description (CPT/HCPCS/CDT values are licensed or external: form only).
 */
export function procedure(usage: Usage, qualifiers: readonly string[], modifiers: Usage = 'S', description: Usage = 'S'): CompositeDef {
  const modifier = (): ElementDef => an('1339', 'Procedure Modifier', modifiers, 2, 2);
  return comp('C003', 'Composite Medical Procedure Identifier', usage, [
    id('235', 'Product or Service ID Qualifier', 'R', 2, 2, qualifiers),
    an('234', 'Procedure Code', 'R', 1, 48),
    modifier(),
    modifier(),
    modifier(),
    modifier(),
    an('352', 'Description', description, 1, 80),
  ]);
}

/** C004 — Composite Diagnosis Code Pointer: up to four pointers (1–12) into the claim's HI list. */
export function diagnosisPointers(usage: Usage): CompositeDef {
  return comp('C004', 'Composite Diagnosis Code Pointer', usage, [
    n0('1328', 'Diagnosis Code Pointer', 'R', 1, 2),
    n0('1328', 'Diagnosis Code Pointer', 'S', 1, 2),
    n0('1328', 'Diagnosis Code Pointer', 'S', 1, 2),
    n0('1328', 'Diagnosis Code Pointer', 'S', 1, 2),
  ]);
}

/** Loop 2410 — Drug Identification: LIN (NDC), CTP (quantity and unit), prescription number. */
export function loop2410(type: ClaimType): LoopDef {
  // 837I names only the NDC (N4); 837P also the other drug and device numbering systems.
  const qualifiers = type === 'I' ? ['N4'] : ['EN', 'EO', 'HI', 'N4', 'ON', 'UK', 'UP'];
  return loop('2410', 'Drug Identification', 'S', 1, [
    seg('LIN', 'Drug Identification', 'R', 1, [
      nu('350', 'Assigned Identification'),
      id('235', 'Product or Service ID Qualifier', 'R', 2, 2, qualifiers),
      an('234', 'National Drug Code or Universal Product Number', 'R', 1, 48),
    ]),
    seg(
      'CTP',
      'Drug Quantity',
      'R',
      1,
      [
        nu('687', 'Class of Trade Code'),
        nu('236', 'Price Identifier Code'),
        nu('212', 'Unit Price'),
        quantity('National Drug Unit Count', 'R'),
        comp('C001', 'Composite Unit of Measure', 'R', [id('355', 'Unit or Basis for Measurement Code', 'R', 2, 2, ['F2', 'GR', 'ME', 'ML', 'UN'])]),
      ],
      { syntax: [{ kind: 'P', elements: [4, 5] }] },
    ),
    refSegment('Prescription or Compound Drug Association Number', 'S', ['VY', 'XZ']),
  ]);
}

/** SVD — Line Adjudication Information from a prior payer. 837I adds the revenue code (SVD04). */
function lineAdjudication(type: ClaimType): SegmentDef {
  const institutional = type === 'I';
  const qualifiers = institutional ? ['ER', 'HC', 'HP', 'IV', 'WK'] : type === 'D' ? ['AD'] : ['ER', 'HC', 'IV', 'WK'];
  return seg('SVD', 'Line Adjudication Information', 'R', 1, [
    an('67', 'Other Payer Primary Identifier', 'R', 2, 80),
    money('Service Line Paid Amount', 'R'),
    procedure(institutional ? 'S' : 'R', qualifiers),
    institutional ? an('234', 'Service Line Revenue Code', 'R', 1, 48) : nu('234', 'Product/Service ID'),
    quantity('Paid Service Unit Count', 'R'),
    n0('554', 'Bundled or Unbundled Line Number', 'S', 1, 6),
  ]);
}

/** Loop 2430 — Line Adjudication Information (one per prior payer that adjudicated the line). */
export function loop2430(type: ClaimType): LoopDef {
  return loop('2430', 'Line Adjudication Information', 'S', 15, [
    lineAdjudication(type),
    adjustment('Line Adjustment'),
    dtp('Line Check or Remittance Date', 'R', ['573']),
    amt('Remaining Patient Liability', 'S', ['EAF']),
  ]);
}
