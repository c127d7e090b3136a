/**
 * worklist-api end to end on real local servers (dynalite, s3rver): claims are seeded by the real
 * ingest-claims use case on the sample 837P (for two tenants), denials by writing postings,
 * adjudications and work items as remittance posting does; the handler is called in-process with the
 * HTTP API (payload 2.0) events a JWT authorizer produces. Every response body is parsed with the
 * API's own response schemas.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { createWorklistApiHandler } from '../../functions/worklist-api/app.ts';
import type { ClaimAdjudication, Posting } from '../../schemas/posting.schema.ts';
import type { WorkItem } from '../../schemas/work-item.schema.ts';
import { WorkItemSchema } from '../../schemas/work-item.schema.ts';
import {
  CorrectionResponseSchema,
  ErrorResponseSchema,
  WorkItemDetailResponseSchema,
  WorkItemListResponseSchema,
  type ErrorResponse,
} from '../../schemas/worklist-api.schema.ts';
import { ingestClaimsFile, type IngestClaimsPorts } from '../../src/claims/ingest-claims.ts';
import { claimIdOf, fileIdOf, TradingPartnerSettingsSchema, workItemIdOf } from '../../src/claims/ports.ts';
import { read837All } from '../../src/claims/read-837.ts';
import { loadRuleDocuments } from '../../src/cli/rule-files.ts';
import { loadCodeSets } from '../../src/rules/codesets/index.ts';
import type { CodeSets } from '../../src/rules/codesets/types.ts';
import { CachedRuleStore } from '../../src/rules/rule-store.ts';
import { DynamoAuditLog } from '../../src/store/dynamo-audit-log.ts';
import { DynamoClaimDetails } from '../../src/store/dynamo-claim-details.ts';
import { DynamoRuleStore } from '../../src/store/dynamo-rule-store.ts';
import { DynamoControlNumbers, DynamoTradingPartners } from '../../src/store/dynamo-trading-partners.ts';
import { DynamoWorkItems } from '../../src/store/dynamo-work-items.ts';
import { ingestClaimsStorePorts } from '../../src/store/ingest-claims-adapters.ts';
import { S3ObjectStore } from '../../src/store/s3-object-store.ts';
import { claimKey, dataItemTypes, dataTable, postingKey, rulesTable } from '../../src/store/tables.ts';
import { workOrderKey } from '../../src/worklist/list.ts';
import type { WorklistPorts } from '../../src/worklist/worklist.ts';
import { validateX12 } from '../../src/x12/validate.ts';
import { LOCAL_BUCKETS } from '../../src/local/defaults.ts';
import { captureOutput, usePipelineServers, textOf } from '../support/local-store.ts';

const { inbound: INBOUND, outbound: OUTBOUND, archive: ARCHIVE } = LOCAL_BUCKETS;
const TENANT = 'demo-billing';
const OTHER_TENANT = 'other-clinic';
const INGESTED_AT = '2026-07-01T09:30:00.000Z';

const { dynamo, s3 } = usePipelineServers([dataTable, rulesTable]);

/** Token claims of the people in these tests. */
interface Identity {
  sub: string;
  tenant: string;
  groups: string | string[];
}
const ann: Identity = { sub: 'coder-ann', tenant: TENANT, groups: '[coder]' };
const ben: Identity = { sub: 'coder-ben', tenant: TENANT, groups: ['coder'] };
const bill: Identity = { sub: 'biller-bill', tenant: TENANT, groups: 'biller' };
const sue: Identity = { sub: 'super-sue', tenant: TENANT, groups: '[coder supervisor]' };
const adam: Identity = { sub: 'admin-adam', tenant: TENANT, groups: '[admin]' };
const bea: Identity = { sub: 'coder-bea', tenant: OTHER_TENANT, groups: '[coder supervisor]' };

const captured: string[] = [];
const restores: (() => void)[] = [];
const context = { functionName: 'worklist-api', awsRequestId: 'lambda-request', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
let clock = new Date('2026-07-02T10:00:00.000Z');
let requestNumber = 0;
let codeSets: CodeSets;
let documents: DynamoDBDocumentClient;
let sample837: string;
let handler: ReturnType<typeof createWorklistApiHandler>;

/** Ids of the sample's claims and held items, by claim position (held: 2, 3, 4, 6). */
const ids = { fileId: '', otherFileId: '', claim: (position: number) => claimIdOf(ids.fileId, position), held: (position: number) => workItemIdOf(ids.claim(position)) };

function ports(): WorklistPorts {
  const table = { client: dynamo.client, tableName: dataTable.defaultName };
  return {
    workItems: new DynamoWorkItems(table),
    claims: new DynamoClaimDetails(table),
    audit: new DynamoAuditLog(table),
    objects: new S3ObjectStore(s3.client),
    tradingPartners: new DynamoTradingPartners(table),
    controlNumbers: new DynamoControlNumbers(table),
    rules: new CachedRuleStore(new DynamoRuleStore({ client: dynamo.client, tableName: rulesTable.defaultName })),
    codeSets,
  };
}

function makeHandler(worklistPorts: WorklistPorts = ports()) {
  // Time moves a millisecond per reading, so that events of one test are in time order.
  const now = (): Date => (clock = new Date(clock.getTime() + 1));
  return createWorklistApiHandler({ ports: worklistPorts, outboundBucket: OUTBOUND, logger: new Logger({ serviceName: 'worklist-api-test' }), now });
}

/** The event API Gateway's HTTP API sends after its JWT authorizer verified a token with these claims. */
function httpEvent(method: string, path: string, who: Identity | Record<string, string> | undefined, options: { query?: Record<string, string>; body?: unknown; rawBody?: string }): APIGatewayProxyEventV2WithJWTAuthorizer {
  const claims = who === undefined ? undefined : 'sub' in who && 'groups' in who ? { sub: who.sub, 'custom:tenant': who.tenant, 'cognito:groups': who.groups } : who;
  const query = options.query ?? {};
  const body = options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { 'content-type': 'application/json' },
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' },
      requestId: `req-${++requestNumber}`,
      routeKey: '$default',
      stage: '$default',
      time: '02/Jul/2026:10:00:00 +0000',
      timeEpoch: clock.getTime(),
      ...(claims ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: null } } } : {}),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

interface Reply {
  status: number;
  body: unknown;
  requestId: string;
}

async function call(method: string, path: string, who: Identity | Record<string, string> | undefined, options: { query?: Record<string, string>; body?: unknown; rawBody?: string } = {}, using = handler): Promise<Reply> {
  const event = httpEvent(method, path, who, options);
  const response = (await using(event, context)) as APIGatewayProxyStructuredResultV2;
  expect(response.headers?.['content-type']).toBe('application/json');
  return { status: response.statusCode ?? 0, body: JSON.parse(response.body ?? 'null') as unknown, requestId: event.requestContext.requestId };
}

/** The body of a reply with `status`, parsed with its schema. */
function expectReply<T>(reply: Reply, status: number, schema: z.ZodType<T>): T {
  if (reply.status !== status) throw new Error(`expected ${status}, got ${reply.status}: ${JSON.stringify(reply.body)}`);
  return schema.parse(reply.body);
}

const error = (reply: Reply, status: number): ErrorResponse => expectReply(reply, status, ErrorResponseSchema);

async function listAll(who: Identity, query: Record<string, string>): Promise<string[]> {
  const collected: string[] = [];
  let cursor: string | undefined;
  do {
    const page = expectReply(await call('GET', '/work-items', who, { query: { ...query, ...(cursor ? { cursor } : {}) } }), 200, WorkItemListResponseSchema);
    collected.push(...page.items.map((item) => item.workItemId));
    cursor = page.nextCursor;
  } while (cursor !== undefined && collected.length < 1000);
  return collected;
}

function text(bucket: string, key: string): Promise<string> {
  return textOf(s3.client, bucket, key);
}

async function ingest(tenant: string): Promise<string> {
  const key = `${tenant}/837/sample.x12`;
  await s3.client.send(new PutObjectCommand({ Bucket: INBOUND, Key: key, Body: sample837 }));
  const ingestPorts: IngestClaimsPorts = {
    ...ingestClaimsStorePorts({ dynamo: dynamo.client, s3: s3.client }, dataTable.defaultName),
    rules: new CachedRuleStore(new DynamoRuleStore({ client: dynamo.client, tableName: rulesTable.defaultName })),
    codeSets,
    now: () => new Date(INGESTED_AT),
  };
  const outcome = await ingestClaimsFile({ source: { bucket: INBOUND, key }, outboundBucket: OUTBOUND, archiveBucket: ARCHIVE }, ingestPorts);
  if (outcome.kind !== 'processed') throw new Error(`ingest: ${outcome.kind}`);
  expect(outcome.summary).toMatchObject({ claims: 8, held: 4 });
  return outcome.fileId;
}

/** A work item as remittance posting would create it. */
function syntheticItem(suffix: string, fields: Partial<WorkItem> & Pick<WorkItem, 'queue' | 'createdAt' | 'amountAtRiskCents'>): WorkItem {
  return {
    workItemId: `${TENANT}-synthetic-${suffix}`,
    tenant: TENANT,
    kind: 'denial',
    status: 'open',
    updatedAt: fields.createdAt,
    reasonCodes: ['CO-16'],
    reasons: [{ code: 'CO-16', source: 'adjustment', group: 'CO', carc: '16', description: 'Claim lacks information', category: 'coding' }],
    chargeCents: 10_000,
    history: [{ at: fields.createdAt, by: 'system', action: 'created', to: 'open' }],
    revision: 0,
    ...fields,
  };
}

/** Post a denial to an accepted claim: a posting item, the claim's adjudication, and a denial work item. */
async function denyClaim(position: number, payerClaimControlNumber: string): Promise<string> {
  const claimId = ids.claim(position);
  const remittanceId = `${TENANT}-${'e'.repeat(64)}`;
  const totals = { chargeCents: 2621, paidCents: 0, patientResponsibilityCents: 0, contractualCents: 0, deniedCents: 2621, informationalCents: 0, allowedCents: 0 };
  const posting: Posting = {
    postingId: `${remittanceId}-${position}`,
    tenant: TENANT,
    claimId,
    remittanceId,
    claimPaymentPosition: position,
    postedAt: '2026-07-01T12:00:00.000Z',
    payer: 'TESTPPO01',
    traceNumber: 'TRACE0001',
    paymentDate: '2026-07-01',
    claimStatusCode: '4',
    payerClaimControlNumber,
    reversal: false,
    matchedBy: 'patient-control-number',
    totals,
    adjustments: [{ group: 'CO', carc: '16', amountCents: 2621, rarcs: ['M51'], category: 'coding', queue: 'coding' }],
    lines: [],
    remarks: [],
  };
  const adjudication: ClaimAdjudication = { status: 'denied', payerClaimControlNumber, totals, postingIds: [posting.postingId], updatedAt: posting.postedAt };
  await documents.send(new PutCommand({ TableName: dataTable.defaultName, Item: { ...postingKey(claimId, remittanceId, position), itemType: dataItemTypes.posting, ...posting } }));
  await documents.send(new UpdateCommand({ TableName: dataTable.defaultName, Key: claimKey(claimId), UpdateExpression: 'SET adjudication = :a', ExpressionAttributeValues: { ':a': adjudication } }));
  const item = syntheticItem(`denial-${position}`, { workItemId: `${claimId}-denial`, claimId, payer: 'TESTPPO01', queue: 'coding', createdAt: '2026-07-01T12:00:00.000Z', amountAtRiskCents: 2621 });
  await new DynamoWorkItems({ client: dynamo.client, tableName: dataTable.defaultName }).createMany([item]);
  return item.workItemId;
}

beforeAll(async () => {
  documents = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
  sample837 = await readFile('events/x12/837p-sample.x12', 'utf8');
  codeSets = await loadCodeSets();
  const settings = TradingPartnerSettingsSchema.parse(JSON.parse(await readFile('events/tenants/demo-billing.json', 'utf8')));
  await new DynamoTradingPartners({ client: dynamo.client, tableName: dataTable.defaultName }).put(settings);
  const loaded = await loadRuleDocuments(['events/rules'], 'test');
  if ('errors' in loaded) throw new Error(loaded.errors.join('\n'));
  await new DynamoRuleStore({ client: dynamo.client, tableName: rulesTable.defaultName }).put(loaded.rules);

  ids.fileId = await ingest(TENANT);
  expect(ids.fileId).toBe(fileIdOf(TENANT, createHash('sha256').update(sample837).digest('hex')));
  ids.otherFileId = await ingest(OTHER_TENANT);

  await new DynamoWorkItems({ client: dynamo.client, tableName: dataTable.defaultName }).createMany([
    syntheticItem('s1', { queue: 'coding', createdAt: '2026-06-01T00:00:00.000Z', amountAtRiskCents: 5000, appealDeadline: '2026-07-20', payer: 'TESTPPO01' }),
    syntheticItem('s2', { queue: 'clinical', createdAt: '2026-06-25T00:00:00.000Z', amountAtRiskCents: 100, appealDeadline: '2026-07-15', payer: 'TESTMCR01', reasonCodes: ['CO-50'] }),
    syntheticItem('s3', { queue: 'coding', createdAt: '2026-06-30T00:00:00.000Z', amountAtRiskCents: 9000, timelyFilingDeadline: '2026-07-15', payer: 'TESTPPO01', reasonCodes: ['CO-4'] }),
    syntheticItem('s4', { queue: 'clinical', status: 'in-progress', assignee: 'coder-bob', createdAt: '2026-06-10T00:00:00.000Z', amountAtRiskCents: 2000, appealDeadline: '2026-08-01' }),
    syntheticItem('s5', { queue: 'coding', status: 'resolved', createdAt: '2026-06-05T00:00:00.000Z', amountAtRiskCents: 700, appealDeadline: '2026-07-10' }),
    syntheticItem('s6', { queue: 'billing', createdAt: '2026-06-05T00:00:00.000Z', amountAtRiskCents: 700, appealDeadline: '2026-07-11' }),
  ]);
  handler = makeHandler();

  restores.push(captureOutput(captured));
});

afterAll(() => restores.forEach((restore) => restore()));

const synthetic = (suffix: string) => `${TENANT}-synthetic-${suffix}`;

describe('worklist-api', () => {
  test('lists in work order, with filters, across pages', async () => {
    // Coder queues (coding, clinical), active statuses: nearest deadline, then amount at risk.
    const expected = [synthetic('s3'), synthetic('s2'), synthetic('s1'), synthetic('s4'), ids.held(2), ids.held(6)];
    expect(await listAll(ann, { limit: '100' })).toEqual(expected);
    for (const limit of ['1', '2', '4', '6']) expect(await listAll(ann, { limit })).toEqual(expected);

    const firstPage = expectReply(await call('GET', '/work-items', ann, { query: { limit: '2' } }), 200, WorkItemListResponseSchema);
    expect(firstPage.items[0]).toMatchObject({ workItemId: synthetic('s3'), nearestDeadline: '2026-07-15', ageDays: 2, queue: 'coding', status: 'open' });
    expect(firstPage.items[0]).not.toHaveProperty('history');
    expect(firstPage.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);

    expect(await listAll(ann, { queue: 'coding', payer: 'TESTPPO01' })).toEqual([synthetic('s3'), synthetic('s1'), ids.held(6)]);
    expect(await listAll(ann, { reason: 'units-limit' })).toEqual([ids.held(6)]);
    expect(await listAll(ann, { minAgeDays: '7' })).toEqual([synthetic('s2'), synthetic('s1'), synthetic('s4')]);
    expect(await listAll(ann, { maxAgeDays: '2' })).toEqual([synthetic('s3'), ids.held(2), ids.held(6)]);
    expect(await listAll(ann, { queue: 'coding', status: 'resolved' })).toEqual([synthetic('s5')]);
    expect(await listAll(bill, {})).toEqual([synthetic('s6'), ids.held(3), ids.held(4)]);
    expect(await listAll(sue, { limit: '3' })).toEqual([synthetic('s6'), synthetic('s3'), synthetic('s2'), synthetic('s1'), synthetic('s4'), ids.held(2), ids.held(3), ids.held(6), ids.held(4)]);
  });

  test("tenants are isolated: another tenant's item is not found and never listed", async () => {
    const otherHeld = workItemIdOf(claimIdOf(ids.otherFileId, 6));
    const theirs = await listAll(bea, {});
    expect(theirs).toHaveLength(4);
    expect(theirs).toContain(otherHeld);
    expect(theirs.every((id) => id.startsWith(`${OTHER_TENANT}-`))).toBe(true);
    expect((await listAll(sue, {})).every((id) => id.startsWith(`${TENANT}-`))).toBe(true);

    for (const [method, path] of [
      ['GET', `/work-items/${ids.held(6)}`],
      ['POST', `/work-items/${ids.held(6)}/take`],
      ['POST', `/work-items/${ids.held(6)}/release`],
    ] as const) {
      expect(error(await call(method, path, bea), 404)).toEqual({ error: 'not-found' });
    }
    // The item is untouched and no audit event was written for the attempts.
    const detail = expectReply(await call('GET', `/work-items/${otherHeld}`, bea), 200, WorkItemDetailResponseSchema);
    expect(detail.claim?.claimId).toBe(claimIdOf(ids.otherFileId, 6));
    const audit = new DynamoAuditLog({ client: dynamo.client, tableName: dataTable.defaultName });
    expect((await audit.list(TENANT, { actor: 'coder-bea' })).length).toBe(0);
    expect((await audit.list(OTHER_TENANT, { actor: 'coder-bea' })).map((event) => event.action)).toEqual(['claim.read']);
  });

  test('identity and roles: 401 without identity, 403 for the wrong role or queue, 404 for unknown routes', async () => {
    expect(error(await call('GET', '/work-items', undefined), 401)).toEqual({ error: 'unauthorized' });
    expect(error(await call('GET', '/work-items', { sub: 'coder-ann', 'cognito:groups': 'coder' }), 401)).toEqual({ error: 'unauthorized' });
    expect(error(await call('GET', '/work-items', { 'custom:tenant': TENANT, 'cognito:groups': 'coder' }), 401)).toEqual({ error: 'unauthorized' });
    expect(error(await call('GET', '/work-items', adam), 403)).toEqual({ error: 'forbidden', message: 'role' });
    expect(error(await call('GET', `/work-items/${ids.held(6)}`, adam), 403)).toEqual({ error: 'forbidden', message: 'role' });
    expect(error(await call('GET', '/work-items', bill, { query: { queue: 'coding' } }), 403)).toEqual({ error: 'forbidden', message: 'queue' });
    expect(error(await call('GET', `/work-items/${ids.held(6)}`, bill), 403)).toEqual({ error: 'forbidden', message: 'queue' });
    expect(error(await call('POST', `/work-items/${ids.held(3)}/take`, ann), 403)).toEqual({ error: 'forbidden', message: 'queue' });
    expect(error(await call('POST', `/work-items/${synthetic('s1')}/assign`, ann, { body: { assignee: 'coder-ben' } }), 403)).toEqual({ error: 'forbidden', message: 'supervisor-only' });
    expect(error(await call('GET', '/claims', ann), 404)).toEqual({ error: 'not-found' });
    expect(error(await call('DELETE', `/work-items/${ids.held(6)}`, ann), 404)).toEqual({ error: 'not-found' });
    expect(error(await call('GET', '/work-items/no-such-item', ann), 404)).toEqual({ error: 'not-found' });
    const openapi = await call('GET', '/openapi.json', undefined);
    expect(openapi.status).toBe(200);
    expect(openapi.body).toMatchObject({ openapi: '3.1.0', info: { title: 'ClaimPath worklist API' } });
  });

  test('requests failing their schema: 400 with field errors, no values echoed', async () => {
    const sent = { diagnoses: ['TESTPATIENT-SECRET'], lines: [{ line: 0, units: -3, modifiers: ['TOOLONG'] }], extra: true };
    const invalid = error(await call('POST', `/work-items/${ids.held(6)}/corrections`, ann, { body: sent }), 400);
    expect(invalid.error).toBe('invalid-request');
    expect(invalid.issues!.map((issue) => issue.path).sort()).toEqual(['', 'diagnoses.0', 'lines.0.line', 'lines.0.modifiers.0', 'lines.0.units']);
    expect(JSON.stringify(invalid)).not.toMatch(/SECRET|TOOLONG/);
    expect(error(await call('POST', `/work-items/${ids.held(6)}/resolve`, ann, { rawBody: '{"action": resubmit' }), 400)).toEqual({ error: 'invalid-json' });
    expect(error(await call('POST', `/work-items/${ids.held(6)}/resolve`, ann, { body: { action: 'write-off' } }), 400)).toEqual({
      error: 'invalid-request',
      issues: [{ path: 'reason', message: 'a write-off needs a reason' }],
    });
    expect(error(await call('GET', '/work-items', ann, { query: { limit: '0', queue: 'nope' } }), 400).issues!.map((issue) => issue.path).sort()).toEqual(['limit', 'queue']);
    expect(error(await call('GET', '/work-items', ann, { query: { queue: 'coding', cursor: 'AAAA' } }), 400).issues).toEqual([{ path: 'cursor', message: 'not a cursor of this list: start again without one' }]);
  });

  test('two coders take the same item at once: exactly one owns it, the other gets 409', async () => {
    const id = synthetic('s1');
    const replies = await Promise.all([call('POST', `/work-items/${id}/take`, ann), call('POST', `/work-items/${id}/take`, ben)]);
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 409]);
    const winner = replies.find((reply) => reply.status === 200)!;
    const loser = replies.find((reply) => reply.status === 409)!;
    const item = WorkItemSchema.parse(winner.body);
    expect(error(loser, 409)).toEqual({ error: 'already-taken' });
    expect(item).toMatchObject({ status: 'in-progress', revision: 1 });
    const owner = item.assignee!;
    expect(['coder-ann', 'coder-ben']).toContain(owner);
    const detail = expectReply(await call('GET', `/work-items/${id}`, sue), 200, WorkItemDetailResponseSchema);
    expect(detail.item.assignee).toBe(owner);
    expect(detail.history.map((entry) => entry.action)).toEqual(['created', 'taken']);
    // Taking it again is harmless for its owner and still refused to the other.
    expect(WorkItemSchema.parse((await call('POST', `/work-items/${id}/take`, owner === 'coder-ann' ? ann : ben)).body).revision).toBe(1);
    expect(error(await call('POST', `/work-items/${id}/take`, owner === 'coder-ann' ? ben : ann), 409)).toEqual({ error: 'already-taken' });
    const takes = (await new DynamoAuditLog({ client: dynamo.client, tableName: dataTable.defaultName }).list(TENANT, { actor: owner })).filter((event) => event.workItemId === id);
    expect(takes.map((event) => event.action)).toEqual(['work-item.take']);
    expect(WorkItemSchema.parse((await call('POST', `/work-items/${id}/release`, owner === 'coder-ann' ? ann : ben)).body)).toMatchObject({ status: 'open', revision: 2 });
  });

  test('take, release, assign and the assignee list; wait and resume', async () => {
    const id = synthetic('s3');
    expect(WorkItemSchema.parse((await call('POST', `/work-items/${id}/take`, ann)).body)).toMatchObject({ status: 'in-progress', assignee: 'coder-ann' });
    expect(await listAll(ann, { assignee: 'me' })).toEqual([id]);
    expect(error(await call('POST', `/work-items/${id}/release`, ben), 403)).toEqual({ error: 'forbidden', message: 'not-owner' });
    const released = WorkItemSchema.parse((await call('POST', `/work-items/${id}/release`, ann)).body);
    expect(released.status).toBe('open');
    expect(released.assignee).toBeUndefined();
    expect(await listAll(ann, { assignee: 'me' })).toEqual([]);
    expect(error(await call('POST', `/work-items/${id}/release`, ann), 409)).toEqual({ error: 'not-assigned' });

    const assigned = WorkItemSchema.parse((await call('POST', `/work-items/${id}/assign`, sue, { body: { assignee: 'coder-ben' } })).body);
    expect(assigned).toMatchObject({ status: 'in-progress', assignee: 'coder-ben', revision: 3 });
    expect(await listAll(ben, { assignee: 'me' })).toEqual([id]);
    expect(await listAll(sue, { assignee: 'coder-ben', queue: 'coding' })).toEqual([id]);

    expect(WorkItemSchema.parse((await call('POST', `/work-items/${id}/wait`, ben, { body: { note: 'operative note requested' } })).body).status).toBe('waiting-on-provider');
    expect(await listAll(ann, { status: 'waiting-on-provider' })).toEqual([id]);
    expect(error(await call('POST', `/work-items/${id}/wait`, ben), 409)).toEqual({ error: 'not-in-progress' });
    const resumed = WorkItemSchema.parse((await call('POST', `/work-items/${id}/resume`, ben)).body);
    expect(resumed).toMatchObject({ status: 'in-progress', assignee: 'coder-ben', revision: 5 });
    expect(resumed.history.map((entry) => `${entry.action}:${entry.by}`)).toEqual([
      'created:system',
      'taken:coder-ann',
      'released:coder-ann',
      'reassigned:super-sue',
      'waiting-on-provider:coder-ben',
      'resumed:coder-ben',
    ]);
    const events = await new DynamoAuditLog({ client: dynamo.client, tableName: dataTable.defaultName }).list(TENANT, { actor: 'coder-ben' });
    expect(events.filter((event) => event.workItemId === id).map((event) => event.action)).toEqual(['work-item.wait', 'work-item.resume']);
  });

  test('a held claim: detail (audited), corrections re-scrub it, then it is resubmitted as an original', async () => {
    const id = ids.held(6);
    const claimId = ids.claim(6);
    const detail = expectReply(await call('GET', `/work-items/${id}`, ann), 200, WorkItemDetailResponseSchema);
    expect(detail.claim).toMatchObject({ claimId, status: 'held', postings: [] });
    expect(detail.claim!.claim.patientControlNumber).toBe('CPP001000000006');
    expect(detail.claim!.findings.filter((finding) => finding.severity === 'reject').map((finding) => finding.code)).toEqual(['units-limit']);
    expect(detail.claim!.adjudication).toBeUndefined();
    const audit = new DynamoAuditLog({ client: dynamo.client, tableName: dataTable.defaultName });
    expect((await audit.list(TENANT, { claimId })).map((event) => [event.action, event.actor, event.workItemId])).toEqual([['claim.read', 'coder-ann', id]]);

    expect(error(await call('POST', `/work-items/${id}/corrections`, ann, { body: { lines: [{ line: 3, units: 8 }] } }), 409)).toEqual({ error: 'not-in-progress' });
    WorkItemSchema.parse((await call('POST', `/work-items/${id}/take`, ann)).body);
    expect(error(await call('POST', `/work-items/${id}/resolve`, ann, { body: { action: 'resubmit' } }), 409)).toEqual({ error: 'still-held', codes: ['units-limit'] });
    expect(error(await call('POST', `/work-items/${id}/resolve`, ann, { body: { action: 'resubmit', void: true } }), 409)).toEqual({ error: 'not-adjudicated' });
    expect(error(await call('POST', `/work-items/${id}/corrections`, ann, { body: { lines: [{ line: 7, units: 1 }] } }), 400)).toEqual({
      error: 'invalid-request',
      issues: [{ path: 'lines', message: 'line 7: the claim has no such line' }],
    });

    const corrected = expectReply(await call('POST', `/work-items/${id}/corrections`, ann, { body: { lines: [{ line: 3, units: 8 }] } }), 200, CorrectionResponseSchema);
    expect(corrected.holds).toBe(false);
    expect(corrected.findings.filter((finding) => finding.severity === 'reject')).toEqual([]);
    expect(corrected.claim.frequency).toBe('1');
    expect(corrected.claim.lines.map((line) => line.units)).toEqual([4, 4, 8]);
    expect(corrected.item.history.at(-1)).toMatchObject({ action: 'corrected', by: 'coder-ann', note: 'line 3: units' });
    const withDraft = expectReply(await call('GET', `/work-items/${id}`, ann), 200, WorkItemDetailResponseSchema);
    expect(withDraft.correction).toMatchObject({ lines: [{ line: 3, units: 8 }], holds: false, by: 'coder-ann' });
    expect(withDraft.claim!.claim.lines[2]!.units).toBe(9);

    clock = new Date('2026-07-02T11:00:00.000Z');
    const resolved = WorkItemSchema.parse((await call('POST', `/work-items/${id}/resolve`, ann, { body: { action: 'resubmit' } })).body);
    const key = `${TENANT}/outbox/TESTPPO01/resubmit-${id}-${resolved.revision}.837`;
    expect(resolved).toMatchObject({ status: 'resolved', resolution: { action: 'resubmitted', by: 'coder-ann', frequency: '1', outboundKey: key } });
    expect(resolved.resolution!.at).toMatch(/^2026-07-02T11:00:00\.0\d\dZ$/);
    expect(resolved.assignee).toBeUndefined();
    const written = await text(OUTBOUND, key);
    expect((await validateX12(written)).verdict).toBe('accepted');
    const [sent] = (await read837All(written)).claims;
    expect(sent).toMatchObject({ patientControlNumber: 'CPP001000000006', frequency: '1' });
    expect(sent!.references.payerClaimControlNumber).toBeUndefined();
    expect(sent!.lines.map((line) => line.units)).toEqual([4, 4, 8]);
    expect(written).toContain('ISA*00*          *00*          *ZZ*CLAIMPATHDEMO  *ZZ*TESTPPO01      *260702*1100*');

    // The same resolution again (a retry) converges on the same item and the same bytes.
    clock = new Date('2026-07-02T11:05:00.000Z');
    const again = WorkItemSchema.parse((await call('POST', `/work-items/${id}/resolve`, ann, { body: { action: 'resubmit' } })).body);
    expect(again).toEqual(resolved);
    expect(await text(OUTBOUND, key)).toBe(written);
    expect(error(await call('POST', `/work-items/${id}/resolve`, ann, { body: { action: 'appeal' } }), 409)).toEqual({ error: 'already-resolved' });
    expect((await audit.list(TENANT, { claimId })).map((event) => event.action)).toEqual(['claim.read', 'work-item.take', 'work-item.correct', 'claim.read', 'work-item.resolve']);
    expect((await audit.list(TENANT, { claimId })).at(-1)!.detail).toMatchObject({ resolution: 'resubmitted', frequency: '1', to: 'resolved' });
  });

  test('a held claim whose re-scrub still holds cannot be resubmitted; it can be written off', async () => {
    const id = ids.held(2);
    WorkItemSchema.parse((await call('POST', `/work-items/${id}/take`, ben)).body);
    expect(error(await call('POST', `/work-items/${id}/resolve`, ben, { body: { action: 'resubmit' } }), 409)).toEqual({ error: 'still-held', codes: ['procedure-pair'] });
    const corrected = expectReply(await call('POST', `/work-items/${id}/corrections`, ben, { body: { lines: [{ line: 2, modifiers: ['25'] }] } }), 200, CorrectionResponseSchema);
    expect(corrected.holds).toBe(true);
    expect(corrected.findings.filter((finding) => finding.severity === 'reject').map((finding) => finding.code)).toEqual(['procedure-pair']);
    const writtenOff = WorkItemSchema.parse((await call('POST', `/work-items/${id}/resolve`, ben, { body: { action: 'write-off', reason: 'NCCI-PAIR' } })).body);
    expect(writtenOff.resolution).toEqual({ action: 'written-off', at: clock.toISOString(), by: 'coder-ben', reason: 'NCCI-PAIR' });
  });

  test('an adjudicated claim goes out as a replacement with REF*F8, or as a void', async () => {
    const replaceId = await denyClaim(7, 'PCCN7000001');
    const voidId = await denyClaim(5, 'PCCN5000001');

    const detail = expectReply(await call('GET', `/work-items/${replaceId}`, ann), 200, WorkItemDetailResponseSchema);
    expect(detail.claim!.adjudication).toMatchObject({ status: 'denied', payerClaimControlNumber: 'PCCN7000001' });
    expect(detail.claim!.postings.map((posting) => [posting.claimStatusCode, posting.payerClaimControlNumber])).toEqual([['4', 'PCCN7000001']]);

    WorkItemSchema.parse((await call('POST', `/work-items/${replaceId}/take`, ann)).body);
    const preview = expectReply(await call('POST', `/work-items/${replaceId}/corrections`, ann, { body: { lines: [{ line: 1, modifiers: ['25'] }] } }), 200, CorrectionResponseSchema);
    expect(preview.claim).toMatchObject({ frequency: '7', references: { payerClaimControlNumber: 'PCCN7000001' } });
    const replaced = WorkItemSchema.parse((await call('POST', `/work-items/${replaceId}/resolve`, ann, { body: { action: 'resubmit' } })).body);
    expect(replaced.resolution).toMatchObject({ action: 'resubmitted', frequency: '7' });
    const replacement = await text(OUTBOUND, replaced.resolution!.outboundKey!);
    expect((await validateX12(replacement)).verdict).toBe('accepted');
    expect(replacement).toContain('REF*F8*PCCN7000001~');
    const [sentReplacement] = (await read837All(replacement)).claims;
    expect(sentReplacement).toMatchObject({ patientControlNumber: 'CPP001000000007', frequency: '7', references: { payerClaimControlNumber: 'PCCN7000001' } });
    expect(sentReplacement!.lines[0]!.procedure!.modifiers).toEqual(['25']);

    WorkItemSchema.parse((await call('POST', `/work-items/${voidId}/take`, ben)).body);
    const voided = WorkItemSchema.parse((await call('POST', `/work-items/${voidId}/resolve`, ben, { body: { action: 'resubmit', void: true } })).body);
    expect(voided.resolution).toMatchObject({ action: 'resubmitted', frequency: '8', outboundKey: `${TENANT}/outbox/TESTPPO01/resubmit-${voidId}-${voided.revision}.837` });
    const voidFile = await text(OUTBOUND, voided.resolution!.outboundKey!);
    expect((await validateX12(voidFile)).verdict).toBe('accepted');
    const [sentVoid] = (await read837All(voidFile)).claims;
    expect(sentVoid).toMatchObject({ patientControlNumber: 'CPP001000000005', frequency: '8', references: { payerClaimControlNumber: 'PCCN5000001' } });
  });

  test('the store: a stale revision loses, index keys follow status and owner, pages resume after a moved item', async () => {
    const store = new DynamoWorkItems({ client: dynamo.client, tableName: dataTable.defaultName });
    const id = synthetic('store');
    await store.createMany([syntheticItem('store', { queue: 'exceptions', createdAt: '2026-06-02T00:00:00.000Z', amountAtRiskCents: 300, appealDeadline: '2026-07-03' })]);
    await store.createMany([
      syntheticItem('store-next', { queue: 'exceptions', createdAt: '2026-06-02T00:00:00.000Z', amountAtRiskCents: 200, appealDeadline: '2026-07-04' }),
      syntheticItem('store-last', { queue: 'exceptions', createdAt: '2026-06-02T00:00:00.000Z', amountAtRiskCents: 100, appealDeadline: '2026-07-05' }),
    ]);
    const record = (await store.get(TENANT, id))!;
    expect(await store.get(OTHER_TENANT, id)).toBeUndefined();
    const taken: WorkItem = { ...record.item, status: 'in-progress', assignee: 'biller-bill', revision: 1 };
    await store.update({ item: taken }, 0);
    await expect(store.update({ item: { ...record.item, status: 'in-progress', assignee: 'coder-ben', revision: 1 } }, 0)).rejects.toMatchObject({ name: 'WorkItemRevisionConflictError' });
    const raw = async () => (await documents.send(new GetCommand({ TableName: dataTable.defaultName, Key: { pk: `WORK#${id}`, sk: 'WORK' } }))).Item!;
    expect(await raw()).toMatchObject({ gsi2pk: `TENANT#${TENANT}#QUEUE#exceptions#STATUS#in-progress`, gsi3pk: `TENANT#${TENANT}#ASSIGNEE#biller-bill`, assignee: 'biller-bill', revision: 1 });

    // A page that ended on an item that has moved on (taken) still resumes where it was.
    const filter = { queues: ['exceptions' as const], statuses: ['open' as const] };
    const partition = { index: 'queue' as const, queue: 'exceptions' as const, status: 'open' as const };
    const nextFirst = await store.page(TENANT, partition, { filter, limit: 1 });
    expect(nextFirst.items.map((item) => item.workItemId)).toEqual([synthetic('store-next')]);
    const next = (await store.get(TENANT, synthetic('store-next')))!;
    await store.update({ item: { ...next.item, status: 'in-progress', assignee: 'biller-bill', revision: 1 } }, 0);
    const resumed = await store.page(TENANT, partition, { filter, limit: 1, after: { workOrderKey: workOrderKey(next.item), workItemId: next.item.workItemId } });
    expect(resumed).toEqual({ items: [expect.objectContaining({ workItemId: synthetic('store-last') })], exhausted: true });

    // Back to open without an owner: the owner's index keys are removed with the owner.
    await store.update({ item: { ...record.item, revision: 2, updatedAt: '2026-07-02T12:00:00.000Z' }, correction: undefined }, 1);
    const reopened = await raw();
    expect(reopened).toMatchObject({ gsi2pk: `TENANT#${TENANT}#QUEUE#exceptions#STATUS#open`, revision: 2 });
    expect(reopened).not.toHaveProperty('gsi3pk');
    expect(reopened).not.toHaveProperty('assignee');
    expect(await store.page(TENANT, { index: 'assignee', assignee: 'biller-bill' }, { filter: {}, limit: 10 })).toEqual({ items: [expect.objectContaining({ workItemId: synthetic('store-next') })], exhausted: true });
  });

  test('an internal failure answers 500 with the request id only, and logs no detail', async () => {
    const failing = ports();
    failing.workItems = { ...failing.workItems, get: async () => Promise.reject(new Error('boom TESTPATIENT PAPA 2023-03-18')), page: failing.workItems.page, update: failing.workItems.update };
    const reply = await call('GET', `/work-items/${ids.held(6)}`, ann, {}, makeHandler(failing));
    expect(error(reply, 500)).toEqual({ error: 'internal', requestId: reply.requestId });
    expect(captured.join('')).toContain('"errorName":"Error"');
  });

  test('nothing logged carries PHI: names, member ids, birth dates, addresses, codes sent', () => {
    const logs = captured.join('');
    expect(logs).toContain('"route":"POST /work-items/{id}/resolve"');
    for (const value of ['FAKEPATIENT', 'TESTPATIENT', 'DEMOPATIENT', 'MOCKPATIENT', 'SAMPLEPATIENT', 'TEST358670092', 'TEST058367753', '2023-03-18', '20230318', '5993 FIXTURE LN', 'boom', 'operative note', 'SECRET', 'J45909']) {
      expect(logs).not.toContain(value);
    }
  });
});
