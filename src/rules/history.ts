/**
 * The claim-history port: what the frequency-limit and duplicate-claim rules need to know about a
 * patient's other claims. {@link InMemoryClaimHistory} serves offline use (`claimpath check --rules`,
 * built from the file's own claims) and tests; a store-backed adapter answers the same questions from
 * the claims table.
 *
 * A patient is known by a {@link patientKey}: a hash of the payer id, the subscriber's member id and the
 * patient's name and birth date, so that history can be indexed and compared without holding or
 * logging any of them.
 *
 * History is "what was received before this claim": each question names the claim being scrubbed
 * (`before`), and only claims received earlier count — in a batch, the second of two identical claims
 * is the duplicate, not both.
 */
import { createHash } from 'node:crypto';
import type { Claim, ServiceLine } from '../../schemas/claim.schema.ts';
import type { Cents, IsoDate } from '../../schemas/common.schema.ts';

/** One service line billed on an earlier claim. */
export interface HistoricService {
  /** The claim it was billed on (see {@link claimPositionKey}). */
  claimId: string;
  /** Procedure code (SV101-2 / SV202-2 / SV301-2), upper case. */
  code: string;
  modifiers: readonly string[];
  /** The line's (first) date of service. */
  date: IsoDate;
  units: number;
  charge: Cents;
  /** The line's rendering NPI, else the claim's rendering NPI, else the billing provider's. */
  providerNpi?: string;
}

/** An earlier claim of the same patient, as the duplicate-claim rule compares it. */
export interface HistoricClaim {
  claimId: string;
  /** CLM05-3: 1 original, 7 replacement, 8 void. */
  frequency?: string;
  billingNpi?: string;
  totalCharge: Cents;
  serviceFrom?: IsoDate;
  serviceTo?: IsoDate;
  services: readonly HistoricService[];
}

/** The port. Answers may come from a table: they are promises. */
export interface ClaimHistory {
  /**
   * The services with procedure `code` billed for the patient with dates of service in `from`..`to`
   * (both included), on claims received before the claim `before` (every claim when it is not known),
   * voided claims excluded.
   */
  servicesFor(patientKey: string, code: string, from: IsoDate, to: IsoDate, before?: string): Promise<readonly HistoricService[]>;
  /**
   * The patient's claims received before the claim `before` whose service period overlaps `claim`'s
   * (voided claims excluded): the candidates for a duplicate.
   */
  claimsLike(claim: Claim, patientKey: string, before?: string): Promise<readonly HistoricClaim[]>;
}

/**
 * The patient's key: SHA-256 over the payer id, the subscriber's member id, and the patient's last
 * name, first name and birth date (trimmed, upper case), as 32 hex characters. It identifies the
 * patient within one payer without revealing who it is; never log the inputs.
 */
export function patientKey(claim: Claim): string {
  const parts = [
    claim.payer.id,
    claim.subscriber.memberId,
    claim.patient.lastOrOrganizationName,
    claim.patient.firstName,
    claim.patient.birthDate,
  ].map((part) => (part ?? '').trim().toUpperCase());
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

/**
 * A claim's id when nothing better is known: its transaction set (interchange, group and set control
 * numbers) and the ordinal of its CLM segment there, which no other claim of the set shares. Stores use
 * their own ids (file hash and position) and pass them to `scrub` in its context.
 */
export function claimPositionKey(claim: Claim): string {
  const { interchangeControl, groupControl, setControl } = claim.envelope;
  const clm = claim.sources.patientControlNumber;
  return `${interchangeControl}/${groupControl}/${setControl}/${clm ? clm.ordinal : claim.patientControlNumber}`;
}

/** The NPI that rendered a line: the line's rendering provider, the claim's, else the billing provider. */
export function renderingNpiOf(claim: Claim, line: ServiceLine): string | undefined {
  return (
    line.providers?.find((p) => p.role === 'rendering')?.npi ??
    claim.providers.find((p) => p.role === 'rendering')?.npi ??
    claim.billingProvider.npi
  );
}

/** A line's (first) date of service: its own DTP*472, else the claim's service or statement dates. */
export function lineServiceDate(claim: Claim, line: ServiceLine): IsoDate | undefined {
  return line.dates.service?.from ?? claim.dates.service?.from ?? claim.dates.statement?.from;
}

interface HistoryEntry {
  sequence: number;
  claim: HistoricClaim;
}

/**
 * Claim history held in memory, in the order claims were added (their order of receipt).
 *
 * @example
 * const history = InMemoryClaimHistory.of(claims); // the file's own claims, in file order
 * const findings = await scrub(compiled, claims[1], codeSets, history);
 */
export class InMemoryClaimHistory implements ClaimHistory {
  private readonly byPatient = new Map<string, HistoryEntry[]>();
  private readonly sequenceOf = new Map<string, number>();
  private nextSequence = 0;

  /** A history of `claims`, received in this order, each under its {@link claimPositionKey}. */
  static of(claims: Iterable<Claim>): InMemoryClaimHistory {
    const history = new InMemoryClaimHistory();
    for (const claim of claims) history.add(claim);
    return history;
  }

  /** Record a claim as received after every claim added before it. Adding the same id again is a no-op. */
  add(claim: Claim, claimId: string = claimPositionKey(claim)): void {
    if (this.sequenceOf.has(claimId)) return;
    const sequence = this.nextSequence++;
    this.sequenceOf.set(claimId, sequence);
    const services: HistoricService[] = [];
    for (const line of claim.lines) {
      const date = lineServiceDate(claim, line);
      if (!line.procedure || date === undefined) continue;
      services.push({
        claimId,
        code: line.procedure.code.toUpperCase(),
        modifiers: line.procedure.modifiers ?? [],
        date,
        units: line.units ?? 1,
        charge: line.charge,
        providerNpi: renderingNpiOf(claim, line),
      });
    }
    const dates = services.map((s) => s.date).sort();
    const historic: HistoricClaim = {
      claimId,
      frequency: claim.frequency,
      billingNpi: claim.billingProvider.npi,
      totalCharge: claim.totalCharge,
      serviceFrom: dates[0],
      serviceTo: dates[dates.length - 1],
      services,
    };
    const key = patientKey(claim);
    const entries = this.byPatient.get(key);
    if (entries) entries.push({ sequence, claim: historic });
    else this.byPatient.set(key, [{ sequence, claim: historic }]);
  }

  /** How many claims are held. */
  get size(): number {
    return this.sequenceOf.size;
  }

  async servicesFor(key: string, code: string, from: IsoDate, to: IsoDate, before?: string): Promise<readonly HistoricService[]> {
    const wanted = code.toUpperCase();
    const found: HistoricService[] = [];
    for (const entry of this.earlierClaims(key, before)) {
      for (const service of entry.claim.services) {
        if (service.code === wanted && from <= service.date && service.date <= to) found.push(service);
      }
    }
    return found;
  }

  async claimsLike(claim: Claim, key: string, before?: string): Promise<readonly HistoricClaim[]> {
    const dates = claim.lines.map((line) => lineServiceDate(claim, line)).filter((d): d is IsoDate => d !== undefined).sort();
    const from = dates[0];
    const to = dates[dates.length - 1];
    const found: HistoricClaim[] = [];
    for (const entry of this.earlierClaims(key, before)) {
      const other = entry.claim;
      const overlaps =
        from === undefined || other.serviceFrom === undefined || other.serviceTo === undefined || (other.serviceFrom <= to! && from <= other.serviceTo);
      if (overlaps) found.push(other);
    }
    return found;
  }

  /** The patient's claims received before `before` (all when unknown), voided claims excluded. */
  private *earlierClaims(key: string, before: string | undefined): Iterable<HistoryEntry> {
    const entries = this.byPatient.get(key);
    if (!entries) return;
    const limit = before === undefined ? undefined : this.sequenceOf.get(before);
    for (const entry of entries) {
      if (limit !== undefined && entry.sequence >= limit) break;
      if (entry.claim.frequency === '8') continue;
      yield entry;
    }
  }
}
