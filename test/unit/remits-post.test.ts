/**
 * Posting: adjustments classified in DESIGN.md's order through the code sets, totals by category, the
 * allowed amount, postings built from a stored decision, and the claim's adjudication (status and net
 * totals) summed from all its postings, reversals included.
 */
import type { CodeSets } from '../../src/rules/codesets/types.ts';
import { loadCodeSets } from '../../src/rules/codesets/index.ts';
import { adjudicationOf, classifyAdjustments, isOpen, postingOf, postingTotalsOf, standingPaymentsWith, statusOfTotals } from '../../src/remits/post.ts';
import { postingIdOf, type ClaimPaymentRecord, type ServiceLineMatch } from '../../src/remits/ports.ts';
import type { ClaimPayment } from '../../schemas/remittance.schema.ts';
import { paymentOf, postingOf as postingFixture } from './remits-fixtures.ts';

let codeSets: CodeSets;
beforeAll(async () => {
  codeSets = await loadCodeSets();
});

const ZERO = { chargeCents: 0, paidCents: 0, patientResponsibilityCents: 0, contractualCents: 0, deniedCents: 0, informationalCents: 0, allowedCents: 0 };

describe('classifying adjustments', () => {
  it('follows the order: PR, contractual CARC, OA-23, then the CARC (refined by a RARC when it says "see remark")', () => {
    const classified = classifyAdjustments(
      [
        { group: 'PR', reason: '1', amount: 2000 },
        { group: 'PR', reason: '50', amount: 100 },
        { group: 'CO', reason: '45', amount: 1802, quantity: 1 },
        { group: 'OA', reason: '23', amount: 500 },
        { group: 'CO', reason: '50', amount: 2621 },
        { group: 'CO', reason: '197', amount: 8078 },
      ],
      [],
      codeSets,
    );
    expect(classified.map((a) => [a.group, a.carc, a.category, a.queue])).toEqual([
      ['PR', '1', 'patient-responsibility', undefined],
      ['PR', '50', 'patient-responsibility', undefined],
      ['CO', '45', 'contractual', undefined],
      ['OA', '23', 'informational', undefined],
      ['CO', '50', 'clinical', 'clinical'],
      ['CO', '197', 'billing', 'billing'],
    ]);
    expect(classified[2]).toEqual({ group: 'CO', carc: '45', amountCents: 1802, quantity: 1, rarcs: [], category: 'contractual' });
  });

  it('routes CO-16 by its remark: M76 to coding, N382 to billing', () => {
    expect(classifyAdjustments([{ group: 'CO', reason: '16', amount: 13409 }], ['M76'], codeSets)[0]).toEqual({
      group: 'CO',
      carc: '16',
      amountCents: 13409,
      rarcs: ['M76'],
      category: 'coding',
      queue: 'coding',
    });
    expect(classifyAdjustments([{ group: 'CO', reason: '16', amount: 100 }], ['N382'], codeSets)[0]?.queue).toBe('billing');
  });

  it('sends a CARC missing from the table to billing, flagged', () => {
    expect(classifyAdjustments([{ group: 'CO', reason: 'ZZ9', amount: 100 }], [], codeSets)[0]).toMatchObject({ category: 'billing', queue: 'billing', unknownCarc: true });
  });
});

function record(payment: ClaimPayment, lines: ServiceLineMatch[]): ClaimPaymentRecord {
  return {
    remittanceId: 'demo-billing-remit',
    tenant: 'demo-billing',
    position: 3,
    setControl: '0001',
    payer: 'TESTPPO01',
    traceNumber: 'PPOEFT1',
    paymentDate: '2026-11-13',
    claimPayment: payment,
    match: { kind: 'matched', claimId: 'claim-5', matchedBy: 'patient-control-number', lines },
  };
}

describe('a posting', () => {
  const payment = paymentOf({
    pcn: 'CPP001000000005',
    payerClaimControlNumber: 'PPO5',
    claimRemarks: ['N382'],
    lines: [
      { code: 'G0439', charge: 13002, paid: 9200, adjustments: [['CO', '45', 1802], ['PR', '2', 2000]], allowed: 11200, lineControlNumber: 'L1' },
      { code: 'G0439', charge: 13409, paid: 0, adjustments: [['CO', '16', 13409]], remarks: ['M76'] },
      { code: 'G0402', modifiers: ['25'], charge: 17939, paid: 14000, adjustments: [['CO', '45', 3939]], units: 1 },
    ],
  });

  it('carries the decision, the classified adjustments per line and the totals by category', () => {
    const posting = postingOf(
      record(payment, [
        { line: 1, matchedBy: 'control-number' },
        { line: 2, matchedBy: 'procedure' },
        { matchedBy: 'unmatched' },
      ]),
      { postedAt: '2026-11-21T10:00:00.000Z', router: codeSets },
    );
    expect(posting.postingId).toBe(postingIdOf('demo-billing-remit', 3));
    expect(posting.postingId).toBe('demo-billing-remit-P0000003');
    expect(posting).toMatchObject({
      claimId: 'claim-5',
      remittanceId: 'demo-billing-remit',
      claimPaymentPosition: 3,
      postedAt: '2026-11-21T10:00:00.000Z',
      payer: 'TESTPPO01',
      traceNumber: 'PPOEFT1',
      paymentDate: '2026-11-13',
      claimStatusCode: '1',
      payerClaimControlNumber: 'PPO5',
      reversal: false,
      remarks: ['N382'],
    });
    // The line's own remark (M76) decides before the claim's (N382): a coding denial.
    expect(posting.lines[1]).toMatchObject({ line: 2, matchedBy: 'procedure', procedure: 'G0439', paidCents: 0, adjustments: [{ carc: '16', rarcs: ['M76', 'N382'], category: 'coding' }] });
    expect(posting.lines[2]).toEqual({
      matchedBy: 'unmatched',
      procedure: 'G0402',
      modifiers: ['25'],
      chargeCents: 17939,
      paidCents: 14000,
      units: 1,
      adjustments: [{ group: 'CO', carc: '45', amountCents: 3939, rarcs: ['N382'], category: 'contractual' }],
    });
    // Allowed: not every line has AMT*B6, so paid + patient responsibility.
    expect(posting.totals).toEqual({ chargeCents: 44350, paidCents: 23200, patientResponsibilityCents: 2000, contractualCents: 5741, deniedCents: 13409, informationalCents: 0, allowedCents: 25200 });
  });

  it('takes the allowed amount from AMT*B6 when every line has one', () => {
    const allowed = paymentOf({ pcn: 'P', lines: [{ code: 'J0696', charge: 2604, paid: 176, adjustments: [['CO', '45', 2384], ['PR', '2', 44]], allowed: 220 }] });
    const posted = postingOf(record(allowed, [{ line: 1, matchedBy: 'control-number' }]), { postedAt: '2026-11-21T10:00:00.000Z', router: codeSets });
    expect(posted.totals.allowedCents).toBe(220);
    expect(postingTotalsOf(allowed, [], posted.lines).allowedCents).toBe(220);
  });

  it('refuses to post an unmatched decision', () => {
    const unmatched: ClaimPaymentRecord = { ...record(payment, []), match: { kind: 'unmatched', reason: 'no-claim', candidates: 0 } };
    expect(() => postingOf(unmatched, { postedAt: '2026-11-21T10:00:00.000Z', router: codeSets })).toThrow(RangeError);
  });
});

describe('status of net totals', () => {
  it('is paid, partially paid or denied by what was denied and what was allowed (paid or owed)', () => {
    expect(statusOfTotals({ ...ZERO, paidCents: 100 })).toBe('paid');
    expect(statusOfTotals({ ...ZERO, patientResponsibilityCents: 15000 })).toBe('paid'); // all to the deductible
    expect(statusOfTotals({ ...ZERO, paidCents: 100, deniedCents: 50 })).toBe('partially-paid');
    expect(statusOfTotals({ ...ZERO, patientResponsibilityCents: 100, deniedCents: 50 })).toBe('partially-paid');
    expect(statusOfTotals({ ...ZERO, deniedCents: 2621 })).toBe('denied');
    expect(statusOfTotals({ ...ZERO, contractualCents: 500 })).toBe('paid');
  });
});

describe('a claim adjudication from its postings', () => {
  const paid = postingFixture({ postingId: 'r1-P0000001', payerClaimControlNumber: 'MCR0101', postedAt: '2026-11-13T10:00:00.000Z', totals: { chargeCents: 23554, paidCents: 15500, patientResponsibilityCents: 3000, contractualCents: 5054, allowedCents: 18500 } });
  const reversal = postingFixture({ postingId: 'r2-P0000001', reversal: true, payerClaimControlNumber: 'MCR0101', postedAt: '2026-11-20T10:00:00.000Z', totals: { chargeCents: -23554, paidCents: -15500, patientResponsibilityCents: -3000, contractualCents: -5054, allowedCents: -18500 } });
  const corrected = postingFixture({ postingId: 'r2-P0000002', payerClaimControlNumber: 'MCR0201', postedAt: '2026-11-20T10:00:00.000Z', totals: { chargeCents: 23554, paidCents: 17000, patientResponsibilityCents: 3000, contractualCents: 3554, allowedCents: 20000 } });

  it('has none without postings', () => {
    expect(adjudicationOf([])).toBeUndefined();
    expect(isOpen([])).toBe(true);
  });

  it('is the payment itself after one payment', () => {
    expect(adjudicationOf([paid])).toEqual({ status: 'paid', payerClaimControlNumber: 'MCR0101', totals: paid.totals, postingIds: ['r1-P0000001'], updatedAt: '2026-11-13T10:00:00.000Z' });
    expect(isOpen([paid])).toBe(false);
  });

  it('is reversed, with zero totals and open again, after the reversal', () => {
    const adjudication = adjudicationOf([reversal, paid]);
    expect(adjudication).toEqual({ status: 'reversed', payerClaimControlNumber: 'MCR0101', totals: ZERO, postingIds: ['r1-P0000001', 'r2-P0000001'], updatedAt: '2026-11-20T10:00:00.000Z' });
    expect(isOpen([paid, reversal])).toBe(true);
  });

  it('is the corrected payment after reversal and correction, whatever order the postings are read in', () => {
    const expected = {
      status: 'paid',
      payerClaimControlNumber: 'MCR0201',
      totals: { chargeCents: 23554, paidCents: 17000, patientResponsibilityCents: 3000, contractualCents: 3554, deniedCents: 0, informationalCents: 0, allowedCents: 20000 },
      postingIds: ['r1-P0000001', 'r2-P0000001', 'r2-P0000002'],
      updatedAt: '2026-11-20T10:00:00.000Z',
    };
    expect(adjudicationOf([paid, reversal, corrected])).toEqual(expected);
    expect(adjudicationOf([corrected, paid, reversal])).toEqual(expected);
  });

  it('is denied when everything was denied, partially paid when some was', () => {
    expect(adjudicationOf([postingFixture({ postingId: 'a', totals: { chargeCents: 2621, deniedCents: 2621 } })])?.status).toBe('denied');
    expect(adjudicationOf([postingFixture({ postingId: 'b', totals: { chargeCents: 44350, paidCents: 23200, patientResponsibilityCents: 2000, deniedCents: 13409 } })])?.status).toBe('partially-paid');
  });

  it('knows which payments under a CLP07 still stand', () => {
    expect(standingPaymentsWith([paid, corrected], 'MCR0101').map((p) => p.postingId)).toEqual(['r1-P0000001']);
    expect(standingPaymentsWith([paid, reversal, corrected], 'MCR0101')).toEqual([]);
  });
});
