/**
 * Classification into queues and the work items of a remittance: denials (one item per claim payment
 * and queue, with reasons, amount at risk, appeal and timely-filing deadlines), underpayments against
 * the fee schedule, unmatched payments; and the deadlines' defaults.
 */
import type { Claim } from '../../schemas/claim.schema.ts';
import { PayerRuleSchema, type PayerRule } from '../../schemas/payer-rule.schema.ts';
import type { Posting } from '../../schemas/posting.schema.ts';
import type { CodeSets } from '../../src/rules/codesets/types.ts';
import { loadCodeSets } from '../../src/rules/codesets/index.ts';
import { appealDeadlineOf, DEFAULT_APPEAL_WINDOW_DAYS, DEFAULT_TIMELY_FILING_DAYS, timelyFilingDeadlineOf } from '../../src/remits/deadlines.ts';
import { denialWorkItems, describeAdjustment } from '../../src/remits/denials.ts';
import { lineShortfallsOf, underpaymentWorkItem, unmatchedPaymentWorkItem } from '../../src/remits/exceptions.ts';
import { postingOf } from '../../src/remits/post.ts';
import type { ClaimPaymentRecord, ServiceLineMatch } from '../../src/remits/ports.ts';
import { claimOf, paymentOf, type ServiceSpec } from './remits-fixtures.ts';

let codeSets: CodeSets;
beforeAll(async () => {
  codeSets = await loadCodeSets();
});

const CREATED = '2026-11-21T10:00:00.000Z';
const REMIT = 'demo-billing-remit';

function rule(document: Record<string, unknown>): PayerRule {
  return PayerRuleSchema.parse({ version: 1, effective: { from: '2024-10-01' }, severity: 'warn', ...document });
}

function recordOf(options: { claimLines?: ServiceLineMatch[]; lines: ServiceSpec[]; adjustments?: [string, string, number][]; status?: string; claimRemarks?: string[] }): ClaimPaymentRecord {
  const payment = paymentOf({ pcn: 'CPP001000000005', status: options.status, lines: options.lines, adjustments: options.adjustments, claimRemarks: options.claimRemarks, ...(options.adjustments ? { totalCharge: 44350 } : {}) });
  return {
    remittanceId: REMIT,
    tenant: 'demo-billing',
    position: 2,
    setControl: '0001',
    payer: 'TESTPPO01',
    paymentDate: '2026-11-13',
    claimPayment: payment,
    match: { kind: 'matched', claimId: 'claim-5', matchedBy: 'patient-control-number', lines: options.claimLines ?? options.lines.map((_, index) => ({ line: index + 1, matchedBy: 'control-number' as const })) },
  };
}

function posted(record: ClaimPaymentRecord): Posting {
  return postingOf(record, { postedAt: CREATED, router: codeSets });
}

describe('denial work items', () => {
  it('makes one item per queue with a denial, in coding, billing, clinical order, with reasons, amounts and deadlines', () => {
    const record = recordOf({
      adjustments: [['CO', '27', 1000]],
      lines: [
        { code: 'G0008', charge: 2621, paid: 0, adjustments: [['CO', '50', 2621]] },
        { code: 'G0439', charge: 13409, paid: 0, adjustments: [['CO', '16', 13409]], remarks: ['M76'] },
        { code: 'G0402', charge: 17939, paid: 13939, adjustments: [['CO', '45', 2000], ['PR', '1', 2000]] },
        { code: 'G0444', charge: 10381, paid: 10381 },
      ],
    });
    const items = denialWorkItems(posted(record), { chargeCents: 44350, appealDeadline: '2027-05-12', timelyFilingDeadline: '2027-02-19', createdAt: CREATED, descriptions: codeSets });
    expect(items.map((item) => [item.workItemId, item.queue, item.reasonCodes, item.amountAtRiskCents])).toEqual([
      [`claim-5-denial-${REMIT}-0000002-coding`, 'coding', ['CO-16'], 13409],
      [`claim-5-denial-${REMIT}-0000002-billing`, 'billing', ['CO-27'], 1000],
      [`claim-5-denial-${REMIT}-0000002-clinical`, 'clinical', ['CO-50'], 2621],
    ]);
    expect(items[0]).toEqual({
      workItemId: `claim-5-denial-${REMIT}-0000002-coding`,
      tenant: 'demo-billing',
      kind: 'denial',
      queue: 'coding',
      status: 'open',
      createdAt: CREATED,
      updatedAt: CREATED,
      claimId: 'claim-5',
      remittanceId: REMIT,
      claimPaymentPosition: 2,
      payer: 'TESTPPO01',
      reasonCodes: ['CO-16'],
      reasons: [
        {
          code: 'CO-16',
          source: 'adjustment',
          group: 'CO',
          carc: '16',
          rarcs: ['M76'],
          description: 'Claim or line lacks information or has a billing error; the remark says which — M76: Diagnosis or condition missing, incomplete or invalid',
          category: 'coding',
          line: 2,
          amountCents: 13409,
        },
      ],
      chargeCents: 44350,
      amountAtRiskCents: 13409,
      appealDeadline: '2027-05-12',
      timelyFilingDeadline: '2027-02-19',
      history: [{ at: CREATED, by: 'system', action: 'created', to: 'open', note: 'denial' }],
      revision: 0,
    });
    // A claim-level denial has no line.
    expect(items[1]?.reasons[0]).not.toHaveProperty('line');
  });

  it('makes none for a payment without denials, for a reversal, or for denials that give money back', () => {
    const paid = recordOf({ lines: [{ code: 'G0402', charge: 17939, paid: 14000, adjustments: [['CO', '45', 3939]] }] });
    expect(denialWorkItems(posted(paid), { chargeCents: 17939, appealDeadline: '2027-05-12', createdAt: CREATED, descriptions: codeSets })).toEqual([]);
    const reversal = recordOf({ status: '22', lines: [{ code: 'G0008', charge: -2621, paid: 0, adjustments: [['CO', '50', -2621]] }] });
    expect(denialWorkItems(posted(reversal), { chargeCents: 2621, appealDeadline: '2027-05-12', createdAt: CREATED, descriptions: codeSets })).toEqual([]);
    const refund = recordOf({ lines: [{ code: 'G0008', charge: 2621, paid: 2721, adjustments: [['CO', '50', -100]] }] });
    expect(denialWorkItems(posted(refund), { chargeCents: 2621, appealDeadline: '2027-05-12', createdAt: CREATED, descriptions: codeSets })).toEqual([]);
  });

  it('describes a CARC we do not know without guessing', () => {
    expect(describeAdjustment('ZZ9', [], codeSets)).toBe('Adjustment reason ZZ9, not in our code table: look it up');
    expect(describeAdjustment('50', ['ZZZ1'], codeSets)).toBe("Not medically necessary in the payer's judgement");
  });
});

describe('deadlines', () => {
  const claim: Claim = claimOf({ pcn: 'P', lines: [{ code: 'G0439', charge: 100, date: '2026-02-19' }, { code: 'G0439', charge: 100, date: '2026-02-17' }] });

  it("appeal: the payer's appeal window from the payment date, else the default", () => {
    const window = rule({ id: 'hmo-appeal', payer: 'TESTHMO01', kind: 'appeal-window', params: { days: 60 } });
    expect(appealDeadlineOf([window], '2026-11-13')).toBe('2027-01-12');
    expect(DEFAULT_APPEAL_WINDOW_DAYS).toBe(90);
    expect(appealDeadlineOf([], '2026-11-13')).toBe('2027-02-11');
  });

  it("timely filing: the payer's own rule before the every-payer one, its corrected-claim days when set, from the earliest date of service", () => {
    const own = rule({ id: 'ppo-tf', payer: 'TESTPPO01', kind: 'timely-filing', severity: 'reject', params: { days: 180, correctedClaimDays: 365 } });
    const every = rule({ id: 'all-tf', payer: '*', kind: 'timely-filing', severity: 'reject', params: { days: 90 } });
    expect(timelyFilingDeadlineOf([every, own], claim)).toBe('2027-02-17');
    expect(timelyFilingDeadlineOf([every], claim)).toBe('2026-05-18');
    expect(DEFAULT_TIMELY_FILING_DAYS).toBe(365);
    expect(timelyFilingDeadlineOf([], claim)).toBe('2027-02-17');
  });
});

describe('underpayments', () => {
  const feeSchedule = rule({
    id: 'ppo-fees',
    payer: 'TESTPPO01',
    kind: 'fee-schedule',
    effective: { from: '2026-01-01' },
    params: { entries: [{ code: 'G0463', allowed: 14800 }, { code: 'J1100', allowed: 120 }, { code: 'A4253', modifiers: ['KX'], allowed: 2900 }] },
  });
  const rulesOn = async (): Promise<PayerRule[]> => [feeSchedule];

  it('finds the lines allowed below the fee schedule (AMT*B6, else paid + patient share; billed units and modifiers)', async () => {
    const claim = claimOf({
      pcn: 'P',
      lines: [
        { code: 'G0463', charge: 16774, date: '2026-03-20' },
        { code: 'J1100', charge: 568, units: 4, date: '2026-03-20' },
        { code: 'A4253', modifiers: ['KX'], charge: 7652, units: 2, date: '2026-03-20' },
        { code: 'G0463', charge: 16774, date: '2026-03-20' },
      ],
    });
    const record = recordOf({
      lines: [
        { code: 'G0463', charge: 16774, paid: 13000, adjustments: [['CO', '45', 3774]], allowed: 13000 },
        // No SVC05: the four billed units are priced (4 × 120), against 280 paid + 100 coinsurance.
        { code: 'J1100', charge: 568, paid: 280, adjustments: [['CO', '45', 188], ['PR', '2', 100]] },
        // The payer dropped KX: the fee of the billed A4253-KX applies, for the two billed units (2 × 2900).
        { code: 'A4253', charge: 7652, paid: 5000, adjustments: [['CO', '45', 2652]] },
        { code: 'G0463', charge: 16774, paid: 0, adjustments: [['CO', '50', 16774]] },
      ],
    });
    const posting = posted(record);
    const shortfalls = await lineShortfallsOf(posting, record, claim, rulesOn);
    // Line 4 is denied: its denial has its own item.
    expect(shortfalls).toEqual([
      { line: 1, allowedCents: 13000, expectedCents: 14800, shortfallCents: 1800, ruleId: 'ppo-fees' },
      { line: 2, allowedCents: 380, expectedCents: 480, shortfallCents: 100, ruleId: 'ppo-fees' },
      { line: 3, allowedCents: 5000, expectedCents: 5800, shortfallCents: 800, ruleId: 'ppo-fees' },
    ]);
    const item = underpaymentWorkItem(posting, shortfalls.slice(0, 1), { chargeCents: 41768, appealDeadline: '2027-05-12', createdAt: CREATED });
    expect(underpaymentWorkItem(posting, shortfalls, { chargeCents: 41768, appealDeadline: '2027-05-12', createdAt: CREATED })?.amountAtRiskCents).toBe(2700);
    expect(item).toEqual({
      workItemId: `claim-5-underpayment-${REMIT}-0000002`,
      tenant: 'demo-billing',
      kind: 'underpayment',
      queue: 'exceptions',
      status: 'open',
      createdAt: CREATED,
      updatedAt: CREATED,
      claimId: 'claim-5',
      remittanceId: REMIT,
      claimPaymentPosition: 2,
      payer: 'TESTPPO01',
      reasonCodes: ['fee-schedule'],
      reasons: [{ code: 'fee-schedule', source: 'fee-schedule', description: "Allowed amount below the payer's fee schedule for the billed procedure and units", line: 1, amountCents: 1800, ruleId: 'ppo-fees' }],
      chargeCents: 41768,
      amountAtRiskCents: 1800,
      appealDeadline: '2027-05-12',
      history: [{ at: CREATED, by: 'system', action: 'created', to: 'open', note: 'underpayment' }],
      revision: 0,
    });
  });

  it('does not judge a line whose allowed amount a claim-level patient share hides, nor a reversal; no shortfall, no item', async () => {
    const claim = claimOf({ pcn: 'P', lines: [{ code: 'G0463', charge: 16774, date: '2026-03-20' }] });
    const shared = recordOf({ adjustments: [['PR', '1', 5000]], lines: [{ code: 'G0463', charge: 16774, paid: 9000, adjustments: [['CO', '45', 2774]] }] });
    expect(await lineShortfallsOf(posted(shared), shared, claim, rulesOn)).toEqual([]);
    const reversal = recordOf({ status: '22', lines: [{ code: 'G0463', charge: -16774, paid: -13000, adjustments: [['CO', '45', -3774]], allowed: -13000 }] });
    expect(await lineShortfallsOf(posted(reversal), reversal, claim, rulesOn)).toEqual([]);
    expect(underpaymentWorkItem(posted(shared), [], { chargeCents: 1, appealDeadline: '2027-05-12', createdAt: CREATED })).toBeUndefined();
  });
});

describe('unmatched payments', () => {
  it('go to exceptions with the reason, the payment at risk and no claim', () => {
    const record: ClaimPaymentRecord = {
      ...recordOf({ lines: [{ code: 'G0444', charge: 12000, paid: 9600, adjustments: [['CO', '45', 2400]] }] }),
      match: { kind: 'unmatched', reason: 'no-claim', candidates: 0 },
    };
    expect(unmatchedPaymentWorkItem(record, CREATED)).toEqual({
      workItemId: `${REMIT}-0000002-unmatched`,
      tenant: 'demo-billing',
      kind: 'unmatched-payment',
      queue: 'exceptions',
      status: 'open',
      createdAt: CREATED,
      updatedAt: CREATED,
      remittanceId: REMIT,
      claimPaymentPosition: 2,
      payer: 'TESTPPO01',
      reasonCodes: ['no-claim'],
      reasons: [{ code: 'no-claim', source: 'matching', description: 'No claim of this billing office has the patient control number the payer sent (CLP01)' }],
      chargeCents: 12000,
      amountAtRiskCents: 9600,
      history: [{ at: CREATED, by: 'system', action: 'created', to: 'open', note: 'unmatched-payment' }],
      revision: 0,
    });
    expect(() => unmatchedPaymentWorkItem(recordOf({ lines: [] }), CREATED)).toThrow(RangeError);
  });
});
