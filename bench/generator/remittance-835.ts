/**
 * Remittances for the 835 fixtures (005010X221A1): professional claims built as for the 837P, then
 * adjudicated into a mix of paid lines (CO-45 contractual, PR-1/2/3 patient responsibility), denied
 * lines (CO-16 with an LQ*HE remark, CO-197, CO-50 …), whole-claim denials (CLP02 = 4, CO-31) and
 * provider-level adjustments (PLB), always balanced:
 *
 *   line:        SVC03 = SVC02 − Σ CAS (line)
 *   claim:       CLP04 = CLP03 − Σ CAS (claim and its lines)
 *   transaction: BPR02 = Σ CLP04 − Σ PLB04…
 *
 * Structure written per transaction set: ST, BPR, TRN, DTM*405, 1000A (N1*PR, N3, N4, PER*BL),
 * 1000B (N1*PE, N3, N4, REF*TJ), 2000 (LX) headers each followed by 2100 claim payments (CLP, CAS,
 * NM1*QC, NM1*IL, DTM*050) and their 2110 lines (SVC, DTM*472, CAS, REF*6R, AMT*B6, LQ*HE), PLB, SE.
 */
import { LINE_DENIALS, PAYERS, PROVIDER_ADJUSTMENTS, type PayerChoice } from './code-values.ts';
import { buildProfessionalClaim, type ClaimLine } from './claims-837.ts';
import type { FixtureContext, Organization, Person } from './fixture-context.ts';
import { SegmentList, composite } from './segment-list.ts';
import type { TransactionSetBuilder } from './transaction-set.ts';
import { formatAmount, formatDate } from './x12-format.ts';

type AdjustmentGroup = 'CO' | 'PR' | 'OA';

interface Adjustment {
  group: AdjustmentGroup;
  reason: string;
  cents: number;
}

interface AdjudicatedLine {
  line: ClaimLine;
  paidCents: number;
  /** AMT*B6, absent on denied lines. */
  allowedCents?: number;
  adjustments: Adjustment[];
  remark?: string;
}

/** One CAS segment per group, up to six reason/amount triplets each (more go into another CAS). */
function writeAdjustments(segments: SegmentList, adjustments: readonly Adjustment[]): void {
  for (const group of ['CO', 'PR', 'OA'] as const) {
    const ofGroup = adjustments.filter((a) => a.group === group && a.cents !== 0);
    for (let i = 0; i < ofGroup.length; i += 6) {
      const elements: string[] = [group];
      ofGroup.slice(i, i + 6).forEach((a, k) => {
        // The quantity (CAS04/07/…) is left empty between triplets.
        if (k > 0) elements.push('');
        elements.push(a.reason, formatAmount(a.cents));
      });
      segments.add('CAS', ...elements);
    }
  }
}

function sumCents(adjustments: readonly Adjustment[], group?: AdjustmentGroup): number {
  let sum = 0;
  for (const a of adjustments) if (group === undefined || a.group === group) sum += a.cents;
  return sum;
}

/** Writes one 835: one payer's payment to one payee for many claims. */
export class Remittance835SetBuilder implements TransactionSetBuilder {
  private readonly body: SegmentList;
  private readonly payer: PayerChoice;
  private readonly payee: Organization;
  private paidTotalCents = 0;
  private claimCount = 0;
  private headerNumber = 0;
  private claimsBeforeNextHeader = 0;
  private readonly payerClaimNumbers: string[] = [];

  constructor(
    private readonly context: FixtureContext,
    private readonly control: string,
    segmentEnd: string,
  ) {
    this.body = new SegmentList(segmentEnd);
    this.payer = context.random.weighted(PAYERS);
    this.payee = context.random.pick(context.professionalProviders);
  }

  get claims(): number {
    return this.claimCount;
  }

  get bodyBytes(): number {
    return this.body.length;
  }

  addUnit(): void {
    const r = this.context.random;
    if (this.claimsBeforeNextHeader <= 0) {
      this.body.add('LX', String(++this.headerNumber));
      this.claimsBeforeNextHeader = r.int(50, 400);
    }
    this.claimsBeforeNextHeader--;
    this.claimCount++;
    this.writeClaimPayment();
  }

  finish(segmentEnd: string): { text: string; segments: number } {
    const c = this.context;
    const r = c.random;
    const trailer = new SegmentList(segmentEnd);
    const providerAdjustments = this.providerAdjustments();
    if (providerAdjustments.length > 0) {
      trailer.add(
        'PLB',
        this.payee.npi,
        formatDate(c.createdDay + 183),
        ...providerAdjustments.flatMap((a) => [composite(a.reason, a.reference), formatAmount(a.cents)]),
      );
    }
    const paymentCents = this.paidTotalCents - providerAdjustments.reduce((sum, a) => sum + a.cents, 0);
    const payerEin = this.payer.companyId;
    const production = formatDate(c.createdDay);
    const header = new SegmentList(segmentEnd);
    header.add('ST', '835', this.control);
    if (paymentCents > 0) {
      header.add('BPR', 'C', formatAmount(paymentCents), 'C', 'ACH', 'CCP', '01', '999999992', 'DA', '000123456', payerEin, '', '01', '999999989', 'DA', '000654321', production);
    } else {
      // Nothing to pay: a notification only, no funds moved (BPR04 NON).
      header.add('BPR', 'H', '0', 'C', 'NON', '', '', '', '', '', '', '', '', '', '', '', production);
    }
    header.add('TRN', '1', `EFT${this.control}${r.digits(6)}`, payerEin);
    header.add('DTM', '405', production);
    header.add('N1', 'PR', this.payer.name);
    header.add('N3', '1 TESTPAYER PLAZA');
    header.add('N4', 'SAMPLETOWN', 'OH', '00002');
    header.add('PER', 'BL', 'TESTPAYER EDI SUPPORT', 'TE', '5555550199');
    header.add('N1', 'PE', this.payee.name, 'XX', this.payee.npi);
    header.add('N3', this.payee.address.line);
    header.add('N4', this.payee.address.city, this.payee.address.state, this.payee.address.zip);
    header.add('REF', 'TJ', this.payee.taxId);
    header.append(this.body);
    header.append(trailer);
    const segments = header.count + 1;
    header.add('SE', String(segments), this.control);
    return { text: header.toString(), segments };
  }

  /**
   * PLB in about a third of the sets: an overpayment recovery (WO) or forwarding balance (FB) that
   * lowers the payment, and interest (L6, negative) that raises it. BPR02 stays positive.
   */
  private providerAdjustments(): { reason: string; reference: string; cents: number }[] {
    const r = this.context.random;
    if (this.paidTotalCents < 1_000 || !r.chance(0.35)) return [];
    const out: { reason: string; reference: string; cents: number }[] = [];
    const count = r.int(1, 2);
    let recovered = 0;
    for (let i = 0; i < count; i++) {
      const choice = r.weighted(PROVIDER_ADJUSTMENTS);
      const reference = r.pick(this.payerClaimNumbers);
      if (choice.sign > 0) {
        const cents = Math.max(1, Math.min(r.int(500, 25_000), Math.floor((this.paidTotalCents - recovered) / 4)));
        recovered += cents;
        out.push({ reason: choice.reason, reference, cents });
      } else {
        out.push({ reason: choice.reason, reference, cents: -r.int(1, 2_500) });
      }
    }
    return out;
  }

  private writeClaimPayment(): void {
    const c = this.context;
    const r = c.random;
    const claim = buildProfessionalClaim(c);
    const patient = c.person(r.chance(0.8));
    const subscriber: Person | undefined = r.chance(0.2) ? c.person(true) : undefined;
    const payerClaimNumber = 'TPCLM' + r.digits(10);
    this.payerClaimNumbers.push(payerClaimNumber);
    const b = this.body;
    const lastDay = claim.lines.reduce((max, line) => Math.max(max, line.serviceDay), 0);
    const receivedDay = Math.min(lastDay + r.int(2, 10), c.createdDay - 1);

    if (r.chance(0.04)) {
      // Whole-claim denial: the patient is not identified as the payer's insured (CO-31); no lines.
      b.add('CLP', claim.patientControlNumber, '4', formatAmount(claim.totalCents), '0', '', this.payer.remitFiling, payerClaimNumber, claim.placeOfService, claim.frequency);
      writeAdjustments(b, [{ group: 'CO', reason: '31', cents: claim.totalCents }]);
      this.writePatient(patient, subscriber);
      b.add('DTM', '050', formatDate(receivedDay));
      return;
    }

    const lines = claim.lines.map((line) => this.adjudicateLine(line));
    const linesPaid = lines.reduce((sum, l) => sum + l.paidCents, 0);
    const claimAdjustments: Adjustment[] = [];
    if (linesPaid > 2_000 && r.chance(0.08)) {
      // A deductible taken at claim level rather than on a line.
      claimAdjustments.push({ group: 'PR', reason: '1', cents: r.int(1_000, Math.min(linesPaid, 50_000)) });
    }
    const paidCents = linesPaid - sumCents(claimAdjustments);
    const patientCents = sumCents(claimAdjustments, 'PR') + lines.reduce((sum, l) => sum + sumCents(l.adjustments, 'PR'), 0);
    this.paidTotalCents += paidCents;

    b.add(
      'CLP',
      claim.patientControlNumber,
      '1',
      formatAmount(claim.totalCents),
      formatAmount(paidCents),
      patientCents > 0 ? formatAmount(patientCents) : '',
      this.payer.remitFiling,
      payerClaimNumber,
      claim.placeOfService,
      claim.frequency,
    );
    writeAdjustments(b, claimAdjustments);
    this.writePatient(patient, subscriber);
    b.add('DTM', '050', formatDate(receivedDay));
    for (const adjudicated of lines) {
      const line = adjudicated.line;
      b.add(
        'SVC',
        composite('HC', line.procedure, ...line.modifiers),
        formatAmount(line.chargeCents),
        formatAmount(adjudicated.paidCents),
        '',
        // SVC05 is sent only when the units paid are not one.
        line.units === 1 ? '' : String(line.units),
      );
      b.add('DTM', '472', formatDate(line.serviceDay));
      writeAdjustments(b, adjudicated.adjustments);
      b.add('REF', '6R', line.lineControl);
      if (adjudicated.allowedCents !== undefined) b.add('AMT', 'B6', formatAmount(adjudicated.allowedCents));
      if (adjudicated.remark) b.add('LQ', 'HE', adjudicated.remark);
    }
  }

  private writePatient(patient: Person, subscriber: Person | undefined): void {
    const b = this.body;
    if (subscriber === undefined) {
      b.add('NM1', 'QC', '1', patient.last, patient.first, patient.middle, '', '', 'MI', patient.memberId);
    } else {
      // A dependent patient: the member id is the subscriber's, sent in NM1*IL.
      b.add('NM1', 'QC', '1', patient.last, patient.first, patient.middle);
      b.add('NM1', 'IL', '1', subscriber.last, subscriber.first, subscriber.middle, '', '', 'MI', subscriber.memberId);
    }
  }

  private adjudicateLine(line: ClaimLine): AdjudicatedLine {
    const r = this.context.random;
    if (r.chance(0.1)) {
      const denial = r.weighted(LINE_DENIALS);
      return {
        line,
        paidCents: 0,
        adjustments: [{ group: denial.group, reason: denial.reason, cents: line.chargeCents }],
        remark: denial.remark,
      };
    }
    const allowedCents = Math.round(line.chargeCents * (0.55 + r.next() * 0.35));
    const adjustments: Adjustment[] = [];
    if (line.chargeCents > allowedCents) adjustments.push({ group: 'CO', reason: '45', cents: line.chargeCents - allowedCents });
    const share = r.next();
    let patientCents = 0;
    if (share < 0.25) {
      patientCents = Math.min(allowedCents, r.pick([1_000, 2_000, 2_500, 4_000]));
      adjustments.push({ group: 'PR', reason: '3', cents: patientCents });
    } else if (share < 0.5) {
      patientCents = Math.round(allowedCents * 0.2);
      adjustments.push({ group: 'PR', reason: '2', cents: patientCents });
    } else if (share < 0.6) {
      patientCents = r.chance(0.5) ? allowedCents : Math.round(allowedCents * r.next());
      adjustments.push({ group: 'PR', reason: '1', cents: patientCents });
      // A deductible that leaves some of the allowed amount may still carry coinsurance.
      const rest = allowedCents - patientCents;
      if (rest > 0 && r.chance(0.5)) {
        const coinsurance = Math.round(rest * 0.2);
        adjustments.push({ group: 'PR', reason: '2', cents: coinsurance });
        patientCents += coinsurance;
      }
    }
    return { line, paidCents: allowedCents - patientCents, allowedCents, adjustments };
  }
}
