/**
 * The ingest-claims use case: one 837 object in the inbound bucket → stored claims with findings, work
 * items for held claims, and the outbound files (TA1/999, 277CA, a JSON report without PHI, a clean
 * 837 per payer), then the original archived.
 *
 * Every step is safe to repeat and no step uses a transaction (DESIGN.md, "the rules of writing"):
 * - the file's id is its tenant + the SHA-256 of its content, its record is created once and read back;
 *   a completed file is a no-op (beyond finishing its archiving), a rejected one stays rejected;
 * - claims and work items have ids derived from the file and the claim's position, and are created
 *   only where absent, so a re-run never overwrites a claim a coder has worked since;
 * - outbound control numbers are allocated per (file, purpose) and the writers' clock is the file's
 *   first receipt time, so a re-run writes byte-identical outbound objects under the same keys;
 * - the original leaves the inbound bucket only after the file is recorded complete.
 *
 * A file that is not X12 (or whose interchanges are all rejected) is recorded `rejected` with its
 * acknowledgments and report written, and stays in the inbound bucket for inspection: a permanent
 * outcome, not an error, so that nothing retries it.
 */
import { createHash } from 'node:crypto';
import type { Claim } from '../../schemas/claim.schema.ts';
import type { DateRange } from '../../schemas/common.schema.ts';
import type { Finding, WorkQueue } from '../../schemas/finding.schema.ts';
import { EVERY_PAYER_ID, type PayerRule } from '../../schemas/payer-rule.schema.ts';
import type { CodeSets } from '../rules/codesets/types.ts';
import { InMemoryClaimHistory, type ClaimHistory } from '../rules/history.ts';
import type { RuleStore } from '../rules/rule-store.ts';
import { compileRuleSet, holdsClaim, scrub, type CompiledRuleSet } from '../rules/scrub.ts';
import { buildAcknowledgments, type AcknowledgmentOptions } from '../x12/acks.ts';
import type { InterchangeReport, ValidationReport } from '../x12/report.ts';
import { chunksOf, Tokenizer, type TokenSink } from '../x12/tokenizer.ts';
import { write277CA, type ClaimResult } from '../x12/write-277ca.ts';
import {
  claimIdOf,
  fileIdOf,
  workItemIdOf,
  type ClaimRepository,
  type ControlNumbers,
  type FileRecords,
  type FileSummary,
  type ObjectLocation,
  type ObjectStore,
  type StoredClaim,
  type TradingPartners,
  type TradingPartnerSettings,
  type WorkItem,
  type WorkItems,
} from './ports.ts';
import { read837 } from './read-837.ts';
import { write837 } from './write-837.ts';

/** The object to ingest and where outbound files go. */
export interface IngestClaimsInput {
  /** The inbound object (`{tenant}/837/{name}`). */
  source: ObjectLocation;
  outboundBucket: string;
  archiveBucket: string;
}

/** What the use case needs; every port is an interface of `ports.ts` or of the rules. */
export interface IngestClaimsPorts {
  objects: ObjectStore;
  files: FileRecords;
  claims: ClaimRepository;
  workItems: WorkItems;
  tradingPartners: TradingPartners;
  controlNumbers: ControlNumbers;
  /** The payer rules (wrap the store in a `CachedRuleStore` in a function). */
  rules: RuleStore;
  codeSets: CodeSets;
  /** The history the duplicate and frequency rules consult; default: the file's own earlier claims. */
  history?: ClaimHistory;
  /** The clock of a first delivery (tests inject one); default now. */
  now?: () => Date;
}

/** What happened, for the handler's metrics and logs (ids, counts and codes only). */
export type IngestClaimsOutcome =
  | { kind: 'processed'; fileId: string; tenant: string; summary: FileSummary }
  | { kind: 'rejected'; fileId: string; tenant: string; summary: FileSummary }
  | { kind: 'already-complete'; fileId: string; tenant: string }
  | { kind: 'already-rejected'; fileId: string; tenant: string }
  /** The object is gone (archived by an earlier delivery, or deleted): nothing to do. */
  | { kind: 'missing' }
  /** The key is not `{tenant}/837/{name}`: not ours to ingest. */
  | { kind: 'ignored'; reason: 'key-not-837' };

/** A sender's interchange control number may not be reused by another file within this many days. */
export const DUPLICATE_INTERCHANGE_WINDOW_DAYS = 365;
/** Claims stored per round: bounds memory and keeps the adapters' writes in flight. */
const CLAIM_BATCH = 200;
/** TA105 025: duplicate interchange control number. */
const TA1_DUPLICATE_INTERCHANGE = '025';
/** Claim status code (code list 508) when no more precise one is known: 21, missing or invalid information. */
const DEFAULT_REJECT_STATUS_CODE = '21';
/** Claim status codes for finding codes with a more precise one (78: duplicate of a previously processed claim). */
const REJECT_STATUS_CODES: Readonly<Record<string, string>> = { 'duplicate-claim': '78' };
/** DTP*472 of a claim that carries no date at all (its findings say so). */
const UNKNOWN_DATE = '1900-01-01';
const TENANT_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The tenant and object name of an inbound 837 key, or undefined for any other key. */
export function parseInboundClaimsKey(key: string): { tenant: string; name: string } | undefined {
  const match = /^([^/]+)\/837\/(.+)$/.exec(key);
  if (!match || !TENANT_PATTERN.test(match[1]!)) return undefined;
  return { tenant: match[1]!, name: match[2]! };
}

/** Outbound and archive keys of a file (DESIGN: one layout shared by the runtime, CLI and stacks). */
export const outboundKeys = {
  ack: (tenant: string, fileId: string, name: string) => `${tenant}/acks/${fileId}/${name}`,
  claimAck: (tenant: string, fileId: string) => `${tenant}/acks/${fileId}/277ca.x12`,
  report: (tenant: string, fileId: string) => `${tenant}/reports/${fileId}.json`,
  cleanClaims: (tenant: string, payer: string, fileId: string) => `${tenant}/outbox/${safeKeyPart(payer)}/${fileId}.837`,
  archive: (tenant: string, fileId: string, name: string) => `${tenant}/837/${fileId}/${name}`,
};

/**
 * Ingest one inbound 837 object. Throws only on transient failures (a store or object call failing):
 * the caller retries the whole call, which converges.
 *
 * @example
 * const outcome = await ingestClaimsFile({ source: { bucket, key }, outboundBucket, archiveBucket }, ports);
 */
export async function ingestClaimsFile(input: IngestClaimsInput, ports: IngestClaimsPorts): Promise<IngestClaimsOutcome> {
  const parsedKey = parseInboundClaimsKey(input.source.key);
  if (!parsedKey) return { kind: 'ignored', reason: 'key-not-837' };
  const { tenant, name } = parsedKey;

  // Pass 1: the content hash (the file's identity) and the interchange headers, before anything is written.
  const firstRead = await ports.objects.get(input.source);
  if (!firstRead) return { kind: 'missing' };
  const { sha256, interchanges } = await scanFile(firstRead);
  const fileId = fileIdOf(tenant, sha256);
  const archive: ObjectLocation = { bucket: input.archiveBucket, key: outboundKeys.archive(tenant, fileId, name) };

  const record = await ports.files.begin({
    fileId,
    tenant,
    sourceKey: input.source.key,
    receivedAt: (ports.now?.() ?? new Date()).toISOString(),
    status: 'processing',
  });
  if (record.status === 'complete') {
    // A redelivery after completion, or a crash between recording and archiving: finish the archiving.
    await archiveOriginal(ports.objects, input.source, archive);
    return { kind: 'already-complete', fileId, tenant };
  }
  if (record.status === 'rejected') return { kind: 'already-rejected', fileId, tenant };
  const receivedAt = new Date(record.receivedAt);
  const receivedOn = record.receivedAt.slice(0, 10);

  // A different file reusing a sender's ISA13 within the window: its interchange is refused (TA1 025).
  const duplicateInterchanges = new Set<string>();
  for (const header of interchanges) {
    const registration = await ports.files.registerInterchange({
      tenant,
      senderQualifier: header.senderQualifier,
      senderId: header.senderId,
      controlNumber: header.controlNumber,
      fileId,
      at: record.receivedAt,
      windowDays: DUPLICATE_INTERCHANGE_WINDOW_DAYS,
    });
    if (registration.kind === 'duplicate') duplicateInterchanges.add(header.controlNumber);
  }

  const settings = await ports.tradingPartners.get(tenant);
  const history = ports.history ?? new InMemoryClaimHistory();
  const ruleSets = new RuleSetCache(ports.rules);

  // Pass 2: read, scrub and store the claims as they complete.
  const secondRead = await ports.objects.get(input.source);
  if (!secondRead) throw new InboundObjectVanishedError(fileId);
  const claimResults: ClaimResult[] = [];
  const acceptedByPayer = new Map<string, Claim[]>();
  const reportClaims: ReportClaim[] = [];
  let position = 0;
  let duplicateInterchangeClaims = 0;
  let pending: StoredClaim[] = [];

  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    await ports.claims.createMany(batch);
    // Work items after their claims: an item never points at a claim that is not stored.
    const items = batch.filter((stored) => stored.status === 'held').map((stored) => workItemFor(stored));
    if (items.length > 0) await ports.workItems.createMany(items);
  };

  const claims = read837(secondRead);
  let next = await claims.next();
  while (!next.done) {
    const { claim, findings: readFindings } = next.value;
    position++;
    if (duplicateInterchanges.has(claim.envelope.interchangeControl)) {
      duplicateInterchangeClaims++;
    } else {
      const claimId = claimIdOf(fileId, position);
      const ruleSet = await ruleSets.forPayer(claim.payer.id);
      const ruleFindings = await scrub(claim, ruleSet, ports.codeSets, history, { receivedOn, claimId });
      if (history instanceof InMemoryClaimHistory) history.add(claim, claimId);
      const findings = [...readFindings, ...ruleFindings];
      const held = holdsClaim(findings);
      pending.push({ claimId, tenant, fileId, position, receivedAt: record.receivedAt, status: held ? 'held' : 'accepted', claim, findings });
      claimResults.push(claimResultOf(claim, findings, held));
      reportClaims.push({ position, claimId, status: held ? 'held' : 'accepted', findings: findings.map(reportFinding) });
      if (!held) {
        const payer = claim.payer.id ?? '';
        const list = acceptedByPayer.get(payer) ?? [];
        list.push(claim);
        acceptedByPayer.set(payer, list);
      }
      if (pending.length >= CLAIM_BATCH) await flush();
    }
    next = await claims.next();
  }
  await flush();
  const report = next.value.report;
  markDuplicateInterchanges(report, duplicateInterchanges);

  const written: string[] = [];
  const put = async (bucket: string, key: string, body: string, contentType: string): Promise<void> => {
    await ports.objects.put({ bucket, key }, body, contentType);
    written.push(key);
  };

  // TA1/999.
  const ackOptions = (first: number): AcknowledgmentOptions => {
    let nextNumber = first;
    return { nextControlNumber: () => nextNumber++, now: receivedAt, lineBreak: true };
  };
  const ackCount = countCalls((options) => buildAcknowledgments(report, { ...options, now: receivedAt }));
  if (ackCount > 0) {
    const first = await ports.controlNumbers.allocate(tenant, fileId, 'acks', ackCount);
    for (const ack of buildAcknowledgments(report, ackOptions(first))) {
      await put(input.outboundBucket, outboundKeys.ack(tenant, fileId, ack.name), ack.content, 'application/edi-x12');
    }
  }

  // 277CA: one per file, answering the submitter of the first interchange that was not refused.
  const answered = report.interchanges.find((interchange) => !duplicateInterchanges.has(interchange.control) && interchange.verdict !== 'rejected');
  if (answered && claimResults.length > 0) {
    const first = await ports.controlNumbers.allocate(tenant, fileId, '277ca', 2);
    const text = write277CA(claimResults, claimAckOptions(answered, settings, first, receivedAt));
    await put(input.outboundBucket, outboundKeys.claimAck(tenant, fileId), text, 'application/edi-x12');
  }

  // Clean 837 per payer, with the tenant's trading-partner settings and our control numbers.
  let unroutedClaims = 0;
  for (const [payer, accepted] of [...acceptedByPayer].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const route = settings ? (settings.payers[payer] ?? settings.defaultPayer) : undefined;
    if (!settings || !route || payer === '') {
      unroutedClaims += accepted.length;
      continue;
    }
    const writeOptions = (numbers: (kind: string) => number) => ({
      sender: settings.sender,
      receiver: route.receiver,
      ...(settings.applicationSender ? { applicationSender: settings.applicationSender } : {}),
      ...(route.applicationReceiver ? { applicationReceiver: route.applicationReceiver } : {}),
      submitter: settings.submitter,
      receiverName: route.receiverName,
      usage: settings.usage,
      controlNumbers: numbers,
      now: receivedAt,
      lineEnd: '\n',
    });
    let calls = 0;
    write837(accepted, writeOptions(() => ++calls));
    const first = await ports.controlNumbers.allocate(tenant, fileId, `837#${payer}`, calls);
    let nextNumber = first;
    const text = write837(accepted, writeOptions(() => nextNumber++));
    await put(input.outboundBucket, outboundKeys.cleanClaims(tenant, payer, fileId), text, 'application/edi-x12');
  }

  const stored = reportClaims.length;
  const held = reportClaims.filter((claim) => claim.status === 'held').length;
  const rejected = stored === 0 && (report.verdict === 'rejected' || report.interchanges.length === 0 || duplicateInterchangeClaims > 0);
  const summaryWithoutReport = {
    claims: stored,
    accepted: stored - held,
    held,
    duplicateInterchangeClaims,
    verdict: report.verdict,
  };
  const reportKey = outboundKeys.report(tenant, fileId);
  const jsonReport = buildJsonReport({ fileId, tenant, receivedAt: record.receivedAt, status: rejected ? 'rejected' : 'complete', unroutedClaims, ...summaryWithoutReport }, report, duplicateInterchanges, reportClaims);
  await put(input.outboundBucket, reportKey, JSON.stringify(jsonReport, null, 2), 'application/json');

  const summary: FileSummary = { ...summaryWithoutReport, outboundKeys: written };
  if (rejected) {
    // Kept in the inbound bucket for inspection; recorded so that a redelivery does not loop.
    await ports.files.finish(fileId, 'rejected', summary);
    return { kind: 'rejected', fileId, tenant, summary };
  }
  await ports.files.finish(fileId, 'complete', summary);
  await archiveOriginal(ports.objects, input.source, archive);
  return { kind: 'processed', fileId, tenant, summary };
}

/** The inbound object disappeared between the two reads (a concurrent copy archived it): retry. */
export class InboundObjectVanishedError extends Error {
  override readonly name = 'InboundObjectVanishedError';
  constructor(readonly fileId: string) {
    super('The inbound object disappeared while it was being read; a retry will find the file complete');
  }
}

// ── Pass 1 ──────────────────────────────────────────────────────────────────────────────────────────

/** An interchange header as the duplicate check needs it. */
interface InterchangeHeader {
  senderQualifier: string;
  senderId: string;
  controlNumber: string;
}

/** SHA-256 of the whole content and the ISA headers of its interchanges, in one streamed read. */
async function scanFile(source: AsyncIterable<Uint8Array>): Promise<{ sha256: string; interchanges: InterchangeHeader[] }> {
  const hash = createHash('sha256');
  const interchanges: InterchangeHeader[] = [];
  const tokenizer = new Tokenizer({ reuseSegments: true, leadingText: 'skip' });
  const sink: TokenSink = {
    segment: (segment) => {
      if (segment.id !== 'ISA') return;
      const controlNumber = segment.element(13).trim();
      if (controlNumber === '') return;
      interchanges.push({ senderQualifier: segment.element(5).trim(), senderId: segment.element(6).trim(), controlNumber });
    },
    issue: () => undefined,
  };
  for await (const chunk of chunksOf(source)) {
    hash.update(chunk);
    tokenizer.write(chunk, sink);
  }
  tokenizer.end(sink);
  return { sha256: hash.digest('hex'), interchanges };
}

// ── Scrubbing ───────────────────────────────────────────────────────────────────────────────────────

/**
 * Compiled rule sets per payer, for one file: every version of the payer's and the every-payer rules
 * (the scrubber picks each line's version by its date), read and compiled once per payer.
 */
class RuleSetCache {
  private readonly sets = new Map<string, Promise<CompiledRuleSet>>();
  private everyPayer: Promise<PayerRule[]> | undefined;

  constructor(private readonly rules: RuleStore) {}

  forPayer(payer: string | undefined): Promise<CompiledRuleSet> {
    const key = payer ?? '';
    let set = this.sets.get(key);
    if (!set) {
      this.everyPayer ??= this.rules.list({ payer: EVERY_PAYER_ID });
      const own = payer === undefined || payer === EVERY_PAYER_ID ? Promise.resolve([]) : this.rules.list({ payer });
      set = Promise.all([this.everyPayer, own]).then(([every, mine]) => compileRuleSet([...every, ...mine]));
      this.sets.set(key, set);
    }
    return set;
  }
}

// ── Work items ──────────────────────────────────────────────────────────────────────────────────────

/**
 * The work item of a held claim: its holding findings as reasons, in the queue of the first finding
 * that names one (billing, for administrative problems, otherwise).
 */
function workItemFor(stored: StoredClaim): WorkItem {
  const holding = stored.findings.filter((finding) => finding.severity === 'reject');
  const queue: WorkQueue = holding.find((finding) => finding.queue !== undefined)?.queue ?? 'billing';
  return {
    workItemId: workItemIdOf(stored.claimId),
    tenant: stored.tenant,
    kind: 'hold',
    claimId: stored.claimId,
    ...(stored.claim.payer.id !== undefined ? { payer: stored.claim.payer.id } : {}),
    queue,
    status: 'open',
    createdAt: stored.receivedAt,
    updatedAt: stored.receivedAt,
    reasonCodes: [...new Set(holding.map((finding) => finding.code))],
    reasons: holding.map((finding) => ({
      code: finding.code,
      source: 'finding' as const,
      description: finding.message,
      ...(finding.queue !== undefined ? { category: finding.queue } : {}),
      ...(finding.line !== undefined ? { line: finding.line } : {}),
      ...(finding.ruleId !== undefined ? { ruleId: finding.ruleId } : {}),
    })),
    chargeCents: stored.claim.totalCharge,
    amountAtRiskCents: stored.claim.totalCharge,
    history: [{ at: stored.receivedAt, by: 'system', action: 'created', to: 'open', note: 'held by ingest' }],
    revision: 0,
  };
}

// ── Acknowledgments ─────────────────────────────────────────────────────────────────────────────────

/** How many control numbers a writer asks for (a dry run with a counting supplier). */
function countCalls(run: (options: AcknowledgmentOptions) => unknown): number {
  let calls = 0;
  run({ nextControlNumber: () => ++calls });
  return calls;
}

/** Refuse the interchanges that reused a control number: TA1 R 025, and (by the builder) no 999. */
function markDuplicateInterchanges(report: ValidationReport, duplicates: ReadonlySet<string>): void {
  if (duplicates.size === 0) return;
  for (const interchange of report.interchanges) {
    if (!duplicates.has(interchange.control)) continue;
    interchange.verdict = 'rejected';
    interchange.issues.unshift({
      level: 'interchange',
      code: TA1_DUPLICATE_INTERCHANGE,
      severity: 'error',
      message: 'Duplicate interchange control number: another file from this sender used it within a year',
      offset: interchange.offset,
    });
  }
  if (report.interchanges.every((interchange) => interchange.verdict === 'rejected')) report.verdict = 'rejected';
}

function claimAckOptions(interchange: InterchangeReport, settings: TradingPartnerSettings | undefined, first: number, now: Date) {
  const group = interchange.groups[0];
  const set = group?.sets[0];
  return {
    // We answer as the party the submitter addressed, to the submitter.
    sender: { qualifier: interchange.receiverQualifier, id: interchange.receiver },
    receiver: { qualifier: interchange.senderQualifier, id: interchange.sender },
    applicationSender: group?.receiver || interchange.receiver,
    applicationReceiver: group?.sender || interchange.sender,
    controlNumbers: { interchange: first, group: first + 1 },
    usage: settings?.usage ?? (interchange.usage === 'T' ? 'T' : 'P'),
    now,
    receivedAt: now,
    informationReceiver: { name: interchange.sender, etin: interchange.sender },
    batchTrace: set?.control ?? interchange.control,
    lineBreak: true,
  } as const;
}

/** A claim's line for the 277CA: accepted, or rejected A7 with the status of its first holding finding. */
function claimResultOf(claim: Claim, findings: readonly Finding[], held: boolean): ClaimResult {
  const firstReject = findings.find((finding) => finding.severity === 'reject');
  return {
    patientControlNumber: claim.patientControlNumber,
    billingProvider: {
      name: claim.billingProvider.lastOrOrganizationName ?? '',
      ...(claim.billingProvider.firstName ? { firstName: claim.billingProvider.firstName } : {}),
      ...(claim.billingProvider.npi ? { npi: claim.billingProvider.npi } : {}),
      ...(claim.billingProvider.taxId ? { taxId: claim.billingProvider.taxId.value } : {}),
    },
    subscriber: {
      lastName: claim.subscriber.lastOrOrganizationName ?? '',
      ...(claim.subscriber.firstName ? { firstName: claim.subscriber.firstName } : {}),
      memberId: claim.subscriber.memberId ?? '',
    },
    ...(claim.patient.sameAsSubscriber
      ? {}
      : { patient: { lastName: claim.patient.lastOrOrganizationName ?? '', ...(claim.patient.firstName ? { firstName: claim.patient.firstName } : {}) } }),
    payer: { name: claim.payer.name ?? '', id: claim.payer.id ?? '' },
    totalCharge: claim.totalCharge,
    serviceDates: serviceDatesOf(claim),
    ...(claim.typeOfBill ? { billType: claim.typeOfBill } : {}),
    status: held
      ? { kind: 'rejected', category: 'A7', statusCode: (firstReject && REJECT_STATUS_CODES[firstReject.code]) ?? DEFAULT_REJECT_STATUS_CODE }
      : { kind: 'accepted' },
  };
}

/** The claim's service period: its lines' dates of service, else the claim-level dates. */
function serviceDatesOf(claim: Claim): DateRange {
  let from: string | undefined;
  let to: string | undefined;
  const widen = (range: { from: string; to: string } | undefined): void => {
    if (!range) return;
    if (from === undefined || range.from < from) from = range.from;
    if (to === undefined || range.to > to) to = range.to;
  };
  for (const line of claim.lines) widen(line.dates.service);
  if (from === undefined) widen(claim.dates.statement ?? claim.dates.service ?? claim.dates.admission);
  // A claim without any date (the reader reported it) still needs a period in the 277CA's DTP*472.
  return { from: from ?? UNKNOWN_DATE, to: to ?? from ?? UNKNOWN_DATE };
}

// ── JSON report (no PHI: ids, control numbers, verdicts, counts and codes) ──────────────────────────

interface ReportFinding {
  origin: Finding['origin'];
  code: string;
  severity: Finding['severity'];
  ruleId?: string;
  line?: number;
  queue?: WorkQueue;
  message: string;
}

interface ReportClaim {
  position: number;
  claimId: string;
  status: 'accepted' | 'held';
  findings: ReportFinding[];
}

/** A finding without what could identify a patient (the PCN in `claimRef`, the source location). */
function reportFinding(finding: Finding): ReportFinding {
  return {
    origin: finding.origin,
    code: finding.code,
    severity: finding.severity,
    ...(finding.ruleId !== undefined ? { ruleId: finding.ruleId } : {}),
    ...(finding.line !== undefined ? { line: finding.line } : {}),
    ...(finding.queue !== undefined ? { queue: finding.queue } : {}),
    // Findings' messages never quote element values (FindingSchema), so they may be shown.
    message: finding.message,
  };
}

function buildJsonReport(
  file: Record<string, unknown>,
  report: ValidationReport,
  duplicates: ReadonlySet<string>,
  claims: readonly ReportClaim[],
): Record<string, unknown> {
  return {
    ...file,
    bytes: report.bytes,
    fileIssues: report.fileIssues.map((issue) => ({ code: issue.code, severity: issue.severity, message: issue.message })),
    interchanges: report.interchanges.map((interchange) => ({
      control: interchange.control,
      verdict: interchange.verdict,
      duplicate: duplicates.has(interchange.control),
      issueCodes: interchange.issues.map((issue) => issue.code),
      groups: interchange.groups.map((group) => ({
        control: group.control,
        verdict: group.verdict,
        issueCodes: group.issues.map((issue) => issue.code),
        sets: group.sets.map((set) => ({ control: set.control, verdict: set.verdict, issueCodes: set.issues.map((issue) => `${issue.level}:${issue.code}`) })),
      })),
    })),
    claims,
  };
}

// ── Archive ─────────────────────────────────────────────────────────────────────────────────────────

/** Copy the original to the archive (unless it is gone, i.e. done before) and remove it from inbound. */
async function archiveOriginal(objects: ObjectStore, source: ObjectLocation, archive: ObjectLocation): Promise<void> {
  if (await objects.head(source)) {
    await objects.copy(source, archive);
    await objects.delete(source);
  }
}

/** A payer id as one key segment: characters S3 and people handle without escaping. */
function safeKeyPart(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, '_') || '_';
}
