/**
 * 837 Health Care Claim: Institutional, 005010X223A2, as data.
 *
 * Table 1 (BHT, 1000A, 1000B) and table 2 (2000A, 2000B, 2000C, 2300 claim, 2400 service line) in the
 * guide's order, with usage, max use, loop repeats and the qualifiers that tell same-id siblings apart
 * (NM101, HL03, REF01, DTP01, AMT01, NTE01, HI01-1). The NUBC code lists (revenue, type of bill,
 * admission type and source, patient status, condition, occurrence, value codes) are licensed: those
 * elements are checked for form only. Accepts the A1 and A3 errata identifiers and the unsuffixed form.
 */
import { amt, dtp, se, st } from './common.ts';
import {
  ATTACHMENT_REPORT_TYPES,
  bht837,
  claimPricing,
  clm,
  contractInformation,
  epsdtReferral,
  FACILITY,
  fileInformation,
  healthCareInformation,
  linePricing,
  loop1000A,
  loop1000B,
  loop2000A,
  loop2000B,
  loop2320,
  loop2410,
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
  serviceLineNumber,
  supplementalInformation,
} from './837-shared.ts';
import { an, id, loop, nu, seg } from './dsl.ts';
import type { GuideMap, LoopDef } from './types.ts';

/** NTE01 of the 2300 claim note: allergies, goals, diagnosis, DME, medications, nutrition, orders, … */
const CLAIM_NOTE_CODES = ['ALG', 'DCP', 'DGN', 'DME', 'MED', 'NTR', 'ODT', 'RHB', 'RLH', 'RNH', 'SET', 'SFM', 'SPT', 'UPI'];
/** Secondary id qualifiers of the attending, operating and rendering providers. */
const PHYSICIAN_ID_QUALIFIERS = ['0B', '1G', 'G2', 'LU'];

/** A 2310x or 2420x physician loop: a person with an optional NPI and secondary ids. */
function physician(loopId: string, name: string, entity: string, refMaxUse: number, lineLevel: boolean, refQualifiers = PHYSICIAN_ID_QUALIFIERS): LoopDef {
  return providerLoop({
    loopId,
    name,
    entityCodes: [entity],
    nm1: PERSON_PROVIDER,
    ...(loopId === '2310A' ? { specialty: 'AT' } : {}),
    refQualifiers,
    refMaxUse,
    refOtherPayer: lineLevel,
  });
}

/** Loop 2400 — Service Line Number (one per revenue code line). */
const serviceLine: LoopDef = loop('2400', 'Service Line Number', 'R', 999, [
  serviceLineNumber(),
  seg(
    'SV2',
    'Institutional Service Line',
    'R',
    1,
    [
      an('234', 'Service Line Revenue Code', 'R', 1, 48),
      procedure('S', ['ER', 'HC', 'HP', 'IV', 'WK']),
      money('Line Item Charge Amount', 'R'),
      id('355', 'Unit or Basis for Measurement Code', 'R', 2, 2, ['DA', 'UN']),
      quantity('Service Unit Count', 'R'),
      nu('1371', 'Unit Rate'),
      money('Line Item Denied Charge or Non-Covered Charge Amount', 'S'),
    ],
    {
      syntax: [
        { kind: 'R', elements: [1, 2] },
        { kind: 'P', elements: [4, 5] },
      ],
    },
  ),
  supplementalInformation('Line Supplemental Information', 10, ATTACHMENT_REPORT_TYPES),
  dtp('Date - Service Date', 'S', ['472'], ['D8', 'RD8']),
  refSegment('Line Item Control Number', 'S', ['6R']),
  refSegment('Repriced Line Item Reference Number', 'S', ['9B']),
  refSegment('Adjusted Repriced Line Item Reference Number', 'S', ['9D']),
  amt('Service Tax Amount', 'S', ['GT']),
  amt('Facility Tax Amount', 'S', ['N8']),
  note('Third Party Organization Notes', 1, ['TPO'], false),
  linePricing('I'),
  loop2410('I'),
  physician('2420A', 'Operating Physician Name', '72', 20, true),
  physician('2420B', 'Other Operating Physician Name', 'ZZ', 20, true),
  physician('2420C', 'Rendering Provider Name', '82', 20, true),
  physician('2420D', 'Referring Provider Name', 'DN', 20, true, ['0B', '1G', 'G2']),
  loop2430('I'),
]);

/** Loop 2300 — Claim Information. */
const claim: LoopDef = loop('2300', 'Claim Information', 'R', 100, [
  clm('I'),
  dtp('Date - Discharge Hour', 'S', ['096'], ['TM']),
  dtp('Date - Statement Dates', 'R', ['434'], ['RD8']),
  dtp('Date - Admission Date/Hour', 'S', ['435'], ['D8', 'DT']),
  dtp('Date - Repricer Received Date', 'S', ['050']),
  seg('CL1', 'Institutional Claim Code', 'R', 1, [
    // CL101 is required on inpatient claims only (the guide's situational rule).
    id('1315', 'Admission Type Code', 'S', 1, 1),
    id('1314', 'Admission Source Code', 'S', 1, 1),
    id('1352', 'Patient Status Code', 'R', 1, 2),
    nu('1345', 'Nursing Home Residential Status Code'),
  ]),
  supplementalInformation('Claim Supplemental Information', 10, ATTACHMENT_REPORT_TYPES),
  contractInformation(),
  amt('Patient Estimated Amount Due', 'S', ['F3']),
  refCoded('Service Authorization Exception Code', 'S', '4N', 'Service Authorization Exception Code', ['1', '2', '3', '4', '5', '6', '7']),
  refSegment('Referral Number', 'S', ['9F']),
  refSegment('Prior Authorization', 'S', ['G1']),
  refSegment('Payer Claim Control Number', 'S', ['F8']),
  refSegment('Repriced Claim Number', 'S', ['9A']),
  refSegment('Adjusted Repriced Claim Number', 'S', ['9C']),
  refSegment('Investigational Device Exemption Number', 'S', ['LX'], 5),
  refSegment('Claim Identifier for Transmission Intermediaries', 'S', ['D9']),
  refSegment('Auto Accident State', 'S', ['LU']),
  refSegment('Medical Record Number', 'S', ['EA']),
  refSegment('Demonstration Project Identifier', 'S', ['P4']),
  refSegment('Peer Review Organization (PRO) Approval Number', 'S', ['G4']),
  fileInformation(),
  note('Claim Note', 10, CLAIM_NOTE_CODES, true),
  note('Billing Note', 1, ['ADD'], true),
  epsdtReferral(),
  healthCareInformation('Principal Diagnosis', 'R', 1, { first: ['ABK', 'BK'], positions: 1, codeName: 'Principal Diagnosis Code', options: { presentOnAdmission: true } }),
  healthCareInformation('Admitting Diagnosis', 'S', 1, { first: ['ABJ', 'BJ'], positions: 1, codeName: 'Admitting Diagnosis Code' }),
  healthCareInformation("Patient's Reason For Visit", 'S', 1, { first: ['APR', 'PR'], positions: 3, codeName: "Patient's Reason for Visit" }),
  healthCareInformation('External Cause of Injury', 'S', 1, { first: ['ABN', 'BN'], positions: 12, codeName: 'External Cause of Injury Code', options: { presentOnAdmission: true } }),
  healthCareInformation('Diagnosis Related Group (DRG) Information', 'S', 1, { first: ['DR'], positions: 1, codeName: 'Diagnosis Related Group (DRG) Code' }),
  healthCareInformation('Other Diagnosis Information', 'S', 2, { first: ['ABF', 'BF'], positions: 12, codeName: 'Other Diagnosis', options: { presentOnAdmission: true } }),
  healthCareInformation('Principal Procedure Information', 'S', 1, { first: ['BBR', 'BR', 'CAH'], positions: 1, codeName: 'Principal Procedure Code', options: { date: 'D8' } }),
  healthCareInformation('Other Procedure Information', 'S', 2, { first: ['BBQ', 'BQ'], positions: 12, codeName: 'Procedure Code', options: { date: 'D8' } }),
  healthCareInformation('Occurrence Span Information', 'S', 2, { first: ['BI'], positions: 12, codeName: 'Occurrence Span Code', options: { date: 'RD8' } }),
  healthCareInformation('Occurrence Information', 'S', 2, { first: ['BH'], positions: 12, codeName: 'Occurrence Code', options: { date: 'D8' } }),
  healthCareInformation('Value Information', 'S', 2, { first: ['BE'], positions: 12, codeName: 'Value Code', options: { amount: true } }),
  healthCareInformation('Condition Information', 'S', 2, { first: ['BG'], positions: 12, codeName: 'Condition Code' }),
  healthCareInformation('Treatment Code Information', 'S', 2, { first: ['TC'], positions: 12, codeName: 'Treatment Code' }),
  claimPricing('I'),
  physician('2310A', 'Attending Provider Name', '71', 4, false),
  physician('2310B', 'Operating Physician Name', '72', 4, false),
  physician('2310C', 'Other Operating Physician Name', 'ZZ', 4, false),
  physician('2310D', 'Rendering Provider Name', '82', 4, false),
  providerLoop({
    loopId: '2310E',
    name: 'Service Facility Location Name',
    entityCodes: ['77'],
    nm1: FACILITY,
    address: 'R',
    refQualifiers: ['0B', 'G2', 'LU'],
    refMaxUse: 3,
  }),
  physician('2310F', 'Referring Provider Name', 'DN', 3, false, ['0B', '1G', 'G2']),
  loop2320('I', [
    otherPayerProviderLoop('2330C', 'Other Payer Attending Provider', ['71'], ['1'], PHYSICIAN_ID_QUALIFIERS, 4),
    otherPayerProviderLoop('2330D', 'Other Payer Operating Physician', ['72'], ['1'], PHYSICIAN_ID_QUALIFIERS, 4),
    otherPayerProviderLoop('2330E', 'Other Payer Other Operating Physician', ['ZZ'], ['1'], PHYSICIAN_ID_QUALIFIERS, 4),
    otherPayerProviderLoop('2330F', 'Other Payer Service Facility Location', ['77'], ['2'], ['0B', 'G2', 'LU'], 3),
    otherPayerProviderLoop('2330G', 'Other Payer Rendering Provider Name', ['82'], ['1'], PHYSICIAN_ID_QUALIFIERS, 4),
    otherPayerProviderLoop('2330H', 'Other Payer Referring Provider', ['DN'], ['1'], ['0B', '1G', 'G2'], 3),
    otherPayerProviderLoop('2330I', 'Other Payer Billing Provider', ['85'], ['2'], ['G2', 'LU'], 2),
  ]),
  serviceLine,
]);

/**
 * The 837I map.
 *
 * @example
 * findGuide('837', '005010X223A2') === map837I; // also A1, A3 and 005010X223
 */
export const map837I: GuideMap = {
  name: '837I',
  transactionSet: '837',
  functionalId: 'HC',
  version: '005010X223A2',
  acceptedVersions: ['005010X223A2', '005010X223A1', '005010X223A3', '005010X223'],
  root: loop('ST', 'Health Care Claim: Institutional', 'R', 1, [
    st('837'),
    bht837(['31', 'CH', 'RP']),
    loop1000A(),
    loop1000B(),
    loop2000A('I', loop2000B('I', claim)),
    se,
  ]),
};
