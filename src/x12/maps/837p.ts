/**
 * 837 Health Care Claim: Professional, 005010X222A1, as data.
 *
 * Table 1 (BHT, 1000A submitter, 1000B receiver) and table 2 (2000A billing provider, 2000B
 * subscriber, 2000C patient, 2300 claim, 2400 service line) in the guide's order, with the guide's
 * usage, max use, loop repeats, and the qualifiers that tell same-id siblings apart (NM101, HL03, REF01,
 * DTP01, AMT01, QTY01, CRC01, NTE01, HI01-1; PWK02 for the two line PWKs, which share PWK01 = CT).
 * Accepts the A2 errata identifier and the unsuffixed form seen in the wild.
 */
import { amt, dtp, qty, se, st } from './common.ts';
import {
  ATTACHMENT_REPORT_TYPES,
  bht837,
  claimPricing,
  clm,
  conditionsIndicator,
  contact,
  contractInformation,
  diagnosisPointers,
  entityOnly,
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
  PERSON_OR_ORGANIZATION_PROVIDER,
  PERSON_PROVIDER,
  procedure,
  providerLoop,
  quantity,
  refCoded,
  refSegment,
  refWithOtherPayer,
  serviceLineNumber,
  supplementalInformation,
  yesNo,
} from './837-shared.ts';
import { an, comp, dt, id, loop, nu, q, r, seg, UNBOUNDED } from './dsl.ts';
import type { GuideMap, LoopDef, SegmentDef } from './types.ts';

const YES_NO = ['N', 'Y'];
/** CRC03–CRC07 ambulance certification condition codes. */
const AMBULANCE_CONDITIONS = ['01', '04', '05', '06', '07', '08', '09', '12'];
/** PWK02 values of the DME certificate of medical necessity indicator (on file, to follow, …). */
const CMN_TRANSMISSION_CODES = ['AB', 'AD', 'AF', 'AG', 'NS'];

/** CR1 — Ambulance Transport Information (claim and line). */
function ambulanceTransport(): SegmentDef {
  return seg(
    'CR1',
    'Ambulance Transport Information',
    'S',
    1,
    [
      id('355', 'Unit or Basis for Measurement Code', 'S', 2, 2, ['LB']),
      r('81', 'Patient Weight', 'S', 1, 10),
      nu('1316', 'Ambulance Transport Code'),
      id('1317', 'Ambulance Transport Reason Code', 'R', 1, 1, ['A', 'B', 'C', 'D', 'E']),
      id('355', 'Unit or Basis for Measurement Code', 'R', 2, 2, ['DH']),
      quantity('Transport Distance', 'R'),
      nu('166', 'Address Information'),
      nu('166', 'Address Information'),
      an('352', 'Round Trip Purpose Description', 'S', 1, 80),
      an('352', 'Stretcher Purpose Description', 'S', 1, 80),
    ],
    {
      syntax: [
        { kind: 'P', elements: [1, 2] },
        { kind: 'P', elements: [5, 6] },
      ],
    },
  );
}

/** CR2 — Spinal Manipulation Service Information (chiropractic). */
function spinalManipulation(): SegmentDef {
  return seg('CR2', 'Spinal Manipulation Service Information', 'S', 1, [
    nu('609', 'Count'),
    nu('380', 'Quantity'),
    nu('1367', 'Subluxation Level Code'),
    nu('1367', 'Subluxation Level Code'),
    nu('355', 'Unit or Basis for Measurement Code'),
    nu('380', 'Quantity'),
    nu('380', 'Quantity'),
    id('1342', 'Patient Condition Code', 'R', 1, 1, ['A', 'C', 'D', 'E', 'F', 'G', 'M']),
    nu('1073', 'Complication Indicator'),
    an('352', 'Patient Condition Description', 'S', 1, 80),
    an('352', 'Patient Condition Description', 'S', 1, 80),
  ]);
}

/** Loops 2310E/2420G and 2310F/2420H — ambulance pick-up and drop-off locations. */
function ambulanceLocations(pickUpId: string, dropOffId: string): LoopDef[] {
  return [
    providerLoop({ loopId: pickUpId, name: 'Ambulance Pick-up Location', entityCodes: ['PW'], nm1: entityOnly(['2']), address: 'R' }),
    providerLoop({
      loopId: dropOffId,
      name: 'Ambulance Drop-off Location',
      entityCodes: ['45'],
      // NM103 may name the destination (a hospital, a nursing facility).
      nm1: { ...entityOnly(['2']), lastName: 'S' },
      address: 'R',
    }),
  ];
}

/** Loop 2400 — Service Line Number. */
const serviceLine: LoopDef = loop('2400', 'Service Line Number', 'R', 50, [
  serviceLineNumber(),
  seg(
    'SV1',
    'Professional Service',
    'R',
    1,
    [
      procedure('R', ['ER', 'HC', 'IV', 'WK']),
      money('Line Item Charge Amount', 'R'),
      id('355', 'Unit or Basis for Measurement Code', 'R', 2, 2, ['MJ', 'UN']),
      quantity('Service Unit Count', 'R'),
      an('1331', 'Place of Service Code', 'S', 1, 2),
      nu('1365', 'Service Type Code'),
      diagnosisPointers('R'),
      nu('782', 'Monetary Amount'),
      yesNo('Emergency Indicator', 'S', ['Y']),
      nu('1340', 'Multiple Procedure Code'),
      yesNo('EPSDT Indicator', 'S', ['Y']),
      yesNo('Family Planning Indicator', 'S', ['Y']),
      nu('1364', 'Review Code'),
      nu('1341', 'National or Local Assigned Review Value'),
      id('1327', 'Co-Pay Status Code', 'S', 1, 1, ['0']),
    ],
    { syntax: [{ kind: 'P', elements: [3, 4] }] },
  ),
  seg('SV5', 'Durable Medical Equipment Service', 'S', 1, [
    comp('C003', 'Composite Medical Procedure Identifier', 'R', [
      id('235', 'Product or Service ID Qualifier', 'R', 2, 2, ['HC']),
      an('234', 'Procedure Code', 'R', 1, 48),
    ]),
    id('355', 'Unit or Basis for Measurement Code', 'R', 2, 2, ['DA']),
    quantity('Length of Medical Necessity', 'R'),
    money('DME Rental Price', 'R'),
    money('DME Purchase Price', 'R'),
    id('594', 'Rental Unit Price Indicator', 'R', 1, 1, ['1', '4', '6']),
  ]),
  // Both line PWKs may carry PWK01 = CT: PWK02 tells them apart.
  supplementalInformation('Line Supplemental Information', 10, ATTACHMENT_REPORT_TYPES, true),
  seg('PWK', 'Durable Medical Equipment Certificate of Medical Necessity Indicator', 'S', 1, [id('755', 'Attachment Report Type Code', 'R', 2, 2, ['CT']), id('756', 'Attachment Transmission Code', 'R', 1, 2, CMN_TRANSMISSION_CODES)], {
    qualifier: q(2, ...CMN_TRANSMISSION_CODES),
  }),
  ambulanceTransport(),
  seg(
    'CR3',
    'Durable Medical Equipment Certification',
    'S',
    1,
    [
      id('1322', 'Certification Type Code', 'R', 1, 1, ['I', 'R', 'S']),
      id('355', 'Unit or Basis for Measurement Code', 'R', 2, 2, ['MO']),
      quantity('Durable Medical Equipment Duration', 'R'),
    ],
    { syntax: [{ kind: 'P', elements: [2, 3] }] },
  ),
  conditionsIndicator('Ambulance Certification', 3, ['07'], YES_NO, AMBULANCE_CONDITIONS, 4),
  conditionsIndicator('Hospice Employee Indicator', 1, ['70'], YES_NO, ['65'], 0),
  conditionsIndicator('Condition Indicator/Durable Medical Equipment', 1, ['09'], YES_NO, ['38', 'ZV'], 1),
  dtp('Date - Service Date', 'R', ['472'], ['D8', 'RD8']),
  dtp('Date - Prescription Date', 'S', ['471']),
  dtp('Date - Certification Revision/Recertification Date', 'S', ['607']),
  dtp('Date - Begin Therapy Date', 'S', ['463']),
  dtp('Date - Last Certification Date', 'S', ['461']),
  dtp('Date - Last Seen Date', 'S', ['304']),
  dtp('Date - Test Date', 'S', ['738', '739'], ['D8'], 2),
  dtp('Date - Shipped Date', 'S', ['011']),
  dtp('Date - Last X-ray Date', 'S', ['455']),
  dtp('Date - Initial Treatment Date', 'S', ['454']),
  qty('Ambulance Patient Count', 'S', ['PT']),
  qty('Obstetric Anesthesia Additional Units', 'S', ['FL']),
  seg(
    'MEA',
    'Test Result',
    'S',
    5,
    [
      id('737', 'Measurement Reference Identification Code', 'R', 2, 2, ['OG', 'TR']),
      id('738', 'Measurement Qualifier', 'R', 1, 3, ['HT', 'R1', 'R2', 'R3', 'R4']),
      r('739', 'Test Results', 'R', 1, 20),
    ],
    { syntax: [{ kind: 'R', elements: [3, 5, 6, 8] }] },
  ),
  contractInformation('R'),
  refSegment('Repriced Line Item Reference Number', 'S', ['9B']),
  refSegment('Adjusted Repriced Line Item Reference Number', 'S', ['9D']),
  refWithOtherPayer('Prior Authorization', 'S', ['G1'], 5),
  refSegment('Line Item Control Number', 'S', ['6R']),
  refSegment('Mammography Certification Number', 'S', ['EW']),
  refSegment('Clinical Laboratory Improvement Amendment (CLIA) Number', 'S', ['X4']),
  refSegment('Referring Clinical Laboratory Improvement Amendment (CLIA) Facility Identification', 'S', ['F4']),
  refSegment('Immunization Batch Number', 'S', ['BT']),
  refWithOtherPayer('Referral Number', 'S', ['9F'], 5),
  amt('Sales Tax Amount', 'S', ['T']),
  amt('Postage Claimed Amount', 'S', ['F4']),
  fileInformation(),
  note('Line Note', 1, ['ADD', 'DCP'], true),
  note('Third Party Organization Notes', 1, ['TPO'], true),
  seg('PS1', 'Purchased Service Information', 'S', 1, [an('127', 'Purchased Service Provider Identifier', 'R', 1, 50), money('Purchased Service Charge Amount', 'R')]),
  linePricing('P'),
  loop2410('P'),
  providerLoop({
    loopId: '2420A',
    name: 'Rendering Provider Name',
    entityCodes: ['82'],
    nm1: PERSON_OR_ORGANIZATION_PROVIDER,
    specialty: 'PE',
    refQualifiers: ['0B', '1G', 'G2', 'LU'],
    refMaxUse: 20,
    refOtherPayer: true,
  }),
  providerLoop({
    loopId: '2420B',
    name: 'Purchased Service Provider Name',
    entityCodes: ['QB'],
    nm1: { ...entityOnly(['1', '2']), idQualifiers: ['XX'], idUsage: 'S' },
    refQualifiers: ['0B', '1G', 'G2'],
    refMaxUse: 20,
    refOtherPayer: true,
  }),
  providerLoop({
    loopId: '2420C',
    name: 'Service Facility Location Name',
    entityCodes: ['77'],
    nm1: FACILITY,
    address: 'R',
    refQualifiers: ['G2', 'LU'],
    refMaxUse: 3,
    refOtherPayer: true,
  }),
  providerLoop({
    loopId: '2420D',
    name: 'Supervising Provider Name',
    entityCodes: ['DQ'],
    nm1: PERSON_PROVIDER,
    refQualifiers: ['0B', '1G', 'G2', 'LU'],
    refMaxUse: 20,
    refOtherPayer: true,
  }),
  providerLoop({
    loopId: '2420E',
    name: 'Ordering Provider Name',
    entityCodes: ['DK'],
    nm1: PERSON_PROVIDER,
    address: 'S',
    refQualifiers: ['0B', '1G', 'G2'],
    refMaxUse: 20,
    refOtherPayer: true,
    contact: contact('Ordering Provider Contact Information', 'S', 1, ['EM', 'FX', 'TE'], ['EM', 'EX', 'FX', 'TE']),
  }),
  providerLoop({
    loopId: '2420F',
    name: 'Referring Provider Name',
    repeat: 2,
    entityCodes: ['DN', 'P3'],
    nm1: PERSON_PROVIDER,
    refQualifiers: ['0B', '1G', 'G2'],
    refMaxUse: 20,
    refOtherPayer: true,
  }),
  ...ambulanceLocations('2420G', '2420H'),
  loop2430('P'),
  loop('2440', 'Form Identification Code', 'S', UNBOUNDED, [
    seg('LQ', 'Form Identification Code', 'R', 1, [id('1270', 'Code List Qualifier Code', 'R', 1, 3, ['AS', 'UT']), an('1271', 'Form Identifier', 'R', 1, 30)], {
      syntax: [{ kind: 'C', elements: [1, 2] }],
    }),
    seg(
      'FRM',
      'Supporting Documentation',
      'R',
      99,
      [
        an('350', 'Question Number/Letter', 'R', 1, 20),
        yesNo('Question Response', 'S', ['N', 'W', 'Y']),
        an('127', 'Question Response', 'S', 1, 50),
        dt('373', 'Question Response', 'S'),
        r('332', 'Question Response', 'S', 1, 6),
      ],
      { syntax: [{ kind: 'R', elements: [2, 3, 4, 5] }] },
    ),
  ]),
]);

/** Loop 2300 — Claim Information. */
const claim: LoopDef = loop('2300', 'Claim Information', 'R', 100, [
  clm('P'),
  dtp('Date - Onset of Current Illness or Symptom', 'S', ['431']),
  dtp('Date - Initial Treatment Date', 'S', ['454']),
  dtp('Date - Last Seen Date', 'S', ['304']),
  dtp('Date - Acute Manifestation', 'S', ['453']),
  dtp('Date - Accident', 'S', ['439']),
  dtp('Date - Last Menstrual Period', 'S', ['484']),
  dtp('Date - Last X-ray Date', 'S', ['455']),
  dtp('Date - Hearing and Vision Prescription Date', 'S', ['471']),
  dtp('Date - Disability Dates', 'S', ['314', '360', '361'], ['D8', 'RD8']),
  dtp('Date - Last Worked', 'S', ['297']),
  dtp('Date - Authorized Return to Work', 'S', ['296']),
  dtp('Date - Admission', 'S', ['435']),
  dtp('Date - Discharge', 'S', ['096']),
  dtp('Date - Assumed and Relinquished Care Dates', 'S', ['090', '091'], ['D8'], 2),
  dtp('Date - Property and Casualty Date of First Contact', 'S', ['444']),
  dtp('Date - Repricer Received Date', 'S', ['050']),
  supplementalInformation('Claim Supplemental Information', 10, ATTACHMENT_REPORT_TYPES),
  contractInformation(),
  amt('Patient Amount Paid', 'S', ['F5']),
  refCoded('Service Authorization Exception Code', 'S', '4N', 'Service Authorization Exception Code', ['1', '2', '3', '4', '5', '6', '7']),
  refCoded('Mandatory Medicare (Section 4081) Crossover Indicator', 'S', 'F5', 'Medicare Section 4081 Indicator', ['N', 'Y']),
  refSegment('Mammography Certification Number', 'S', ['EW']),
  refSegment('Referral Number', 'S', ['9F']),
  refSegment('Prior Authorization', 'S', ['G1']),
  refSegment('Payer Claim Control Number', 'S', ['F8']),
  refSegment('Clinical Laboratory Improvement Amendment (CLIA) Number', 'S', ['X4']),
  refSegment('Repriced Claim Number', 'S', ['9A']),
  refSegment('Adjusted Repriced Claim Number', 'S', ['9C']),
  refSegment('Investigational Device Exemption Number', 'S', ['LX']),
  refSegment('Claim Identifier for Transmission Intermediaries', 'S', ['D9']),
  refSegment('Medical Record Number', 'S', ['EA']),
  refSegment('Demonstration Project Identifier', 'S', ['P4']),
  refSegment('Care Plan Oversight', 'S', ['1J']),
  fileInformation(),
  note('Claim Note', 1, ['ADD', 'CER', 'DCP', 'DGN', 'TPO'], false),
  ambulanceTransport(),
  spinalManipulation(),
  conditionsIndicator('Ambulance Certification', 3, ['07'], YES_NO, AMBULANCE_CONDITIONS, 4),
  conditionsIndicator('Patient Condition Information: Vision', 3, ['E1', 'E2', 'E3'], YES_NO, ['L1', 'L2', 'L3', 'L4', 'L5'], 4),
  conditionsIndicator('Homebound Indicator', 1, ['75'], ['Y'], ['IH'], 0),
  epsdtReferral(),
  healthCareInformation('Health Care Diagnosis Code', 'R', 1, { first: ['ABK', 'BK'], rest: ['ABF', 'BF'], positions: 12, codeName: 'Diagnosis Code' }),
  healthCareInformation('Anesthesia Related Procedure', 'S', 1, { first: ['BP'], rest: ['BO'], positions: 2, codeName: 'Anesthesia Related Surgical Procedure' }),
  healthCareInformation('Condition Information', 'S', 2, { first: ['BG'], positions: 12, codeName: 'Condition Code' }),
  claimPricing('P'),
  providerLoop({
    loopId: '2310A',
    name: 'Referring Provider Name',
    repeat: 2,
    entityCodes: ['DN', 'P3'],
    nm1: PERSON_PROVIDER,
    refQualifiers: ['0B', '1G', 'G2'],
    refMaxUse: 3,
  }),
  providerLoop({
    loopId: '2310B',
    name: 'Rendering Provider Name',
    entityCodes: ['82'],
    nm1: PERSON_OR_ORGANIZATION_PROVIDER,
    specialty: 'PE',
    refQualifiers: ['0B', '1G', 'G2', 'LU'],
    refMaxUse: 4,
  }),
  providerLoop({
    loopId: '2310C',
    name: 'Service Facility Location Name',
    entityCodes: ['77'],
    nm1: FACILITY,
    address: 'R',
    refQualifiers: ['0B', 'G2', 'LU'],
    refMaxUse: 3,
    contact: contact('Service Facility Contact Information', 'S', 1, ['TE'], ['EX'], 1),
  }),
  providerLoop({
    loopId: '2310D',
    name: 'Supervising Provider Name',
    entityCodes: ['DQ'],
    nm1: PERSON_PROVIDER,
    refQualifiers: ['0B', '1G', 'G2', 'LU'],
    refMaxUse: 4,
  }),
  ...ambulanceLocations('2310E', '2310F'),
  loop2320('P', [
    otherPayerProviderLoop('2330C', 'Other Payer Referring Provider', ['DN', 'P3'], ['1'], ['0B', '1G', 'G2'], 3, 2),
    otherPayerProviderLoop('2330D', 'Other Payer Rendering Provider', ['82'], ['1', '2'], ['0B', '1G', 'G2', 'LU'], 3),
    otherPayerProviderLoop('2330E', 'Other Payer Service Facility Location', ['77'], ['2'], ['0B', 'G2', 'LU'], 3),
    otherPayerProviderLoop('2330F', 'Other Payer Supervising Provider', ['DQ'], ['1'], ['0B', '1G', 'G2', 'LU'], 3),
    otherPayerProviderLoop('2330G', 'Other Payer Billing Provider', ['85'], ['1', '2'], ['G2', 'LU'], 2),
  ]),
  serviceLine,
]);

/**
 * The 837P map.
 *
 * @example
 * findGuide('837', '005010X222A1') === map837P; // also for 005010X222A2 and 005010X222
 */
export const map837P: GuideMap = {
  name: '837P',
  transactionSet: '837',
  functionalId: 'HC',
  version: '005010X222A1',
  acceptedVersions: ['005010X222A1', '005010X222A2', '005010X222'],
  root: loop('ST', 'Health Care Claim: Professional', 'R', 1, [
    st('837'),
    bht837(['31', 'CH', 'RP']),
    loop1000A(),
    loop1000B(),
    loop2000A('P', loop2000B('P', claim)),
    se,
  ]),
};
