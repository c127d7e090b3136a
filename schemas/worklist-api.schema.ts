/**
 * The worklist API's contract: the requests (query strings, path ids and bodies) and the responses of
 * `functions/worklist-api`, and the correction draft a coder keeps on a work item. The OpenAPI document
 * (`GET /openapi.json`, src/worklist/openapi.ts) is generated from these schemas, so the contract and
 * the validation cannot drift apart.
 *
 * Identity never appears here: the tenant, the user and the roles come from the caller's verified
 * token only (`sub`, `custom:tenant`, `cognito:groups`).
 */
import { z } from 'zod';
import { ClaimSchema } from './claim.schema.ts';
import { IsoDateSchema } from './common.schema.ts';
import { FindingSchema, WorkQueueSchema } from './finding.schema.ts';
import { ClaimAdjudicationSchema, PostingSchema } from './posting.schema.ts';
import { WorkItemHistoryEntrySchema, WorkItemSchema, WorkItemStatusSchema } from './work-item.schema.ts';

// ── Identity ────────────────────────────────────────────────────────────────────────────────────────

/**
 * The roles the worklist knows (token `cognito:groups`): coder (coding and clinical queues), biller
 * (billing and exceptions queues), supervisor (every queue, reassignment), admin (rules, code sets and
 * users: no worklist access, see src/worklist/roles.ts). Other groups are ignored.
 */
export const RoleSchema = z.enum(['coder', 'biller', 'supervisor', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

/** A user id as tokens carry it (`sub`: a UUID on Cognito, any plain id locally). */
export const UserIdSchema = z.string().regex(/^[A-Za-z0-9._@+:-]{1,128}$/, 'a user id: letters, digits and . _ @ + : - (1–128)');

/** A work item id as the store makes them (ids derived from files and claims). */
export const WorkItemIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,300}$/, 'a work item id');

// ── Lists ───────────────────────────────────────────────────────────────────────────────────────────

const DAYS = z.coerce.number().int().min(0).max(36_500);

/**
 * `GET /work-items` query. Without `queue`: every queue the caller's roles allow, merged in work order.
 * Without `status`: the active statuses (open, in-progress, waiting-on-provider). `assignee=me` is the
 * caller. Ages are whole days since the item was created.
 */
export const WorkItemListQuerySchema = z
  .strictObject({
    queue: WorkQueueSchema.optional(),
    status: WorkItemStatusSchema.optional(),
    /** Payer id (2010BB NM109). */
    payer: z.string().regex(/^[A-Za-z0-9._-]{1,80}$/, 'a payer id').optional(),
    /** A reason code (`CO-50`, `npi-check-digit`). */
    reason: z.string().regex(/^[A-Za-z0-9._:-]{1,80}$/, 'a reason code').optional(),
    assignee: UserIdSchema.optional(),
    minAgeDays: DAYS.optional(),
    maxAgeDays: DAYS.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    /** Opaque: the `nextCursor` of the previous page of the same list. */
    cursor: z.string().regex(/^[A-Za-z0-9_-]{1,4000}$/, 'a cursor returned by this list').optional(),
  })
  .refine((query) => query.minAgeDays === undefined || query.maxAgeDays === undefined || query.minAgeDays <= query.maxAgeDays, {
    path: ['maxAgeDays'],
    message: 'maxAgeDays must be at least minAgeDays',
  });
export type WorkItemListQuery = z.infer<typeof WorkItemListQuerySchema>;

/** A work item in a list: everything but its history (and the tenant, which is the caller's). */
export const WorkItemSummarySchema = WorkItemSchema.omit({ history: true, tenant: true }).extend({
  /** The earlier of the appeal and timely-filing deadlines. */
  nearestDeadline: IsoDateSchema.optional(),
  /** Whole days since the item was created. */
  ageDays: z.int().nonnegative(),
});
export type WorkItemSummary = z.infer<typeof WorkItemSummarySchema>;

export const WorkItemListResponseSchema = z.object({
  /** In work order: nearest deadline, then amount at risk, then the oldest. */
  items: z.array(WorkItemSummarySchema),
  /** Present when there is more: pass it back as `cursor` with the same filters. */
  nextCursor: z.string().optional(),
});
export type WorkItemListResponse = z.infer<typeof WorkItemListResponseSchema>;

// ── Corrections ─────────────────────────────────────────────────────────────────────────────────────

/** An ICD-10-CM code, with or without its dot (`E11.9`, `E119`); stored without the dot, upper case. */
export const Icd10CmCodeSchema = z.string().regex(/^[A-Za-z][0-9][0-9A-Za-z](\.?[0-9A-Za-z]{1,4})?$/, 'an ICD-10-CM code (3 to 7 characters, e.g. E11.9)');

/** A procedure code: HCPCS Level II, CPT or CDT (five letters or digits). */
export const ProcedureCodeSchema = z.string().regex(/^[A-Za-z0-9]{5}$/, 'a procedure code (5 letters or digits)');

/** A correction of one service line (LX01 `line`); only the fields given change. */
export const LineCorrectionSchema = z
  .strictObject({
    line: z.int().min(1).max(999),
    procedure: ProcedureCodeSchema.optional(),
    /** Replaces the line's modifiers (SV101-3…6): up to four, in order; `[]` removes them. */
    modifiers: z.array(z.string().regex(/^[A-Za-z0-9]{2}$/, 'a modifier (2 letters or digits)')).max(4).optional(),
    units: z.number().positive().max(99_999).optional(),
    /** 1-based positions in the corrected principal-and-other diagnosis list (SV107), up to four. */
    diagnosisPointers: z.array(z.int().min(1).max(12)).min(1).max(4).optional(),
  })
  .refine((line) => line.procedure !== undefined || line.modifiers !== undefined || line.units !== undefined || line.diagnosisPointers !== undefined, {
    message: 'a line correction changes at least one of procedure, modifiers, units, diagnosisPointers',
  });
export type LineCorrection = z.infer<typeof LineCorrectionSchema>;

/**
 * `POST /work-items/{id}/corrections`: the principal and other diagnoses in pointer order (the first is
 * the principal), and line corrections. Corrections add up: each request is merged into the item's
 * draft (diagnoses replaced when given, line fields replaced one by one).
 */
export const CorrectionRequestSchema = z
  .strictObject({
    diagnoses: z.array(Icd10CmCodeSchema).min(1).max(25).optional(),
    lines: z.array(LineCorrectionSchema).min(1).max(50).optional(),
  })
  .refine((request) => request.diagnoses !== undefined || request.lines !== undefined, { message: 'a correction changes diagnoses, lines or both' })
  .refine((request) => new Set(request.lines?.map((line) => line.line)).size === (request.lines?.length ?? 0), {
    path: ['lines'],
    message: 'each line is corrected at most once per request',
  });
export type CorrectionRequest = z.infer<typeof CorrectionRequestSchema>;

/** The corrections kept on a work item (merged), what the last re-scrub said, and who made them when. */
export const CorrectionDraftSchema = z.object({
  /** Normalized codes (no dot, upper case), principal first. */
  diagnoses: z.array(z.string()).optional(),
  /** One entry per corrected line, in line order. */
  lines: z.array(LineCorrectionSchema).optional(),
  at: z.iso.datetime(),
  by: z.string().min(1),
  /** The re-scrub of the corrected claim held it (a `reject` finding). */
  holds: z.boolean(),
  /** Codes of the re-scrub's findings. */
  findingCodes: z.array(z.string()),
});
export type CorrectionDraft = z.infer<typeof CorrectionDraftSchema>;

// ── Other requests ──────────────────────────────────────────────────────────────────────────────────

/** `POST /work-items/{id}/assign` (supervisor only). */
export const AssignRequestSchema = z.strictObject({ assignee: UserIdSchema });
export type AssignRequest = z.infer<typeof AssignRequestSchema>;

/**
 * `POST /work-items/{id}/wait`: a provider query is out. The note is a topic for colleagues, kept in
 * the item's history: never a patient's details.
 */
export const WaitRequestSchema = z.strictObject({ note: z.string().trim().min(1).max(200).optional() });
export type WaitRequest = z.infer<typeof WaitRequestSchema>;

export const ResolveActionSchema = z.enum(['resubmit', 'appeal', 'write-off', 'no-action']);
export type ResolveAction = z.infer<typeof ResolveActionSchema>;

/**
 * `POST /work-items/{id}/resolve`. `resubmit` sends the claim (with the item's correction draft) to the
 * payer: as an original (frequency 1) when the payer never adjudicated it, else as a replacement (7,
 * REF*F8) — or a void (8) with `void: true`. A write-off needs a reason (a code or a short note, no PHI).
 */
export const ResolveRequestSchema = z
  .strictObject({
    action: ResolveActionSchema,
    reason: z.string().trim().min(1).max(500).optional(),
    void: z.boolean().optional(),
  })
  .refine((request) => request.void === undefined || request.action === 'resubmit', { path: ['void'], message: 'void applies only to action resubmit' })
  .refine((request) => request.action !== 'write-off' || request.reason !== undefined, { path: ['reason'], message: 'a write-off needs a reason' });
export type ResolveRequest = z.infer<typeof ResolveRequestSchema>;

// ── Responses ───────────────────────────────────────────────────────────────────────────────────────

/** A claim as the worklist shows it: the canonical claim, its findings, and what the payer did with it. */
export const ClaimDetailSchema = z.object({
  claimId: z.string(),
  /** The stored claim's status (`accepted`, `held`). */
  status: z.string(),
  receivedAt: z.iso.datetime(),
  claim: ClaimSchema,
  findings: z.array(FindingSchema),
  adjudication: ClaimAdjudicationSchema.optional(),
  /** Postings in remittance order. */
  postings: z.array(PostingSchema),
});
export type ClaimDetail = z.infer<typeof ClaimDetailSchema>;

/** `GET /work-items/{id}` (audited: `claim.read`). */
export const WorkItemDetailResponseSchema = z.object({
  item: WorkItemSchema,
  /** Absent for an unmatched payment (no claim). */
  claim: ClaimDetailSchema.optional(),
  history: z.array(WorkItemHistoryEntrySchema),
  /** The coder's correction draft, when there is one. */
  correction: CorrectionDraftSchema.optional(),
});
export type WorkItemDetailResponse = z.infer<typeof WorkItemDetailResponseSchema>;

/** `POST /work-items/{id}/corrections`: the claim as it would be resubmitted, and its re-scrub. */
export const CorrectionResponseSchema = z.object({
  claim: ClaimSchema,
  findings: z.array(FindingSchema),
  /** A `reject` finding holds the corrected claim: it cannot be resubmitted as it is. */
  holds: z.boolean(),
  /** The item with the draft recorded (its new revision). */
  item: WorkItemSchema,
});
export type CorrectionResponse = z.infer<typeof CorrectionResponseSchema>;

/** A field error of a request: where (dotted path) and what (zod's message, never the value sent). */
export const FieldIssueSchema = z.object({ path: z.string(), message: z.string() });
export type FieldIssue = z.infer<typeof FieldIssueSchema>;

/**
 * Every error body. `error` is a stable code: `unauthorized`, `forbidden`, `not-found`,
 * `invalid-request` (with `issues`), `invalid-json`, a conflict code (`already-taken`, `still-held` with
 * the finding `codes` …), or `internal` (with the `requestId` to quote; nothing else is said).
 */
export const ErrorResponseSchema = z.object({
  error: z.string(),
  message: z.string().optional(),
  issues: z.array(FieldIssueSchema).optional(),
  codes: z.array(z.string()).optional(),
  requestId: z.string().optional(),
});
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;
