/**
 * A work item: one claim (or one claim payment) that needs a person — a claim we held on a rule edit,
 * a denial on a remittance, a payment that matched no claim, an underpayment. It lives in one queue,
 * moves through a small lifecycle, has at most one owner at a time, and keeps its own history.
 *
 * Nothing here is PHI: ids, codes, amounts, dates of deadlines and our own descriptions of codes. The
 * claim itself (names, member ids) is read through the claim, and every such read is audited.
 *
 * Items are worked in priority order: nearest deadline, then amount at risk (src/worklist/priority.ts).
 */
import { z } from 'zod';
import { CentsSchema, IsoDateSchema } from './common.schema.ts';
import { WorkQueueSchema } from './finding.schema.ts';

/** Why the item exists. */
export const WorkItemKindSchema = z.enum([
  /** A claim ingest held on a `reject` finding (rule edit, balancing, reader problem). */
  'hold',
  /** A claim (or some of its lines) the payer denied: CAS adjustments categorized as denials. */
  'denial',
  /** A claim payment (CLP) that matched no claim of the tenant. */
  'unmatched-payment',
  /** An allowed amount below the payer's fee schedule. */
  'underpayment',
]);
export type WorkItemKind = z.infer<typeof WorkItemKindSchema>;

/**
 * The lifecycle: open → in-progress (taken by one person) → waiting-on-provider (a provider query is
 * out) → in-progress → resolved. Releasing an item puts it back to open.
 */
export const WorkItemStatusSchema = z.enum(['open', 'in-progress', 'waiting-on-provider', 'resolved']);
export type WorkItemStatus = z.infer<typeof WorkItemStatusSchema>;

/** How an item was resolved. */
export const ResolutionActionSchema = z.enum(['resubmitted', 'appealed', 'written-off', 'no-action']);
export type ResolutionAction = z.infer<typeof ResolutionActionSchema>;

/** One reason an item exists, in codes and our own words (never a value from the claim). */
export const WorkReasonSchema = z.object({
  /** A finding code (`npi-check-digit`, `BALANCE_CLAIM_LINES`) or an adjustment (`CO-50`). */
  code: z.string().min(1),
  source: z.enum(['finding', 'adjustment', 'matching', 'fee-schedule']),
  /** CAS group (CO, PR, OA, PI, CR) of an adjustment. */
  group: z.string().optional(),
  carc: z.string().optional(),
  rarcs: z.array(z.string()).optional(),
  /** Our description of the code(s), for a person. */
  description: z.string(),
  /** The adjustment category (`coding`, `billing`, `clinical` …) or the finding's queue. */
  category: z.string().optional(),
  /** The claim's service line (1-based) the reason is about. */
  line: z.int().positive().optional(),
  /** Money the reason concerns (the adjustment amount, the shortfall). */
  amountCents: CentsSchema.optional(),
  /** The rule behind a finding. */
  ruleId: z.string().optional(),
});
export type WorkReason = z.infer<typeof WorkReasonSchema>;

/** What happened to an item, by whom and when. `by` is a user id (token `sub`) or `system`. */
export const WorkItemHistoryEntrySchema = z.object({
  at: z.iso.datetime(),
  by: z.string().min(1),
  action: z.enum(['created', 'taken', 'released', 'reassigned', 'corrected', 'waiting-on-provider', 'resumed', 'resolved', 'reopened', 'updated']),
  from: WorkItemStatusSchema.optional(),
  to: WorkItemStatusSchema.optional(),
  /** Codes only (a resolution action, a reason code, the codes changed); never claim values. */
  note: z.string().max(500).optional(),
});
export type WorkItemHistoryEntry = z.infer<typeof WorkItemHistoryEntrySchema>;

/** The outcome of a resolved item. */
export const WorkItemResolutionSchema = z.object({
  action: ResolutionActionSchema,
  at: z.iso.datetime(),
  by: z.string().min(1),
  /** A write-off reason code or a short note without PHI. */
  reason: z.string().max(500).optional(),
  /** The outbound object written (a resubmitted 837). */
  outboundKey: z.string().optional(),
  /** Frequency code of a resubmission: 1 original, 7 replacement, 8 void. */
  frequency: z.enum(['1', '7', '8']).optional(),
});
export type WorkItemResolution = z.infer<typeof WorkItemResolutionSchema>;

export const WorkItemSchema = z.object({
  /** Deterministic: derived from the claim (or claim payment) and the kind, so re-runs converge. */
  workItemId: z.string().min(1),
  tenant: z.string().min(1),
  kind: WorkItemKindSchema,
  queue: WorkQueueSchema,
  status: WorkItemStatusSchema,
  /** ISO timestamp the item was created (the file's receipt time for items made by ingest). */
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** The claim it is about; absent only for an unmatched payment. */
  claimId: z.string().optional(),
  /** The remittance (835 file id) and the claim payment's 1-based position in it, for items from an 835. */
  remittanceId: z.string().optional(),
  claimPaymentPosition: z.int().positive().optional(),
  /** The payer id (2010BB NM109 of the claim, or the payer resolved for the 835). */
  payer: z.string().optional(),
  /** The user who owns it (token `sub`); only in-progress and waiting items have one. */
  assignee: z.string().optional(),
  /** Codes of the reasons, for filtering (`CO-50`, `npi-check-digit`). */
  reasonCodes: z.array(z.string()),
  reasons: z.array(WorkReasonSchema),
  /** The claim's total charge. */
  chargeCents: CentsSchema,
  /** What is at stake: denied amount, unmatched payment, shortfall, or the held claim's charge. */
  amountAtRiskCents: CentsSchema,
  /** Last day to appeal (the payer's appeal-window rule, else the default window). */
  appealDeadline: IsoDateSchema.optional(),
  /** Last day to (re)file the claim (the payer's timely-filing rule, else the default). */
  timelyFilingDeadline: IsoDateSchema.optional(),
  resolution: WorkItemResolutionSchema.optional(),
  history: z.array(WorkItemHistoryEntrySchema),
  /** Incremented by every change: updates are conditional on the revision read (one writer wins). */
  revision: z.int().nonnegative(),
});
export type WorkItem = z.infer<typeof WorkItemSchema>;
