/**
 * Matching an 835 claim payment (loop 2100) to the claim it pays, and its service payments (2110) to
 * the claim's lines (DESIGN.md, "Remittances in"; X12-NOTES.md, "835 essentials").
 *
 * Claims: CLP01 = CLM01 within the tenant. A payer may return only the first 20 characters of CLM01
 * (5010 allows 38), and a patient control number can repeat when a claim is resubmitted, so every
 * candidate is confirmed on the charges (CLP03 = CLM02), the dates (the payment's statement period or
 * service dates overlap the claim's) and the patient (NM1*QC/74/IL name or member id) — evidence the
 * 835 does not carry is not held against a candidate. Of the confirmed candidates the best is: an exact
 * CLM01 before a 20-character prefix, then an open claim (nothing posted, or every payment reversed)
 * before one already adjudicated, then the latest received.
 *
 * Reversals (CLP02 = 22) are matched by what they reverse: the claim holding a standing payment with
 * the same payer claim control number (CLP07).
 *
 * Lines: by REF*6R (the 837's line item control number), else by procedure (the submitted procedure,
 * SVC06, when the payer changed it; modifiers the payer dropped are tolerated), the charge, date and
 * position breaking ties, else by position when the charge agrees.
 *
 * Pure functions: the caller passes each candidate with its postings (those of other remittances and
 * those this remittance made so far), so the same inputs always give the same decision.
 */
import type { Claim, ServiceLine } from '../../schemas/claim.schema.ts';
import type { DateRange } from '../../schemas/common.schema.ts';
import type { Posting } from '../../schemas/posting.schema.ts';
import type { ClaimPayment, RemitParty, ServicePayment } from '../../schemas/remittance.schema.ts';
import { isOpen, isReversal, standingPaymentsWith } from './post.ts';
import type { ClaimPaymentMatch, ServiceLineMatch } from './ports.ts';

/** Characters of CLM01 some payers keep and return in CLP01 (the 4010 length of the element). */
export const PAYER_PATIENT_CONTROL_NUMBER_LENGTH = 20;

/** How CLP01 names a CLM01: the whole of it, or its first 20 characters. */
export type PatientControlNumberMatch = 'exact' | 'prefix';

/**
 * How `clp01` names `clm01`, case and surrounding spaces ignored: `exact`, `prefix` (CLP01 is exactly
 * 20 characters and CLM01 is longer and begins with them), or undefined.
 *
 * @example
 * patientControlNumberMatch('PCN-2026-0000000001', 'pcn-2026-0000000001'); // 'exact'
 * patientControlNumberMatch('ABCDEFGHIJKLMNOPQRST', 'ABCDEFGHIJKLMNOPQRSTUV'); // 'prefix'
 */
export function patientControlNumberMatch(clp01: string, clm01: string): PatientControlNumberMatch | undefined {
  const paid = clp01.trim().toUpperCase();
  const billed = clm01.trim().toUpperCase();
  if (paid === '' || billed === '') return undefined;
  if (paid === billed) return 'exact';
  if (paid.length === PAYER_PATIENT_CONTROL_NUMBER_LENGTH && billed.length > paid.length && billed.startsWith(paid)) return 'prefix';
  return undefined;
}

/** A claim the payment may be for, with its postings (other remittances' and this one's so far). */
export interface MatchCandidate {
  claimId: string;
  /** ISO time the claim's file was first received: the later, the more recent the (re)submission. */
  receivedAt: string;
  claim: Claim;
  postings: readonly Posting[];
}

/** What the 835 says about one piece of evidence: it agrees, it disagrees, or it says nothing. */
export type Evidence = 'agree' | 'differ' | 'absent';

/** The evidence on one candidate. */
export interface Confirmation {
  charges: Exclude<Evidence, 'absent'>;
  dates: Evidence;
  patient: Evidence;
  /** Nothing the 835 says disagrees with the claim. */
  confirmed: boolean;
}

/**
 * Weigh a claim payment against a claim: charges (|CLP03| = CLM02; a reversal's are negated), dates
 * (overlap) and patient (a member id or the last name agrees).
 */
export function confirmationOf(payment: ClaimPayment, claim: Claim): Confirmation {
  const charges = Math.abs(payment.totalCharge) === claim.totalCharge ? 'agree' : 'differ';
  const paymentDates = paymentDatesOf(payment);
  const claimDates = claimServiceDatesOf(claim);
  const dates: Evidence = paymentDates === undefined || claimDates === undefined ? 'absent' : overlaps(paymentDates, claimDates) ? 'agree' : 'differ';
  const patient = patientEvidence(payment, claim);
  return { charges, dates, patient, confirmed: charges === 'agree' && dates !== 'differ' && patient !== 'differ' };
}

/**
 * The claim a claim payment pays, or why none. `candidates` are the tenant's claims whose CLM01 begins
 * like CLP01 (the store's narrowing); their identity is checked here.
 *
 * @example
 * const match = matchClaimPayment(payment, await lookupCandidates(payment));
 * if (match.kind === 'matched') post(match.claimId);
 */
export function matchClaimPayment(payment: ClaimPayment, candidates: readonly MatchCandidate[]): ClaimPaymentMatch {
  const named = candidates
    .map((candidate) => ({ candidate, identity: patientControlNumberMatch(payment.patientControlNumber, candidate.claim.patientControlNumber) }))
    .filter((entry): entry is { candidate: MatchCandidate; identity: PatientControlNumberMatch } => entry.identity !== undefined);
  if (isReversal(payment)) return matchReversal(payment, named);
  if (named.length === 0) return { kind: 'unmatched', reason: 'no-claim', candidates: 0 };

  const ranked = named
    .filter(({ candidate }) => confirmationOf(payment, candidate.claim).confirmed)
    .map((entry) => ({ ...entry, open: isOpen(entry.candidate.postings) }))
    .sort((a, b) => compareBy(a.identity === 'exact', b.identity === 'exact') || compareBy(a.open, b.open) || compareLatest(a.candidate, b.candidate));
  const best = ranked[0];
  if (!best) return { kind: 'unmatched', reason: 'not-confirmed', candidates: named.length };
  return {
    kind: 'matched',
    claimId: best.candidate.claimId,
    matchedBy: best.identity === 'exact' ? 'patient-control-number' : 'patient-control-number-prefix',
    lines: matchServiceLines(payment, best.candidate.claim),
  };
}

/** A reversal: the claim with a standing payment under CLP07 (exact CLM01 first, then the latest). */
function matchReversal(payment: ClaimPayment, named: readonly { candidate: MatchCandidate; identity: PatientControlNumberMatch }[]): ClaimPaymentMatch {
  const controlNumber = payment.payerClaimControlNumber?.trim();
  if (!controlNumber) return { kind: 'unmatched', reason: 'reversal-without-control-number', candidates: named.length };
  const holding = named
    .map((entry) => ({ ...entry, reversed: standingPaymentsWith(entry.candidate.postings, controlNumber).at(-1) }))
    .filter((entry) => entry.reversed !== undefined)
    .sort((a, b) => compareBy(a.identity === 'exact', b.identity === 'exact') || compareLatest(a.candidate, b.candidate));
  const best = holding[0];
  if (!best?.reversed) return { kind: 'unmatched', reason: 'reversal-without-posting', candidates: named.length };
  return {
    kind: 'matched',
    claimId: best.candidate.claimId,
    matchedBy: best.identity === 'exact' ? 'patient-control-number' : 'patient-control-number-prefix',
    lines: matchServiceLines(payment, best.candidate.claim),
    reversesPostingId: best.reversed.postingId,
  };
}

/** `true` sorts first. */
function compareBy(a: boolean, b: boolean): number {
  return a === b ? 0 : a ? -1 : 1;
}

/** The latest received first; the later position in its file breaks a tie (ids are position-ordered). */
function compareLatest(a: Pick<MatchCandidate, 'receivedAt' | 'claimId'>, b: Pick<MatchCandidate, 'receivedAt' | 'claimId'>): number {
  if (a.receivedAt !== b.receivedAt) return a.receivedAt > b.receivedAt ? -1 : 1;
  return a.claimId > b.claimId ? -1 : a.claimId < b.claimId ? 1 : 0;
}

// ── Lines ───────────────────────────────────────────────────────────────────────────────────────────

/** SVC01-1 qualifier of a line identified by its NUBC revenue code (institutional lines without HCPCS). */
const REVENUE_CODE_QUALIFIER = 'NU';

/** Points a procedure-matched candidate line earns, so the best of several same-code lines wins. */
const LINE_SCORE = { sameModifiers: 4, sameCharge: 2, sameDate: 1 } as const;

/**
 * Match each service payment to a line of the claim, each line used at most once: REF*6R first (for
 * every service payment), then the procedure, then the position.
 *
 * @example
 * matchServiceLines(payment, claim); // [{ line: 1, matchedBy: 'control-number' }, { line: 3, matchedBy: 'procedure' }]
 */
export function matchServiceLines(payment: ClaimPayment, claim: Claim): ServiceLineMatch[] {
  const matches: (ServiceLineMatch | undefined)[] = payment.serviceLines.map(() => undefined);
  const taken = new Set<number>();
  const take = (index: number, lineIndex: number, matchedBy: ServiceLineMatch['matchedBy']): void => {
    taken.add(lineIndex);
    matches[index] = { line: lineIndex + 1, matchedBy };
  };

  // 1. REF*6R: the provider's own line item control number, echoed by the payer.
  payment.serviceLines.forEach((service, index) => {
    const controlNumber = normalized(service.lineControlNumber);
    if (controlNumber === '') return;
    const lineIndex = claim.lines.findIndex((line, i) => !taken.has(i) && normalized(line.references.lineControlNumber) === controlNumber);
    if (lineIndex >= 0) take(index, lineIndex, 'control-number');
  });

  // 2. The procedure as submitted, modifiers the payer dropped tolerated; the best-scoring line wins.
  payment.serviceLines.forEach((service, index) => {
    if (matches[index]) return;
    let best: { lineIndex: number; score: number } | undefined;
    claim.lines.forEach((line, lineIndex) => {
      if (taken.has(lineIndex) || !sameProcedure(service, line)) return;
      const score = procedureScore(service, line);
      if (score === undefined) return;
      if (!best || score > best.score) best = { lineIndex, score };
    });
    if (best) take(index, best.lineIndex, 'procedure');
  });

  // 3. The same position, when the charge agrees (a payer that recoded without SVC06).
  payment.serviceLines.forEach((service, index) => {
    if (matches[index]) return;
    const line = claim.lines[index];
    if (line && !taken.has(index) && Math.abs(service.charge) === line.charge) take(index, index, 'position');
  });

  return matches.map((match) => match ?? { matchedBy: 'unmatched' });
}

/** The procedure as the provider billed it: SVC06 when the payer adjudicated another one. */
function submittedProcedureOf(service: ServicePayment): ServicePayment['procedure'] {
  return service.originalProcedure ?? service.procedure;
}

function sameProcedure(service: ServicePayment, line: ServiceLine): boolean {
  const procedure = submittedProcedureOf(service);
  const code = normalized(procedure.code);
  if (procedure.qualifier.trim().toUpperCase() === REVENUE_CODE_QUALIFIER) return code !== '' && code === normalized(line.revenueCode);
  return code !== '' && code === normalized(line.procedure?.code);
}

/**
 * The score of a line with the same procedure, or undefined when the payment carries a modifier the
 * line does not (a payer may drop a billed modifier, not invent one).
 */
function procedureScore(service: ServicePayment, line: ServiceLine): number | undefined {
  const paidModifiers = submittedProcedureOf(service).modifiers.map(normalized).filter((m) => m !== '');
  const billedModifiers = new Set((line.procedure?.modifiers ?? []).map(normalized).filter((m) => m !== ''));
  if (!paidModifiers.every((modifier) => billedModifiers.has(modifier))) return undefined;
  let score = 0;
  if (paidModifiers.length === billedModifiers.size) score += LINE_SCORE.sameModifiers;
  if (Math.abs(service.charge) === line.charge) score += LINE_SCORE.sameCharge;
  const paidDates = service.serviceDates;
  const billedDates = line.dates.service;
  if (paidDates && billedDates && overlaps(paidDates, billedDates)) score += LINE_SCORE.sameDate;
  return score;
}

// ── Evidence ────────────────────────────────────────────────────────────────────────────────────────

/** The payment's dates: its statement period (DTM 232/233), else the span of its lines' dates. */
export function paymentDatesOf(payment: ClaimPayment): DateRange | undefined {
  if (payment.statementPeriod) return payment.statementPeriod;
  return spanOf(payment.serviceLines.map((line) => line.serviceDates));
}

/** The claim's service period: its lines' dates of service, else the claim-level dates. */
export function claimServiceDatesOf(claim: Claim): DateRange | undefined {
  const lines = spanOf(claim.lines.map((line) => line.dates.service));
  if (lines) return lines;
  const claimLevel = claim.dates.statement ?? claim.dates.service ?? claim.dates.admission;
  return claimLevel ? { from: claimLevel.from, to: claimLevel.to } : undefined;
}

/** The earliest date of service of a claim (timely filing counts from it). */
export function earliestServiceDateOf(claim: Claim): string | undefined {
  return claimServiceDatesOf(claim)?.from;
}

function spanOf(ranges: readonly (DateRange | undefined)[]): DateRange | undefined {
  let from: string | undefined;
  let to: string | undefined;
  for (const range of ranges) {
    if (!range) continue;
    if (from === undefined || range.from < from) from = range.from;
    if (to === undefined || range.to > to) to = range.to;
  }
  return from !== undefined && to !== undefined ? { from, to } : undefined;
}

function overlaps(a: DateRange, b: DateRange): boolean {
  return a.from <= b.to && b.from <= a.to;
}

/**
 * The patient: agrees when a member id (NM1*QC or NM1*IL NM109) equals the claim's subscriber or
 * patient member id, or a last name (NM1*QC, or the corrected NM1*74) equals the claim patient's;
 * differs when the 835 names someone and nothing agrees; absent when it names no one.
 */
function patientEvidence(payment: ClaimPayment, claim: Claim): Evidence {
  const parties = [payment.patient, payment.correctedPatient, payment.insured].filter((party): party is RemitParty => party !== undefined);
  const ids = new Set([claim.subscriber.memberId, claim.patient.memberId].map(normalized).filter((id) => id !== ''));
  const lastName = normalized(claim.patient.lastOrOrganizationName);
  let named = false;
  for (const party of parties) {
    const id = normalized(party.id);
    const name = normalized(party.lastOrOrganizationName);
    // The insured (IL) identifies the subscriber, not the patient: only its member id is evidence.
    const nameCounts = party.entity.trim().toUpperCase() !== 'IL' && name !== '';
    if (id !== '' || nameCounts) named = true;
    if (id !== '' && ids.has(id)) return 'agree';
    if (nameCounts && lastName !== '' && name === lastName) return 'agree';
  }
  return named ? 'differ' : 'absent';
}

function normalized(value: string | undefined): string {
  return (value ?? '').trim().toUpperCase();
}

/** Two decisions are the same (field by field: stored copies do not keep the key order). */
export function sameMatch(a: ClaimPaymentMatch, b: ClaimPaymentMatch): boolean {
  if (a.kind === 'unmatched' || b.kind === 'unmatched') {
    return a.kind === b.kind && a.kind === 'unmatched' && b.kind === 'unmatched' && a.reason === b.reason && a.candidates === b.candidates;
  }
  return (
    a.claimId === b.claimId &&
    a.matchedBy === b.matchedBy &&
    a.reversesPostingId === b.reversesPostingId &&
    a.lines.length === b.lines.length &&
    a.lines.every((line, index) => line.line === b.lines[index]!.line && line.matchedBy === b.lines[index]!.matchedBy)
  );
}
