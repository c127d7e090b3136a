/**
 * The 837 reader: field by field on hand-written 837P, 837I and 837D fixtures (fictional people, HCPCS
 * Level II codes), the claim schema on every claim read, bad input as findings with their location
 * (the rest of the file still read, nothing thrown, no element value in a message), and streaming: a
 * generated multi-megabyte file yields claims long before its end, without holding them.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generate837P } from '../../bench/generator.ts';
import { ClaimSchema, type Claim } from '../../schemas/claim.schema.ts';
import type { Finding } from '../../schemas/finding.schema.ts';
import { read837, read837All, type ClaimRead } from '../../src/claims/read-837.ts';
import { interchange } from '../support/x12.ts';

const fixture = (name: string): Buffer => readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)));

async function readFixture(name: string): Promise<Awaited<ReturnType<typeof read837All>>> {
  return read837All(fixture(name));
}

/** An 837P interchange around the given 2000A…2400 body (header segments added). */
function professional(body: string[]): string {
  return interchange([
    {
      id: '837',
      version: '005010X222A1',
      body: ['BHT*0019*00*0123*20261120*1200*CH', 'NM1*41*2*SAMPLE BILLING SERVICE*****46*TGJ23', 'PER*IC*CONTACT DESK*TE*5555550100', 'NM1*40*2*SAMPLE PAYER*****46*66783JJT', ...body],
    },
  ]);
}

const BILLING = ['HL*1**20*1', 'NM1*85*2*SAMPLE CLINIC*****XX*1234567893', 'N3*100 TEST AVENUE', 'N4*ANYTOWN*PA*171110000', 'REF*EI*123456789'];
const SUBSCRIBER = ['SBR*P*18*******CI', 'NM1*IL*1*TESTPATIENT*ALPHA****MI*TST000111', 'N3*1 SAMPLE ST', 'N4*ANYTOWN*PA*171110000', 'DMG*D8*19800101*F', 'NM1*PR*2*SAMPLE HEALTH PLAN*****PI*99999'];
const GOOD_CLAIM = ['CLM*PCN-GOOD*150***11:B:1*Y*A*Y*Y', 'HI*ABK:I10*ABF:E119', 'LX*1', 'SV1*HC:G0008*100*UN*1***1', 'DTP*472*D8*20261101', 'LX*2', 'SV1*HC:J1100:RT*50*UN*1***1:2', 'DTP*472*D8*20261101'];

function codes(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.code);
}

describe('read837 on the 837P fixture', () => {
  let claims: Claim[];
  let findings: Finding[];

  beforeAll(async () => {
    ({ claims, findings } = await readFixture('837p-professional.x12'));
  });

  it('reads both claims, with no finding, each valid against the claim schema', () => {
    expect(claims.map((c) => c.patientControlNumber)).toEqual(['PCN-P-0001', 'PCN-P-0002']);
    expect(findings).toEqual([]);
    for (const claim of claims) expect(ClaimSchema.safeParse(claim).success).toBe(true);
  });

  it('reads the claim information (CLM) and the transaction context', () => {
    const claim = claims[0]!;
    expect(claim).toMatchObject({
      type: 'P',
      claimOrEncounter: 'CH',
      totalCharge: 25000,
      placeOfService: '11',
      facilityCodeQualifier: 'B',
      frequency: '7',
      providerSignature: 'Y',
      assignment: 'A',
      benefitsAssignment: 'Y',
      releaseOfInformation: 'Y',
      patientSignatureSource: 'P',
      relatedCauses: { codes: ['AA'], state: 'PA' },
    });
    expect(claim.envelope).toEqual({ interchangeControl: '000000101', groupControl: '101', setControl: '0001', version: '005010X222A1', sender: 'CLAIMPATHSUB', receiver: 'TESTPAYER01' });
  });

  it('reads the billing provider (2000A PRV, 2010AA) and the pay-to address (2010AB)', () => {
    const claim = claims[0]!;
    expect(claim.billingProvider).toEqual({
      taxonomy: '207Q00000X',
      entityType: '2',
      lastOrOrganizationName: 'RIVERBEND FAMILY CLINIC',
      npi: '1234567893',
      address: { line1: '100 SAMPLE AVENUE', line2: 'SUITE 200', city: 'ANYTOWN', state: 'PA', postalCode: '171110000' },
      taxId: { qualifier: 'EI', value: '987654321' },
      contacts: [{ name: 'BILLING OFFICE', numbers: [{ qualifier: 'TE', number: '5555550101' }] }],
    });
    expect(claim.payToAddress).toEqual({ entityType: '2', address: { line1: 'PO BOX 4500', city: 'ANYTOWN', state: 'PA', postalCode: '171114500' } });
  });

  it('reads the subscriber (2000B SBR, 2010BA), the payer (2010BB), and the patient who is the subscriber', () => {
    const claim = claims[0]!;
    expect(claim.subscriber).toEqual({
      payerResponsibility: 'P',
      relationship: '18',
      groupNumber: 'GRP0001',
      groupName: 'SAMPLE EMPLOYER GROUP',
      claimFilingIndicator: 'CI',
      entityType: '1',
      lastOrOrganizationName: 'TESTPATIENT',
      firstName: 'ALPHA',
      middleName: 'Q',
      memberIdQualifier: 'MI',
      memberId: 'TST000111',
      address: { line1: '1 SAMPLE STREET', city: 'ANYTOWN', state: 'PA', postalCode: '171110000' },
      birthDate: '1980-01-01',
      sex: 'F',
    });
    expect(claim.payer).toEqual({ name: 'TEST HEALTH PLAN', idQualifier: 'PI', id: '99999', address: { line1: 'PO BOX 9000', city: 'PLANVILLE', state: 'PA', postalCode: '171120000' } });
    expect(claim.patient).toMatchObject({ sameAsSubscriber: true, relationship: '18', lastOrOrganizationName: 'TESTPATIENT', firstName: 'ALPHA', birthDate: '1980-01-01', sex: 'F' });
  });

  it('reads the dependent patient of the second claim (2000C PAT, 2010CA) under its own subscriber', () => {
    const claim = claims[1]!;
    expect(claim.subscriber).toMatchObject({ payerResponsibility: 'P', groupNumber: 'GRP0002', lastOrOrganizationName: 'TESTPARENT', memberId: 'TST000333', birthDate: '1975-05-05' });
    expect(claim.subscriber.relationship).toBeUndefined();
    expect(claim.patient).toEqual({
      sameAsSubscriber: false,
      relationship: '19',
      entityType: '1',
      lastOrOrganizationName: 'TESTPATIENT',
      firstName: 'DELTA',
      address: { line1: '5 SAMPLE ROAD', city: 'ANYTOWN', state: 'PA', postalCode: '171110000' },
      birthDate: '2015-07-07',
      sex: 'M',
    });
    // The same billing provider, copied (not shared) into each claim.
    expect(claim.billingProvider).toEqual(claims[0]!.billingProvider);
    expect(claim.billingProvider).not.toBe(claims[0]!.billingProvider);
  });

  it('reads the claim dates, references, note and diagnoses', () => {
    const claim = claims[0]!;
    expect(claim.dates).toEqual({ onset: { from: '2026-10-20', to: '2026-10-20' }, accident: { from: '2026-10-19', to: '2026-10-19' } });
    expect(claim.references).toEqual({
      referralNumber: 'REFERRAL77',
      priorAuthorization: 'AUTH12345',
      payerClaimControlNumber: 'PAYERCLM0001',
      clearinghouseTraceNumber: 'TRACE0001',
      medicalRecordNumber: 'MRN0001',
    });
    expect(claim.notes).toEqual([{ code: 'ADD', text: 'SEEN AFTER A MINOR ACCIDENT' }]);
    expect(claim.diagnoses).toEqual([
      { kind: 'principal', qualifier: 'ABK', code: 'S0990XA' },
      { kind: 'other', qualifier: 'ABF', code: 'R51' },
      { kind: 'other', qualifier: 'ABF', code: 'I10' },
    ]);
  });

  it('reads the claim providers by role (2310A referring, 2310B rendering with taxonomy, 2310C facility)', () => {
    expect(claims[0]!.providers).toEqual([
      { role: 'referring', entityType: '1', lastOrOrganizationName: 'REFERRER', firstName: 'ROBIN', npi: '1245319599' },
      { role: 'rendering', entityType: '1', lastOrOrganizationName: 'DOCTOR', firstName: 'SAMPLE', middleName: 'A', npi: '1679576722', taxonomy: '207Q00000X', secondaryIds: [{ qualifier: 'G2', value: 'PROV0001' }] },
      { role: 'serviceFacility', entityType: '2', lastOrOrganizationName: 'RIVERBEND ANNEX', npi: '1588667638', address: { line1: '200 SAMPLE AVENUE', city: 'ANYTOWN', state: 'PA', postalCode: '171110000' } },
    ]);
  });

  it('reads the other payer for coordination of benefits (2320 with CAS, AMT*D, OI; 2330A; 2330B)', () => {
    expect(claims[0]!.otherPayers).toEqual([
      {
        payerResponsibility: 'S',
        relationship: '01',
        groupNumber: 'GRP0777',
        claimFilingIndicator: 'CI',
        adjustments: [{ group: 'PR', adjustments: [{ reason: '2', amount: 1000 }] }],
        paidAmount: 11000,
        benefitsAssignment: 'Y',
        patientSignatureSource: 'P',
        releaseOfInformation: 'Y',
        subscriber: { entityType: '1', lastOrOrganizationName: 'TESTPATIENT', firstName: 'BETA', memberIdQualifier: 'MI', memberId: 'OTH000222', address: { line1: '1 SAMPLE STREET', city: 'ANYTOWN', state: 'PA', postalCode: '171110000' } },
        payer: { name: 'OTHER SAMPLE PLAN', idQualifier: 'PI', id: '88888', adjudicationDate: '2026-11-01' },
      },
    ]);
  });

  it('reads the service lines: SV1, dates, line control number, drug, line provider, line adjudication', () => {
    const [first, second] = claims[0]!.lines;
    expect(first).toMatchObject({
      lineNumber: 1,
      procedure: { qualifier: 'HC', code: 'G0008', modifiers: ['25'] },
      charge: 10000,
      unitBasis: 'UN',
      units: 1,
      diagnosisPointers: [1, 2],
      emergencyIndicator: 'Y',
      dates: { service: { from: '2026-10-21', to: '2026-10-21' } },
      references: { lineControlNumber: 'LINE0001' },
      adjudications: [{ otherPayerId: '88888', paidAmount: 6000, procedure: { qualifier: 'HC', code: 'G0008', modifiers: ['25'] }, paidUnits: 1, adjustments: [{ group: 'CO', adjustments: [{ reason: '45', amount: 4000 }] }], adjudicationDate: '2026-11-01' }],
    });
    expect(second).toMatchObject({
      lineNumber: 2,
      procedure: { qualifier: 'HC', code: 'J1100', modifiers: ['RT', 'LT'] },
      charge: 15000,
      units: 3.5,
      diagnosisPointers: [1, 3],
      dates: { service: { from: '2026-10-21', to: '2026-10-22' } },
      drug: { qualifier: 'N4', code: '00409012345', quantity: 2, unit: 'ML' },
      providers: [{ role: 'rendering', lastOrOrganizationName: 'DOCTOR', npi: '1679576722' }],
    });
    expect(second!.adjudications![0]!.adjustments).toEqual([
      { group: 'PR', adjustments: [{ reason: '1', amount: 5000, quantity: 1 }] },
      { group: 'CO', adjustments: [{ reason: '45', amount: 4000 }] },
    ]);
  });

  it('points every field at the segment and element it came from', () => {
    const claim = claims[0]!;
    expect(claim.sources['totalCharge']).toMatchObject({ segment: 'CLM', loop: '2300', element: 2 });
    expect(claim.sources['placeOfService']).toMatchObject({ segment: 'CLM', element: 5, component: 1 });
    expect(claim.sources['subscriber.memberId']).toMatchObject({ segment: 'NM1', loop: '2010BA', element: 9 });
    expect(claim.sources['billingProvider.npi']).toMatchObject({ segment: 'NM1', loop: '2010AA', element: 9 });
    expect(claim.sources['diagnoses.2.code']).toMatchObject({ segment: 'HI', element: 3, component: 2 });
    expect(claim.sources['otherPayers.0.paidAmount']).toMatchObject({ segment: 'AMT', loop: '2320', element: 2 });
    expect(claim.sources['providers.1.taxonomy']).toMatchObject({ segment: 'PRV', loop: '2310B', element: 3 });
    const line = claim.lines[1]!;
    expect(line.sources['charge']).toMatchObject({ segment: 'SV1', loop: '2400', element: 2 });
    expect(line.sources['procedure.modifiers.1']).toMatchObject({ segment: 'SV1', element: 1, component: 4 });
    expect(line.sources['drug.code']).toMatchObject({ segment: 'LIN', loop: '2410', element: 3 });
    expect(line.sources['adjudications.0.paidAmount']).toMatchObject({ segment: 'SVD', loop: '2430', element: 2 });
    // Ordinals count from ST = 1: the CLM of the first claim is the 25th segment of the set.
    expect(claim.sources['patientControlNumber']!.ordinal).toBe(25);
  });
});

describe('read837 on the 837I fixture', () => {
  let claim: Claim;

  beforeAll(async () => {
    const { claims, findings } = await readFixture('837i-institutional.x12');
    expect(findings).toEqual([]);
    expect(claims).toHaveLength(1);
    claim = claims[0]!;
  });

  it('reads the facility type, frequency and the type of bill they make', () => {
    expect(claim).toMatchObject({ type: 'I', totalCharge: 512500, facilityType: '11', facilityCodeQualifier: 'A', frequency: '1', typeOfBill: '111', assignment: 'A' });
    expect(claim.placeOfService).toBeUndefined();
    expect(ClaimSchema.safeParse(claim).success).toBe(true);
  });

  it('reads the statement period, the admission date and hour, and the discharge hour', () => {
    expect(claim.dates).toEqual({
      statement: { from: '2026-10-01', to: '2026-10-04' },
      admission: { from: '2026-10-01', to: '2026-10-01', time: '0815' },
      dischargeHour: '1130',
    });
  });

  it('reads the institutional codes: CL1, DRG, procedures, occurrence span, occurrence, value and condition codes', () => {
    expect(claim.institutional).toEqual({
      admissionType: '1',
      admissionSource: '7',
      patientStatus: '01',
      drg: '193',
      principalProcedure: { qualifier: 'BBR', code: '5A1935Z', date: '2026-10-02' },
      otherProcedures: [{ qualifier: 'BBQ', code: '0BH17EZ', date: '2026-10-01' }],
      occurrenceSpans: [{ code: '70', from: '2026-09-20', to: '2026-09-25' }],
      occurrences: [{ qualifier: 'BH', code: '11', date: '2026-09-30' }],
      values: [{ code: '80', amount: 400 }],
    });
    expect(claim.conditionCodes).toEqual(['39']);
    expect(claim.amounts).toEqual({ patientEstimatedAmountDue: 12500 });
  });

  it('reads the diagnoses with their kinds and present-on-admission indicators', () => {
    expect(claim.diagnoses).toEqual([
      { kind: 'principal', qualifier: 'ABK', code: 'J189', presentOnAdmission: 'Y' },
      { kind: 'admitting', qualifier: 'ABJ', code: 'R509' },
      { kind: 'reasonForVisit', qualifier: 'APR', code: 'R0602' },
      { kind: 'other', qualifier: 'ABF', code: 'I10', presentOnAdmission: 'Y' },
      { kind: 'other', qualifier: 'ABF', code: 'E119', presentOnAdmission: 'N' },
    ]);
  });

  it('reads the attending (with its AT taxonomy) and operating physicians', () => {
    expect(claim.providers.map((p) => [p.role, p.npi, p.taxonomy])).toEqual([
      ['attending', '1900000021', '207RH0000X'],
      ['operating', '1900000039', undefined],
    ]);
  });

  it('reads the other payer with its inpatient adjudication (MIA)', () => {
    expect(claim.otherPayers[0]).toMatchObject({ paidAmount: 0, adjustments: [{ group: 'CO', adjustments: [{ reason: '45', amount: 512500 }] }], inpatientAdjudication: { coveredDays: 4 } });
  });

  it('reads the revenue code lines (SV2)', () => {
    expect(claim.lines.map((l) => ({ revenueCode: l.revenueCode, procedure: l.procedure?.code, charge: l.charge, unitBasis: l.unitBasis, units: l.units, control: l.references.lineControlNumber }))).toEqual([
      { revenueCode: '0120', procedure: undefined, charge: 400000, unitBasis: 'DA', units: 4, control: 'ILINE0001' },
      { revenueCode: '0250', procedure: 'J1100', charge: 12500, unitBasis: 'UN', units: 2, control: 'ILINE0002' },
      { revenueCode: '0300', procedure: undefined, charge: 100000, unitBasis: 'UN', units: 1, control: 'ILINE0003' },
    ]);
  });
});

describe('read837 on the 837D fixture', () => {
  let claim: Claim;

  beforeAll(async () => {
    const { claims, findings } = await readFixture('837d-dental.x12');
    expect(findings).toEqual([]);
    claim = claims[0]!;
  });

  it('reads the dental claim: service date, orthodontic months, tooth status, patient student status', () => {
    expect(ClaimSchema.safeParse(claim).success).toBe(true);
    expect(claim).toMatchObject({ type: 'D', totalCharge: 18500, placeOfService: '11', dates: { service: { from: '2026-11-05', to: '2026-11-05' } } });
    expect(claim.dental).toEqual({ orthodontic: { totalMonths: 24, monthsRemaining: 12 }, toothStatus: [{ tooth: '1', status: 'M', codeListQualifier: 'JP' }] });
    expect(claim.patient).toMatchObject({ sameAsSubscriber: false, relationship: '19', studentStatus: 'F', firstName: 'ETA', birthDate: '2010-09-09' });
  });

  it('reads SV3 with oral cavity, units and diagnosis pointers (SV311), and the teeth with their surfaces', () => {
    const line = claim.lines[1]!;
    expect(line).toMatchObject({ procedure: { qualifier: 'AD', code: 'D2391' }, charge: 14000, placeOfService: '11', oralCavity: ['10'], units: 1, diagnosisPointers: [1, 2] });
    expect(line.teeth).toEqual([{ qualifier: 'JP', code: '3', surfaces: ['M', 'O'] }]);
    expect(line.providers).toEqual([{ role: 'rendering', entityType: '1', lastOrOrganizationName: 'DENTIST', firstName: 'SAMPLE', npi: '1900000054', taxonomy: '1223G0001X' }]);
    expect(line.sources['diagnosisPointers.1']).toMatchObject({ segment: 'SV3', element: 11, component: 2 });
  });
});

describe('read837 on bad input: findings with their location, the rest still read', () => {
  it('reports a line pointing at a diagnosis the claim does not list', async () => {
    const text = professional([...BILLING, 'HL*2*1*22*0', ...SUBSCRIBER, 'CLM*PCN-PTR*100***11:B:1*Y*A*Y*Y', 'HI*ABK:I10*ABF:E119', 'LX*1', 'SV1*HC:G0008*100*UN*1***1:5', 'DTP*472*D8*20261101', ...GOOD_CLAIM]);
    const { claims, findings } = await read837All(text);
    expect(claims.map((c) => c.patientControlNumber)).toEqual(['PCN-PTR', 'PCN-GOOD']);
    const pointer = findings.find((f) => f.code === 'READ_DIAGNOSIS_POINTER');
    expect(pointer).toMatchObject({ origin: 'reader', severity: 'reject', claimRef: 'PCN-PTR', line: 1, location: { segment: 'SV1', loop: '2400', element: 7, component: 2 } });
    expect(findings.filter((f) => f.claimRef === 'PCN-GOOD')).toEqual([]);
  });

  it('reports a pointer that is not a number', async () => {
    const { findings } = await read837All(professional([...BILLING, 'HL*2*1*22*0', ...SUBSCRIBER, 'CLM*PCN-PTR*100***11:B:1*Y*A*Y*Y', 'HI*ABK:I10', 'LX*1', 'SV1*HC:G0008*100*UN*1***A', 'DTP*472*D8*20261101']));
    expect(findings.find((f) => f.code === 'READ_DIAGNOSIS_POINTER')).toMatchObject({ location: { segment: 'SV1', element: 7, component: 1 } });
  });

  it('reports an HL whose parent id is missing, and reads its claim under the last billing provider', async () => {
    const { claims, findings } = await read837All(professional([...BILLING, 'HL*2**22*0', ...SUBSCRIBER, ...GOOD_CLAIM]));
    expect(claims).toHaveLength(1);
    expect(claims[0]!.billingProvider.lastOrOrganizationName).toBe('SAMPLE CLINIC');
    expect(findings).toEqual([expect.objectContaining({ code: 'READ_HL_PARENT_MISSING', severity: 'reject', claimRef: 'PCN-GOOD', location: expect.objectContaining({ segment: 'HL', element: 2 }) })]);
  });

  it('reports an HL whose parent is not an earlier HL', async () => {
    const { claims, findings } = await read837All(professional([...BILLING, 'HL*2*7*22*0', ...SUBSCRIBER, ...GOOD_CLAIM]));
    expect(claims).toHaveLength(1);
    expect(codes(findings)).toEqual(['READ_HL_PARENT_UNKNOWN']);
  });

  it('reports a patient level whose parent is a billing provider level', async () => {
    const { findings } = await read837All(
      professional([...BILLING, 'HL*2*1*22*1', 'SBR*P********CI', 'NM1*IL*1*TESTPARENT*GAMMA****MI*TST000333', 'NM1*PR*2*SAMPLE HEALTH PLAN*****PI*99999', 'HL*3*1*23*0', 'PAT*19', 'NM1*QC*1*TESTCHILD*OMEGA', 'N3*1 SAMPLE ST', 'N4*ANYTOWN*PA*171110000', 'DMG*D8*20100101*F', ...GOOD_CLAIM]),
    );
    expect(codes(findings)).toEqual(['READ_HL_PARENT_LEVEL']);
  });

  it('reports a patient level under a subscriber that a later subscriber closed, and reads it under the latest', async () => {
    const second = ['SBR*P********CI', 'NM1*IL*1*TESTPARENT*DELTA****MI*TST000444', 'NM1*PR*2*SAMPLE HEALTH PLAN*****PI*99999'];
    const patient = ['PAT*19', 'NM1*QC*1*TESTCHILD*OMEGA', 'N3*1 SAMPLE ST', 'N4*ANYTOWN*PA*171110000', 'DMG*D8*20100101*F'];
    const { claims, findings } = await read837All(professional([...BILLING, 'HL*2*1*22*0', ...SUBSCRIBER, 'HL*3*1*22*1', ...second, 'HL*4*2*23*0', ...patient, ...GOOD_CLAIM]));
    expect(codes(findings)).toEqual(['READ_HL_PARENT_ORDER']);
    expect(findings[0]).toMatchObject({ claimRef: 'PCN-GOOD', location: { segment: 'HL', element: 2 } });
    expect(claims).toHaveLength(1);
    expect(claims[0]!.subscriber.memberId).toBe('TST000444');
  });

  it('reports amounts that are not numbers and dates that are not dates, and reads the rest', async () => {
    const text = professional([
      ...BILLING,
      'HL*2*1*22*0',
      'SBR*P*18*******CI',
      'NM1*IL*1*TESTPATIENT*ALPHA****MI*TST000111',
      'DMG*D8*19800230*F',
      'NM1*PR*2*SAMPLE HEALTH PLAN*****PI*99999',
      'CLM*PCN-BAD*12A***11:B:1*Y*A*Y*Y',
      'HI*ABK:I10',
      'LX*1',
      'SV1*HC:G0008*1O0*UN*1***1',
      'DTP*472*D8*20261340',
      ...GOOD_CLAIM,
    ]);
    const { claims, findings } = await read837All(text);
    expect(claims.map((c) => c.patientControlNumber)).toEqual(['PCN-BAD', 'PCN-GOOD']);
    const bad = findings.filter((f) => f.claimRef === 'PCN-BAD');
    expect(bad).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'READ_INVALID_DATE', location: expect.objectContaining({ segment: 'DMG', loop: '2010BA', element: 2 }) }),
        expect.objectContaining({ code: 'READ_INVALID_AMOUNT', location: expect.objectContaining({ segment: 'CLM', element: 2 }) }),
        expect.objectContaining({ code: 'READ_INVALID_AMOUNT', line: 1, location: expect.objectContaining({ segment: 'SV1', element: 2 }) }),
        expect.objectContaining({ code: 'READ_INVALID_DATE', line: 1, location: expect.objectContaining({ segment: 'DTP', element: 3 }) }),
      ]),
    );
    // The unreadable amounts are not balanced again (no second finding about the same values).
    expect(codes(bad)).not.toContain('BALANCE_CLAIM_LINES');
    const good = claims[1]!;
    expect(good.totalCharge).toBe(15000);
    expect(good.subscriber.birthDate).toBeUndefined(); // same subscriber level, whose DMG was bad
    expect(findings.filter((f) => f.claimRef === 'PCN-GOOD').map((f) => f.code)).toEqual(['READ_INVALID_DATE']);
  });

  it('reports an HL level the 837 does not have, tied to no claim, and still reads the next subscriber', async () => {
    const { claims, findings } = await read837All(professional([...BILLING, 'HL*2*1*99*0', 'HL*3*1*22*0', ...SUBSCRIBER, ...GOOD_CLAIM]));
    expect(claims).toHaveLength(1);
    expect(claims[0]!.subscriber.memberId).toBe('TST000111');
    const level = findings.find((f) => f.code === 'READ_HL_LEVEL');
    expect(level).toMatchObject({ severity: 'reject', location: { segment: 'HL', element: 3 } });
    expect(level!.claimRef).toBeUndefined();
  });

  it('reports a claim under no subscriber level', async () => {
    const { claims, findings } = await read837All(professional([...BILLING, ...GOOD_CLAIM]));
    expect(claims).toHaveLength(1);
    expect(codes(findings)).toContain('READ_CLAIM_OUTSIDE_HIERARCHY');
  });

  it('never quotes an element value in a finding message', async () => {
    const text = professional([
      ...BILLING,
      'HL*2*9*22*0',
      'SBR*P*18*******CI',
      'NM1*IL*1*TESTPATIENT*ALPHA****MI*TST000111',
      'DMG*D8*19800230*F',
      'NM1*PR*2*SAMPLE HEALTH PLAN*****PI*99999',
      'CLM*PCN-SECRET*12A***11:B:1*Y*A*Y*Y',
      'HI*ABK:I10*ZZZ:Q999',
      'LX*1',
      'SV1*HC:G0008*77.777*UN*1***1:9',
      'DTP*472*D8*20261340',
    ]);
    const { findings } = await read837All(text);
    expect(findings.length).toBeGreaterThanOrEqual(5);
    for (const value of ['TESTPATIENT', 'ALPHA', 'TST000111', '19800230', 'PCN-SECRET', '12A', 'Q999', '77.777', '20261340', 'I10']) {
      for (const f of findings) expect(f.message).not.toContain(value);
    }
  });

  it('does not throw on input that is not X12, and reports it', async () => {
    for (const input of ['', 'hello world', 'ISA*00*short~', professional([...BILLING, 'HL*2*1*22*0', ...SUBSCRIBER, 'CLM*PCN-CUT*100']).slice(0, -40)]) {
      const { claims, report } = await read837All(input);
      expect(report.verdict).toBe('rejected');
      expect(claims.length).toBeLessThanOrEqual(1);
    }
  });
});

describe('read837 streaming', () => {
  it('yields claims before the end of the input, and does not hold them', async () => {
    const chunks = [...generate837P({ targetBytes: 6 * 1024 * 1024, seed: 11 })].map((c) => Buffer.from(c));
    let pulled = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (const chunk of chunks) {
        pulled++;
        yield chunk;
      }
    }
    // Live heap only: collect garbage before each reading, so the figure says what the reader holds.
    v8.setFlagsFromString('--expose-gc');
    const collect = vm.runInNewContext('gc') as () => void;
    collect();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let count = 0;
    let pulledAtFirstClaim = -1;
    const it = read837(source());
    let next = await it.next();
    while (!next.done) {
      const read: ClaimRead = next.value;
      if (pulledAtFirstClaim < 0) pulledAtFirstClaim = pulled;
      expect(read.findings).toEqual([]);
      count++;
      if (count % 500 === 0) {
        collect();
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }
      next = await it.next();
    }
    const { report } = next.value;
    expect(report.verdict).toBe('accepted');
    const declared = report.interchanges.flatMap((i) => i.groups.flatMap((g) => g.sets)).reduce((s, set) => s + set.counts.claims, 0);
    expect(count).toBe(declared);
    expect(count).toBeGreaterThan(10000);
    expect(pulledAtFirstClaim).toBeLessThanOrEqual(2);
    expect(chunks.length).toBeGreaterThan(50);
    // Holding ~15 000 claims with their sources would take several hundred MB.
    expect(peak).toBeLessThan(150 * 1024 * 1024);
  });
});
