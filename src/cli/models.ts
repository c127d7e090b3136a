/**
 * Reading a file's canonical model for the CLI (`check --show`, `convert`), and showing it to people.
 *
 * What the text shows is what a coder needs to recognise a claim and its problems — patient control
 * number, type, dates, codes, amounts, provider NPIs and the payer id — and never a person's name,
 * member id, birth date or address. The full model (PHI included) is printed only as JSON, and only
 * when asked for (`--json --show …` or `convert`), for the user's own pipeline.
 */
import { createReadStream } from 'node:fs';
import type { Claim } from '../../schemas/claim.schema.ts';
import type { EnvelopeRef } from '../../schemas/common.schema.ts';
import type { Finding } from '../../schemas/finding.schema.ts';
import type { ClaimPayment, RemittanceSummary } from '../../schemas/remittance.schema.ts';
import type { Acknowledgment } from '../../schemas/acknowledgment.schema.ts';
import { read837 } from '../claims/read-837.ts';
import { read835 } from '../remits/read-835.ts';
import { read277CA } from '../x12/read-277ca.ts';
import { read999 } from '../x12/read-999.ts';
import type { ValidationReport } from '../x12/report.ts';
import type { X12Source } from '../x12/tokenizer.ts';

/** Read files in large chunks: fewer, bigger writes into the tokenizer. */
export const READ_CHUNK_BYTES = 1 << 20;

export interface ClaimWithFindings {
  claim: Claim;
  findings: Finding[];
}

export interface PaymentWithFindings {
  claimPayment: ClaimPayment;
  findings: Finding[];
  /** The envelope of the transaction set it was read in (to put it under its remittance). */
  envelope: EnvelopeRef;
}

/** Everything read from one file: the models by kind, and findings tied to no single claim. */
export interface FileModels {
  claims: ClaimWithFindings[];
  claimPayments: PaymentWithFindings[];
  remittances: { remittance: RemittanceSummary; findings: Finding[] }[];
  acknowledgments: Acknowledgment[];
  findings: Finding[];
}

/** Where a file's bytes come from; each reader opens its own pass (standard input is read once, kept). */
export type Reopen = () => X12Source;

export function reopenFile(path: string): Reopen {
  return () => createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
}

/** Read standard input whole so it can be read more than once (X12 batches fit in memory here). */
export async function bufferAll(source: AsyncIterable<Uint8Array | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/**
 * The models of every kind the report says the file holds: each reader makes its own streaming pass
 * (the engine validates again as it reads, so each pass is complete on its own).
 */
export async function readModels(report: ValidationReport, open: Reopen, leadingText: 'skip' | 'reject'): Promise<FileModels> {
  const guides = new Set<string>();
  for (const x of report.interchanges) for (const g of x.groups) for (const s of g.sets) if (s.guide) guides.add(s.guide);
  const models: FileModels = { claims: [], claimPayments: [], remittances: [], acknowledgments: [], findings: [] };
  if (guides.has('837P') || guides.has('837I') || guides.has('837D')) {
    const reader = read837(open(), { leadingText });
    for (;;) {
      const next = await reader.next();
      if (next.done) {
        models.findings.push(...next.value.findings);
        break;
      }
      models.claims.push(next.value);
    }
  }
  if (guides.has('835')) {
    const reader = read835(open(), { leadingText });
    for (;;) {
      const next = await reader.next();
      if (next.done) break;
      const event = next.value;
      if (event.kind === 'claimPayment') models.claimPayments.push({ claimPayment: event.claimPayment, findings: event.findings, envelope: event.header.envelope });
      else if (event.kind === 'remittance') models.remittances.push({ remittance: event.remittance, findings: event.findings });
      else models.findings.push(...event.findings);
    }
  }
  if (guides.has('999')) {
    const read = await read999(open(), { leadingText });
    models.acknowledgments.push(...read.acknowledgments);
    models.findings.push(...read.findings);
  }
  if (guides.has('277CA')) {
    const read = await read277CA(open(), { leadingText });
    models.acknowledgments.push(...read.acknowledgments);
    models.findings.push(...read.findings);
  }
  return models;
}

/** Cents as dollars with two decimals, for people (`-$12.50`). */
function money(cents: number | undefined): string {
  if (cents === undefined) return '-';
  const digits = String(Math.abs(cents)).padStart(3, '0');
  return `${cents < 0 ? '-' : ''}$${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** The claim's service period: its own dates, else the span of its lines' dates. */
function servicePeriod(claim: Claim): { from: string; to: string } | undefined {
  const own = claim.dates.service ?? claim.dates.statement;
  if (own) return own;
  const dates = claim.lines.flatMap((l) => (l.dates.service ? [l.dates.service.from, l.dates.service.to] : [])).sort();
  return dates.length > 0 ? { from: dates[0]!, to: dates[dates.length - 1]! } : undefined;
}

function period(range: { from: string; to: string } | undefined): string {
  if (!range) return '-';
  return range.from === range.to ? range.from : `${range.from}..${range.to}`;
}

/** One finding, for people: severity, code, where, message (messages never hold values). */
export function formatFinding(f: Finding): string {
  const where = f.location ? ` at ${f.location.segment}${f.location.element ? `${String(f.location.element).padStart(2, '0')}` : ''} #${f.location.ordinal} (loop ${f.location.loop})` : '';
  const line = f.line !== undefined ? ` line ${f.line}` : '';
  const amounts = f.amounts ? ` [expected ${money(f.amounts.expected)}, found ${money(f.amounts.actual)}]` : '';
  return `${f.severity.toUpperCase()} ${f.code}${line}${where}: ${f.message}${amounts}`;
}

/** A claim, for people: no names, member ids, birth dates or addresses. */
export function formatClaim(c: ClaimWithFindings): string {
  const { claim } = c;
  const out: string[] = [];
  const where = claim.placeOfService ? `place of service ${claim.placeOfService}` : claim.typeOfBill ? `type of bill ${claim.typeOfBill}` : claim.facilityType ? `facility ${claim.facilityType}` : '';
  out.push(`claim ${claim.patientControlNumber} (837${claim.type}${claim.frequency ? `, frequency ${claim.frequency}` : ''}${where ? `, ${where}` : ''}): total ${money(claim.totalCharge)}`);
  out.push(`  billing NPI ${claim.billingProvider.npi ?? '-'} · payer ${claim.payer.id ?? '-'} · service ${period(servicePeriod(claim))}`);
  if (claim.diagnoses.length > 0) out.push(`  diagnoses: ${claim.diagnoses.map((d, i) => `${i + 1}:${d.qualifier}:${d.code}`).join(' ')}`);
  for (const line of claim.lines) {
    const proc = line.procedure ? `${line.procedure.qualifier}:${line.procedure.code}${line.procedure.modifiers?.length ? `-${line.procedure.modifiers.join('-')}` : ''}` : '';
    const rev = line.revenueCode ? `rev ${line.revenueCode} ` : '';
    const pointers = line.diagnosisPointers?.length ? ` dx ${line.diagnosisPointers.join(',')}` : '';
    out.push(`  line ${line.lineNumber}: ${rev}${proc} × ${line.units ?? '-'} ${money(line.charge)} on ${period(line.dates.service)}${pointers}`);
  }
  for (const f of c.findings) out.push(`  ${formatFinding(f)}`);
  return out.join('\n');
}

/** A claim payment, for people: no names or member ids. */
export function formatClaimPayment(p: PaymentWithFindings): string {
  const { claimPayment: cp } = p;
  const out: string[] = [];
  out.push(`claim payment ${cp.patientControlNumber} (status ${cp.statusCode}, payer claim ${cp.payerClaimControlNumber ?? '-'}): charged ${money(cp.totalCharge)}, paid ${money(cp.paid)}, patient ${money(cp.patientResponsibility)}`);
  const adjustments = (list: { group: string; reason: string; amount: number }[]): string => list.map((a) => `${a.group}-${a.reason} ${money(a.amount)}`).join(', ');
  if (cp.adjustments.length > 0) out.push(`  adjustments: ${adjustments(cp.adjustments)}`);
  for (const line of cp.serviceLines) {
    const proc = `${line.procedure.qualifier}:${line.procedure.code}${line.procedure.modifiers?.length ? `-${line.procedure.modifiers.join('-')}` : ''}`;
    out.push(`  line ${proc}: charged ${money(line.charge)}, paid ${money(line.paid)}${line.adjustments.length ? ` (${adjustments(line.adjustments)})` : ''}`);
  }
  for (const f of p.findings) out.push(`  ${formatFinding(f)}`);
  return out.join('\n');
}

/** The models of a file as a JSON-ready object (the full model: PHI included). */
export function modelsAsJson(models: FileModels): object {
  return {
    claims: models.claims.map((c) => ({ ...c.claim, findings: c.findings })),
    remittances: models.remittances.map((r) => ({
      ...r.remittance,
      findings: r.findings,
      claimPayments: models.claimPayments.filter((p) => sameSet(p.envelope, r.remittance.envelope)).map((p) => ({ ...p.claimPayment, findings: p.findings })),
    })),
    acknowledgments: models.acknowledgments,
    findings: models.findings,
  };
}

/** Whether two envelopes name the same transaction set. */
function sameSet(a: EnvelopeRef, b: EnvelopeRef): boolean {
  return a.interchangeControl === b.interchangeControl && a.groupControl === b.groupControl && a.setControl === b.setControl;
}
