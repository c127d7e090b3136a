/**
 * ingest-remittance end to end on real local servers (dynalite, s3rver): the sample 837s are ingested
 * first with the real ingest-claims use case, then 835s go through the ingest-remittance handler (with
 * the SQS-wrapped S3 events the local runtime builds), or through the use case directly where a port
 * must be wrapped (failure injection).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import type { ClaimAdjudication, Posting } from '../../schemas/posting.schema.ts';
import type { ClaimPayment } from '../../schemas/remittance.schema.ts';
import type { WorkItem } from '../../schemas/work-item.schema.ts';
import { createIngestRemittanceHandler } from '../../functions/ingest-remittance/app.ts';
import { ingestClaimsFile, type IngestClaimsPorts } from '../../src/claims/ingest-claims.ts';
import { claimIdOf, fileIdOf, TradingPartnerSettingsSchema } from '../../src/claims/ports.ts';
import { loadRuleDocuments } from '../../src/cli/rule-files.ts';
import { ingestRemittanceFile, type IngestRemittancePorts } from '../../src/remits/ingest-remittance.ts';
import type { RemittanceReport } from '../../src/remits/remittance-report.ts';
import { loadCodeSets } from '../../src/rules/codesets/index.ts';
import type { CodeSets } from '../../src/rules/codesets/types.ts';
import { readPayerDirectoryFile } from '../../src/rules/payer-directory.ts';
import { CachedRuleStore } from '../../src/rules/rule-store.ts';
import { DynamoRuleStore } from '../../src/store/dynamo-rule-store.ts';
import { DynamoTradingPartners } from '../../src/store/dynamo-trading-partners.ts';
import { ingestClaimsStorePorts } from '../../src/store/ingest-claims-adapters.ts';
import { ingestRemittanceStorePorts } from '../../src/store/ingest-remittance-adapters.ts';
import { claimKey, dataTable, idempotencyTable, remittanceKey, rulesTable } from '../../src/store/tables.ts';
import { BODY_837P, interchange } from '../support/x12.ts';
import { LOCAL_BUCKETS } from '../../src/local/defaults.ts';
import { captureOutput, usePipelineServers, itemsOfType as itemsOfTypeIn, keysIn as keysInBucket, textOf, uploadAsEvent } from '../support/local-store.ts';

const { inbound: INBOUND, outbound: OUTBOUND, archive: ARCHIVE } = LOCAL_BUCKETS;
const TENANT = 'demo-billing';

const { dynamo, s3 } = usePipelineServers();

const captured: string[] = [];
const restores: (() => void)[] = [];
const context = { functionName: 'ingest-remittance', awsRequestId: 'test', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

let documents: DynamoDBDocumentClient;
let codeSets: CodeSets;
let payers: IngestRemittancePorts['payers'];
/** Claims are received on 2026-07-01, remittances from 2026-11-21 on, a minute apart (posting order). */
let remittanceClock = Date.parse('2026-11-21T08:00:00.000Z');
const claimsClock = (): Date => new Date('2026-07-01T09:30:00.000Z');
const remittancesClock = (): Date => new Date((remittanceClock += 60_000));

function table() {
  return { client: dynamo.client, tableName: dataTable.defaultName };
}

function claimsPorts(now: () => Date = claimsClock): IngestClaimsPorts {
  return {
    ...ingestClaimsStorePorts({ dynamo: dynamo.client, s3: s3.client }, dataTable.defaultName),
    rules: new CachedRuleStore(new DynamoRuleStore({ client: dynamo.client, tableName: rulesTable.defaultName })),
    codeSets,
    now,
  };
}

function remittancePorts(): IngestRemittancePorts {
  return {
    ...ingestRemittanceStorePorts({ dynamo: dynamo.client, s3: s3.client }, dataTable.defaultName),
    rules: new CachedRuleStore(new DynamoRuleStore({ client: dynamo.client, tableName: rulesTable.defaultName })),
    codeSets,
    payers,
    now: remittancesClock,
  };
}

function makeHandler(ports: IngestRemittancePorts = remittancePorts()) {
  return createIngestRemittanceHandler({
    ports,
    inboundBucket: INBOUND,
    outboundBucket: OUTBOUND,
    archiveBucket: ARCHIVE,
    logger: new Logger({ serviceName: 'ingest-remittance-test' }),
    metrics: new Metrics({ namespace: 'ClaimPathTest', serviceName: 'ingest-remittance-test' }),
    persistenceStore: new DynamoDBPersistenceLayer({ tableName: idempotencyTable.defaultName, awsSdkV3Client: dynamo.client }),
  });
}

function sha256(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

function fileIdOfContent(content: string): string {
  return fileIdOf(TENANT, sha256(content));
}

function upload(key: string, content: string) {
  return uploadAsEvent(s3.client, INBOUND, key, content);
}

function keysIn(bucket: string, prefix: string): Promise<string[]> {
  return keysInBucket(s3.client, bucket, prefix);
}

function text(bucket: string, key: string): Promise<string> {
  return textOf(s3.client, bucket, key);
}

function itemsOfType(itemType: string): Promise<Record<string, unknown>[]> {
  return itemsOfTypeIn(documents, dataTable.defaultName, itemType);
}

async function postingsOf(remittanceId: string): Promise<Posting[]> {
  return (await itemsOfType('Posting')).filter((item) => item.remittanceId === remittanceId) as unknown as Posting[];
}

async function workItemsOf(remittanceId: string): Promise<WorkItem[]> {
  const items = (await itemsOfType('WorkItem')).filter((item) => item.remittanceId === remittanceId) as unknown as WorkItem[];
  return items.sort((a, b) => (a.workItemId < b.workItemId ? -1 : 1));
}

async function adjudicationOf(claimId: string): Promise<ClaimAdjudication | undefined> {
  const response = await documents.send(new GetCommand({ TableName: dataTable.defaultName, Key: claimKey(claimId), ConsistentRead: true }));
  return response.Item?.adjudication as ClaimAdjudication | undefined;
}

async function reportOf(fileId: string): Promise<RemittanceReport> {
  return JSON.parse(await text(OUTBOUND, `${TENANT}/reports/${fileId}.json`)) as RemittanceReport;
}

async function fileStatus(fileId: string): Promise<string | undefined> {
  const record = await documents.send(new GetCommand({ TableName: dataTable.defaultName, Key: { pk: `FILE#${fileId}`, sk: 'FILE' }, ConsistentRead: true }));
  return record.Item?.status as string | undefined;
}

// ── Small 835s for the cases the samples do not cover (payer 99999, TRN03 1999999999) ─────────────

interface ClaimPaymentText {
  pcn: string;
  charge: string;
  paid: string;
  /** Segments after CLP (NM1, SVC loops…). */
  body: string[];
  status?: string;
  pccn?: string;
}

/** NM1*QC of the test helper's 837 patient. */
const PATIENT = 'NM1*QC*1*TESTPATIENT*ALPHA****MI*TST000111';

/** An 835 set body paying `claims` (`total` is BPR02). */
function set835(trace: string, total: string, claims: ClaimPaymentText[], payer = '1999999999'): string[] {
  return [
    `BPR*C*${total}*C*ACH*CCP*01*999999992*DA*000123456*${payer}**01*999999989*DA*000654321*20261115`,
    `TRN*1*${trace}*${payer}`,
    'DTM*405*20261115',
    'N1*PR*FICTIONAL HEALTH PLAN',
    'N3*1 PLAN WAY',
    'N4*ANYTOWN*PA*17111',
    'PER*BL*EDI DESK*TE*5555550100',
    'N1*PE*SAMPLE CLINIC*XX*1234567893',
    'LX*1',
    ...claims.flatMap((claim) => [`CLP*${claim.pcn}*${claim.status ?? '1'}*${claim.charge}*${claim.paid}**12*${claim.pccn ?? 'FHP0001'}*11*1`, ...claim.body]),
  ];
}

function file835(sets: string[][], control = '000000001'): string {
  const text = interchange(sets.map((body) => ({ id: '835', version: '005010X221A1', body })), { control, lineEnd: '\n' });
  // The 835 guide does not use ST03 (the helper writes it for the 837s).
  return text.replace(/ST\*835\*(\d{4})\*005010X221A1~/g, 'ST*835*$1~');
}

/** An 837P of the test helper's claim with another CLM01, other charges for its second line, and an ISA13. */
function claim837(pcn: string, secondLineCharge: number, control: string): string {
  const body = BODY_837P.map((segment) =>
    segment.startsWith('CLM*') ? segment.replace('CLM*PCN0001*150', `CLM*${pcn}*${100 + secondLineCharge}`) : segment.startsWith('SV1*HC:J1100') ? segment.replace('*50*', `*${secondLineCharge}*`) : segment,
  );
  return interchange([{ id: '837', version: '005010X222A1', body }], { control });
}

const PHI = [
  'SAMPLEPATIENT',
  'FAKEPATIENT',
  'DEMOPATIENT',
  'MOCKPATIENT',
  'TESTPATIENT',
  'TEST058367753',
  'TEST916435424',
  'TEST878739056',
  'TEST992278814',
  'TEST710469219',
  'TEST358670092',
  'TEST000000001',
  'TST000111',
  'CPP001000000005',
  'CPI001000000001',
  'CPP009900000001',
  'CPLONG20260000000000',
  '000123456',
  '000654321',
];

let sample837p: string;
let sample837i: string;
const samples835: Record<'ppo' | 'hmo' | 'mcr' | 'reversal', string> = { ppo: '', hmo: '', mcr: '', reversal: '' };

beforeAll(async () => {
  documents = DynamoDBDocumentClient.from(dynamo.client);
  codeSets = await loadCodeSets();
  payers = await readPayerDirectoryFile('events/payers/directory.json');
  sample837p = await readFile('events/x12/837p-sample.x12', 'utf8');
  sample837i = await readFile('events/x12/837i-sample.x12', 'utf8');
  samples835.ppo = await readFile('events/x12/835-1-testppo01-payments.x12', 'utf8');
  samples835.hmo = await readFile('events/x12/835-2-testhmo01-payments.x12', 'utf8');
  samples835.mcr = await readFile('events/x12/835-3-testmcr01-payments.x12', 'utf8');
  samples835.reversal = await readFile('events/x12/835-4-testmcr01-reversal.x12', 'utf8');
  const settings = TradingPartnerSettingsSchema.parse(JSON.parse(await readFile('events/tenants/demo-billing.json', 'utf8')));
  await new DynamoTradingPartners(table()).put(settings);
  const loaded = await loadRuleDocuments(['events/rules'], 'test');
  if ('errors' in loaded) throw new Error(loaded.errors.join('\n'));
  await new DynamoRuleStore({ client: dynamo.client, tableName: rulesTable.defaultName }).put(loaded.rules);

  // The claims the sample remittances pay, ingested by the real ingest-claims use case.
  for (const [name, content] of [['837p-sample.x12', sample837p], ['837i-sample.x12', sample837i]] as const) {
    const key = `${TENANT}/837/${name}`;
    await s3.client.send(new PutObjectCommand({ Bucket: INBOUND, Key: key, Body: content }));
    const outcome = await ingestClaimsFile({ source: { bucket: INBOUND, key }, outboundBucket: OUTBOUND, archiveBucket: ARCHIVE }, claimsPorts());
    if (outcome.kind !== 'processed') throw new Error(`837 sample not processed: ${outcome.kind}`);
  }

  restores.push(captureOutput(captured));
});

afterAll(() => restores.forEach((restore) => restore()));

const claimP = (position: number): string => claimIdOf(fileIdOfContent(sample837p), position);
const claimI = (position: number): string => claimIdOf(fileIdOfContent(sample837i), position);

describe('ingest-remittance on the sample remittances', () => {
  test('payments, denials by queue, an underpayment and an unmatched payment are posted, stored, reported and archived', async () => {
    const handler = makeHandler();
    const key = `${TENANT}/835/ppo remit.x12`;
    const response = (await handler(await upload(key, samples835.ppo), context)) as SQSBatchResponse;
    expect(response.batchItemFailures).toEqual([]);
    const fileId = fileIdOfContent(samples835.ppo);
    expect(await fileStatus(fileId)).toBe('complete');
    expect(await keysIn(INBOUND, `${TENANT}/835/`)).toEqual([]);
    expect(await keysIn(ARCHIVE, `${TENANT}/835/${fileId}/`)).toEqual([`${TENANT}/835/${fileId}/ppo remit.x12`]);
    expect(await keysIn(OUTBOUND, `${TENANT}/acks/${fileId}/`)).toEqual([`${TENANT}/acks/${fileId}/1.999`]);

    // Postings: one per matched claim payment, under deterministic ids.
    const postings = await postingsOf(fileId);
    expect(postings.map((p) => [p.postingId, p.claimId, p.matchedBy]).sort()).toEqual([
      [`${fileId}-P0000001`, claimP(5), 'patient-control-number'],
      [`${fileId}-P0000002`, claimP(7), 'patient-control-number'],
      [`${fileId}-P0000004`, claimI(3), 'patient-control-number'],
      [`${fileId}-P0000005`, claimI(4), 'patient-control-number'],
    ]);
    expect(await adjudicationOf(claimP(5))).toEqual({
      status: 'partially-paid',
      payerClaimControlNumber: 'PPO2611130005',
      totals: { chargeCents: 44350, paidCents: 23200, patientResponsibilityCents: 2000, contractualCents: 5741, deniedCents: 13409, informationalCents: 0, allowedCents: 25200 },
      postingIds: [`${fileId}-P0000001`],
      updatedAt: postings[0]!.postedAt,
    });
    expect((await adjudicationOf(claimP(7)))?.status).toBe('denied');
    expect((await adjudicationOf(claimI(4)))?.status).toBe('paid');

    // Work items: denials in their queues with reasons, amounts and deadlines; exceptions.
    const items = await workItemsOf(fileId);
    expect(items.map((item) => [item.workItemId, item.kind, item.queue, item.reasonCodes, item.amountAtRiskCents, item.appealDeadline, item.timelyFilingDeadline])).toEqual(
      [
        [`${claimP(5)}-denial-${fileId}-0000001-coding`, 'denial', 'coding', ['CO-16'], 13409, '2027-05-12', '2027-02-19'],
        [`${claimP(7)}-denial-${fileId}-0000002-clinical`, 'denial', 'clinical', ['CO-50'], 2621, '2027-05-12', '2027-05-15'],
        [`${fileId}-0000003-unmatched`, 'unmatched-payment', 'exceptions', ['no-claim'], 9600, undefined, undefined],
        [`${claimI(3)}-denial-${fileId}-0000004-billing`, 'denial', 'billing', ['CO-197'], 8078, '2027-05-12', '2027-05-29'],
        [`${claimI(4)}-underpayment-${fileId}-0000005`, 'underpayment', 'exceptions', ['fee-schedule'], 1800, '2027-05-12', undefined],
      ].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
    );
    const coding = items.find((item) => item.queue === 'coding')!;
    expect(coding.reasons).toEqual([
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
    ]);
    expect(coding).toMatchObject({ claimId: claimP(5), payer: 'TESTPPO01', chargeCents: 44350, status: 'open', remittanceId: fileId, claimPaymentPosition: 1 });
    const stored = await itemsOfType('WorkItem');
    const storedCoding = stored.find((item) => item.workItemId === coding.workItemId)!;
    expect(storedCoding.gsi2pk).toBe(`TENANT#${TENANT}#QUEUE#coding#STATUS#open`);

    // The remittance: sets with their PLB at provider level, claim payments with their decisions.
    const summary = await documents.send(new GetCommand({ TableName: dataTable.defaultName, Key: remittanceKey(fileId) }));
    expect(summary.Item?.counts).toEqual({ claimPayments: 5, posted: 4, reversals: 0, unmatched: 1, denialItems: 3, underpaymentItems: 1, unmatchedLines: 0 });
    const sets = summary.Item?.sets as { payer: { payerId: string; matchedBy: string }; summary: { providerAdjustments: { adjustments: { reason: string; amount: number }[] }[] } }[];
    expect(sets.map((set) => set.payer)).toEqual([
      { payerId: 'TESTPPO01', matchedBy: 'TRN03' },
      { payerId: 'TESTPPO01', matchedBy: 'TRN03' },
    ]);
    expect(sets[0]!.summary.providerAdjustments[0]!.adjustments).toEqual([{ reason: 'L6', reference: 'PPO2611130005', amount: -250 }]);
    const claimPaymentItems = (await itemsOfType('ClaimPayment')).filter((item) => item.remittanceId === fileId);
    expect(claimPaymentItems).toHaveLength(5);
    // Stored without field sources (they point into the 835 and served its balancing): compact records.
    for (const item of claimPaymentItems) {
      const stored = item.claimPayment as ClaimPayment;
      expect(stored.sources).toEqual({});
      expect(stored.serviceLines.length).toBeGreaterThan(0);
      expect(stored.serviceLines.every((line) => Object.keys(line.sources).length === 0)).toBe(true);
    }

    const report = await reportOf(fileId);
    expect(report.status).toBe('complete');
    expect(report.problems).toEqual([]);
    expect(report.remittances[0]!.providerAdjustments).toEqual([{ fiscalPeriodDate: '2026-12-31', reason: 'L6', amountCents: -250 }]);
    expect(report.claimPayments.map((entry) => [entry.position, entry.outcome, entry.unmatchedReason])).toEqual([
      [1, 'posted', undefined],
      [2, 'posted', undefined],
      [3, 'unmatched', 'no-claim'],
      [4, 'posted', undefined],
      [5, 'posted', undefined],
    ]);
  });

  test('a payer that drops modifiers and REF*6R is matched by procedure; each queue gets its denials, with the payer\'s appeal window', async () => {
    // Two copies of a file never seen before, at once: they converge on one set of postings and items.
    const handler = makeHandler();
    const [first, second] = (await Promise.all([
      handler(await upload(`${TENANT}/835/hmo-a.x12`, samples835.hmo), context),
      handler(await upload(`${TENANT}/835/hmo-b.x12`, samples835.hmo), context),
    ])) as SQSBatchResponse[];
    expect([first!.batchItemFailures, second!.batchItemFailures]).toEqual([[], []]);
    const fileId = fileIdOfContent(samples835.hmo);
    const postings = (await postingsOf(fileId)).sort((a, b) => a.claimPaymentPosition - b.claimPaymentPosition);
    expect(postings.map((p) => p.claimId)).toEqual([claimP(3), claimP(4), claimP(8), claimI(5)]);
    expect(postings[0]!.lines.map((line) => [line.line, line.matchedBy, line.procedure, line.modifiers])).toEqual([
      [1, 'procedure', 'A4253', []],
      [2, 'procedure', 'A4253', []],
      [3, 'procedure', 'L3908', []],
      [4, 'procedure', 'A4253', []],
    ]);
    const items = await workItemsOf(fileId);
    expect(items.map((item) => [item.claimId, item.queue, item.reasonCodes, item.amountAtRiskCents, item.appealDeadline, item.timelyFilingDeadline, item.reasons.map((r) => r.line ?? null)])).toEqual(
      [
        [claimP(3), 'billing', ['CO-197'], 7657, '2027-01-12', '2026-08-13', [3]],
        [claimP(8), 'coding', ['CO-11'], 2316, '2027-01-12', '2026-11-10', [1]],
        [claimI(5), 'billing', ['CO-27'], 23979, '2027-01-12', '2026-10-29', [null]],
      ].sort((a, b) => (`${a[0]}-denial-${fileId}` < `${b[0]}-denial-${fileId}` ? -1 : 1)),
    );
    expect((await adjudicationOf(claimI(5)))?.status).toBe('denied');
    expect(await keysIn(INBOUND, `${TENANT}/835/`)).toEqual([]);
  });

  test('a reversal takes the payment back and the corrected payment that follows becomes the claim\'s adjudication', async () => {
    const handler = makeHandler();
    expect(((await handler(await upload(`${TENANT}/835/mcr.x12`, samples835.mcr), context)) as SQSBatchResponse).batchItemFailures).toEqual([]);
    const mcrId = fileIdOfContent(samples835.mcr);
    expect((await adjudicationOf(claimI(1)))?.totals.paidCents).toBe(15500);
    expect(await workItemsOf(mcrId)).toEqual([]);

    expect(((await handler(await upload(`${TENANT}/835/mcr-reversal.x12`, samples835.reversal), context)) as SQSBatchResponse).batchItemFailures).toEqual([]);
    const reversalId = fileIdOfContent(samples835.reversal);
    const claimPayments = (await itemsOfType('ClaimPayment')).filter((item) => item.remittanceId === reversalId);
    expect(claimPayments.map((item) => (item.match as { reversesPostingId?: string }).reversesPostingId).sort()).toEqual([`${mcrId}-P0000002`, undefined]);
    const adjudication = await adjudicationOf(claimI(1));
    expect(adjudication).toEqual({
      status: 'paid',
      payerClaimControlNumber: 'MCR2611200201',
      totals: { chargeCents: 23554, paidCents: 17000, patientResponsibilityCents: 3000, contractualCents: 3554, deniedCents: 0, informationalCents: 0, allowedCents: 20000 },
      postingIds: [`${mcrId}-P0000002`, `${reversalId}-P0000001`, `${reversalId}-P0000002`],
      updatedAt: adjudication!.updatedAt,
    });
    expect(await workItemsOf(reversalId)).toEqual([]);
  });

  test('delivered again (same event, same bytes re-uploaded): nothing is posted twice', async () => {
    const handler = makeHandler();
    const fileId = fileIdOfContent(samples835.ppo);
    const before = { postings: await postingsOf(fileId), items: await workItemsOf(fileId), adjudication: await adjudicationOf(claimP(5)) };
    // The same event twice (SQS redelivery), then the same bytes under another name.
    const event = await upload(`${TENANT}/835/ppo remit.x12`, samples835.ppo);
    const first = (await handler(event, context)) as SQSBatchResponse;
    const redelivered = (await handler(event, context)) as SQSBatchResponse;
    const again = (await handler(await upload(`${TENANT}/835/ppo again.x12`, samples835.ppo), context)) as SQSBatchResponse;
    expect([first.batchItemFailures, redelivered.batchItemFailures, again.batchItemFailures]).toEqual([[], [], []]);
    expect(await postingsOf(fileId)).toEqual(expect.arrayContaining(before.postings));
    expect(await postingsOf(fileId)).toHaveLength(before.postings.length);
    expect(await workItemsOf(fileId)).toEqual(before.items);
    expect(await adjudicationOf(claimP(5))).toEqual(before.adjudication);
    expect(await keysIn(INBOUND, `${TENANT}/835/`)).toEqual([]);
  });
});

describe('matching claims whose patient control number is cut or repeated', () => {
  const LONG_PCN = 'CPLONG2026000000000000042'; // 25 characters
  const CUT = LONG_PCN.slice(0, 20);
  const payment = (charge: string, paid: string, secondLine: string, trace: string): string =>
    file835([
      set835(trace, paid, [
        {
          pcn: CUT,
          charge,
          paid,
          body: [
            PATIENT,
            'SVC*HC:G0008*100*90',
            'DTM*472*20261101',
            'CAS*CO*45*10',
            // The payer dropped the billed RT modifier and sends no REF*6R.
            `SVC*HC:J1100*${secondLine}*${Number(paid) - 90}`,
            'DTM*472*20261101',
            `CAS*CO*45*${Number(secondLine) - (Number(paid) - 90)}`,
          ],
        },
      ]),
    ]);

  test('a 20-character CLP01 finds the claim by its prefix; a repeated number goes to the claim whose charges agree, else the latest open one', async () => {
    // Three submissions of one long CLM01: the original (150), a corrected one (160), then the original again (150).
    const submissions = [claim837(LONG_PCN, 50, '000000901'), claim837(LONG_PCN, 60, '000000902'), claim837(LONG_PCN, 50, '000000903')];
    const claimIds: string[] = [];
    let clock = Date.parse('2026-11-10T10:00:00.000Z');
    for (const [index, content] of submissions.entries()) {
      const key = `${TENANT}/837/long-${index}.x12`;
      await s3.client.send(new PutObjectCommand({ Bucket: INBOUND, Key: key, Body: content }));
      const outcome = await ingestClaimsFile({ source: { bucket: INBOUND, key }, outboundBucket: OUTBOUND, archiveBucket: ARCHIVE }, claimsPorts(() => new Date((clock += 3_600_000))));
      expect(outcome.kind).toBe('processed');
      claimIds.push(claimIdOf(fileIdOfContent(content), 1));
    }
    const handler = makeHandler();
    const post = async (content: string, name: string): Promise<Posting> => {
      expect(((await handler(await upload(`${TENANT}/835/${name}`, content), context)) as SQSBatchResponse).batchItemFailures).toEqual([]);
      const postings = await postingsOf(fileIdOfContent(content));
      expect(postings).toHaveLength(1);
      return postings[0]!;
    };

    // 160: only the corrected claim's charges agree.
    const corrected = await post(payment('160', '130', '60', 'FHPTRACE0001'), 'long-1.x12');
    expect([corrected.claimId, corrected.matchedBy]).toEqual([claimIds[1], 'patient-control-number-prefix']);
    expect(corrected.lines.map((line) => [line.line, line.matchedBy])).toEqual([
      [1, 'procedure'],
      [2, 'procedure'],
    ]);
    // 150: two claims agree and both are open: the latest.
    const latest = await post(payment('150', '130', '50', 'FHPTRACE0002'), 'long-2.x12');
    expect(latest.claimId).toBe(claimIds[2]);
    // 150 again: the latest is paid now; the original is the open one.
    const original = await post(payment('150', '120', '50', 'FHPTRACE0003'), 'long-3.x12');
    expect(original.claimId).toBe(claimIds[0]);
    expect((await adjudicationOf(claimIds[0]!))?.status).toBe('paid');
  });
});

describe('bad input is reported, kept and not posted', () => {
  const goodClaim: ClaimPaymentText = { pcn: 'NOSUCHCLAIM01', charge: '100', paid: '80', body: [PATIENT, 'SVC*HC:G0008*100*80', 'DTM*472*20261101', 'CAS*CO*45*20'] };

  async function rejected(name: string, content: string): Promise<RemittanceReport> {
    const key = `${TENANT}/835/${name}`;
    const response = (await makeHandler()(await upload(key, content), context)) as SQSBatchResponse;
    expect(response.batchItemFailures).toEqual([]);
    const fileId = fileIdOfContent(content);
    expect(await fileStatus(fileId)).toBe('rejected');
    expect(await keysIn(INBOUND, key)).toEqual([key]);
    expect(await postingsOf(fileId)).toEqual([]);
    expect(await workItemsOf(fileId)).toEqual([]);
    expect((await itemsOfType('ClaimPayment')).filter((item) => item.remittanceId === fileId)).toEqual([]);
    const report = await reportOf(fileId);
    expect(report.status).toBe('rejected');
    return report;
  }

  test('an 835 that does not balance', async () => {
    const content = file835([set835('FHPBAD0001', '80', [{ ...goodClaim, paid: '85' }])]);
    const report = await rejected('unbalanced.x12', content);
    expect(report.problems.map((problem) => problem.code)).toEqual(['UNBALANCED']);
    expect(report.remittances[0]!.findings.map((finding) => [finding.code, finding.claimPaymentPosition ?? null, finding.amounts])).toEqual([
      ['BALANCE_CLAIM_PAYMENT', 1, { expected: 8000, actual: 8500 }],
      ['BALANCE_TRANSACTION', null, { expected: 8500, actual: 8000 }],
    ]);
  });

  test('an 835 from a payer the directory does not know', async () => {
    const content = file835([set835('UNKNOWN0001', '80', [goodClaim], '1888888888')]);
    const report = await rejected('unknown-payer.x12', content);
    expect(report.problems).toEqual([{ code: 'UNKNOWN_PAYER', message: expect.stringContaining('payer directory'), interchangeControl: '000000001', setControl: '0001' }]);
  });

  test('a trace number another file carried; the traces the rejected file took are given back', async () => {
    // Set 1 is new, set 2 repeats the trace of a remittance posted above.
    const content = file835([set835('FHPFRESH0001', '80', [goodClaim]), set835('FHPTRACE0001', '80', [{ ...goodClaim, pcn: 'NOSUCHCLAIM02' }])], '000000077');
    const report = await rejected('repeated-trace.x12', content);
    expect(report.problems).toEqual([
      {
        code: 'DUPLICATE_TRACE',
        message: expect.stringContaining('another file'),
        interchangeControl: '000000077',
        setControl: '0002',
        payer: '99999',
        traceNumber: 'FHPTRACE0001',
        usedByFileId: expect.stringMatching(new RegExp(`^${TENANT}-[0-9a-f]{64}$`)),
      },
    ]);
    // FHPFRESH0001 was released: a corrected file carrying it is posted.
    const corrected = file835([set835('FHPFRESH0001', '80', [goodClaim])], '000000078');
    expect(((await makeHandler()(await upload(`${TENANT}/835/fresh.x12`, corrected), context)) as SQSBatchResponse).batchItemFailures).toEqual([]);
    expect(await fileStatus(fileIdOfContent(corrected))).toBe('complete');
    expect((await workItemsOf(fileIdOfContent(corrected))).map((item) => item.kind)).toEqual(['unmatched-payment']);
  });

  test('a file that is not X12', async () => {
    const report = await rejected('not-x12.txt', 'remittance advice exported from a spreadsheet, not an interchange\n');
    expect(report.problems.map((problem) => problem.code)).toEqual(['NOT_X12']);
    expect(report.fileIssues.length).toBeGreaterThan(0);
  });
});

describe('a failure in the middle, then a retry', () => {
  test('converges: every posting once, the adjudications right, the decisions reused', async () => {
    const claimsContent = claim837('CPRETRY000000001', 50, '000000904');
    const claimsKey = `${TENANT}/837/retry.x12`;
    await s3.client.send(new PutObjectCommand({ Bucket: INBOUND, Key: claimsKey, Body: claimsContent }));
    expect((await ingestClaimsFile({ source: { bucket: INBOUND, key: claimsKey }, outboundBucket: OUTBOUND, archiveBucket: ARCHIVE }, claimsPorts())).kind).toBe('processed');
    const claimId = claimIdOf(fileIdOfContent(claimsContent), 1);
    const paid = (amount: string): ClaimPaymentText => ({
      pcn: 'CPRETRY000000001',
      charge: '150',
      paid: amount,
      pccn: `FHPRETRY${amount}`,
      body: [PATIENT, 'SVC*HC:G0008*100*' + (Number(amount) - 40), 'CAS*CO*45*' + (140 - Number(amount)), 'SVC*HC:J1100:RT*50*40', 'CAS*CO*45*10'],
    });
    // The payment, then (in the same file) its reversal and the corrected payment.
    const reversal: ClaimPaymentText = {
      pcn: 'CPRETRY000000001',
      status: '22',
      charge: '-150',
      paid: '-120',
      pccn: 'FHPRETRY120',
      body: [PATIENT, 'SVC*HC:G0008*-100*-80', 'CAS*CO*45*-20', 'SVC*HC:J1100:RT*-50*-40', 'CAS*CO*45*-10'],
    };
    const content = file835([set835('FHPRETRY0001', '130', [paid('120'), reversal, paid('130')])], '000000079');
    const key = `${TENANT}/835/retry.x12`;
    await upload(key, content);
    const ports = remittancePorts();
    const failing: IngestRemittancePorts = {
      ...ports,
      postings: {
        ...ports.postings,
        listForClaim: (id) => ports.postings.listForClaim(id),
        writeAdjudication: (id, adjudication) => ports.postings.writeAdjudication(id, adjudication),
        createMany: async (postings) => {
          await ports.postings.createMany(postings.slice(0, 1));
          throw new Error('injected store failure');
        },
      },
    };
    const input = { source: { bucket: INBOUND, key }, outboundBucket: OUTBOUND, archiveBucket: ARCHIVE };
    await expect(ingestRemittanceFile(input, failing)).rejects.toThrow('injected store failure');
    const fileId = fileIdOfContent(content);
    expect(await postingsOf(fileId)).toHaveLength(1);
    expect((await itemsOfType('ClaimPayment')).filter((item) => item.remittanceId === fileId)).toHaveLength(3);
    expect(await keysIn(INBOUND, key)).toEqual([key]);

    // Meanwhile the claim is resubmitted: a fresh decision would now pick this later, open claim.
    const resubmission = claim837('CPRETRY000000001', 50, '000000905');
    await s3.client.send(new PutObjectCommand({ Bucket: INBOUND, Key: `${TENANT}/837/retry-again.x12`, Body: resubmission }));
    const later = (): Date => new Date('2026-11-20T00:00:00.000Z');
    expect((await ingestClaimsFile({ source: { bucket: INBOUND, key: `${TENANT}/837/retry-again.x12` }, outboundBucket: OUTBOUND, archiveBucket: ARCHIVE }, claimsPorts(later))).kind).toBe('processed');

    const outcome = await ingestRemittanceFile(input, ports);
    expect(outcome.kind).toBe('processed');
    const postings = (await postingsOf(fileId)).sort((a, b) => a.claimPaymentPosition - b.claimPaymentPosition);
    // The decisions stored by the failed run stand: every posting on the claim they named.
    expect(postings.map((p) => [p.claimId, p.reversal, p.totals.paidCents])).toEqual([
      [claimId, false, 12000],
      [claimId, true, -12000],
      [claimId, false, 13000],
    ]);
    expect(await adjudicationOf(claimId)).toMatchObject({ status: 'paid', payerClaimControlNumber: 'FHPRETRY130', totals: { paidCents: 13000, chargeCents: 15000 }, postingIds: postings.map((p) => p.postingId) });
    expect((await ingestRemittanceFile(input, ports)).kind).toBe('missing');
  });
});

describe('privacy', () => {
  test('no PHI in anything logged or reported', async () => {
    const logs = captured.join('');
    expect(logs).toContain('Remittance file posted');
    expect(logs).toContain('Remittance file rejected');
    for (const value of PHI) expect(logs).not.toContain(value);
    const reports = await keysIn(OUTBOUND, `${TENANT}/reports/`);
    for (const key of reports) {
      const body = await text(OUTBOUND, key);
      if (!body.includes('"kind": "835"')) continue;
      for (const value of PHI) expect(body).not.toContain(value);
    }
  });
});
