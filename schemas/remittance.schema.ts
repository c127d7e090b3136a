/**
 * The canonical remittance: one 835 transaction set (005010X221A1) — the payer's payment (BPR, TRN),
 * the payer and payee (1000A/1000B), the header-number groups (2000 LX/TS3/TS2), the claim payments
 * (2100 CLP with its adjustments, names, dates and amounts) with their service lines (2110 SVC), and
 * the provider-level adjustments (PLB).
 *
 * Money is integer cents, dates ISO. Codes (CARC, RARC, qualifiers) are kept as the payer sent them;
 * their meaning is looked up elsewhere. Every object read from a file carries `sources`: for each field
 * name, the segment and element it came from, so findings can point back into the file.
 *
 * Bank account data (BPR) is kept as the guide has it — nothing is masked in the model — and, like
 * every value here, never goes into a log or a message.
 */
import { z } from 'zod';
import { CentsSchema, DateRangeSchema, EnvelopeRefSchema, FieldSourcesSchema, IsoDateSchema, Nm1PartySchema } from './common.schema.ts';

// ── Small shared parts ──────────────────────────────────────────────────────────────────────────

/** A REF: qualifier (REF01) and value (REF02), with REF03 when sent. */
export const ReferenceSchema = z.object({
  qualifier: z.string(),
  value: z.string(),
  description: z.string().optional(),
});
export type Reference = z.infer<typeof ReferenceSchema>;

/** A DTM: qualifier (DTM01, e.g. `232` statement from) and date. */
export const QualifiedDateSchema = z.object({ qualifier: z.string(), date: IsoDateSchema });
export type QualifiedDate = z.infer<typeof QualifiedDateSchema>;

/** An AMT: qualifier (AMT01, e.g. `B6` allowed) and amount. */
export const QualifiedAmountSchema = z.object({ qualifier: z.string(), amount: CentsSchema });
export type QualifiedAmount = z.infer<typeof QualifiedAmountSchema>;

/** A QTY: qualifier (QTY01) and quantity (a decimal, not money). */
export const QualifiedQuantitySchema = z.object({ qualifier: z.string(), quantity: z.number() });
export type QualifiedQuantity = z.infer<typeof QualifiedQuantitySchema>;

/** A PER contact: function code (PER01: `CX` business, `BL` technical, `IC` web site), name, numbers. */
export const ContactSchema = z.object({
  function: z.string(),
  name: z.string().optional(),
  numbers: z.array(z.object({ qualifier: z.string(), number: z.string() })),
});
export type Contact = z.infer<typeof ContactSchema>;

export const AddressSchema = z.object({
  lines: z.array(z.string()),
  city: z.string().optional(),
  state: z.string().optional(),
  postalCode: z.string().optional(),
  country: z.string().optional(),
  countrySubdivision: z.string().optional(),
});
export type Address = z.infer<typeof AddressSchema>;

/**
 * A name from an NM1 (patient QC, insured IL, corrected 74, service provider 82, crossover carrier TT,
 * corrected priority payer PR, other subscriber GB): person (NM102 = 1) or organization (2).
 */
export const RemitPartySchema = Nm1PartySchema;
export type RemitParty = z.infer<typeof RemitPartySchema>;

/**
 * One adjustment of a CAS trio: group (CAS01: CO contractual, OA other, PI payer initiated, PR patient
 * responsibility), reason (CARC), amount and, when sent, quantity. A CAS segment holds up to six trios;
 * each becomes one adjustment with the segment's group. A positive amount reduces the payment.
 */
export const AdjustmentSchema = z.object({
  group: z.string(),
  reason: z.string(),
  amount: CentsSchema,
  quantity: z.number().optional(),
});
export type Adjustment = z.infer<typeof AdjustmentSchema>;

/** C003 medical procedure: qualifier (HC, NU, AD, N4 …), code, up to four modifiers, description. */
export const RemitProcedureSchema = z.object({
  qualifier: z.string(),
  code: z.string(),
  modifiers: z.array(z.string()),
  description: z.string().optional(),
});
export type RemitProcedure = z.infer<typeof RemitProcedureSchema>;

/** An LQ remark: qualifier (HE = RARC, RX = NCPDP reject reason) and code. */
export const RemarkSchema = z.object({ qualifier: z.string(), code: z.string() });
export type Remark = z.infer<typeof RemarkSchema>;

// ── Payment, payer, payee ───────────────────────────────────────────────────────────────────────

/** A bank account of the BPR (sender: BPR06–09, receiver: BPR12–15). */
export const BankAccountSchema = z.object({
  dfiQualifier: z.string().optional(),
  dfiId: z.string().optional(),
  accountQualifier: z.string().optional(),
  accountNumber: z.string().optional(),
});
export type BankAccount = z.infer<typeof BankAccountSchema>;

/** BPR — the payment. */
export const PaymentSchema = z.object({
  /** BPR01: C payment with remittance, D payment only, H notification only, I remittance only, P, U, X. */
  handlingCode: z.string(),
  /** BPR02 total actual provider payment. */
  totalPaid: CentsSchema,
  /** BPR03: C credit, D debit (the provider owes the payer). */
  creditDebit: z.string(),
  /** BPR04: ACH, BOP, CHK, FWT, NON. */
  method: z.string(),
  /** BPR05: CCP, CTX. */
  format: z.string().optional(),
  sender: BankAccountSchema.optional(),
  /** BPR10: the payer's identifier (`1` + EIN). */
  payerIdentifier: z.string().optional(),
  /** BPR11. */
  originatingCompanySupplementalCode: z.string().optional(),
  receiver: BankAccountSchema.optional(),
  /** BPR16 check issue or EFT effective date. */
  paymentDate: IsoDateSchema.optional(),
});
export type Payment = z.infer<typeof PaymentSchema>;

/** TRN — reassociation trace: ties the remittance to its check or EFT. */
export const ReassociationTraceSchema = z.object({
  traceType: z.string(),
  /** TRN02: check or EFT trace number. */
  traceNumber: z.string(),
  /** TRN03: originating company (payer) identifier, `1` + EIN. */
  originatingCompanyId: z.string().optional(),
  /** TRN04. */
  originatingCompanySupplementalCode: z.string().optional(),
});
export type ReassociationTrace = z.infer<typeof ReassociationTraceSchema>;

/** 1000A — the payer: N1*PR, N3/N4, REF (2U payer id, EO, HI, NF), PER (CX, BL, IC). */
export const RemitPayerSchema = z.object({
  name: z.string(),
  idQualifier: z.string().optional(),
  id: z.string().optional(),
  address: AddressSchema.optional(),
  references: z.array(ReferenceSchema),
  contacts: z.array(ContactSchema),
  sources: FieldSourcesSchema,
});
export type RemitPayer = z.infer<typeof RemitPayerSchema>;

/** 1000B — the payee: N1*PE with its NPI (XX), tax id (FI) or other id, address, REF, RDM. */
export const RemitPayeeSchema = z.object({
  name: z.string(),
  idQualifier: z.string().optional(),
  id: z.string().optional(),
  /** N104 when N103 = XX. */
  npi: z.string().optional(),
  /** N104 when N103 = FI, else REF*TJ. */
  taxId: z.string().optional(),
  address: AddressSchema.optional(),
  references: z.array(ReferenceSchema),
  /** RDM: how the remittance is delivered (BM, EM, FT, OL), name and communication number. */
  deliveryMethod: z
    .object({ code: z.string(), name: z.string().optional(), communicationNumber: z.string().optional() })
    .optional(),
  sources: FieldSourcesSchema,
});
export type RemitPayee = z.infer<typeof RemitPayeeSchema>;

/**
 * 2000 — a header number (LX01) that groups claim payments, with the provider summaries: TS3 (provider
 * id, facility type, fiscal period date, claim count and charges, and the Part A totals) and TS2
 * (Medicare Part A DRG totals). Their amounts are kept by element name, as the payer sent them.
 */
export const HeaderNumberSchema = z.object({
  number: z.int(),
  providerSummary: z
    .object({
      providerId: z.string(),
      facilityType: z.string(),
      fiscalPeriodDate: IsoDateSchema.optional(),
      claimCount: z.number().optional(),
      totalCharge: CentsSchema.optional(),
      /** TS313 onwards: amounts (cents) and counts, keyed by the guide's element name. */
      totals: z.record(z.string(), z.number()),
    })
    .optional(),
  supplementalSummary: z.object({ totals: z.record(z.string(), z.number()) }).optional(),
});
export type HeaderNumber = z.infer<typeof HeaderNumberSchema>;

/** One PLB adjustment pair: reason (PLB03-1), the payer's reference (PLB03-2) and amount (PLB04). */
export const ProviderAdjustmentItemSchema = z.object({
  reason: z.string(),
  reference: z.string().optional(),
  /** A positive amount reduces the payment (a recovery); a negative one increases it (interest, L6). */
  amount: CentsSchema,
});
export type ProviderAdjustmentItem = z.infer<typeof ProviderAdjustmentItemSchema>;

/** PLB — provider-level adjustments, not tied to one claim payment. */
export const ProviderAdjustmentSchema = z.object({
  providerId: z.string(),
  fiscalPeriodDate: IsoDateSchema.optional(),
  adjustments: z.array(ProviderAdjustmentItemSchema),
  sources: FieldSourcesSchema,
});
export type ProviderAdjustment = z.infer<typeof ProviderAdjustmentSchema>;

// ── Claim payments and service lines ────────────────────────────────────────────────────────────

/** 2110 — one service line's payment. */
export const ServicePaymentSchema = z.object({
  /** SVC01: the procedure as adjudicated. */
  procedure: RemitProcedureSchema,
  /** SVC02. */
  charge: CentsSchema,
  /** SVC03. */
  paid: CentsSchema,
  /** SVC04: NUBC revenue code, when SVC01 is a procedure on an institutional claim. */
  revenueCode: z.string().optional(),
  /** SVC05: units paid (absent means one). */
  unitsPaid: z.number().optional(),
  /** SVC06: the procedure as submitted, when the payer changed it. */
  originalProcedure: RemitProcedureSchema.optional(),
  /** SVC07: units as submitted, when they differ. */
  originalUnits: z.number().optional(),
  /** DTM 472 (single date) or 150/151 (period start/end), as one range. */
  serviceDates: DateRangeSchema.optional(),
  /** Every DTM as sent. */
  dates: z.array(QualifiedDateSchema),
  adjustments: z.array(AdjustmentSchema),
  /** REF other than 6R: 1S, APC, BB, E9, G1, G3, LU, RB, rendering provider ids, 0K … */
  references: z.array(ReferenceSchema),
  /** REF*6R: the 837 line's line item control number, the key for matching lines. */
  lineControlNumber: z.string().optional(),
  amounts: z.array(QualifiedAmountSchema),
  /** AMT*B6. */
  allowedAmount: CentsSchema.optional(),
  quantities: z.array(QualifiedQuantitySchema),
  /** LQ. */
  remarks: z.array(RemarkSchema),
  sources: FieldSourcesSchema,
});
export type ServicePayment = z.infer<typeof ServicePaymentSchema>;

/** MIA — inpatient adjudication (amounts in cents, counts as numbers, remark codes MIA05/20–23). */
export const InpatientAdjudicationSchema = z.object({
  coveredDaysOrVisits: z.number().optional(),
  ppsOperatingOutlierAmount: CentsSchema.optional(),
  lifetimePsychiatricDays: z.number().optional(),
  claimDrgAmount: CentsSchema.optional(),
  claimDisproportionateShareAmount: CentsSchema.optional(),
  claimMspPassThroughAmount: CentsSchema.optional(),
  claimPpsCapitalAmount: CentsSchema.optional(),
  ppsCapitalFspDrgAmount: CentsSchema.optional(),
  ppsCapitalHspDrgAmount: CentsSchema.optional(),
  ppsCapitalDshDrgAmount: CentsSchema.optional(),
  oldCapitalAmount: CentsSchema.optional(),
  ppsCapitalImeAmount: CentsSchema.optional(),
  ppsOperatingHospitalSpecificDrgAmount: CentsSchema.optional(),
  costReportDays: z.number().optional(),
  ppsOperatingFederalSpecificDrgAmount: CentsSchema.optional(),
  claimPpsCapitalOutlierAmount: CentsSchema.optional(),
  claimIndirectTeachingAmount: CentsSchema.optional(),
  nonpayableProfessionalComponentAmount: CentsSchema.optional(),
  ppsCapitalExceptionAmount: CentsSchema.optional(),
  remarkCodes: z.array(z.string()),
});
export type InpatientAdjudication = z.infer<typeof InpatientAdjudicationSchema>;

/** MOA — outpatient adjudication. */
export const OutpatientAdjudicationSchema = z.object({
  reimbursementRate: z.number().optional(),
  hcpcsPayableAmount: CentsSchema.optional(),
  remarkCodes: z.array(z.string()),
  esrdPaymentAmount: CentsSchema.optional(),
  nonpayableProfessionalComponentAmount: CentsSchema.optional(),
});
export type OutpatientAdjudication = z.infer<typeof OutpatientAdjudicationSchema>;

/** 2100 — one claim payment (CLP) with everything the payer said about the claim. */
export const ClaimPaymentSchema = z.object({
  /** LX01 of the header-number group it sits in, when there is one. */
  headerNumber: z.int().optional(),
  /** CLP01 = the 837's CLM01 (possibly cut to 20 characters by the payer). */
  patientControlNumber: z.string(),
  /** CLP02: 1/2/3 primary/secondary/tertiary, 4 denied, 19–21 forwarded, 22 reversal, 23, 25. */
  statusCode: z.string(),
  /** CLP03. */
  totalCharge: CentsSchema,
  /** CLP04. */
  paid: CentsSchema,
  /** CLP05. */
  patientResponsibility: CentsSchema.optional(),
  /** CLP06. */
  filingIndicator: z.string().optional(),
  /** CLP07: the payer's claim control number (277CA REF*1K; REF*F8 on a corrected claim). */
  payerClaimControlNumber: z.string().optional(),
  /** CLP08: facility type (place of service or type of bill's first two digits). */
  facilityType: z.string().optional(),
  /** CLP09: frequency. */
  frequency: z.string().optional(),
  /** CLP11. */
  drg: z.string().optional(),
  /** CLP12. */
  drgWeight: z.number().optional(),
  /** CLP13. */
  dischargeFraction: z.number().optional(),
  /** Claim-level CAS trios. */
  adjustments: z.array(AdjustmentSchema),
  patient: RemitPartySchema.optional(),
  insured: RemitPartySchema.optional(),
  correctedPatient: RemitPartySchema.optional(),
  serviceProvider: RemitPartySchema.optional(),
  crossoverCarrier: RemitPartySchema.optional(),
  correctedPriorityPayer: RemitPartySchema.optional(),
  otherSubscriber: RemitPartySchema.optional(),
  inpatient: InpatientAdjudicationSchema.optional(),
  outpatient: OutpatientAdjudicationSchema.optional(),
  references: z.array(ReferenceSchema),
  /** DTM 232/233 as one range (either end may be absent in the file: then it equals the other). */
  statementPeriod: DateRangeSchema.optional(),
  /** DTM 036. */
  coverageExpirationDate: IsoDateSchema.optional(),
  /** DTM 050. */
  receivedDate: IsoDateSchema.optional(),
  /** Every DTM as sent (037 and others included). */
  dates: z.array(QualifiedDateSchema),
  contacts: z.array(ContactSchema),
  amounts: z.array(QualifiedAmountSchema),
  quantities: z.array(QualifiedQuantitySchema),
  serviceLines: z.array(ServicePaymentSchema),
  sources: FieldSourcesSchema,
});
export type ClaimPayment = z.infer<typeof ClaimPaymentSchema>;

// ── The remittance ──────────────────────────────────────────────────────────────────────────────

/** Totals over the transaction set, computed while reading (not sent by the payer). */
export const RemittanceTotalsSchema = z.object({
  claimPayments: z.int().nonnegative(),
  serviceLines: z.int().nonnegative(),
  /** Σ CLP03. */
  charged: CentsSchema,
  /** Σ CLP04. */
  paid: CentsSchema,
  /** Σ PLB amounts. */
  providerAdjustments: CentsSchema,
});
export type RemittanceTotals = z.infer<typeof RemittanceTotalsSchema>;

/** A remittance without its claim payments: what a streaming reader emits at each set's end. */
export const RemittanceSummarySchema = z.object({
  envelope: EnvelopeRefSchema,
  payment: PaymentSchema,
  trace: ReassociationTraceSchema.optional(),
  /** CUR02 when the payment is not in US dollars. */
  currency: z.string().optional(),
  /** REF*EV receiver identification. */
  receiverId: z.string().optional(),
  /** REF*F2 version identification. */
  versionId: z.string().optional(),
  /** DTM*405 production date. */
  productionDate: IsoDateSchema.optional(),
  payer: RemitPayerSchema,
  payee: RemitPayeeSchema,
  headers: z.array(HeaderNumberSchema),
  providerAdjustments: z.array(ProviderAdjustmentSchema),
  totals: RemittanceTotalsSchema,
  sources: FieldSourcesSchema,
});
export type RemittanceSummary = z.infer<typeof RemittanceSummarySchema>;

/** One 835 transaction set, whole. */
export const RemittanceSchema = RemittanceSummarySchema.extend({ claimPayments: z.array(ClaimPaymentSchema) });
export type Remittance = z.infer<typeof RemittanceSchema>;
