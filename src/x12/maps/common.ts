/**
 * Segments shared by the 005010 health-care guides, as factories: each guide names the qualifier
 * values, usage and max use that apply where it uses them. Element refs, types and lengths are the
 * X12 5010 dictionary's.
 */
import { an, dt, id, nu, q, r, seg, tm } from './dsl.ts';
import type { SegmentDef, Usage } from './types.ts';

/** ST — Transaction Set Header. */
export function st(transactionSet: string): SegmentDef {
  return seg('ST', 'Transaction Set Header', 'R', 1, [
    id('143', 'Transaction Set Identifier Code', 'R', 3, 3, [transactionSet]),
    an('329', 'Transaction Set Control Number', 'R', 4, 9),
    // ST03's value picks the map; the envelope reports a version it does not know (IK502 I6).
    an('1705', 'Implementation Convention Reference', 'R', 1, 35),
  ]);
}

/** SE — Transaction Set Trailer. */
export const se: SegmentDef = seg('SE', 'Transaction Set Trailer', 'R', 1, [
  { ...an('96', 'Number of Included Segments', 'R', 1, 10), type: 'N0' },
  an('329', 'Transaction Set Control Number', 'R', 4, 9),
]);

/** Usage of NM1's name and id parts where a guide's NM1 differs from the default. */
export interface Nm1Options {
  /** NM102 entity type qualifier values (1 person, 2 non-person). */
  entityType?: readonly string[];
  /** NM103 usage (last or organization name). */
  lastName?: Usage;
  firstName?: Usage;
  middleName?: Usage;
  suffix?: Usage;
  /** NM108 identification code qualifier values; omit for "not used". */
  idQualifiers?: readonly string[];
  idUsage?: Usage;
  /** NM109 max length (80 in 5010). */
  idMax?: number;
}

/** NM1 — Individual or Organizational Name, opened by NM101 = one of `entityCodes`. */
export function nm1(name: string, usage: Usage, entityCodes: readonly string[], o: Nm1Options = {}, maxUse = 1): SegmentDef {
  const hasId = o.idQualifiers !== undefined;
  const idUsage: Usage = hasId ? (o.idUsage ?? 'R') : 'N';
  return seg(
    'NM1',
    name,
    usage,
    maxUse,
    [
      id('98', 'Entity Identifier Code', 'R', 2, 3, entityCodes),
      id('1065', 'Entity Type Qualifier', 'R', 1, 1, o.entityType ?? ['1', '2']),
      an('1035', 'Name Last or Organization Name', o.lastName ?? 'R', 1, 60),
      an('1036', 'Name First', o.firstName ?? 'S', 1, 35),
      an('1037', 'Name Middle', o.middleName ?? 'S', 1, 25),
      nu('1038', 'Name Prefix'),
      an('1039', 'Name Suffix', o.suffix ?? 'S', 1, 10),
      id('66', 'Identification Code Qualifier', idUsage, 1, 2, o.idQualifiers),
      an('67', 'Identification Code', idUsage, 2, o.idMax ?? 80),
      nu('706', 'Entity Relationship Code'),
      nu('98', 'Entity Identifier Code'),
      nu('1035', 'Name Last or Organization Name'),
    ],
    { qualifier: q(1, ...entityCodes), syntax: [{ kind: 'P', elements: [8, 9] }] },
  );
}

/** N3 — Address Information. */
export function n3(name: string, usage: Usage): SegmentDef {
  return seg('N3', name, usage, 1, [an('166', 'Address Information', 'R', 1, 55), an('166', 'Address Information', 'S', 1, 55)]);
}

/** N4 — Geographic Location. */
export function n4(name: string, usage: Usage): SegmentDef {
  return seg(
    'N4',
    name,
    usage,
    1,
    [
      an('19', 'City Name', 'R', 2, 30),
      id('156', 'State or Province Code', 'S', 2, 2),
      id('116', 'Postal Code', 'S', 3, 15),
      id('26', 'Country Code', 'S', 2, 3),
      nu('309', 'Location Qualifier'),
      nu('310', 'Location Identifier'),
      id('1715', 'Country Subdivision Code', 'S', 1, 3),
    ],
    { syntax: [{ kind: 'E', elements: [2, 7] }, { kind: 'C', elements: [6, 5] }, { kind: 'C', elements: [7, 4] }] },
  );
}

const PER_QUALIFIERS = ['EM', 'EX', 'FX', 'TE', 'UR'];

/** PER — Administrative Communications Contact. */
export function per(name: string, usage: Usage, functionCodes: readonly string[], maxUse = 1, nameUsage: Usage = 'S'): SegmentDef {
  return seg(
    'PER',
    name,
    usage,
    maxUse,
    [
      id('366', 'Contact Function Code', 'R', 2, 2, functionCodes),
      an('93', 'Name', nameUsage, 1, 60),
      id('365', 'Communication Number Qualifier', 'S', 2, 2, PER_QUALIFIERS),
      an('364', 'Communication Number', 'S', 1, 256),
      id('365', 'Communication Number Qualifier', 'S', 2, 2, PER_QUALIFIERS),
      an('364', 'Communication Number', 'S', 1, 256),
      id('365', 'Communication Number Qualifier', 'S', 2, 2, PER_QUALIFIERS),
      an('364', 'Communication Number', 'S', 1, 256),
    ],
    { qualifier: q(1, ...functionCodes), syntax: [{ kind: 'P', elements: [3, 4] }, { kind: 'P', elements: [5, 6] }, { kind: 'P', elements: [7, 8] }] },
  );
}

/** REF — Reference Information, selected by REF01 = one of `qualifiers`. */
export function ref(name: string, usage: Usage, qualifiers: readonly string[], maxUse = 1, ref03: Usage = 'N'): SegmentDef {
  return seg(
    'REF',
    name,
    usage,
    maxUse,
    [
      id('128', 'Reference Identification Qualifier', 'R', 2, 3, qualifiers),
      an('127', 'Reference Identification', 'R', 1, 50),
      an('352', 'Description', ref03, 1, 80),
      nu('C040', 'Reference Identifier'),
    ],
    { qualifier: q(1, ...qualifiers) },
  );
}

/** DTP — Date or Time Period, selected by DTP01 = one of `qualifiers`. */
export function dtp(name: string, usage: Usage, qualifiers: readonly string[], formats: readonly string[] = ['D8'], maxUse = 1): SegmentDef {
  return seg(
    'DTP',
    name,
    usage,
    maxUse,
    [
      id('374', 'Date/Time Qualifier', 'R', 3, 3, qualifiers),
      id('1250', 'Date Time Period Format Qualifier', 'R', 2, 3, formats),
      an('1251', 'Date Time Period', 'R', 1, 35),
    ],
    { qualifier: q(1, ...qualifiers) },
  );
}

/** DTM — Date/Time Reference (835), selected by DTM01. */
export function dtm(name: string, usage: Usage, qualifiers: readonly string[], maxUse = 1): SegmentDef {
  return seg(
    'DTM',
    name,
    usage,
    maxUse,
    [id('374', 'Date/Time Qualifier', 'R', 3, 3, qualifiers), dt('373', 'Date', 'R'), nu('337'), nu('623'), nu('1250'), nu('1251')],
    { qualifier: q(1, ...qualifiers) },
  );
}

/** AMT — Monetary Amount Information, selected by AMT01. */
export function amt(name: string, usage: Usage, qualifiers: readonly string[], maxUse = 1): SegmentDef {
  return seg('AMT', name, usage, maxUse, [id('522', 'Amount Qualifier Code', 'R', 1, 3, qualifiers), r('782', 'Monetary Amount', 'R', 1, 18), nu('478')], {
    qualifier: q(1, ...qualifiers),
  });
}

/** QTY — Quantity Information, selected by QTY01. */
export function qty(name: string, usage: Usage, qualifiers: readonly string[], maxUse = 1): SegmentDef {
  return seg('QTY', name, usage, maxUse, [id('673', 'Quantity Qualifier', 'R', 2, 2, qualifiers), r('380', 'Quantity', 'R', 1, 15), nu('C001')], {
    qualifier: q(1, ...qualifiers),
  });
}

/** HL — Hierarchical Level, opened by HL03 = one of `levelCodes`. */
export function hl(name: string, levelCodes: readonly string[], parentUsage: Usage, childCodeUsage: Usage = 'R'): SegmentDef {
  return seg(
    'HL',
    name,
    'R',
    1,
    [
      an('628', 'Hierarchical ID Number', 'R', 1, 12),
      an('734', 'Hierarchical Parent ID Number', parentUsage, 1, 12),
      id('735', 'Hierarchical Level Code', 'R', 1, 2, levelCodes),
      id('736', 'Hierarchical Child Code', childCodeUsage, 1, 1, ['0', '1']),
    ],
    { qualifier: q(3, ...levelCodes) },
  );
}

/** BHT time/date elements are common enough to share. */
export const bhtDateTime = [dt('373', 'Date', 'R'), tm('337', 'Time', 'R')] as const;
