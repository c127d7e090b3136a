/**
 * SNIP 3 balancing of 837 claims: CLM02 = Σ line charges; per other payer, CLM02 − Σ its CAS (2320 and
 * 2430) = AMT*D; per line adjudication, line charge − Σ 2430 CAS = SVD02. Imbalances are findings with
 * the amounts and the element's location, never corrections; checks on unreadable amounts are skipped.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Claim } from '../../schemas/claim.schema.ts';
import { adjustmentTotal, balance837 } from '../../src/claims/balance-837.ts';
import { read837All } from '../../src/claims/read-837.ts';
import { interchange } from '../support/x12.ts';

/** The first claim of the 837P fixture: two lines and one other payer that adjudicated both. */
async function professionalClaim(): Promise<Claim> {
  const { claims } = await read837All(readFileSync(fileURLToPath(new URL('../fixtures/837p-professional.x12', import.meta.url))));
  return claims[0]!;
}

describe('balance837', () => {
  it('finds nothing on a balanced claim (lines, other payer, line adjudications)', async () => {
    const claim = await professionalClaim();
    expect(balance837(claim)).toEqual([]);
  });

  it('reports CLM02 that is not the sum of the line charges, with both amounts, at CLM02', async () => {
    const claim = await professionalClaim();
    claim.totalCharge = 26000;
    const findings = balance837(claim);
    expect(findings).toContainEqual(
      expect.objectContaining({
        origin: 'balancing',
        code: 'BALANCE_CLAIM_LINES',
        severity: 'reject',
        claimRef: 'PCN-P-0001',
        amounts: { expected: 25000, actual: 26000 },
        location: expect.objectContaining({ segment: 'CLM', element: 2 }),
      }),
    );
    // The total is also what the other payer's balance starts from.
    expect(findings.map((f) => f.code)).toEqual(['BALANCE_CLAIM_LINES', 'BALANCE_OTHER_PAYER_PAID']);
  });

  it('reports an other payer whose paid amount is not the charge less all its adjustments (2320 and 2430 CAS)', async () => {
    const claim = await professionalClaim();
    // 250.00 − (10.00 claim CAS + 40.00 + 90.00 line CAS) = 110.00 paid.
    expect(claim.otherPayers[0]!.paidAmount).toBe(11000);
    claim.otherPayers[0]!.paidAmount = 12000;
    expect(balance837(claim)).toEqual([
      expect.objectContaining({ code: 'BALANCE_OTHER_PAYER_PAID', amounts: { expected: 11000, actual: 12000 }, location: expect.objectContaining({ segment: 'AMT', loop: '2320', element: 2 }) }),
    ]);
  });

  it('counts 2430 adjustments toward the other payer only when SVD01 names that payer', async () => {
    const claim = await professionalClaim();
    // Move the claim-level adjustment to a line: the payer still balances (ΣCAS unchanged) but the line does not.
    const moved = claim.otherPayers[0]!.adjustments!.pop()!;
    claim.lines[0]!.adjudications![0]!.adjustments!.push(moved);
    expect(balance837(claim).map((f) => f.code)).toEqual(['BALANCE_LINE_ADJUDICATION']);
    // A line adjudicated by an unknown payer does not count toward this one, and is flagged.
    claim.lines[0]!.adjudications![0]!.otherPayerId = '12121';
    expect(balance837(claim).map((f) => [f.code, f.severity])).toEqual([
      ['BALANCE_OTHER_PAYER_PAID', 'reject'],
      ['BALANCE_UNKNOWN_OTHER_PAYER', 'warn'],
      ['BALANCE_LINE_ADJUDICATION', 'reject'],
    ]);
  });

  it('reports a line whose paid amount is not its charge less its 2430 adjustments, with the line number', async () => {
    const claim = await professionalClaim();
    claim.lines[1]!.adjudications![0]!.paidAmount = 6100;
    expect(balance837(claim)).toEqual([
      expect.objectContaining({ code: 'BALANCE_LINE_ADJUDICATION', line: 2, amounts: { expected: 6000, actual: 6100 }, location: expect.objectContaining({ segment: 'SVD', loop: '2430', element: 2 }) }),
    ]);
  });

  it('handles negative adjustments (a prior payer paying more than the charge)', async () => {
    const claim = await professionalClaim();
    const line = claim.lines[0]!;
    line.adjudications![0]!.adjustments = [{ group: 'OA', adjustments: [{ reason: '94', amount: -900 }] }];
    line.adjudications![0]!.paidAmount = 10900;
    claim.otherPayers[0]!.paidAmount = 25000 - 1000 - 9000 + 900;
    expect(balance837(claim)).toEqual([]);
  });

  it('skips checks whose amounts could not be read', async () => {
    const claim = await professionalClaim();
    claim.totalCharge = 0;
    expect(balance837(claim, { unreadable: new Set(['totalCharge']) })).toEqual([]);
  });

  it('sums adjustment groups exactly in cents', () => {
    const tenths = Array.from({ length: 10 }, () => ({ reason: '45', amount: 10 }));
    expect(adjustmentTotal([{ group: 'CO', adjustments: tenths }])).toBe(100);
    expect(adjustmentTotal(undefined)).toBe(0);
  });

  it('runs on every claim read837 yields, with the location of the element in the file', async () => {
    const text = interchange([
      {
        id: '837',
        version: '005010X222A1',
        body: [
          'BHT*0019*00*0123*20261120*1200*CH',
          'NM1*41*2*SAMPLE BILLING SERVICE*****46*TGJ23',
          'PER*IC*CONTACT DESK*TE*5555550100',
          'NM1*40*2*SAMPLE PAYER*****46*66783JJT',
          'HL*1**20*1',
          'NM1*85*2*SAMPLE CLINIC*****XX*1234567893',
          'N3*100 TEST AVENUE',
          'N4*ANYTOWN*PA*171110000',
          'REF*EI*123456789',
          'HL*2*1*22*0',
          'SBR*P*18*******CI',
          'NM1*IL*1*TESTPATIENT*ALPHA****MI*TST000111',
          'NM1*PR*2*SAMPLE HEALTH PLAN*****PI*99999',
          'CLM*PCN-IMBALANCED*150.10***11:B:1*Y*A*Y*Y',
          'HI*ABK:I10',
          'LX*1',
          'SV1*HC:G0008*100.05*UN*1***1',
          'DTP*472*D8*20261101',
          'LX*2',
          'SV1*HC:J1100*50.04*UN*1***1',
          'DTP*472*D8*20261101',
        ],
      },
    ]);
    const { claims, findings } = await read837All(text);
    expect(claims).toHaveLength(1);
    expect(findings).toEqual([
      expect.objectContaining({ code: 'BALANCE_CLAIM_LINES', claimRef: 'PCN-IMBALANCED', amounts: { expected: 15009, actual: 15010 }, location: expect.objectContaining({ segment: 'CLM', element: 2, ordinal: 15 }) }),
    ]);
    // Read as-is: the imbalance is reported, never corrected.
    expect(claims[0]!.totalCharge).toBe(15010);
  });
});
