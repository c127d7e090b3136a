/**
 * Pipeline benchmark (claims issue, items 7 and 9): a generated 837P batch of 25,000 claims through the
 * ingest-claims use case on the local servers — whole, and split into chunks processed concurrently —
 * and, in the same run, the same server's raw ceiling for the same items written the way the pipeline
 * writes them: the same conditional PutItem calls (create-if-absent claims, then the held claims' work
 * items), the same batches in the same order, the same concurrency (one stream per invocation, the
 * invocations of a split file concurrently). The pipeline's share of the ceiling is the ratio that
 * matters: parsing, scrubbing, acknowledgments and clean 837s must not be what limits throughput.
 *
 * The servers (dynalite in memory, s3rver on a temporary folder) run in a child process of their own,
 * as they run elsewhere on AWS; every run gets fresh tables. Chunk objects written by the splitter are
 * delivered to the use case as soon as they are written, all at once, as S3 → SQS → Lambda would.
 *
 * The code runs as esbuild bundles it (as the Lambda function is deployed), in a child process.
 *
 * Environment (all optional):
 *   BENCH_PIPELINE_CLAIMS  claims in the batch (default 25000; e.g. 2500 for a quick run)
 *   BENCH_PIPELINE_ROUNDS  rounds; the best of them is reported, the machine being shared (default 2)
 *   BENCH_SPLIT_BYTES      split threshold of the split runs (default 1 MiB)
 *   BENCH_SEED             generator seed (default 1)
 *
 * Run: `npx tsx bench/pipeline.ts` (also the last step of `npm run bench`). Writes
 * bench/out/pipeline.json and bench/out/pipeline.md.
 *
 * The same file has two more modes, used by the benchmark itself and by
 * test/integration/ingest-claims-memory.test.ts:
 *   `servers`  start dynalite and s3rver, print their endpoints as one JSON line, run until stdin closes;
 *   `memory`   ingest one uploaded file as Lambda would (the original, then each chunk in turn, one
 *              invocation at a time) and print the outcome with peak heap and RSS as one JSON line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { z } from 'zod';
import { DEFAULT_SPLIT_THRESHOLD_BYTES } from '../functions/ingest-claims/config.ts';
import { ingestClaimsFile, type IngestClaimsOutcome, type IngestClaimsPorts } from '../src/claims/ingest-claims.ts';
import { TradingPartnerSettingsSchema, type ObjectStore, type StoredClaim, type WorkItem } from '../src/claims/ports.ts';
import { parseChunkKey } from '../src/claims/split-837.ts';
import { loadRuleDocuments } from '../src/cli/rule-files.ts';
import { startDynamoServer, startS3Server } from '../src/local/servers.ts';
import { loadCodeSets } from '../src/rules/codesets/index.ts';
import type { CodeSets } from '../src/rules/codesets/types.ts';
import { CachedRuleStore } from '../src/rules/rule-store.ts';
import { createClients, type Clients } from '../src/store/clients.ts';
import { ensureTable } from '../src/store/create-table.ts';
import { DynamoRuleStore } from '../src/store/dynamo-rule-store.ts';
import { DynamoTradingPartners } from '../src/store/dynamo-trading-partners.ts';
import { ingestClaimsStorePorts } from '../src/store/ingest-claims-adapters.ts';
import { documentClientOf, putAllIfAbsent, type DataItem } from '../src/store/dynamo-writes.ts';
import { S3ObjectStore } from '../src/store/s3-object-store.ts';
import { claimKey, dataTable, rulesTable, workItemKey } from '../src/store/tables.ts';
import { MIB } from './fixture-cache.ts';
import { writeFixture } from './generator.ts';
import { markdownTable, plainTable, type Table } from './table.ts';

/** The repository (found upwards from this module: it also runs bundled, from bench/out/). */
function findRepositoryRoot(from: string): string {
  for (let folder = from; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json')) && existsSync(join(folder, 'events', 'rules'))) return folder;
    if (dirname(folder) === folder) throw new Error('the repository root was not found above bench/pipeline');
  }
}
const repositoryRoot = findRepositoryRoot(dirname(fileURLToPath(import.meta.url)));
const benchFolder = join(repositoryRoot, 'bench');
const benchDataFolder = join(benchFolder, 'data');
const REGION = 'us-east-1';
const TENANT = 'demo-billing';
const BUCKETS = { inbound: 'claimpath-inbound', outbound: 'claimpath-outbound', archive: 'claimpath-archive' } as const;
/** The receipt date of the benchmark's batches: the generated dates of service are within every payer's filing limit. */
const RECEIVED = new Date('2026-07-02T10:00:00.000Z');
/** A full garbage collection before each timed run, without asking for --expose-gc (as bench/rules.ts). */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Bytes per generated 837P claim, near enough for a first guess at the size of a batch of N claims. */
const BYTES_PER_CLAIM = 421;

// ── Servers (mode `servers`) ────────────────────────────────────────────────────────────────────────

/** Endpoints of the servers child. */
const EndpointsSchema = z.object({ dynamodb: z.string(), s3: z.string() });
type Endpoints = z.infer<typeof EndpointsSchema>;

async function serveUntilStdinCloses(): Promise<void> {
  const dynamo = await startDynamoServer({ port: 0 });
  const s3 = await startS3Server({ port: 0, buckets: Object.values(BUCKETS), onEvent: () => undefined });
  process.stdout.write(`${JSON.stringify({ dynamodb: dynamo.endpoint, s3: s3.endpoint })}\n`);
  process.stdin.resume();
  await new Promise<void>((resolve) => process.stdin.once('close', resolve).once('end', resolve));
  await s3.close();
  await dynamo.close();
}

/** dynalite and s3rver in a child process (they run elsewhere on AWS: their work is not the function's). */
async function startServersChild(): Promise<{ endpoints: Endpoints; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', fileURLToPath(import.meta.url), 'servers'], {
    cwd: repositoryRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const line = await firstLine(child);
  return {
    endpoints: EndpointsSchema.parse(JSON.parse(line)),
    stop: async () => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin?.end();
      await exited;
    },
  };
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`the child exited (${code}) before it was ready`)));
  });
}

// ── The pipeline and its ports ──────────────────────────────────────────────────────────────────────

/** What the function keeps across invocations: clients, code sets, the rule store. */
interface Container {
  clients: Clients;
  codeSets: CodeSets;
  rules: CachedRuleStore;
}

async function startContainer(endpoints: Endpoints, rulesTableName: string): Promise<Container> {
  const clients = createClients({ region: REGION, dynamoEndpoint: endpoints.dynamodb, s3Endpoint: endpoints.s3 });
  return {
    clients,
    // The data folder named, as the deployed function does (CODE_SET_DATA_DIRECTORY): a bundle is elsewhere.
    codeSets: await loadCodeSets({ dataDirectory: join(repositoryRoot, 'src', 'rules', 'codesets', 'data') }),
    rules: new CachedRuleStore(new DynamoRuleStore({ client: clients.dynamo, tableName: rulesTableName }), { ttlMs: 60_000 }),
  };
}

/** A store write call as the pipeline made it: which port, which items (by id). */
interface WriteCall {
  kind: 'claims' | 'workItems';
  ids: string[];
}

/** The ports of one invocation on `table`; `record` (if given) is told every claims and work-items call. */
function portsFor(container: Container, table: string, splitThresholdBytes: number | undefined, record?: (call: WriteCall) => void, objects?: ObjectStore): IngestClaimsPorts {
  const store = ingestClaimsStorePorts(container.clients, table);
  const { claims, workItems } = store;
  return {
    ...store,
    objects: objects ?? store.objects,
    claims: record
      ? {
          createMany: (batch: readonly StoredClaim[]) => {
            record({ kind: 'claims', ids: batch.map((stored) => stored.claimId) });
            return claims.createMany(batch);
          },
        }
      : claims,
    workItems: record
      ? {
          createMany: (batch: readonly WorkItem[]) => {
            record({ kind: 'workItems', ids: batch.map((item) => item.workItemId) });
            return workItems.createMany(batch);
          },
        }
      : workItems,
    rules: container.rules,
    codeSets: container.codeSets,
    now: () => RECEIVED,
    ...(splitThresholdBytes !== undefined ? { splitThresholdBytes } : {}),
  };
}

/** A fresh data table with the tenant's trading-partner settings. */
async function freshDataTable(client: DynamoDBClient, name: string): Promise<void> {
  await ensureTable(client, dataTable, name);
  const settings = TradingPartnerSettingsSchema.parse(JSON.parse(await readFile(join(repositoryRoot, 'events', 'tenants', `${TENANT}.json`), 'utf8')));
  await new DynamoTradingPartners({ client, tableName: name }).put(settings);
}

async function loadRules(client: DynamoDBClient, tableName: string): Promise<void> {
  await ensureTable(client, rulesTable, tableName);
  const loaded = await loadRuleDocuments([join(repositoryRoot, 'events', 'rules')], 'the benchmark scrubs with the sample payer rules');
  if ('errors' in loaded) throw new Error(loaded.errors.join('\n'));
  await new DynamoRuleStore({ client, tableName }).put(loaded.rules);
}

/** The outcome of ingesting one uploaded file, chunks included, and each invocation's write calls. */
interface PipelineRun {
  outcome: IngestClaimsOutcome;
  chunks: number;
  invocations: number;
  elapsedMs: number;
  /** One list of write calls per invocation, in call order. */
  streams: WriteCall[][];
}

/** The S3 store, telling `onChunk` of every chunk object written to the inbound bucket (S3 → SQS would deliver it). */
function chunkNotifyingStore(s3Objects: S3ObjectStore, onChunk: (key: string) => void): ObjectStore {
  return {
    get: (location) => s3Objects.get(location),
    head: (location) => s3Objects.head(location),
    copy: (from, to) => s3Objects.copy(from, to),
    delete: (location) => s3Objects.delete(location),
    put: async (location, body, contentType) => {
      await s3Objects.put(location, body, contentType);
      if (location.bucket === BUCKETS.inbound && parseChunkKey(location.key)) onChunk(location.key);
    },
    // Streamed bodies are outbound files (277CA, report), never chunk objects.
    putStream: (location, body, contentType) => s3Objects.putStream(location, body, contentType),
  };
}

/**
 * Ingest `key` as the deployed system does: one invocation for the original, then — for a split file —
 * one per chunk object, started as soon as the splitter has written it, all concurrently.
 */
async function runPipeline(container: Container, table: string, key: string, splitThresholdBytes: number | undefined): Promise<PipelineRun> {
  const streams: WriteCall[][] = [];
  const chunkInvocations: Promise<IngestClaimsOutcome>[] = [];
  // S3 → SQS → Lambda: a chunk written is a chunk delivered.
  const objects = chunkNotifyingStore(new S3ObjectStore(container.clients.s3), (chunkKey) => chunkInvocations.push(invoke(chunkKey)));
  const invoke = (objectKey: string): Promise<IngestClaimsOutcome> => {
    const stream: WriteCall[] = [];
    streams.push(stream);
    const input = { source: { bucket: BUCKETS.inbound, key: objectKey }, outboundBucket: BUCKETS.outbound, archiveBucket: BUCKETS.archive };
    return ingestClaimsFile(input, portsFor(container, table, splitThresholdBytes, (call) => stream.push(call), objects));
  };
  collectGarbage();
  const started = performance.now();
  const first = await invoke(key);
  const rest = await Promise.all(chunkInvocations);
  const elapsedMs = performance.now() - started;
  const outcome = [first, ...rest].find((candidate) => candidate.kind === 'processed' || candidate.kind === 'rejected') ?? first;
  return { outcome, chunks: first.kind === 'split' ? first.chunks : 0, invocations: 1 + rest.length, elapsedMs, streams };
}

/**
 * The ceiling: the same write calls on the same server with the same concurrency, nothing else. The
 * items are read back from the pipeline's table (not timed) and kept as JSON outside the JavaScript
 * heap, one buffer per call: 25,000 claim items held as objects would make every garbage collection of
 * the replay mark half a gigabyte, and the ceiling would measure that. Each call's items are parsed just
 * before it is made (about 1 % of the call's own cost, as the pipeline builds its items before its calls).
 */
async function runCeiling(container: Container, fromTable: string, toTable: string, streams: readonly WriteCall[][]): Promise<number> {
  const documentClient = documentClientOf(container.clients.dynamo);
  const keyOf = (kind: WriteCall['kind'], id: string) => (kind === 'claims' ? claimKey(id) : workItemKey(id));
  const calls: Buffer[][] = [];
  for (const stream of streams) {
    const streamCalls: Buffer[] = [];
    for (const call of stream) {
      const items = new Map<string, DataItem>();
      for (let start = 0; start < call.ids.length; start += 100) {
        let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
          [fromTable]: { Keys: call.ids.slice(start, start + 100).map((id) => ({ ...keyOf(call.kind, id) })) },
        };
        while (request && Object.keys(request).length > 0) {
          const response = await documentClient.send(new BatchGetCommand({ RequestItems: request }));
          for (const item of response.Responses?.[fromTable] ?? []) items.set(`${String(item.pk)}\u0000${String(item.sk)}`, item);
          request = response.UnprocessedKeys as typeof request;
        }
      }
      const ordered = call.ids.map((id) => {
        const key = keyOf(call.kind, id);
        const item = items.get(`${key.pk}\u0000${key.sk}`);
        if (!item) throw new Error('an item the pipeline wrote is missing from its table');
        return item;
      });
      streamCalls.push(Buffer.from(JSON.stringify(ordered)));
    }
    calls.push(streamCalls);
  }
  collectGarbage();
  const started = performance.now();
  await Promise.all(
    calls.map(async (stream) => {
      for (const batch of stream) await putAllIfAbsent(documentClient, toTable, JSON.parse(batch.toString('utf8')) as DataItem[]);
    }),
  );
  return performance.now() - started;
}

// ── Memory (mode `memory`) ──────────────────────────────────────────────────────────────────────────

/** What the memory child prints. */
export const MemoryReportSchema = z.object({
  outcome: z.string(),
  claims: z.number(),
  /** Claims handed to the claim store (all of them, once each, when the file is complete). */
  claimsWritten: z.number(),
  chunks: z.number(),
  invocations: z.number(),
  elapsedMs: z.number(),
  /** Highest `heapUsed` sampled every few milliseconds while ingesting, overall and per invocation. */
  peakHeapUsedBytes: z.number(),
  invocationPeaks: z.array(z.object({ outcome: z.string(), peakHeapUsedBytes: z.number() })),
  /** Highest RSS sampled, and the process's own maximum resident set size (as `/usr/bin/time %M`). */
  peakRssBytes: z.number(),
  maxRssBytes: z.number(),
});
export type MemoryReport = z.infer<typeof MemoryReportSchema>;

/**
 * Ingest an uploaded file as Lambda would, one invocation at a time (the original, then each chunk
 * object in turn, as separate containers would take them), sampling memory throughout.
 */
async function measureMemory(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      dynamodb: { type: 'string' },
      s3: { type: 'string' },
      table: { type: 'string' },
      'rules-table': { type: 'string' },
      key: { type: 'string' },
      'split-bytes': { type: 'string' },
      'discard-claim-writes': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const endpoints = EndpointsSchema.parse({ dynamodb: values.dynamodb, s3: values.s3 });
  const table = z.string().min(1).parse(values.table);
  const key = z.string().min(1).parse(values.key);
  const splitBytes = values['split-bytes'] === undefined ? undefined : z.coerce.number().int().positive().parse(values['split-bytes']);
  const container = await startContainer(endpoints, z.string().min(1).parse(values['rules-table']));

  let peakHeap = 0;
  let peakRss = 0;
  const sample = (): void => {
    const usage = process.memoryUsage();
    peakHeap = Math.max(peakHeap, usage.heapUsed);
    peakRss = Math.max(peakRss, usage.rss);
  };
  const sampler = setInterval(sample, 5);
  const started = performance.now();
  const chunkKeys: string[] = [];
  const objects = chunkNotifyingStore(new S3ObjectStore(container.clients.s3), (chunkKey) => chunkKeys.push(chunkKey));
  let claimsWritten = 0;
  const invoke = (objectKey: string): Promise<IngestClaimsOutcome> => {
    const ports = portsFor(container, table, splitBytes, undefined, objects);
    if (values['discard-claim-writes']) {
      // Claims and work items are built and handed over in batches as always, then dropped unwritten.
      ports.claims = { createMany: async (batch) => ((claimsWritten += batch.length), batch.length) };
      ports.workItems = { createMany: async (batch) => batch.length };
    }
    return ingestClaimsFile({ source: { bucket: BUCKETS.inbound, key: objectKey }, outboundBucket: BUCKETS.outbound, archiveBucket: BUCKETS.archive }, ports);
  };
  const invocationPeaks: { outcome: string; peakHeapUsedBytes: number }[] = [];
  const measured = async (objectKey: string): Promise<IngestClaimsOutcome> => {
    const before = peakHeap;
    peakHeap = 0;
    const result = await invoke(objectKey);
    sample();
    invocationPeaks.push({ outcome: result.kind, peakHeapUsedBytes: peakHeap });
    peakHeap = Math.max(before, peakHeap);
    return result;
  };
  let outcome = await measured(key);
  for (const chunkKey of chunkKeys) outcome = await measured(chunkKey);
  const invocations = invocationPeaks.length;
  const elapsedMs = performance.now() - started;
  clearInterval(sampler);
  sample();
  const claims = outcome.kind === 'processed' || outcome.kind === 'rejected' ? outcome.summary.claims : 0;
  const report: MemoryReport = {
    outcome: outcome.kind,
    claims,
    claimsWritten: values['discard-claim-writes'] ? claimsWritten : claims,
    chunks: chunkKeys.length,
    invocations,
    elapsedMs: Math.round(elapsedMs),
    peakHeapUsedBytes: peakHeap,
    invocationPeaks,
    peakRssBytes: peakRss,
    // resourceUsage().maxRSS is in kilobytes.
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  container.clients.dynamo.destroy();
  container.clients.s3.destroy();
}

// ── Fixtures ────────────────────────────────────────────────────────────────────────────────────────

/** Claims (CLM segments) in an 837 file. */
async function countClaims(path: string): Promise<number> {
  const text = await readFile(path, 'latin1');
  return text.match(/~\s*CLM\*/g)?.length ?? 0;
}

/**
 * A generated 837P batch of about `claims` claims (the generator writes to a size: the size is adjusted
 * once from a first try), cached in bench/data/. Returns its path and exact claim count.
 */
export async function ensureClaimsBatch(claims: number, seed: number, folder = benchDataFolder): Promise<{ path: string; claims: number; bytes: number }> {
  const path = join(folder, `837p-${claims}claims-seed${seed}.x12`);
  if (existsSync(path)) return { path, claims: await countClaims(path), bytes: (await stat(path)).size };
  await mkdir(folder, { recursive: true });
  const temporary = `${path}.partial-${process.pid}`;
  let bytes = claims * BYTES_PER_CLAIM;
  for (let attempt = 0; attempt < 2; attempt++) {
    await writeFixture('837P', temporary, bytes, seed);
    const written = await countClaims(temporary);
    if (Math.abs(written - claims) <= claims * 0.005 || attempt === 1) break;
    bytes = Math.round((bytes * claims) / written);
  }
  await rename(temporary, path);
  return { path, claims: await countClaims(path), bytes: (await stat(path)).size };
}

/** Start the servers child, load the rules, upload each file under its key: ready for the memory child. */
export async function prepareServers(files: readonly { path: string; key: string }[]): Promise<{ endpoints: Endpoints; table: string; rulesTable: string; stop: () => Promise<void> }> {
  const servers = await startServersChild();
  const clients = createClients({ region: REGION, dynamoEndpoint: servers.endpoints.dynamodb, s3Endpoint: servers.endpoints.s3 });
  try {
    await loadRules(clients.dynamo, rulesTable.defaultName);
    await freshDataTable(clients.dynamo, dataTable.defaultName);
    for (const file of files) await clients.s3.send(new PutObjectCommand({ Bucket: BUCKETS.inbound, Key: file.key, Body: await readFile(file.path) }));
  } finally {
    clients.dynamo.destroy();
    clients.s3.destroy();
  }
  return { endpoints: servers.endpoints, table: dataTable.defaultName, rulesTable: rulesTable.defaultName, stop: servers.stop };
}

// ── The benchmark (default mode) ────────────────────────────────────────────────────────────────────

const ConfigSchema = z.object({
  BENCH_PIPELINE_CLAIMS: z.coerce.number().int().min(10).default(25_000),
  BENCH_PIPELINE_ROUNDS: z.coerce.number().int().min(1).max(20).default(2),
  BENCH_SPLIT_BYTES: z.coerce.number().int().min(1024).default(MIB),
  BENCH_SEED: z.coerce.number().int().nonnegative().default(1),
});

interface ModeResult {
  mode: 'whole' | 'split';
  claims: number;
  chunks: number;
  invocations: number;
  pipelineMs: number[];
  ceilingMs: number[];
}

async function benchmark(): Promise<void> {
  const config = ConfigSchema.parse(process.env);
  const batch = await ensureClaimsBatch(config.BENCH_PIPELINE_CLAIMS, config.BENCH_SEED);
  console.log(`Pipeline benchmark: ${batch.claims} claims (${(batch.bytes / MIB).toFixed(1)} MiB), ${config.BENCH_PIPELINE_ROUNDS} round(s), split at ${config.BENCH_SPLIT_BYTES} bytes`);
  const servers = await startServersChild();
  const container = await startContainer(servers.endpoints, rulesTable.defaultName);
  const { dynamo, s3 } = container.clients;
  const content = await readFile(batch.path);
  const results: Record<ModeResult['mode'], ModeResult> = {
    whole: { mode: 'whole', claims: 0, chunks: 0, invocations: 0, pipelineMs: [], ceilingMs: [] },
    split: { mode: 'split', claims: 0, chunks: 0, invocations: 0, pipelineMs: [], ceilingMs: [] },
  };
  try {
    await loadRules(dynamo, rulesTable.defaultName);
    let tableNumber = 0;
    const table = async (): Promise<string> => {
      const name = `bench-data-${++tableNumber}`;
      await freshDataTable(dynamo, name);
      return name;
    };
    for (let round = 1; round <= config.BENCH_PIPELINE_ROUNDS; round++) {
      for (const mode of ['whole', 'split'] as const) {
        const key = `${TENANT}/837/bench-${mode}-${round}.x12`;
        await s3.send(new PutObjectCommand({ Bucket: BUCKETS.inbound, Key: key, Body: content }));
        const pipelineTable = await table();
        const run = await runPipeline(container, pipelineTable, key, mode === 'split' ? config.BENCH_SPLIT_BYTES : undefined);
        if (run.outcome.kind !== 'processed') throw new Error(`the ${mode} run ended ${run.outcome.kind}`);
        const ceilingTable = await table();
        const ceilingMs = await runCeiling(container, pipelineTable, ceilingTable, run.streams);
        const result = results[mode];
        result.claims = run.outcome.summary.claims;
        result.chunks = run.chunks;
        result.invocations = run.invocations;
        result.pipelineMs.push(run.elapsedMs);
        result.ceilingMs.push(ceilingMs);
        console.log(`  round ${round} ${mode.padEnd(5)}: pipeline ${(run.elapsedMs / 1000).toFixed(2)} s, ceiling ${(ceilingMs / 1000).toFixed(2)} s${run.chunks > 0 ? ` (${run.chunks} chunks)` : ''}`);
        for (const name of [pipelineTable, ceilingTable]) await dynamo.send(new DeleteTableCommand({ TableName: name }));
      }
    }
  } finally {
    dynamo.destroy();
    s3.destroy();
    await servers.stop();
  }
  await report(results, batch, config.BENCH_SPLIT_BYTES);
}

async function report(results: Record<'whole' | 'split', ModeResult>, batch: { claims: number; bytes: number }, splitBytes: number): Promise<void> {
  const best = (values: readonly number[]): number => Math.min(...values);
  const rate = (claims: number, ms: number): string => Math.round((claims / ms) * 1000).toLocaleString('en-US');
  const rows = Object.values(results).map((result) => {
    const pipeline = best(result.pipelineMs);
    const ceiling = best(result.ceilingMs);
    return [
      result.mode === 'whole' ? 'whole batch, 1 invocation' : `split at ${(splitBytes / MIB).toFixed(2)} MiB: ${result.chunks} chunks, ${result.invocations} invocations`,
      (pipeline / 1000).toFixed(2),
      rate(result.claims, pipeline),
      (ceiling / 1000).toFixed(2),
      rate(result.claims, ceiling),
      `${Math.round((ceiling / pipeline) * 100)} %`,
    ];
  });
  const table: Table = {
    headers: ['run', 'pipeline s', 'claims/s', 'ceiling s', 'ceiling claims/s', 'pipeline / ceiling'],
    alignRight: [false, true, true, true, true, true],
    rows,
  };
  const splitVsWhole = best(results.split.pipelineMs) / best(results.whole.pipelineMs);
  const summary = `split / whole time: ${splitVsWhole.toFixed(2)}× (best of ${results.whole.pipelineMs.length} round(s) each)`;
  console.log(`\n${plainTable(table)}\n${summary}`);
  const out = join(benchFolder, 'out');
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'pipeline.json'), `${JSON.stringify({ batch, splitBytes, results, splitVsWhole }, null, 2)}\n`);
  await writeFile(join(out, 'pipeline.md'), `${batch.claims} claims, ${(batch.bytes / MIB).toFixed(1)} MiB\n\n${markdownTable(table)}\n\n${summary}\n`);
}

// ── Entry ───────────────────────────────────────────────────────────────────────────────────────────

/**
 * The benchmark and the memory child run as esbuild bundles them (the function is deployed bundled;
 * tsx's development-time transform would be measured too): this file bundles itself once and runs the
 * bundle in a child process with the given mode.
 */
export async function runBundled(mode: 'bench-run' | 'memory', args: readonly string[], nodeOptions: readonly string[] = []): Promise<string> {
  const bundle = join(benchFolder, 'out', 'pipeline.mjs');
  await build({
    entryPoints: [fileURLToPath(import.meta.url)],
    outfile: `${bundle}.partial`,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    // The local servers and the bundler are the benchmark's tools, not the function's code.
    external: ['esbuild', 'dynalite', 's3rver'],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  await rename(`${bundle}.partial`, bundle);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--openssl-legacy-provider', ...nodeOptions, bundle, mode, ...args], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (data: string) => {
      stdout += data;
      if (mode === 'bench-run') process.stdout.write(data);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve(stdout) : reject(new Error(`the ${mode} child ended with ${code ?? signal}`))));
  });
}

async function main(): Promise<void> {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === 'servers') return serveUntilStdinCloses();
  if (mode === 'memory') return measureMemory(rest);
  if (mode === 'bench-run') return benchmark();
  await runBundled('bench-run', []);
  await rm(join(benchFolder, 'out', 'pipeline.mjs'), { force: true });
}

// Only when run as a script (the memory test imports this module for its helpers).
if (process.argv[1] !== undefined && /pipeline\.(ts|mjs)$/.test(process.argv[1])) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  });
}
