/**
 * Small canonical claims, claim payments and postings for the remittance unit tests: each helper takes
 * only what a test is about and fills the rest with fictional values, checked against the schemas so
 * that a fixture can never drift from the model.
 */
import { ClaimSchema, type Claim } from '../../schemas/claim.schema.ts';
import { PostingSchema, type Posting, type PostingTotals } from '../../schemas/posting.schema.ts';
import { ClaimPaymentSchema, type Adjustment, type ClaimPayment, type ServicePayment } from '../../schemas/remittance.schema.ts';

export interface LineSpec {
  code: string;
  modifiers?: string[];
  charge: number;
  date?: string;
  units?: number;
  lineControlNumber?: string;
  revenueCode?: string;
}

/** A professional claim (837P) with the given lines; CLM02 is the sum of the line charges. */
export function claimOf(spec: {
  pcn: string;
  lines: LineSpec[];
  patientLastName?: string;
  memberId?: string;
  frequency?: string;
  totalCharge?: number;
}): Claim {
  return ClaimSchema.parse({
    type: 'P',
    patientControlNumber: spec.pcn,
    totalCharge: spec.totalCharge ?? spec.lines.reduce((sum, line) => sum + line.charge, 0),
    placeOfService: '11',
    frequency: spec.frequency ?? '1',
    billingProvider: { lastOrOrganizationName: 'EXAMPLE CLINIC', npi: '1234567893' },
    subscriber: { lastOrOrganizationName: spec.patientLastName ?? 'TESTPATIENT', firstName: 'ALPHA', memberId: spec.memberId ?? 'TEST000111' },
    payer: { id: 'TESTPPO01' },
    patient: { sameAsSubscriber: true, lastOrOrganizationName: spec.patientLastName ?? 'TESTPATIENT', firstName: 'ALPHA', memberId: spec.memberId ?? 'TEST000111' },
    dates: {},
    references: {},
    amounts: {},
    diagnoses: [{ kind: 'principal', qualifier: 'ABK', code: 'J189' }],
    providers: [],
    otherPayers: [],
    lines: spec.lines.map((line, index) => ({
      lineNumber: index + 1,
      ...(line.revenueCode !== undefined && line.code === '' ? {} : { procedure: { qualifier: 'HC', code: line.code, ...(line.modifiers ? { modifiers: line.modifiers } : {}) } }),
      ...(line.revenueCode !== undefined ? { revenueCode: line.revenueCode } : {}),
      charge: line.charge,
      units: line.units ?? 1,
      dates: line.date ? { service: { from: line.date, to: line.date } } : {},
      references: line.lineControlNumber ? { lineControlNumber: line.lineControlNumber } : {},
      amounts: {},
      sources: {},
    })),
    sources: {},
    envelope: { interchangeControl: '000000001', groupControl: '1', setControl: '0001', version: '005010X222A1' },
  });
}

export interface ServiceSpec {
  code: string;
  qualifier?: string;
  modifiers?: string[];
  charge: number;
  paid: number;
  adjustments?: [group: string, reason: string, amount: number][];
  date?: string;
  lineControlNumber?: string;
  allowed?: number;
  units?: number;
  remarks?: string[];
  originalCode?: string;
}

/** A service payment (2110). */
export function serviceOf(spec: ServiceSpec): ServicePayment {
  return {
    procedure: { qualifier: spec.qualifier ?? 'HC', code: spec.code, modifiers: spec.modifiers ?? [] },
    charge: spec.charge,
    paid: spec.paid,
    ...(spec.units !== undefined ? { unitsPaid: spec.units } : {}),
    ...(spec.originalCode !== undefined ? { originalProcedure: { qualifier: 'HC', code: spec.originalCode, modifiers: [] } } : {}),
    ...(spec.date ? { serviceDates: { from: spec.date, to: spec.date } } : {}),
    dates: spec.date ? [{ qualifier: '472', date: spec.date }] : [],
    adjustments: adjustmentsOf(spec.adjustments ?? []),
    references: [],
    ...(spec.lineControlNumber ? { lineControlNumber: spec.lineControlNumber } : {}),
    amounts: spec.allowed !== undefined ? [{ qualifier: 'B6', amount: spec.allowed }] : [],
    ...(spec.allowed !== undefined ? { allowedAmount: spec.allowed } : {}),
    quantities: [],
    remarks: (spec.remarks ?? []).map((code) => ({ qualifier: 'HE', code })),
    sources: {},
  };
}

function adjustmentsOf(list: [string, string, number][]): Adjustment[] {
  return list.map(([group, reason, amount]) => ({ group, reason, amount }));
}

/** A claim payment (2100); CLP03/CLP04 default to the sums of the lines. */
export function paymentOf(spec: {
  pcn: string;
  status?: string;
  lines?: ServiceSpec[];
  totalCharge?: number;
  paid?: number;
  adjustments?: [string, string, number][];
  payerClaimControlNumber?: string;
  patient?: { lastName?: string; memberId?: string };
  statementPeriod?: { from: string; to: string };
  claimRemarks?: string[];
}): ClaimPayment {
  const lines = (spec.lines ?? []).map(serviceOf);
  return ClaimPaymentSchema.parse({
    patientControlNumber: spec.pcn,
    statusCode: spec.status ?? '1',
    totalCharge: spec.totalCharge ?? lines.reduce((sum, line) => sum + line.charge, 0),
    paid: spec.paid ?? lines.reduce((sum, line) => sum + line.paid, 0),
    ...(spec.payerClaimControlNumber ? { payerClaimControlNumber: spec.payerClaimControlNumber } : {}),
    adjustments: adjustmentsOf(spec.adjustments ?? []),
    ...(spec.patient
      ? {
          patient: {
            entity: 'QC',
            entityType: '1',
            ...(spec.patient.lastName ? { lastOrOrganizationName: spec.patient.lastName } : {}),
            ...(spec.patient.memberId ? { idQualifier: 'MI', id: spec.patient.memberId } : {}),
          },
        }
      : {}),
    ...(spec.claimRemarks ? { outpatient: { remarkCodes: spec.claimRemarks } } : {}),
    ...(spec.statementPeriod ? { statementPeriod: spec.statementPeriod } : {}),
    references: [],
    dates: [],
    contacts: [],
    amounts: [],
    quantities: [],
    serviceLines: lines,
    sources: {},
  });
}

const ZERO_TOTALS: PostingTotals = { chargeCents: 0, paidCents: 0, patientResponsibilityCents: 0, contractualCents: 0, deniedCents: 0, informationalCents: 0, allowedCents: 0 };

/** A posting with only what adjudication and matching read. */
export function postingOf(spec: {
  postingId: string;
  claimId?: string;
  postedAt?: string;
  reversal?: boolean;
  payerClaimControlNumber?: string;
  totals?: Partial<PostingTotals>;
  remittanceId?: string;
}): Posting {
  return PostingSchema.parse({
    postingId: spec.postingId,
    tenant: 'demo-billing',
    claimId: spec.claimId ?? 'claim-1',
    remittanceId: spec.remittanceId ?? 'remit-1',
    claimPaymentPosition: 1,
    postedAt: spec.postedAt ?? '2026-11-13T10:00:00.000Z',
    claimStatusCode: spec.reversal ? '22' : '1',
    reversal: spec.reversal ?? false,
    matchedBy: 'patient-control-number',
    ...(spec.payerClaimControlNumber ? { payerClaimControlNumber: spec.payerClaimControlNumber } : {}),
    totals: { ...ZERO_TOTALS, ...spec.totals },
    adjustments: [],
    lines: [],
    remarks: [],
  });
}
