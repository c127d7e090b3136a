/**
 * The ports the claims use cases need from the outside world (object storage, the data table), declared
 * here in the domain so that `src/claims` never imports the AWS SDK. Adapters live in `src/store`
 * (DynamoDB, S3); tests may wrap them (e.g. to inject a failure at the N-th write).
 *
 * Every write a port offers is safe to repeat: the use case re-runs whole on a retry, and two copies
 * of one event may run at the same time.
 */
import { z } from 'zod';
import type { Claim } from '../../schemas/claim.schema.ts';
import type { Finding } from '../../schemas/finding.schema.ts';
import type { WorkItem } from '../../schemas/work-item.schema.ts';

// ── Ids ─────────────────────────────────────────────────────────────────────────────────────────────

/** Digits of a claim's position in its file: ten million claims per file, in string order. */
const CLAIM_POSITION_DIGITS = 7;

/**
 * A file's id: its tenant and the SHA-256 of its content (64 lower-case hex digits). The same bytes
 * under the same tenant are the same file, whatever the object's name or how often it is delivered.
 */
export function fileIdOf(tenant: string, contentSha256Hex: string): string {
  if (!/^[0-9a-f]{64}$/.test(contentSha256Hex)) throw new RangeError('a file id needs a SHA-256 in 64 lower-case hex digits');
  return `${tenant}-${contentSha256Hex}`;
}

/** A claim's id: its file and its position in the file (1-based, in reading order). */
export function claimIdOf(fileId: string, position: number): string {
  return `${fileId}-${String(position).padStart(CLAIM_POSITION_DIGITS, '0')}`;
}

/** A held claim's work item id: one per claim, so re-runs converge on the same item. */
export function workItemIdOf(claimId: string): string {
  return `${claimId}-hold`;
}

// ── Objects ─────────────────────────────────────────────────────────────────────────────────────────

/** Where an object is. */
export interface ObjectLocation {
  bucket: string;
  key: string;
}

/** What a HEAD tells about an object. */
export interface ObjectInfo {
  size: number;
  etag?: string;
}

/** Object storage (S3). Bodies are streamed: a batch is never held whole in memory. */
export interface ObjectStore {
  /** The object's bytes as a stream, or undefined when it does not exist. */
  get(location: ObjectLocation): Promise<AsyncIterable<Uint8Array> | undefined>;
  /** Size and ETag, or undefined when the object does not exist. */
  head(location: ObjectLocation): Promise<ObjectInfo | undefined>;
  /** Write (or overwrite with) `body`. */
  put(location: ObjectLocation, body: string | Uint8Array, contentType: string): Promise<void>;
  /**
   * Write (or overwrite with) a body produced piece by piece (strings are written as UTF-8), holding only
   * a bounded part of it: for outbound files that grow with the batch (a split file's 277CA and report).
   * The object appears whole once the body has ended, or not at all when the body or a write fails —
   * nothing is ever written half (a failed attempt leaves what was there before).
   */
  putStream(location: ObjectLocation, body: AsyncIterable<string | Uint8Array>, contentType: string): Promise<void>;
  copy(from: ObjectLocation, to: ObjectLocation): Promise<void>;
  /** Delete; deleting a missing object is not an error. */
  delete(location: ObjectLocation): Promise<void>;
}

// ── Files ───────────────────────────────────────────────────────────────────────────────────────────

/** Where a file is in its processing. `complete` and `rejected` are final. */
export type FileStatus = 'processing' | 'complete' | 'rejected';

/** Counts of a processed file (no PHI: numbers and codes only). */
export interface FileSummary {
  claims: number;
  accepted: number;
  held: number;
  /** Claims skipped because their interchange reused a sender's control number (TA1 025). */
  duplicateInterchangeClaims: number;
  /** Claims skipped because their transaction set was rejected (999 IK5 R, or its group or interchange). */
  rejectedSetClaims: number;
  /** The X12 verdict of the file (`accepted`, `accepted with errors`, `partially accepted`, `rejected`). */
  verdict: string;
  /** Outbound object keys written for the file (acks, 277CA, report, clean 837s). */
  outboundKeys: string[];
}

/** The record of one file: deterministic id (tenant + content hash), status, and what came of it. */
export interface FileRecord {
  fileId: string;
  tenant: string;
  /** Inbound object key of the first delivery (later copies under other names are the same file). */
  sourceKey: string;
  /** ISO timestamp of the first delivery: the receipt date of every claim of the file. */
  receivedAt: string;
  status: FileStatus;
  summary?: FileSummary;
  /** A split file: its plan, recorded before any chunk is written (retries adopt it). */
  split?: SplitPlanRecord;
  /** A split file: every chunk object has been written. */
  splitWritten?: boolean;
  /** A split file: the inbound keys it was delivered under, archived together once it is assembled. */
  sourceKeys?: string[];
}

/** How a file is split: the chunk size aimed at (the plan is a function of the file and of it) and the chunk count. */
export interface SplitPlanRecord {
  targetBytes: number;
  chunks: number;
}

/** What became of an interchange control number when it was registered. */
export type InterchangeRegistration = { kind: 'registered' } | { kind: 'duplicate'; usedByFileId: string };

/** The file records and the registry of senders' interchange control numbers. */
export interface FileRecords {
  /**
   * Create the record with status `processing` unless one exists; return the stored record (the new
   * one, or the one that was there — which a concurrent copy may have just created).
   */
  begin(record: FileRecord): Promise<FileRecord>;
  /** Record the final status and summary. Repeating it with the same values is harmless. */
  finish(fileId: string, status: Exclude<FileStatus, 'processing'>, summary: FileSummary): Promise<void>;
  /**
   * Claim a sender's ISA13 for `fileId`. The same file registering again is `registered`; another
   * file that used it less than `windowDays` before `at` makes it a `duplicate`.
   */
  registerInterchange(input: { tenant: string; senderQualifier: string; senderId: string; controlNumber: string; fileId: string; at: string; windowDays: number }): Promise<InterchangeRegistration>;
}

/** Where a split file stands: its chunk count (once planned) and how many distinct chunks finished. */
export interface ChunkProgress {
  status: FileStatus;
  chunks?: number;
  /** Distinct chunks finished (a chunk finishing twice counts once). */
  finished: number;
}

/**
 * The file records of a claims file that may be split into chunks (large batches): the splitter records
 * its plan before writing any chunk (a retry, even under another threshold, adopts it: chunks of two
 * plans never mix), each chunk records itself finished, and exactly one party — the last chunk to
 * finish, or the splitter when the chunks were quicker — takes the assembly of the file's
 * acknowledgments. Single-item conditional updates only; each call is safe to repeat.
 */
export interface ChunkedFileRecords extends FileRecords {
  /** The record, read consistently; undefined when there is none. */
  get(fileId: string): Promise<FileRecord | undefined>;
  /** Record `plan` unless a plan is recorded already; returns the recorded plan (ours or the earlier one). */
  planSplit(fileId: string, plan: SplitPlanRecord): Promise<SplitPlanRecord>;
  /**
   * Record that every chunk object is written, and that the file was delivered under `sourceKey`.
   * Repeating it (a retry, a copy of the file under another name) adds the key.
   */
  recordSplit(fileId: string, sourceKey: string): Promise<ChunkProgress>;
  /** Add `chunk` to the set of finished chunks (a set, not a counter: a retried chunk counts once). */
  finishChunk(fileId: string, chunk: number): Promise<ChunkProgress>;
  /**
   * Take the assembly of a split file for `assembler` (`split`, `chunk-<n>`): true when it is ours —
   * nobody had it, or we had it already (our own retry). False once another party has it or the file is
   * no longer `processing`.
   */
  claimAssembly(fileId: string, assembler: string): Promise<boolean>;
}

// ── Claims and work items ───────────────────────────────────────────────────────────────────────────

/** Where a stored claim is in its life; ingest writes `accepted` or `held`, later steps move it on. */
export type StoredClaimStatus = 'accepted' | 'held';

/** A claim as ingest stores it. */
export interface StoredClaim {
  claimId: string;
  tenant: string;
  fileId: string;
  /** 1-based position of the claim in its file. */
  position: number;
  receivedAt: string;
  status: StoredClaimStatus;
  claim: Claim;
  findings: Finding[];
}

/** Claims storage. */
export interface ClaimRepository {
  /**
   * Store claims that are not stored yet. A claim already stored is left exactly as it is (it may
   * have been worked since): returns how many were newly written.
   */
  createMany(claims: readonly StoredClaim[]): Promise<number>;
}

/** A claim waiting for a person: the canonical shape is `schemas/work-item.schema.ts`. */
export type { WorkItem } from '../../schemas/work-item.schema.ts';

/** Work items storage. */
export interface WorkItems {
  /** Create items that do not exist yet (an existing item may be taken or resolved: it is left alone). */
  createMany(items: readonly WorkItem[]): Promise<number>;
}

// ── Trading partners and control numbers ────────────────────────────────────────────────────────────

const IsaPartySchema = z.object({
  /** ISA05/ISA07 qualifier (ZZ mutually defined, 30 tax id, 01 DUNS …). */
  qualifier: z.string().min(2).max(2),
  /** ISA06/ISA08, up to 15 characters. */
  id: z.string().min(1).max(15),
});

/** Where the clean 837 of one payer goes and how it is addressed. */
export const PayerRouteSchema = z.object({
  /** ISA07/ISA08 of the payer (or its clearinghouse). */
  receiver: IsaPartySchema,
  /** GS03 (default: the ISA08 id). */
  applicationReceiver: z.string().min(2).max(15).optional(),
  /** 1000B NM1*40: the receiver's name and ETIN. */
  receiverName: z.object({ name: z.string().min(1), id: z.string().min(2).max(80) }),
});
export type PayerRoute = z.infer<typeof PayerRouteSchema>;

/**
 * A tenant's trading-partner settings (an item of the data table; samples in `events/tenants/`): our
 * ISA/GS ids towards payers, test or production, the 1000A submitter, and a route per payer id.
 */
export const TradingPartnerSettingsSchema = z.object({
  tenant: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  /** ISA05/ISA06 of our outbound 837s. */
  sender: IsaPartySchema,
  /** GS02 (default: the ISA06 id). */
  applicationSender: z.string().min(2).max(15).optional(),
  /** ISA15 of our outbound files. */
  usage: z.enum(['T', 'P']),
  /** 1000A submitter of the clean 837. */
  submitter: z.object({
    name: z.string().min(1),
    id: z.string().min(2).max(80),
    contact: z.object({ name: z.string().optional(), numbers: z.array(z.object({ qualifier: z.string(), number: z.string() })).min(1) }),
  }),
  /** Routes by payer id (2010BB NM109). */
  payers: z.record(z.string(), PayerRouteSchema),
  /** The route for payers not listed; without one, their accepted claims are not forwarded (reported). */
  defaultPayer: PayerRouteSchema.optional(),
});
export type TradingPartnerSettings = z.infer<typeof TradingPartnerSettingsSchema>;

/** Trading-partner settings by tenant. */
export interface TradingPartners {
  get(tenant: string): Promise<TradingPartnerSettings | undefined>;
  put(settings: TradingPartnerSettings): Promise<void>;
}

/** Our outbound control numbers (ISA13/GS06/ST02), one sequence per tenant. */
export interface ControlNumbers {
  /**
   * `count` consecutive numbers for one outbound file of `fileId` (`purpose` names it: `acks`,
   * `277ca`, `837#<payer>`); returns the first. Asking again for the same file and purpose returns
   * the same numbers: a retry never advances the sequence twice.
   */
  allocate(tenant: string, fileId: string, purpose: string, count: number): Promise<number>;
}
