/**
 * 277CA Health Care Claim Acknowledgment, 005010X214, as data.
 *
 * The hierarchy nests as the guide draws it: 2000A information source (HL 20) → 2000B information
 * receiver (HL 21) → 2000C billing provider (HL 19) → 2000D patient (HL PT), each level with its name
 * loop (2100x) and its trace/status loop (2200x); claim-level statuses sit in 2200D and line-level ones
 * in 2220D. Status codes (STC01-2) and most entity codes are external code lists; the category codes
 * (STC01-1) are limited by the guide to the acknowledgment categories.
 */
import { amt, dtp, nm1, qty, ref, se, st } from './common.ts';
import { an, comp, dt, el, id, loop, nu, q, r, seg, tm, UNBOUNDED } from './dsl.ts';
import type { CompositeDef, ElementDef, GuideMap, SegmentDef, Usage } from './types.ts';

/**
 * STC01-1 (and STC10-1, STC11-1): "use of the Claim Status Category Code is limited to category types
 * 'A' for batch; for real time, 'A' and 'E' may be used except for E0" (005010X214, 2200B/2200D notes).
 */
const ACKNOWLEDGMENT_CATEGORIES = ['A0', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8', 'E1', 'E2', 'E3', 'E4'];

/** STC01-3 entity codes at the information receiver level (2200B). */
const RECEIVER_STATUS_ENTITIES = ['36', '40', '41', 'AY', 'PR'];

/** STC01-3 entity codes at the billing provider level (2200C). */
const PROVIDER_STATUS_ENTITIES = ['36', '40', '41', '77', '82', '85', '87', 'AY', 'PR'];

/** STC01-3 entity codes at the claim (2200D) and service line (2220D) levels. */
const CLAIM_STATUS_ENTITIES = [
  '03', '1P', '1Z', '40', '41', '71', '72', '73', '77', '82', '85', '87', 'DK', 'DN', 'DQ', 'FA', 'GB', 'HK', 'IL', 'LI',
  'MSC', 'PR', 'PRP', 'QB', 'QC', 'QD', 'SEP', 'TL', 'TTP', 'TU',
];

/** HL of one hierarchical level, opened by HL03 = `levelCode`. */
function hierarchicalLevel(name: string, levelCode: string, parent: Usage, childCodes: readonly string[] | undefined): SegmentDef {
  return seg(
    'HL',
    name,
    'R',
    1,
    [
      an('628', 'Hierarchical ID Number', 'R', 1, 12),
      parent === 'N' ? nu('734', 'Hierarchical Parent ID Number') : an('734', 'Hierarchical Parent ID Number', parent, 1, 12),
      id('735', 'Hierarchical Level Code', 'R', 1, 2, [levelCode]),
      // The patient level has no children: HL04 is not used there.
      childCodes ? id('736', 'Hierarchical Child Code', 'R', 1, 1, childCodes) : nu('736', 'Hierarchical Child Code'),
    ],
    { qualifier: q(3, levelCode) },
  );
}

/** TRN opening a 2200x loop: TRN01 = 1 (current transaction) or 2 (referenced transaction). */
function trace(name: string, traceType: '1' | '2', identifierName: string): SegmentDef {
  return seg('TRN', name, 'R', 1, [id('481', 'Trace Type Code', 'R', 1, 2, [traceType]), an('127', identifierName, 'R', 1, 50)]);
}

/** C043 health care claim status: category, status code (external list 508), entity. */
function claimStatus(usage: Usage, entities: readonly string[]): CompositeDef {
  return comp('C043', 'Health Care Claim Status', usage, [
    el('1271', 'Health Care Claim Status Category Code', 'R', 'AN', 1, 30, ACKNOWLEDGMENT_CATEGORIES),
    an('1271', 'Health Care Claim Status Code', 'R', 1, 30),
    id('98', 'Entity Identifier Code', 'S', 2, 3, entities),
  ]);
}

interface StatusLayout {
  /** STC02 status information effective date. */
  effectiveDate: Usage;
  /** STC03 action codes. */
  actions: readonly string[];
  /** STC04 total submitted charges; undefined where not used (service line level). */
  charges: string | undefined;
  /** STC12 free-form message text. */
  message: Usage;
}

/** STC as each level of the 277CA uses it; STC05–STC09 (payment data) are never used in an acknowledgment. */
function statusInformation(name: string, usage: Usage, entities: readonly string[], layout: StatusLayout): SegmentDef {
  const elements: (ElementDef | CompositeDef)[] = [
    claimStatus('R', entities),
    layout.effectiveDate === 'N' ? nu('373', 'Status Information Effective Date') : dt('373', 'Status Information Effective Date', layout.effectiveDate),
    id('306', 'Action Code', 'R', 1, 2, layout.actions),
    layout.charges === undefined ? nu('782', 'Monetary Amount') : r('782', layout.charges, 'R', 1, 18),
    nu('782', 'Monetary Amount'),
    nu('373', 'Date'),
    nu('591', 'Payment Method Code'),
    nu('373', 'Date'),
    nu('429', 'Check Number'),
    claimStatus('S', entities),
    claimStatus('S', entities),
  ];
  if (layout.message !== 'N') elements.push(an('933', 'Free-form Message Text', layout.message, 1, 264));
  return seg('STC', name, usage, UNBOUNDED, elements);
}

const bht = seg('BHT', 'Beginning of Hierarchical Transaction', 'R', 1, [
  id('1005', 'Hierarchical Structure Code', 'R', 4, 4, ['0085']),
  id('353', 'Transaction Set Purpose Code', 'R', 2, 2, ['08']),
  an('127', 'Originator Application Transaction Identifier', 'R', 1, 50),
  dt('373', 'Transaction Set Creation Date', 'R'),
  tm('337', 'Transaction Set Creation Time', 'R'),
  id('640', 'Transaction Type Code', 'R', 2, 2, ['TH']),
]);

// ---- 2000D patient ---------------------------------------------------------------------------------

const svc = seg('SVC', 'Service Line Information', 'R', 1, [
  comp('C003', 'Composite Medical Procedure Identifier', 'R', [
    id('235', 'Product/Service ID Qualifier', 'R', 2, 2, ['AD', 'ER', 'HC', 'HP', 'IV', 'NU', 'WK']),
    an('234', 'Procedure Code', 'R', 1, 48),
    an('1339', 'Procedure Modifier', 'S', 2, 2),
    an('1339', 'Procedure Modifier', 'S', 2, 2),
    an('1339', 'Procedure Modifier', 'S', 2, 2),
    an('1339', 'Procedure Modifier', 'S', 2, 2),
  ]),
  r('782', 'Line Item Charge Amount', 'R', 1, 18),
  nu('782', 'Monetary Amount'),
  an('234', 'Revenue Code', 'S', 1, 48),
  nu('380', 'Quantity'),
  nu('C003', 'Composite Medical Procedure Identifier'),
  r('380', 'Original Units of Service Count', 'S', 1, 15),
]);

const loop2220D = loop('2220D', 'Service Line Information', 'S', UNBOUNDED, [
  svc,
  statusInformation('Service Line Level Status Information', 'R', CLAIM_STATUS_ENTITIES, {
    effectiveDate: 'R',
    actions: ['U'],
    charges: undefined,
    message: 'S',
  }),
  ref('Service Line Item Identification', 'S', ['FJ'], 1),
  ref('Pharmacy Prescription Number', 'S', ['XZ'], 1),
  dtp('Service Line Date', 'S', ['472'], ['D8', 'RD8'], 1),
]);

const loop2200D = loop('2200D', 'Claim Status Tracking Number', 'R', UNBOUNDED, [
  // TRN02 echoes the 837's CLM01 (patient control number).
  trace('Claim Status Tracking Number', '2', 'Patient Control Number'),
  statusInformation('Claim Level Status Information', 'R', CLAIM_STATUS_ENTITIES, {
    effectiveDate: 'R',
    actions: ['U', 'WQ'],
    charges: 'Total Claim Charge Amount',
    message: 'S',
  }),
  ref('Payer Claim Control Number', 'S', ['1K'], 1),
  ref('Claim Identifier Number for Clearinghouse and Other Transmission Intermediaries', 'S', ['D9'], 1),
  ref('Institutional Bill Type Identification', 'S', ['BLT'], 1),
  dtp('Claim Level Service Date', 'R', ['472'], ['D8', 'RD8'], 1),
  loop2220D,
]);

const loop2000D = loop('2000D', 'Patient Level', 'S', UNBOUNDED, [
  hierarchicalLevel('Patient Level', 'PT', 'R', undefined),
  loop('2100D', 'Patient Name', 'R', 1, [
    nm1('Patient Name', 'R', ['QC'], { entityType: ['1'], suffix: 'S', idQualifiers: ['II', 'MI'] }),
  ]),
  loop2200D,
]);

// ---- 2000C billing provider --------------------------------------------------------------------

const loop2000C = loop('2000C', 'Billing Provider of Service Level', 'S', UNBOUNDED, [
  hierarchicalLevel('Billing Provider of Service Level', '19', 'R', ['0', '1']),
  loop('2100C', 'Billing Provider Name', 'R', UNBOUNDED, [
    nm1('Billing Provider Name', 'R', ['85'], { suffix: 'S', idQualifiers: ['FI', 'XX'] }),
  ]),
  loop('2200C', 'Provider of Service Information Trace Identifier', 'S', 1, [
    trace('Provider of Service Information Trace Identifier', '1', 'Provider of Service Information Trace Identifier'),
    // A provider-level STC carries no effective date (STC02 not used at this level).
    statusInformation('Billing Provider Status Information', 'S', PROVIDER_STATUS_ENTITIES, {
      effectiveDate: 'N',
      actions: ['U', 'WQ'],
      charges: 'Total Submitted Charges for Unit Work',
      message: 'N',
    }),
    ref('Provider Secondary Identifier', 'S', ['0B', '1G', 'G2', 'LU', 'SY', 'TJ'], 3),
    qty('Total Accepted Quantity', 'S', ['QA']),
    qty('Total Rejected Quantity', 'S', ['QC']),
    amt('Total Accepted Amount', 'S', ['YU']),
    amt('Total Rejected Amount', 'S', ['YY']),
  ]),
  loop2000D,
]);

// ---- 2000B information receiver ----------------------------------------------------------------

const loop2000B = loop('2000B', 'Information Receiver Level', 'R', 1, [
  hierarchicalLevel('Information Receiver Level', '21', 'R', ['0', '1']),
  loop('2100B', 'Information Receiver Name', 'R', 1, [
    nm1('Information Receiver Name', 'R', ['41'], { suffix: 'N', idQualifiers: ['46'] }),
  ]),
  loop('2200B', 'Information Receiver Application Trace Identifier', 'R', 1, [
    trace('Information Receiver Application Trace Identifier', '2', 'Claim Transaction Batch Number'),
    statusInformation('Information Receiver Status Information', 'R', RECEIVER_STATUS_ENTITIES, {
      effectiveDate: 'R',
      actions: ['U', 'WQ'],
      charges: 'Total Submitted Charges for Unit Work',
      message: 'N',
    }),
    qty('Total Accepted Quantity', 'S', ['90']),
    qty('Total Rejected Quantity', 'S', ['AA']),
    amt('Total Accepted Amount', 'S', ['YU']),
    amt('Total Rejected Amount', 'S', ['YY']),
  ]),
  loop2000C,
]);

// ---- 2000A information source ------------------------------------------------------------------

const loop2000A = loop('2000A', 'Information Source Level', 'R', 1, [
  hierarchicalLevel('Information Source Level', '20', 'N', ['1']),
  loop('2100A', 'Information Source Name', 'R', 1, [
    // AY: a clearinghouse may be the information source.
    nm1('Information Source Name', 'R', ['AY', 'PR'], {
      entityType: ['2'],
      firstName: 'N',
      middleName: 'N',
      suffix: 'N',
      idQualifiers: ['46', 'FI', 'PI', 'XV'],
    }),
  ]),
  loop('2200A', 'Transmission Receipt Control Identifier', 'R', 1, [
    trace('Transmission Receipt Control Identifier', '1', 'Information Source Application Trace Identifier'),
    dtp('Information Source Receipt Date', 'R', ['050'], ['D8'], 1),
    dtp('Information Source Process Date', 'R', ['009'], ['D8'], 1),
  ]),
  loop2000B,
]);

/**
 * The 277CA (005010X214) guide map.
 *
 * @example
 * findGuide('277', '005010X214') === map277CA;
 */
export const map277CA: GuideMap = {
  name: '277CA',
  transactionSet: '277',
  functionalId: 'HN',
  version: '005010X214',
  acceptedVersions: ['005010X214', '005010X214A1'],
  root: loop('ST', 'Health Care Claim Acknowledgment', 'R', 1, [st('277'), bht, loop2000A, se]),
};
