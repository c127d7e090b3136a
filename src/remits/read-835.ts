/**
 * The 835 reader (005010X221A1): streams a file through the X12 engine (tokenizer → envelope →
 * loop walker → element checks) and builds the canonical {@link ClaimPayment}s and
 * {@link RemittanceSummary} from the walked segments, balancing them as they complete (SNIP 3).
 *
 * Memory stays flat: a claim payment is handed on as soon as the next CLP, LX, PLB or SE closes it,
 * and a remittance keeps only its header, PLBs, totals and two running sums for the transaction
 * balance. The loop ids come from the walker (src/x12/maps/835.ts: `ST` header and PLB, `1000A`,
 * `1000B`, `2000`, `2100`, `2110`); a segment the walker could not place is read where the reader's
 * own state puts it, or dropped when nothing it could belong to is open (the validation report
 * already says why).
 *
 * Bad values never stop the reading: an amount that is not a number, a date that is not a date, a
 * service line with no claim payment become findings with their position, and the checks that would
 * use the bad value are skipped (the finding already says what is wrong).
 *
 * @example
 * for await (const event of read835(createReadStream('remit.835'))) {
 *   if (event.kind === 'claimPayment') post(event.claimPayment, event.header);
 *   else if (event.kind === 'remittance') store(event.remittance, event.findings);
 * }
 */
import type { EnvelopeRef, IsoDate } from '../../schemas/common.schema.ts';
import type { Finding } from '../../schemas/finding.schema.ts';
import type {
  Adjustment,
  ClaimPayment,
  Contact,
  HeaderNumber,
  InpatientAdjudication,
  OutpatientAdjudication,
  ProviderAdjustment,
  Reference,
  RemitParty,
  RemitProcedure,
  Remittance,
  RemittanceSummary,
  ServicePayment,
} from '../../schemas/remittance.schema.ts';
import { componentsOf, ElementView, feedX12, indexedPath, noteSource, optionalElement, sourceOf, ValueReader, type SegmentElements, type TransactionSetReader, unreadableSetFinding } from '../x12/read-kit.ts';
import type { TransactionSetReport, ValidationReport } from '../x12/report.ts';
import type { Segment } from '../x12/segment.ts';
import type { TokenizerOptions, X12Source } from '../x12/tokenizer.ts';
import type { WalkStep } from '../x12/walker.ts';
import { balanceClaimTotal, balanceServicePayment, TransactionBalance } from './balance-835.ts';

/** The part of a remittance every claim payment is read under: envelope, payment, payer, payee. */
export type RemittanceHeader = Pick<RemittanceSummary, 'envelope' | 'payment' | 'trace' | 'currency' | 'receiverId' | 'versionId' | 'productionDate' | 'payer' | 'payee'>;

/** A claim payment, complete, with the findings about it (its lines' and its own balancing, bad values). */
export interface ClaimPaymentEvent {
  kind: 'claimPayment';
  claimPayment: ClaimPayment;
  header: RemittanceHeader;
  findings: Finding[];
}

/**
 * The end of an 835 transaction set: the remittance without its claim payments (already handed on),
 * with the findings about the set itself (transaction balance, header and PLB values).
 */
export interface RemittanceEvent {
  kind: 'remittance';
  remittance: RemittanceSummary;
  findings: Finding[];
}

/** An 835 set the engine has no guide for (unknown version): nothing was read from it. */
export interface UnreadableSetEvent {
  kind: 'unreadable';
  set: TransactionSetReport;
  findings: Finding[];
}

export type Remittance835Event = ClaimPaymentEvent | RemittanceEvent | UnreadableSetEvent;

/** What {@link read835All} returns. */
export interface Read835Result {
  remittances: Remittance[];
  /** Every finding: claim payments', then each remittance's, in file order. */
  findings: Finding[];
  report: ValidationReport;
}

// ── Element tables (data, not branches) ─────────────────────────────────────────────────────────

type ValueKind = 'money' | 'quantity';
type NumericField<T> = { [K in keyof T]-?: NonNullable<T[K]> extends number ? K : never }[keyof T];

/** MIA elements (1-based) → field; MIA05 and MIA20–23 are remark codes. */
const MIA_FIELDS: readonly (readonly [number, NumericField<InpatientAdjudication>, ValueKind])[] = [
  [1, 'coveredDaysOrVisits', 'quantity'],
  [2, 'ppsOperatingOutlierAmount', 'money'],
  [3, 'lifetimePsychiatricDays', 'quantity'],
  [4, 'claimDrgAmount', 'money'],
  [6, 'claimDisproportionateShareAmount', 'money'],
  [7, 'claimMspPassThroughAmount', 'money'],
  [8, 'claimPpsCapitalAmount', 'money'],
  [9, 'ppsCapitalFspDrgAmount', 'money'],
  [10, 'ppsCapitalHspDrgAmount', 'money'],
  [11, 'ppsCapitalDshDrgAmount', 'money'],
  [12, 'oldCapitalAmount', 'money'],
  [13, 'ppsCapitalImeAmount', 'money'],
  [14, 'ppsOperatingHospitalSpecificDrgAmount', 'money'],
  [15, 'costReportDays', 'quantity'],
  [16, 'ppsOperatingFederalSpecificDrgAmount', 'money'],
  [17, 'claimPpsCapitalOutlierAmount', 'money'],
  [18, 'claimIndirectTeachingAmount', 'money'],
  [19, 'nonpayableProfessionalComponentAmount', 'money'],
  [24, 'ppsCapitalExceptionAmount', 'money'],
];
const MIA_REMARKS = [5, 20, 21, 22, 23];

const MOA_FIELDS: readonly (readonly [number, NumericField<OutpatientAdjudication>, ValueKind])[] = [
  [1, 'reimbursementRate', 'quantity'],
  [2, 'hcpcsPayableAmount', 'money'],
  [8, 'esrdPaymentAmount', 'money'],
  [9, 'nonpayableProfessionalComponentAmount', 'money'],
];
const MOA_REMARKS = [3, 4, 5, 6, 7];

/** TS3 elements after TS305 that 5010 uses (Medicare Part A), by the guide's names. */
const TS3_TOTALS: readonly (readonly [number, string, ValueKind])[] = [
  [13, 'totalMspPayerAmount', 'money'],
  [15, 'totalNonLabChargeAmount', 'money'],
  [17, 'totalHcpcsReportedChargeAmount', 'money'],
  [18, 'totalHcpcsPayableAmount', 'money'],
  [20, 'totalProfessionalComponentAmount', 'money'],
  [21, 'totalMspPatientLiabilityMetAmount', 'money'],
  [22, 'totalPatientReimbursementAmount', 'money'],
  [23, 'totalPipClaimCount', 'quantity'],
  [24, 'totalPipAdjustmentAmount', 'money'],
];

const TS2_TOTALS: readonly (readonly [number, string, ValueKind])[] = [
  [1, 'totalDrgAmount', 'money'],
  [2, 'totalFederalSpecificAmount', 'money'],
  [3, 'totalHospitalSpecificAmount', 'money'],
  [4, 'totalDisproportionateShareAmount', 'money'],
  [5, 'totalCapitalAmount', 'money'],
  [6, 'totalIndirectMedicalEducationAmount', 'money'],
  [7, 'totalOutlierDayCount', 'quantity'],
  [8, 'totalDayOutlierAmount', 'money'],
  [9, 'totalCostOutlierAmount', 'money'],
  [10, 'averageDrgLengthOfStay', 'quantity'],
  [11, 'totalDischargeCount', 'quantity'],
  [12, 'totalCostReportDayCount', 'quantity'],
  [13, 'totalCoveredDayCount', 'quantity'],
  [14, 'totalNoncoveredDayCount', 'quantity'],
  [15, 'totalMspPassThroughAmount', 'money'],
  [16, 'averageDrgWeight', 'quantity'],
  [17, 'totalPpsCapitalFspDrgAmount', 'money'],
  [18, 'totalPpsCapitalHspDrgAmount', 'money'],
  [19, 'totalPpsDshDrgAmount', 'money'],
];

/** Component separators seen in the wild where the interchange declares another (ISA16). */
const FOREIGN_COMPONENT_SEPARATORS = ['>', ':', '^', '|', '\\'];

// ── The reader ──────────────────────────────────────────────────────────────────────────────────

/** Reading state of one claim payment (2100) and its open line (2110). */
interface OpenClaim {
  claim: ClaimPayment;
  findings: Finding[];
  /** False once an amount it balances on could not be read. */
  amountsValid: boolean;
  line: ServicePayment | undefined;
  lineAmountsValid: boolean;
}

/** Reading state of one 835 transaction set. */
class OpenRemittance {
  readonly summary: RemittanceSummary;
  readonly findings: Finding[] = [];
  readonly balance = new TransactionBalance();
  /** False once BPR02, a CLP04 or a PLB amount could not be read. */
  totalsValid = true;
  sawPayment = false;
  /** N1 whose N3/N4/REF follow. */
  party: 'payer' | 'payee' | undefined;
  headerNumber: HeaderNumber | undefined;
  claim: OpenClaim | undefined;
  /** A service line arrived with no claim payment: its segments are dropped up to the next CLP. */
  orphan = false;
  private headerView: RemittanceHeader | undefined;

  constructor(envelope: EnvelopeRef) {
    this.summary = {
      envelope,
      payment: { handlingCode: '', totalPaid: 0, creditDebit: '', method: '' },
      payer: { name: '', references: [], contacts: [], sources: {} },
      payee: { name: '', references: [], sources: {} },
      headers: [],
      providerAdjustments: [],
      totals: { claimPayments: 0, serviceLines: 0, charged: 0, paid: 0, providerAdjustments: 0 },
      sources: {},
    };
  }

  /** The header, made once: claim payments come after 1000B, when it no longer changes. */
  header(): RemittanceHeader {
    if (!this.headerView) {
      const s = this.summary;
      const h: RemittanceHeader = { envelope: s.envelope, payment: s.payment, payer: s.payer, payee: s.payee };
      if (s.trace) h.trace = s.trace;
      if (s.currency !== undefined) h.currency = s.currency;
      if (s.receiverId !== undefined) h.receiverId = s.receiverId;
      if (s.versionId !== undefined) h.versionId = s.versionId;
      if (s.productionDate !== undefined) h.productionDate = s.productionDate;
      this.headerView = h;
    }
    return this.headerView;
  }
}

class Remittance835Reader implements TransactionSetReader {
  private queue: Remittance835Event[] = [];
  private open: OpenRemittance | undefined;
  /** Findings of values read right now; routed to the open claim payment or the set. */
  private readonly values = new ValueReader((finding) => this.route(finding));
  /** The segment being read (one view for the whole file). */
  private readonly view = new ElementView();
  /** Scratch list of a composite's components (see {@link ElementView.componentsInto}). */
  private readonly parts: string[] = [];

  // Amounts and dates are read from the view's bytes (no string nor result object per value, and a
  // remittance has several per line); a value that does not read goes through the value reader
  // again, which reports it.

  /** A required amount (see {@link ValueReader.amount}). */
  private amount(segment: ElementView, loop: string, n: number, claimRef?: string): number | undefined {
    return segment.cents(n) ?? this.values.amount(segment, loop, n, claimRef);
  }

  /** An optional amount (see {@link ValueReader.optionalAmount}). */
  private optionalAmount(segment: ElementView, loop: string, n: number, claimRef?: string): number | undefined {
    return segment.cents(n) ?? this.values.optionalAmount(segment, loop, n, claimRef);
  }

  /** An optional CCYYMMDD date (see {@link ValueReader.date}). */
  private date(segment: ElementView, loop: string, n: number, claimRef?: string): IsoDate | undefined {
    return segment.isoDate(n) ?? this.values.date(segment, loop, n, claimRef);
  }

  /** Events completed since the last call (handed over whole: no copy, and no array when there are none). */
  drain(): readonly Remittance835Event[] {
    const events = this.queue;
    if (events.length === 0) return NO_EVENTS;
    this.queue = [];
    return events;
  }

  segment(tokenized: Segment, step: WalkStep, set: TransactionSetReport, envelope: EnvelopeRef): void {
    if (set.transactionSet !== '835') return;
    if (tokenized.id === 'ST') {
      this.open = new OpenRemittance(envelope);
      return;
    }
    const r = this.open;
    if (!r) return;
    const loop = step.loopId;
    // Element boundaries found once; each element decoded once, when a handler reads it.
    const segment = this.view.reset(tokenized);
    // Cases in order of frequency (the table 2 segments of every claim payment and line first): a
    // string switch compares the cases in turn.
    switch (segment.id) {
      case 'CAS':
        return this.readAdjustment(r, segment, loop);
      case 'DTM':
        return this.readDate(r, segment, loop);
      case 'REF':
        return this.readReference(r, segment, loop);
      case 'SVC':
        return this.readServicePayment(r, segment, loop);
      case 'AMT':
      case 'QTY':
        return this.readAmountOrQuantity(r, segment, loop);
      case 'NM1':
        return this.readName(r, segment, loop);
      case 'CLP':
        return this.readClaimPayment(r, segment, loop);
      case 'LQ': {
        const line = this.lineFor(r, loop);
        if (line) line.remarks = appended(line.remarks, { qualifier: segment.element(1), code: segment.element(2) });
        return;
      }
      case 'MIA':
      case 'MOA':
        return this.readAdjudication(r, segment, loop);
      case 'LX':
        return this.readHeaderNumber(r, segment, loop);
      case 'TS3':
      case 'TS2':
        return this.readProviderSummary(r, segment, loop);
      case 'PER':
        return this.readContact(r, segment, loop);
      case 'PLB':
        return this.readProviderAdjustment(r, segment, loop);
      case 'BPR':
        return this.readPayment(r, segment, loop);
      case 'TRN':
        return this.readTrace(r, segment, loop);
      case 'CUR':
        r.summary.currency = segment.element(2);
        return;
      case 'N1':
        return this.readN1(r, segment, loop);
      case 'N3':
      case 'N4':
        return this.readAddress(r, segment);
      case 'RDM':
        return this.readDeliveryMethod(r, segment);
    }
  }

  setEnd(set: TransactionSetReport): void {
    if (set.transactionSet !== '835') return;
    const r = this.open;
    this.open = undefined;
    if (!r) {
      // ST never reached a reader: the engine has no map for this version.
      this.queue.push({ kind: 'unreadable', set, findings: [unreadableSetFinding(set, 'remittance')] });
      return;
    }
    this.closeClaim(r);
    if (r.sawPayment && r.totalsValid) {
      const finding = r.balance.check(r.summary);
      if (finding) r.findings.push(finding);
    }
    this.queue.push({ kind: 'remittance', remittance: r.summary, findings: r.findings });
  }

  // ── Table 1 ───────────────────────────────────────────────────────────────────────────────────

  private readPayment(r: OpenRemittance, segment: ElementView, loop: string): void {
    r.sawPayment = true;
    const totalPaid = this.amount(segment, loop, 2);
    if (totalPaid === undefined) r.totalsValid = false;
    const payment: RemittanceSummary['payment'] = {
      handlingCode: segment.element(1),
      totalPaid: totalPaid ?? 0,
      creditDebit: segment.element(3),
      method: segment.element(4),
      ...defined('format', optionalElement(segment, 5)),
      ...defined('sender', bankAccount(segment, 6)),
      ...defined('payerIdentifier', optionalElement(segment, 10)),
      ...defined('originatingCompanySupplementalCode', optionalElement(segment, 11)),
      ...defined('receiver', bankAccount(segment, 12)),
    };
    const paymentDate = this.date(segment, loop, 16);
    if (paymentDate) payment.paymentDate = paymentDate;
    r.summary.payment = payment;
    const sources = r.summary.sources;
    noteSource(sources, 'payment.handlingCode', segment, loop, 1);
    noteSource(sources, 'payment.totalPaid', segment, loop, 2);
    noteSource(sources, 'payment.method', segment, loop, 4);
    if (paymentDate) noteSource(sources, 'payment.paymentDate', segment, loop, 16);
  }

  private readTrace(r: OpenRemittance, segment: ElementView, loop: string): void {
    r.summary.trace = {
      traceType: segment.element(1),
      traceNumber: segment.element(2),
      ...defined('originatingCompanyId', optionalElement(segment, 3)),
      ...defined('originatingCompanySupplementalCode', optionalElement(segment, 4)),
    };
    noteSource(r.summary.sources, 'trace.traceNumber', segment, loop, 2);
  }

  private readDeliveryMethod(r: OpenRemittance, segment: ElementView): void {
    if (r.party !== 'payee') return;
    r.summary.payee.deliveryMethod = {
      code: segment.element(1),
      ...defined('name', optionalElement(segment, 2)),
      ...defined('communicationNumber', optionalElement(segment, 3)),
    };
  }

  private readN1(r: OpenRemittance, segment: ElementView, loop: string): void {
    const entity = segment.element(1);
    const name = segment.element(2);
    const idQualifier = optionalElement(segment, 3);
    const id = optionalElement(segment, 4);
    if (entity === 'PR') {
      r.party = 'payer';
      const payer = r.summary.payer;
      payer.name = name;
      if (idQualifier) payer.idQualifier = idQualifier;
      if (id) payer.id = id;
      noteSource(payer.sources, 'name', segment, loop, 2);
      if (id) noteSource(payer.sources, 'id', segment, loop, 4);
    } else if (entity === 'PE') {
      r.party = 'payee';
      const payee = r.summary.payee;
      payee.name = name;
      if (idQualifier) payee.idQualifier = idQualifier;
      if (id) {
        payee.id = id;
        if (idQualifier === 'XX') payee.npi = id;
        if (idQualifier === 'FI') payee.taxId = id;
        noteSource(payee.sources, 'id', segment, loop, 4);
      }
      noteSource(payee.sources, 'name', segment, loop, 2);
    } else {
      r.party = undefined;
    }
  }

  private readAddress(r: OpenRemittance, segment: ElementView): void {
    const party = r.party === 'payer' ? r.summary.payer : r.party === 'payee' ? r.summary.payee : undefined;
    if (!party) return;
    const address = (party.address ??= { lines: [] });
    if (segment.id === 'N3') {
      for (const n of [1, 2]) {
        const line = optionalElement(segment, n);
        if (line) address.lines.push(line);
      }
      return;
    }
    const fields = [
      [1, 'city'],
      [2, 'state'],
      [3, 'postalCode'],
      [4, 'country'],
      [7, 'countrySubdivision'],
    ] as const;
    for (const [n, field] of fields) {
      const value = optionalElement(segment, n);
      if (value) address[field] = value;
    }
  }

  private readReference(r: OpenRemittance, segment: ElementView, loop: string): void {
    const line = this.lineFor(r, loop);
    if (line && segment.element(1) === '6R') {
      // Every line has its REF*6R, which is kept as a field, not as a reference.
      line.lineControlNumber = segment.element(2);
      line.sources.lineControlNumber = sourceOf(segment, loop, 2);
      return;
    }
    const reference = referenceOf(segment);
    switch (loop) {
      case 'ST':
        if (reference.qualifier === 'EV') r.summary.receiverId = reference.value;
        else if (reference.qualifier === 'F2') r.summary.versionId = reference.value;
        return;
      case '1000A':
        r.summary.payer.references.push(reference);
        return;
      case '1000B': {
        const payee = r.summary.payee;
        payee.references.push(reference);
        if (reference.qualifier === 'TJ' && payee.taxId === undefined) payee.taxId = reference.value;
        return;
      }
    }
    if (line) {
      line.references = appended(line.references, reference);
      return;
    }
    const open = this.claimFor(r, loop);
    if (open) open.claim.references = appended(open.claim.references, reference);
  }

  private readContact(r: OpenRemittance, segment: ElementView, loop: string): void {
    const contact: Contact = { function: segment.element(1), numbers: [] };
    const name = optionalElement(segment, 2);
    if (name) contact.name = name;
    for (const n of [3, 5, 7]) {
      const qualifier = segment.element(n);
      const number = segment.element(n + 1);
      if (qualifier || number) contact.numbers.push({ qualifier, number });
    }
    if (loop === '1000A') r.summary.payer.contacts.push(contact);
    else this.claimFor(r, loop)?.claim.contacts.push(contact);
  }

  private readDate(r: OpenRemittance, segment: ElementView, loop: string): void {
    const qualifier = segment.element(1);
    if (loop === 'ST') {
      if (qualifier === '405') {
        const date = this.date(segment, loop, 2);
        if (date) r.summary.productionDate = date;
      }
      return;
    }
    const line = this.lineFor(r, loop);
    const open = line ? undefined : this.claimFor(r, loop);
    if (!line && !open) return;
    const date = this.date(segment, loop, 2, r.claim?.claim.patientControlNumber);
    if (!date) return;
    if (line) {
      line.dates = appended(line.dates, { qualifier, date });
      // 472 is the date of service; 150/151 the start and end of a period.
      if (qualifier === '472') line.serviceDates = { from: date, to: date };
      else if (qualifier === '150') line.serviceDates = { from: date, to: line.serviceDates?.to ?? date };
      else if (qualifier === '151') line.serviceDates = { from: line.serviceDates?.from ?? date, to: date };
      else return;
      line.sources.serviceDates = sourceOf(segment, loop, 2);
      return;
    }
    const claim = open!.claim;
    claim.dates = appended(claim.dates, { qualifier, date });
    if (qualifier === '232') claim.statementPeriod = { from: date, to: claim.statementPeriod?.to ?? date };
    else if (qualifier === '233') claim.statementPeriod = { from: claim.statementPeriod?.from ?? date, to: date };
    else if (qualifier === '036') claim.coverageExpirationDate = date;
    else if (qualifier === '050') claim.receivedDate = date;
    if (qualifier === '232' || qualifier === '233') claim.sources.statementPeriod = sourceOf(segment, loop, 2);
    else if (qualifier === '050') claim.sources.receivedDate = sourceOf(segment, loop, 2);
  }

  // ── Table 2 ───────────────────────────────────────────────────────────────────────────────────

  private readHeaderNumber(r: OpenRemittance, segment: ElementView, loop: string): void {
    this.closeClaim(r);
    r.orphan = false;
    const number = this.values.quantity(segment, loop, 1);
    r.headerNumber = { number: number === undefined ? 0 : Math.trunc(number) };
    r.summary.headers.push(r.headerNumber);
  }

  private readProviderSummary(r: OpenRemittance, segment: ElementView, loop: string): void {
    const header = r.headerNumber;
    if (!header) return;
    if (segment.id === 'TS2') {
      header.supplementalSummary = { totals: this.readTotals(segment, loop, TS2_TOTALS) };
      return;
    }
    header.providerSummary = {
      providerId: segment.element(1),
      facilityType: segment.element(2),
      ...defined('fiscalPeriodDate', this.date(segment, loop, 3)),
      ...defined('claimCount', this.values.quantity(segment, loop, 4)),
      ...defined('totalCharge', this.optionalAmount(segment, loop, 5)),
      totals: this.readTotals(segment, loop, TS3_TOTALS),
    };
  }

  private readTotals(segment: ElementView, loop: string, table: readonly (readonly [number, string, ValueKind])[]): Record<string, number> {
    const totals: Record<string, number> = {};
    for (const [n, field, kind] of table) {
      const value = kind === 'money' ? this.optionalAmount(segment, loop, n) : this.values.quantity(segment, loop, n);
      if (value !== undefined) totals[field] = value;
    }
    return totals;
  }

  private readClaimPayment(r: OpenRemittance, segment: ElementView, loop: string): void {
    this.closeClaim(r);
    r.orphan = false;
    const patientControlNumber = segment.element(1);
    const claim: ClaimPayment = {
      patientControlNumber,
      statusCode: segment.element(2),
      totalCharge: 0,
      paid: 0,
      adjustments: [],
      references: [],
      dates: [],
      contacts: [],
      amounts: [],
      quantities: [],
      serviceLines: [],
      // CLP01–04 are always read: their pointers are made with the claim, in one literal.
      sources: {
        patientControlNumber: sourceOf(segment, loop, 1),
        statusCode: sourceOf(segment, loop, 2),
        totalCharge: sourceOf(segment, loop, 3),
        paid: sourceOf(segment, loop, 4),
      },
    };
    const open: OpenClaim = { claim, findings: [], amountsValid: true, line: undefined, lineAmountsValid: true };
    r.claim = open;
    if (r.headerNumber) claim.headerNumber = r.headerNumber.number;
    const charge = this.amount(segment, loop, 3, patientControlNumber);
    const paid = this.amount(segment, loop, 4, patientControlNumber);
    if (charge === undefined || paid === undefined) open.amountsValid = false;
    if (paid === undefined) r.totalsValid = false;
    claim.totalCharge = charge ?? 0;
    claim.paid = paid ?? 0;
    const patientResponsibility = this.optionalAmount(segment, loop, 5, patientControlNumber);
    if (patientResponsibility !== undefined) claim.patientResponsibility = patientResponsibility;
    const filingIndicator = segment.element(6);
    if (filingIndicator) claim.filingIndicator = filingIndicator;
    const payerClaimControlNumber = segment.element(7);
    if (payerClaimControlNumber) claim.payerClaimControlNumber = payerClaimControlNumber;
    const facilityType = segment.element(8);
    if (facilityType) claim.facilityType = facilityType;
    const frequency = segment.element(9);
    if (frequency) claim.frequency = frequency;
    if (segment.elementCount > 10) {
      // CLP11–13 (DRG) are institutional only.
      const drg = segment.element(11);
      if (drg) claim.drg = drg;
      const drgWeight = this.values.quantity(segment, loop, 12, patientControlNumber);
      if (drgWeight !== undefined) claim.drgWeight = drgWeight;
      const dischargeFraction = this.values.quantity(segment, loop, 13, patientControlNumber);
      if (dischargeFraction !== undefined) claim.dischargeFraction = dischargeFraction;
    }
    const sources = claim.sources;
    if (claim.patientResponsibility !== undefined) sources.patientResponsibility = sourceOf(segment, loop, 5);
    if (claim.payerClaimControlNumber !== undefined) sources.payerClaimControlNumber = sourceOf(segment, loop, 7);
  }

  private readAdjustment(r: OpenRemittance, segment: ElementView, loop: string): void {
    const line = this.lineFor(r, loop);
    const open = r.claim;
    if (!line && !this.claimFor(r, loop)) {
      if (!r.orphan) this.orphan(r, segment, loop, 'An adjustment (CAS) has no claim payment (CLP) or service line (SVC) to belong to; it was not read.');
      return;
    }
    const claimRef = open?.claim.patientControlNumber;
    const target = line ?? open!.claim;
    const group = segment.element(1);
    let valid = true;
    for (let reason = 2; reason <= 17; reason += 3) {
      const code = segment.element(reason);
      if (code === '' && segment.element(reason + 1) === '') continue;
      const amount = this.amount(segment, loop, reason + 1, claimRef);
      if (amount === undefined) valid = false;
      const adjustment: Adjustment = { group, reason: code, amount: amount ?? 0 };
      const quantity = this.values.quantity(segment, loop, reason + 2, claimRef);
      if (quantity !== undefined) adjustment.quantity = quantity;
      target.sources[adjustmentPath(target.adjustments.length)] = sourceOf(segment, loop, reason + 1);
      target.adjustments = appended(target.adjustments, adjustment);
    }
    if (!valid && open) {
      open.amountsValid = false;
      if (line) open.lineAmountsValid = false;
    }
  }

  private readName(r: OpenRemittance, segment: ElementView, loop: string): void {
    const open = this.claimFor(r, loop);
    if (!open) return;
    // NM101 → the claim payment's field, stored by name (a store by computed key is a slow, generic one).
    const claim = open.claim;
    switch (segment.element(1)) {
      case 'QC':
        claim.patient = partyOf(segment);
        return;
      case 'IL':
        claim.insured = partyOf(segment);
        return;
      case '74':
        claim.correctedPatient = partyOf(segment);
        return;
      case '82':
        claim.serviceProvider = partyOf(segment);
        return;
      case 'TT':
        claim.crossoverCarrier = partyOf(segment);
        return;
      case 'PR':
        claim.correctedPriorityPayer = partyOf(segment);
        return;
      case 'GB':
        claim.otherSubscriber = partyOf(segment);
        return;
    }
  }

  private readAdjudication(r: OpenRemittance, segment: ElementView, loop: string): void {
    const open = this.claimFor(r, loop);
    if (!open) return;
    const claimRef = open.claim.patientControlNumber;
    const read = (n: number, kind: ValueKind): number | undefined =>
      kind === 'money' ? this.optionalAmount(segment, loop, n, claimRef) : this.values.quantity(segment, loop, n, claimRef);
    if (segment.id === 'MIA') {
      const mia: InpatientAdjudication = { remarkCodes: remarks(segment, MIA_REMARKS) };
      for (const [n, field, kind] of MIA_FIELDS) {
        const value = read(n, kind);
        if (value !== undefined) mia[field] = value;
      }
      open.claim.inpatient = mia;
    } else {
      const moa: OutpatientAdjudication = { remarkCodes: remarks(segment, MOA_REMARKS) };
      for (const [n, field, kind] of MOA_FIELDS) {
        const value = read(n, kind);
        if (value !== undefined) moa[field] = value;
      }
      open.claim.outpatient = moa;
    }
  }

  private readAmountOrQuantity(r: OpenRemittance, segment: ElementView, loop: string): void {
    const line = this.lineFor(r, loop);
    const claim = line ? undefined : this.claimFor(r, loop)?.claim;
    if (!line && !claim) return;
    const claimRef = r.claim?.claim.patientControlNumber;
    const qualifier = segment.element(1);
    if (segment.id === 'QTY') {
      const quantity = this.values.quantity(segment, loop, 2, claimRef);
      if (quantity === undefined) return;
      if (line) line.quantities = appended(line.quantities, { qualifier, quantity });
      else claim!.quantities = appended(claim!.quantities, { qualifier, quantity });
      return;
    }
    const amount = this.amount(segment, loop, 2, claimRef);
    if (amount === undefined) return;
    if (line) {
      line.amounts = appended(line.amounts, { qualifier, amount });
      if (qualifier === 'B6') {
        line.allowedAmount = amount;
        line.sources.allowedAmount = sourceOf(segment, loop, 2);
      }
    } else {
      claim!.amounts = appended(claim!.amounts, { qualifier, amount });
    }
  }

  private readServicePayment(r: OpenRemittance, segment: ElementView, loop: string): void {
    const open = r.claim;
    if (!open || r.orphan) {
      if (!r.orphan) this.orphan(r, segment, loop, 'A service payment (SVC) has no claim payment (CLP) to belong to; it and its segments were not read.');
      r.orphan = true;
      return;
    }
    this.closeLine(open);
    const claimRef = open.claim.patientControlNumber;
    const charge = this.amount(segment, loop, 2, claimRef);
    const paid = this.amount(segment, loop, 3, claimRef);
    open.lineAmountsValid = charge !== undefined && paid !== undefined;
    if (!open.lineAmountsValid) open.amountsValid = false;
    const line: ServicePayment = {
      procedure: this.procedureOf(segment, loop, 1, claimRef),
      charge: charge ?? 0,
      paid: paid ?? 0,
      dates: [],
      adjustments: [],
      references: [],
      amounts: [],
      quantities: [],
      remarks: [],
      // SVC01–03 are always read: their pointers are made with the line, in one literal.
      sources: { procedure: sourceOf(segment, loop, 1), charge: sourceOf(segment, loop, 2), paid: sourceOf(segment, loop, 3) },
    };
    const revenueCode = segment.element(4);
    if (revenueCode) line.revenueCode = revenueCode;
    const unitsPaid = this.values.quantity(segment, loop, 5, claimRef);
    if (unitsPaid !== undefined) line.unitsPaid = unitsPaid;
    if (segment.elementCount > 5) {
      // SVC06/07: only when the payer changed the procedure or the units.
      if (segment.element(6) !== '') line.originalProcedure = this.procedureOf(segment, loop, 6, claimRef);
      const originalUnits = this.values.quantity(segment, loop, 7, claimRef);
      if (originalUnits !== undefined) line.originalUnits = originalUnits;
    }
    if (line.revenueCode !== undefined) line.sources.revenueCode = sourceOf(segment, loop, 4);
    if (line.unitsPaid !== undefined) line.sources.unitsPaid = sourceOf(segment, loop, 5);
    open.line = line;
    open.claim.serviceLines = appended(open.claim.serviceLines, line);
  }

  /**
   * SVC01/SVC06 (C003). Some payers write the composite with another separator than the ISA16 of
   * their interchange (`HC>99213` under `:`): the procedure is then split on that character, with a
   * warning, so that matching still works; the validation report has the element error.
   */
  private procedureOf(segment: ElementView, loop: string, element: number, claimRef: string): RemitProcedure {
    // Only parts[0 … count - 1] are this composite's (the scratch list is shared by every call).
    let parts = this.parts;
    let count = segment.componentsInto(element, parts);
    if (count === 1 && parts[0]) {
      const text = parts[0];
      const foreign = FOREIGN_COMPONENT_SEPARATORS.find((c) => text.includes(c));
      if (foreign !== undefined) {
        parts = text.split(foreign);
        count = parts.length;
        this.route({
          origin: 'reader',
          code: 'READ_FOREIGN_COMPONENT_SEPARATOR',
          severity: 'warn',
          message: `${segment.id}${element < 10 ? '0' : ''}${element} is a composite written with a component separator other than the interchange's (ISA16); it was read with the one it uses.`,
          location: sourceOf(segment, loop, element),
          claimRef,
        });
      }
    }
    // Modifiers C003-03…06, the empty ones left out (built as a list of their size, see appended).
    let modifiers: string[] = [];
    for (let i = 2; i < 6 && i < count; i++) if (parts[i] !== '') modifiers = appended(modifiers, parts[i]!);
    const procedure: RemitProcedure = { qualifier: count > 0 ? parts[0]! : '', code: count > 1 ? parts[1]! : '', modifiers };
    if (count > 6 && parts[6]) procedure.description = parts[6];
    return procedure;
  }

  // ── Table 3 ───────────────────────────────────────────────────────────────────────────────────

  private readProviderAdjustment(r: OpenRemittance, segment: ElementView, loop: string): void {
    this.closeClaim(r);
    r.orphan = false;
    const plb: ProviderAdjustment = { providerId: segment.element(1), adjustments: [], sources: {} };
    const fiscalPeriodDate = this.date(segment, loop, 2);
    if (fiscalPeriodDate) plb.fiscalPeriodDate = fiscalPeriodDate;
    noteSource(plb.sources, 'providerId', segment, loop, 1);
    for (let n = 3; n <= 13; n += 2) {
      if (segment.element(n) === '' && segment.element(n + 1) === '') continue;
      const amount = this.amount(segment, loop, n + 1);
      if (amount === undefined) r.totalsValid = false;
      const composite = componentsOf(segment, n);
      const item: ProviderAdjustment['adjustments'][number] = { reason: composite[0] ?? '', amount: amount ?? 0 };
      const reference = composite[1] ?? '';
      if (reference) item.reference = reference;
      noteSource(plb.sources, indexedPath('adjustments.', plb.adjustments.length), segment, loop, n + 1);
      plb.adjustments.push(item);
    }
    r.summary.providerAdjustments.push(plb);
    r.balance.addProviderAdjustment(plb);
    for (const a of plb.adjustments) r.summary.totals.providerAdjustments += a.amount;
  }

  // ── Closing, routing ──────────────────────────────────────────────────────────────────────────

  /** The open line, when the segment belongs in 2110 (by the walker, or by position when misplaced). */
  private lineFor(r: OpenRemittance, loop: string): ServicePayment | undefined {
    if (r.orphan) return undefined;
    const line = r.claim?.line;
    return line && (loop === '2110' || !KNOWN_LOOPS.has(loop)) ? line : undefined;
  }

  /** The open claim payment, when the segment belongs in 2100 or below. */
  private claimFor(r: OpenRemittance, loop: string): OpenClaim | undefined {
    if (r.orphan) return undefined;
    return loop === '2100' || loop === '2110' || !KNOWN_LOOPS.has(loop) ? r.claim : undefined;
  }

  private closeLine(open: OpenClaim): void {
    const line = open.line;
    if (!line) return;
    open.line = undefined;
    if (open.lineAmountsValid) {
      const finding = balanceServicePayment(line, open.claim.patientControlNumber, open.claim.serviceLines.length);
      if (finding) open.findings.push(finding);
    }
    open.lineAmountsValid = true;
  }

  private closeClaim(r: OpenRemittance): void {
    const open = r.claim;
    if (!open) return;
    this.closeLine(open);
    r.claim = undefined;
    const claim = open.claim;
    if (open.amountsValid) {
      const finding = balanceClaimTotal(claim);
      if (finding) open.findings.push(finding);
    }
    r.balance.addClaimPayment(claim);
    const totals = r.summary.totals;
    totals.claimPayments++;
    totals.serviceLines += claim.serviceLines.length;
    totals.charged += claim.totalCharge;
    totals.paid += claim.paid;
    this.queue.push({ kind: 'claimPayment', claimPayment: claim, header: r.header(), findings: open.findings });
  }

  private orphan(r: OpenRemittance, segment: ElementView, loop: string, message: string): void {
    r.findings.push({ origin: 'reader', code: 'READ_ORPHAN_SEGMENT', severity: 'reject', message, location: sourceOf(segment, loop) });
  }

  /** A finding goes with the claim payment being read, else with the set. */
  private route(finding: Finding): void {
    const r = this.open;
    if (!r) return;
    if (r.claim && finding.claimRef !== undefined) r.claim.findings.push(finding);
    else r.findings.push(finding);
  }
}

const NO_EVENTS: readonly Remittance835Event[] = Object.freeze([]);

/** `adjustments.<index>` (the shared strings of {@link indexedPath}), the first few at hand: a CAS is read for every line. */
const ADJUSTMENT_PATHS = Array.from({ length: 12 }, (_, index) => indexedPath('adjustments.', index));
function adjustmentPath(index: number): string {
  return index < ADJUSTMENT_PATHS.length ? ADJUSTMENT_PATHS[index]! : indexedPath('adjustments.', index);
}

/** Loop ids of the 835 map; any other id is the walker's "could not place it" answer. */
const KNOWN_LOOPS = new Set(['ST', '1000A', '1000B', '2000', '2100', '2110']);

// ── Small readers ───────────────────────────────────────────────────────────────────────────────

/**
 * `list` with `item` at its end, for the lists of a claim payment and its lines. They hold one or two
 * items each, but the first `push` onto an empty array makes room for 17 (about 130 bytes more than
 * needed, for each of several lists per line): the first three are built as literals of their size,
 * longer lists grow as usual.
 */
function appended<T>(list: T[], item: T): T[] {
  switch (list.length) {
    case 0:
      return [item];
    case 1:
      return [list[0]!, item];
    case 2:
      return [list[0]!, list[1]!, item];
    default:
      list.push(item);
      return list;
  }
}

function referenceOf(segment: SegmentElements): Reference {
  const reference: Reference = { qualifier: segment.element(1), value: segment.element(2) };
  const description = optionalElement(segment, 3);
  if (description) reference.description = description;
  return reference;
}

/** NM1 → party. Each field is stored by name (a loop over a table of field names would store by computed key, a slow, generic store, for every name of every claim payment). */
function partyOf(segment: SegmentElements): RemitParty {
  const party: RemitParty = { entity: segment.element(1) };
  const entityType = segment.element(2);
  if (entityType) party.entityType = entityType;
  const lastOrOrganizationName = segment.element(3);
  if (lastOrOrganizationName) party.lastOrOrganizationName = lastOrOrganizationName;
  const firstName = segment.element(4);
  if (firstName) party.firstName = firstName;
  const middleName = segment.element(5);
  if (middleName) party.middleName = middleName;
  const suffix = segment.element(7);
  if (suffix) party.suffix = suffix;
  const idQualifier = segment.element(8);
  if (idQualifier) party.idQualifier = idQualifier;
  const id = segment.element(9);
  if (id) party.id = id;
  return party;
}

function bankAccount(segment: SegmentElements, first: number): RemittanceSummary['payment']['sender'] {
  const account = withoutUndefined({
    dfiQualifier: optionalElement(segment, first),
    dfiId: optionalElement(segment, first + 1),
    accountQualifier: optionalElement(segment, first + 2),
    accountNumber: optionalElement(segment, first + 3),
  });
  return Object.keys(account).length > 0 ? account : undefined;
}

function remarks(segment: SegmentElements, positions: readonly number[]): string[] {
  const out: string[] = [];
  for (const n of positions) {
    const code = segment.element(n);
    if (code) out.push(code);
  }
  return out;
}

/** `{ [key]: value }` when value is defined, else `{}` (optional fields stay absent, not undefined). */
function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function withoutUndefined<T extends Record<string, unknown>>(object: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(object)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}

// ── Entry points ────────────────────────────────────────────────────────────────────────────────

/**
 * Read an 835 file as a stream of events: each claim payment as soon as it is complete, and each
 * remittance (without its claim payments) at its set's end. The generator's return value is the
 * validation report (SNIP 1–2) of the whole file.
 *
 * @example
 * const events = read835(createReadStream('big.835'));
 * for await (const event of events) if (event.kind === 'claimPayment') await post(event.claimPayment);
 */
export async function* read835(source: X12Source, options: TokenizerOptions = {}): AsyncGenerator<Remittance835Event, ValidationReport> {
  const reader = new Remittance835Reader();
  // One Segment object for the whole file: this reader keeps no segment past its callback.
  const feed = feedX12(source, reader, { reuseSegments: true, ...options });
  for (;;) {
    const step = await feed.next();
    // Not `yield*`: delegating to a sync iterable from an async generator wraps every event in an
    // async-from-sync iterator step (promises and closures per event).
    for (const event of reader.drain()) yield event;
    if (step.done) return step.value;
  }
}

/**
 * Read a whole 835 file into remittances with their claim payments (for files that fit in memory;
 * large ones should use {@link read835}).
 *
 * @example
 * const { remittances, findings, report } = await read835All(readFileSync('remit.835'));
 */
export async function read835All(source: X12Source, options: TokenizerOptions = {}): Promise<Read835Result> {
  const remittances: Remittance[] = [];
  const findings: Finding[] = [];
  let claimPayments: ClaimPayment[] = [];
  const events = read835(source, options);
  for (;;) {
    const next = await events.next();
    if (next.done) return { remittances, findings, report: next.value };
    const event = next.value;
    findings.push(...event.findings);
    if (event.kind === 'claimPayment') {
      claimPayments.push(event.claimPayment);
    } else if (event.kind === 'remittance') {
      remittances.push({ ...event.remittance, claimPayments });
      claimPayments = [];
    }
  }
}
