/**
 * 999 Implementation Acknowledgment, 005010X231A1, as data.
 *
 * AK1, then one 2000 loop per acknowledged transaction set (AK2, 2100 IK3 segment errors with their
 * CTX, 2110 IK4 element errors with their CTX, IK5), then AK9. The two CTX segments of 2100 are told
 * apart by CTX01-1: the literal `SITUATIONAL TRIGGER` for the segment context, one of the business
 * unit names (`CLM01`, `TRN02`, …) for the business unit identifier.
 */
import { se, st } from './common.ts';
import { an, comp, el, id, loop, n0, nu, qc, seg, UNBOUNDED } from './dsl.ts';
import type { CompositeDef, ElementDef, GuideMap, SegmentDef, Usage } from './types.ts';

/** IK304 implementation segment syntax error codes. */
const SEGMENT_ERROR_CODES = ['1', '2', '3', '4', '5', '6', '7', '8', 'I4', 'I6', 'I7', 'I8', 'I9'];

/** IK403 implementation data element syntax error codes. */
const ELEMENT_ERROR_CODES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '12', '13', 'I10', 'I11', 'I12', 'I13', 'I6', 'I9'];

/** IK502–IK506 implementation transaction set syntax error codes. */
const SET_ERROR_CODES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '15', '16', '17', '18', '19', '23', '24', '25', '26', '27', 'I5', 'I6'];

/** AK905–AK909 functional group syntax error codes. */
const GROUP_ERROR_CODES = ['1', '2', '3', '4', '5', '6', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '23', '24', '25', '26'];

/** CTX01-1 of the segment and element contexts: a fixed literal, not a code list of its own. */
const SITUATIONAL_TRIGGER = 'SITUATIONAL TRIGGER';

/** CTX01-1 of the business unit identifier: which business key CTX01-2 carries. */
const BUSINESS_UNIT_NAMES = ['CLM01', 'ENT01', 'NM109', 'PATIENT NAME NM109', 'SUBSCRIBER NAME NM109', 'SUBSCRIBER NUMBER REF02', 'TRN02'];

/** C030 position in segment: element, component and repetition positions (IK401, CTX05). */
function positionInSegment(usage: Usage): CompositeDef {
  return comp('C030', 'Position in Segment', usage, [
    n0('722', 'Element Position in Segment', 'R', 1, 2),
    n0('1528', 'Component Data Element Position in Composite', 'S', 1, 2),
    n0('1686', 'Repeating Data Element Position', 'S', 1, 4),
  ]);
}

/**
 * CTX for a segment or element context (situational trigger): which segment triggered the
 * situational requirement that was broken, and where.
 */
function triggerContext(name: string, maxUse: number): SegmentDef {
  return seg(
    'CTX',
    name,
    'S',
    maxUse,
    [
      comp('C998', 'Context Identification', 'R', [
        // AN in the dictionary, but the guide allows this one literal here.
        el('9999', 'Context Name', 'R', 'AN', 1, 35, [SITUATIONAL_TRIGGER]),
        nu('9998', 'Context Reference'),
      ]),
      id('721', 'Segment ID Code', 'R', 2, 3),
      n0('719', 'Segment Position in Transaction Set', 'R', 1, 10),
      an('447', 'Loop Identifier Code', 'S', 1, 6),
      positionInSegment('S'),
      nu('C999', 'Reference in Segment'),
    ],
    { qualifier: qc(1, 1, SITUATIONAL_TRIGGER) },
  );
}

const businessUnitContext = seg(
  'CTX',
  'Business Unit Identifier',
  'S',
  1,
  [
    comp('C998', 'Context Identification', 'R', [
      el('9999', 'Context Name', 'R', 'AN', 1, 35, BUSINESS_UNIT_NAMES),
      an('9998', 'Context Reference', 'R', 1, 35),
    ]),
  ],
  { qualifier: qc(1, 1, ...BUSINESS_UNIT_NAMES) },
);

const ak1 = seg('AK1', 'Functional Group Response Header', 'R', 1, [
  // Any functional identifier: a 999 acknowledges every kind of group (HC, HP, BE, …).
  id('479', 'Functional Identifier Code', 'R', 2, 2),
  n0('28', 'Group Control Number', 'R', 1, 9),
  an('480', 'Version, Release, or Industry Identifier Code', 'R', 1, 12),
]);

const ak2 = seg('AK2', 'Transaction Set Response Header', 'R', 1, [
  id('143', 'Transaction Set Identifier Code', 'R', 3, 3),
  an('329', 'Transaction Set Control Number', 'R', 4, 9),
  an('1705', 'Implementation Convention Reference', 'S', 1, 35),
]);

// IK303 carries guide loop ids such as 2010AA: element 447 is AN 1/6 in the 005010 dictionary.
const ik3 = seg('IK3', 'Error Identification', 'R', 1, [
  id('721', 'Segment ID Code', 'R', 2, 3),
  n0('719', 'Segment Position in Transaction Set', 'R', 1, 10),
  an('447', 'Loop Identifier Code', 'S', 1, 6),
  id('620', 'Implementation Segment Syntax Error Code', 'R', 1, 3, SEGMENT_ERROR_CODES),
]);

const ik4 = seg('IK4', 'Implementation Data Element Note', 'R', 1, [
  positionInSegment('R'),
  n0('725', 'Data Element Reference Number', 'S', 1, 4),
  id('621', 'Implementation Data Element Syntax Error Code', 'R', 1, 3, ELEMENT_ERROR_CODES),
  an('724', 'Copy of Bad Data Element', 'S', 1, 99),
]);

const setErrorCode = (usage: Usage): ElementDef => id('618', 'Implementation Transaction Set Syntax Error Code', usage, 1, 3, SET_ERROR_CODES);

const ik5 = seg('IK5', 'Implementation Transaction Set Response Trailer', 'R', 1, [
  id('717', 'Transaction Set Acknowledgment Code', 'R', 1, 1, ['A', 'E', 'M', 'R', 'W', 'X']),
  setErrorCode('S'),
  setErrorCode('S'),
  setErrorCode('S'),
  setErrorCode('S'),
  setErrorCode('S'),
]);

const groupErrorCode = (): ElementDef => id('716', 'Functional Group Syntax Error Code', 'S', 1, 3, GROUP_ERROR_CODES);

const ak9 = seg('AK9', 'Functional Group Response Trailer', 'R', 1, [
  id('715', 'Functional Group Acknowledge Code', 'R', 1, 1, ['A', 'E', 'M', 'P', 'R', 'W', 'X']),
  n0('97', 'Number of Transaction Sets Included', 'R', 1, 6),
  n0('123', 'Number of Received Transaction Sets', 'R', 1, 6),
  n0('2', 'Number of Accepted Transaction Sets', 'R', 1, 6),
  groupErrorCode(),
  groupErrorCode(),
  groupErrorCode(),
  groupErrorCode(),
  groupErrorCode(),
]);

const loop2110 = loop('2110', 'Implementation Data Element Note', 'S', UNBOUNDED, [ik4, triggerContext('Element Context', 10)]);

const loop2100 = loop('2100', 'Error Identification', 'S', UNBOUNDED, [ik3, triggerContext('Segment Context', 9), businessUnitContext, loop2110]);

const loop2000 = loop('2000', 'Transaction Set Response Header', 'S', UNBOUNDED, [ak2, loop2100, ik5]);

/**
 * The 999 (005010X231A1) guide map.
 *
 * @example
 * findGuide('999', '005010X231') === map999; // the unsuffixed form is accepted too
 */
export const map999: GuideMap = {
  name: '999',
  transactionSet: '999',
  functionalId: 'FA',
  version: '005010X231A1',
  acceptedVersions: ['005010X231A1', '005010X231'],
  root: loop('ST', 'Implementation Acknowledgment', 'R', 1, [st('999'), ak1, loop2000, ak9, se]),
};
