/**
 * The whole system on one machine (what `npm start` runs): dynalite and s3rver on loopback, every
 * table of `allTables` and the three buckets created, the sample payer rules and tenants loaded; every
 * object created under `{tenant}/837/` in the inbound bucket delivered to the ingest-claims handler and
 * every one under `{tenant}/835/` to the ingest-remittance handler — the same handler modules Lambda
 * runs — wrapped in the same SQS message holding the same S3 notification they get on AWS; and the
 * worklist API handler served over HTTP on loopback behind a verifier of tokens signed by a local key,
 * as the HTTP API's JWT authorizer serves it on AWS, with the coders' page beside it. Only endpoints and
 * credentials differ (DESIGN.md, "Local runtime").
 *
 * The handlers read their configuration once, when their modules are first imported (a cold start):
 * the runtime sets the environment first, then imports them. Hence one runtime per process at a time
 * with a given set of endpoints; a second runtime on other endpoints in the same process is refused.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { S3rverEvent, S3rverEventRecord } from 's3rver';
import { TradingPartnerSettingsSchema, type TradingPartnerSettings } from '../claims/ports.ts';
import { parseInboundClaimsKey } from '../claims/ingest-claims.ts';
import { loadRuleDocuments } from '../cli/rule-files.ts';
import { parseInboundRemittanceKey } from '../remits/ingest-remittance.ts';
import { RuleVersionConflictError } from '../rules/rule-store.ts';
import { ensureTable } from '../store/create-table.ts';
import { createDynamoClient } from '../store/dynamo-client.ts';
import { DynamoRuleStore } from '../store/dynamo-rule-store.ts';
import { DynamoTradingPartners } from '../store/dynamo-trading-partners.ts';
import { allTables, dataTable, idempotencyTable, rulesTable } from '../store/tables.ts';
import { startApiServer, type ApiRequestEntry, type ApiServer, type WorklistApiHandler } from './api-server.ts';
import { LOCAL_API_PORT, LOCAL_BUCKETS, LOCAL_PORTS, LOCAL_REGION } from './defaults.ts';
import { LocalDispatcher, type DeadLetter, type DeliveryOutcome, type ObjectRef } from './dispatcher.ts';
import { sqsEventForS3Object } from './events.ts';
import { createS3Client } from '../store/clients.ts';
import { startDynamoServer, startS3Server, type LocalS3Server, type LocalServer } from './servers.ts';
import { generateSigningKey, loadOrCreateSigningKey, LocalTokenAuthority } from './tokens.ts';

/** The repository's root: the sample folders are found from here, whatever the working directory. */
const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The functions fed by inbound objects, by the folder of the key (`{tenant}/837/…`, `{tenant}/835/…`). */
type IngestFunctionName = 'ingest-claims' | 'ingest-remittance';
/** The name a function has locally (Powertools uses it, e.g. in idempotency keys). */
const localFunctionName = (name: string): string => `claimpath-${name}-local`;
/**
 * Where the runtime puts the sample payer directory (events/payers/directory.json) in the inbound
 * bucket for ingest-remittance (PAYER_DIRECTORY_KEY): outside every `{tenant}/837/` and `{tenant}/835/`
 * prefix, so no function is notified of it.
 */
export const LOCAL_PAYER_DIRECTORY_KEY = '_config/payer-directory.json';
/** Lambda's longest timeout; what the function's context reports as its remaining time. */
const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 900;

/** Options of {@link startLocalRuntime}; every one has a default that `npm start` uses. */
export interface LocalRuntimeOptions {
  /** Folder of the persisted data: `dynamodb/` and `s3/` under it (default `.data` in the repository). */
  dataDirectory?: string;
  /** Keep nothing: DynamoDB in memory, objects in a temporary folder deleted on stop (tests). */
  inMemory?: boolean;
  /** Ports on 127.0.0.1 (default 4567 DynamoDB, 4568 S3, 4569 the API and page), or `random` for free ones (tests). */
  ports?: { dynamodb: number; s3: number; api?: number } | 'random';
  /** Serve the worklist API and the page (default true). */
  api?: boolean;
  /** Told each API request's outcome (ids, route, status: no PHI). */
  onApiRequest?: (entry: ApiRequestEntry) => void;
  /** Payer rule documents to load (default `events/rules`); `false` loads none. */
  rulesDirectory?: string | false;
  /** Tenants' trading-partner settings to load, one JSON document per file (default `events/tenants`); `false` loads none. */
  tenantsDirectory?: string | false;
  /** Deliveries of one notification before it is parked (SQS maxReceiveCount; default 3). */
  maxAttempts?: number;
  /** Pause before a retry, doubled each time (default 250 ms). */
  retryDelayMs?: number;
  /** SPLIT_THRESHOLD_BYTES for the function (large batches split into chunks); default: the function's. */
  splitThresholdBytes?: number;
  /** Told each delivery's outcome as it settles. */
  onOutcome?: (outcome: DeliveryOutcome) => void;
}

/** What was loaded at start. */
export interface LoadedSamples {
  /** Rule documents newly stored and already there. */
  rules: { written: number; unchanged: number };
  /** Rule versions already stored with other content (a persisted store from older samples): kept as they are. */
  ruleConflicts: number;
  /** Tenants whose trading-partner settings were loaded. */
  tenants: string[];
}

/** The running local system. */
export interface LocalRuntime {
  readonly endpoints: { readonly dynamodb: string; readonly s3: string; readonly region: string };
  readonly tables: { readonly data: string; readonly rules: string; readonly idempotency: string };
  readonly buckets: { readonly inbound: string; readonly outbound: string; readonly archive: string };
  /**
   * The worklist API and the page (`url`; the API under `${url}/api`), and the authority that signs
   * the local tokens it accepts (`claimpath login` issues them with the same key); undefined with `api: false`.
   */
  readonly api: { readonly url: string; readonly tokens: LocalTokenAuthority } | undefined;
  /** Where s3rver keeps the objects (one folder per bucket), or a temporary folder when in memory. */
  readonly s3Directory: string;
  /** Where dynalite keeps its data; undefined in memory. */
  readonly dynamoDirectory: string | undefined;
  /** The folder of the persisted data (`.data` by default); undefined in memory. */
  readonly dataDirectory: string | undefined;
  /** The environment the handler was configured with (names and endpoints; no secrets). */
  readonly functionEnvironment: Readonly<Record<string, string>>;
  readonly loaded: LoadedSamples;
  /** Resolves when no delivery is queued or running. */
  idle(): Promise<void>;
  /** The outcome of the next delivery of `ref` to settle (or the latest settled, with `includeSettled`). */
  nextOutcome(ref: ObjectRef, includeSettled?: boolean): Promise<DeliveryOutcome>;
  outcomes(): readonly DeliveryOutcome[];
  /** Notifications that failed every attempt (the local dead-letter queue). */
  deadLetters(): readonly DeadLetter[];
  /** Stop taking events, let running deliveries finish, close both servers. Safe to call twice. */
  stop(): Promise<void>;
}

/** The runtime could not start (samples invalid, handler missing or already configured otherwise). */
export class LocalRuntimeError extends Error {
  override readonly name = 'LocalRuntimeError';
}

/** The handler as the runtime calls it: Lambda's signature for an SQS-triggered function. */
type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

/** The handlers of every function, as their modules export them. */
interface FunctionHandlers {
  ingest: Readonly<Record<IngestFunctionName, SqsHandler>>;
  worklistApi: WorklistApiHandler;
}

/** A notification the dispatcher delivers: the object, the S3 record s3rver emitted for it, and its function. */
interface ObjectNotification extends ObjectRef {
  readonly record: S3rverEventRecord;
  readonly target: IngestFunctionName;
}

/** The environment the handler modules were imported with in this process (it is read once). */
let handlersLoadedWith: Readonly<Record<string, string>> | undefined;
let loadedHandlers: FunctionHandlers | undefined;

/**
 * Start the local system. Resolves once the servers listen, the tables and buckets exist and the
 * samples are loaded; from then on, uploads to the inbound bucket are processed.
 *
 * @example
 * const runtime = await startLocalRuntime({ inMemory: true, ports: 'random' });
 * // upload to runtime.endpoints.s3, bucket runtime.buckets.inbound, key `acme/837/batch.x12`
 * await runtime.idle();
 * await runtime.stop();
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const dataDirectory = resolve(options.dataDirectory ?? join(REPOSITORY_ROOT, '.data'));
  const ports = options.ports === 'random' ? { dynamodb: 0, s3: 0, api: 0 } : { api: LOCAL_API_PORT, ...(options.ports ?? LOCAL_PORTS) };
  const buckets = { ...LOCAL_BUCKETS };
  const tables = { data: dataTable.defaultName, rules: rulesTable.defaultName, idempotency: idempotencyTable.defaultName };

  // Notifications that arrive before the handler is ready wait here (none should: buckets start empty of new uploads).
  let dispatcher: LocalDispatcher<ObjectNotification> | undefined;
  const early: ObjectNotification[] = [];
  const onS3Event = (event: S3rverEvent): void => {
    for (const record of event.Records) {
      const notification = ingestNotificationOf(record, buckets.inbound);
      if (notification === undefined) continue;
      if (dispatcher) dispatcher.enqueue(notification);
      else early.push(notification);
    }
  };

  const started: LocalServer[] = [];
  const closeStarted = async (): Promise<void> => {
    for (const server of started.reverse()) await server.close().catch(() => undefined);
  };
  let dynamo: LocalServer;
  let s3: LocalS3Server;
  const dynamoDirectory = options.inMemory ? undefined : join(dataDirectory, 'dynamodb');
  try {
    dynamo = await startDynamoServer({ port: ports.dynamodb, ...(dynamoDirectory !== undefined ? { directory: dynamoDirectory } : {}) });
    started.push(dynamo);
    s3 = await startS3Server({
      port: ports.s3,
      ...(options.inMemory ? {} : { directory: join(dataDirectory, 's3') }),
      buckets: Object.values(buckets),
      onEvent: onS3Event,
    });
    started.push(s3);
  } catch (error) {
    await closeStarted();
    throw error;
  }

  const endpoints = { dynamodb: dynamo.endpoint, s3: s3.endpoint, region: LOCAL_REGION };
  const functionEnvironment: Record<string, string> = {
    DATA_TABLE: tables.data,
    RULES_TABLE: tables.rules,
    IDEMPOTENCY_TABLE: tables.idempotency,
    INBOUND_BUCKET: buckets.inbound,
    OUTBOUND_BUCKET: buckets.outbound,
    ARCHIVE_BUCKET: buckets.archive,
    DYNAMODB_ENDPOINT: endpoints.dynamodb,
    S3_ENDPOINT: endpoints.s3,
    AWS_REGION: endpoints.region,
    PAYER_DIRECTORY_KEY: LOCAL_PAYER_DIRECTORY_KEY,
    ...(options.splitThresholdBytes !== undefined ? { SPLIT_THRESHOLD_BYTES: String(options.splitThresholdBytes) } : {}),
  };

  const client = createDynamoClient({ endpoint: endpoints.dynamodb, region: endpoints.region });
  let loaded: LoadedSamples;
  let handlers: FunctionHandlers;
  let api: { server: ApiServer; tokens: LocalTokenAuthority } | undefined;
  try {
    for (const table of allTables) await ensureTable(client, table, table.defaultName);
    loaded = await loadSamples(client, tables, options);
    await uploadPayerDirectory(endpoints, buckets.inbound);
    handlers = await importHandlers(functionEnvironment);
    if (options.api !== false) {
      // The key `claimpath login` signs with: kept beside the data, or thrown away with an in-memory run.
      const tokens = new LocalTokenAuthority(options.inMemory ? generateSigningKey() : await loadOrCreateSigningKey(dataDirectory));
      const server = await startApiServer({
        handler: handlers.worklistApi,
        verifier: tokens,
        port: ports.api,
        ...(options.onApiRequest !== undefined ? { onRequest: options.onApiRequest } : {}),
      });
      started.push({ endpoint: server.url, port: server.port, close: () => server.close() });
      api = { server, tokens };
    }
  } catch (error) {
    await closeStarted();
    throw error;
  } finally {
    client.destroy();
  }

  const timeoutMs = DEFAULT_FUNCTION_TIMEOUT_SECONDS * 1000;
  // The runtime's own S3 client (HEADs for copy notifications); the handler builds its own.
  const s3Client = createS3Client({ s3Endpoint: endpoints.s3, region: endpoints.region });
  const activeDispatcher = new LocalDispatcher<ObjectNotification>({
    deliver: (notification, attempt) => deliverToHandler(handlers.ingest[notification.target], s3Client, notification, attempt, timeoutMs),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
    ...(options.onOutcome !== undefined ? { onOutcome: options.onOutcome } : {}),
  });
  dispatcher = activeDispatcher;
  for (const notification of early.splice(0)) activeDispatcher.enqueue(notification);

  let stopping: Promise<void> | undefined;
  return {
    endpoints,
    tables,
    buckets,
    api: api ? { url: api.server.url, tokens: api.tokens } : undefined,
    s3Directory: s3.directory,
    dynamoDirectory,
    dataDirectory: options.inMemory ? undefined : dataDirectory,
    functionEnvironment,
    loaded,
    idle: () => activeDispatcher.idle(),
    nextOutcome: (ref, includeSettled) => activeDispatcher.nextOutcome(ref, includeSettled),
    outcomes: () => activeDispatcher.outcomes(),
    deadLetters: () => activeDispatcher.deadLetters(),
    stop: () => {
      stopping ??= (async () => {
        await activeDispatcher.stop();
        s3Client.destroy();
        // The API first, then S3 (no new events while DynamoDB closes), then DynamoDB.
        await closeStarted();
      })();
      return stopping;
    },
  };
}

/**
 * The notification to deliver for an s3rver record, or undefined when no function would get it on AWS
 * either: only objects created in the inbound bucket under `{tenant}/837/` (ingest-claims, chunks of
 * split batches included) or `{tenant}/835/` (ingest-remittance), as the bucket's event notification
 * filters route them. s3rver gives the key as stored; S3 notifications carry it URL-encoded, which
 * `sqsEventForS3Object` does.
 */
function ingestNotificationOf(record: S3rverEventRecord, inboundBucket: string): ObjectNotification | undefined {
  if (!record.eventName.startsWith('ObjectCreated:')) return undefined;
  if (record.s3.bucket.name !== inboundBucket) return undefined;
  const key = record.s3.object.key;
  const target: IngestFunctionName | undefined =
    parseInboundClaimsKey(key) !== undefined ? 'ingest-claims' : parseInboundRemittanceKey(key) !== undefined ? 'ingest-remittance' : undefined;
  if (target === undefined) return undefined;
  return { bucket: record.s3.bucket.name, key, record, target };
}

/**
 * Deliver one notification as SQS would: one message, its receive count, a fresh invocation context.
 * Throws when the handler threw or reported the message as a batch item failure (it goes back to the
 * queue).
 */
async function deliverToHandler(handler: SqsHandler, s3: S3Client, notification: ObjectNotification, attempt: number, timeoutMs: number): Promise<void> {
  const { size, eTag } = await sizeAndETag(s3, notification);
  const event = sqsEventForS3Object(notification.bucket, notification.key, size, eTag);
  for (const message of event.Records) message.attributes.ApproximateReceiveCount = String(attempt);
  const response = await handler(event, lambdaContext(notification.target, timeoutMs));
  const failures = response?.batchItemFailures ?? [];
  if (failures.length > 0) throw new BatchItemFailureError(failures.length);
}

/**
 * Size and ETag of the notified object: from s3rver's record, or — for a copy, whose record carries no
 * ETag — from a HEAD (an object already gone keeps the record's values: the function finds it missing).
 */
async function sizeAndETag(s3: S3Client, notification: ObjectNotification): Promise<{ size: number; eTag: string }> {
  const { size, eTag } = notification.record.s3.object;
  if (size !== undefined && eTag !== undefined) return { size, eTag };
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: notification.bucket, Key: notification.key }));
    return { size: head.ContentLength ?? size ?? 0, eTag: head.ETag ?? eTag ?? '' };
  } catch {
    return { size: size ?? 0, eTag: eTag ?? '' };
  }
}

/** The function reported its message as failed (a partial batch response): SQS would redeliver it. */
export class BatchItemFailureError extends Error {
  override readonly name = 'BatchItemFailure';
  constructor(readonly failures: number) {
    super(`the function reported ${failures} failed message(s)`);
  }
}

/** A Lambda invocation context: what Powertools and middy read (request id, names, remaining time). */
function lambdaContext(name: IngestFunctionName, timeoutMs: number): Context {
  const functionName = localFunctionName(name);
  const deadline = Date.now() + timeoutMs;
  const requestId = randomUUID();
  const unsupported = (): never => {
    throw new Error('callback-style completion is not used by this project');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/**
 * Configure the process as the functions' container and import their handlers (their cold starts).
 * Each module reads the environment when imported, so each is imported with its own service and
 * function name. Local defaults quiet what has nowhere to go on a laptop — EMF metrics, info logs —
 * unless already set.
 */
async function importHandlers(environment: Readonly<Record<string, string>>): Promise<FunctionHandlers> {
  if (handlersLoadedWith !== undefined && loadedHandlers !== undefined) {
    const differs = Object.entries(environment).some(([name, value]) => handlersLoadedWith![name] !== value);
    if (differs) throw new LocalRuntimeError('the function handlers are already configured in this process for other endpoints: run one local runtime per process');
    return loadedHandlers;
  }
  Object.assign(process.env, environment);
  const defaults: Record<string, string> = {
    POWERTOOLS_METRICS_NAMESPACE: 'ClaimPath',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'WARN',
  };
  for (const [name, value] of Object.entries(defaults)) process.env[name] ??= value;
  const coldStart = async <T>(name: string, load: () => Promise<T>): Promise<T> => {
    process.env.POWERTOOLS_SERVICE_NAME = name;
    process.env.AWS_LAMBDA_FUNCTION_NAME = localFunctionName(name);
    return load();
  };
  const ingestClaims = await coldStart('ingest-claims', async () => (await import('../../functions/ingest-claims/handler.ts')).handler);
  const ingestRemittance = await coldStart('ingest-remittance', async () => (await import('../../functions/ingest-remittance/handler.ts')).handler);
  const worklistApi = await coldStart('worklist-api', async () => (await import('../../functions/worklist-api/handler.ts')).handler);
  loadedHandlers = { ingest: { 'ingest-claims': ingestClaims, 'ingest-remittance': ingestRemittance }, worklistApi };
  handlersLoadedWith = { ...environment };
  return loadedHandlers;
}

/** Put the sample payer directory where ingest-remittance reads it at its cold start. */
async function uploadPayerDirectory(endpoints: { s3: string; region: string }, inboundBucket: string): Promise<void> {
  const s3 = createS3Client({ s3Endpoint: endpoints.s3, region: endpoints.region });
  try {
    const body = await readFile(join(REPOSITORY_ROOT, 'events', 'payers', 'directory.json'));
    await s3.send(new PutObjectCommand({ Bucket: inboundBucket, Key: LOCAL_PAYER_DIRECTORY_KEY, Body: body, ContentType: 'application/json' }));
  } finally {
    s3.destroy();
  }
}

/** Load the sample payer rules and tenants into the tables. */
async function loadSamples(
  client: ReturnType<typeof createDynamoClient>,
  tables: { data: string; rules: string },
  options: LocalRuntimeOptions,
): Promise<LoadedSamples> {
  const loaded: LoadedSamples = { rules: { written: 0, unchanged: 0 }, ruleConflicts: 0, tenants: [] };
  const rulesDirectory = options.rulesDirectory ?? join(REPOSITORY_ROOT, 'events', 'rules');
  if (rulesDirectory !== false) {
    const documents = await loadRuleDocuments([rulesDirectory], 'the local runtime loads the payer rules in events/rules');
    if ('errors' in documents) throw new LocalRuntimeError(`invalid rule documents in ${rulesDirectory}:\n${documents.errors.join('\n')}`);
    const store = new DynamoRuleStore({ client, tableName: tables.rules });
    try {
      loaded.rules = await store.put(documents.rules);
    } catch (error) {
      // A persisted store may hold older versions of the samples: keep them, store nothing over them.
      if (!(error instanceof RuleVersionConflictError)) throw error;
      loaded.ruleConflicts = error.conflicts.length;
    }
  }
  const tenantsDirectory = options.tenantsDirectory ?? join(REPOSITORY_ROOT, 'events', 'tenants');
  if (tenantsDirectory !== false) {
    const tradingPartners = new DynamoTradingPartners({ client, tableName: tables.data });
    for (const settings of await readTenantSettings(tenantsDirectory)) {
      await tradingPartners.put(settings);
      loaded.tenants.push(settings.tenant);
    }
  }
  return loaded;
}

/** Every `*.json` in `directory` as trading-partner settings, in name order; all valid or an error naming the bad fields. */
async function readTenantSettings(directory: string): Promise<TradingPartnerSettings[]> {
  const names = (await readdir(directory)).filter((name) => name.toLowerCase().endsWith('.json')).sort();
  const settings: TradingPartnerSettings[] = [];
  const problems: string[] = [];
  for (const name of names) {
    let value: unknown;
    try {
      value = JSON.parse(await readFile(join(directory, name), 'utf8'));
    } catch {
      problems.push(`${name}: not valid JSON`);
      continue;
    }
    const result = TradingPartnerSettingsSchema.safeParse(value);
    if (result.success) settings.push(result.data);
    else problems.push(`${name}: invalid fields ${result.error.issues.map((issue) => issue.path.join('.') || '(document)').join(', ')}`);
  }
  if (problems.length > 0) throw new LocalRuntimeError(`invalid tenant settings in ${directory}:\n${problems.join('\n')}`);
  return settings;
}
