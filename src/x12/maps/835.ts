/**
 * 835 Health Care Claim Payment/Advice, 005010X221A1, as data.
 *
 * Table 1 (BPR, TRN, CUR, REF, DTM, 1000A payer, 1000B payee), table 2 (2000 header number, 2100
 * claim payment, 2110 service payment) and table 3 (PLB) in the guide's order, with the guide's usage,
 * max use, loop repeats and the qualifiers that tell same-id siblings apart (N101, NM101, REF01,
 * DTM01, PER01). CARC (CAS02…) and RARC (LQ02, MIA05, MOA03…) are external code lists that change
 * several times a year: their elements are checked for form only.
 */
import { amt, dtm, n3, n4, nm1, qty, ref, se, st } from './common.ts';
import { an, comp, dt, id, loop, n0, nu, q, r, seg, UNBOUNDED } from './dsl.ts';
import type { CompositeDef, ElementDef, GuideMap, SegmentDef, Usage } from './types.ts';

type SyntaxNote = NonNullable<SegmentDef['syntax']>[number];

/** CAS01 in 5010: CR (correction and reversal) no longer exists. */
const CLAIM_ADJUSTMENT_GROUPS = ['CO', 'OA', 'PI', 'PR'];

/** CLP02 claim status codes the guide allows. */
const CLAIM_STATUS_CODES = ['1', '2', '3', '4', '19', '20', '21', '22', '23', '25'];

/** CLP06: the 835's own list, deliberately not the 837 SBR09 list (the guide says so). */
const CLAIM_FILING_INDICATORS = ['12', '13', '14', '15', '16', '17', 'AM', 'CH', 'DS', 'HM', 'LM', 'MA', 'MB', 'MC', 'OF', 'TV', 'VA', 'WC', 'ZZ'];

/** PLB03-1 (and PLB05-1 … PLB13-1) provider adjustment reason codes. */
const PROVIDER_ADJUSTMENT_REASONS = [
  '50', '51', '72', '90', 'AH', 'AM', 'AP', 'B2', 'B3', 'BD', 'BN', 'C5', 'CR', 'CS', 'CT', 'CV', 'CW', 'DM', 'E3',
  'FB', 'FC', 'GO', 'HM', 'IP', 'IR', 'IS', 'J1', 'L3', 'L6', 'LE', 'LS', 'OA', 'OB', 'PI', 'PL', 'RA', 'RE', 'SL',
  'TL', 'WO', 'WU',
];

/** Provider secondary id qualifiers shared by the 2100 and 2110 rendering provider REFs. */
const PROVIDER_ID_QUALIFIERS = ['0B', '1A', '1B', '1C', '1D', '1G', '1H', '1J', 'D3', 'G2'];

const money = (name: string, usage: Usage): ElementDef => r('782', name, usage, 1, 18);
const quantity = (name: string, usage: Usage): ElementDef => r('380', name, usage, 1, 15);
const remarkCode = (usage: Usage): ElementDef => an('127', 'Claim Payment Remark Code', usage, 1, 50);

/** N1 of 1000A/1000B, opened by N101. N103/N104 carry the identifier the guide asks for. */
function n1(name: string, entity: string, idQualifiers: readonly string[], idUsage: Usage): SegmentDef {
  return seg(
    'N1',
    name,
    'R',
    1,
    [
      id('98', 'Entity Identifier Code', 'R', 2, 3, [entity]),
      an('93', 'Name', 'R', 1, 60),
      id('66', 'Identification Code Qualifier', idUsage, 1, 2, idQualifiers),
      an('67', 'Identification Code', idUsage, 2, 80),
    ],
    {
      qualifier: q(1, entity),
      syntax: [
        { kind: 'R', elements: [2, 3] },
        { kind: 'P', elements: [3, 4] },
      ],
    },
  );
}

/**
 * PER with the guide's own qualifier list for each communication-number pair (the 835 narrows them
 * differently on each PER, so the shared `per` factory does not fit).
 */
function contact(
  name: string,
  usage: Usage,
  maxUse: number,
  functionCode: string,
  pairs: readonly { usage: Usage; codes: readonly string[] }[],
  nameUsage: Usage = 'S',
): SegmentDef {
  const elements: ElementDef[] = [id('366', 'Contact Function Code', 'R', 2, 2, [functionCode]), nameUsage === 'N' ? nu('93', 'Name') : an('93', 'Name', nameUsage, 1, 60)];
  const syntax: SyntaxNote[] = [];
  pairs.forEach((pair, i) => {
    elements.push(id('365', 'Communication Number Qualifier', pair.usage, 2, 2, pair.codes), an('364', 'Communication Number', pair.usage, 1, 256));
    syntax.push({ kind: 'P', elements: [3 + 2 * i, 4 + 2 * i] });
  });
  return seg('PER', name, usage, maxUse, elements, { qualifier: q(1, functionCode), syntax });
}

/**
 * CAS — Claim/Service Adjustment: the group code, then six reason/amount/quantity trios. The syntax
 * notes are the standard's: a reason needs an amount or a quantity (L), and an amount or a quantity
 * needs its reason (C).
 */
function cas(name: string): SegmentDef {
  const elements: ElementDef[] = [
    id('1033', 'Claim Adjustment Group Code', 'R', 1, 2, CLAIM_ADJUSTMENT_GROUPS),
    id('1034', 'Adjustment Reason Code', 'R', 1, 5),
    money('Adjustment Amount', 'R'),
    quantity('Adjustment Quantity', 'S'),
  ];
  const syntax: SyntaxNote[] = [];
  for (let trio = 1; trio < 6; trio++) {
    const reason = 2 + 3 * trio;
    elements.push(id('1034', 'Adjustment Reason Code', 'S', 1, 5), money('Adjustment Amount', 'S'), quantity('Adjustment Quantity', 'S'));
    syntax.push(
      { kind: 'L', elements: [reason, reason + 1, reason + 2] },
      { kind: 'C', elements: [reason + 1, reason] },
      { kind: 'C', elements: [reason + 2, reason] },
    );
  }
  return seg('CAS', name, 'S', 99, elements, { syntax });
}

/** C003 composite medical procedure identifier: SVC01 (adjudicated) and SVC06 (as submitted). */
function procedure(name: string, usage: Usage, qualifiers: readonly string[], withDescription: boolean): CompositeDef {
  const components: ElementDef[] = [
    id('235', 'Product/Service ID Qualifier', 'R', 2, 2, qualifiers),
    an('234', 'Procedure Code', 'R', 1, 48),
    an('1339', 'Procedure Modifier', 'S', 2, 2),
    an('1339', 'Procedure Modifier', 'S', 2, 2),
    an('1339', 'Procedure Modifier', 'S', 2, 2),
    an('1339', 'Procedure Modifier', 'S', 2, 2),
  ];
  if (withDescription) components.push(an('352', 'Procedure Code Description', 'S', 1, 80));
  return comp('C003', name, usage, components);
}

/** C042 adjustment identifier of the PLB pairs: reason code and the payer's reference. */
function adjustmentIdentifier(usage: Usage): CompositeDef {
  return comp('C042', 'Adjustment Identifier', usage, [
    id('426', 'Adjustment Reason Code', 'R', 2, 2, PROVIDER_ADJUSTMENT_REASONS),
    an('127', 'Provider Adjustment Identifier', 'S', 1, 50),
  ]);
}

// ---- Table 1 -------------------------------------------------------------------------------------

/**
 * ST: unlike the other 5010 guides, X221A1 marks ST03 "not used" (the version travels in GS08 only),
 * and public 835s leave it out.
 */
const st835: SegmentDef = { ...st('835'), elements: [...st('835').elements.slice(0, 2), nu('1705', 'Implementation Convention Reference')] };

const bpr = seg(
  'BPR',
  'Financial Information',
  'R',
  1,
  [
    id('305', 'Transaction Handling Code', 'R', 1, 2, ['C', 'D', 'H', 'I', 'P', 'U', 'X']),
    money('Total Actual Provider Payment Amount', 'R'),
    id('478', 'Credit/Debit Flag Code', 'R', 1, 1, ['C', 'D']),
    id('591', 'Payment Method Code', 'R', 3, 3, ['ACH', 'BOP', 'CHK', 'FWT', 'NON']),
    id('812', 'Payment Format Code', 'S', 1, 10, ['CCP', 'CTX']),
    id('506', '(DFI) ID Number Qualifier', 'S', 2, 2, ['01', '04']),
    an('507', 'Sender DFI Identifier', 'S', 3, 12),
    id('569', 'Account Number Qualifier', 'S', 1, 3, ['DA']),
    an('508', 'Sender Bank Account Number', 'S', 1, 35),
    an('509', 'Payer Identifier', 'S', 10, 10),
    an('510', 'Originating Company Supplemental Code', 'S', 9, 9),
    id('506', '(DFI) ID Number Qualifier', 'S', 2, 2, ['01', '04']),
    an('507', 'Receiver or Provider Bank ID Number', 'S', 3, 12),
    id('569', 'Account Number Qualifier', 'S', 1, 3, ['DA', 'SG']),
    an('508', 'Receiver or Provider Account Number', 'S', 1, 35),
    dt('373', 'Check Issue or EFT Effective Date', 'R'),
  ],
  {
    syntax: [
      { kind: 'P', elements: [6, 7] },
      { kind: 'C', elements: [8, 9] },
      { kind: 'P', elements: [12, 13] },
      { kind: 'C', elements: [14, 15] },
    ],
  },
);

const trn = seg('TRN', 'Reassociation Trace Number', 'R', 1, [
  id('481', 'Trace Type Code', 'R', 1, 2, ['1']),
  an('127', 'Check or EFT Trace Number', 'R', 1, 50),
  // "1" followed by the payer's EIN: exactly ten characters.
  an('509', 'Payer Identifier', 'R', 10, 10),
  an('127', 'Originating Company Supplemental Code', 'S', 1, 50),
]);

const cur = seg('CUR', 'Foreign Currency Information', 'S', 1, [
  id('98', 'Entity Identifier Code', 'R', 2, 3, ['PR']),
  id('100', 'Currency Code', 'R', 3, 3),
]);

const loop1000A = loop('1000A', 'Payer Identification', 'R', 1, [
  n1('Payer Identification', 'PR', ['XV'], 'S'),
  n3('Payer Address', 'R'),
  n4('Payer City, State, ZIP Code', 'R'),
  ref('Additional Payer Identification', 'S', ['2U', 'EO', 'HI', 'NF'], 4),
  contact('Payer Business Contact Information', 'S', 1, 'CX', [
    { usage: 'S', codes: ['EM', 'FX', 'TE'] },
    { usage: 'S', codes: ['EM', 'EX', 'FX', 'TE'] },
    { usage: 'S', codes: ['EX'] },
  ]),
  // Required by the guide (X221A1), although several public samples leave it out.
  contact('Payer Technical Contact Information', 'R', UNBOUNDED, 'BL', [
    { usage: 'S', codes: ['EM', 'TE', 'UR'] },
    { usage: 'S', codes: ['EM', 'EX', 'FX', 'TE', 'UR'] },
    { usage: 'S', codes: ['EM', 'EX', 'FX', 'UR'] },
  ]),
  contact('Payer WEB Site', 'S', 1, 'IC', [{ usage: 'R', codes: ['UR'] }], 'N'),
]);

const rdm = seg('RDM', 'Remittance Delivery Method', 'S', 1, [
  id('756', 'Report Transmission Code', 'R', 1, 2, ['BM', 'EM', 'FT', 'OL']),
  an('93', 'Name', 'S', 1, 60),
  an('364', 'Communication Number', 'S', 1, 256),
]);

const loop1000B = loop('1000B', 'Payee Identification', 'R', 1, [
  n1('Payee Identification', 'PE', ['FI', 'XV', 'XX'], 'R'),
  n3('Payee Address', 'S'),
  n4('Payee City, State, ZIP Code', 'S'),
  ref('Payee Additional Identification', 'S', ['0B', 'D3', 'PQ', 'TJ'], UNBOUNDED),
  rdm,
]);

// ---- Table 2: 2000 header number ----------------------------------------------------------------

const lx = seg('LX', 'Header Number', 'R', 1, [n0('554', 'Assigned Number', 'R', 1, 6)]);

/** TS3: only Medicare Part A uses TS313 onwards; the positions between are not used. */
const ts3 = seg('TS3', 'Provider Summary Information', 'S', 1, [
  an('127', 'Provider Identifier', 'R', 1, 50),
  an('1331', 'Facility Type Code', 'R', 1, 2),
  dt('373', 'Fiscal Period Date', 'R'),
  quantity('Total Claim Count', 'R'),
  money('Total Claim Charge Amount', 'R'),
  nu('782'),
  nu('782'),
  nu('782'),
  nu('782'),
  nu('782'),
  nu('782'),
  nu('782'),
  money('Total MSP Payer Amount', 'S'),
  nu('782'),
  money('Total Non-Lab Charge Amount', 'S'),
  nu('782'),
  money('Total HCPCS Reported Charge Amount', 'S'),
  money('Total HCPCS Payable Amount', 'S'),
  nu('782'),
  money('Total Professional Component Amount', 'S'),
  money('Total MSP Patient Liability Met Amount', 'S'),
  money('Total Patient Reimbursement Amount', 'S'),
  quantity('Total PIP Claim Count', 'S'),
  money('Total PIP Adjustment Amount', 'S'),
]);

const ts2 = seg('TS2', 'Provider Supplemental Summary Information', 'S', 1, [
  money('Total DRG Amount', 'S'),
  money('Total Federal Specific Amount', 'S'),
  money('Total Hospital Specific Amount', 'S'),
  money('Total Disproportionate Share Amount', 'S'),
  money('Total Capital Amount', 'S'),
  money('Total Indirect Medical Education Amount', 'S'),
  quantity('Total Outlier Day Count', 'S'),
  money('Total Day Outlier Amount', 'S'),
  money('Total Cost Outlier Amount', 'S'),
  quantity('Average DRG Length of Stay', 'S'),
  quantity('Total Discharge Count', 'S'),
  quantity('Total Cost Report Day Count', 'S'),
  quantity('Total Covered Day Count', 'S'),
  quantity('Total Noncovered Day Count', 'S'),
  money('Total MSP Pass-Through Amount', 'S'),
  quantity('Average DRG Weight', 'S'),
  money('Total PPS Capital FSP DRG Amount', 'S'),
  money('Total PPS Capital HSP DRG Amount', 'S'),
  money('Total PPS DSH DRG Amount', 'S'),
]);

// ---- 2100 claim payment --------------------------------------------------------------------------

const clp = seg('CLP', 'Claim Payment Information', 'R', 1, [
  // CLP01 = the 837's CLM01: the key for posting (payers may truncate it to 20 characters).
  an('1028', 'Patient Control Number', 'R', 1, 38),
  id('1029', 'Claim Status Code', 'R', 1, 2, CLAIM_STATUS_CODES),
  money('Total Claim Charge Amount', 'R'),
  money('Claim Payment Amount', 'R'),
  money('Patient Responsibility Amount', 'S'),
  id('1032', 'Claim Filing Indicator Code', 'R', 1, 2, CLAIM_FILING_INDICATORS),
  an('127', 'Payer Claim Control Number', 'R', 1, 50),
  an('1331', 'Facility Type Code', 'S', 1, 2),
  id('1325', 'Claim Frequency Type Code', 'S', 1, 1),
  nu('1352', 'Patient Status Code'),
  id('1354', 'Diagnosis Related Group (DRG) Code', 'S', 1, 4),
  quantity('Diagnosis Related Group (DRG) Weight', 'S'),
  r('954', 'Discharge Fraction', 'S', 1, 10),
]);

const nm1Patient = nm1('Patient Name', 'R', ['QC'], {
  entityType: ['1'],
  lastName: 'S',
  idQualifiers: ['34', 'HN', 'II', 'MI', 'MR'],
  idUsage: 'S',
});
const nm1Insured = nm1('Insured Name', 'S', ['IL'], { lastName: 'S', idQualifiers: ['FI', 'II', 'MI'] });
const nm1CorrectedPatient = nm1('Corrected Patient/Insured Name', 'S', ['74'], { lastName: 'S', idQualifiers: ['C'], idUsage: 'S' });
const nm1ServiceProvider = nm1('Service Provider Name', 'S', ['82'], {
  lastName: 'S',
  idQualifiers: ['BD', 'BS', 'FI', 'MC', 'PC', 'SL', 'UP', 'XX'],
});
const payerIdQualifiers = ['AD', 'FI', 'NI', 'PI', 'PP', 'XV'];
const nm1CrossoverCarrier = nm1('Crossover Carrier Name', 'S', ['TT'], {
  entityType: ['2'],
  firstName: 'N',
  middleName: 'N',
  suffix: 'N',
  idQualifiers: payerIdQualifiers,
});
const nm1CorrectedPriorityPayer = nm1('Corrected Priority Payer Name', 'S', ['PR'], {
  entityType: ['2'],
  firstName: 'N',
  middleName: 'N',
  suffix: 'N',
  idQualifiers: payerIdQualifiers,
});
const nm1OtherSubscriber = nm1('Other Subscriber Name', 'S', ['GB'], { lastName: 'S', idQualifiers: ['FI', 'II', 'MI'], idUsage: 'S' });

/** MIA: outside Medicare/Medicaid only MIA01, 05 and 20–23 are used; MIA01 is always zero. */
const mia = seg('MIA', 'Inpatient Adjudication Information', 'S', 1, [
  quantity('Covered Days or Visits Count', 'R'),
  money('PPS Operating Outlier Amount', 'S'),
  quantity('Lifetime Psychiatric Days Count', 'S'),
  money('Claim DRG Amount', 'S'),
  remarkCode('S'),
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
  remarkCode('S'),
  remarkCode('S'),
  remarkCode('S'),
  remarkCode('S'),
  money('PPS-Capital Exception Amount', 'S'),
]);

const moa = seg('MOA', 'Outpatient Adjudication Information', 'S', 1, [
  r('954', 'Reimbursement Rate', 'S', 1, 10),
  money('Claim HCPCS Payable Amount', 'S'),
  remarkCode('S'),
  remarkCode('S'),
  remarkCode('S'),
  remarkCode('S'),
  remarkCode('S'),
  money('Claim ESRD Payment Amount', 'S'),
  money('Nonpayable Professional Component Amount', 'S'),
]);

const loop2110 = loop('2110', 'Service Payment Information', 'S', 999, [
  seg('SVC', 'Service Payment Information', 'R', 1, [
    procedure('Composite Medical Procedure Identifier', 'R', ['AD', 'ER', 'HC', 'HP', 'IV', 'N4', 'N6', 'NU', 'UI', 'WK'], false),
    money('Line Item Charge Amount', 'R'),
    money('Line Item Provider Payment Amount', 'R'),
    an('234', 'National Uniform Billing Committee Revenue Code', 'S', 1, 48),
    quantity('Units of Service Paid Count', 'S'),
    procedure('Composite Medical Procedure Identifier (as submitted)', 'S', ['AD', 'ER', 'HC', 'HP', 'IV', 'N4', 'NU', 'WK'], true),
    quantity('Original Units of Service Count', 'S'),
  ]),
  dtm('Service Date', 'S', ['150', '151', '472'], 2),
  cas('Service Adjustment'),
  ref('Service Identification', 'S', ['1S', 'APC', 'BB', 'E9', 'G1', 'G3', 'LU', 'RB'], 8),
  ref('Line Item Control Number', 'S', ['6R'], 1),
  ref('Rendering Provider Information', 'S', [...PROVIDER_ID_QUALIFIERS, 'HPI', 'SY', 'TJ'], 10),
  ref('HealthCare Policy Identification', 'S', ['0K'], 5),
  amt('Service Supplemental Amount', 'S', ['B6', 'KH', 'T', 'T2', 'ZK', 'ZL', 'ZM', 'ZN', 'ZO'], 9),
  qty('Service Supplemental Quantity', 'S', ['ZK', 'ZL', 'ZM', 'ZN', 'ZO'], 6),
  seg(
    'LQ',
    'Health Care Remark Codes',
    'S',
    99,
    [id('1270', 'Code List Qualifier Code', 'R', 1, 3, ['HE', 'RX']), an('1271', 'Remark Code', 'R', 1, 30)],
    { syntax: [{ kind: 'C', elements: [1, 2] }] },
  ),
]);

const loop2100 = loop('2100', 'Claim Payment Information', 'R', UNBOUNDED, [
  clp,
  cas('Claim Adjustment'),
  nm1Patient,
  nm1Insured,
  nm1CorrectedPatient,
  nm1ServiceProvider,
  nm1CrossoverCarrier,
  nm1CorrectedPriorityPayer,
  nm1OtherSubscriber,
  mia,
  moa,
  ref('Other Claim Related Identification', 'S', ['1L', '1W', '28', '6P', '9A', '9C', 'BB', 'CE', 'EA', 'F8', 'G1', 'G3', 'IG', 'SY'], 5),
  ref('Rendering Provider Identification', 'S', [...PROVIDER_ID_QUALIFIERS, 'LU'], 10),
  dtm('Statement From or To Date', 'S', ['232', '233'], 2),
  dtm('Coverage Expiration Date', 'S', ['036'], 1),
  dtm('Claim Received Date', 'S', ['050'], 1),
  contact('Claim Contact Information', 'S', 2, 'CX', [
    { usage: 'R', codes: ['EM', 'FX', 'TE'] },
    { usage: 'S', codes: ['EM', 'EX', 'FX', 'TE'] },
    { usage: 'S', codes: ['EX'] },
  ]),
  amt('Claim Supplemental Information', 'S', ['AU', 'D8', 'DY', 'F5', 'I', 'NL', 'T', 'T2', 'ZK', 'ZL', 'ZM', 'ZN', 'ZO'], 13),
  qty('Claim Supplemental Information Quantity', 'S', ['CA', 'CD', 'LA', 'LE', 'NE', 'NR', 'OU', 'PS', 'VS', 'ZK', 'ZL', 'ZM', 'ZN', 'ZO'], 14),
  loop2110,
]);

const loop2000 = loop('2000', 'Header Number', 'S', UNBOUNDED, [lx, ts3, ts2, loop2100]);

// ---- Table 3 -------------------------------------------------------------------------------------

const plbElements: (ElementDef | CompositeDef)[] = [
  an('127', 'Provider Identifier', 'R', 1, 50),
  dt('373', 'Fiscal Period Date', 'R'),
  adjustmentIdentifier('R'),
  money('Provider Adjustment Amount', 'R'),
];
for (let pair = 1; pair < 6; pair++) plbElements.push(adjustmentIdentifier('S'), money('Provider Adjustment Amount', 'S'));

const plb = seg('PLB', 'Provider Adjustment', 'S', UNBOUNDED, plbElements, {
  syntax: [5, 7, 9, 11, 13].map((first): SyntaxNote => ({ kind: 'P', elements: [first, first + 1] })),
});

/**
 * The 835 (005010X221A1) guide map.
 *
 * @example
 * findGuide('835', '005010X221A1') === map835; // also for the unsuffixed '005010X221'
 */
export const map835: GuideMap = {
  name: '835',
  transactionSet: '835',
  functionalId: 'HP',
  version: '005010X221A1',
  acceptedVersions: ['005010X221A1', '005010X221'],
  root: loop('ST', 'Health Care Claim Payment/Advice', 'R', 1, [
    st835,
    bpr,
    trn,
    cur,
    ref('Receiver Identification', 'S', ['EV'], 1),
    ref('Version Identification', 'S', ['F2'], 1),
    dtm('Production Date', 'S', ['405'], 1),
    loop1000A,
    loop1000B,
    loop2000,
    plb,
    se,
  ]),
};
