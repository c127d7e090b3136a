/**
 * Acknowledgments as read from a payer or clearinghouse: a discriminated union on `kind` of the TA1
 * (interchange), the 999 (005010X231A1, implementation acknowledgment of one functional group) and
 * the 277CA (005010X214, claim-level acknowledgment).
 *
 * Codes are kept as sent (TA105, IK304, IK403, IK502, AK905, STC categories and status codes); their
 * meanings live in tables elsewhere. The 999's copy of a bad element (IK404) may be PHI: it is kept
 * in the model for the submitter and never logged.
 */
import { z } from 'zod';
import { CentsSchema, DateRangeSchema, EnvelopeRefSchema, FieldSourcesSchema, IsoDateSchema, Nm1PartySchema } from './common.schema.ts';

// ── TA1 ─────────────────────────────────────────────────────────────────────────────────────────

export const Ta1AcknowledgmentSchema = z.object({
  kind: z.literal('TA1'),
  /** ISA13 of the interchange carrying the TA1. */
  carrierInterchangeControl: z.string(),
  /** TA101: the acknowledged interchange's control number. */
  interchangeControl: z.string(),
  /** TA102 (YYMMDD), as an ISO date when valid. */
  interchangeDate: IsoDateSchema.optional(),
  /** TA103 HHMM. */
  interchangeTime: z.string(),
  /** TA104: A accepted, E accepted with errors, R rejected. */
  acknowledgmentCode: z.string(),
  /** TA105 note code (`000` no error). */
  noteCode: z.string(),
});
export type Ta1Acknowledgment = z.infer<typeof Ta1AcknowledgmentSchema>;

// ── 999 ─────────────────────────────────────────────────────────────────────────────────────────

/** C030 position in a segment: element, component, repetition. */
export const ElementPositionSchema = z.object({
  element: z.int(),
  component: z.int().optional(),
  repetition: z.int().optional(),
});
export type ElementPosition = z.infer<typeof ElementPositionSchema>;

/**
 * CTX: the context of an error — a situational trigger (`SITUATIONAL TRIGGER` with the triggering
 * segment's id, position, loop and element) or a business unit (`CLM01` with the claim's patient
 * control number, `TRN02` …).
 */
export const ErrorContextSchema = z.object({
  name: z.string(),
  reference: z.string().optional(),
  segmentId: z.string().optional(),
  segmentPosition: z.int().optional(),
  loopId: z.string().optional(),
  position: ElementPositionSchema.optional(),
});
export type ErrorContext = z.infer<typeof ErrorContextSchema>;

/** 2110 IK4 — an element error. */
export const ElementErrorSchema = z.object({
  position: ElementPositionSchema,
  /** IK402 data element reference number. */
  elementRef: z.string().optional(),
  /** IK403 (1 required missing, 7 invalid code, 8 invalid date, I9 …). */
  code: z.string(),
  /** IK404: a copy of the bad value (may be PHI: never logged). */
  badValue: z.string().optional(),
  contexts: z.array(ErrorContextSchema),
});
export type ElementError = z.infer<typeof ElementErrorSchema>;

/** 2100 IK3 — a segment error, with its contexts and element errors. */
export const SegmentErrorSchema = z.object({
  segmentId: z.string(),
  /** IK302: position in the acknowledged set (ST = 1). */
  position: z.int().optional(),
  /** IK303. */
  loopId: z.string().optional(),
  /** IK304 (blank when only element errors are noted). */
  code: z.string().optional(),
  contexts: z.array(ErrorContextSchema),
  elementErrors: z.array(ElementErrorSchema),
});
export type SegmentError = z.infer<typeof SegmentErrorSchema>;

/** 2000 AK2 … IK5 — the response for one acknowledged transaction set. */
export const TransactionSetResponseSchema = z.object({
  /** AK201, e.g. `837`. */
  transactionSet: z.string(),
  /** AK202: the acknowledged ST02. */
  control: z.string(),
  /** AK203. */
  version: z.string().optional(),
  segmentErrors: z.array(SegmentErrorSchema),
  /** IK501: A, E, R (M, W, X for security). */
  acknowledgmentCode: z.string(),
  /** IK502–IK506. */
  errorCodes: z.array(z.string()),
});
export type TransactionSetResponse = z.infer<typeof TransactionSetResponseSchema>;

export const Implementation999Schema = z.object({
  kind: z.literal('999'),
  /** The 999's own envelope. */
  envelope: EnvelopeRefSchema,
  /** AK1: the acknowledged functional group. */
  functionalGroup: z.object({ functionalId: z.string(), control: z.string(), version: z.string().optional() }),
  transactionSets: z.array(TransactionSetResponseSchema),
  /** AK9. */
  groupResponse: z.object({
    /** AK901: A, E, P, R (M, W, X). */
    acknowledgmentCode: z.string(),
    included: z.int().optional(),
    received: z.int().optional(),
    accepted: z.int().optional(),
    /** AK905–AK909. */
    errorCodes: z.array(z.string()),
  }),
  sources: FieldSourcesSchema,
});
export type Implementation999 = z.infer<typeof Implementation999Schema>;

// ── 277CA ───────────────────────────────────────────────────────────────────────────────────────

/** C043: category (STC01-1, A1 … A8), status code (STC01-2, external list 508), entity (STC01-3). */
export const ClaimStatusCodeSchema = z.object({
  category: z.string(),
  code: z.string(),
  entity: z.string().optional(),
});
export type ClaimStatusCode = z.infer<typeof ClaimStatusCodeSchema>;

/** One STC: its one to three statuses (STC01, STC10, STC11), date, action, charges, message. */
export const StatusInformationSchema = z.object({
  statuses: z.array(ClaimStatusCodeSchema),
  /** STC02. */
  effectiveDate: IsoDateSchema.optional(),
  /** STC03: WQ accepted, U rejected. */
  actionCode: z.string().optional(),
  /** STC04: total submitted charges (claim, or unit of work at the receiver/provider levels). */
  charge: CentsSchema.optional(),
  /** STC12. */
  message: z.string().optional(),
});
export type StatusInformation = z.infer<typeof StatusInformationSchema>;

/** Accepted/rejected counts and amounts (QTY 90/QA, AA/QC; AMT YU, YY). */
export const AcknowledgmentTotalsSchema = z.object({
  acceptedQuantity: z.number().optional(),
  rejectedQuantity: z.number().optional(),
  acceptedAmount: CentsSchema.optional(),
  rejectedAmount: CentsSchema.optional(),
});
export type AcknowledgmentTotals = z.infer<typeof AcknowledgmentTotalsSchema>;

/** An NM1 of the 277CA. */
export const AckPartySchema = Nm1PartySchema;
export type AckParty = z.infer<typeof AckPartySchema>;

/** 2220D — a service line's status. */
export const LineStatusSchema = z.object({
  procedure: z.object({ qualifier: z.string(), code: z.string(), modifiers: z.array(z.string()) }).optional(),
  charge: CentsSchema.optional(),
  revenueCode: z.string().optional(),
  originalUnits: z.number().optional(),
  statuses: z.array(StatusInformationSchema),
  /** REF*FJ: the 837 line item control number (REF*6R there). */
  lineItemControlNumber: z.string().optional(),
  /** REF*XZ. */
  prescriptionNumber: z.string().optional(),
  serviceDates: DateRangeSchema.optional(),
  sources: FieldSourcesSchema,
});
export type LineStatus = z.infer<typeof LineStatusSchema>;

/** 2000D/2200D — one claim's status, under its patient. */
export const ClaimAcknowledgmentSchema = z.object({
  patient: AckPartySchema.optional(),
  /** TRN02 of 2200D: the claim's patient control number (837 CLM01). */
  patientControlNumber: z.string(),
  statuses: z.array(StatusInformationSchema),
  /** REF*1K: the payer's claim control number. */
  payerClaimControlNumber: z.string().optional(),
  /** REF*D9: the clearinghouse's trace number. */
  clearinghouseTraceNumber: z.string().optional(),
  /** REF*BLT: institutional bill type. */
  billType: z.string().optional(),
  serviceDates: DateRangeSchema.optional(),
  lines: z.array(LineStatusSchema),
  sources: FieldSourcesSchema,
});
export type ClaimAcknowledgment = z.infer<typeof ClaimAcknowledgmentSchema>;

/** 2000C — a billing provider with its own status (2200C) and its claims. */
export const ProviderAcknowledgmentSchema = z.object({
  provider: AckPartySchema.optional(),
  traceId: z.string().optional(),
  statuses: z.array(StatusInformationSchema),
  references: z.array(z.object({ qualifier: z.string(), value: z.string() })),
  totals: AcknowledgmentTotalsSchema,
  claims: z.array(ClaimAcknowledgmentSchema),
});
export type ProviderAcknowledgment = z.infer<typeof ProviderAcknowledgmentSchema>;

/** 2000B — the information receiver (the submitter) with the batch's status. */
export const ReceiverAcknowledgmentSchema = z.object({
  receiver: AckPartySchema.optional(),
  /** TRN02 of 2200B: the claim batch's trace (the 837's BHT03). */
  batchTraceId: z.string().optional(),
  statuses: z.array(StatusInformationSchema),
  totals: AcknowledgmentTotalsSchema,
  providers: z.array(ProviderAcknowledgmentSchema),
});
export type ReceiverAcknowledgment = z.infer<typeof ReceiverAcknowledgmentSchema>;

/** 2000A — the information source (payer or clearinghouse). */
export const SourceAcknowledgmentSchema = z.object({
  source: AckPartySchema.optional(),
  /** TRN02 of 2200A. */
  traceId: z.string().optional(),
  /** DTP*050. */
  receiptDate: IsoDateSchema.optional(),
  /** DTP*009. */
  processDate: IsoDateSchema.optional(),
  receivers: z.array(ReceiverAcknowledgmentSchema),
});
export type SourceAcknowledgment = z.infer<typeof SourceAcknowledgmentSchema>;

export const ClaimAcknowledgment277Schema = z.object({
  kind: z.literal('277CA'),
  envelope: EnvelopeRefSchema,
  /** BHT03 / BHT04 / BHT05. */
  reference: z.string().optional(),
  createdDate: IsoDateSchema.optional(),
  createdTime: z.string().optional(),
  informationSources: z.array(SourceAcknowledgmentSchema),
});
export type ClaimAcknowledgment277 = z.infer<typeof ClaimAcknowledgment277Schema>;

// ── The union ───────────────────────────────────────────────────────────────────────────────────

export const AcknowledgmentSchema = z.discriminatedUnion('kind', [Ta1AcknowledgmentSchema, Implementation999Schema, ClaimAcknowledgment277Schema]);
export type Acknowledgment = z.infer<typeof AcknowledgmentSchema>;
