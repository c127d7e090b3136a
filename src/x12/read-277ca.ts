/**
 * The 277CA reader (005010X214): a payer's or clearinghouse's claim-level acknowledgment, into the
 * canonical {@link ClaimAcknowledgment277}: information source (2000A) → information receiver
 * (2000B) → billing provider (2000C) → patient (2000D) with each claim's statuses (2200D: STC, REF*1K
 * payer claim control number, REF*D9, the claim's patient control number from TRN02, service dates)
 * and its line statuses (2220D SVC/STC).
 *
 * The hierarchy is rebuilt from the HL segments: each level hangs under the HL its HL02 names, and
 * under the latest level of the right kind when HL02 names none (a finding says so). Loop ids come
 * from the walker (src/x12/maps/277ca.ts).
 *
 * @example
 * const { acknowledgments } = await read277CA(readFileSync('claims.277'));
 * for (const source of acknowledgments[0]!.informationSources) …
 */
import type {
  AckParty,
  AcknowledgmentTotals,
  ClaimAcknowledgment,
  ClaimAcknowledgment277,
  ClaimStatusCode,
  LineStatus,
  ProviderAcknowledgment,
  ReceiverAcknowledgment,
  SourceAcknowledgment,
  StatusInformation,
} from '../../schemas/acknowledgment.schema.ts';
import type { EnvelopeRef } from '../../schemas/common.schema.ts';
import type { Finding } from '../../schemas/finding.schema.ts';
import { feedAll, noteSource, optionalElement, sourceOf, type TransactionSetReader, unreadableSetFinding, ValueReader } from './read-kit.ts';
import type { TransactionSetReport, ValidationReport } from './report.ts';
import type { Segment } from './segment.ts';
import type { TokenizerOptions, X12Source } from './tokenizer.ts';
import type { WalkStep } from './walker.ts';

/** What {@link read277CA} returns. */
export interface Read277CAResult {
  acknowledgments: ClaimAcknowledgment277[];
  findings: Finding[];
  report: ValidationReport;
}

/** QTY/AMT qualifiers of the receiver (2200B) and provider (2200C) totals. */
const TOTAL_FIELDS: Readonly<Record<string, keyof AcknowledgmentTotals>> = {
  'QTY:90': 'acceptedQuantity',
  'QTY:QA': 'acceptedQuantity',
  'QTY:AA': 'rejectedQuantity',
  'QTY:QC': 'rejectedQuantity',
  'AMT:YU': 'acceptedAmount',
  'AMT:YY': 'rejectedAmount',
};

/** Reading state of one 277 transaction set. */
class Open277 {
  readonly ack: ClaimAcknowledgment277;
  source: SourceAcknowledgment | undefined;
  receiver: ReceiverAcknowledgment | undefined;
  provider: ProviderAcknowledgment | undefined;
  patient: AckParty | undefined;
  claim: ClaimAcknowledgment | undefined;
  line: LineStatus | undefined;
  /** HL01 → the node it opened (patients have no children and are not kept). */
  readonly levels = new Map<string, SourceAcknowledgment | ReceiverAcknowledgment | ProviderAcknowledgment>();

  constructor(envelope: EnvelopeRef) {
    this.ack = { kind: '277CA', envelope, informationSources: [] };
  }
}

class ClaimAck277Reader implements TransactionSetReader {
  readonly acknowledgments: ClaimAcknowledgment277[] = [];
  readonly findings: Finding[] = [];
  private readonly values = new ValueReader((f) => this.findings.push(f));
  private open: Open277 | undefined;

  segment(segment: Segment, step: WalkStep, set: TransactionSetReport, envelope: EnvelopeRef): void {
    if (set.transactionSet !== '277') return;
    if (segment.id === 'ST') {
      this.open = new Open277(envelope);
      return;
    }
    const o = this.open;
    if (!o) return;
    const loop = step.loopId;
    switch (segment.id) {
      case 'BHT': {
        const reference = optionalElement(segment, 3);
        if (reference) o.ack.reference = reference;
        const date = this.values.date(segment, loop, 4);
        if (date) o.ack.createdDate = date;
        const time = optionalElement(segment, 5);
        if (time) o.ack.createdTime = time;
        return;
      }
      case 'HL':
        return this.readLevel(o, segment, loop);
      case 'NM1':
        return this.readName(o, segment, loop);
      case 'TRN':
        return this.readTrace(o, segment, loop);
      case 'STC':
        return this.readStatus(o, segment, loop);
      case 'DTP':
        return this.readDate(o, segment, loop);
      case 'QTY':
      case 'AMT':
        return this.readTotal(o, segment, loop);
      case 'REF':
        return this.readReference(o, segment, loop);
      case 'SVC':
        return this.readLine(o, segment, loop);
    }
  }

  setEnd(set: TransactionSetReport): void {
    if (set.transactionSet !== '277') return;
    if (this.open) this.acknowledgments.push(this.open.ack);
    else this.findings.push(unreadableSetFinding(set, 'claim acknowledgment'));
    this.open = undefined;
  }

  private readLevel(o: Open277, segment: Segment, loop: string): void {
    const id = segment.element(1);
    const parentId = segment.element(2);
    const level = segment.element(3);
    o.claim = undefined;
    o.line = undefined;
    switch (level) {
      case '20': {
        const source: SourceAcknowledgment = { receivers: [] };
        o.ack.informationSources.push(source);
        o.source = source;
        o.receiver = undefined;
        o.provider = undefined;
        o.levels.set(id, source);
        return;
      }
      case '21': {
        const parent = this.parent(o, segment, loop, parentId, 'source') ?? this.placeholderSource(o);
        const receiver: ReceiverAcknowledgment = { statuses: [], totals: {}, providers: [] };
        parent.receivers.push(receiver);
        o.receiver = receiver;
        o.provider = undefined;
        o.levels.set(id, receiver);
        return;
      }
      case '19': {
        const parent = this.parent(o, segment, loop, parentId, 'receiver') ?? this.placeholderReceiver(o);
        const provider: ProviderAcknowledgment = { statuses: [], references: [], totals: {}, claims: [] };
        parent.providers.push(provider);
        o.provider = provider;
        o.levels.set(id, provider);
        return;
      }
      case 'PT': {
        const parent = this.parent(o, segment, loop, parentId, 'provider') ?? this.placeholderProvider(o);
        o.provider = parent;
        o.patient = undefined;
        return;
      }
    }
  }

  /**
   * The node HL02 names, when it is of the expected kind; otherwise the latest node of that kind,
   * with a finding (the claims are still read, under the level they most likely belong to).
   */
  private parent<K extends 'source' | 'receiver' | 'provider'>(o: Open277, segment: Segment, loop: string, parentId: string, kind: K): Open277[K] {
    const named = o.levels.get(parentId);
    if (named && kindOf(named) === kind) return named as Open277[K];
    this.findings.push({
      origin: 'reader',
      code: 'READ_HL_PARENT_MISSING',
      severity: 'warn',
      message: `HL02 does not name an earlier HL of the level this HL belongs under; it was read under the latest one.`,
      location: sourceOf(segment, loop, 2),
    });
    return o[kind];
  }

  private placeholderSource(o: Open277): SourceAcknowledgment {
    const source: SourceAcknowledgment = { receivers: [] };
    o.ack.informationSources.push(source);
    o.source = source;
    return source;
  }

  private placeholderReceiver(o: Open277): ReceiverAcknowledgment {
    const receiver: ReceiverAcknowledgment = { statuses: [], totals: {}, providers: [] };
    (o.source ?? this.placeholderSource(o)).receivers.push(receiver);
    o.receiver = receiver;
    return receiver;
  }

  private placeholderProvider(o: Open277): ProviderAcknowledgment {
    const provider: ProviderAcknowledgment = { statuses: [], references: [], totals: {}, claims: [] };
    (o.receiver ?? this.placeholderReceiver(o)).providers.push(provider);
    o.provider = provider;
    return provider;
  }

  private readName(o: Open277, segment: Segment, loop: string): void {
    const party = partyOf(segment);
    if (loop === '2100A' && o.source) o.source.source = party;
    else if (loop === '2100B' && o.receiver) o.receiver.receiver = party;
    else if (loop === '2100C' && o.provider) o.provider.provider = party;
    else if (loop === '2100D') o.patient = party;
  }

  private readTrace(o: Open277, segment: Segment, loop: string): void {
    const trace = segment.element(2);
    switch (loop) {
      case '2200A':
        if (o.source) o.source.traceId = trace;
        return;
      case '2200B':
        if (o.receiver) o.receiver.batchTraceId = trace;
        return;
      case '2200C':
        if (o.provider) o.provider.traceId = trace;
        return;
      case '2200D': {
        const provider = o.provider ?? this.placeholderProvider(o);
        const claim: ClaimAcknowledgment = { patientControlNumber: trace, statuses: [], lines: [], sources: {} };
        if (o.patient) claim.patient = o.patient;
        noteSource(claim.sources, 'patientControlNumber', segment, loop, 2);
        provider.claims.push(claim);
        o.claim = claim;
        o.line = undefined;
      }
    }
  }

  private readStatus(o: Open277, segment: Segment, loop: string): void {
    const claimRef = o.claim?.patientControlNumber;
    const status: StatusInformation = { statuses: [] };
    for (const n of [1, 10, 11]) {
      const code = statusCodeOf(segment, n);
      if (code) status.statuses.push(code);
    }
    const date = this.values.date(segment, loop, 2, claimRef);
    if (date) status.effectiveDate = date;
    const action = optionalElement(segment, 3);
    if (action) status.actionCode = action;
    const charge = this.values.optionalAmount(segment, loop, 4, claimRef);
    if (charge !== undefined) status.charge = charge;
    const message = optionalElement(segment, 12);
    if (message) status.message = message;
    if (loop === '2200B') o.receiver?.statuses.push(status);
    else if (loop === '2200C') o.provider?.statuses.push(status);
    else if (loop === '2200D' && o.claim) {
      noteSource(o.claim.sources, `statuses.${o.claim.statuses.length}`, segment, loop, 1);
      o.claim.statuses.push(status);
    } else if (loop === '2220D' && o.line) {
      noteSource(o.line.sources, `statuses.${o.line.statuses.length}`, segment, loop, 1);
      o.line.statuses.push(status);
    }
  }

  private readDate(o: Open277, segment: Segment, loop: string): void {
    const qualifier = segment.element(1);
    const claimRef = o.claim?.patientControlNumber;
    if (loop === '2200A' && o.source) {
      const range = this.values.dateRange(segment, loop, 2);
      if (qualifier === '050' && range) o.source.receiptDate = range.from;
      if (qualifier === '009' && range) o.source.processDate = range.from;
      return;
    }
    const target = loop === '2220D' ? o.line : loop === '2200D' ? o.claim : undefined;
    if (!target) return;
    const range = this.values.dateRange(segment, loop, 2, claimRef);
    if (range) {
      target.serviceDates = range;
      noteSource(target.sources, 'serviceDates', segment, loop, 3);
    }
  }

  private readTotal(o: Open277, segment: Segment, loop: string): void {
    const totals = loop === '2200B' ? o.receiver?.totals : loop === '2200C' ? o.provider?.totals : undefined;
    const field = TOTAL_FIELDS[`${segment.id}:${segment.element(1)}`];
    if (!totals || !field) return;
    const value = segment.id === 'AMT' ? this.values.amount(segment, loop, 2) : this.values.quantity(segment, loop, 2);
    if (value !== undefined) totals[field] = value;
  }

  private readReference(o: Open277, segment: Segment, loop: string): void {
    const qualifier = segment.element(1);
    const value = segment.element(2);
    if (loop === '2200C') {
      o.provider?.references.push({ qualifier, value });
    } else if (loop === '2200D' && o.claim) {
      if (qualifier === '1K') o.claim.payerClaimControlNumber = value;
      else if (qualifier === 'D9') o.claim.clearinghouseTraceNumber = value;
      else if (qualifier === 'BLT') o.claim.billType = value;
      if (qualifier === '1K') noteSource(o.claim.sources, 'payerClaimControlNumber', segment, loop, 2);
    } else if (loop === '2220D' && o.line) {
      if (qualifier === 'FJ') o.line.lineItemControlNumber = value;
      else if (qualifier === 'XZ') o.line.prescriptionNumber = value;
    }
  }

  private readLine(o: Open277, segment: Segment, loop: string): void {
    const claim = o.claim;
    if (!claim) return;
    const claimRef = claim.patientControlNumber;
    const parts = segment.components(1);
    const line: LineStatus = { statuses: [], sources: {} };
    if (parts.length > 0) line.procedure = { qualifier: parts[0] ?? '', code: parts[1] ?? '', modifiers: parts.slice(2, 6).filter((m) => m !== '') };
    const charge = this.values.optionalAmount(segment, loop, 2, claimRef);
    if (charge !== undefined) line.charge = charge;
    const revenueCode = optionalElement(segment, 4);
    if (revenueCode) line.revenueCode = revenueCode;
    const units = this.values.quantity(segment, loop, 7, claimRef);
    if (units !== undefined) line.originalUnits = units;
    noteSource(line.sources, 'procedure', segment, loop, 1);
    claim.lines.push(line);
    o.line = line;
  }
}

function kindOf(node: SourceAcknowledgment | ReceiverAcknowledgment | ProviderAcknowledgment): 'source' | 'receiver' | 'provider' {
  if ('receivers' in node) return 'source';
  if ('providers' in node) return 'receiver';
  return 'provider';
}

function statusCodeOf(segment: Segment, element: number): ClaimStatusCode | undefined {
  const parts = segment.components(element);
  if (parts.length === 0) return undefined;
  const status: ClaimStatusCode = { category: parts[0] ?? '', code: parts[1] ?? '' };
  if (parts[2]) status.entity = parts[2];
  return status;
}

function partyOf(segment: Segment): AckParty {
  const party: AckParty = { entity: segment.element(1) };
  const fields = [
    [2, 'entityType'],
    [3, 'lastOrOrganizationName'],
    [4, 'firstName'],
    [5, 'middleName'],
    [7, 'suffix'],
    [8, 'idQualifier'],
    [9, 'id'],
  ] as const;
  for (const [n, field] of fields) {
    const value = optionalElement(segment, n);
    if (value) party[field] = value;
  }
  return party;
}

/**
 * Read the 277CAs of a file.
 *
 * @example
 * const { acknowledgments } = await read277CA(bytes);
 * const rejected = acknowledgments.flatMap((a) => a.informationSources).flatMap((s) => s.receivers)
 *   .flatMap((r) => r.providers).flatMap((p) => p.claims)
 *   .filter((c) => c.statuses.some((s) => s.statuses.some((x) => ['A3', 'A6', 'A7', 'A8'].includes(x.category))));
 */
export async function read277CA(source: X12Source, options: TokenizerOptions = {}): Promise<Read277CAResult> {
  const reader = new ClaimAck277Reader();
  const report = await feedAll(source, reader, options);
  return { acknowledgments: reader.acknowledgments, findings: reader.findings, report };
}

/** Every claim acknowledgment of a 277CA, flattened (the hierarchy above it dropped). */
export function claimsOf(ack: ClaimAcknowledgment277): ClaimAcknowledgment[] {
  return ack.informationSources.flatMap((s) => s.receivers.flatMap((r) => r.providers.flatMap((p) => p.claims)));
}
