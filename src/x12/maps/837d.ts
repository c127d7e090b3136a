/**
 * 837 Health Care Claim: Dental, 005010X224A2, as data.
 *
 * Table 1 (BHT, 1000A, 1000B) and table 2 (2000A, 2000B, 2000C, 2300 claim with orthodontic and tooth
 * status data, 2400 dental service line with tooth information) in the guide's order, with usage, max
 * use, loop repeats and the qualifiers that tell same-id siblings apart (NM101, HL03, REF01, DTP01).
 * CDT procedure codes are licensed (ADA): form only. Accepts the A1 and A3 errata identifiers and the
 * unsuffixed form.
 */
import { amt, dtp, se, st } from './common.ts';
import {
  bht837,
  claimPricing,
  clm,
  contractInformation,
  DENTAL_ATTACHMENT_REPORT_TYPES,
  diagnosisPointers,
  FACILITY,
  fileInformation,
  healthCareInformation,
  linePricing,
  loop1000A,
  loop1000B,
  loop2000A,
  loop2000B,
  loop2320,
  loop2430,
  money,
  note,
  otherPayerProviderLoop,
  PERSON_PROVIDER,
  procedure,
  providerLoop,
  quantity,
  refCoded,
  refSegment,
  refWithOtherPayer,
  serviceLineNumber,
  supplementalInformation,
} from './837-shared.ts';
import { an, comp, id, loop, nu, seg } from './dsl.ts';
import type { ElementDef, GuideMap, LoopDef, Usage } from './types.ts';

/** Secondary id qualifiers of the dentists named on the claim. */
const DENTIST_ID_QUALIFIERS = ['0B', '1G', 'G2', 'LU'];
/** SV304 oral cavity designation: entire mouth, arches, other area, quadrants, sides. */
const ORAL_CAVITY_CODES = ['00', '01', '02', '09', '10', '20', '30', '40', 'L', 'R'];
/** TOO03 tooth surface: buccal, distal, facial, incisal, lingual, mesial, occlusal. */
const TOOTH_SURFACE_CODES = ['B', 'D', 'F', 'I', 'L', 'M', 'O'];

const oralCavity = (usage: Usage): ElementDef => id('1361', 'Oral Cavity Designation Code', usage, 1, 3, ORAL_CAVITY_CODES);
const toothSurface = (usage: Usage): ElementDef => id('1369', 'Tooth Surface Code', usage, 1, 2, TOOTH_SURFACE_CODES);

/** A dentist loop (2310x, 2420x): a person with an optional NPI and secondary ids. */
function dentist(loopId: string, name: string, entityCodes: readonly string[], refMaxUse: number, lineLevel: boolean, specialty?: string, repeat = 1): LoopDef {
  return providerLoop({
    loopId,
    name,
    repeat,
    entityCodes,
    nm1: PERSON_PROVIDER,
    ...(specialty ? { specialty } : {}),
    refQualifiers: entityCodes.includes('DN') ? ['0B', '1G', 'G2'] : DENTIST_ID_QUALIFIERS,
    refMaxUse,
    refOtherPayer: lineLevel,
  });
}

/** Loop 2400 — Service Line Number (one dental procedure). */
const serviceLine: LoopDef = loop('2400', 'Service Line Number', 'R', 50, [
  serviceLineNumber(),
  seg('SV3', 'Dental Service', 'R', 1, [
    procedure('R', ['AD']),
    money('Line Item Charge Amount', 'R'),
    an('1331', 'Place of Service Code', 'S', 1, 2),
    comp('C006', 'Oral Cavity Designation', 'S', [oralCavity('R'), oralCavity('S'), oralCavity('S'), oralCavity('S'), oralCavity('S')]),
    id('1358', 'Prosthesis, Crown, or Inlay Code', 'S', 1, 1, ['I', 'R']),
    quantity('Procedure Count', 'S'),
    nu('352', 'Description'),
    nu('1327', 'Copay Status Code'),
    nu('1360', 'Provider Agreement Code'),
    nu('1073', 'Yes/No Condition or Response Code'),
    diagnosisPointers('S'),
  ]),
  seg('TOO', 'Tooth Information', 'S', 32, [
    id('1270', 'Code List Qualifier Code', 'R', 1, 3, ['JP']),
    an('1271', 'Tooth Code', 'R', 1, 30),
    comp('C005', 'Tooth Surface', 'S', [toothSurface('R'), toothSurface('S'), toothSurface('S'), toothSurface('S'), toothSurface('S')]),
  ]),
  dtp('Date - Service Date', 'S', ['472']),
  dtp('Date - Prior Placement', 'S', ['441']),
  dtp('Date - Appliance Placement', 'S', ['452']),
  dtp('Date - Replacement', 'S', ['446']),
  dtp('Date - Treatment Start', 'S', ['196']),
  dtp('Date - Treatment Completion', 'S', ['198']),
  contractInformation(),
  refWithOtherPayer('Service Predetermination Identification', 'S', ['G3'], 5),
  refWithOtherPayer('Prior Authorization', 'S', ['G1'], 5),
  refSegment('Line Item Control Number', 'S', ['6R']),
  refSegment('Repriced Line Item Reference Number', 'S', ['9B']),
  refSegment('Adjusted Repriced Line Item Reference Number', 'S', ['9D']),
  refWithOtherPayer('Referral Number', 'S', ['9F'], 5),
  amt('Sales Tax Amount', 'S', ['T']),
  fileInformation(),
  note('Line Note', 1, undefined, false),
  linePricing('D'),
  dentist('2420A', 'Rendering Provider Name', ['82'], 20, true, 'PE'),
  dentist('2420B', 'Assistant Surgeon Name', ['DD'], 20, true, 'PE'),
  dentist('2420C', 'Supervising Provider Name', ['DQ'], 20, true),
  providerLoop({
    loopId: '2420D',
    name: 'Service Facility Location Name',
    entityCodes: ['77'],
    nm1: FACILITY,
    address: 'R',
    refQualifiers: ['G2', 'LU'],
    refMaxUse: 3,
    refOtherPayer: true,
  }),
  loop2430('D'),
]);

/** Loop 2300 — Claim Information. */
const claim: LoopDef = loop('2300', 'Claim Information', 'R', 100, [
  clm('D'),
  dtp('Date - Accident', 'S', ['439']),
  dtp('Date - Appliance Placement', 'S', ['452'], ['D8'], 5),
  dtp('Date - Service Date', 'S', ['472'], ['D8', 'RD8']),
  dtp('Date - Repricer Received Date', 'S', ['050']),
  seg('DN1', 'Orthodontic Total Months of Treatment', 'S', 1, [
    quantity('Orthodontic Treatment Months Count', 'S'),
    quantity('Orthodontic Treatment Months Remaining Count', 'S'),
    nu('1073', 'Yes/No Condition or Response Code'),
    an('352', 'Description', 'S', 1, 80),
  ]),
  seg(
    'DN2',
    'Tooth Status',
    'S',
    35,
    [
      an('127', 'Tooth Number', 'R', 1, 50),
      id('1368', 'Tooth Status Code', 'R', 1, 2, ['E', 'M']),
      nu('380', 'Quantity'),
      nu('1250', 'Date Time Period Format Qualifier'),
      nu('1251', 'Date Time Period'),
      id('1270', 'Code List Qualifier Code', 'S', 1, 3, ['JP']),
    ],
    { syntax: [{ kind: 'P', elements: [4, 5] }] },
  ),
  supplementalInformation('Claim Supplemental Information', 10, DENTAL_ATTACHMENT_REPORT_TYPES),
  contractInformation(),
  amt('Patient Amount Paid', 'S', ['F5']),
  refSegment('Predetermination Identification', 'S', ['G3']),
  refCoded('Service Authorization Exception Code', 'S', '4N', 'Service Authorization Exception Code', ['1', '2', '3', '4', '5', '6', '7']),
  refSegment('Payer Claim Control Number', 'S', ['F8']),
  refSegment('Referral Number', 'S', ['9F']),
  refSegment('Prior Authorization', 'S', ['G1']),
  refSegment('Repriced Claim Number', 'S', ['9A']),
  refSegment('Adjusted Repriced Claim Number', 'S', ['9C']),
  refSegment('Claim Identifier for Transmission Intermediaries', 'S', ['D9']),
  fileInformation(),
  note('Claim Note', 1, undefined, false),
  // Up to four diagnoses (A2 errata), pointed to by SV311.
  healthCareInformation('Health Care Diagnosis Code', 'S', 1, { first: ['ABK', 'BK'], rest: ['ABF', 'BF'], positions: 4, codeName: 'Diagnosis Code' }),
  claimPricing('D'),
  dentist('2310A', 'Referring Provider Name', ['DN', 'P3'], 3, false, undefined, 2),
  dentist('2310B', 'Rendering Provider Name', ['82'], 4, false, 'PE'),
  providerLoop({
    loopId: '2310C',
    name: 'Service Facility Location Name',
    entityCodes: ['77'],
    nm1: FACILITY,
    address: 'R',
    refQualifiers: ['G2', 'LU'],
    refMaxUse: 3,
  }),
  dentist('2310D', 'Assistant Surgeon Name', ['DD'], 4, false, 'PE'),
  dentist('2310E', 'Supervising Provider Name', ['DQ'], 4, false),
  loop2320('D', [
    otherPayerProviderLoop('2330C', 'Other Payer Referring Provider', ['DN', 'P3'], ['1'], ['0B', '1G', 'G2'], 3, 2),
    otherPayerProviderLoop('2330D', 'Other Payer Rendering Provider', ['82'], ['1'], DENTIST_ID_QUALIFIERS, 3),
    otherPayerProviderLoop('2330E', 'Other Payer Supervising Provider', ['DQ'], ['1'], DENTIST_ID_QUALIFIERS, 3),
    otherPayerProviderLoop('2330F', 'Other Payer Billing Provider', ['85'], ['1', '2'], ['G2', 'LU'], 2),
    otherPayerProviderLoop('2330G', 'Other Payer Service Facility Location', ['77'], ['2'], ['G2', 'LU'], 3),
    otherPayerProviderLoop('2330H', 'Other Payer Assistant Surgeon', ['DD'], ['1'], DENTIST_ID_QUALIFIERS, 3),
  ]),
  serviceLine,
]);

/**
 * The 837D map.
 *
 * @example
 * findGuide('837', '005010X224A2') === map837D; // also A1, A3 and 005010X224
 */
export const map837D: GuideMap = {
  name: '837D',
  transactionSet: '837',
  functionalId: 'HC',
  version: '005010X224A2',
  acceptedVersions: ['005010X224A2', '005010X224A1', '005010X224A3', '005010X224'],
  root: loop('ST', 'Health Care Claim: Dental', 'R', 1, [st('837'), bht837(['CH', 'RP']), loop1000A(), loop1000B(), loop2000A('D', loop2000B('D', claim)), se]),
};
