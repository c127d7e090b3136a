/**
 * ingest-claims end to end on real local servers (dynalite, s3rver): the handler is called in-process
 * with the SQS-wrapped S3 events the local runtime builds, and the use case directly where a port must
 * be wrapped (failure injection).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { createIngestClaimsHandler } from '../../functions/ingest-claims/app.ts';
import type { Claim } from '../../schemas/claim.schema.ts';
import type { Finding } from '../../schemas/finding.schema.ts';
import { read837All } from '../../src/claims/read-837.ts';
import { write837 } from '../../src/claims/write-837.ts';
import { validateX12 } from '../../src/x12/validate.ts';
import { ingestClaimsFile, type IngestClaimsPorts } from '../../src/claims/ingest-claims.ts';
import { TradingPartnerSettingsSchema, type ClaimRepository } from '../../src/claims/ports.ts';
import { loadRuleDocuments } from '../../src/cli/rule-files.ts';
import { loadCodeSets } from '../../src/rules/codesets/index.ts';
import { CachedRuleStore } from '../../src/rules/rule-store.ts';
import { DynamoRuleStore } from '../../src/store/dynamo-rule-store.ts';
import { DynamoTradingPartners } from '../../src/store/dynamo-trading-partners.ts';
import { ingestClaimsStorePorts } from '../../src/store/ingest-claims-adapters.ts';
import { dataTable, idempotencyTable, rulesTable } from '../../src/store/tables.ts';
import { LOCAL_BUCKETS } from '../../src/local/defaults.ts';
import { captureOutput, usePipelineServers, itemsOfType as itemsOfTypeIn, keysIn as keysInBucket, textOf, uploadAsEvent } from '../support/local-store.ts';
import { withInterchangeControl } from '../support/x12.ts';

const { inbound: INBOUND, outbound: OUTBOUND, archive: ARCHIVE } = LOCAL_BUCKETS;
const TENANT = 'demo-billing';

const { dynamo, s3 } = usePipelineServers();

/** Everything the Powertools logger (and anyone else) writes while the tests run. */
const captured: string[] = [];
const restores: (() => void)[] = [];
const context = { functionName: 'ingest-claims', awsRequestId: 'test', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

let sample837: string;
let documents: DynamoDBDocumentClient;

function basePorts(): IngestClaimsPorts {
  return {
    ...ingestClaimsStorePorts({ dynamo: dynamo.client, s3: s3.client }, dataTable.defaultName),
    rules: new CachedRuleStore(new DynamoRuleStore({ client: dynamo.client, tableName: rulesTable.defaultName })),
    codeSets: codeSetsLoaded!,
  };
}
let codeSetsLoaded: IngestClaimsPorts['codeSets'] | undefined;

function makeHandler(ports: IngestClaimsPorts = basePorts()) {
  return createIngestClaimsHandler({
    ports,
    inboundBucket: INBOUND,
    outboundBucket: OUTBOUND,
    archiveBucket: ARCHIVE,
    logger: new Logger({ serviceName: 'ingest-claims-test' }),
    metrics: new Metrics({ namespace: 'ClaimPathTest', serviceName: 'ingest-claims-test' }),
    persistenceStore: new DynamoDBPersistenceLayer({ tableName: idempotencyTable.defaultName, awsSdkV3Client: dynamo.client }),
  });
}

/** Upload `content` under `key` and return the event S3 → SQS would deliver for it. */
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

async function fileIdOfKeyIn(prefix: string): Promise<string> {
  const [reportKey] = await keysIn(OUTBOUND, prefix);
  return reportKey!.split('/').at(-1)!.replace(/\.json$/, '');
}

/** A variant of the sample: other bytes (so another file), the same sender, and ISA13 `control`. */
function variant(content: string, control: string, marker: string): string {
  return withInterchangeControl(content, control).replace('BHT*0019*00*CPB0001', `BHT*0019*00*${marker}`);
}

beforeAll(async () => {
  documents = DynamoDBDocumentClient.from(dynamo.client);
  sample837 = await readFile('events/x12/837p-sample.x12', 'utf8');
  codeSetsLoaded = await loadCodeSets();
  const settings = TradingPartnerSettingsSchema.parse(JSON.parse(await readFile('events/tenants/demo-billing.json', 'utf8')));
  await new DynamoTradingPartners({ client: dynamo.client, tableName: dataTable.defaultName }).put(settings);
  const loaded = await loadRuleDocuments(['events/rules'], 'test');
  if ('errors' in loaded) throw new Error(loaded.errors.join('\n'));
  await new DynamoRuleStore({ client: dynamo.client, tableName: rulesTable.defaultName }).put(loaded.rules);

  restores.push(captureOutput(captured));
});

afterAll(() => restores.forEach((restore) => restore()));

describe('ingest-claims', () => {
  test('an uploaded 837 yields acks, a 277CA, a report, clean 837s, stored claims and work items, and is archived', async () => {
    const handler = makeHandler();
    const key = `${TENANT}/837/sample batch.x12`;
    const event = await upload(key, sample837);
    const response = (await handler(event, context)) as SQSBatchResponse;

    expect(response.batchItemFailures).toEqual([]);
    const fileId = await fileIdOfKeyIn(`${TENANT}/reports/`);
    const acks = await keysIn(OUTBOUND, `${TENANT}/acks/${fileId}/`);
    expect(acks).toEqual(expect.arrayContaining([`${TENANT}/acks/${fileId}/1.999`, `${TENANT}/acks/${fileId}/277ca.x12`]));
    expect(await text(OUTBOUND, `${TENANT}/acks/${fileId}/1.999`)).toContain('AK1*HC*1*005010X222A1');

    const report = JSON.parse(await text(OUTBOUND, `${TENANT}/reports/${fileId}.json`)) as { claims: { status: string }[]; status: string };
    expect(report.status).toBe('complete');
    expect(report.claims).toHaveLength(8);
    const held = report.claims.filter((claim) => claim.status === 'held').length;
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(8);

    const claims = (await itemsOfType('Claim')).filter((item) => item.fileId === fileId);
    expect(claims).toHaveLength(8);
    const workItems = (await itemsOfType('WorkItem')).filter((item) => String(item.claimId).startsWith(fileId));
    expect(workItems).toHaveLength(held);
    const claimAck = await text(OUTBOUND, `${TENANT}/acks/${fileId}/277ca.x12`);
    expect(claimAck.match(/STC\*A7:/g) ?? []).toHaveLength(held);

    const outbox = await keysIn(OUTBOUND, `${TENANT}/outbox/`);
    expect(outbox.length).toBeGreaterThan(0);
    if (held < 8) expect(await text(OUTBOUND, outbox[0]!)).toMatch(/^ISA\*00\*.{10}\*00\*.{10}\*ZZ\*CLAIMPATHDEMO {2}/);

    expect(await keysIn(INBOUND, `${TENANT}/837/`)).toEqual([]);
    expect(await keysIn(ARCHIVE, `${TENANT}/837/${fileId}/`)).toEqual([`${TENANT}/837/${fileId}/sample batch.x12`]);
    const record = await documents.send(new GetCommand({ TableName: dataTable.defaultName, Key: { pk: `FILE#${fileId}`, sk: 'FILE' } }));
    expect(record.Item?.status).toBe('complete');

    // The same event again (redelivery), the same bytes uploaded again, and under other names twice at once.
    const redelivered = (await handler(event, context)) as SQSBatchResponse;
    const again = (await handler(await upload(key, sample837), context)) as SQSBatchResponse;
    const [first, second] = (await Promise.all([
      handler(await upload(`${TENANT}/837/copy-a.x12`, sample837), context),
      handler(await upload(`${TENANT}/837/copy-b.x12`, sample837), context),
    ])) as SQSBatchResponse[];
    expect([redelivered.batchItemFailures, again.batchItemFailures, first!.batchItemFailures, second!.batchItemFailures]).toEqual([[], [], [], []]);
    expect((await itemsOfType('Claim')).filter((item) => item.fileId === fileId)).toHaveLength(8);
    expect((await itemsOfType('WorkItem')).filter((item) => String(item.claimId).startsWith(fileId))).toHaveLength(held);
    expect(await keysIn(OUTBOUND, `${TENANT}/acks/${fileId}/`)).toEqual(acks);
    expect(await keysIn(INBOUND, `${TENANT}/837/`)).toEqual([]);

    // No PHI in anything logged: names, member ids, birth dates, street addresses of the batch.
    const phi = ['FAKEPATIENT', 'TESTPATIENT', 'DEMOPATIENT', 'MOCKPATIENT', 'TEST358670092', 'TEST878739056', 'TEST992278814', '20230318', '2023-03-18', '20120701', '2012-07-01', '19401011', '1940-10-11', '5993 FIXTURE LN', '5169 PLACEHOLDER RD', '7986 EXAMPLE AVE', 'sample batch'];
    const logs = captured.join('');
    expect(logs).toContain('Claims file processed');
    for (const value of phi) expect(logs).not.toContain(value);
    const reportText = await text(OUTBOUND, `${TENANT}/reports/${fileId}.json`);
    for (const value of phi) expect(reportText).not.toContain(value);
    // The report is streamed: laid out exactly as JSON.stringify(report, null, 2) lays it out.
    expect(reportText).toBe(JSON.stringify(JSON.parse(reportText), null, 2));
  });

  test('a failure at the N-th store write, then a retry: complete and exact', async () => {
    const content = variant(sample837, '000000777', 'CPBFAIL1');
    const key = `${TENANT}/837/failing.x12`;
    await upload(key, content);
    const ports = basePorts();
    // The 5th claim write fails: the first four are stored, the rest of the file is not.
    const failingClaims: ClaimRepository = {
      createMany: async (claims) => {
        await ports.claims.createMany(claims.slice(0, 4));
        throw new Error('injected store failure');
      },
    };
    await expect(ingestClaimsFile({ source: { bucket: INBOUND, key }, outboundBucket: OUTBOUND, archiveBucket: ARCHIVE }, { ...ports, claims: failingClaims })).rejects.toThrow('injected store failure');
    expect(await keysIn(INBOUND, key)).toEqual([key]);
    const expectedFileId = `${TENANT}-${createHash('sha256').update(content).digest('hex')}`;
    expect((await itemsOfType('Claim')).filter((item) => item.fileId === expectedFileId)).toHaveLength(4);

    const outcome = await ingestClaimsFile({ source: { bucket: INBOUND, key }, outboundBucket: OUTBOUND, archiveBucket: ARCHIVE }, ports);
    expect(outcome.kind).toBe('processed');
    if (outcome.kind !== 'processed') return;
    expect(outcome.summary.claims).toBe(8);
    // The counter advanced once per outbound file: every allocation of this file is recorded once.
    const allocations = (await itemsOfType('FileControlNumber')).filter((item) => String(item.pk) === `FILE#${outcome.fileId}`);
    expect(allocations.map((item) => item.sk).sort()).toEqual([...new Set(allocations.map((item) => item.sk))].sort());
    expect((await itemsOfType('Claim')).filter((item) => item.fileId === outcome.fileId)).toHaveLength(8);
    expect((await itemsOfType('WorkItem')).filter((item) => String(item.claimId).startsWith(outcome.fileId))).toHaveLength(outcome.summary.held);
    const again = await ingestClaimsFile({ source: { bucket: INBOUND, key }, outboundBucket: OUTBOUND, archiveBucket: ARCHIVE }, ports);
    expect(again.kind).toBe('missing');
  });

  test('a file that is not X12 is rejected with a report, kept in inbound, and not retried', async () => {
    const handler = makeHandler();
    const key = `${TENANT}/837/not-x12.txt`;
    const response = (await handler(await upload(key, 'this is a spreadsheet export, not an interchange\n'), context)) as SQSBatchResponse;
    expect(response.batchItemFailures).toEqual([]);
    expect(await keysIn(INBOUND, key)).toEqual([key]);
    const records = (await itemsOfType('File')).filter((item) => item.sourceKey === key);
    expect(records.map((item) => item.status)).toEqual(['rejected']);
    const fileId = String(records[0]!.fileId);
    const reportText = await text(OUTBOUND, `${TENANT}/reports/${fileId}.json`);
    const report = JSON.parse(reportText) as { status: string; fileIssues: { code: string }[]; claims: unknown[] };
    expect(report.status).toBe('rejected');
    expect(report.fileIssues.length).toBeGreaterThan(0);
    expect(report.claims).toEqual([]);
    expect(reportText).toBe(JSON.stringify(report, null, 2));
    // A redelivery is a no-op, not a loop.
    const second = (await handler(await upload(key, 'this is a spreadsheet export, not an interchange\n'), context)) as SQSBatchResponse;
    expect(second.batchItemFailures).toEqual([]);
  });

  test("a different file reusing a sender's ISA13 gets a TA1 025 and none of its claims are stored", async () => {
    const handler = makeHandler();
    // Same sender and ISA13 as the sample processed above, other bytes.
    const isa13 = /^ISA\*(?:[^*]*\*){12}(\d{9})/.exec(sample837)![1]!;
    const content = variant(sample837, isa13, 'CPBDUP01');
    const response = (await handler(await upload(`${TENANT}/837/reused.x12`, content), context)) as SQSBatchResponse;
    expect(response.batchItemFailures).toEqual([]);
    const records = (await itemsOfType('File')).filter((item) => item.sourceKey === `${TENANT}/837/reused.x12`);
    expect(records).toHaveLength(1);
    const fileId = String(records[0]!.fileId);
    const ta1 = await text(OUTBOUND, `${TENANT}/acks/${fileId}/1.ta1`);
    expect(ta1).toMatch(new RegExp(`TA1\\*${isa13}\\*\\d{6}\\*\\d{4}\\*R\\*025`));
    expect((await itemsOfType('Claim')).filter((item) => item.fileId === fileId)).toHaveLength(0);
    expect(records[0]!.status).toBe('rejected');
  });

  test('an 837I claim of 600 service lines is stored (its item within DynamoDB\'s 400 KB), without field sources; its findings keep their locations', async () => {
    // The sample's first institutional claim with its first line repeated 600 times (the guide allows 999).
    const [template] = (await read837All(await readFile('events/x12/837i-sample.x12'))).claims;
    const line = template!.lines[0]!;
    const lines = Array.from({ length: 600 }, (_, i) => ({ ...line, lineNumber: i + 1, references: { ...line.references, lineControlNumber: `LONG1L${i + 1}` }, sources: {} }));
    // CLM02 one dollar above its lines: a balancing finding that points at CLM02 in the file.
    const claim: Claim = { ...template!, patientControlNumber: 'LONGCLAIM600', totalCharge: lines.reduce((sum, l) => sum + l.charge, 0) + 100, lines, sources: {} };
    let control = 700;
    const content = write837([claim], {
      sender: { qualifier: 'ZZ', id: 'CLAIMPATHTEST' },
      receiver: { qualifier: 'ZZ', id: 'TESTPAYERRCV' },
      submitter: { name: 'CLAIMPATH TEST SUBMITTER', id: 'CPTESTSUB01', contact: { name: 'TEST EDI CONTACT', numbers: [{ qualifier: 'TE', number: '5555550100' }] } },
      receiverName: { name: 'TESTPAYER CLEARINGHOUSE', id: 'TESTRCV01' },
      usage: 'T',
      controlNumbers: () => ++control,
      now: new Date(Date.UTC(2026, 6, 1, 9, 30)),
    });
    expect((await validateX12(content)).verdict).toBe('accepted');

    const response = (await makeHandler()(await upload(`${TENANT}/837/long-claim.x12`, content), context)) as SQSBatchResponse;

    expect(response.batchItemFailures).toEqual([]);
    const records = (await itemsOfType('File')).filter((item) => item.sourceKey === `${TENANT}/837/long-claim.x12`);
    expect(records.map((record) => record.status)).toEqual(['complete']);
    const stored = (await itemsOfType('Claim')).filter((item) => item.fileId === records[0]!.fileId);
    expect(stored).toHaveLength(1);
    const storedClaim = stored[0]!.claim as Claim;
    expect(storedClaim.lines).toHaveLength(600);
    expect(storedClaim.lines.at(-1)!.references.lineControlNumber).toBe('LONG1L600');
    expect(storedClaim.sources).toEqual({});
    expect(storedClaim.lines.every((l) => Object.keys(l.sources).length === 0)).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(stored[0]))).toBeLessThan(400 * 1024);
    // Findings made while reading and scrubbing point into the file, as before.
    const findings = stored[0]!.findings as Finding[];
    const unbalanced = findings.filter((finding) => finding.location?.segment === 'CLM' && finding.location.element === 2);
    expect(unbalanced).toHaveLength(1);
    expect(unbalanced[0]!.location!.ordinal).toBeGreaterThan(0);
  });
});
