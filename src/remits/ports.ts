/**
 * The ports the remittance use case (ingest-remittance) needs beyond those of the claims use cases,
 * declared here in the domain so that `src/remits` never imports the AWS SDK. The object store, the
 * file records, the work items and the control numbers are the claims' ports (`src/claims/ports.ts`),
 * re-exported here for one import. Adapters live in `src/store/dynamo-remittances.ts`.
 *
 * Every write a port offers is safe to repeat: the use case re-runs whole on a retry, and two copies
 * of one event may run at the same time.
 */
import { z } from 'zod';
import { ClaimAdjudicationSchema, PostedLineSchema, type ClaimAdjudication, type Posting } from '../../schemas/posting.schema.ts';
import { IsoDateSchema } from '../../schemas/common.schema.ts';
import { ClaimPaymentSchema, RemittanceSummarySchema } from '../../schemas/remittance.schema.ts';
import type { StoredClaim } from '../claims/ports.ts';

export type { ControlNumbers, FileRecords, ObjectLocation, ObjectStore, WorkItems } from '../claims/ports.ts';

// ── Ids ─────────────────────────────────────────────────────────────────────────────────────────────

/** Digits of a claim payment's position in its remittance (as in the data table's keys). */
const POSITION_DIGITS = 7;

function paddedPosition(position: number): string {
  return String(position).padStart(POSITION_DIGITS, '0');
}

/**
 * A posting's id: the remittance (the 835 file's id) and the claim payment's 1-based position in the
 * file. A redelivered or retried file posts under the same ids, so nothing is posted twice.
 */
export function postingIdOf(remittanceId: string, position: number): string {
  return `${remittanceId}-P${paddedPosition(position)}`;
}

/** The work item of a denial: one per claim payment and queue. */
export function denialWorkItemIdOf(claimId: string, remittanceId: string, position: number, queue: string): string {
  return `${claimId}-denial-${remittanceId}-${paddedPosition(position)}-${queue}`;
}

/** The work item of an underpayment: one per claim payment. */
export function underpaymentWorkItemIdOf(claimId: string, remittanceId: string, position: number): string {
  return `${claimId}-underpayment-${remittanceId}-${paddedPosition(position)}`;
}

/** The work item of a claim payment that matched no claim. */
export function unmatchedPaymentWorkItemIdOf(remittanceId: string, position: number): string {
  return `${remittanceId}-${paddedPosition(position)}-unmatched`;
}

// ── Claims ──────────────────────────────────────────────────────────────────────────────────────────

/** A stored claim as matching reads it: what ingest stored, and its adjudication so far. */
export interface ClaimOnFile extends StoredClaim {
  adjudication?: ClaimAdjudication;
}

/** Reading claims for matching. */
export interface ClaimLookup {
  /**
   * Every claim of `tenant` whose CLM01 begins with the first 20 characters of `patientControlNumber`
   * (case ignored), oldest first. The caller confirms each on the full value, the patient, the dates
   * and the charges: the store only narrows the search.
   */
  candidates(tenant: string, patientControlNumber: string): Promise<ClaimOnFile[]>;
  /** The claims with these ids (those that exist), in any order. */
  get(claimIds: readonly string[]): Promise<ClaimOnFile[]>;
}

// ── Postings ────────────────────────────────────────────────────────────────────────────────────────

/** Postings on claims, and the claims' adjudications summed from them. */
export interface Postings {
  /** Store postings that are not stored yet (an existing one is left as it is); returns how many were new. */
  createMany(postings: readonly Posting[]): Promise<number>;
  /** Every posting on a claim (read consistently), in remittance order. */
  listForClaim(claimId: string): Promise<Posting[]>;
  /**
   * Write the claim's adjudication, summed from `adjudication.postingIds.length` postings, unless the
   * claim already carries one summed from more (a concurrent file saw more postings: its sum wins).
   * Returns false when not written (that case, or no such claim).
   */
  writeAdjudication(claimId: string, adjudication: ClaimAdjudication): Promise<boolean>;
}

// ── Remittances ─────────────────────────────────────────────────────────────────────────────────────

/** A payer's check/EFT trace number (TRN02) and the file that carries it. */
export interface TraceRegistrationInput {
  tenant: string;
  /** The rules' payer id the 835 resolved to. */
  payer: string;
  traceNumber: string;
  fileId: string;
  /** ISO timestamp of the file's first delivery. */
  at: string;
}

/** What became of a trace number when it was registered. */
export type TraceRegistration = { kind: 'registered' } | { kind: 'duplicate'; usedByFileId: string };

/** How a claim payment was matched; `unmatched` names why (a code, for the exceptions queue). */
export const UnmatchedReasonSchema = z.enum([
  /** No claim of the tenant has this patient control number (or its 20-character prefix). */
  'no-claim',
  /** Claims have the number, but none agrees on the charges, the dates or the patient. */
  'not-confirmed',
  /** A reversal (CLP02 = 22) without a payer claim control number (CLP07) to find what it reverses. */
  'reversal-without-control-number',
  /** A reversal whose payer claim control number matches no posting still standing. */
  'reversal-without-posting',
]);
export type UnmatchedReason = z.infer<typeof UnmatchedReasonSchema>;

/** How each service payment (SVC) of a claim payment was matched to a line of the claim. */
export const ServiceLineMatchSchema = z.object({
  /** The claim's line (1-based position); absent when unmatched. */
  line: z.int().positive().optional(),
  matchedBy: PostedLineSchema.shape.matchedBy,
});
export type ServiceLineMatch = z.infer<typeof ServiceLineMatchSchema>;

/** The decision about one claim payment. */
export const ClaimPaymentMatchSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('matched'),
    claimId: z.string().min(1),
    matchedBy: z.enum(['patient-control-number', 'patient-control-number-prefix']),
    /** One entry per service payment, in the claim payment's order. */
    lines: z.array(ServiceLineMatchSchema),
    /** A reversal: the posting it takes back. */
    reversesPostingId: z.string().optional(),
  }),
  z.object({
    kind: z.literal('unmatched'),
    reason: UnmatchedReasonSchema,
    /** Claims that carried the patient control number (none confirmed). */
    candidates: z.int().nonnegative(),
  }),
]);
export type ClaimPaymentMatch = z.infer<typeof ClaimPaymentMatchSchema>;

/**
 * One claim payment of a remittance as stored (`REMIT#<remittanceId>` / `CP#<position>`): the CLP loop,
 * the context it was paid in, and the matching decision. The record is written once (create-if-absent)
 * before anything is posted from it; a retry or a concurrent copy of the file reuses the stored record,
 * so every run posts the same decision.
 */
export const ClaimPaymentRecordSchema = z.object({
  remittanceId: z.string().min(1),
  tenant: z.string().min(1),
  /** 1-based position in the file (across its transaction sets). */
  position: z.int().positive(),
  /** ST02 of the 835 transaction set it belongs to. */
  setControl: z.string(),
  /** The rules' payer id the set resolved to. */
  payer: z.string().min(1),
  /** TRN02 of the set. */
  traceNumber: z.string().optional(),
  /** BPR16 (else DTM*405, else the receipt date): appeal windows count from it. */
  paymentDate: IsoDateSchema,
  claimPayment: ClaimPaymentSchema,
  match: ClaimPaymentMatchSchema,
});
export type ClaimPaymentRecord = z.infer<typeof ClaimPaymentRecordSchema>;

/** One 835 transaction set of a remittance, as stored on its summary. */
export const RemittanceSetRecordSchema = z.object({
  /** Everything but the claim payments (stored apart): payment, trace, payer, payee, PLB adjustments. */
  summary: RemittanceSummarySchema,
  payer: z.object({ payerId: z.string(), matchedBy: z.string() }),
  /** Claim payments of the set. */
  claimPayments: z.int().nonnegative(),
});
export type RemittanceSetRecord = z.infer<typeof RemittanceSetRecordSchema>;

/** Counts of a posted remittance (numbers only). */
export const RemittanceCountsSchema = z.object({
  claimPayments: z.int().nonnegative(),
  /** Claim payments posted to a claim (reversals included). */
  posted: z.int().nonnegative(),
  reversals: z.int().nonnegative(),
  unmatched: z.int().nonnegative(),
  denialItems: z.int().nonnegative(),
  underpaymentItems: z.int().nonnegative(),
  /** Service payments that matched no line of their claim. */
  unmatchedLines: z.int().nonnegative(),
});
export type RemittanceCounts = z.infer<typeof RemittanceCountsSchema>;

/**
 * The summary of a remittance (`REMIT#<remittanceId>` / `REMIT`): one per 835 file, holding each
 * transaction set's header and provider-level (PLB) adjustments, and the counts of what was posted.
 */
export const RemittanceRecordSchema = z.object({
  remittanceId: z.string().min(1),
  tenant: z.string().min(1),
  fileId: z.string().min(1),
  receivedAt: z.iso.datetime(),
  sets: z.array(RemittanceSetRecordSchema),
  counts: RemittanceCountsSchema,
});
export type RemittanceRecord = z.infer<typeof RemittanceRecordSchema>;

/** Remittances: their summaries, their claim payments and the payers' trace numbers. */
export interface Remittances {
  /**
   * Claim a payer's trace number for `fileId`. The same file registering again is `registered`; a trace
   * another file holds is a `duplicate` (unless that file released it: it was rejected).
   */
  registerTrace(input: TraceRegistrationInput): Promise<TraceRegistration>;
  /** Give back a trace number this file registered (the file is rejected and posts nothing). */
  releaseTrace(input: TraceRegistrationInput): Promise<void>;
  /** The stored records of these positions of a remittance (those that exist). */
  claimPaymentsOf(remittanceId: string, positions: readonly number[]): Promise<ClaimPaymentRecord[]>;
  /**
   * Store each record unless one is stored at its position; returns, for each input in order, the
   * record stored (the input, or the one a concurrent copy stored first).
   */
  recordClaimPayments(records: readonly ClaimPaymentRecord[]): Promise<ClaimPaymentRecord[]>;
  /** Write (or rewrite: it is a function of the file) the remittance's summary. */
  putSummary(record: RemittanceRecord): Promise<void>;
}
