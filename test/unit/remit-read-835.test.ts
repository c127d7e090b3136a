/**
 * The 835 reader: field by field on a hand-written, fictional 835 (test/fixtures/835-full.x12), bad
 * values (test/fixtures/835-bad-values.x12) read into findings while the rest is still read,
 * streaming (claim payments before the file is consumed; any chunking gives the same model), and the
 * public corpus 835s (../shared/corpus/x12) with the findings their known defects should give.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RemittanceSchema } from '../../schemas/remittance.schema.ts';
import { read835, read835All, type Remittance835Event } from '../../src/remits/read-835.ts';
import { generate835 } from '../../bench/generator.ts';

const fixture = (name: string): Buffer => readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)));
const corpusDirectory = fileURLToPath(new URL('../../../shared/corpus/x12', import.meta.url));
const corpusPresent = existsSync(corpusDirectory);
const corpusFile = (name: string): Buffer => readFileSync(`${corpusDirectory}/${name}`);

/** All issues of a report, flattened. */
function issuesOf(report: Awaited<ReturnType<typeof read835All>>['report']) {
  return [...report.fileIssues, ...report.interchanges.flatMap((x) => [...x.issues, ...x.groups.flatMap((g) => [...g.issues, ...g.sets.flatMap((s) => s.issues)])])];
}

async function* inChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('read835All on a full hand-written 835', () => {
  let result: Awaited<ReturnType<typeof read835All>>;
  beforeAll(async () => {
    result = await read835All(fixture('835-full.x12'));
  });

  it('validates cleanly, balances, and matches the schema', () => {
    expect(issuesOf(result.report)).toEqual([]);
    expect(result.findings).toEqual([]);
    expect(result.remittances).toHaveLength(1);
    expect(RemittanceSchema.safeParse(result.remittances[0]).success).toBe(true);
  });

  it('reads the envelope, payment (BPR), trace (TRN) and header references', () => {
    const r = result.remittances[0]!;
    expect(r.envelope).toEqual({ interchangeControl: '000000101', groupControl: '101', setControl: '0001', version: '005010X221A1', sender: 'FICTPAYER', receiver: 'SAMPLECLINIC' });
    expect(r.payment).toEqual({
      handlingCode: 'C',
      totalPaid: 6000,
      creditDebit: 'C',
      method: 'ACH',
      format: 'CCP',
      sender: { dfiQualifier: '01', dfiId: '999999992', accountQualifier: 'DA', accountNumber: '000123456' },
      payerIdentifier: '1999999999',
      receiver: { dfiQualifier: '01', dfiId: '999999989', accountQualifier: 'DA', accountNumber: '000654321' },
      paymentDate: '2026-11-15',
    });
    expect(r.trace).toEqual({ traceType: '1', traceNumber: 'EFT0000001', originatingCompanyId: '1999999999', originatingCompanySupplementalCode: 'SUPPL01' });
    expect(r.currency).toBe('USD');
    expect(r.receiverId).toBe('RECEIVER01');
    expect(r.versionId).toBe('VERSION1');
    expect(r.productionDate).toBe('2026-11-15');
    expect(r.sources['payment.totalPaid']).toEqual({ ordinal: 2, offset: expect.any(Number), loop: 'ST', segment: 'BPR', element: 2 });
  });

  it('reads the payer (1000A) and payee (1000B)', () => {
    const { payer, payee } = result.remittances[0]!;
    expect(payer).toMatchObject({
      name: 'FICTIONAL HEALTH PLAN',
      idQualifier: 'XV',
      id: 'FHP0000001',
      address: { lines: ['100 NOWHERE WAY', 'SUITE 1'], city: 'SAMPLETOWN', state: 'OH', postalCode: '000010000' },
      references: [{ qualifier: '2U', value: '99999' }],
      contacts: [
        { function: 'CX', name: 'PROVIDER SERVICES', numbers: [{ qualifier: 'TE', number: '5555550100' }] },
        { function: 'BL', name: 'EDI DESK', numbers: [{ qualifier: 'EM', number: 'EDI@EXAMPLE.INVALID' }] },
        { function: 'IC', numbers: [{ qualifier: 'UR', number: 'WWW.EXAMPLE.INVALID' }] },
      ],
    });
    expect(payee).toMatchObject({
      name: 'SAMPLE CLINIC',
      idQualifier: 'XX',
      id: '1234567893',
      npi: '1234567893',
      taxId: '123456789',
      address: { lines: ['1 TEST AVENUE'], city: 'ANYTOWN', state: 'PA', postalCode: '171110000' },
      references: [{ qualifier: 'TJ', value: '123456789' }],
      deliveryMethod: { code: 'EM', name: 'BILLING OFFICE', communicationNumber: 'BILLING@EXAMPLE.INVALID' },
    });
    expect(payee.sources['name']).toMatchObject({ loop: '1000B', segment: 'N1', element: 2 });
  });

  it('reads the header number with TS3 and TS2', () => {
    expect(result.remittances[0]!.headers).toEqual([
      {
        number: 1,
        providerSummary: { providerId: '1234567893', facilityType: '11', fiscalPeriodDate: '2026-12-31', claimCount: 3, totalCharge: 23000, totals: {} },
        supplementalSummary: { totals: { totalDrgAmount: 150000, totalFederalSpecificAmount: 120000 } },
      },
    ]);
  });

  it('reads a paid claim payment with every claim-level segment', () => {
    const claim = result.remittances[0]!.claimPayments[0]!;
    expect(claim).toMatchObject({
      headerNumber: 1,
      patientControlNumber: 'FIXPCN001',
      statusCode: '1',
      totalCharge: 30000,
      paid: 17000,
      patientResponsibility: 3800,
      filingIndicator: '12',
      payerClaimControlNumber: 'PAYERCLM0001',
      facilityType: '11',
      frequency: '1',
      adjustments: [{ group: 'PR', reason: '1', amount: 1000 }],
      patient: { entity: 'QC', entityType: '1', lastOrOrganizationName: 'FICTIONAL', firstName: 'PATIENT', middleName: 'Q', idQualifier: 'MI', id: 'FIC123456' },
      insured: { entity: 'IL', id: 'FIC999999' },
      correctedPatient: { entity: '74', lastOrOrganizationName: 'FICTIONALCORR' },
      serviceProvider: { entity: '82', idQualifier: 'XX', id: '1234567893' },
      crossoverCarrier: { entity: 'TT', entityType: '2', lastOrOrganizationName: 'CROSSOVER PLAN', idQualifier: 'PI', id: 'CO123' },
      correctedPriorityPayer: { entity: 'PR', id: 'PP456' },
      otherSubscriber: { entity: 'GB', id: 'OS789' },
      outpatient: { reimbursementRate: 0.8, hcpcsPayableAmount: 15000, remarkCodes: ['MA01', 'MA18'] },
      references: [
        { qualifier: '1L', value: 'GROUPFIC01' },
        { qualifier: 'F8', value: 'ORIGCLAIM01' },
      ],
      statementPeriod: { from: '2026-11-01', to: '2026-11-02' },
      coverageExpirationDate: '2027-12-31',
      receivedDate: '2026-11-10',
      contacts: [{ function: 'CX', name: 'CLAIMS DESK', numbers: [{ qualifier: 'TE', number: '5555550123' }] }],
      amounts: [{ qualifier: 'AU', amount: 30000 }],
      quantities: [{ qualifier: 'CA', quantity: 2 }],
    });
    expect(claim.dates.map((d) => d.qualifier)).toEqual(['232', '233', '036', '050']);
    expect(claim.sources['paid']).toMatchObject({ loop: '2100', segment: 'CLP', element: 4 });
    expect(claim.sources['adjustments.0']).toMatchObject({ loop: '2100', segment: 'CAS', element: 3 });
  });

  it('reads service lines: procedures, units, dates, every CAS trio, REF 6R, AMT B6, QTY, LQ', () => {
    const [first, second] = result.remittances[0]!.claimPayments[0]!.serviceLines;
    expect(first).toMatchObject({
      procedure: { qualifier: 'HC', code: '99213', modifiers: ['25'] },
      charge: 20000,
      paid: 12000,
      unitsPaid: 1,
      serviceDates: { from: '2026-11-01', to: '2026-11-02' },
      adjustments: [
        { group: 'CO', reason: '45', amount: 5000, quantity: 1 },
        { group: 'CO', reason: '253', amount: 200 },
        { group: 'PR', reason: '2', amount: 2800 },
      ],
      references: [{ qualifier: 'G1', value: 'PRIORAUTH1' }],
      lineControlNumber: 'LINE0001',
      allowedAmount: 15000,
      amounts: [{ qualifier: 'B6', amount: 15000 }],
      quantities: [{ qualifier: 'ZK', quantity: 1 }],
      remarks: [
        { qualifier: 'HE', code: 'M15' },
        { qualifier: 'HE', code: 'N130' },
      ],
    });
    expect(second).toMatchObject({
      procedure: { qualifier: 'HC', code: 'J1100', modifiers: ['RT', 'LT'] },
      charge: 10000,
      paid: 6000,
      revenueCode: '0250',
      unitsPaid: 2,
      originalProcedure: { qualifier: 'HC', code: 'J1100', modifiers: [] },
      originalUnits: 3,
      serviceDates: { from: '2026-11-02', to: '2026-11-02' },
      lineControlNumber: 'LINE0002',
    });
    expect(first!.sources['paid']).toMatchObject({ loop: '2110', segment: 'SVC', element: 3 });
    expect(first!.sources['lineControlNumber']).toMatchObject({ loop: '2110', segment: 'REF', element: 2 });
  });

  it('reads a reversal with negative amounts and a denial with MIA', () => {
    const [, reversal, denial] = result.remittances[0]!.claimPayments;
    expect(reversal).toMatchObject({ patientControlNumber: 'FIXPCN000', statusCode: '22', totalCharge: -15000, paid: -9000 });
    expect(reversal!.serviceLines[0]).toMatchObject({ charge: -15000, paid: -9000, adjustments: [{ group: 'CO', reason: '45', amount: -6000 }] });
    expect(denial).toMatchObject({ statusCode: '4', totalCharge: 8000, paid: 0, serviceLines: [], adjustments: [{ group: 'CO', reason: '31', amount: 8000 }] });
    expect(denial!.inpatient).toEqual({ coveredDaysOrVisits: 0, remarkCodes: ['N30'] });
  });

  it('reads PLB pairs and computes the totals', () => {
    const r = result.remittances[0]!;
    expect(r.providerAdjustments).toEqual([
      {
        providerId: '1234567893',
        fiscalPeriodDate: '2026-12-31',
        adjustments: [
          { reason: 'WO', reference: 'PAYERCLM0000', amount: 2500 },
          { reason: 'L6', amount: -500 },
        ],
        sources: expect.objectContaining({ 'adjustments.1': expect.objectContaining({ segment: 'PLB', element: 6 }) }),
      },
    ]);
    expect(r.totals).toEqual({ claimPayments: 3, serviceLines: 3, charged: 23000, paid: 8000, providerAdjustments: 2000 });
  });
});

describe('read835 streaming', () => {
  it('hands on claim payments with their header, then the remittance without its claim payments', async () => {
    const events: Remittance835Event[] = [];
    const stream = read835(fixture('835-full.x12'));
    for await (const event of stream) events.push(event);
    expect(events.map((e) => e.kind)).toEqual(['claimPayment', 'claimPayment', 'claimPayment', 'remittance']);
    const first = events[0]!;
    if (first.kind !== 'claimPayment') throw new Error('expected a claim payment');
    expect(first.header.payer.name).toBe('FICTIONAL HEALTH PLAN');
    expect(first.header.payment.totalPaid).toBe(6000);
    const last = events[3]!;
    if (last.kind !== 'remittance') throw new Error('expected the remittance');
    expect('claimPayments' in last.remittance).toBe(false);
    expect(last.remittance.totals.claimPayments).toBe(3);
  });

  it('reads the same model whatever the chunking', async () => {
    const bytes = fixture('835-full.x12');
    const whole = await read835All(bytes);
    for (const size of [1, 7, 64, 1000]) {
      const chunked = await read835All(inChunks(bytes, size));
      expect(chunked.remittances).toEqual(whole.remittances);
      expect(chunked.findings).toEqual(whole.findings);
    }
  });

  it('yields claim payments before the source is consumed (memory stays flat)', async () => {
    let chunksPulled = 0;
    let totalChunks = 0;
    const chunks = [...generate835({ targetBytes: 2_000_000, seed: 11, chunkSize: 16 * 1024 })];
    async function* source(): AsyncGenerator<string> {
      for (const chunk of chunks) {
        chunksPulled++;
        yield chunk;
      }
    }
    totalChunks = chunks.length;
    let pulledAtFirstClaim = -1;
    let claims = 0;
    for await (const event of read835(source())) {
      if (event.kind === 'claimPayment' && pulledAtFirstClaim < 0) pulledAtFirstClaim = chunksPulled;
      if (event.kind === 'claimPayment') claims++;
    }
    expect(claims).toBeGreaterThan(1000);
    expect(pulledAtFirstClaim).toBeGreaterThan(0);
    expect(pulledAtFirstClaim).toBeLessThan(3);
    expect(totalChunks).toBeGreaterThan(100);
  });
});

describe('bad values', () => {
  it('become findings with their position, and the rest is still read', async () => {
    const { remittances, findings } = await read835All(fixture('835-bad-values.x12'));
    expect(remittances).toHaveLength(1);
    const claims = remittances[0]!.claimPayments;
    expect(claims.map((c) => c.patientControlNumber)).toEqual(['BADPCN1', 'BADPCN2', 'GOODPCN3']);
    expect(findings.map((f) => [f.code, f.claimRef, f.location?.segment, f.location?.element])).toEqual([
      ['READ_INVALID_AMOUNT', 'BADPCN1', 'CLP', 3],
      ['READ_INVALID_DATE', 'BADPCN1', 'DTM', 2],
      ['READ_INVALID_AMOUNT', 'BADPCN2', 'CAS', 3],
      ['READ_ORPHAN_SEGMENT', undefined, 'SVC', undefined],
    ]);
    // Balancing that would use a bad value is skipped; the valid parts are still read and balanced.
    expect(findings.some((f) => f.origin === 'balancing')).toBe(false);
    expect(claims[0]!.paid).toBe(10000);
    expect(claims[0]!.serviceLines[0]!.serviceDates).toBeUndefined();
    expect(claims[2]!.serviceLines[0]).toMatchObject({ charge: 7000, paid: 7000, serviceDates: { from: '2026-11-01', to: '2026-11-01' } });
    // Messages name elements, never values.
    for (const f of findings) expect(f.message).not.toMatch(/1OO|TEN|20261345/);
  });

  it('reads garbage without throwing', async () => {
    const { remittances, report } = await read835All('ISA*this is not x12~CLP*1*2*3~');
    expect(remittances).toEqual([]);
    expect(report.verdict).toBe('rejected');
  });
});

const corpus835 = corpusPresent ? readdirSync(corpusDirectory).filter((f) => f.startsWith('835')).sort() : [];

/** What each corpus 835 should give, from SOURCES.md's description of its defects. */
const expectedFindings: Record<string, readonly string[]> = {
  '835-anesthesia-denial-and-paid.x12': [],
  // SVC01 'HC>55669' under ISA16 ':'.
  '835-annotated-secondary-cob-validator-errors.txt': ['READ_FOREIGN_COMPONENT_SEPARATOR'],
  '835-cob-contractual-adjustment-negative-cas.x12': ['READ_FOREIGN_COMPONENT_SEPARATOR'],
  '835-emedny-professional-vision-3claims.x12': [],
  // Its defect is in the envelope (ST02/SE02): the content reads and balances.
  '835-institutional-revcodes-denied-se-mismatch.x12': [],
  // 'CAS_CO*45*50' is no CAS: the second claim's line and the claim no longer balance.
  '835-malformed-cas-underscore-and-shifted-bpr.x12': ['BALANCE_SERVICE_LINE', 'BALANCE_CLAIM_PAYMENT'],
  // BPR16 '20002316' is not a date.
  '835-managed-care-claim-and-line-cas.x12': ['READ_INVALID_DATE'],
  '835-medicaid-denied-non-payment-bpr-h.x12': [],
  // 'SVC*HC*24599.00*1766.50*187.50': the procedure shifted into SVC02, so the line no longer balances.
  '835-tertiary-payment-single-line.x12': ['BALANCE_SERVICE_LINE'],
};

(corpusPresent ? describe : describe.skip)('the public corpus 835s', () => {
  it.each(corpus835)('%s reads, with the findings its defects give', async (file) => {
    const result = await read835All(corpusFile(file), { leadingText: file.endsWith('.txt') ? 'skip' : 'reject' });
    expect(result.remittances.length).toBeGreaterThan(0);
    expect(result.remittances.every((r) => r.claimPayments.length > 0)).toBe(true);
    expect(result.findings.map((f) => f.code)).toEqual(expectedFindings[file] ?? []);
    // Every corpus remittance balances at the transaction level (BPR02 = Σ CLP04 − Σ PLB).
    expect(result.findings.some((f) => f.code === 'BALANCE_TRANSACTION')).toBe(false);
    for (const r of result.remittances) expect(RemittanceSchema.safeParse(r).success).toBe(true);
  });

  it('reads the known values of the malformed demo file, with exact imbalance amounts', async () => {
    const { remittances, findings } = await read835All(corpusFile('835-malformed-cas-underscore-and-shifted-bpr.x12'));
    const claim = remittances[0]!.claimPayments[1]!;
    expect(claim).toMatchObject({ patientControlNumber: '8765432112', totalCharge: 120000, paid: 49500 });
    expect(findings[0]).toMatchObject({ code: 'BALANCE_SERVICE_LINE', claimRef: '8765432112', line: 1, amounts: { expected: 60000, actual: 55000 } });
    expect(findings[1]).toMatchObject({ code: 'BALANCE_CLAIM_PAYMENT', claimRef: '8765432112', amounts: { expected: 54500, actual: 49500 } });
  });

  it('reads the negative CAS and the procedure written with a foreign separator', async () => {
    const { remittances } = await read835All(corpusFile('835-cob-contractual-adjustment-negative-cas.x12'));
    const line = remittances[0]!.claimPayments[0]!.serviceLines[0]!;
    expect(line.procedure).toEqual({ qualifier: 'HC', code: '55669', modifiers: [] });
    expect(line.adjustments).toEqual([
      { group: 'OA', reason: '23', amount: 51600 },
      { group: 'OA', reason: '94', amount: -900 },
    ]);
    expect(line.allowedAmount).toBe(55000);
  });

  it('reads an institutional remittance with revenue codes and corrected names', async () => {
    const { remittances, report } = await read835All(corpusFile('835-institutional-revcodes-denied-se-mismatch.x12'));
    const issues = report.interchanges.flatMap((x) => x.groups.flatMap((g) => g.sets.flatMap((s) => s.issues)));
    expect(issues.some((i) => i.level === 'set' && i.code === '3')).toBe(true);
    const denied = remittances[0]!.claimPayments[1]!;
    expect(denied.filingIndicator).toBe('HM');
    expect(denied.correctedPatient).toMatchObject({ entity: '74', idQualifier: 'C', id: '0000999998' });
    expect(denied.serviceLines.map((l) => l.procedure.qualifier + ':' + l.procedure.code)).toEqual(['NU:0250', 'NU:0271', 'HC:85025', 'NU:0636', 'HC:36591']);
    expect(denied.serviceLines[2]!.revenueCode).toBe('0300');
    expect(denied.serviceLines.every((l) => l.remarks[0]?.code === 'N142')).toBe(true);
  });
});
