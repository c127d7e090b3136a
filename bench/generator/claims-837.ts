/**
 * Claims for the 837 fixtures: the claim models (also adjudicated by the 835 generator) and the
 * transaction-set builders for 837P (005010X222A1) and 837I (005010X223A2).
 *
 * Structure written, per transaction set:
 *   ST, BHT, 1000A submitter (NM1*41, PER), 1000B receiver (NM1*40), then for each billing provider
 *   2000A (HL*n**20*1) + 2010AA (NM1*85, N3, N4 with ZIP+4, REF*EI), and under it subscribers:
 *   2000B (HL*n*parent*22*0|1, SBR) + 2010BA (NM1*IL; N3, N4, DMG when the subscriber is the patient)
 *   + 2010BB (NM1*PR), and for a dependent 2000C (HL*n*parent*23*0, PAT) + 2010CA (NM1*QC, N3, N4,
 *   DMG); then the patient's claims: 2300 (CLM …) and its 2400 lines (LX, SV1|SV2, DTP*472, REF*6R).
 */
import {
  FIRST_NAMES,
  INSTITUTIONAL_SCENARIOS,
  PAYERS,
  PROFESSIONAL_SCENARIOS,
  type PayerChoice,
  type RevenueLineChoice,
} from './code-values.ts';
import type { FixtureContext, Organization, Person } from './fixture-context.ts';
import { randomNpi } from './npi.ts';
import { SegmentList, composite } from './segment-list.ts';
import type { TransactionSetBuilder } from './transaction-set.ts';
import { formatAmount, formatDate, formatTime } from './x12-format.ts';

/** One service line, professional or institutional. */
export interface ClaimLine {
  /** HCPCS Level II code; empty for institutional lines billed by revenue code only. */
  procedure: string;
  modifiers: readonly string[];
  /** NUBC revenue code (837I only). */
  revenueCode?: string;
  units: number;
  chargeCents: number;
  serviceDay: number;
  /** REF*6R line item control number, unique in the file. */
  lineControl: string;
  /** SV107 pointers into the claim's diagnosis list, 1-based (837P only). */
  diagnosisPointers: readonly number[];
}

/** A professional claim (2300) with its lines. */
export interface ProfessionalClaim {
  patientControlNumber: string;
  placeOfService: string;
  /** CLM05-3: 1 original, 7 replacement (then REF*F8 carries the payer's claim number). */
  frequency: '1' | '7';
  payerClaimReference?: string;
  /** ICD-10-CM codes; the first is the principal diagnosis (HI ABK), the rest HI ABF. */
  diagnoses: readonly string[];
  lines: readonly ClaimLine[];
  /** CLM02: always the sum of the lines' charges. */
  totalCents: number;
  renderingProvider: { last: string; first: string; npi: string };
}

/** An institutional claim (2300) with its lines. */
export interface InstitutionalClaim {
  patientControlNumber: string;
  /** CLM05-1, e.g. `13`. */
  facilityType: string;
  frequency: '1' | '7';
  payerClaimReference?: string;
  inpatient: boolean;
  statementFromDay: number;
  statementToDay: number;
  /** Admission (DTP*435), minutes since midnight of `statementFromDay`; sent for inpatient and unscheduled visits. */
  admissionMinutes?: number;
  /** Discharge hour (DTP*096), inpatient only. */
  dischargeMinutes?: number;
  admissionType: string;
  admissionSource: string;
  principalDiagnosis: string;
  admittingDiagnosis?: string;
  reasonForVisit?: string;
  otherDiagnoses: readonly string[];
  lines: readonly ClaimLine[];
  totalCents: number;
  attendingProvider: { last: string; first: string; npi: string };
}

/** Price of `units` at `unitPriceCents`, varied by up to ±10 % so that totals are not all round. */
function lineCharge(context: FixtureContext, unitPriceCents: number, units: number): number {
  const variation = 0.9 + context.random.next() * 0.2;
  return Math.max(100, Math.round(unitPriceCents * variation) * units);
}

function replacementOf(context: FixtureContext): { frequency: '1' | '7'; payerClaimReference?: string } {
  if (context.random.chance(0.03)) return { frequency: '7', payerClaimReference: 'TPCLM' + context.random.digits(10) };
  return { frequency: '1' };
}

/** A professional claim drawn from the scenarios in {@link PROFESSIONAL_SCENARIOS}. */
export function buildProfessionalClaim(context: FixtureContext): ProfessionalClaim {
  const r = context.random;
  const scenario = r.weighted(PROFESSIONAL_SCENARIOS);
  const patientControlNumber = context.nextPatientControlNumber();
  const diagnoses = r.sample(scenario.diagnoses, r.int(1, Math.min(4, scenario.diagnoses.length)));
  const serviceDay = context.serviceDay();
  const lineCount = r.int(1, scenario.maxLines);
  const lines: ClaimLine[] = [];
  for (let n = 1; n <= lineCount; n++) {
    const procedure = r.weighted(scenario.procedures);
    const units = r.int(procedure.minUnits, procedure.maxUnits);
    const pointerCount = r.int(1, Math.min(4, diagnoses.length));
    // The first pointer is the line's primary diagnosis; pointers stay within the HI list.
    const pointers = r.sample(
      diagnoses.map((_, i) => i + 1),
      pointerCount,
    );
    lines.push({
      procedure: procedure.code,
      modifiers: procedure.modifiers ? [r.pick(procedure.modifiers)] : [],
      units,
      chargeCents: lineCharge(context, procedure.unitPriceCents, units),
      // Most lines share the claim's date; some DME and injection lines follow a day later.
      serviceDay: r.chance(0.85) ? serviceDay : Math.min(serviceDay + 1, context.lastServiceDay),
      lineControl: `${patientControlNumber}L${n}`,
      diagnosisPointers: pointers,
    });
  }
  return {
    patientControlNumber,
    placeOfService: scenario.placeOfService,
    ...replacementOf(context),
    diagnoses,
    lines,
    totalCents: lines.reduce((sum, line) => sum + line.chargeCents, 0),
    renderingProvider: { last: 'TESTRENDERING', first: r.pick(FIRST_NAMES), npi: randomNpi(r, 'individual') },
  };
}

function institutionalLine(context: FixtureContext, choice: RevenueLineChoice, units: number, day: number, control: string): ClaimLine {
  return {
    procedure: choice.procedure ?? '',
    modifiers: [],
    revenueCode: choice.revenueCode,
    units,
    chargeCents: lineCharge(context, choice.unitPriceCents, units),
    serviceDay: day,
    lineControl: control,
    diagnosisPointers: [],
  };
}

/** An institutional claim drawn from the scenarios in {@link INSTITUTIONAL_SCENARIOS}. */
export function buildInstitutionalClaim(context: FixtureContext): InstitutionalClaim {
  const r = context.random;
  const scenario = r.weighted(INSTITUTIONAL_SCENARIOS);
  const patientControlNumber = context.nextPatientControlNumber();
  const fromDay = context.serviceDay();
  const stayDays = scenario.inpatient ? r.int(1, 6) : 0;
  const toDay = Math.min(fromDay + stayDays, context.lastServiceDay);
  const principalDiagnosis = r.pick(scenario.principalDiagnoses);
  const otherDiagnoses = r.sample(
    scenario.otherDiagnoses.filter((code) => code !== principalDiagnosis),
    r.int(0, 3),
  );
  const lines: ClaimLine[] = [];
  const anchor = r.weighted(scenario.anchorLines);
  // Room and board is billed per day of the stay (at least one).
  const anchorUnits = scenario.inpatient ? Math.max(1, toDay - fromDay) : r.int(anchor.minUnits, anchor.maxUnits);
  lines.push(institutionalLine(context, anchor, anchorUnits, fromDay, `${patientControlNumber}L1`));
  const extra = r.int(0, scenario.maxExtraLines);
  for (let n = 0; n < extra; n++) {
    const choice = r.weighted(scenario.extraLines);
    const day = r.int(fromDay, toDay);
    lines.push(institutionalLine(context, choice, r.int(choice.minUnits, choice.maxUnits), day, `${patientControlNumber}L${lines.length + 1}`));
  }
  const admissionMinutes = scenario.inpatient || scenario.unscheduled ? r.int(0, 23) * 60 + r.pick([0, 15, 30, 45]) : undefined;
  return {
    patientControlNumber,
    facilityType: scenario.facilityType,
    ...replacementOf(context),
    inpatient: scenario.inpatient,
    statementFromDay: fromDay,
    statementToDay: toDay,
    admissionMinutes,
    dischargeMinutes: scenario.inpatient ? r.int(8, 18) * 60 + r.pick([0, 30]) : undefined,
    admissionType: scenario.admissionType,
    admissionSource: scenario.admissionSource,
    principalDiagnosis,
    admittingDiagnosis: scenario.inpatient ? r.pick(scenario.admittingDiagnoses) : undefined,
    reasonForVisit: scenario.unscheduled ? principalDiagnosis : undefined,
    otherDiagnoses,
    lines,
    totalCents: lines.reduce((sum, line) => sum + line.chargeCents, 0),
    attendingProvider: { last: 'TESTATTENDING', first: r.pick(FIRST_NAMES), npi: randomNpi(r, 'individual') },
  };
}

/** Which 837 a builder writes. */
export type ClaimVariant = 'professional' | 'institutional';

const SUBMITTER = { name: 'CLAIMPATH TEST SUBMITTER', id: 'CPTESTSUB01', contact: 'TEST EDI CONTACT', phone: '5555550100' };
const RECEIVER = { name: 'TESTPAYER CLEARINGHOUSE', id: 'TESTRCV01' };

/**
 * Writes one 837 transaction set: header, then units of one subscriber (with a dependent patient
 * now and then) and one to three claims, opening a new billing provider (2000A) from time to time.
 */
export class Claim837SetBuilder implements TransactionSetBuilder {
  private readonly body: SegmentList;
  private hlCount = 0;
  private billingProviderHl = 0;
  private claimsUnderProvider = 0;
  private claimsBeforeNextProvider = 0;
  private provider: Organization | undefined;
  private claimCount = 0;

  constructor(
    private readonly context: FixtureContext,
    private readonly variant: ClaimVariant,
    private readonly control: string,
    private readonly version: string,
    segmentEnd: string,
  ) {
    this.body = new SegmentList(segmentEnd);
  }

  get claims(): number {
    return this.claimCount;
  }

  get bodyBytes(): number {
    return this.body.length;
  }

  addUnit(maxClaims: number): void {
    const r = this.context.random;
    if (this.provider === undefined || this.claimsUnderProvider >= this.claimsBeforeNextProvider) this.openBillingProvider();
    const payer = r.weighted(PAYERS);
    const subscriber = this.context.person(true);
    const dependent = r.chance(0.25) ? this.context.person(false) : undefined;
    const claims = Math.min(maxClaims, r.chance(0.7) ? 1 : r.int(2, 3));
    const subscriberHl = this.writeSubscriber(subscriber, payer, dependent !== undefined);
    if (dependent) this.writeDependent(dependent, subscriberHl);
    for (let i = 0; i < claims; i++) {
      if (this.variant === 'professional') this.writeProfessionalClaim(buildProfessionalClaim(this.context));
      else this.writeInstitutionalClaim(buildInstitutionalClaim(this.context));
    }
    this.claimCount += claims;
    this.claimsUnderProvider += claims;
  }

  finish(segmentEnd: string): { text: string; segments: number } {
    const c = this.context;
    const header = new SegmentList(segmentEnd);
    header.add('ST', '837', this.control, this.version);
    header.add('BHT', '0019', '00', `CPB${this.control}`, formatDate(c.createdDay), formatTime(c.createdMinutes), 'CH');
    header.add('NM1', '41', '2', SUBMITTER.name, '', '', '', '', '46', SUBMITTER.id);
    header.add('PER', 'IC', SUBMITTER.contact, 'TE', SUBMITTER.phone);
    header.add('NM1', '40', '2', RECEIVER.name, '', '', '', '', '46', RECEIVER.id);
    header.append(this.body);
    const segments = header.count + 1;
    header.add('SE', String(segments), this.control);
    return { text: header.toString(), segments };
  }

  private openBillingProvider(): void {
    const r = this.context.random;
    const providers = this.variant === 'professional' ? this.context.professionalProviders : this.context.institutionalProviders;
    this.provider = r.pick(providers);
    this.billingProviderHl = ++this.hlCount;
    this.claimsUnderProvider = 0;
    this.claimsBeforeNextProvider = r.int(20, 400);
    const p = this.provider;
    const b = this.body;
    b.add('HL', String(this.billingProviderHl), '', '20', '1');
    b.add('NM1', '85', '2', p.name, '', '', '', '', 'XX', p.npi);
    b.add('N3', p.address.line);
    b.add('N4', p.address.city, p.address.state, p.address.zip);
    b.add('REF', 'EI', p.taxId);
  }

  /** 2000B, 2010BA and 2010BB; returns the subscriber's HL id. */
  private writeSubscriber(subscriber: Person, payer: PayerChoice, hasDependent: boolean): number {
    const b = this.body;
    const hl = ++this.hlCount;
    const isPatient = !hasDependent;
    b.add('HL', String(hl), String(this.billingProviderHl), '22', isPatient ? '0' : '1');
    const filing = this.variant === 'professional' ? payer.professionalFiling : payer.institutionalFiling;
    const group = this.context.random.chance(0.6) ? 'GRP' + this.context.random.digits(6) : '';
    b.add('SBR', 'P', isPatient ? '18' : '', group, '', '', '', '', '', filing);
    b.add('NM1', 'IL', '1', subscriber.last, subscriber.first, subscriber.middle, '', '', 'MI', subscriber.memberId);
    if (isPatient) {
      b.add('N3', subscriber.address.line);
      b.add('N4', subscriber.address.city, subscriber.address.state, subscriber.address.zip);
      b.add('DMG', 'D8', formatDate(subscriber.birthDay), subscriber.gender);
    }
    b.add('NM1', 'PR', '2', payer.name, '', '', '', '', 'PI', payer.payerId);
    return hl;
  }

  /** 2000C and 2010CA: the patient is the subscriber's dependent (PAT01 19, child). */
  private writeDependent(patient: Person, subscriberHl: number): void {
    const b = this.body;
    const hl = ++this.hlCount;
    b.add('HL', String(hl), String(subscriberHl), '23', '0');
    b.add('PAT', '19');
    b.add('NM1', 'QC', '1', patient.last, patient.first, patient.middle);
    b.add('N3', patient.address.line);
    b.add('N4', patient.address.city, patient.address.state, patient.address.zip);
    b.add('DMG', 'D8', formatDate(patient.birthDay), patient.gender);
  }

  private writeProfessionalClaim(claim: ProfessionalClaim): void {
    const b = this.body;
    b.add('CLM', claim.patientControlNumber, formatAmount(claim.totalCents), '', '', composite(claim.placeOfService, 'B', claim.frequency), 'Y', 'A', 'Y', 'Y');
    if (claim.payerClaimReference) b.add('REF', 'F8', claim.payerClaimReference);
    b.add('HI', ...claim.diagnoses.map((code, i) => composite(i === 0 ? 'ABK' : 'ABF', code)));
    const rendering = claim.renderingProvider;
    b.add('NM1', '82', '1', rendering.last, rendering.first, '', '', '', 'XX', rendering.npi);
    claim.lines.forEach((line, i) => {
      b.add('LX', String(i + 1));
      b.add(
        'SV1',
        composite('HC', line.procedure, ...line.modifiers),
        formatAmount(line.chargeCents),
        'UN',
        String(line.units),
        '',
        '',
        composite(...line.diagnosisPointers.map(String)),
      );
      b.add('DTP', '472', 'D8', formatDate(line.serviceDay));
      b.add('REF', '6R', line.lineControl);
    });
  }

  private writeInstitutionalClaim(claim: InstitutionalClaim): void {
    const b = this.body;
    // CLM06 (provider signature) is not used in the 837I.
    b.add('CLM', claim.patientControlNumber, formatAmount(claim.totalCents), '', '', composite(claim.facilityType, 'A', claim.frequency), '', 'A', 'Y', 'Y');
    // 2300 DTP order in the guide: 096 discharge hour, 434 statement dates, 435 admission.
    if (claim.dischargeMinutes !== undefined) b.add('DTP', '096', 'TM', formatTime(claim.dischargeMinutes));
    b.add('DTP', '434', 'RD8', `${formatDate(claim.statementFromDay)}-${formatDate(claim.statementToDay)}`);
    if (claim.admissionMinutes !== undefined) b.add('DTP', '435', 'DT', formatDate(claim.statementFromDay) + formatTime(claim.admissionMinutes));
    b.add('CL1', claim.admissionType, claim.admissionSource, '01');
    if (claim.payerClaimReference) b.add('REF', 'F8', claim.payerClaimReference);
    // 2300 HI order in the guide: principal (ABK), admitting (ABJ), reason for visit (APR), other (ABF).
    b.add('HI', composite('ABK', claim.principalDiagnosis));
    if (claim.admittingDiagnosis) b.add('HI', composite('ABJ', claim.admittingDiagnosis));
    if (claim.reasonForVisit) b.add('HI', composite('APR', claim.reasonForVisit));
    if (claim.otherDiagnoses.length > 0) b.add('HI', ...claim.otherDiagnoses.map((code) => composite('ABF', code)));
    const attending = claim.attendingProvider;
    b.add('NM1', '71', '1', attending.last, attending.first, '', '', '', 'XX', attending.npi);
    claim.lines.forEach((line, i) => {
      b.add('LX', String(i + 1));
      b.add(
        'SV2',
        line.revenueCode ?? '',
        line.procedure ? composite('HC', line.procedure, ...line.modifiers) : '',
        formatAmount(line.chargeCents),
        'UN',
        String(line.units),
      );
      // 2400 DTP*472 is for outpatient lines; inpatient lines are dated by the statement period.
      if (!claim.inpatient) b.add('DTP', '472', 'D8', formatDate(line.serviceDay));
      b.add('REF', '6R', line.lineControl);
    });
  }
}
