/**
 * SNIP 3 balancing of the 835: the three equations on the model with exact cents (a one-cent error is
 * found), reversal-style negative amounts, debit payments, PLB in both directions, the same checks
 * while streaming (with the findings' locations in the file), and a generated 835 that balances.
 */
import type { ClaimPayment, Remittance, ServicePayment } from '../../schemas/remittance.schema.ts';
import { generate835 } from '../../bench/generator.ts';
import { BalanceCode, balanceClaimPayment, balanceRemittance, balanceServicePayment, TransactionBalance } from '../../src/remits/balance-835.ts';
import { read835All } from '../../src/remits/read-835.ts';
import { interchange } from '../support/x12.ts';

function line(charge: number, paid: number, adjustments: [string, string, number][]): ServicePayment {
  return {
    procedure: { qualifier: 'HC', code: '99213', modifiers: [] },
    charge,
    paid,
    dates: [],
    adjustments: adjustments.map(([group, reason, amount]) => ({ group, reason, amount })),
    references: [],
    amounts: [],
    quantities: [],
    remarks: [],
    sources: { paid: { ordinal: 9, offset: 400, loop: '2110', segment: 'SVC', element: 3 } },
  };
}

function claim(totalCharge: number, paid: number, adjustments: [string, string, number][], serviceLines: ServicePayment[]): ClaimPayment {
  return {
    patientControlNumber: 'PCN1',
    statusCode: '1',
    totalCharge,
    paid,
    adjustments: adjustments.map(([group, reason, amount]) => ({ group, reason, amount })),
    references: [],
    dates: [],
    contacts: [],
    amounts: [],
    quantities: [],
    serviceLines,
    sources: { paid: { ordinal: 5, offset: 200, loop: '2100', segment: 'CLP', element: 4 } },
  };
}

function remittance(totalPaid: number, creditDebit: string, claimPayments: ClaimPayment[], plb: number[]): Remittance {
  return {
    envelope: { interchangeControl: '1', groupControl: '1', setControl: '0001', version: '005010X221A1' },
    payment: { handlingCode: 'I', totalPaid, creditDebit, method: 'CHK' },
    payer: { name: 'P', references: [], contacts: [], sources: {} },
    payee: { name: 'Q', references: [], sources: {} },
    headers: [],
    providerAdjustments: [{ providerId: '1', adjustments: plb.map((amount) => ({ reason: 'WO', amount })), sources: {} }],
    totals: { claimPayments: 0, serviceLines: 0, charged: 0, paid: 0, providerAdjustments: 0 },
    sources: { 'payment.totalPaid': { ordinal: 2, offset: 100, loop: 'ST', segment: 'BPR', element: 2 } },
    claimPayments,
  };
}

describe('service line: SVC02 − ΣCAS = SVC03', () => {
  it('balances to the cent', () => {
    expect(balanceServicePayment(line(10000, 6543, [['CO', '45', 2457], ['PR', '3', 1000]]), 'PCN1', 1)).toBeUndefined();
  });

  it('finds a one-cent imbalance, with expected and actual amounts and the SVC03 location', () => {
    const finding = balanceServicePayment(line(10000, 6544, [['CO', '45', 2457], ['PR', '3', 1000]]), 'PCN1', 2);
    expect(finding).toEqual({
      origin: 'balancing',
      code: BalanceCode.serviceLine,
      severity: 'reject',
      message: expect.stringContaining('Service line 2'),
      amounts: { expected: 6543, actual: 6544 },
      location: { ordinal: 9, offset: 400, loop: '2110', segment: 'SVC', element: 3 },
      claimRef: 'PCN1',
      line: 2,
    });
  });

  it('balances a reversal line with negative amounts and a negative adjustment', () => {
    expect(balanceServicePayment(line(-15000, -9000, [['CO', '45', -6000]]), 'PCN1', 1)).toBeUndefined();
    // OA-94 (processed in excess of charges) is negative: it raises the payment.
    expect(balanceServicePayment(line(54100, 3400, [['OA', '23', 51600], ['OA', '94', -900]]), 'PCN1', 1)).toBeUndefined();
  });
});

describe('claim payment: CLP03 − ΣCAS(claim + lines) = CLP04', () => {
  it('counts claim-level and line-level adjustments together', () => {
    const c = claim(30000, 17000, [['PR', '1', 1000]], [line(20000, 12000, [['CO', '45', 5000], ['PR', '2', 3000]]), line(10000, 6000, [['CO', '45', 4000]])]);
    expect(balanceClaimPayment(c)).toEqual([]);
  });

  it('reports the claim and the line that do not balance, not the ones that do', () => {
    const c = claim(30000, 17001, [['PR', '1', 1000]], [line(20000, 12001, [['CO', '45', 5000], ['PR', '2', 3000]]), line(10000, 6000, [['CO', '45', 4000]])]);
    const findings = balanceClaimPayment(c);
    expect(findings.map((f) => [f.code, f.line, f.amounts])).toEqual([
      [BalanceCode.serviceLine, 1, { expected: 12000, actual: 12001 }],
      [BalanceCode.claimPayment, undefined, { expected: 17000, actual: 17001 }],
    ]);
    expect(findings[1]!.location).toMatchObject({ segment: 'CLP', element: 4 });
  });

  it('balances a denial without lines', () => {
    expect(balanceClaimPayment(claim(8000, 0, [['CO', '31', 8000]], []))).toEqual([]);
  });
});

describe('transaction: ΣCLP04 − ΣPLB = BPR02', () => {
  it('subtracts recoveries and adds interest (negative PLB)', () => {
    const r = remittance(6000, 'C', [claim(30000, 17000, [['CO', '45', 13000]], []), claim(-15000, -9000, [['CO', '45', -6000]], [])], [2500, -500]);
    expect(balanceRemittance(r)).toEqual([]);
  });

  it('finds a total off by one cent, at BPR02', () => {
    const r = remittance(6001, 'C', [claim(30000, 17000, [['CO', '45', 13000]], []), claim(-15000, -9000, [['CO', '45', -6000]], [])], [2500, -500]);
    expect(balanceRemittance(r)).toEqual([
      expect.objectContaining({ code: BalanceCode.transaction, amounts: { expected: 6000, actual: 6001 }, location: expect.objectContaining({ segment: 'BPR', element: 2 }) }),
    ]);
  });

  it('reads BPR02 as the provider’s debt when BPR03 is D', () => {
    const r = remittance(2000, 'D', [claim(-15000, -2000, [['CO', '45', -13000]], [])], []);
    expect(balanceRemittance(r)).toEqual([]);
    const credit = remittance(2000, 'C', [claim(-15000, -2000, [['CO', '45', -13000]], [])], []);
    expect(balanceRemittance(credit).map((f) => f.amounts)).toEqual([{ expected: -2000, actual: 2000 }]);
  });

  it('accumulates while streaming, holding only two sums', () => {
    const total = new TransactionBalance();
    for (let i = 0; i < 1000; i++) total.addClaimPayment({ paid: 1001 });
    total.addProviderAdjustment({ adjustments: [{ reason: 'WO', amount: 1000 }] });
    expect(total.check({ payment: { handlingCode: 'I', totalPaid: 1_000_000, creditDebit: 'C', method: 'CHK' }, sources: {} })).toBeUndefined();
  });
});

/** A small 835 with the given body after the payer/payee loops. */
function remit835(bpr02: string, body: string[]): string {
  return interchange([
    {
      id: '835',
      version: '005010X221A1',
      body: [
        `BPR*I*${bpr02}*C*CHK************20261115`,
        'TRN*1*CHK0000009*1999999999',
        'N1*PR*FICTIONAL HEALTH PLAN',
        'N3*100 NOWHERE WAY',
        'N4*SAMPLETOWN*OH*00001',
        'PER*BL*EDI DESK*TE*5555550100',
        'N1*PE*SAMPLE CLINIC*XX*1234567893',
        'LX*1',
        ...body,
      ],
    },
  ]).replace(/ST\*835\*(\d{4})\*005010X221A1/, 'ST*835*$1');
}

describe('balancing while reading', () => {
  it('reports each imbalance once, at its segment, with exact cents', async () => {
    const text = remit835('100.01', [
      'CLP*PCNA*1*100.05*60.05**12*PCCA',
      'NM1*QC*1*FICTIONAL*PATIENT****MI*FIC0001',
      'SVC*HC:99213*60.10*40.04',
      'CAS*CO*45*20.05',
      'SVC*HC:99214*40*20',
      'CAS*PR*3*20',
      'CLP*PCNB*1*40*39.95**12*PCCB',
      'CAS*CO*45*0.05',
      'NM1*QC*1*FICTIONAL*PATIENT****MI*FIC0002',
    ]);
    const { findings, report } = await read835All(text);
    expect(report.interchanges[0]!.groups[0]!.sets[0]!.issues).toEqual([]);
    expect(findings.map((f) => [f.code, f.claimRef, f.line, f.amounts, f.location?.segment, f.location?.element])).toEqual([
      ['BALANCE_SERVICE_LINE', 'PCNA', 1, { expected: 4005, actual: 4004 }, 'SVC', 3],
      ['BALANCE_CLAIM_PAYMENT', 'PCNA', undefined, { expected: 6000, actual: 6005 }, 'CLP', 4],
      ['BALANCE_TRANSACTION', undefined, undefined, { expected: 10000, actual: 10001 }, 'BPR', 2],
    ]);
    expect(findings[0]!.location?.ordinal).toBe(12);
  });

  it('balances a reversal and its correction in one remittance', async () => {
    const text = remit835('25', [
      'CLP*PCNR*22*-100*-75**12*PCCOLD',
      'CAS*CO*45*-25',
      'NM1*QC*1*FICTIONAL*PATIENT****MI*FIC0003',
      'CLP*PCNR*1*100*100**12*PCCNEW',
      'NM1*QC*1*FICTIONAL*PATIENT****MI*FIC0003',
    ]);
    const { findings, remittances } = await read835All(text);
    expect(findings).toEqual([]);
    expect(remittances[0]!.claimPayments.map((c) => [c.statusCode, c.paid])).toEqual([
      ['22', -7500],
      ['1', 10000],
    ]);
  });
});

describe('a generated 835', () => {
  it('reads and balances with no findings', async () => {
    const { remittances, findings, report } = await read835All(generate835({ targetBytes: 400_000, seed: 7, claimsPerTransaction: 50 }));
    expect(report.verdict).toBe('accepted');
    expect(findings).toEqual([]);
    expect(remittances.length).toBeGreaterThan(0);
    const claims = remittances.flatMap((r) => r.claimPayments);
    expect(claims.length).toBeGreaterThan(500);
    // The same checks on the whole model agree with the streamed ones.
    for (const r of remittances) expect(balanceRemittance(r)).toEqual([]);
    expect(claims.some((c) => c.statusCode === '4')).toBe(true);
    expect(remittances.some((r) => r.providerAdjustments.length > 0)).toBe(true);
  });
});
