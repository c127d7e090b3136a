/**
 * A posting: one 835 claim payment (CLP loop) applied to the claim it matched — what the payer paid,
 * what the contract took off, what the patient owes, what was denied and why — and the claim's
 * adjudication: the running result of every posting on it, with a derived status.
 *
 * Amounts are integer cents. Adjustments keep their CAS group and CARC, their RARCs and the category
 * they were routed to (src/rules/codesets/adjustment-routing.ts).
 */
import { z } from 'zod';
import { CentsSchema, IsoDateSchema } from './common.schema.ts';
import { WorkQueueSchema } from './finding.schema.ts';

/** Where an adjustment goes (see `AdjustmentCategory` of the code sets). */
export const AdjustmentCategorySchema = z.enum(['coding', 'billing', 'clinical', 'contractual', 'patient-responsibility', 'informational']);
export type AdjustmentCategoryName = z.infer<typeof AdjustmentCategorySchema>;

/** One CAS adjustment as posted. */
export const PostedAdjustmentSchema = z.object({
  group: z.string(),
  carc: z.string(),
  amountCents: CentsSchema,
  quantity: z.number().optional(),
  rarcs: z.array(z.string()),
  category: AdjustmentCategorySchema,
  /** The queue a denial goes to; absent for contractual, patient responsibility and informational. */
  queue: WorkQueueSchema.optional(),
  /** The CARC is not in our table (routed to billing for a person to look at). */
  unknownCarc: z.boolean().optional(),
});
export type PostedAdjustment = z.infer<typeof PostedAdjustmentSchema>;

/** How a service payment was matched to a line of the claim. */
export const LineMatchSchema = z.enum(['control-number', 'procedure', 'position', 'unmatched']);

/** One SVC loop as posted to a claim line. */
export const PostedLineSchema = z.object({
  /** The claim's line (1-based LX position) it was matched to; absent when unmatched. */
  line: z.int().positive().optional(),
  matchedBy: LineMatchSchema,
  procedure: z.string(),
  modifiers: z.array(z.string()),
  chargeCents: CentsSchema,
  paidCents: CentsSchema,
  /** AMT*B6, when the payer sent it. */
  allowedCents: CentsSchema.optional(),
  units: z.number().optional(),
  adjustments: z.array(PostedAdjustmentSchema),
});
export type PostedLine = z.infer<typeof PostedLineSchema>;

/** Totals by category, in cents (sums of the claim-level and line-level adjustments). */
export const PostingTotalsSchema = z.object({
  chargeCents: CentsSchema,
  paidCents: CentsSchema,
  patientResponsibilityCents: CentsSchema,
  contractualCents: CentsSchema,
  /** Adjustments categorized as denials (coding, billing, clinical). */
  deniedCents: CentsSchema,
  informationalCents: CentsSchema,
  /** Paid + patient responsibility, or the sum of the lines' AMT*B6 / the claim's AMT, when sent. */
  allowedCents: CentsSchema,
});
export type PostingTotals = z.infer<typeof PostingTotalsSchema>;

/** The status a posting gives its claim. */
export const AdjudicationStatusSchema = z.enum(['paid', 'partially-paid', 'denied', 'reversed']);
export type AdjudicationStatus = z.infer<typeof AdjudicationStatusSchema>;

export const PostingSchema = z.object({
  /** Deterministic: the remittance id and the claim payment's position in it. */
  postingId: z.string().min(1),
  tenant: z.string().min(1),
  claimId: z.string().min(1),
  /** The 835 file's id (tenant + content hash) and the claim payment's 1-based position in it. */
  remittanceId: z.string().min(1),
  claimPaymentPosition: z.int().positive(),
  postedAt: z.iso.datetime(),
  payer: z.string().optional(),
  /** TRN02: the check or EFT trace number. */
  traceNumber: z.string().optional(),
  /** BPR16: the payment's effective date. */
  paymentDate: IsoDateSchema.optional(),
  /** CLP02. */
  claimStatusCode: z.string(),
  /** CLP07: the payer's claim control number (REF*F8 of a replacement). */
  payerClaimControlNumber: z.string().optional(),
  /** CLP02 = 22: this payment reverses an earlier one (amounts negated). */
  reversal: z.boolean(),
  /** How the claim was confirmed: exact CLM01, or a 20-character prefix confirmed by dates and charges. */
  matchedBy: z.enum(['patient-control-number', 'patient-control-number-prefix']),
  totals: PostingTotalsSchema,
  /** Claim-level CAS adjustments. */
  adjustments: z.array(PostedAdjustmentSchema),
  lines: z.array(PostedLineSchema),
  /** Claim-level remark codes (MIA/MOA). */
  remarks: z.array(z.string()),
});
export type Posting = z.infer<typeof PostingSchema>;

/** A claim's adjudication: the sum of its postings (reversals included) and what it means. */
export const ClaimAdjudicationSchema = z.object({
  status: AdjudicationStatusSchema,
  /** The payer claim control number of the latest posting that is not a reversal. */
  payerClaimControlNumber: z.string().optional(),
  totals: PostingTotalsSchema,
  /** Ids of the postings summed, oldest first. */
  postingIds: z.array(z.string()),
  updatedAt: z.iso.datetime(),
});
export type ClaimAdjudication = z.infer<typeof ClaimAdjudicationSchema>;
