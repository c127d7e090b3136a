/**
 * The ingest-claims use case: one 837 object in the inbound bucket → stored claims with findings, work
 * items for held claims, and the outbound files (TA1/999, 277CA, a JSON report without PHI, clean 837s
 * per payer), then the original archived.
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
 * Large batches (above `splitThresholdBytes`) are split into chunk objects (`split-837.ts`) that the same
 * function processes in parallel, each one invocation: the splitter scans the file (its validation
 * report is the whole file's), refuses duplicate interchanges once, writes the chunks and records their
 * number; each chunk stores its claims, writes its clean 837s and a compact result, and records itself
 * finished in a set on the file record; whoever completes the set (the last chunk, or the splitter)
 * takes the assembly with a conditional write and builds the file's TA1/999, 277CA and report from the
 * results, then archives the original and removes the chunks. The assembly streams: it reads the chunk
 * results one at a time, twice — first writing the 277CA (one transaction set per chunk and payer, each
 * with its own totals) while counting, then the report (byte for byte the unsplit run's) — each sent as
 * it is produced with `ObjectStore.putStream`, keeping counts and clean-837 keys only. Memory is bounded
 * by the chunk size, not the batch.
 *
 * A file that is not X12 (or whose interchanges are all rejected) is recorded `rejected` with its
 * acknowledgments and report written, and stays in the inbound bucket for inspection: a permanent
 * outcome, not an error, so that nothing retries it.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Claim } from '../../schemas/claim.schema.ts';
import type { DateRange } from '../../schemas/common.schema.ts';
import { FindingSchema, WorkQueueSchema, type Finding, type WorkQueue } from '../../schemas/finding.schema.ts';
import { EVERY_PAYER_ID, type PayerRule } from '../../schemas/payer-rule.schema.ts';
import type { CodeSets } from '../rules/codesets/types.ts';
import { InMemoryClaimHistory, type ClaimHistory } from '../rules/history.ts';
import type { RuleStore } from '../rules/rule-store.ts';
import { compileRuleSet, holdsClaim, scrub, type CompiledRuleSet } from '../rules/scrub.ts';
import { buildAcknowledgments, type AcknowledgmentOptions } from '../x12/acks.ts';
import type { X12Issue } from '../x12/issues.ts';
import { inRanges, rejectedSetRanges, type FunctionalGroupReport, type InterchangeReport, type TransactionSetReport, type ValidationReport } from '../x12/report.ts';
import { chunksOf } from '../x12/tokenizer.ts';
import { write277CAStream, type ClaimResult } from '../x12/write-277ca.ts';
import {
  claimIdOf,
  fileIdOf,
  workItemIdOf,
  type ChunkedFileRecords,
  type ClaimRepository,
  type ControlNumbers,
  type FileRecord,
  type FileSummary,
  type ObjectLocation,
  type ObjectStore,
  type StoredClaim,
  type TradingPartners,
  type TradingPartnerSettings,
  type WorkItem,
  type WorkItems,
} from './ports.ts';
import { read837, type ClaimRead, type Read837Result } from './read-837.ts';
import { chunkKeys, parseChunkKey, planChunks, readChunkObject, scanForSplit, SourceRemapper, writeChunks, type ChunkRef, type SplitScan } from './split-837.ts';
import { payerRouteOf, writeOutbound837 } from './outbound-837.ts';

/** The object to ingest and where outbound files go. */
export interface IngestClaimsInput {
  /** The inbound object (`{tenant}/837/{name}`), or a chunk of a split file (`{tenant}/837/chunks/…`). */
  source: ObjectLocation;
  outboundBucket: string;
  archiveBucket: string;
}

/** What the use case needs; every port is an interface of `ports.ts` or of the rules. */
export interface IngestClaimsPorts {
  objects: ObjectStore;
  files: ChunkedFileRecords;
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
  /**
   * Files larger than this (bytes) are split into chunks of about this size or less, processed in
   * parallel; undefined: never split (the function sets it from SPLIT_THRESHOLD_BYTES).
   */
  splitThresholdBytes?: number;
}

/** What happened, for the handler's metrics and logs (ids, counts and codes only). */
export type IngestClaimsOutcome =
  | { kind: 'processed'; fileId: string; tenant: string; summary: FileSummary }
  | { kind: 'rejected'; fileId: string; tenant: string; summary: FileSummary }
  /** A large file was cut into `chunks` chunk objects; they complete it. */
  | { kind: 'split'; fileId: string; tenant: string; chunks: number }
  /** One chunk of a split file is stored; another chunk (or the splitter) assembles the file. */
  | { kind: 'chunk-processed'; fileId: string; tenant: string; chunk: number; claims: number }
  | { kind: 'already-complete'; fileId: string; tenant: string }
  | { kind: 'already-rejected'; fileId: string; tenant: string }
  /** The object is gone (archived by an earlier delivery, or deleted): nothing to do. */
  | { kind: 'missing' }
  /** The key is not `{tenant}/837/{name}` (or a chunk of no known file): not ours to ingest. */
  | { kind: 'ignored'; reason: 'key-not-837' | 'chunk-of-unknown-file' };

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
/** Who assembles a split file: the splitter, or the chunk that finished it. */
const SPLITTER = 'split';

/**
 * The tenant and object name of a key the ingest-claims function handles (`{tenant}/837/{name}`), or
 * undefined for any other key. Chunks of split files (`{tenant}/837/chunks/…`) are such keys too, so
 * a notification filter built on this function delivers them to the same handler.
 */
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
  /** A split file's accepted claims go out per chunk: `{fileId}-{nnnnn}.837`. */
  cleanClaims: (tenant: string, payer: string, fileId: string, chunk?: number) =>
    `${tenant}/outbox/${safeKeyPart(payer)}/${fileId}${chunk === undefined ? '' : `-${String(chunk).padStart(5, '0')}`}.837`,
  archive: (tenant: string, fileId: string, name: string) => `${tenant}/837/${fileId}/${name}`,
};

/**
 * Ingest one inbound 837 object, or one chunk of a split file. Throws only on transient failures (a
 * store or object call failing): the caller retries the whole call, which converges.
 *
 * @example
 * const outcome = await ingestClaimsFile({ source: { bucket, key }, outboundBucket, archiveBucket }, ports);
 */
export async function ingestClaimsFile(input: IngestClaimsInput, ports: IngestClaimsPorts): Promise<IngestClaimsOutcome> {
  const chunk = parseChunkKey(input.source.key);
  if (chunk) return ingestChunk(input, chunk, ports);
  const parsedKey = parseInboundClaimsKey(input.source.key);
  if (!parsedKey) return { kind: 'ignored', reason: 'key-not-837' };
  const { tenant } = parsedKey;

  let splitTargetBytes: number | undefined;
  if (ports.splitThresholdBytes !== undefined) {
    const info = await ports.objects.head(input.source);
    if (!info) return { kind: 'missing' };
    if (info.size > ports.splitThresholdBytes) splitTargetBytes = Math.ceil(info.size / Math.ceil(info.size / ports.splitThresholdBytes));
  }

  // Pass 1: the content hash (the file's identity) and the interchange headers, before anything is
  // written; for a file to split, also its validation report and where its chunks start.
  const firstRead = await ports.objects.get(input.source);
  if (!firstRead) return { kind: 'missing' };
  // The validation report comes with it: the claims of transaction sets the 999 rejects are not processed.
  const scan = await scanForSplit(firstRead, splitTargetBytes ?? Number.MAX_SAFE_INTEGER);
  const { sha256 } = scan;
  const interchanges = scan.interchanges.filter((span) => span.control !== '');
  const fileId = fileIdOf(tenant, sha256);

  const record = await ports.files.begin({
    fileId,
    tenant,
    sourceKey: input.source.key,
    receivedAt: (ports.now?.() ?? new Date()).toISOString(),
    status: 'processing',
  });
  if (record.status === 'complete') {
    // A redelivery after completion, or a crash between recording and archiving: finish the archiving.
    await archiveOriginals(ports.objects, input, fileId, [input.source.key]);
    return { kind: 'already-complete', fileId, tenant };
  }
  if (record.status === 'rejected') return { kind: 'already-rejected', fileId, tenant };

  // A different file reusing a sender's ISA13 within the window: its interchange is refused (TA1 025).
  const duplicateInterchanges = new Set<string>();
  for (const header of interchanges) {
    const registration = await ports.files.registerInterchange({
      tenant,
      senderQualifier: header.senderQualifier,
      senderId: header.senderId,
      controlNumber: header.control,
      fileId,
      at: record.receivedAt,
      windowDays: DUPLICATE_INTERCHANGE_WINDOW_DAYS,
    });
    if (registration.kind === 'duplicate') duplicateInterchanges.add(header.control);
  }
  const settings = await ports.tradingPartners.get(tenant);
  const file: FileContext = { fileId, tenant, receivedAt: record.receivedAt, settings, input };

  // A file split before (a retry, a copy) stays split under its recorded plan, whatever the threshold now.
  const splitTarget = record.split?.targetBytes ?? splitTargetBytes;
  if (splitTarget !== undefined) return splitFile(file, record, splitTarget, scan, duplicateInterchanges, ports);

  // Pass 2: read, scrub and store the claims as they complete.
  const secondRead = await ports.objects.get(input.source);
  if (!secondRead) throw new InboundObjectVanishedError(fileId);
  const rejected = rejectedSetRanges(scan.report, duplicateInterchanges);
  const { run, acceptedByPayer, result, duplicateInterchangeClaims, rejectedSetClaims } = await processClaims(read837(secondRead), { file, firstPosition: 1, priors: [], duplicateInterchanges, rejected }, ports);
  markDuplicateInterchanges(result.report, duplicateInterchanges);
  // Our control numbers in a fixed order: acknowledgments, 277CA, then the clean 837s.
  const storesClaims = run.claimResults.length > 0;
  await allocateAcknowledgmentNumbers(file, result.report, duplicateInterchanges, storesClaims, ports);
  await writeCleanClaims(file, acceptedByPayer, undefined, run, ports);
  return assemble(file, { report: result.report, duplicateInterchanges, duplicateInterchangeClaims, rejectedSetClaims, storesClaims, runs: runsInMemory([run]), sourceKeys: [input.source.key] }, ports);
}

/** The inbound object disappeared between the two reads (a concurrent copy archived it): retry. */
export class InboundObjectVanishedError extends Error {
  override readonly name = 'InboundObjectVanishedError';
  constructor(readonly fileId: string) {
    super('The inbound object disappeared while it was being read; a retry will find the file complete');
  }
}

/** What every step of one file needs to know. */
interface FileContext {
  fileId: string;
  tenant: string;
  /** ISO timestamp of the first delivery: every claim's receipt, and the writers' clock. */
  receivedAt: string;
  settings: TradingPartnerSettings | undefined;
  input: IngestClaimsInput;
}

// ── Claims: read, scrub, store ──────────────────────────────────────────────────────────────────────

/** What processing the claims of a file (or of a chunk) leaves for the assembly: compact, no Claim objects. */
interface ClaimsRun {
  /** The 277CA's input, one per stored claim, in position order. */
  claimResults: ClaimResult[];
  /** The report's claim list, in position order. */
  reportClaims: ReportClaim[];
  /** Accepted claims not forwarded (no trading-partner route for their payer). */
  unroutedClaims: number;
  /** Clean 837s written, in payer order. */
  cleanClaimKeys: string[];
}

interface ClaimsRunOptions {
  file: FileContext;
  /** Position in the file of the first claim after the priors. */
  firstPosition: number;
  /** Positions of the claims the source starts with that are history only (a chunk's priors). */
  priors: readonly number[];
  duplicateInterchanges: ReadonlySet<string>;
  /** Byte ranges of the original holding rejected transaction sets ({@link rejectedSetRanges}): their claims are skipped. */
  rejected: readonly (readonly [number, number])[];
  /** A chunk: its number (its clean 837s are its own), how its positions map back, its claim count. */
  chunk?: { number: number; remapper: SourceRemapper; claims: number };
}

/**
 * Read the claims of a source, scrub and store them as they complete (one batch written while the next
 * is read). Returns the accepted claims by payer for {@link writeCleanClaims}: the claims of this source
 * only — a file under the split threshold, or one chunk.
 */
async function processClaims(
  claims: AsyncGenerator<ClaimRead, Read837Result>,
  options: ClaimsRunOptions,
  ports: IngestClaimsPorts,
): Promise<{ run: ClaimsRun; acceptedByPayer: Map<string, Claim[]>; result: Read837Result; duplicateInterchangeClaims: number; rejectedSetClaims: number }> {
  const { file } = options;
  const { fileId, tenant, receivedAt } = file;
  const receivedOn = receivedAt.slice(0, 10);
  const history = ports.history ?? new InMemoryClaimHistory();
  const inFileHistory = history instanceof InMemoryClaimHistory ? history : undefined;
  const ruleSets = new RuleSetCache(ports.rules);
  const run: ClaimsRun = { claimResults: [], reportClaims: [], unroutedClaims: 0, cleanClaimKeys: [] };
  const acceptedByPayer = new Map<string, Claim[]>();
  let priorsRead = 0;
  let position = options.firstPosition - 1;
  let duplicateInterchangeClaims = 0;
  let rejectedSetClaims = 0;
  let pending: StoredClaim[] = [];
  let writing: Promise<void> = Promise.resolve();

  const store = async (batch: readonly StoredClaim[]): Promise<void> => {
    await ports.claims.createMany(batch);
    // Work items after their claims: an item never points at a claim that is not stored.
    const items = batch.filter((stored) => stored.status === 'held').map((stored) => workItemFor(stored));
    if (items.length > 0) await ports.workItems.createMany(items);
  };
  // One batch is written while the next is read and scrubbed; a failure surfaces at the next wait.
  const flush = async (): Promise<void> => {
    await writing;
    const batch = pending;
    pending = [];
    writing = batch.length > 0 ? store(batch) : Promise.resolve();
    writing.catch(() => undefined);
  };

  let next = await claims.next();
  while (!next.done) {
    const { claim, findings: readFindings } = next.value;
    if (priorsRead < options.priors.length) {
      // An earlier claim of the file, read for the history only (it is another chunk's to store).
      inFileHistory?.add(claim, claimIdOf(fileId, options.priors[priorsRead]!));
      priorsRead++;
    } else {
      position++;
      // A chunk's positions back to the original's (its claims are never of a duplicate interchange).
      options.chunk?.remapper.claim(claim, readFindings);
      if (options.duplicateInterchanges.has(claim.envelope.interchangeControl)) {
        duplicateInterchangeClaims++;
      } else if (inRanges(options.rejected, claimOffsetOf(claim))) {
        // Its transaction set is rejected (999 IK5 R, or its group or interchange): the submitter sends it
        // again; nothing of it is stored, acknowledged in the 277CA or forwarded.
        rejectedSetClaims++;
      } else {
        const claimId = claimIdOf(fileId, position);
        const ruleSet = await ruleSets.forPayer(claim.payer.id);
        const ruleFindings = await scrub(claim, ruleSet, ports.codeSets, history, { receivedOn, claimId });
        inFileHistory?.add(claim, claimId);
        const findings = [...readFindings, ...ruleFindings];
        const held = holdsClaim(findings);
        // Stored and forwarded without its field sources (see withoutFieldSources); the findings keep theirs.
        const kept = withoutFieldSources(claim);
        pending.push({ claimId, tenant, fileId, position, receivedAt, status: held ? 'held' : 'accepted', claim: kept, findings });
        run.claimResults.push(claimResultOf(claim, findings, held));
        run.reportClaims.push({ position, claimId, status: held ? 'held' : 'accepted', findings: findings.map(reportFinding) });
        if (!held) {
          const payer = claim.payer.id ?? '';
          const list = acceptedByPayer.get(payer);
          if (list) list.push(kept);
          else acceptedByPayer.set(payer, [kept]);
        }
        if (pending.length >= CLAIM_BATCH) await flush();
      }
    }
    next = await claims.next();
  }
  await flush();
  await writing;
  if (options.chunk && (priorsRead !== options.priors.length || position - options.firstPosition + 1 !== options.chunk.claims)) {
    throw new ChunkContentError(fileId, options.chunk.number);
  }

  return { run, acceptedByPayer, result: next.value, duplicateInterchangeClaims, rejectedSetClaims };
}

/** Where a claim is in the original file: the byte offset of its CLM (else of any of its fields). */
function claimOffsetOf(claim: Claim): number {
  const sources = claim.sources;
  const at = sources.patientControlNumber ?? sources.totalCharge;
  if (at) return at.offset;
  for (const path in sources) return sources[path]!.offset;
  return -1;
}

/**
 * The clean 837 per payer of accepted claims, with the tenant's trading-partner settings and our
 * control numbers (a chunk's under purposes of its own); claims of payers without a route are counted.
 */
async function writeCleanClaims(file: FileContext, acceptedByPayer: ReadonlyMap<string, Claim[]>, chunkNumber: number | undefined, run: ClaimsRun, ports: IngestClaimsPorts): Promise<void> {
  const { fileId, tenant, receivedAt } = file;
  const settings = file.settings;
  for (const [payer, accepted] of [...acceptedByPayer].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const route = payerRouteOf(settings, payer);
    if (!settings || !route) {
      run.unroutedClaims += accepted.length;
      continue;
    }
    const purpose = chunkNumber === undefined ? `837#${payer}` : `837#${payer}#${chunkNumber}`;
    const text = await writeOutbound837(accepted, settings, route, { tenant, fileId, purpose }, ports.controlNumbers, new Date(receivedAt));
    const key = outboundKeys.cleanClaims(tenant, payer, fileId, chunkNumber);
    await ports.objects.put({ bucket: file.input.outboundBucket, key }, text, 'application/edi-x12');
    run.cleanClaimKeys.push(key);
  }
}

/**
 * A claim as it is stored and forwarded: without its field sources. They point into the file the claim
 * was read from, and every finding made while reading and scrubbing it already carries its own pointer
 * (stored with the claim); kept on the claim too, they were about three quarters of its item (≈ 1 KB per
 * service line: an 837I claim of a few hundred lines outgrew DynamoDB's 400 KB item) and of its memory,
 * and the 837 writer never reads them. A claim corrected later is no longer the file's anyway.
 */
function withoutFieldSources(claim: Claim): Claim {
  return { ...claim, sources: {}, lines: claim.lines.map((line) => ({ ...line, sources: {} })) };
}

/** A chunk's X12 did not yield the claims its header announces (a bug, or a hand-edited chunk). */
export class ChunkContentError extends Error {
  override readonly name = 'ChunkContentError';
  constructor(
    readonly fileId: string,
    readonly chunk: number,
  ) {
    super(`Chunk ${chunk} of a split file does not hold the claims its header announces`);
  }
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

// ── Large files: split, chunks, assembly ────────────────────────────────────────────────────────────

/**
 * What the splitter leaves for the assembly: the whole file's validation report (duplicates marked)
 * and the duplicate interchanges. Kept in the inbound bucket (`chunkKeys.splitState`) until assembled.
 */
interface SplitState {
  report: ValidationReport;
  duplicateInterchanges: string[];
  duplicateInterchangeClaims: number;
  /** Claims in rejected transaction sets (the chunks skip them). */
  rejectedSetClaims: number;
  /** Whether any claim is stored (some are outside rejected sets): the file gets a 277CA. */
  storesClaims: boolean;
  chunks: number;
}

/**
 * Cut a large file into chunks (their processing completes it), or assemble it now if it has no claims.
 * The plan is recorded before any chunk is written, and adopted by every later attempt: the chunks of
 * two plans (a threshold changed between a crash and its retry) never mix.
 */
async function splitFile(
  file: FileContext,
  record: FileRecord,
  targetBytes: number,
  firstScan: SplitScan | undefined,
  duplicateInterchanges: ReadonlySet<string>,
  ports: IngestClaimsPorts,
): Promise<IngestClaimsOutcome> {
  const { fileId, tenant, input } = file;
  // Split and written before: only record this delivery (and assemble if every chunk is done).
  if (record.split && record.splitWritten) return afterSplit(file, record.split.chunks, ports);
  const rescan = async (target: number): Promise<SplitScan> => {
    const read = await ports.objects.get(input.source);
    if (!read) throw new InboundObjectVanishedError(fileId);
    return scanForSplit(read, target);
  };
  let scan = firstScan?.targetBytes === targetBytes ? firstScan : await rescan(targetBytes);
  let plans = planChunks(scan, duplicateInterchanges);
  const duplicateInterchangeClaims = scan.interchanges.filter((span) => duplicateInterchanges.has(span.control)).reduce((sum, span) => sum + span.claims, 0);
  const rejected = rejectedSetRanges(scan.report, duplicateInterchanges);
  const rejectedSetClaims = scan.claimOffsets.filter((offset) => inRanges(rejected, offset)).length;
  if (plans.length === 0) {
    // No claim to store: nothing to split, the file is assembled (rejected or acknowledged) here.
    markDuplicateInterchanges(scan.report, duplicateInterchanges);
    return assemble(file, { report: scan.report, duplicateInterchanges, duplicateInterchangeClaims, rejectedSetClaims, storesClaims: false, runs: runsInMemory([]), sourceKeys: [input.source.key] }, ports);
  }
  const recorded = await ports.files.planSplit(fileId, { targetBytes, chunks: plans.length });
  if (recorded.targetBytes !== targetBytes) {
    // Another attempt under another threshold recorded its plan first: follow it.
    scan = await rescan(recorded.targetBytes);
    plans = planChunks(scan, duplicateInterchanges);
  }
  if (plans.length !== recorded.chunks) throw new SplitPlanMismatchError(fileId);
  const report = scan.report;
  markDuplicateInterchanges(report, duplicateInterchanges);
  // Our control numbers in the unsplit order (acknowledgments, 277CA, then clean 837s), so that the
  // acknowledgments are those of an unsplit run; the assembly asks again and gets the same numbers.
  const storesClaims = plans.reduce((sum, plan) => sum + plan.claims, 0) > rejectedSetClaims;
  await allocateAcknowledgmentNumbers(file, report, duplicateInterchanges, storesClaims, ports);
  const state: SplitState = { report, duplicateInterchanges: [...duplicateInterchanges].sort(), duplicateInterchangeClaims, rejectedSetClaims, storesClaims, chunks: plans.length };
  await ports.objects.put({ bucket: input.source.bucket, key: chunkKeys.splitState(tenant, fileId) }, JSON.stringify(state), 'application/json');
  const secondRead = await ports.objects.get(input.source);
  if (!secondRead) throw new InboundObjectVanishedError(fileId);
  await writeChunks(secondRead, fileId, scan, plans, (chunk, bytes) => ports.objects.put({ bucket: input.source.bucket, key: chunkKeys.chunk(tenant, fileId, chunk) }, bytes, 'application/edi-x12'));
  return afterSplit(file, plans.length, ports);
}

/** The recorded plan cannot be reproduced from the file (the duplicate interchanges differ): stop, loudly. */
export class SplitPlanMismatchError extends Error {
  override readonly name = 'SplitPlanMismatchError';
  constructor(readonly fileId: string) {
    super('The file cannot be cut into the chunks its recorded split plan counts');
  }
}

/** Record the split written (and this delivery's key); assemble when every chunk has finished already. */
async function afterSplit(file: FileContext, chunks: number, ports: IngestClaimsPorts): Promise<IngestClaimsOutcome> {
  const { fileId, tenant, input } = file;
  const progress = await ports.files.recordSplit(fileId, input.source.key);
  if (progress.status === 'complete') {
    // Assembled meanwhile, maybe without this copy's key: archive it ourselves.
    await archiveOriginals(ports.objects, input, fileId, [input.source.key]);
    return { kind: 'already-complete', fileId, tenant };
  }
  if (progress.status === 'rejected') return { kind: 'already-rejected', fileId, tenant };
  if (progress.finished >= chunks && (await ports.files.claimAssembly(fileId, SPLITTER))) return assembleSplit(file, chunks, ports);
  return { kind: 'split', fileId, tenant, chunks };
}

/** One chunk of a split file: store its claims, leave its result, and assemble the file if it is the last. */
async function ingestChunk(input: IngestClaimsInput, ref: ChunkRef, ports: IngestClaimsPorts): Promise<IngestClaimsOutcome> {
  const { fileId, tenant, chunk } = ref;
  const record = await ports.files.get(fileId);
  if (!record || record.tenant !== tenant) return { kind: 'ignored', reason: 'chunk-of-unknown-file' };
  if (record.status !== 'processing') {
    // A late or repeated chunk event of an assembled file (the assembler's own retry among them): finish
    // what an interrupted assembly left — the archiving of a complete file, the removal of the chunks.
    if (record.status === 'complete') await archiveOriginals(ports.objects, input, fileId, [record.sourceKey, ...(record.sourceKeys ?? [])]);
    if (record.split) await removeSplitObjects(ports.objects, input.source.bucket, tenant, fileId, record.split.chunks);
    return { kind: record.status === 'complete' ? 'already-complete' : 'already-rejected', fileId, tenant };
  }
  const object = await ports.objects.get(input.source);
  if (!object) return { kind: 'missing' };
  const file: FileContext = { fileId, tenant, receivedAt: record.receivedAt, settings: await ports.tradingPartners.get(tenant), input };
  // The chunk's claims are out of scope once stored: the assembly below does not hold them too.
  const claims = await storeChunk(file, chunk, object, ports);

  const progress = await ports.files.finishChunk(fileId, chunk);
  if (progress.chunks !== undefined && progress.finished >= progress.chunks && (await ports.files.claimAssembly(fileId, `chunk-${chunk}`))) {
    return assembleSplit(file, progress.chunks, ports);
  }
  return { kind: 'chunk-processed', fileId, tenant, chunk, claims };
}

/** Store a chunk's claims, write its clean 837s and its result object; returns its claim count. */
async function storeChunk(file: FileContext, chunk: number, object: AsyncIterable<Uint8Array>, ports: IngestClaimsPorts): Promise<number> {
  const { fileId, tenant, input } = file;
  const { header, body } = await readChunkObject(object, { fileId, chunk });
  const chunkOptions = { number: chunk, remapper: new SourceRemapper(header.pieces), claims: header.claims };
  const { run, acceptedByPayer } = await processClaims(read837(body), { file, firstPosition: header.firstPosition, priors: header.priors, duplicateInterchanges: new Set(), rejected: header.rejected, chunk: chunkOptions }, ports);
  await writeCleanClaims(file, acceptedByPayer, chunk, run, ports);
  const result: ChunkResult = { chunk, ...run };
  await ports.objects.put({ bucket: input.source.bucket, key: chunkKeys.chunkResult(tenant, fileId, chunk) }, JSON.stringify(result), 'application/json');
  return header.claims;
}

/**
 * Assemble a split file from the split state and the chunks' results, which the assembly reads one at a
 * time as it writes (never all of them at once: memory stays flat in the batch).
 */
async function assembleSplit(file: FileContext, chunks: number, ports: IngestClaimsPorts): Promise<IngestClaimsOutcome> {
  const { fileId, tenant, input } = file;
  const bucket = input.source.bucket;
  const state = parseWorkObject(SplitStateSchema, await readText(ports.objects, { bucket, key: chunkKeys.splitState(tenant, fileId) }), fileId);
  if (state.chunks !== chunks) throw new WorkObjectError(fileId);
  const record = await ports.files.get(fileId);
  const sourceKeys = [...new Set([...(record?.sourceKeys ?? []), ...(record ? [record.sourceKey] : [])])];
  const outcome = await assemble(
    file,
    {
      report: state.report,
      duplicateInterchanges: new Set(state.duplicateInterchanges),
      duplicateInterchangeClaims: state.duplicateInterchangeClaims,
      rejectedSetClaims: state.rejectedSetClaims,
      // Every chunk holds at least one claim (a chunk exists for its claims, `ChunkHeaderSchema`), but
      // the claims of rejected sets are skipped: the splitter counted what is left.
      storesClaims: chunks > 0 && state.storesClaims,
      runs: runsOfChunks(ports.objects, bucket, tenant, fileId, chunks),
      sourceKeys,
    },
    ports,
  );
  await removeSplitObjects(ports.objects, bucket, tenant, fileId, chunks);
  return outcome;
}

/** Delete a split file's chunks and work objects (deleting what is gone already is no error). */
async function removeSplitObjects(objects: ObjectStore, bucket: string, tenant: string, fileId: string, chunks: number): Promise<void> {
  for (let chunk = 1; chunk <= chunks; chunk++) {
    await objects.delete({ bucket, key: chunkKeys.chunk(tenant, fileId, chunk) });
    await objects.delete({ bucket, key: chunkKeys.chunkResult(tenant, fileId, chunk) });
  }
  await objects.delete({ bucket, key: chunkKeys.splitState(tenant, fileId) });
}

// ── Assembly: acknowledgments, 277CA, report, completion ────────────────────────────────────────────

interface AssemblyInput {
  /** The whole file's validation report, duplicate interchanges marked. */
  report: ValidationReport;
  duplicateInterchanges: ReadonlySet<string>;
  duplicateInterchangeClaims: number;
  rejectedSetClaims: number;
  /** Whether any claim was stored (the file gets a 277CA only then), known before the runs are read. */
  storesClaims: boolean;
  /** The claims runs in position order: one for a file not split, one per chunk. */
  runs: ClaimsRuns;
  /** Inbound keys of the file's deliveries, archived once it is complete. */
  sourceKeys: readonly string[];
}

/** The 277CA's input and the counts of one claims run: what the first pass over the runs reads. */
type ClaimAckPart = Omit<ClaimsRun, 'reportClaims'>;

/**
 * A file's claims runs in position order, read afresh for each pass of the assembly over them: the
 * 277CA's (which also counts), then the report's. A split file's are read one chunk at a time.
 */
interface ClaimsRuns {
  claimAckParts(): AsyncIterable<ClaimAckPart>;
  reportParts(): AsyncIterable<readonly ReportClaim[]>;
}

/** Runs held in memory: a file not split (bounded by the split threshold), or none. */
function runsInMemory(runs: readonly ClaimsRun[]): ClaimsRuns {
  return {
    async *claimAckParts() {
      yield* runs;
    },
    async *reportParts() {
      for (const run of runs) yield run.reportClaims;
    },
  };
}

/** What the counting pass over the runs gathers: numbers and the clean 837s' keys (a few per chunk). */
interface RunTally {
  claims: number;
  held: number;
  unroutedClaims: number;
  cleanClaimKeys: string[];
}

/** The 277CA input of each run, counting the runs into `tally` as they pass. */
async function* countedClaimResults(parts: AsyncIterable<ClaimAckPart>, tally: RunTally): AsyncGenerator<readonly ClaimResult[]> {
  for await (const part of parts) {
    tally.claims += part.claimResults.length;
    // A claim is held exactly when its 277CA status rejects it (`claimResultOf`).
    tally.held += part.claimResults.filter((claimResult) => claimResult.status.kind === 'rejected').length;
    tally.unroutedClaims += part.unroutedClaims;
    tally.cleanClaimKeys.push(...part.cleanClaimKeys);
    yield part.claimResults;
  }
}

/** The report entries of each run, checked at the end against the first pass's counts (the runs must not change between passes). */
async function* checkedReportClaims(parts: AsyncIterable<readonly ReportClaim[]>, tally: RunTally, fileId: string): AsyncGenerator<readonly ReportClaim[]> {
  let claims = 0;
  let held = 0;
  for await (const part of parts) {
    claims += part.length;
    held += part.filter((claim) => claim.status === 'held').length;
    yield part;
  }
  if (claims !== tally.claims || held !== tally.held) throw new WorkObjectError(fileId);
}

/**
 * Write the acknowledgments, the 277CA and the report; record the file complete (or rejected); archive it.
 * The 277CA and the report are streamed from the runs (two passes), holding one run at a time.
 */
async function assemble(file: FileContext, assembly: AssemblyInput, ports: IngestClaimsPorts): Promise<IngestClaimsOutcome> {
  const { fileId, tenant, input, settings } = file;
  const { report, duplicateInterchanges, runs } = assembly;
  const receivedAt = new Date(file.receivedAt);
  const written: string[] = [];
  const outbound = (key: string): ObjectLocation => ({ bucket: input.outboundBucket, key });

  // TA1/999.
  const numbers = await allocateAcknowledgmentNumbers(file, report, duplicateInterchanges, assembly.storesClaims, ports);
  if (numbers.acks !== undefined) {
    let nextNumber = numbers.acks;
    for (const ack of buildAcknowledgments(report, { nextControlNumber: () => nextNumber++, now: receivedAt, lineBreak: true })) {
      const key = outboundKeys.ack(tenant, fileId, ack.name);
      await ports.objects.put(outbound(key), ack.content, 'application/edi-x12');
      written.push(key);
    }
  }

  // 277CA: one per file, answering the submitter of the first interchange that was not refused; its
  // pass over the runs counts them for the report, whose header comes before its claims.
  const tally: RunTally = { claims: 0, held: 0, unroutedClaims: 0, cleanClaimKeys: [] };
  const claimResults = countedClaimResults(runs.claimAckParts(), tally);
  if (numbers.claimAck !== undefined && numbers.answered) {
    const key = outboundKeys.claimAck(tenant, fileId);
    await ports.objects.putStream(outbound(key), write277CAStream(claimResults, claimAckOptions(numbers.answered, settings, numbers.claimAck, receivedAt)), 'application/edi-x12');
    written.push(key);
  } else {
    for await (const _counted of claimResults) {
      // No 277CA to write: this pass only counts.
    }
  }
  written.push(...tally.cleanClaimKeys);

  const stored = tally.claims;
  const held = tally.held;
  const rejected = stored === 0 && (report.verdict === 'rejected' || report.interchanges.length === 0 || assembly.duplicateInterchangeClaims > 0 || assembly.rejectedSetClaims > 0);
  const summaryWithoutReport = {
    claims: stored,
    accepted: stored - held,
    held,
    duplicateInterchangeClaims: assembly.duplicateInterchangeClaims,
    rejectedSetClaims: assembly.rejectedSetClaims,
    verdict: report.verdict,
  };
  const reportFields = { fileId, tenant, receivedAt: file.receivedAt, status: rejected ? 'rejected' : 'complete', unroutedClaims: tally.unroutedClaims, ...summaryWithoutReport };
  const reportKey = outboundKeys.report(tenant, fileId);
  await ports.objects.putStream(outbound(reportKey), jsonReportText(reportFields, report, duplicateInterchanges, checkedReportClaims(runs.reportParts(), tally, fileId)), 'application/json');
  written.push(reportKey);

  const summary: FileSummary = { ...summaryWithoutReport, outboundKeys: written };
  if (rejected) {
    // Kept in the inbound bucket for inspection; recorded so that a redelivery does not loop.
    await ports.files.finish(fileId, 'rejected', summary);
    return { kind: 'rejected', fileId, tenant, summary };
  }
  await ports.files.finish(fileId, 'complete', summary);
  await archiveOriginals(ports.objects, input, fileId, assembly.sourceKeys);
  return { kind: 'processed', fileId, tenant, summary };
}

/**
 * The first control numbers of the file's acknowledgments (TA1/999) and 277CA, when it gets them.
 * Allocations are per (file, purpose): asking again returns the same numbers.
 */
async function allocateAcknowledgmentNumbers(
  file: FileContext,
  report: ValidationReport,
  duplicateInterchanges: ReadonlySet<string>,
  storesClaims: boolean,
  ports: IngestClaimsPorts,
): Promise<{ acks?: number; claimAck?: number; answered?: InterchangeReport }> {
  const numbers: { acks?: number; claimAck?: number; answered?: InterchangeReport } = {};
  // How many control numbers the builder asks for: a dry run with a counting supplier.
  let ackCount = 0;
  buildAcknowledgments(report, { nextControlNumber: () => ++ackCount, now: new Date(file.receivedAt) });
  if (ackCount > 0) numbers.acks = await ports.controlNumbers.allocate(file.tenant, file.fileId, 'acks', ackCount);
  const answered = report.interchanges.find((interchange) => !duplicateInterchanges.has(interchange.control) && interchange.verdict !== 'rejected');
  if (answered && storesClaims) {
    numbers.answered = answered;
    numbers.claimAck = await ports.controlNumbers.allocate(file.tenant, file.fileId, '277ca', 2);
  }
  return numbers;
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

const ReportFindingSchema = z.object({
  origin: FindingSchema.shape.origin,
  code: z.string(),
  severity: FindingSchema.shape.severity,
  ruleId: z.string().optional(),
  line: z.int().positive().optional(),
  queue: WorkQueueSchema.optional(),
  message: z.string(),
});
type ReportFinding = z.infer<typeof ReportFindingSchema>;

const ReportClaimSchema = z.object({
  position: z.int().positive(),
  claimId: z.string(),
  status: z.enum(['accepted', 'held']),
  findings: z.array(ReportFindingSchema),
});
type ReportClaim = z.infer<typeof ReportClaimSchema>;

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

/**
 * The JSON report as text pieces, byte for byte what `JSON.stringify(report, null, 2)` gives for the
 * whole report, with its claim entries written as their batches (one run each) are read: the report is
 * laid out once with a unique placeholder where the claims array goes, and the array is written there.
 */
async function* jsonReportText(
  file: Record<string, unknown>,
  report: ValidationReport,
  duplicates: ReadonlySet<string>,
  claimBatches: AsyncIterable<readonly ReportClaim[]>,
): AsyncGenerator<string> {
  const placeholder = `claims-${randomUUID()}`;
  const layout = JSON.stringify(jsonReportOf(file, report, duplicates, placeholder), null, 2);
  // Where the placeholder's JSON string stands (a UUID needs no escaping).
  const at = layout.indexOf(`"${placeholder}"`);
  const after = at + placeholder.length + 2;
  yield layout.slice(0, at);
  // The entries of a top-level array, as JSON.stringify indents them: each line four spaces in (no
  // string holds a raw line break: JSON escapes them, so every "\n" is the layout's).
  let entries = 0;
  for await (const batch of claimBatches) {
    if (batch.length === 0) continue;
    let text = '';
    for (const claim of batch) text += `${entries++ === 0 ? '[' : ','}\n    ${JSON.stringify(claim, null, 2).replaceAll('\n', '\n    ')}`;
    yield text;
  }
  yield entries === 0 ? '[]' : '\n  ]';
  yield layout.slice(after);
}

/**
 * The report's content around its claims. `file` carries the summary, whose `claims` count the claims
 * array replaces in place: the array stands where the count was (the report's layout since its start).
 */
function jsonReportOf(file: Record<string, unknown>, report: ValidationReport, duplicates: ReadonlySet<string>, claims: unknown): Record<string, unknown> {
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

// ── Work objects of a split file (our own JSON in the inbound bucket, read back through schemas) ────

const X12IssueSchema: z.ZodType<X12Issue> = z.object({
  level: z.enum(['file', 'interchange', 'group', 'set', 'segment', 'element']),
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  offset: z.number().optional(),
  segmentId: z.string().optional(),
  ordinal: z.number().optional(),
  loopId: z.string().optional(),
  element: z.number().optional(),
  component: z.number().optional(),
  repetition: z.number().optional(),
  elementRef: z.string().optional(),
  badValue: z.string().optional(),
  context: z.object({ name: z.string(), reference: z.string() }).optional(),
});
const VerdictSchema = z.enum(['accepted', 'accepted with errors', 'partially accepted', 'rejected']);
const TransactionSetReportSchema: z.ZodType<TransactionSetReport> = z.object({
  transactionSet: z.string(),
  control: z.string(),
  version: z.string(),
  guide: z.string().optional(),
  verdict: z.enum(['accepted', 'accepted with errors', 'rejected']),
  offset: z.number(),
  counts: z.object({ segments: z.number(), claims: z.number(), serviceLines: z.number(), claimPayments: z.number() }),
  issues: z.array(X12IssueSchema),
});
const FunctionalGroupReportSchema: z.ZodType<FunctionalGroupReport> = z.object({
  functionalId: z.string(),
  control: z.string(),
  version: z.string(),
  sender: z.string(),
  receiver: z.string(),
  verdict: VerdictSchema,
  offset: z.number(),
  declaredSets: z.number().optional(),
  issues: z.array(X12IssueSchema),
  sets: z.array(TransactionSetReportSchema),
});
const ValidationReportSchema: z.ZodType<ValidationReport> = z.object({
  verdict: VerdictSchema,
  bytes: z.number(),
  fileIssues: z.array(X12IssueSchema),
  interchanges: z.array(
    z.object({
      control: z.string(),
      senderQualifier: z.string(),
      sender: z.string(),
      receiverQualifier: z.string(),
      receiver: z.string(),
      version: z.string(),
      usage: z.string(),
      ta1Requested: z.boolean(),
      verdict: z.enum(['accepted', 'accepted with errors', 'rejected']),
      offset: z.number(),
      date: z.string(),
      time: z.string(),
      issues: z.array(X12IssueSchema),
      groups: z.array(FunctionalGroupReportSchema),
    }),
  ),
});
const SplitStateSchema: z.ZodType<SplitState> = z.object({
  report: ValidationReportSchema,
  duplicateInterchanges: z.array(z.string()),
  duplicateInterchangeClaims: z.int().nonnegative(),
  rejectedSetClaims: z.int().nonnegative().default(0),
  storesClaims: z.boolean().default(true),
  chunks: z.int().positive(),
});

const PersonNameShape = { lastName: z.string(), firstName: z.string().optional(), middleName: z.string().optional(), suffix: z.string().optional() };
const DateRangeSchema = z.object({ from: z.string(), to: z.string() });
const ClaimResultSchema: z.ZodType<ClaimResult> = z.object({
  patientControlNumber: z.string(),
  billingProvider: z.object({ name: z.string(), firstName: z.string().optional(), middleName: z.string().optional(), suffix: z.string().optional(), npi: z.string().optional(), taxId: z.string().optional() }),
  subscriber: z.object({ ...PersonNameShape, memberId: z.string() }),
  patient: z.object(PersonNameShape).optional(),
  payer: z.object({ entity: z.enum(['PR', 'AY']).optional(), name: z.string(), idQualifier: z.enum(['PI', 'XV', 'FI', '46']).optional(), id: z.string() }).optional(),
  totalCharge: z.int(),
  serviceDates: DateRangeSchema,
  billType: z.string().optional(),
  clearinghouseTraceNumber: z.string().optional(),
  payerClaimControlNumber: z.string().optional(),
  status: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('accepted'), category: z.enum(['A1', 'A2']).optional() }),
    z.object({
      kind: z.literal('rejected'),
      category: z.enum(['A3', 'A6', 'A7', 'A8']),
      statusCode: z.string(),
      entity: z.string().optional(),
      message: z.string().optional(),
      lines: z
        .array(
          z.object({
            procedure: z.object({ qualifier: z.string(), code: z.string(), modifiers: z.array(z.string()).optional() }),
            charge: z.int(),
            revenueCode: z.string().optional(),
            units: z.number().optional(),
            lineControlNumber: z.string().optional(),
            serviceDates: DateRangeSchema.optional(),
            category: z.enum(['A3', 'A6', 'A7', 'A8']),
            statusCode: z.string(),
            entity: z.string().optional(),
            message: z.string().optional(),
          }),
        )
        .optional(),
    }),
  ]),
});

/** What one chunk leaves for the assembly (`chunkKeys.chunkResult`): a {@link ClaimsRun} and its number. */
const ChunkResultSchema = z.object({
  chunk: z.int().positive(),
  claimResults: z.array(ClaimResultSchema),
  reportClaims: z.array(ReportClaimSchema),
  unroutedClaims: z.int().nonnegative(),
  cleanClaimKeys: z.array(z.string()),
});
type ChunkResult = z.infer<typeof ChunkResultSchema>;
/** A chunk result as the assembly's first pass reads it (the 277CA's input and the counts). */
const ChunkClaimAckPartSchema = ChunkResultSchema.omit({ reportClaims: true });
/** A chunk result as the assembly's second pass reads it (the report's entries). */
const ChunkReportPartSchema = ChunkResultSchema.pick({ chunk: true, reportClaims: true });

/**
 * A split file's runs: each chunk's result read from its work object when its turn comes, and dropped
 * once the writer has taken it — never two chunks' results at once, whatever the batch's size.
 */
function runsOfChunks(objects: ObjectStore, bucket: string, tenant: string, fileId: string, chunks: number): ClaimsRuns {
  async function* read<T extends { chunk: number }>(schema: z.ZodType<T>): AsyncGenerator<T> {
    for (let chunk = 1; chunk <= chunks; chunk++) {
      const result = parseWorkObject(schema, await readText(objects, { bucket, key: chunkKeys.chunkResult(tenant, fileId, chunk) }), fileId);
      if (result.chunk !== chunk) throw new WorkObjectError(fileId);
      yield result;
    }
  }
  return {
    claimAckParts: () => read(ChunkClaimAckPartSchema),
    async *reportParts() {
      for await (const part of read(ChunkReportPartSchema)) yield part.reportClaims;
    },
  };
}

/** A split file's work object is missing or not what this code writes: the assembly cannot go on. */
export class WorkObjectError extends Error {
  override readonly name = 'WorkObjectError';
  constructor(readonly fileId: string) {
    super('A work object of a split file is missing or malformed');
  }
}

async function readText(objects: ObjectStore, location: ObjectLocation): Promise<string> {
  const body = await objects.get(location);
  if (!body) throw new WorkObjectError(location.key.split('/')[2] ?? '');
  const parts: Buffer[] = [];
  for await (const chunk of chunksOf(body)) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString('utf8');
}

function parseWorkObject<T>(schema: z.ZodType<T>, text: string, fileId: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WorkObjectError(fileId);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new WorkObjectError(fileId);
  return parsed.data;
}

// ── Archive ─────────────────────────────────────────────────────────────────────────────────────────

/** Copy each original to the archive (unless it is gone, i.e. done before) and remove it from inbound. */
async function archiveOriginals(objects: ObjectStore, input: IngestClaimsInput, fileId: string, sourceKeys: readonly string[]): Promise<void> {
  for (const key of sourceKeys) {
    const parsed = parseInboundClaimsKey(key);
    if (!parsed || parseChunkKey(key)) continue;
    const source: ObjectLocation = { bucket: input.source.bucket, key };
    if (await objects.head(source)) {
      await objects.copy(source, { bucket: input.archiveBucket, key: outboundKeys.archive(parsed.tenant, fileId, parsed.name) });
      await objects.delete(source);
    }
  }
}

/** A payer id as one key segment: characters S3 and people handle without escaping. */
function safeKeyPart(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, '_') || '_';
}
