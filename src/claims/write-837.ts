/**
 * {@link Claim}s → 837 X12 text: one interchange, one functional group per guide (837P 005010X222A1,
 * 837I 005010X223A2, 837D 005010X224A2), one or more transaction sets per group, with fixed-width ISA,
 * control numbers from the caller, ST/SE and GE/IEA counts, BHT, the 1000A submitter and 1000B
 * receiver, and HL numbering with parent ids: consecutive claims with the same billing provider share a
 * 2000A, with the same subscriber and payer a 2000B, with the same dependent patient a 2000C (sort the
 * claims first for the tightest grouping; the writer keeps their order).
 *
 * Every field the model holds is written. Within a loop the segments are emitted in the guide's order,
 * taken from the guide map itself (the same data the validator walks), so the writer and the validator
 * cannot disagree about order.
 *
 * Delimiters default to `*` `:` `^` `~`; when a value contains one of them (X12 has no escape), another
 * special character is chosen for that role.
 *
 * @example
 * const text = write837(claims, {
 *   sender: { qualifier: 'ZZ', id: 'CLAIMPATH' }, receiver: { qualifier: 'ZZ', id: 'PAYER01' },
 *   submitter: { name: 'CLAIMPATH CLEARING', id: 'CP0001', contact: { name: 'EDI DESK', numbers: [{ qualifier: 'TE', number: '5555550100' }] } },
 *   receiverName: { name: 'PAYER ONE', id: 'PAYER01' },
 *   usage: 'T', controlNumbers: (kind) => counters.next(kind),
 * });
 */
import type {
  Address,
  AdjustmentGroup,
  Attachment,
  Claim,
  ClaimDate,
  ClaimType,
  ConditionIndicator,
  Contact,
  Diagnosis,
  LineAdjudication,
  Note,
  OtherPayer,
  Patient,
  Person,
  Procedure,
  Provider,
  Reference,
  ServiceLine,
} from '../../schemas/claim.schema.ts';
import { findGuide } from '../x12/maps/index.ts';
import type { LoopDef, SegmentDef } from '../x12/maps/types.ts';
import {
  CLAIM_AMOUNT_QUALIFIERS,
  CLAIM_DATE_QUALIFIERS,
  CLAIM_REFERENCE_QUALIFIERS,
  DISCHARGE_HOUR_QUALIFIER,
  APPLIANCE_PLACEMENT_QUALIFIER,
  GUIDE_VERSIONS,
  INVESTIGATIONAL_DEVICE_QUALIFIER,
  LINE_AMOUNT_QUALIFIERS,
  LINE_DATE_QUALIFIERS,
  LINE_QUANTITY_QUALIFIERS,
  LINE_REFERENCE_LISTS,
  LINE_REFERENCE_QUALIFIERS,
  ROLE_ENTITY_CODES,
  ROLE_PROVIDER_CODES,
  type DateQualifier,
} from './codes-837.ts';
import { Write837OptionsError } from './errors.ts';
import { writeTable, type WrittenElement } from './segment-fields.ts';
import {
  CL1_FIELDS,
  CLM_INDICATORS,
  CN1_FIELDS,
  CR1_FIELDS,
  CR2_FIELDS,
  CR3_FIELDS,
  DN1_FIELDS,
  HCP_FIELDS,
  MIA_FIELDS,
  MIA_REMARK_ELEMENTS,
  MOA_FIELDS,
  MOA_REMARK_ELEMENTS,
  N3_ADDRESS,
  N4_ADDRESS,
  NM1_NAME,
  OI_FIELDS,
  PAT_FIELDS,
  SBR_FIELDS,
  SV5_FIELDS,
  type PatientDetails,
} from './segment-tables-837.ts';
import { formatCents, formatD8, formatDatePeriod, formatDecimal } from '../x12/values.ts';

/** The control numbers the writer asks for. */
export type ControlNumberKind = 'interchange' | 'group' | 'set';

export interface Write837Options {
  /** ISA05/ISA06: interchange sender qualifier (ZZ, 30 …) and id (up to 15 characters). */
  sender: { qualifier: string; id: string };
  /** ISA07/ISA08. */
  receiver: { qualifier: string; id: string };
  /** GS02 (default: the ISA sender id). */
  applicationSender?: string;
  /** GS03 (default: the ISA receiver id). */
  applicationReceiver?: string;
  /** 1000A submitter: NM1*41 (organization unless `entityType` 1) with its ETIN (NM109) and EDI contact. */
  submitter: { name: string; firstName?: string; entityType?: '1' | '2'; id: string; contact: Contact };
  /** 1000B receiver: NM1*40 name and ETIN. */
  receiverName: { name: string; id: string };
  /** ISA15: T test, P production. */
  usage: 'T' | 'P';
  /** The next control number of each kind (ISA13 up to 9 digits, GS06 up to 9 digits, ST02 4–9 digits). */
  controlNumbers: (kind: ControlNumberKind) => number;
  /** ISA14 (default false). */
  acknowledgmentRequested?: boolean;
  /** BHT02: 00 original, 18 reissue (default 00). */
  purpose?: '00' | '18';
  /** Clock for ISA09/10, GS04/05, BHT04/05 (UTC); default now. */
  now?: Date;
  /** Preferred delimiters; a delimiter found in a value is replaced by another special character. */
  delimiters?: Partial<Delimiters837>;
  /** Written after each segment terminator (e.g. `\n` for people); default nothing. */
  lineEnd?: string;
  /** Most claims per transaction set (the guides recommend at most 5000). */
  maxClaimsPerSet?: number;
}

export interface Delimiters837 {
  element: string;
  component: string;
  repetition: string;
  segment: string;
}

/**
 * Write claims as one 837 interchange. Claims are grouped into transaction sets by type (and BHT06
 * claim-or-encounter), keeping their order within each.
 */
export function write837(claims: readonly Claim[], options: Write837Options): string {
  checkOptions(options);
  const delimiters = chooseDelimiters(claims, options);
  const now = options.now ?? new Date();
  const date8 = `${now.getUTCFullYear()}${pad2(now.getUTCMonth() + 1)}${pad2(now.getUTCDate())}`;
  const time4 = `${pad2(now.getUTCHours())}${pad2(now.getUTCMinutes())}`;
  const out = new SegmentWriter(delimiters, options.lineEnd ?? '');
  const interchangeControl = controlNumber(options, 'interchange', 9, 9);
  out.raw(isaSegment(options, delimiters, date8.slice(2), time4, interchangeControl));

  // Groups by type (GS08 is per group), sets by type and BHT06, order of first appearance.
  const byType = new Map<ClaimType, Map<string, Claim[]>>();
  for (const claim of claims) {
    const sets = byType.get(claim.type) ?? new Map<string, Claim[]>();
    byType.set(claim.type, sets);
    const key = claim.claimOrEncounter ?? 'CH';
    const list = sets.get(key) ?? [];
    sets.set(key, list);
    list.push(claim);
  }
  const max = options.maxClaimsPerSet ?? 5000;
  let groups = 0;
  for (const [type, sets] of byType) {
    const version = GUIDE_VERSIONS[type];
    const groupControl = controlNumber(options, 'group', 1, 9);
    out.segment('GS', ['HC', options.applicationSender ?? options.sender.id, options.applicationReceiver ?? options.receiver.id, date8, time4, groupControl, 'X', version]);
    let setCount = 0;
    for (const [claimOrEncounter, list] of sets) {
      for (let start = 0; start < list.length; start += max) {
        writeTransactionSet(out, list.slice(start, start + max), claimOrEncounter, version, options, date8, time4);
        setCount++;
      }
    }
    out.segment('GE', [String(setCount), groupControl]);
    groups++;
  }
  out.segment('IEA', [String(groups), interchangeControl]);
  return out.text();
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Output.

/** A segment to write: its id and elements (position 1 first; a component list for a composite). */
interface SegmentItem {
  kind: 'segment';
  id: string;
  elements: WrittenElement[];
}

/** One occurrence of a loop: its segments and child loop occurrences, in any order (placed by the map). */
interface LoopItem {
  kind: 'loop';
  items: Item[];
}

type Item = SegmentItem | LoopItem;

function seg(id: string, elements: readonly (WrittenElement | undefined)[]): SegmentItem {
  // Array.from visits holes (positions never set), which map would skip.
  return { kind: 'segment', id, elements: Array.from(elements, (e) => e ?? '') };
}

function loopOf(items: Item[]): LoopItem {
  return { kind: 'loop', items };
}

class SegmentWriter {
  private readonly parts: string[] = [];
  /** Segments since the last ST (for SE01). */
  count = 0;

  constructor(
    private readonly d: Delimiters837,
    private readonly lineEnd: string,
  ) {}

  raw(segmentText: string): void {
    this.parts.push(segmentText + this.d.segment + this.lineEnd);
  }

  segment(id: string, elements: readonly WrittenElement[]): void {
    this.count++;
    this.parts.push(formatSegment(id, elements, this.d) + this.d.segment + this.lineEnd);
  }

  text(): string {
    return this.parts.join('');
  }
}

/** `ID*e1*c1:c2*…` with trailing empty elements and components dropped. */
function formatSegment(id: string, elements: readonly WrittenElement[], d: Delimiters837): string {
  const texts = elements.map((e) => (typeof e === 'string' ? e : trimTrailing(Array.from(e, (c) => c ?? '')).join(d.component)));
  const kept = trimTrailing(texts);
  return kept.length === 0 ? id : id + d.element + kept.join(d.element);
}

function trimTrailing(values: string[]): string[] {
  let n = values.length;
  while (n > 0 && values[n - 1] === '') n--;
  return values.slice(0, n);
}

/**
 * Write a loop occurrence's items in the guide's order: each segment goes to the position of the first
 * child definition it matches (id and qualifier), each child loop to the loop its opening segment
 * opens; items of the same position keep their order.
 */
function place(loop: LoopDef | undefined, items: readonly Item[], out: SegmentWriter): void {
  const ranked = items.map((item, order) => ({ item, order, index: loop ? childIndex(loop, item) : order }));
  ranked.sort((a, b) => a.index - b.index || a.order - b.order);
  for (const { item, index } of ranked) {
    if (item.kind === 'segment') {
      out.segment(item.id, item.elements);
    } else {
      const child = loop?.children[index];
      place(child?.kind === 'loop' ? child : undefined, item.items, out);
    }
  }
}

function childIndex(loop: LoopDef, item: Item): number {
  const opener = item.kind === 'segment' ? item : item.items[0];
  if (!opener || opener.kind !== 'segment') return Number.MAX_SAFE_INTEGER;
  const children = loop.children;
  // A qualifier the guide does not list (a model read from a faulty file) still goes where its id goes.
  for (const byQualifier of [true, false]) {
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      if (item.kind === 'segment' && child.kind === 'segment' && matches(child, opener, byQualifier)) return i;
      if (item.kind === 'loop' && child.kind === 'loop') {
        const head = child.children[0];
        if (head?.kind === 'segment' && matches(head, opener, byQualifier)) return i;
      }
    }
  }
  // Not in the guide here: after everything else, in the order given.
  return Number.MAX_SAFE_INTEGER;
}

function matches(def: SegmentDef, item: SegmentItem, byQualifier: boolean): boolean {
  if (def.id !== item.id) return false;
  const q = def.qualifier;
  if (!q || !byQualifier) return true;
  const e = item.elements[q.element - 1];
  const value = e === undefined ? '' : typeof e === 'string' ? (q.component === undefined || q.component === 1 ? e : '') : (e[(q.component ?? 1) - 1] ?? '');
  return q.values.includes(value);
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Envelope.

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function checkOptions(options: Write837Options): void {
  const id = (value: string, option: string, max: number): void => {
    if (value.length === 0 || value.length > max) throw new Write837OptionsError(`${option} must be 1 to ${max} characters.`, option);
  };
  id(options.sender.id, 'sender.id', 15);
  id(options.receiver.id, 'receiver.id', 15);
  if (options.sender.qualifier.length !== 2) throw new Write837OptionsError('sender.qualifier must be 2 characters.', 'sender.qualifier');
  if (options.receiver.qualifier.length !== 2) throw new Write837OptionsError('receiver.qualifier must be 2 characters.', 'receiver.qualifier');
  id(options.applicationSender ?? options.sender.id, 'applicationSender', 15);
  id(options.applicationReceiver ?? options.receiver.id, 'applicationReceiver', 15);
}

/** A control number from the caller, as digits of the width the envelope needs. */
function controlNumber(options: Write837Options, kind: ControlNumberKind, minDigits: number, maxDigits: number): string {
  const n = options.controlNumbers(kind);
  const text = String(n);
  if (!Number.isSafeInteger(n) || n < 0 || text.length > maxDigits) throw new Write837OptionsError(`The ${kind} control number must be a whole number of at most ${maxDigits} digits.`, 'controlNumbers');
  return text.padStart(minDigits, '0');
}

function isaSegment(options: Write837Options, d: Delimiters837, date6: string, time4: string, control: string): string {
  const fields = [
    'ISA',
    '00',
    ' '.repeat(10),
    '00',
    ' '.repeat(10),
    options.sender.qualifier,
    options.sender.id.padEnd(15),
    options.receiver.qualifier,
    options.receiver.id.padEnd(15),
    date6,
    time4,
    d.repetition,
    '00501',
    control,
    options.acknowledgmentRequested ? '1' : '0',
    options.usage,
    d.component,
  ];
  return fields.join(d.element);
}

/** Special characters a delimiter may be, in order of preference after the caller's choice. */
const DELIMITER_POOL = ['*', ':', '^', '~', '|', '>', '!', '`', '{', '}', '\\', '<', '@', '$', '%', '?', ';', '=', '[', ']', '"', "'"];

/** Pick delimiters that occur in no value the interchange will carry. */
function chooseDelimiters(claims: readonly Claim[], options: Write837Options): Delimiters837 {
  const used = new Set<string>();
  const collect = (value: unknown, key?: string): void => {
    if (key === 'sources' || key === 'envelope') return;
    if (typeof value === 'string') {
      for (const ch of value) used.add(ch);
    } else if (Array.isArray(value)) {
      for (const v of value) collect(v);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) collect(v, k);
    }
  };
  collect(claims);
  collect([options.sender, options.receiver, options.submitter, options.receiverName, options.applicationSender ?? '', options.applicationReceiver ?? '']);
  const preferred: Delimiters837 = { element: '*', component: ':', repetition: '^', segment: '~', ...options.delimiters };
  const taken = new Set<string>();
  const pick = (first: string): string => {
    for (const ch of [first, ...DELIMITER_POOL]) {
      if (ch.length === 1 && !used.has(ch) && !taken.has(ch) && !/[A-Za-z0-9 ]/.test(ch)) {
        taken.add(ch);
        return ch;
      }
    }
    throw new Write837OptionsError('No delimiter is free: the values use every special character.', 'delimiters');
  };
  const segment = pick(preferred.segment);
  const element = pick(preferred.element);
  const component = pick(preferred.component);
  const repetition = pick(preferred.repetition);
  return { element, component, repetition, segment };
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Transaction set and hierarchy.

interface PatientGroup {
  patient: Patient;
  claims: Claim[];
}

interface SubscriberGroup {
  first: Claim;
  /** Claims whose patient is the subscriber (2300 under 2000B). */
  ownClaims: Claim[];
  /** Their 2000B PAT details (the same for all of them). */
  ownDetailsKey: string;
  dependents: PatientGroup[];
}

interface BillingGroup {
  first: Claim;
  subscribers: SubscriberGroup[];
}

function writeTransactionSet(out: SegmentWriter, claims: readonly Claim[], claimOrEncounter: string, version: string, options: Write837Options, date8: string, time4: string): void {
  const setControl = controlNumber(options, 'set', 4, 9);
  const map = findGuide('837', version);
  const root: Item[] = [];
  out.count = 0;
  root.push(seg('ST', ['837', setControl, version]));
  root.push(seg('BHT', ['0019', options.purpose ?? '00', setControl, date8, time4, claimOrEncounter]));
  const s = options.submitter;
  root.push(
    loopOf([
      seg('NM1', ['41', s.entityType ?? '2', s.name, s.firstName, '', '', '', '46', s.id]),
      contactSegment(s.contact),
    ]),
  );
  root.push(loopOf([seg('NM1', ['40', '2', options.receiverName.name, '', '', '', '', '46', options.receiverName.id])]));

  let hlNumber = 0;
  for (const billing of groupClaims(claims)) {
    const billingHl = String(++hlNumber);
    const billingItems: Item[] = [seg('HL', [billingHl, '', '20', '1']), ...billingProviderItems(billing.first)];
    for (const subscriberGroup of billing.subscribers) {
      const subscriberHl = String(++hlNumber);
      const claim = subscriberGroup.first;
      const subscriberItems: Item[] = [seg('HL', [subscriberHl, billingHl, '22', subscriberGroup.dependents.length > 0 ? '1' : '0']), ...subscriberLevelItems(claim, subscriberGroup.ownClaims[0]?.patient)];
      for (const own of subscriberGroup.ownClaims) subscriberItems.push(claimLoop(own));
      for (const dependent of subscriberGroup.dependents) {
        const patientHl = String(++hlNumber);
        const patientItems: Item[] = [seg('HL', [patientHl, subscriberHl, '23', '0']), ...patientLevelItems(dependent.patient)];
        for (const c of dependent.claims) patientItems.push(claimLoop(c));
        subscriberItems.push(loopOf(patientItems));
      }
      billingItems.push(loopOf(subscriberItems));
    }
    root.push(loopOf(billingItems));
  }
  // SE counts every segment from ST to SE: written once the rest is placed.
  place(map?.root, root, out);
  out.segment('SE', [String(out.count + 1), setControl]);
}

/**
 * Consecutive claims sharing a billing provider (and pay-to) form one 2000A, sharing subscriber and
 * payer one 2000B, sharing a dependent patient one 2000C.
 */
function groupClaims(claims: readonly Claim[]): BillingGroup[] {
  const groups: BillingGroup[] = [];
  let billing: BillingGroup | undefined;
  let billingKey = '';
  let subscriber: SubscriberGroup | undefined;
  let subscriberKey = '';
  for (const claim of claims) {
    const bKey = stableKey([claim.billingProvider, claim.payToAddress, claim.payToPlan]);
    if (!billing || bKey !== billingKey) {
      billing = { first: claim, subscribers: [] };
      groups.push(billing);
      billingKey = bKey;
      subscriber = undefined;
    }
    const same = claim.patient.sameAsSubscriber;
    const sKey = stableKey([claim.subscriber, claim.payer]);
    const detailsKey = same ? stableKey(patientDetails(claim.patient)) : '';
    const startNew =
      !subscriber ||
      sKey !== subscriberKey ||
      // A claim of the subscriber after dependents' claims starts a new 2000B, so claims keep their order;
      // so does one whose 2000B PAT details differ from the earlier claims'.
      (same && (subscriber.dependents.length > 0 || (subscriber.ownClaims.length > 0 && detailsKey !== subscriber.ownDetailsKey)));
    if (startNew || !subscriber) {
      subscriber = { first: claim, ownClaims: [], ownDetailsKey: detailsKey, dependents: [] };
      billing.subscribers.push(subscriber);
      subscriberKey = sKey;
    }
    if (same) subscriber.ownDetailsKey = detailsKey;
    if (same) {
      subscriber.ownClaims.push(claim);
    } else {
      const last = subscriber.dependents.at(-1);
      if (last && stableKey(last.patient) === stableKey(claim.patient)) last.claims.push(claim);
      else subscriber.dependents.push({ patient: claim.patient, claims: [claim] });
    }
  }
  return groups;
}

/** JSON with sorted keys: equal content, equal key (whatever order the fields were set in). */
function stableKey(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** The PAT details of a patient (2000B PAT when the patient is the subscriber). */
function patientDetails(patient: Patient): PatientDetails {
  const details: PatientDetails = {};
  if (patient.studentStatus !== undefined) details.studentStatus = patient.studentStatus;
  if (patient.deathDate !== undefined) details.deathDate = patient.deathDate;
  if (patient.weightPounds !== undefined) details.weightPounds = patient.weightPounds;
  if (patient.pregnancyIndicator !== undefined) details.pregnancyIndicator = patient.pregnancyIndicator;
  return details;
}

/** PAT: the fixed qualifiers D8 (PAT05) and 01 (PAT07) go with their values. */
function patSegment(details: PatientDetails, withRelationship: boolean): SegmentItem | undefined {
  const elements = writeTable(withRelationship ? details : { ...details, relationship: undefined }, PAT_FIELDS);
  if (elements.every((e) => e === undefined || e === '')) return undefined;
  if (details.deathDate !== undefined) elements[4] = 'D8';
  if (details.weightPounds !== undefined) elements[6] = '01';
  return seg('PAT', elements);
}

// ── 2000A ──────────────────────────────────────────────────────────────────────────────────────

function billingProviderItems(claim: Claim): Item[] {
  const items: Item[] = [];
  const bp = claim.billingProvider;
  if (bp.taxonomy !== undefined) items.push(seg('PRV', ['BI', 'PXC', bp.taxonomy]));
  if (bp.currency !== undefined) items.push(seg('CUR', ['85', bp.currency]));
  items.push(loopOf(providerItems('85', bp, undefined)));
  if (claim.payToAddress) {
    items.push(loopOf([seg('NM1', ['87', claim.payToAddress.entityType]), ...addressItems(claim.payToAddress.address)]));
  }
  const plan = claim.payToPlan;
  if (plan) {
    const planItems: Item[] = [seg('NM1', ['PE', '2', plan.name, '', '', '', '', plan.idQualifier, plan.id]), ...addressItems(plan.address)];
    if (plan.secondaryId) planItems.push(referenceSegment(plan.secondaryId));
    if (plan.taxId !== undefined) planItems.push(seg('REF', ['EI', plan.taxId]));
    items.push(loopOf(planItems));
  }
  return items;
}

/**
 * A provider loop: NM1 (entity code, name, NPI or other id), PRV (when `providerCode` is given and a
 * taxonomy is known), N3/N4, REF tax id and secondary ids, PER contacts.
 */
function providerItems(entityCode: string, p: Provider, providerCode: string | undefined): Item[] {
  const nm1 = writeTable(p, NM1_NAME, [entityCode]);
  if (p.npi !== undefined) {
    nm1[7] = 'XX';
    nm1[8] = p.npi;
  } else if (p.identifier) {
    nm1[7] = p.identifier.qualifier;
    nm1[8] = p.identifier.value;
  }
  const items: Item[] = [seg('NM1', nm1)];
  if (providerCode !== undefined && p.taxonomy !== undefined) items.push(seg('PRV', [providerCode, 'PXC', p.taxonomy]));
  items.push(...addressItems(p.address));
  if (p.taxId) items.push(seg('REF', [p.taxId.qualifier, p.taxId.value]));
  for (const ref of p.secondaryIds ?? []) items.push(referenceSegment(ref));
  for (const contact of p.contacts ?? []) items.push(contactSegment(contact));
  return items;
}

function addressItems(address: Address | undefined): Item[] {
  if (!address) return [];
  const items: Item[] = [];
  if (address.line1 !== undefined || address.line2 !== undefined) items.push(seg('N3', writeTable(address, N3_ADDRESS)));
  if (address.city !== undefined || address.state !== undefined || address.postalCode !== undefined || address.country !== undefined || address.countrySubdivision !== undefined) {
    items.push(seg('N4', writeTable(address, N4_ADDRESS)));
  }
  return items;
}

function referenceSegment(ref: Reference): SegmentItem {
  return seg('REF', [ref.qualifier, ref.value, ref.description, ref.otherPayerId !== undefined ? ['2U', ref.otherPayerId] : undefined]);
}

function contactSegment(contact: Contact): SegmentItem {
  const elements: WrittenElement[] = ['IC', contact.name ?? ''];
  for (const n of contact.numbers) elements.push(n.qualifier, n.number);
  return seg('PER', elements);
}

// ── 2000B, 2000C ───────────────────────────────────────────────────────────────────────────────

function subscriberLevelItems(claim: Claim, ownPatient: Patient | undefined): Item[] {
  const items: Item[] = [seg('SBR', writeTable(claim.subscriber, SBR_FIELDS))];
  if (ownPatient) {
    const pat = patSegment(patientDetails(ownPatient), false);
    if (pat) items.push(pat);
  }
  items.push(loopOf(personItems('IL', claim.subscriber)));
  const payer = claim.payer;
  const payerItems: Item[] = [seg('NM1', ['PR', '2', payer.name, '', '', '', '', payer.idQualifier, payer.id]), ...addressItems(payer.address)];
  for (const ref of payer.secondaryIds ?? []) payerItems.push(referenceSegment(ref));
  for (const ref of payer.billingProviderSecondaryIds ?? []) payerItems.push(referenceSegment(ref));
  items.push(loopOf(payerItems));
  return items;
}

function patientLevelItems(patient: Patient): Item[] {
  const items: Item[] = [];
  const pat = patSegment({ ...patientDetails(patient), ...(patient.relationship !== undefined ? { relationship: patient.relationship } : {}) }, true);
  if (pat) items.push(pat);
  items.push(loopOf(personItems('QC', patient)));
  return items;
}

/** NM1 (name, member id), N3/N4, DMG, REF, PER of a person loop (2010BA, 2010CA, 2330A). */
function personItems(entityCode: string, person: Person): Item[] {
  const nm1 = writeTable(person, NM1_NAME, [entityCode]);
  if (person.memberIdQualifier !== undefined || person.memberId !== undefined) {
    nm1[7] = person.memberIdQualifier ?? '';
    nm1[8] = person.memberId ?? '';
  }
  const items: Item[] = [seg('NM1', nm1), ...addressItems(person.address)];
  if (person.birthDate !== undefined || person.sex !== undefined) {
    items.push(seg('DMG', [person.birthDate !== undefined ? 'D8' : '', person.birthDate !== undefined ? formatD8(person.birthDate) : '', person.sex]));
  }
  for (const ref of person.secondaryIds ?? []) items.push(referenceSegment(ref));
  if (person.contact) items.push(contactSegment(person.contact));
  return items;
}

// ── 2300 ───────────────────────────────────────────────────────────────────────────────────────

function claimLoop(claim: Claim): LoopItem {
  const items: Item[] = [clmSegment(claim)];
  items.push(...claimDateItems(claim));
  if (claim.institutional) {
    const cl1 = writeTable(claim.institutional, CL1_FIELDS);
    if (cl1.length > 0) items.push(seg('CL1', cl1));
  }
  if (claim.dental?.orthodontic) items.push(seg('DN1', writeTable(claim.dental.orthodontic, DN1_FIELDS)));
  for (const status of claim.dental?.toothStatus ?? []) {
    const elements: WrittenElement[] = [status.tooth, status.status];
    if (status.codeListQualifier !== undefined) elements[5] = status.codeListQualifier;
    items.push(seg('DN2', elements));
  }
  for (const a of claim.attachments ?? []) items.push(attachmentSegment(a));
  if (claim.contract) items.push(seg('CN1', writeTable(claim.contract, CN1_FIELDS)));
  for (const q of CLAIM_AMOUNT_QUALIFIERS) {
    const v = claim.amounts[q.key];
    if (v !== undefined) items.push(seg('AMT', [q.qualifier, formatCents(v)]));
  }
  items.push(...claimReferenceItems(claim));
  for (const text of claim.fileInformation ?? []) items.push(seg('K3', [text]));
  for (const note of claim.notes ?? []) items.push(noteSegment(note));
  if (claim.ambulanceTransport) items.push(seg('CR1', writeTable(claim.ambulanceTransport, CR1_FIELDS)));
  if (claim.spinalManipulation) items.push(seg('CR2', writeTable(claim.spinalManipulation, CR2_FIELDS)));
  for (const c of claim.conditionIndicators ?? []) items.push(conditionSegment(c));
  items.push(...healthCareItems(claim));
  if (claim.pricing) items.push(seg('HCP', writeTable(claim.pricing, HCP_FIELDS)));
  for (const provider of claim.providers) items.push(loopOf(providerItems(ROLE_ENTITY_CODES[provider.role], provider, ROLE_PROVIDER_CODES[provider.role])));
  for (const payer of claim.otherPayers) items.push(otherPayerLoop(payer));
  for (const line of claim.lines) items.push(lineLoop(line, claim.type));
  return loopOf(items);
}

function clmSegment(claim: Claim): SegmentItem {
  const elements = writeTable(claim, CLM_INDICATORS, [claim.patientControlNumber, formatCents(claim.totalCharge)]);
  const location = claim.type === 'I' ? claim.facilityType : claim.placeOfService;
  elements[4] = [location ?? '', claim.facilityCodeQualifier ?? '', claim.frequency ?? ''];
  const causes = claim.relatedCauses;
  if (causes) elements[10] = [causes.codes[0] ?? '', causes.codes[1] ?? '', causes.codes[2] ?? '', causes.state ?? '', causes.country ?? ''];
  return seg('CLM', elements);
}

function dateSegment(qualifier: string, period: ClaimDate, alwaysRange = false): SegmentItem {
  const { format, value } = formatDatePeriod(period, alwaysRange);
  return seg('DTP', [qualifier, format, value]);
}

function dateItems<K extends string>(table: readonly DateQualifier<K>[], dates: Partial<Record<K, ClaimDate>>): SegmentItem[] {
  const items: SegmentItem[] = [];
  for (const q of table) {
    const period = dates[q.key];
    if (period) items.push(dateSegment(q.qualifier, period, q.alwaysRange));
  }
  return items;
}

function claimDateItems(claim: Claim): SegmentItem[] {
  const dates = claim.dates;
  const items = dateItems(CLAIM_DATE_QUALIFIERS, dates);
  if (dates.dischargeHour !== undefined) items.push(seg('DTP', [DISCHARGE_HOUR_QUALIFIER, 'TM', dates.dischargeHour]));
  for (const period of dates.appliancePlacements ?? []) items.push(dateSegment(APPLIANCE_PLACEMENT_QUALIFIER, period));
  return items;
}

function claimReferenceItems(claim: Claim): SegmentItem[] {
  const refs = claim.references;
  const items: SegmentItem[] = [];
  for (const q of CLAIM_REFERENCE_QUALIFIERS) {
    const v = refs[q.key];
    if (v !== undefined) items.push(seg('REF', [q.qualifier, v]));
  }
  for (const v of refs.investigationalDeviceExemptions ?? []) items.push(seg('REF', [INVESTIGATIONAL_DEVICE_QUALIFIER, v]));
  for (const ref of refs.other ?? []) items.push(referenceSegment(ref));
  return items;
}

function attachmentSegment(a: Attachment): SegmentItem {
  return seg('PWK', [a.reportType, a.transmission, '', '', a.controlNumberQualifier, a.controlNumber]);
}

function noteSegment(note: Note): SegmentItem {
  return seg('NTE', [note.code, note.text]);
}

function conditionSegment(c: ConditionIndicator): SegmentItem {
  return seg('CRC', [c.category, c.certification, ...c.conditions]);
}

/** Up to twelve HI composites per segment. */
function hiSegments(composites: readonly WrittenElement[]): SegmentItem[] {
  const items: SegmentItem[] = [];
  for (let i = 0; i < composites.length; i += 12) items.push(seg('HI', composites.slice(i, i + 12)));
  return items;
}

function diagnosisComposite(d: Diagnosis): WrittenElement {
  const parts = [d.qualifier, d.code];
  if (d.presentOnAdmission !== undefined) parts[8] = d.presentOnAdmission;
  return Array.from(parts, (p) => p ?? '');
}

/**
 * HI segments: 837P/837D list the principal and other diagnoses in one HI (the order line pointers
 * count); 837I gives each kind its own HI (principal, admitting, reason for visit, external cause,
 * other), then DRG, procedures, occurrence spans, occurrences, values, conditions, treatments.
 */
function healthCareItems(claim: Claim): SegmentItem[] {
  const items: SegmentItem[] = [];
  const institutional = claim.type === 'I';
  if (institutional) {
    for (const kind of ['principal', 'admitting', 'reasonForVisit', 'externalCause', 'other'] as const) {
      items.push(...hiSegments(claim.diagnoses.filter((d) => d.kind === kind).map(diagnosisComposite)));
    }
  } else {
    items.push(...hiSegments(claim.diagnoses.filter((d) => d.kind === 'principal' || d.kind === 'other').map(diagnosisComposite)));
    for (const kind of ['admitting', 'reasonForVisit', 'externalCause'] as const) {
      items.push(...hiSegments(claim.diagnoses.filter((d) => d.kind === kind).map(diagnosisComposite)));
    }
  }
  items.push(...hiSegments((claim.anesthesiaProcedures ?? []).map((p) => [p.qualifier, p.code])));
  const codes = claim.institutional;
  if (codes?.drg !== undefined) items.push(seg('HI', [['DR', codes.drg]]));
  if (codes?.principalProcedure) items.push(...hiSegments([datedComposite(codes.principalProcedure)]));
  items.push(...hiSegments((codes?.otherProcedures ?? []).map(datedComposite)));
  items.push(...hiSegments((codes?.occurrenceSpans ?? []).map((s) => ['BI', s.code, 'RD8', `${formatD8(s.from)}-${formatD8(s.to)}`])));
  items.push(...hiSegments((codes?.occurrences ?? []).map(datedComposite)));
  items.push(...hiSegments((codes?.values ?? []).map((v) => ['BE', v.code, '', '', formatCents(v.amount)])));
  items.push(...hiSegments((claim.conditionCodes ?? []).map((c) => ['BG', c])));
  items.push(...hiSegments((codes?.treatmentCodes ?? []).map((c) => ['TC', c])));
  return items;
}

function datedComposite(c: { qualifier: string; code: string; date?: string | undefined }): WrittenElement {
  return c.date !== undefined ? [c.qualifier, c.code, 'D8', formatD8(c.date)] : [c.qualifier, c.code];
}

// ── 2320, 2330 ─────────────────────────────────────────────────────────────────────────────────

function adjustmentSegment(group: AdjustmentGroup): SegmentItem {
  const elements: WrittenElement[] = [group.group];
  for (const a of group.adjustments) elements.push(a.reason, formatCents(a.amount), a.quantity !== undefined ? formatDecimal(a.quantity) : '');
  return seg('CAS', elements);
}

function otherPayerLoop(payer: OtherPayer): LoopItem {
  const items: Item[] = [seg('SBR', writeTable(payer, SBR_FIELDS))];
  for (const group of payer.adjustments ?? []) items.push(adjustmentSegment(group));
  if (payer.paidAmount !== undefined) items.push(seg('AMT', ['D', formatCents(payer.paidAmount)]));
  if (payer.nonCoveredAmount !== undefined) items.push(seg('AMT', ['A8', formatCents(payer.nonCoveredAmount)]));
  if (payer.remainingPatientLiability !== undefined) items.push(seg('AMT', ['EAF', formatCents(payer.remainingPatientLiability)]));
  const oi = writeTable(payer, OI_FIELDS);
  if (oi.length > 0) items.push(seg('OI', oi));
  if (payer.inpatientAdjudication) {
    const mia = writeTable(payer.inpatientAdjudication, MIA_FIELDS);
    (payer.inpatientAdjudication.remarkCodes ?? []).slice(0, MIA_REMARK_ELEMENTS.length).forEach((code, i) => (mia[MIA_REMARK_ELEMENTS[i]! - 1] = code));
    items.push(seg('MIA', mia));
  }
  if (payer.outpatientAdjudication) {
    const moa = writeTable(payer.outpatientAdjudication, MOA_FIELDS);
    (payer.outpatientAdjudication.remarkCodes ?? []).slice(0, MOA_REMARK_ELEMENTS.length).forEach((code, i) => (moa[MOA_REMARK_ELEMENTS[i]! - 1] = code));
    items.push(seg('MOA', moa));
  }
  if (Object.keys(payer.subscriber).length > 0) items.push(loopOf(personItems('IL', payer.subscriber)));
  const name = payer.payer;
  // 2330B is required, but a model read from a file without it holds an empty payer: write what is held.
  if (Object.keys(name).length > 0) {
    const payerItems: Item[] = [seg('NM1', ['PR', '2', name.name, '', '', '', '', name.idQualifier, name.id]), ...addressItems(name.address)];
    if (name.adjudicationDate !== undefined) payerItems.push(seg('DTP', ['573', 'D8', formatD8(name.adjudicationDate)]));
    for (const ref of name.secondaryIds ?? []) payerItems.push(referenceSegment(ref));
    if (name.priorAuthorization !== undefined) payerItems.push(seg('REF', ['G1', name.priorAuthorization]));
    if (name.referralNumber !== undefined) payerItems.push(seg('REF', ['9F', name.referralNumber]));
    if (name.claimAdjustmentIndicator !== undefined) payerItems.push(seg('REF', ['T4', name.claimAdjustmentIndicator]));
    if (name.claimControlNumber !== undefined) payerItems.push(seg('REF', ['F8', name.claimControlNumber]));
    items.push(loopOf(payerItems));
  }
  for (const provider of payer.providers ?? []) {
    const providerLoopItems: Item[] = [seg('NM1', [ROLE_ENTITY_CODES[provider.role], provider.entityType])];
    for (const ref of provider.secondaryIds ?? []) providerLoopItems.push(referenceSegment(ref));
    items.push(loopOf(providerLoopItems));
  }
  return loopOf(items);
}

// ── 2400 ───────────────────────────────────────────────────────────────────────────────────────

function procedureComposite(p: Procedure | undefined): WrittenElement {
  if (!p) return '';
  const modifiers = p.modifiers ?? [];
  return [p.qualifier, p.code, modifiers[0] ?? '', modifiers[1] ?? '', modifiers[2] ?? '', modifiers[3] ?? '', p.description ?? ''];
}

function pointerComposite(pointers: readonly number[] | undefined): WrittenElement {
  return (pointers ?? []).map(String);
}

function optionalDecimal(v: number | undefined): string {
  return v === undefined ? '' : formatDecimal(v);
}

function optionalCents(v: number | undefined): string {
  return v === undefined ? '' : formatCents(v);
}

function serviceSegment(line: ServiceLine, type: ClaimType): SegmentItem {
  if (type === 'I') {
    return seg('SV2', [line.revenueCode, procedureComposite(line.procedure), formatCents(line.charge), line.unitBasis, optionalDecimal(line.units), '', optionalCents(line.nonCoveredCharge)]);
  }
  if (type === 'D') {
    const elements: WrittenElement[] = [procedureComposite(line.procedure), formatCents(line.charge), line.placeOfService ?? '', line.oralCavity ?? '', line.prosthesisCrownInlay ?? '', optionalDecimal(line.units)];
    if (line.diagnosisPointers) elements[10] = pointerComposite(line.diagnosisPointers);
    return seg('SV3', elements);
  }
  const elements: WrittenElement[] = [procedureComposite(line.procedure), formatCents(line.charge), line.unitBasis ?? '', optionalDecimal(line.units), line.placeOfService ?? '', '', pointerComposite(line.diagnosisPointers)];
  elements[8] = line.emergencyIndicator ?? '';
  elements[10] = line.epsdtIndicator ?? '';
  elements[11] = line.familyPlanningIndicator ?? '';
  elements[14] = line.copayStatus ?? '';
  return seg('SV1', elements);
}

function lineLoop(line: ServiceLine, type: ClaimType): LoopItem {
  const items: Item[] = [seg('LX', [String(line.lineNumber)]), serviceSegment(line, type)];
  if (line.durableMedicalEquipment) items.push(seg('SV5', writeTable(line.durableMedicalEquipment, SV5_FIELDS)));
  for (const tooth of line.teeth ?? []) items.push(seg('TOO', [tooth.qualifier, tooth.code, tooth.surfaces ?? '']));
  for (const a of line.attachments ?? []) items.push(attachmentSegment(a));
  if (line.ambulanceTransport) items.push(seg('CR1', writeTable(line.ambulanceTransport, CR1_FIELDS)));
  if (line.dmeCertification) items.push(seg('CR3', writeTable(line.dmeCertification, CR3_FIELDS)));
  for (const c of line.conditionIndicators ?? []) items.push(conditionSegment(c));
  items.push(...dateItems(LINE_DATE_QUALIFIERS, line.dates));
  for (const q of LINE_QUANTITY_QUALIFIERS) {
    const v = line[q.key];
    if (v !== undefined) items.push(seg('QTY', [q.qualifier, formatDecimal(v)]));
  }
  for (const m of line.measurements ?? []) items.push(seg('MEA', [m.reference, m.qualifier, optionalDecimal(m.value)]));
  if (line.contract) items.push(seg('CN1', writeTable(line.contract, CN1_FIELDS)));
  const refs = line.references;
  for (const q of LINE_REFERENCE_QUALIFIERS) {
    const v = refs[q.key];
    if (v !== undefined) items.push(seg('REF', [q.qualifier, v]));
  }
  for (const q of LINE_REFERENCE_LISTS) for (const ref of refs[q.key] ?? []) items.push(referenceSegment(ref));
  for (const ref of refs.other ?? []) items.push(referenceSegment(ref));
  for (const q of LINE_AMOUNT_QUALIFIERS) {
    const v = line.amounts[q.key];
    if (v !== undefined) items.push(seg('AMT', [q.qualifier, formatCents(v)]));
  }
  for (const text of line.fileInformation ?? []) items.push(seg('K3', [text]));
  for (const note of line.notes ?? []) items.push(noteSegment(note));
  if (line.purchasedService) items.push(seg('PS1', [line.purchasedService.providerId, optionalCents(line.purchasedService.charge)]));
  if (line.pricing) items.push(seg('HCP', writeTable(line.pricing, HCP_FIELDS)));
  if (line.drug) {
    const drug = line.drug;
    const drugItems: Item[] = [seg('LIN', ['', drug.qualifier, drug.code])];
    if (drug.quantity !== undefined || drug.unit !== undefined) drugItems.push(seg('CTP', ['', '', '', optionalDecimal(drug.quantity), drug.unit !== undefined ? [drug.unit] : '']));
    if (drug.prescriptionNumber) drugItems.push(referenceSegment(drug.prescriptionNumber));
    items.push(loopOf(drugItems));
  }
  for (const provider of line.providers ?? []) items.push(loopOf(providerItems(ROLE_ENTITY_CODES[provider.role], provider, ROLE_PROVIDER_CODES[provider.role])));
  for (const a of line.adjudications ?? []) items.push(adjudicationLoop(a));
  for (const form of line.forms ?? []) {
    const formItems: Item[] = [seg('LQ', [form.qualifier, form.formId])];
    for (const answer of form.answers) {
      formItems.push(seg('FRM', [answer.question, answer.yesNo, answer.text, answer.date !== undefined ? formatD8(answer.date) : '', optionalDecimal(answer.percent)]));
    }
    items.push(loopOf(formItems));
  }
  return loopOf(items);
}

function adjudicationLoop(a: LineAdjudication): LoopItem {
  const items: Item[] = [seg('SVD', [a.otherPayerId, formatCents(a.paidAmount), procedureComposite(a.procedure), a.revenueCode, optionalDecimal(a.paidUnits), optionalDecimal(a.bundledLineNumber)])];
  for (const group of a.adjustments ?? []) items.push(adjustmentSegment(group));
  if (a.adjudicationDate !== undefined) items.push(seg('DTP', ['573', 'D8', formatD8(a.adjudicationDate)]));
  if (a.remainingPatientLiability !== undefined) items.push(seg('AMT', ['EAF', formatCents(a.remainingPatientLiability)]));
  return loopOf(items);
}
