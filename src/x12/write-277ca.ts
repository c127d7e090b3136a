/**
 * The 277CA writer (005010X214): a claim-level acknowledgment from a list of claim results — each
 * claim accepted (A1/A2 with status 20) or rejected (A3/A6/A7/A8 with a claim status code and entity,
 * and optionally its rejected lines, each with its own STC).
 *
 * Layout written (one transaction set per information source of each batch of claims):
 *
 *   ST, BHT*0085*08
 *   HL 20  information source (payer or clearinghouse): NM1, TRN*1, DTP*050 receipt, DTP*009 process
 *   HL 21  information receiver (the submitter): NM1*41, TRN*2 batch trace (the 837's BHT03),
 *          STC*A1:19 with the batch's charges, QTY*90/AA and AMT*YU/YY accepted and rejected totals
 *   HL 19  one per billing provider: NM1*85, TRN*1, STC*A1:19, QTY*QA/QC, AMT*YU/YY
 *   HL PT  one per claim: NM1*QC, TRN*2 patient control number, STC, REF*1K, REF*D9, REF*BLT,
 *          DTP*472, then 2220D SVC/STC/REF*FJ/DTP*472 per rejected line
 *   SE
 *
 * Values are written without our delimiters (`*`, `:`, `^`, `~` become spaces), so that the file
 * always parses. The input type is our own and minimal: the pipeline maps its claims to it.
 *
 * One writer, {@link ClaimAck277Writer}, writes the interchange piece by piece: its envelope, then the
 * transaction sets of each batch of claims handed to it, then the trailers. A batch's sets carry their
 * own totals (in 005010X214 the 2200B and 2200C QTY/AMT count the claims under them in their own
 * transaction set, and a functional group may carry any number of sets), so a batch is written as soon
 * as it is known and dropped: {@link write277CAStream} writes a file of any size holding one batch at a time (a split
 * file's chunks), {@link write277CA} writes one batch held in memory.
 *
 * @example
 * const text = write277CA([{ patientControlNumber: 'PCN1', … status: { kind: 'accepted' } }], options);
 */
import type { Cents, DateRange } from '../../schemas/common.schema.ts';

/** A person's name. */
export interface PersonName {
  lastName: string;
  firstName?: string;
  middleName?: string;
  suffix?: string;
}

/** The billing provider (2000C): an organization (`name`) or a person (`lastName` …), with NPI or tax id. */
export interface BillingProviderRef {
  /** Organization name, or the person's last name when `firstName` is given. */
  name: string;
  firstName?: string;
  middleName?: string;
  suffix?: string;
  npi?: string;
  taxId?: string;
}

/** The payer (or clearinghouse) that answers: the 277CA's information source (2000A). */
export interface InformationSourceRef {
  /** NM101: PR payer, AY clearinghouse. */
  entity?: 'PR' | 'AY';
  name: string;
  /** NM108: PI payer id (default), XV CMS plan id, FI tax id, 46 ETIN. */
  idQualifier?: 'PI' | 'XV' | 'FI' | '46';
  id: string;
}

/** A line rejected on its own (2220D). */
export interface RejectedLine {
  procedure: { qualifier: string; code: string; modifiers?: readonly string[] };
  charge: Cents;
  revenueCode?: string;
  units?: number;
  /** The 837 line's REF*6R, echoed in REF*FJ. */
  lineControlNumber?: string;
  serviceDates?: DateRange;
  /** STC01-1: A3 returned as unprocessable, A6 missing, A7 invalid, A8 relational field in error. */
  category: 'A3' | 'A6' | 'A7' | 'A8';
  /** STC01-2: the claim status code (external code list 508). */
  statusCode: string;
  /** STC01-3: the entity the status is about. */
  entity?: string;
  /** STC12 free-form text for the submitter. */
  message?: string;
}

export type ClaimResultStatus =
  | {
      kind: 'accepted';
      /** A1 received, A2 accepted into adjudication (default). */
      category?: 'A1' | 'A2';
    }
  | {
      kind: 'rejected';
      category: 'A3' | 'A6' | 'A7' | 'A8';
      statusCode: string;
      entity?: string;
      message?: string;
      /** Lines rejected with their own status (the claim is rejected with them). */
      lines?: readonly RejectedLine[];
    };

/** One claim's result, as the 277CA reports it. */
export interface ClaimResult {
  /** CLM01, echoed in 2200D TRN02 so the submitter can match the answer. */
  patientControlNumber: string;
  billingProvider: BillingProviderRef;
  /** The subscriber (2010BA): name and member id. */
  subscriber: PersonName & { memberId: string };
  /** The patient when not the subscriber (2010CA); the 277CA names the patient with the member id. */
  patient?: PersonName;
  /** The claim's payer; it is the information source unless the options name one. */
  payer?: InformationSourceRef;
  totalCharge: Cents;
  serviceDates: DateRange;
  /** Institutional type of bill (REF*BLT). */
  billType?: string;
  /** REF*D9: the clearinghouse's trace number for the claim. */
  clearinghouseTraceNumber?: string;
  /** REF*1K: the payer's claim control number, when one is known. */
  payerClaimControlNumber?: string;
  status: ClaimResultStatus;
}

/** An ISA party: qualifier (ISA05/07) and id (ISA06/08). */
export interface IsaParty {
  qualifier: string;
  id: string;
}

export interface Write277CAOptions {
  /** Our ISA05/ISA06 and their ISA07/ISA08. */
  sender: IsaParty;
  receiver: IsaParty;
  /** GS02 / GS03. */
  applicationSender: string;
  applicationReceiver: string;
  /** ISA13/IEA02 and GS06/GE02 of this file (the caller keeps the counters). */
  controlNumbers: { interchange: number; group: number };
  /** ISA15: P production (default), T test. */
  usage?: 'P' | 'T';
  /** When the acknowledgment is made (ISA09/10, GS04/05, BHT04/05, STC02, DTP*009), in UTC. Default: now. */
  now?: Date;
  /** When the claims were received (DTP*050). Default: `now`. */
  receivedAt?: Date;
  /** The information source for every claim; when absent, one transaction set per claim payer. */
  informationSource?: InformationSourceRef;
  /** The submitter (NM1*41, ETIN with qualifier 46). */
  informationReceiver: { name: string; etin: string };
  /** 2200B TRN02: the claim batch's identifier (the 837's BHT03). */
  batchTrace: string;
  /** BHT03 and 2200A TRN02. Default: the group control number. */
  reference?: string;
  /** A line feed after each segment terminator. */
  lineBreak?: boolean;
}

/** A 277CA cannot be written from this input (a programming error of the caller, not bad data). */
export class Write277CAError extends Error {
  override readonly name = 'Write277CAError';
}

type Elements = readonly string[];

/** The version written (GS08, ST03). */
export const CLAIM_ACK_277_VERSION = '005010X214';

/**
 * Write a 277CA interchange (ISA … IEA) for claim results held in memory: one transaction set per
 * information source.
 *
 * @example
 * write277CA(results, {
 *   sender: { qualifier: 'ZZ', id: 'CLAIMPATH' }, receiver: { qualifier: 'ZZ', id: 'SUBMITTER1' },
 *   applicationSender: 'CLAIMPATH', applicationReceiver: 'SUBMITTER1',
 *   controlNumbers: { interchange: 17, group: 17 },
 *   informationReceiver: { name: 'SAMPLE BILLING SERVICE', etin: 'TGJ23' }, batchTrace: '0123',
 * });
 */
export function write277CA(results: readonly ClaimResult[], options: Write277CAOptions): string {
  if (results.length === 0) throw new Write277CAError('A 277CA needs at least one claim result.');
  const writer = new ClaimAck277Writer(options);
  return writer.header() + writer.transactionSets(results) + writer.trailer();
}

/**
 * Write a 277CA interchange as text pieces, from batches of claim results read one at a time (e.g. a
 * split file's chunks): each batch becomes its own transaction sets (one per information source, with
 * the batch's totals) as soon as it arrives, so only one batch and the text of its sets are held.
 * Empty batches are skipped; throws {@link Write277CAError} at the end if no batch held a claim.
 *
 * @example
 * await objects.putStream(location, write277CAStream(chunkResults(), options), 'application/edi-x12');
 */
export async function* write277CAStream(batches: AsyncIterable<readonly ClaimResult[]> | Iterable<readonly ClaimResult[]>, options: Write277CAOptions): AsyncGenerator<string> {
  const writer = new ClaimAck277Writer(options);
  yield writer.header();
  for await (const batch of batches) {
    const sets = writer.transactionSets(batch);
    if (sets !== '') yield sets;
  }
  yield writer.trailer();
}

/**
 * The 277CA writer, piece by piece: {@link header} (ISA, GS), {@link transactionSets} once per batch of
 * claims (ST … SE, numbered on from the previous batch's), then {@link trailer} (GE with the set count,
 * IEA). Each piece is text ready to be written; the writer keeps only counters between calls.
 */
export class ClaimAck277Writer {
  private readonly now: Date;
  private readonly interchangeControl: string;
  private readonly groupControl: string;
  private readonly segmentEnd: string;
  private setCount = 0;

  constructor(private readonly options: Write277CAOptions) {
    this.now = options.now ?? new Date();
    this.interchangeControl = String(options.controlNumbers.interchange).padStart(9, '0');
    this.groupControl = String(options.controlNumbers.group);
    if (!/^\d{1,9}$/.test(this.interchangeControl) || !/^\d{1,9}$/.test(this.groupControl)) {
      throw new Write277CAError('Control numbers must be positive integers below 10^9.');
    }
    this.segmentEnd = options.lineBreak ? '~\n' : '~';
  }

  /** ISA and GS. */
  header(): string {
    const { options, now } = this;
    return this.text([
      [
        'ISA', '00', ' '.repeat(10), '00', ' '.repeat(10),
        fixed(options.sender.qualifier, 2), fixed(options.sender.id, 15),
        fixed(options.receiver.qualifier, 2), fixed(options.receiver.id, 15),
        formatDate(now).slice(2), formatTime(now), '^', '00501', this.interchangeControl, '0', options.usage ?? 'P', ':',
      ],
      ['GS', 'HN', clean(options.applicationSender), clean(options.applicationReceiver), formatDate(now), formatTime(now), this.groupControl, 'X', CLAIM_ACK_277_VERSION],
    ]);
  }

  /** The transaction sets of one batch: one per information source, in first-appearance order ('' for no claim). */
  transactionSets(results: readonly ClaimResult[]): string {
    const bySource = groupBy(results, (r) => {
      const source = this.options.informationSource ?? r.payer;
      if (!source) throw new Write277CAError('A claim result has no payer and the options name no information source.');
      return source;
    }, sourceKey);
    let text = '';
    for (const [source, claims] of bySource) {
      this.setCount++;
      text += this.text(transactionSet(String(this.setCount).padStart(4, '0'), source, claims, this.options, this.now));
    }
    return text;
  }

  /** GE and IEA; throws when no transaction set was written (a 277CA answers at least one claim). */
  trailer(): string {
    if (this.setCount === 0) throw new Write277CAError('A 277CA needs at least one claim result.');
    return this.text([['GE', String(this.setCount), this.groupControl], ['IEA', '1', this.interchangeControl]]);
  }

  private text(segments: readonly Elements[]): string {
    return segments.map((s) => trimTrailingEmpty(s).join('*') + this.segmentEnd).join('');
  }
}

function transactionSet(control: string, source: InformationSourceRef, claims: readonly ClaimResult[], options: Write277CAOptions, now: Date): Elements[] {
  const today = formatDate(now);
  const reference = clean(options.reference ?? String(options.controlNumbers.group));
  const sourceEntity = source.entity ?? 'PR';
  const body: Elements[] = [
    ['ST', '277', control, CLAIM_ACK_277_VERSION],
    ['BHT', '0085', '08', reference, today, formatTime(now), 'TH'],
    // 2000A information source.
    ['HL', '1', '', '20', '1'],
    ['NM1', sourceEntity, '2', clean(source.name), '', '', '', '', source.idQualifier ?? 'PI', clean(source.id)],
    ['TRN', '1', reference],
    ['DTP', '050', 'D8', formatDate(options.receivedAt ?? now)],
    ['DTP', '009', 'D8', today],
    // 2000B information receiver.
    ['HL', '2', '1', '21', '1'],
    ['NM1', '41', '2', clean(options.informationReceiver.name), '', '', '', '', '46', clean(options.informationReceiver.etin)],
    ['TRN', '2', clean(options.batchTrace)],
    ...unitOfWorkStatus(claims, sourceEntity, today, 'receiver'),
  ];
  let hl = 2;
  for (const [provider, ofProvider] of groupBy(claims, (c) => c.billingProvider, providerKey)) {
    const providerHl = ++hl;
    body.push(
      ['HL', String(providerHl), '2', '19', '1'],
      providerName(provider),
      // 2200C: the provider's trace is its NPI (or tax id): not PHI, and stable across files.
      ['TRN', '1', clean(provider.npi ?? provider.taxId ?? String(providerHl))],
      ...unitOfWorkStatus(ofProvider, sourceEntity, today, 'provider'),
    );
    for (const claim of ofProvider) {
      body.push(['HL', String(++hl), String(providerHl), 'PT'], ...claimStatus(claim, today));
    }
  }
  body.push(['SE', String(body.length + 1), control]);
  return body;
}

/** STC, QTY and AMT of a unit of work (2200B batch, 2200C provider): receipt, counts and amounts. */
function unitOfWorkStatus(claims: readonly ClaimResult[], entity: string, today: string, level: 'receiver' | 'provider'): Elements[] {
  let accepted = 0;
  let acceptedCents = 0;
  let rejectedCents = 0;
  for (const c of claims) {
    if (c.status.kind === 'accepted') {
      accepted++;
      acceptedCents += c.totalCharge;
    } else {
      rejectedCents += c.totalCharge;
    }
  }
  const rejected = claims.length - accepted;
  const action = accepted > 0 ? 'WQ' : 'U';
  // The guide leaves STC02 unused at the provider level (2200C).
  const out: Elements[] = [['STC', `A1:19:${entity}`, level === 'receiver' ? today : '', action, formatAmount(acceptedCents + rejectedCents)]];
  const [acceptedQty, rejectedQty] = level === 'receiver' ? ['90', 'AA'] : ['QA', 'QC'];
  if (accepted > 0) out.push(['QTY', acceptedQty, String(accepted)]);
  if (rejected > 0) out.push(['QTY', rejectedQty, String(rejected)]);
  if (accepted > 0) out.push(['AMT', 'YU', formatAmount(acceptedCents)]);
  if (rejected > 0) out.push(['AMT', 'YY', formatAmount(rejectedCents)]);
  return out;
}

function providerName(p: BillingProviderRef): Elements {
  const [qualifier, id] = p.npi ? ['XX', p.npi] : p.taxId ? ['FI', p.taxId] : ['', ''];
  if (p.firstName !== undefined) {
    return ['NM1', '85', '1', clean(p.name), clean(p.firstName), clean(p.middleName ?? ''), '', clean(p.suffix ?? ''), qualifier, clean(id)];
  }
  return ['NM1', '85', '2', clean(p.name), '', '', '', '', qualifier, clean(id)];
}

/** 2100D, 2200D and 2220D of one claim. */
function claimStatus(claim: ClaimResult, today: string): Elements[] {
  const person = claim.patient ?? claim.subscriber;
  const out: Elements[] = [
    ['NM1', 'QC', '1', clean(person.lastName), clean(person.firstName ?? ''), clean(person.middleName ?? ''), '', clean(person.suffix ?? ''), 'MI', clean(claim.subscriber.memberId)],
    ['TRN', '2', clean(claim.patientControlNumber)],
  ];
  const status = claim.status;
  if (status.kind === 'accepted') {
    out.push(['STC', `${status.category ?? 'A2'}:20`, today, 'WQ', formatAmount(claim.totalCharge)]);
  } else {
    out.push(withMessage(['STC', composite(status.category, status.statusCode, status.entity), today, 'U', formatAmount(claim.totalCharge)], status.message));
  }
  if (claim.payerClaimControlNumber) out.push(['REF', '1K', clean(claim.payerClaimControlNumber)]);
  if (claim.clearinghouseTraceNumber) out.push(['REF', 'D9', clean(claim.clearinghouseTraceNumber)]);
  if (claim.billType) out.push(['REF', 'BLT', clean(claim.billType)]);
  out.push(dateSegment(claim.serviceDates));
  if (status.kind === 'rejected') {
    for (const line of status.lines ?? []) {
      const procedure = composite(line.procedure.qualifier, line.procedure.code, ...(line.procedure.modifiers ?? []));
      out.push(['SVC', procedure, formatAmount(line.charge), '', clean(line.revenueCode ?? ''), '', '', line.units === undefined ? '' : String(line.units)]);
      out.push(withMessage(['STC', composite(line.category, line.statusCode, line.entity), today, 'U'], line.message));
      if (line.lineControlNumber) out.push(['REF', 'FJ', clean(line.lineControlNumber)]);
      if (line.serviceDates) out.push(dateSegment(line.serviceDates));
    }
  }
  return out;
}

/** STC12 sits after eight positions the acknowledgment does not use. */
function withMessage(stc: readonly string[], message: string | undefined): Elements {
  if (!message) return stc;
  const out = [...stc];
  while (out.length < 12) out.push('');
  out.push(clean(message).slice(0, 264));
  return out;
}

function dateSegment(range: DateRange): Elements {
  const from = range.from.replaceAll('-', '');
  const to = range.to.replaceAll('-', '');
  return from === to ? ['DTP', '472', 'D8', from] : ['DTP', '472', 'RD8', `${from}-${to}`];
}

function composite(...parts: readonly (string | undefined)[]): string {
  const cleaned = parts.map((p) => clean(p ?? ''));
  while (cleaned.length > 0 && cleaned[cleaned.length - 1] === '') cleaned.pop();
  return cleaned.join(':');
}

/** Group while keeping first-appearance order. */
function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K, identity: (key: K) => string): [K, T[]][] {
  const groups = new Map<string, [K, T[]]>();
  for (const item of items) {
    const key = keyOf(item);
    const id = identity(key);
    const group = groups.get(id);
    if (group) group[1].push(item);
    else groups.set(id, [key, [item]]);
  }
  return [...groups.values()];
}

function sourceKey(s: InformationSourceRef): string {
  return `${s.entity ?? 'PR'}|${s.idQualifier ?? 'PI'}|${s.id}|${s.name}`;
}

function providerKey(p: BillingProviderRef): string {
  return `${p.npi ?? ''}|${p.taxId ?? ''}|${p.name}|${p.firstName ?? ''}`;
}

/** Cents → an X12 decimal without trailing zeros (`12550` → `125.5`). */
export function formatAmount(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const fraction = abs % 100;
  if (fraction === 0) return `${sign}${whole}`;
  return `${sign}${whole}.${String(fraction).padStart(2, '0').replace(/0$/, '')}`;
}

function clean(value: string): string {
  return value.replace(/[*:^~\r\n]/g, ' ').trim();
}

function fixed(value: string, width: number): string {
  return clean(value).slice(0, width).padEnd(width, ' ');
}

function trimTrailingEmpty(segment: Elements): Elements {
  let end = segment.length;
  while (end > 1 && segment[end - 1] === '') end--;
  return end === segment.length ? segment : segment.slice(0, end);
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

function formatDate(d: Date): string {
  return `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}`;
}

function formatTime(d: Date): string {
  return `${two(d.getUTCHours())}${two(d.getUTCMinutes())}`;
}
