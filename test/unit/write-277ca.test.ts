/**
 * The 277CA writer: exact output for a small batch (test/fixtures/277ca-written.x12), every written
 * file passes our own validation with no issue at all, and reading it back with read277CA gives the
 * same statuses, hierarchy, totals and control numbers. Streamed from batches (a split file's chunks),
 * each batch is its own transaction sets with its own totals, in one interchange and group.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { claimsOf, read277CA } from '../../src/x12/read-277ca.ts';
import { validateX12 } from '../../src/x12/validate.ts';
import { formatAmount, write277CA, Write277CAError, write277CAStream, type ClaimResult, type Write277CAOptions } from '../../src/x12/write-277ca.ts';

const PLAN = { name: 'SAMPLE HEALTH PLAN', id: '99999' };
const OTHER_PLAN = { name: 'OTHER FICTIONAL PLAN', id: '88888', idQualifier: 'XV' as const };
const CLINIC = { name: 'SAMPLE CLINIC', npi: '1234567893' };
const DOCTOR = { name: 'DOCTOR', firstName: 'FICTIONAL', npi: '1245319599' };

const accepted: ClaimResult = {
  patientControlNumber: 'PCN-1',
  billingProvider: CLINIC,
  subscriber: { lastName: 'TESTPATIENT', firstName: 'ALPHA', memberId: 'TST000111' },
  payer: PLAN,
  totalCharge: 15000,
  serviceDates: { from: '2026-11-01', to: '2026-11-01' },
  clearinghouseTraceNumber: 'CH0001',
  status: { kind: 'accepted' },
};

const rejected: ClaimResult = {
  patientControlNumber: 'PCN-2',
  billingProvider: CLINIC,
  subscriber: { lastName: 'TESTSUB', firstName: 'BETA', memberId: 'TST000222' },
  patient: { lastName: 'TESTKID', firstName: 'GAMMA', middleName: 'Q', suffix: 'JR' },
  payer: PLAN,
  totalCharge: 12550,
  serviceDates: { from: '2026-11-01', to: '2026-11-03' },
  billType: '131',
  status: {
    kind: 'rejected',
    category: 'A7',
    statusCode: '145',
    entity: '82',
    message: 'RENDERING PROVIDER NPI FAILS ITS CHECK DIGIT',
    lines: [
      {
        procedure: { qualifier: 'HC', code: 'J1100', modifiers: ['RT'] },
        charge: 5050,
        units: 2,
        lineControlNumber: 'LINE0002',
        serviceDates: { from: '2026-11-02', to: '2026-11-02' },
        category: 'A7',
        statusCode: '454',
        entity: 'QC',
      },
    ],
  },
};

const options: Write277CAOptions = {
  sender: { qualifier: 'ZZ', id: 'CLAIMPATH' },
  receiver: { qualifier: 'ZZ', id: 'SUBMITTER1' },
  applicationSender: 'CLAIMPATH',
  applicationReceiver: 'SUBMITTER1',
  controlNumbers: { interchange: 17, group: 18 },
  usage: 'T',
  now: new Date('2026-11-21T12:00:00Z'),
  receivedAt: new Date('2026-11-20T08:30:00Z'),
  informationReceiver: { name: 'SAMPLE BILLING SERVICE', etin: 'TGJ23' },
  batchTrace: '0123',
  lineBreak: true,
};

async function allIssues(text: string) {
  const report = await validateX12(text);
  return [...report.fileIssues, ...report.interchanges.flatMap((x) => [...x.issues, ...x.groups.flatMap((g) => [...g.issues, ...g.sets.flatMap((s) => s.issues)])])];
}

async function joined(pieces: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const piece of pieces) text += piece;
  return text;
}

describe('write277CA', () => {
  it('writes the expected 277CA for an accepted and a rejected claim', () => {
    const expected = readFileSync(fileURLToPath(new URL('../fixtures/277ca-written.x12', import.meta.url)), 'utf8');
    expect(write277CA([accepted, rejected], options)).toBe(expected);
  });

  it('writes files that pass validation with no issue at all', async () => {
    const batches: ClaimResult[][] = [
      [accepted],
      [rejected],
      [accepted, rejected, { ...accepted, patientControlNumber: 'PCN-3', billingProvider: DOCTOR, status: { kind: 'accepted', category: 'A1' } }],
      [{ ...rejected, status: { kind: 'rejected', category: 'A6', statusCode: '21' } }],
      [accepted, { ...rejected, payer: OTHER_PLAN }],
    ];
    for (const batch of batches) {
      const text = write277CA(batch, { ...options, lineBreak: false });
      expect(await allIssues(text)).toEqual([]);
    }
  });

  it('reads back into the same statuses', async () => {
    const text = write277CA([accepted, rejected], options);
    const { acknowledgments, findings, report } = await read277CA(text);
    expect(findings).toEqual([]);
    expect(report.verdict).toBe('accepted');
    expect(report.interchanges[0]).toMatchObject({ control: '000000017', usage: 'T', groups: [{ control: '18', functionalId: 'HN', version: '005010X214' }] });
    const ack = acknowledgments[0]!;
    expect(ack.informationSources[0]).toMatchObject({
      source: { entity: 'PR', lastOrOrganizationName: 'SAMPLE HEALTH PLAN', idQualifier: 'PI', id: '99999' },
      receiptDate: '2026-11-20',
      processDate: '2026-11-21',
    });
    const receiver = ack.informationSources[0]!.receivers[0]!;
    expect(receiver).toMatchObject({
      receiver: { entity: '41', id: 'TGJ23' },
      batchTraceId: '0123',
      statuses: [{ statuses: [{ category: 'A1', code: '19', entity: 'PR' }], actionCode: 'WQ', charge: 27550 }],
      totals: { acceptedQuantity: 1, rejectedQuantity: 1, acceptedAmount: 15000, rejectedAmount: 12550 },
    });
    expect(receiver.providers).toHaveLength(1);
    expect(receiver.providers[0]!.provider).toMatchObject({ entity: '85', idQualifier: 'XX', id: '1234567893' });
    const [first, second] = claimsOf(ack);
    expect(first).toMatchObject({
      patientControlNumber: 'PCN-1',
      patient: { lastOrOrganizationName: 'TESTPATIENT', firstName: 'ALPHA', idQualifier: 'MI', id: 'TST000111' },
      statuses: [{ statuses: [{ category: 'A2', code: '20' }], effectiveDate: '2026-11-21', actionCode: 'WQ', charge: 15000 }],
      clearinghouseTraceNumber: 'CH0001',
      serviceDates: accepted.serviceDates,
      lines: [],
    });
    expect(second).toMatchObject({
      patientControlNumber: 'PCN-2',
      // The dependent patient is named, with the subscriber's member id.
      patient: { lastOrOrganizationName: 'TESTKID', firstName: 'GAMMA', middleName: 'Q', suffix: 'JR', id: 'TST000222' },
      statuses: [{ statuses: [{ category: 'A7', code: '145', entity: '82' }], actionCode: 'U', charge: 12550, message: 'RENDERING PROVIDER NPI FAILS ITS CHECK DIGIT' }],
      billType: '131',
      serviceDates: rejected.serviceDates,
      lines: [
        {
          procedure: { qualifier: 'HC', code: 'J1100', modifiers: ['RT'] },
          charge: 5050,
          originalUnits: 2,
          statuses: [{ statuses: [{ category: 'A7', code: '454', entity: 'QC' }], effectiveDate: '2026-11-21', actionCode: 'U' }],
          lineItemControlNumber: 'LINE0002',
          serviceDates: { from: '2026-11-02', to: '2026-11-02' },
        },
      ],
    });
  });

  it('groups claims by billing provider and writes one transaction set per payer', async () => {
    const text = write277CA([accepted, { ...rejected, payer: OTHER_PLAN }, { ...accepted, patientControlNumber: 'PCN-3', billingProvider: DOCTOR }], options);
    const { acknowledgments } = await read277CA(text);
    expect(acknowledgments.map((a) => [a.envelope.setControl, a.informationSources[0]!.source?.id])).toEqual([
      ['0001', '99999'],
      ['0002', '88888'],
    ]);
    const providers = acknowledgments[0]!.informationSources[0]!.receivers[0]!.providers;
    expect(providers.map((p) => [p.provider?.entityType, p.claims.map((c) => c.patientControlNumber)])).toEqual([
      ['2', ['PCN-1']],
      ['1', ['PCN-3']],
    ]);
    expect(acknowledgments[1]!.informationSources[0]!.receivers[0]!.statuses[0]!.actionCode).toBe('U');
    // One information source for every claim when the options name one (a clearinghouse).
    const single = write277CA([accepted, { ...rejected, payer: OTHER_PLAN }], { ...options, informationSource: { entity: 'AY', name: 'CLAIMPATH CLEARINGHOUSE', idQualifier: '46', id: 'CLAIMPATH' } });
    const read = await read277CA(single);
    expect(read.acknowledgments).toHaveLength(1);
    expect(read.acknowledgments[0]!.informationSources[0]!.source).toMatchObject({ entity: 'AY', id: 'CLAIMPATH' });
    expect(await allIssues(single)).toEqual([]);
  });

  it('keeps delimiters out of values', async () => {
    const text = write277CA([{ ...accepted, patientControlNumber: 'PCN*4:X~Y^Z', subscriber: { lastName: "O'NEIL*SMITH", memberId: 'M~1' } }], options);
    expect(await allIssues(text)).toEqual([]);
    const claim = claimsOf((await read277CA(text)).acknowledgments[0]!)[0]!;
    expect(claim.patientControlNumber).toBe('PCN 4 X Y Z');
    expect(claim.patient).toMatchObject({ lastOrOrganizationName: "O'NEIL SMITH", id: 'M 1' });
  });

  it('refuses input it cannot write', () => {
    expect(() => write277CA([], options)).toThrow(Write277CAError);
    const { payer: _payer, ...withoutPayer } = accepted;
    expect(() => write277CA([withoutPayer], options)).toThrow(Write277CAError);
    expect(() => write277CA([accepted], { ...options, controlNumbers: { interchange: 1e9, group: 1 } })).toThrow(Write277CAError);
  });

  it('formats amounts the X12 way', () => {
    expect([formatAmount(15000), formatAmount(12550), formatAmount(5), formatAmount(-900), formatAmount(0)]).toEqual(['150', '125.5', '0.05', '-9', '0']);
  });
});

describe('write277CAStream', () => {
  it('writes one batch exactly as write277CA does', async () => {
    expect(await joined(write277CAStream([[accepted, rejected]], options))).toBe(write277CA([accepted, rejected], options));
  });

  it('writes each batch as its own transaction sets, numbered on, each totalled on its own claims', async () => {
    async function* batches(): AsyncGenerator<ClaimResult[]> {
      yield [accepted, { ...rejected, payer: OTHER_PLAN }];
      yield [];
      yield [rejected, { ...accepted, patientControlNumber: 'PCN-3', billingProvider: DOCTOR }];
    }
    const text = await joined(write277CAStream(batches(), { ...options, lineBreak: false }));

    expect(await allIssues(text)).toEqual([]);
    expect(text.endsWith('GE*3*18~IEA*1*000000017~')).toBe(true);
    const { acknowledgments } = await read277CA(text);
    expect(acknowledgments.map((a) => [a.envelope.setControl, a.informationSources[0]!.source?.id, claimsOf(a).map((c) => c.patientControlNumber)])).toEqual([
      ['0001', '99999', ['PCN-1']],
      ['0002', '88888', ['PCN-2']],
      ['0003', '99999', ['PCN-2', 'PCN-3']],
    ]);
    const totals = acknowledgments.map((a) => a.informationSources[0]!.receivers[0]!.totals);
    expect(totals).toEqual([
      { acceptedQuantity: 1, acceptedAmount: 15000 },
      { rejectedQuantity: 1, rejectedAmount: 12550 },
      { acceptedQuantity: 1, rejectedQuantity: 1, acceptedAmount: 15000, rejectedAmount: 12550 },
    ]);
    const lastProviders = acknowledgments[2]!.informationSources[0]!.receivers[0]!.providers;
    expect(lastProviders.map((p) => [p.provider?.id, p.totals])).toEqual([
      ['1234567893', { rejectedQuantity: 1, rejectedAmount: 12550 }],
      ['1245319599', { acceptedQuantity: 1, acceptedAmount: 15000 }],
    ]);
  });

  it('refuses a stream without a claim', async () => {
    await expect(joined(write277CAStream([[], []], options))).rejects.toThrow(Write277CAError);
  });
});
