/**
 * `npm start` (`tsx src/local/main.ts`): the whole system on this machine. Starts the local runtime,
 * submits the sample 837 batches in `events/x12` under a sample tenant, then the sample 835
 * remittances that pay them, waits for each, prints what happened (claims accepted, rejected, held;
 * payments posted, denials and exceptions queued; where the acknowledgments and reports are) and the
 * work queues as the worklist API lists them, then stays up for new uploads — `claimpath submit FILE
 * --tenant T` — and for coders (the page and the API on loopback) until Ctrl-C (SIGINT or SIGTERM),
 * which stops every server and exits 0.
 *
 * Options: `--once` exits after the summary (tests, CI); `--in-memory` keeps no data;
 * `--random-ports` listens on free ports (tests); `--tenant T` submits the samples as tenant T
 * (default: the first sample tenant).
 *
 * Output names files, keys, counts and codes only: never an element value (claims carry PHI).
 *
 * Exit: 0 done (or stopped by a signal), 1 a delivery failed every attempt (a dead letter) or a
 * sample was not processed, 2 usage error, 3 the system could not start.
 */
import { isEntryPoint } from '../cli/entry-point.ts';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { WorkItemSummarySchema } from '../../schemas/worklist-api.schema.ts';
import { fileIdOf } from '../claims/ports.ts';
import type { DeliveryOutcome } from './dispatcher.ts';
import { listObjects, objectExists, outboundKeysOf, readObject, summarizeProcessedFile, type ProcessedFileSummary } from './file-summary.ts';
import { startLocalRuntime, type LocalRuntime } from './runtime.ts';
import { loadOrDecideSampleDateShift, SAMPLE_DATES_FILE, shiftSampleDates, type SampleDateShift } from './sample-dates.ts';
import { createS3Client } from '../store/clients.ts';

const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SAMPLE_BATCHES = join(REPOSITORY_ROOT, 'events', 'x12');
/** The tenant of the samples when no sample tenant is loaded. */
const FALLBACK_TENANT = 'demo';
/** The sample remittances' reports: the few fields the summary shows. */
const RemittanceReportHeadSchema = z.looseObject({
  status: z.string(),
  verdict: z.string().optional(),
  problems: z.array(z.looseObject({ code: z.string() })).optional(),
  counts: z
    .object({ claimPayments: z.number(), posted: z.number(), reversals: z.number(), unmatched: z.number(), denialItems: z.number(), underpaymentItems: z.number() })
    .partial()
    .optional(),
});
/** The supervisor the start-up summary lists the queues as (every queue is visible to that role). */
const SUMMARY_USER = 'npm-start';
/** How long the token printed by an in-memory run stays valid. */
const PRINTED_TOKEN_HOURS = 8;
/** How long the samples may take before the summary gives up on them. */
const SAMPLE_TIMEOUT_MS = 120_000;
/** The samples as written (`--dates-as-written`). */
const NO_SHIFT: SampleDateShift = Object.freeze({ claimDays: 0, remittanceDays: 0 });

const usage = `Usage: npm start [-- --once] [-- --in-memory] [-- --random-ports] [-- --tenant T] [-- --dates-as-written]

Run ClaimPath on this machine: local DynamoDB and S3 on 127.0.0.1, the ingest-claims function on every
upload to the inbound bucket. Submits the sample 837 batches in events/x12, then the 835s that pay them,
prints a summary, and stays up for more (claimpath submit FILE --tenant T) until Ctrl-C. The samples'
dates are moved forward as if they were sent today (decided on the data folder's first start and kept
in .data/${SAMPLE_DATES_FILE}), so that they are not all held for timely filing.

  --once        exit after the summary of the samples
  --in-memory   keep no data (default: .data/ in the repository)
  --random-ports  listen on free ports instead of 4567/4568 (tests; claimpath submit then needs
                CLAIMPATH_S3_ENDPOINT)
  --tenant T    submit the samples as tenant T (default: the first tenant in events/tenants)
  --dates-as-written  submit the samples with the dates they were written with
  -h, --help    show this help`;

/** Where output goes; injected for tests of the formatting. */
interface Output {
  line(text: string): void;
  error(text: string): void;
}

const console_: Output = {
  line: (text) => void process.stdout.write(text + '\n'),
  error: (text) => void process.stderr.write(text + '\n'),
};

/** Run `npm start` with `argv`; resolves to the exit code once the system has stopped. */
export async function runLocal(argv: readonly string[], out: Output = console_): Promise<number> {
  let values: { once?: boolean; 'in-memory'?: boolean; 'random-ports'?: boolean; tenant?: string; 'dates-as-written'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        once: { type: 'boolean' },
        'in-memory': { type: 'boolean' },
        'random-ports': { type: 'boolean' },
        tenant: { type: 'string' },
        'dates-as-written': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    out.error(`npm start: ${error instanceof Error ? (error.message.split('. ')[0] ?? 'invalid arguments') : 'invalid arguments'}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    out.line(usage);
    return 0;
  }

  // The SDK's notice about future Node versions says nothing about this run; keep the summary readable.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  out.line('ClaimPath local system: starting…');
  let runtime: LocalRuntime;
  try {
    runtime = await startLocalRuntime({
      ...(values['in-memory'] ? { inMemory: true } : {}),
      ...(values['random-ports'] ? { ports: 'random' as const } : {}),
      onOutcome: (outcome) => out.line(describeOutcome(outcome)),
    });
  } catch (error) {
    out.error(`npm start: the local system could not start (${failureOf(error)})`);
    // These two say what is wrong with the samples or the process in words that hold no claim data.
    if (error instanceof Error && (error.name === 'LocalRuntimeError' || error.name === 'UsageError')) out.error(error.message);
    if ((error as { code?: unknown }).code === 'EADDRINUSE') out.error('A port is in use: is another `npm start` running?');
    return 3;
  }

  const s3 = createS3Client({ s3Endpoint: runtime.endpoints.s3, region: runtime.endpoints.region });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    s3.destroy();
    await runtime.stop();
  };
  try {
    printStart(runtime, out);
    const tenant = values.tenant ?? runtime.loaded.tenants[0] ?? FALLBACK_TENANT;
    const shift = values['dates-as-written']
      ? NO_SHIFT
      : await loadOrDecideSampleDateShift(runtime.dataDirectory, new Date().toISOString().slice(0, 10), () => samplesProcessedAsWritten(runtime, s3, tenant));
    if (shift.claimDays > 0 || shift.remittanceDays > 0) {
      out.line(
        `  dates     samples moved forward as if sent today: 837s and claim dates by ${shift.claimDays} day(s), 835 payments by ${shift.remittanceDays}` +
          (runtime.dataDirectory !== undefined ? ` (kept in ${displayPath(join(runtime.dataDirectory, SAMPLE_DATES_FILE))})` : ''),
      );
    }
    const claimsOk = await submitSamples(runtime, s3, tenant, shift, out);
    const remittancesOk = await submitRemittanceSamples(runtime, s3, tenant, shift, out);
    const samplesOk = claimsOk && remittancesOk;
    await printQueues(runtime, tenant, out);
    printDeadLetters(runtime, out);
    const failed = !samplesOk || runtime.deadLetters().length > 0;
    if (values.once) {
      await stop();
      return failed ? 1 : 0;
    }

    out.line('');
    out.line(`Watching s3://${runtime.buckets.inbound}/{tenant}/837/ and /835/ for new batches and remittances. Submit one with:`);
    out.line(`  npm run claimpath -- submit FILE --tenant ${tenant}`);
    printWorklistAccess(runtime, tenant, values['in-memory'] === true, out);
    out.line('Ctrl-C stops.');
    const summarizeLater = (outcome: DeliveryOutcome): void => {
      if (outcome.status !== 'processed') return;
      const [tenantOfKey, folder] = outcome.key.split('/');
      const summarized =
        folder === '835'
          ? uploadedFileId(runtime, s3, outcome.key).then((fileId) => (fileId === undefined ? undefined : printRemittanceSummary(runtime, s3, tenantOfKey!, fileId, basename(outcome.key), out)))
          : summarizeUpload(runtime, s3, outcome.key).then((summary) => summary && printFileSummary(runtime, summary, basename(outcome.key), out));
      summarized.catch((error: unknown) => out.error(`  (no summary for ${outcome.key}: ${failureOf(error)})`));
    };
    const known = runtime.outcomes().length;
    const signal = await waitForSignal(runtime, known, summarizeLater);
    out.line(`\n${signal}: stopping…`);
    await stop();
    printDeadLetters(runtime, out);
    out.line('Stopped.');
    return 0;
  } finally {
    await stop();
  }
}

/** Wait for SIGINT or SIGTERM, summarizing each new outcome meanwhile; resolves to the signal's name. */
async function waitForSignal(runtime: LocalRuntime, alreadySeen: number, onNewOutcome: (outcome: DeliveryOutcome) => void): Promise<NodeJS.Signals> {
  let seen = alreadySeen;
  const poll = setInterval(() => {
    const outcomes = runtime.outcomes();
    for (; seen < outcomes.length; seen++) onNewOutcome(outcomes[seen]!);
  }, 200);
  try {
    return await new Promise<NodeJS.Signals>((resolve) => {
      const onSignal = (signal: NodeJS.Signals): void => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        resolve(signal);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
  } finally {
    clearInterval(poll);
  }
}

function printStart(runtime: LocalRuntime, out: Output): void {
  const { loaded } = runtime;
  out.line(`  DynamoDB  ${runtime.endpoints.dynamodb}   ${runtime.dynamoDirectory ? `data in ${displayPath(runtime.dynamoDirectory)}` : 'in memory'}`);
  out.line(`  S3        ${runtime.endpoints.s3}   objects in ${displayPath(runtime.s3Directory)}`);
  out.line(`  tables    ${runtime.tables.data}, ${runtime.tables.rules}, ${runtime.tables.idempotency}`);
  out.line(`  buckets   ${runtime.buckets.inbound}, ${runtime.buckets.outbound}, ${runtime.buckets.archive}`);
  out.line(
    `  rules     ${loaded.rules.written + loaded.rules.unchanged} sample payer rule document(s) (${loaded.rules.written} new)` +
      (loaded.ruleConflicts > 0 ? `; ${loaded.ruleConflicts} already stored with other content were kept` : ''),
  );
  out.line(`  tenants   ${loaded.tenants.length > 0 ? loaded.tenants.join(', ') : '(none in events/tenants)'}`);
}

/** Upload every sample 837 and wait for each; print its summary. False when one was not processed. */
function submitSamples(runtime: LocalRuntime, s3: S3Client, tenant: string, shift: SampleDateShift, out: Output): Promise<boolean> {
  return submitEach(runtime, s3, tenant, shift, out, {
    folder: '837',
    what: 'sample 837 batch(es)',
    names: (name) => name.startsWith('837'),
    summarize: async (fileId, name) => printFileSummary(runtime, await summarizeProcessedFile(s3, { outboundBucket: runtime.buckets.outbound, tenant, fileId }), name, out),
  });
}

/**
 * Upload every sample 835 (after the 837s they pay: `835-1-…` to `835-4-…` in name order, so that a
 * reversal follows the payment it reverses) and wait for each; print what its report says.
 */
function submitRemittanceSamples(runtime: LocalRuntime, s3: S3Client, tenant: string, shift: SampleDateShift, out: Output): Promise<boolean> {
  return submitEach(runtime, s3, tenant, shift, out, {
    folder: '835',
    what: 'sample 835 remittance(s)',
    // `835-<n>-…` pay the sample 837s; 835-sample.x12 (a reader fixture) pays claims that do not exist.
    names: (name) => /^835-\d+-/.test(name),
    summarize: (fileId, name) => printRemittanceSummary(runtime, s3, tenant, fileId, name, out),
  });
}

/**
 * Upload the samples `names` selects under `{tenant}/{folder}/`, one after the other (so that the output,
 * and which file first uses an interchange control number, is the same on every run), waiting for each
 * delivery; summarize each processed file. False when one was not processed.
 */
async function submitEach(
  runtime: LocalRuntime,
  s3: S3Client,
  tenant: string,
  shift: SampleDateShift,
  out: Output,
  samples: { folder: '837' | '835'; what: string; names: (name: string) => boolean; summarize: (fileId: string, name: string) => Promise<void> },
): Promise<boolean> {
  const names = (await readdir(SAMPLE_BATCHES)).filter(samples.names).sort();
  out.line('');
  out.line(`Submitting ${names.length} ${samples.what} from ${displayPath(SAMPLE_BATCHES)} as tenant ${tenant}…`);
  let allProcessed = true;
  for (const name of names) {
    const written = await readFile(join(SAMPLE_BATCHES, name));
    const content = shift === NO_SHIFT ? written : await shiftSampleDates(written, shift);
    const key = `${tenant}/${samples.folder}/${name}`;
    const ref = { bucket: runtime.buckets.inbound, key };
    // Listen before uploading: the delivery may settle before PutObject returns.
    const settled = withTimeout(runtime.nextOutcome(ref), SAMPLE_TIMEOUT_MS);
    await s3.send(new PutObjectCommand({ Bucket: ref.bucket, Key: key, Body: content, ContentType: 'application/edi-x12' }));
    const outcome = await settled;
    if (outcome === undefined || outcome.status !== 'processed') {
      allProcessed = false;
      out.line(`${name}: not processed (${outcome === undefined ? 'timed out' : outcome.status})`);
      continue;
    }
    await samples.summarize(fileIdOf(tenant, sha256Hex(content)), name);
  }
  return allProcessed;
}

/** Whether this data folder holds the first sample 837 processed as written (its report is there). */
async function samplesProcessedAsWritten(runtime: LocalRuntime, s3: S3Client, tenant: string): Promise<boolean> {
  const [first] = (await readdir(SAMPLE_BATCHES)).filter((name) => name.startsWith('837')).sort();
  if (first === undefined) return false;
  const fileId = fileIdOf(tenant, sha256Hex(await readFile(join(SAMPLE_BATCHES, first))));
  return objectExists(s3, runtime.buckets.outbound, outboundKeysOf({ tenant, fileId }).reportKey);
}

/** What a processed 835's report says: claim payments posted and unmatched, items made, problems. */
async function printRemittanceSummary(runtime: LocalRuntime, s3: S3Client, tenant: string, fileId: string, name: string, out: Output): Promise<void> {
  const reportKey = outboundKeysOf({ tenant, fileId }).reportKey;
  const parsed = RemittanceReportHeadSchema.safeParse(JSON.parse(Buffer.from(await readObject(s3, runtime.buckets.outbound, reportKey)).toString('utf8')));
  out.line(`${name}  (file ${shortFileId(fileId)}${parsed.success ? `: ${parsed.data.status}` : ''})`);
  if (parsed.success) {
    const counts = parsed.data.counts ?? {};
    out.line(
      `  ${counts.claimPayments ?? 0} claim payment(s): ${counts.posted ?? 0} posted (${counts.reversals ?? 0} reversal(s)), ${counts.unmatched ?? 0} unmatched; ` +
        `${counts.denialItems ?? 0} denial item(s), ${counts.underpaymentItems ?? 0} underpayment item(s)`,
    );
    const problems = [...new Set((parsed.data.problems ?? []).map((problem) => problem.code))];
    if (problems.length > 0) out.line(`  problems: ${problems.join(', ')} (the file stays in the inbound bucket)`);
  }
  out.line(`  report  s3://${runtime.buckets.outbound}/${reportKey}`);
}

/** The work queues as the worklist API lists them to a supervisor of the tenant: open work by queue. */
async function printQueues(runtime: LocalRuntime, tenant: string, out: Output): Promise<void> {
  if (!runtime.api) return;
  const { token } = runtime.api.tokens.issue({ user: SUMMARY_USER, tenant, roles: ['supervisor'] });
  const byQueue = new Map<string, { items: number; cents: number }>();
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ limit: '100', ...(cursor !== undefined ? { cursor } : {}) });
    const response = await fetch(`${runtime.api.url}/api/work-items?${query.toString()}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) {
      out.line(`\nWork queues: the worklist API answered ${response.status}`);
      return;
    }
    const page = z.object({ items: z.array(WorkItemSummarySchema), nextCursor: z.string().optional() }).parse(await response.json());
    for (const item of page.items) {
      const entry = byQueue.get(item.queue) ?? { items: 0, cents: 0 };
      entry.items++;
      entry.cents += item.amountAtRiskCents;
      byQueue.set(item.queue, entry);
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  out.line('');
  out.line(`Work queues of ${tenant} (open and in progress, as the worklist API lists them):`);
  if (byQueue.size === 0) out.line('  (empty)');
  for (const [queue, entry] of [...byQueue].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out.line(`  ${queue.padEnd(11)} ${String(entry.items).padStart(4)} item(s), $${(entry.cents / 100).toFixed(2)} at risk`);
  }
}

/** Where the page and the API are, and how to get a token for them. */
function printWorklistAccess(runtime: LocalRuntime, tenant: string, inMemory: boolean, out: Output): void {
  if (!runtime.api) return;
  out.line(`Worklist page ${runtime.api.url}/   API ${runtime.api.url}/api (OpenAPI at /api/openapi.json)`);
  if (inMemory) {
    // An in-memory run signs with a key nobody else has: hand out a token for this run.
    const { token } = runtime.api.tokens.issue({ user: 'coder1', tenant, roles: ['coder', 'biller'], lifetimeSeconds: PRINTED_TOKEN_HOURS * 3600 });
    out.line(`  a coder's token for this run (${PRINTED_TOKEN_HOURS} h): ${token}`);
  } else {
    out.line(`  get a token: npm run claimpath -- login --user coder1 --tenant ${tenant} --role coder --print`);
  }
  out.line(`  or work the queues from the terminal: npm run claimpath -- queue list`);
}

/** The summary of an 837 someone else uploaded (see {@link uploadedFileId}). */
async function summarizeUpload(runtime: LocalRuntime, s3: S3Client, key: string): Promise<ProcessedFileSummary | undefined> {
  const fileId = await uploadedFileId(runtime, s3, key);
  if (fileId === undefined) return undefined;
  return summarizeProcessedFile(s3, { outboundBucket: runtime.buckets.outbound, tenant: key.split('/')[0]!, fileId });
}

/**
 * The file id of an uploaded `{tenant}/{837|835}/{name}` object: from its bytes while it is in the inbound
 * bucket (rejected files stay), else from the newest archived copy of that name.
 */
async function uploadedFileId(runtime: LocalRuntime, s3: S3Client, key: string): Promise<string | undefined> {
  const [tenant, folder] = key.split('/') as [string, string];
  const prefix = `${tenant}/${folder}/`;
  const name = key.slice(prefix.length);
  if (await objectExists(s3, runtime.buckets.inbound, key)) return fileIdOf(tenant, sha256Hex(await readObject(s3, runtime.buckets.inbound, key)));
  // Archive keys are {tenant}/{folder}/{fileId}/{name}; of several files of that name, the newest.
  const archived = (await listObjects(s3, runtime.buckets.archive, prefix))
    .filter((object) => object.key.endsWith(`/${name}`))
    .sort((a, b) => (a.lastModified?.getTime() ?? 0) - (b.lastModified?.getTime() ?? 0));
  return archived.at(-1)?.key.slice(prefix.length, -(name.length + 1));
}

function printFileSummary(runtime: LocalRuntime, summary: ProcessedFileSummary, name: string, out: Output): void {
  const { outbound } = runtime.buckets;
  const counts = [
    `${summary.claims.accepted} claim(s) accepted, ${summary.claims.held} held`,
    `${summary.transactionSets.accepted} transaction set(s) accepted, ${summary.transactionSets.rejected} rejected`,
    ...(summary.interchanges.rejected > 0
      ? [`${summary.interchanges.rejected} interchange(s) rejected (TA105 ${summary.interchanges.rejectionNoteCodes.map(describeTa1Note).join(', ')})`]
      : []),
  ];
  const state = [summary.status, summary.verdict === undefined ? undefined : `X12 ${summary.verdict}`].filter((part) => part !== undefined).join(', ');
  out.line(`${name}  (file ${shortFileId(summary.fileId)}${state ? `: ${state}` : ''})`);
  out.line(`  ${counts.join('; ')}`);
  for (const key of summary.acknowledgmentKeys) out.line(`  ack     s3://${outbound}/${key}`);
  if (summary.reportKey !== undefined) out.line(`  report  s3://${outbound}/${summary.reportKey}`);
  for (const key of summary.outboxKeys) out.line(`  outbox  s3://${outbound}/${key}`);
  out.line(`  folder  ${displayPath(join(runtime.s3Directory, outbound, summary.tenant, 'acks', summary.fileId))}${summary.acknowledgmentKeys.length > 0 ? '  (s3rver adds ._S3rver_object to each file name)' : ''}`);
}

/** TA105 notes people meet most, in words (X12.56); others as the bare code. */
const TA1_NOTES: Readonly<Record<string, string>> = {
  '025': 'duplicate interchange control number',
  '001': 'control numbers of ISA and IEA differ',
  '021': 'invalid number of included groups',
  '024': 'invalid interchange content',
};

function describeTa1Note(code: string): string {
  const words = TA1_NOTES[code];
  return words === undefined ? code : `${code} ${words}`;
}

function printDeadLetters(runtime: LocalRuntime, out: Output): void {
  const parked = runtime.deadLetters();
  if (parked.length === 0) return;
  out.line('');
  out.line(`Dead letters (${parked.length}): deliveries that failed every attempt; the objects stay in the inbound bucket`);
  for (const letter of parked) out.line(`  s3://${letter.bucket}/${letter.key}  ${letter.attempts} attempt(s), last failure ${letter.lastFailure}`);
}

function describeOutcome(outcome: DeliveryOutcome): string {
  const attempts = `${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'}`;
  switch (outcome.status) {
    case 'processed':
      return `  processed ${outcome.key} (${attempts})`;
    case 'dead-lettered':
      return `  FAILED ${outcome.key} after ${attempts} (${outcome.lastFailure ?? 'unknown'}): parked in the dead-letter list`;
    case 'abandoned':
      return `  stopped before ${outcome.key} could be retried (it stays in the inbound bucket)`;
  }
}

/** `tenant-` and the first 12 hex digits: enough for people to tell files apart. */
function shortFileId(fileId: string): string {
  return fileId.length > 24 ? `${fileId.slice(0, -52)}…` : fileId;
}

function sha256Hex(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Resolves to the promise's value, or undefined after `milliseconds`. */
function withTimeout<T>(promise: Promise<T>, milliseconds: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), milliseconds);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function displayPath(path: string): string {
  const relativePath = relative(process.cwd(), path);
  return relativePath === '' || relativePath.startsWith('..') ? path : relativePath;
}

/** An error's class and code, never its message (it could quote data). */
function failureOf(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.name}, ${code}` : error.name;
}


if (isEntryPoint(import.meta.url)) {
  process.exitCode = await runLocal(process.argv.slice(2));
}
