/**
 * The ingest-remittance use case: one 835 object in the inbound bucket (`{tenant}/835/{name}`) →
 * postings on the claims it pays, the claims' recomputed adjudications, work items (denials in the
 * coding, billing and clinical queues; unmatched payments and underpayments in exceptions), the
 * remittance stored with its provider-level adjustments, the TA1/999 and a JSON report (no PHI) in
 * the outbound bucket, then the original archived.
 *
 * Everything is decided before the first posting write, and every write is safe to repeat, without
 * transactions (DESIGN.md, "the rules of writing"):
 * - pass 1 reads the whole file once: its SHA-256 (the file's id is tenant + hash), the X12 report,
 *   the balancing of every line, claim payment and transaction, and the payer of every set. A file
 *   that is not X12, does not balance, names a payer the directory does not know, or repeats a trace
 *   number another file carried is reported and kept in the inbound bucket, and nothing of it is
 *   posted — not even its good sets, so that a corrected file posts whole;
 * - pass 2 reads it again and matches each claim payment; the decision is stored first
 *   (create-if-absent, keyed by the remittance and the position), then posted under a deterministic
 *   id (remittance + position), with create-if-absent postings and work items. A retry or a concurrent
 *   copy reuses the stored decisions, so a re-delivery posts nothing twice and never moves a payment;
 * - each touched claim's adjudication is recomputed from all its postings, which makes it repeat-safe
 *   and lets concurrent files converge (the sum over more postings wins).
 */
import { createHash, type Hash } from 'node:crypto';
import type { Finding } from '../../schemas/finding.schema.ts';
import type { Posting } from '../../schemas/posting.schema.ts';
import type { ClaimPayment, RemittanceSummary } from '../../schemas/remittance.schema.ts';
import type { WorkItem } from '../../schemas/work-item.schema.ts';
import type { PayerRule } from '../../schemas/payer-rule.schema.ts';
import { InboundObjectVanishedError, outboundKeys } from '../claims/ingest-claims.ts';
import { fileIdOf, type FileSummary } from '../claims/ports.ts';
import type { CodeSets } from '../rules/codesets/types.ts';
import type { PayerDirectory, PayerResolution } from '../rules/payer-directory.ts';
import type { RuleStore } from '../rules/rule-store.ts';
import { buildAcknowledgments, type AcknowledgmentOptions } from '../x12/acks.ts';
import type { ValidationReport } from '../x12/report.ts';
import { chunksOf } from '../x12/tokenizer.ts';
import { appealDeadlineOf, timelyFilingDeadlineOf } from './deadlines.ts';
import { denialWorkItems } from './denials.ts';
import { ClaimPaymentDecisionConflictError, InboundObjectChangedError } from './errors.ts';
import { lineShortfallsOf, underpaymentWorkItem, unmatchedPaymentWorkItem } from './exceptions.ts';
import { earliestServiceDateOf, matchClaimPayment, PAYER_PATIENT_CONTROL_NUMBER_LENGTH, sameMatch, type MatchCandidate } from './match.ts';
import { adjudicationOf, isReversal, postingOf } from './post.ts';
import type {
  ClaimLookup,
  ClaimOnFile,
  ClaimPaymentRecord,
  ControlNumbers,
  FileRecords,
  ObjectLocation,
  ObjectStore,
  Postings,
  RemittanceCounts,
  Remittances,
  RemittanceSetRecord,
  TraceRegistrationInput,
  WorkItems,
} from './ports.ts';
import { read835, type RemittanceHeader } from './read-835.ts';
import {
  reportedClaimPayment,
  reportedFinding,
  reportedSet,
  reportedX12,
  type RemittanceProblem,
  type RemittanceReport,
  type ReportedClaimPayment,
  type ReportedFinding,
} from './remittance-report.ts';

/** The object to ingest and where outbound files go. */
export interface IngestRemittanceInput {
  /** The inbound object (`{tenant}/835/{name}`). */
  source: ObjectLocation;
  outboundBucket: string;
  archiveBucket: string;
}

/** What the use case needs; every port is an interface of `ports.ts` or of the rules. */
export interface IngestRemittancePorts {
  objects: ObjectStore;
  files: FileRecords;
  claims: ClaimLookup;
  postings: Postings;
  remittances: Remittances;
  workItems: WorkItems;
  controlNumbers: ControlNumbers;
  /** The payer rules (wrap the store in a `CachedRuleStore` in a function): fee schedules, appeal windows, timely filing. */
  rules: RuleStore;
  codeSets: CodeSets;
  /** Resolves an 835's payer to the rules' payer id (REF*2U, TRN03, N1*PR N104). */
  payers: Pick<PayerDirectory, 'resolveRemittancePayer'>;
  /** The clock of a first delivery (tests inject one); default now. */
  now?: () => Date;
}

/**
 * Counts of a processed 835, in the file record's shape (`claims` = claim payments read, `accepted` =
 * posted to a claim, `held` = not posted: unmatched) with the remittance's own counts beside them.
 */
export interface RemittanceFileSummary extends FileSummary, RemittanceCounts {
  /** Codes of the problems that kept the file from being posted (empty when posted). */
  problems: string[];
}

/** What happened, for the handler's metrics and logs (ids, counts and codes only). */
export type IngestRemittanceOutcome =
  | { kind: 'processed'; fileId: string; tenant: string; summary: RemittanceFileSummary }
  | { kind: 'rejected'; fileId: string; tenant: string; summary: RemittanceFileSummary }
  | { kind: 'already-complete'; fileId: string; tenant: string }
  | { kind: 'already-rejected'; fileId: string; tenant: string }
  /** The object is gone (archived by an earlier delivery, or deleted): nothing to do. */
  | { kind: 'missing' }
  /** The key is not `{tenant}/835/{name}`: not ours to ingest. */
  | { kind: 'ignored'; reason: 'key-not-835' };

/** Claim payments decided and posted per round: bounds memory and the lookups in flight. */
const CLAIM_PAYMENT_BATCH = 100;
/** Claim lookups in flight at once while a batch is read. */
const LOOKUP_CONCURRENCY = 16;
/** Claims whose adjudication is recomputed at once. */
const ADJUDICATION_CONCURRENCY = 8;
const TENANT_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The tenant and object name of an inbound 835 key, or undefined for any other key. */
export function parseInboundRemittanceKey(key: string): { tenant: string; name: string } | undefined {
  const match = /^([^/]+)\/835\/(.+)$/.exec(key);
  if (!match || !TENANT_PATTERN.test(match[1]!)) return undefined;
  return { tenant: match[1]!, name: match[2]! };
}

/** Where a processed 835 is archived: `{tenant}/835/{fileId}/{name}` in the archive bucket. */
export function remittanceArchiveKey(tenant: string, fileId: string, name: string): string {
  return `${tenant}/835/${fileId}/${name}`;
}

/**
 * Ingest one inbound 835 object. Throws only on transient failures (a store or object call failing,
 * a concurrent copy's other decision): the caller retries the whole call, which converges.
 *
 * @example
 * const outcome = await ingestRemittanceFile({ source: { bucket, key }, outboundBucket, archiveBucket }, ports);
 */
export async function ingestRemittanceFile(input: IngestRemittanceInput, ports: IngestRemittancePorts): Promise<IngestRemittanceOutcome> {
  const parsedKey = parseInboundRemittanceKey(input.source.key);
  if (!parsedKey) return { kind: 'ignored', reason: 'key-not-835' };
  const { tenant, name } = parsedKey;

  // Pass 1: identity, X12 report, balancing and payers, before anything is written.
  const firstHead = await ports.objects.head(input.source);
  const firstRead = firstHead && (await ports.objects.get(input.source));
  if (!firstRead) return { kind: 'missing' };
  const validation = await validateRemittanceFile(firstRead, ports.payers);
  const fileId = fileIdOf(tenant, validation.sha256);
  const archive: ObjectLocation = { bucket: input.archiveBucket, key: remittanceArchiveKey(tenant, fileId, name) };

  const record = await ports.files.begin({ fileId, tenant, sourceKey: input.source.key, receivedAt: (ports.now?.() ?? new Date()).toISOString(), status: 'processing' });
  if (record.status === 'complete') {
    // A redelivery after completion, or a crash between recording and archiving: finish the archiving.
    await archiveOriginal(ports.objects, input.source, archive);
    return { kind: 'already-complete', fileId, tenant };
  }
  if (record.status === 'rejected') return { kind: 'already-rejected', fileId, tenant };
  const receivedAt = record.receivedAt;
  const written: string[] = [];
  const put = async (key: string, body: string, contentType: string): Promise<void> => {
    await ports.objects.put({ bucket: input.outboundBucket, key }, body, contentType);
    written.push(key);
  };

  // TA1/999 to the payer, with our control numbers (allocated once per file, the same on a retry).
  const ackCount = countControlNumbers((options) => buildAcknowledgments(validation.report, { ...options, now: new Date(receivedAt) }));
  if (ackCount > 0) {
    let nextNumber = await ports.controlNumbers.allocate(tenant, fileId, 'acks', ackCount);
    const acks = buildAcknowledgments(validation.report, { nextControlNumber: () => nextNumber++, now: new Date(receivedAt), lineBreak: true });
    for (const ack of acks) await put(outboundKeys.ack(tenant, fileId, ack.name), ack.content, 'application/edi-x12');
  }

  const problems = [...validation.problems];
  if (problems.length === 0) problems.push(...(await registerTraces(ports.remittances, validation.sets, tenant, fileId, receivedAt)));

  const report: RemittanceReport = {
    kind: '835',
    fileId,
    tenant,
    receivedAt,
    status: problems.length > 0 ? 'rejected' : 'complete',
    ...reportedX12(validation.report),
    problems,
    remittances: validation.sets.map((set) => reportedSet(set.summary, set.payer && { payerId: set.payer.payerId, matchedBy: set.payer.matchedBy }, set.claimPayments, set.findings)),
    claimPayments: [],
  };
  const reportKey = outboundKeys.report(tenant, fileId);

  if (problems.length > 0) {
    // Kept in the inbound bucket for inspection; recorded so that a redelivery does not loop.
    const summary = fileSummaryOf(validation, emptyCounts(validation.claimPayments), problems, [...written, reportKey]);
    await put(reportKey, JSON.stringify(report, null, 2), 'application/json');
    await ports.files.finish(fileId, 'rejected', summary);
    return { kind: 'rejected', fileId, tenant, summary };
  }

  // Pass 2: match, decide, post.
  // The same bytes as pass 1: an object replaced under the same key is another file (its own event).
  const secondHead = await ports.objects.head(input.source);
  if (secondHead && secondHead.etag !== firstHead.etag) throw new InboundObjectChangedError(fileId);
  const secondRead = secondHead && (await ports.objects.get(input.source));
  if (!secondRead) throw new InboundObjectVanishedError(fileId);
  const posting = new RemittancePosting(ports, tenant, fileId, receivedAt);
  for await (const event of read835(secondRead)) {
    if (event.kind === 'claimPayment') await posting.add(event.claimPayment, event.header);
  }
  await posting.flush();
  await posting.recomputeAdjudications();

  const sets: RemittanceSetRecord[] = validation.sets.map((set) => ({ summary: set.summary, payer: { payerId: set.payer!.payerId, matchedBy: set.payer!.matchedBy }, claimPayments: set.claimPayments }));
  await ports.remittances.putSummary({ remittanceId: fileId, tenant, fileId, receivedAt, sets, counts: posting.counts });

  report.counts = posting.counts;
  report.claimPayments = posting.reported;
  await put(reportKey, JSON.stringify(report, null, 2), 'application/json');
  const summary = fileSummaryOf(validation, posting.counts, [], written);
  await ports.files.finish(fileId, 'complete', summary);
  await archiveOriginal(ports.objects, input.source, archive);
  return { kind: 'processed', fileId, tenant, summary };
}

// ── Pass 1: validation ──────────────────────────────────────────────────────────────────────────────

/** One 835 transaction set as pass 1 saw it. */
interface ValidatedSet {
  summary: RemittanceSummary;
  payer: PayerResolution | undefined;
  claimPayments: number;
  /** Every finding of the set and its claim payments, as reported (no PCN). */
  findings: ReportedFinding[];
}

interface Validation {
  sha256: string;
  report: ValidationReport;
  sets: ValidatedSet[];
  claimPayments: number;
  problems: RemittanceProblem[];
}

/** Read the whole file once: hash it, validate it, balance it, resolve its payers; collect the problems. */
async function validateRemittanceFile(source: AsyncIterable<Uint8Array>, payers: IngestRemittancePorts['payers']): Promise<Validation> {
  const hash = createHash('sha256');
  const sets: ValidatedSet[] = [];
  const problems: RemittanceProblem[] = [];
  let unreadableSets = 0;
  let position = 0;
  let pending: { findings: ReportedFinding[]; rejects: Finding[]; claimPayments: number } = { findings: [], rejects: [], claimPayments: 0 };

  const events = read835(hashing(source, hash));
  let next = await events.next();
  while (!next.done) {
    const event = next.value;
    if (event.kind === 'claimPayment') {
      position++;
      pending.claimPayments++;
      for (const finding of event.findings) {
        pending.findings.push(reportedFinding(finding, position));
        if (finding.severity === 'reject') pending.rejects.push(finding);
      }
    } else if (event.kind === 'remittance') {
      const summary = event.remittance;
      const findings = [...pending.findings, ...event.findings.map((finding) => reportedFinding(finding))];
      const rejects = [...pending.rejects, ...event.findings.filter((finding) => finding.severity === 'reject')];
      const payer = payers.resolveRemittancePayer(summary);
      sets.push({ summary, payer, claimPayments: pending.claimPayments, findings });
      problems.push(...setProblems(summary, payer, rejects));
      pending = { findings: [], rejects: [], claimPayments: 0 };
    } else {
      unreadableSets++;
    }
    next = await events.next();
  }
  const report = next.value;
  problems.unshift(...fileProblems(report, sets.length, unreadableSets));
  problems.push(...repeatedTraces(sets));
  return { sha256: hash.digest('hex'), report, sets, claimPayments: position, problems };
}

/** Chunks of `source` as they pass, hashed on the way (the reader reads every byte). */
async function* hashing(source: AsyncIterable<Uint8Array>, hash: Hash): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunksOf(source)) {
    hash.update(chunk);
    yield chunk;
  }
}

/** Problems of the file as X12: not X12 at all, rejected parts, no 835. */
function fileProblems(report: ValidationReport, sets: number, unreadableSets: number): RemittanceProblem[] {
  if (report.interchanges.length === 0) return [{ code: 'NOT_X12', message: 'The file holds no X12 interchange (see the file issues and the TA1)' }];
  const problems: RemittanceProblem[] = [];
  const rejectedParts = report.interchanges.flatMap((interchange) => [
    ...(interchange.verdict === 'rejected' ? [interchange] : []),
    ...interchange.groups.flatMap((group) => [...(group.verdict === 'rejected' ? [group] : []), ...group.sets.filter((set) => set.verdict === 'rejected')]),
  ]);
  if (rejectedParts.length > 0 || unreadableSets > 0) {
    problems.push({ code: 'X12_REJECTED', message: 'Parts of the file were rejected as X12 (see the TA1/999): the file is not posted until it is sent again whole', count: rejectedParts.length + unreadableSets });
  }
  if (sets === 0 && unreadableSets === 0) problems.push({ code: 'NOT_835', message: 'The file holds no 835 remittance transaction set' });
  return problems;
}

/** Problems of one set: values not read, imbalances, no trace number, an unknown payer. */
function setProblems(summary: RemittanceSummary, payer: PayerResolution | undefined, rejects: readonly Finding[]): RemittanceProblem[] {
  const where = { interchangeControl: summary.envelope.interchangeControl, setControl: summary.envelope.setControl };
  const problems: RemittanceProblem[] = [];
  const unbalanced = rejects.filter((finding) => finding.origin === 'balancing').length;
  const unreadable = rejects.length - unbalanced;
  if (unreadable > 0) problems.push({ code: 'UNREADABLE_VALUE', message: 'Values of the remittance could not be read (see the findings)', ...where, count: unreadable });
  if (unbalanced > 0) {
    problems.push({ code: 'UNBALANCED', message: 'The remittance does not balance: lines, claim payments or the total (see the findings); nothing is corrected or posted', ...where, count: unbalanced });
  }
  if (!summary.trace?.traceNumber.trim()) problems.push({ code: 'MISSING_TRACE', message: 'The remittance has no reassociation trace number (TRN02)', ...where });
  if (!payer) problems.push({ code: 'UNKNOWN_PAYER', message: 'The payer (REF*2U, TRN03 or N1*PR N104) is not in the payer directory', ...where });
  return problems;
}

/** A payer's trace number twice in one file: the second set repeats the first's payment. */
function repeatedTraces(sets: readonly ValidatedSet[]): RemittanceProblem[] {
  const seen = new Set<string>();
  const problems: RemittanceProblem[] = [];
  for (const set of sets) {
    const traceNumber = set.summary.trace?.traceNumber.trim();
    if (!set.payer || !traceNumber) continue;
    const key = JSON.stringify([set.payer.payerId, traceNumber]);
    if (seen.has(key)) {
      problems.push({
        code: 'DUPLICATE_TRACE',
        message: "The payer's trace number appears twice in this file",
        interchangeControl: set.summary.envelope.interchangeControl,
        setControl: set.summary.envelope.setControl,
        payer: set.payer.payerId,
        traceNumber,
      });
    }
    seen.add(key);
  }
  return problems;
}

/**
 * Claim each set's (payer, trace number) for this file, in a fixed order (so that two files sharing
 * several traces cannot each take one and both lose). Any repeat rejects the file: the traces it took
 * are released, so a corrected file can carry them.
 */
async function registerTraces(remittances: Remittances, sets: readonly ValidatedSet[], tenant: string, fileId: string, at: string): Promise<RemittanceProblem[]> {
  const traces: (TraceRegistrationInput & { setControl: string; interchangeControl: string })[] = sets
    .map((set) => ({
      tenant,
      payer: set.payer!.payerId,
      traceNumber: set.summary.trace!.traceNumber.trim(),
      fileId,
      at,
      setControl: set.summary.envelope.setControl,
      interchangeControl: set.summary.envelope.interchangeControl,
    }))
    .sort((a, b) => (a.payer === b.payer ? (a.traceNumber < b.traceNumber ? -1 : a.traceNumber > b.traceNumber ? 1 : 0) : a.payer < b.payer ? -1 : 1));
  const taken: TraceRegistrationInput[] = [];
  for (const trace of traces) {
    const { setControl, interchangeControl, ...registration } = trace;
    const outcome = await remittances.registerTrace(registration);
    if (outcome.kind === 'duplicate') {
      for (const mine of taken) await remittances.releaseTrace(mine);
      return [
        {
          code: 'DUPLICATE_TRACE',
          message: "The payer's trace number (TRN02) was carried by another file: this remittance repeats a payment already received",
          interchangeControl,
          setControl,
          payer: trace.payer,
          traceNumber: trace.traceNumber,
          usedByFileId: outcome.usedByFileId,
        },
      ];
    }
    taken.push(registration);
  }
  return [];
}

// ── Pass 2: matching and posting ────────────────────────────────────────────────────────────────────

/** A claim payment read in pass 2, waiting for its batch. */
interface PendingClaimPayment {
  position: number;
  claimPayment: ClaimPayment;
  header: RemittanceHeader;
}

/**
 * Matches, records and posts the claim payments of one file, batch by batch, in file order. Keeps this
 * file's postings so far (a reversal, then the corrected payment, in one file), the counts and the
 * report entries; everything else is read per batch.
 */
class RemittancePosting {
  readonly counts: RemittanceCounts = { claimPayments: 0, posted: 0, reversals: 0, unmatched: 0, denialItems: 0, underpaymentItems: 0, unmatchedLines: 0 };
  readonly reported: ReportedClaimPayment[] = [];
  private pending: PendingClaimPayment[] = [];
  private position = 0;
  /** This file's postings by claim, in order. */
  private readonly postedHere = new Map<string, Posting[]>();
  private readonly touchedClaims = new Set<string>();
  /** Rules in effect per (payer, date), for the file. */
  private readonly rulesCache = new Map<string, Promise<PayerRule[]>>();
  private readonly receivedOn: string;

  constructor(
    private readonly ports: IngestRemittancePorts,
    private readonly tenant: string,
    private readonly remittanceId: string,
    private readonly receivedAt: string,
  ) {
    this.receivedOn = receivedAt.slice(0, 10);
  }

  async add(claimPayment: ClaimPayment, header: RemittanceHeader): Promise<void> {
    this.pending.push({ position: ++this.position, claimPayment, header });
    if (this.pending.length >= CLAIM_PAYMENT_BATCH) await this.flush();
  }

  /** Decide, record and post the pending claim payments. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const { ports } = this;

    // Decisions already stored by an earlier run (or a concurrent copy) are reused as they are.
    const stored = new Map((await ports.remittances.claimPaymentsOf(this.remittanceId, batch.map((entry) => entry.position))).map((record) => [record.position, record]));
    const claims = new ClaimsOfBatch(ports.claims, ports.postings, this.tenant, this.remittanceId);
    // The lookups of the payments still to decide, several at a time; the decisions below are made one
    // by one, in file order, from what was read (each may depend on the postings of the ones before).
    await claims.prefetch(batch.filter((entry) => !stored.has(entry.position)).map((entry) => entry.claimPayment.patientControlNumber));
    const decided: { record: ClaimPaymentRecord; posting: Posting | undefined }[] = [];
    const fresh: ClaimPaymentRecord[] = [];
    for (const entry of batch) {
      let record = stored.get(entry.position);
      if (!record) {
        record = await this.decide(entry, claims);
        fresh.push(record);
      }
      decided.push({ record, posting: this.remember(record) });
    }
    if (fresh.length > 0) {
      const kept = await ports.remittances.recordClaimPayments(fresh);
      kept.forEach((keptRecord, index) => {
        if (!sameMatch(keptRecord.match, fresh[index]!.match)) throw new ClaimPaymentDecisionConflictError(this.remittanceId, keptRecord.position);
      });
    }

    const postings: Posting[] = [];
    const items: WorkItem[] = [];
    const itemsByPosition = new Map<number, string[]>();
    const claimOf = await claims.byIds(decided.flatMap(({ posting }) => (posting ? [posting.claimId] : [])));
    for (const { record, posting } of decided) {
      const recordItems: WorkItem[] = [];
      if (posting) {
        postings.push(posting);
        this.touchedClaims.add(posting.claimId);
        const claim = claimOf.get(posting.claimId);
        if (claim) recordItems.push(...(await this.workItemsOf(posting, record, claim)));
      } else {
        recordItems.push(unmatchedPaymentWorkItem(record, this.receivedAt));
      }
      items.push(...recordItems);
      itemsByPosition.set(record.position, recordItems.map((item) => item.workItemId));
      this.count(record, recordItems);
      const payment = record.claimPayment;
      this.reported.push(
        reportedClaimPayment(
          { position: record.position, setControl: record.setControl, claimStatusCode: payment.statusCode.trim(), reversal: isReversal(payment), chargeCents: payment.totalCharge, paidCents: payment.paid, serviceLines: payment.serviceLines.length },
          record.match,
          posting?.postingId,
          recordItems.map((item) => item.workItemId),
        ),
      );
    }
    // Postings before items: an item never points at a posting that is not stored.
    await ports.postings.createMany(postings);
    if (items.length > 0) await ports.workItems.createMany(items);
  }

  /** Recompute the adjudication of every claim this file posted to, from all its postings. */
  async recomputeAdjudications(): Promise<void> {
    const claimIds = [...this.touchedClaims];
    for (let start = 0; start < claimIds.length; start += ADJUDICATION_CONCURRENCY) {
      await Promise.all(
        claimIds.slice(start, start + ADJUDICATION_CONCURRENCY).map(async (claimId) => {
          const adjudication = adjudicationOf(await this.ports.postings.listForClaim(claimId));
          if (adjudication) await this.ports.postings.writeAdjudication(claimId, adjudication);
        }),
      );
    }
  }

  /** Match one claim payment against its candidates, with this file's postings so far. */
  private async decide(entry: PendingClaimPayment, claims: ClaimsOfBatch): Promise<ClaimPaymentRecord> {
    const { claimPayment, header } = entry;
    const candidates: MatchCandidate[] = [];
    for (const claim of await claims.candidates(claimPayment.patientControlNumber)) {
      const postings = [...(await claims.storedPostings(claim.claimId)), ...(this.postedHere.get(claim.claimId) ?? [])];
      candidates.push({ claimId: claim.claimId, receivedAt: claim.receivedAt, claim: claim.claim, postings });
    }
    const payer = this.ports.payers.resolveRemittancePayer(header);
    // Pass 1 refused files with an unknown payer: a payer missing now means the directory changed under us.
    if (!payer) throw new Error('The payer directory no longer knows the payer it resolved in the first pass; retry');
    const record: ClaimPaymentRecord = {
      remittanceId: this.remittanceId,
      tenant: this.tenant,
      position: entry.position,
      setControl: header.envelope.setControl,
      payer: payer.payerId,
      paymentDate: header.payment.paymentDate ?? header.productionDate ?? this.receivedOn,
      claimPayment: withoutFieldSources(claimPayment),
      match: matchClaimPayment(claimPayment, candidates),
    };
    const traceNumber = header.trace?.traceNumber.trim();
    if (traceNumber) record.traceNumber = traceNumber;
    return record;
  }

  /** The posting of a decided payment (none when unmatched), kept for the decisions that follow in this file. */
  private remember(record: ClaimPaymentRecord): Posting | undefined {
    if (record.match.kind !== 'matched') return undefined;
    const posting = postingOf(record, { postedAt: this.receivedAt, router: this.ports.codeSets });
    const list = this.postedHere.get(posting.claimId) ?? [];
    list.push(posting);
    this.postedHere.set(posting.claimId, list);
    return posting;
  }

  /** Denial items and the underpayment item of a posting (none for a reversal). */
  private async workItemsOf(posting: Posting, record: ClaimPaymentRecord, claim: ClaimOnFile): Promise<WorkItem[]> {
    if (posting.reversal) return [];
    const appealDeadline = appealDeadlineOf(await this.rulesOn(record.payer, record.paymentDate), record.paymentDate);
    const earliest = earliestServiceDateOf(claim.claim);
    const timelyFilingDeadline = earliest === undefined ? undefined : timelyFilingDeadlineOf(await this.rulesOn(record.payer, earliest), claim.claim);
    const items = denialWorkItems(posting, {
      chargeCents: claim.claim.totalCharge,
      appealDeadline,
      ...(timelyFilingDeadline !== undefined ? { timelyFilingDeadline } : {}),
      createdAt: this.receivedAt,
      descriptions: this.ports.codeSets,
    });
    const shortfalls = await lineShortfallsOf(posting, record, claim.claim, (date) => this.rulesOn(record.payer, date));
    const underpayment = underpaymentWorkItem(posting, shortfalls, { chargeCents: claim.claim.totalCharge, appealDeadline, createdAt: this.receivedAt });
    if (underpayment) items.push(underpayment);
    return items;
  }

  private rulesOn(payer: string, date: string): Promise<PayerRule[]> {
    const key = JSON.stringify([payer, date]);
    let rules = this.rulesCache.get(key);
    if (!rules) {
      rules = this.ports.rules.rulesInEffect(payer, date);
      this.rulesCache.set(key, rules);
      // A failed read is not kept: the retry of the file reads again.
      rules.catch(() => this.rulesCache.delete(key));
    }
    return rules;
  }

  private count(record: ClaimPaymentRecord, items: readonly WorkItem[]): void {
    const counts = this.counts;
    counts.claimPayments++;
    if (record.match.kind === 'matched') {
      counts.posted++;
      if (isReversal(record.claimPayment)) counts.reversals++;
      counts.unmatchedLines += record.match.lines.filter((line) => line.line === undefined).length;
    } else {
      counts.unmatched++;
    }
    counts.denialItems += items.filter((item) => item.kind === 'denial').length;
    counts.underpaymentItems += items.filter((item) => item.kind === 'underpayment').length;
  }
}

/** Claims and their stored postings, read once per batch (a batch's payments often share claims). */
class ClaimsOfBatch {
  private readonly byPrefix = new Map<string, Promise<ClaimOnFile[]>>();
  private readonly postings = new Map<string, Promise<Posting[]>>();
  private readonly known = new Map<string, ClaimOnFile>();

  constructor(
    private readonly lookup: ClaimLookup,
    private readonly store: Postings,
    private readonly tenant: string,
    private readonly remittanceId: string,
  ) {}

  /** The claims whose CLM01 begins like CLP01 (the lookup's narrowing; matching confirms them). */
  async candidates(patientControlNumber: string): Promise<ClaimOnFile[]> {
    const prefix = patientControlNumber.trim().slice(0, PAYER_PATIENT_CONTROL_NUMBER_LENGTH).toUpperCase();
    let claims = this.byPrefix.get(prefix);
    if (!claims) {
      claims = this.lookup.candidates(this.tenant, patientControlNumber);
      this.byPrefix.set(prefix, claims);
    }
    const found = await claims;
    for (const claim of found) this.known.set(claim.claimId, claim);
    return found;
  }

  /** Read the candidates of these patient control numbers and their postings, {@link LOOKUP_CONCURRENCY} at a time. */
  async prefetch(patientControlNumbers: readonly string[]): Promise<void> {
    const unique = [...new Set(patientControlNumbers)];
    for (let start = 0; start < unique.length; start += LOOKUP_CONCURRENCY) {
      await Promise.all(
        unique.slice(start, start + LOOKUP_CONCURRENCY).map(async (patientControlNumber) => {
          const found = await this.candidates(patientControlNumber);
          await Promise.all(found.map((claim) => this.storedPostings(claim.claimId)));
        }),
      );
    }
  }

  /** A claim's postings from other remittances (this one's are the file's own state, kept in memory). */
  storedPostings(claimId: string): Promise<Posting[]> {
    let postings = this.postings.get(claimId);
    if (!postings) {
      postings = this.store.listForClaim(claimId).then((all) => all.filter((posting) => posting.remittanceId !== this.remittanceId));
      this.postings.set(claimId, postings);
    }
    return postings;
  }

  /** Claims by id: those seen as candidates, the others (decisions reused from storage) read. */
  async byIds(claimIds: readonly string[]): Promise<Map<string, ClaimOnFile>> {
    const missing = [...new Set(claimIds.filter((claimId) => !this.known.has(claimId)))];
    if (missing.length > 0) for (const claim of await this.lookup.get(missing)) this.known.set(claim.claimId, claim);
    return this.known;
  }
}

// ── Summary, acknowledgments, archive ───────────────────────────────────────────────────────────────

function emptyCounts(claimPayments: number): RemittanceCounts {
  return { claimPayments, posted: 0, reversals: 0, unmatched: 0, denialItems: 0, underpaymentItems: 0, unmatchedLines: 0 };
}

function fileSummaryOf(validation: Validation, counts: RemittanceCounts, problems: readonly RemittanceProblem[], outbound: readonly string[]): RemittanceFileSummary {
  return {
    claims: counts.claimPayments,
    accepted: counts.posted,
    held: counts.unmatched,
    duplicateInterchangeClaims: 0,
    rejectedSetClaims: 0,
    verdict: validation.report.verdict,
    outboundKeys: [...outbound],
    ...counts,
    problems: [...new Set(problems.map((problem) => problem.code))],
  };
}

/** How many control numbers a writer asks for (a dry run with a counting supplier). */
function countControlNumbers(run: (options: AcknowledgmentOptions) => unknown): number {
  let calls = 0;
  run({ nextControlNumber: () => ++calls });
  return calls;
}

/** Copy the original to the archive (unless it is gone, i.e. done before) and remove it from inbound. */
async function archiveOriginal(objects: ObjectStore, source: ObjectLocation, archive: ObjectLocation): Promise<void> {
  if (await objects.head(source)) {
    await objects.copy(source, archive);
    await objects.delete(source);
  }
}

/**
 * A claim payment as it is stored: without its field sources, as claims are (see ingest-claims). They point
 * into the 835, were used by its balancing before anything was stored, and were most of the record: about
 * 1 KB per service line, so that a hospital claim paid line by line outgrew DynamoDB's 400 KB item.
 */
function withoutFieldSources(claimPayment: ClaimPayment): ClaimPayment {
  return { ...claimPayment, sources: {}, serviceLines: claimPayment.serviceLines.map((line) => ({ ...line, sources: {} })) };
}
