/**
 * The local runtime (`npm start`) on its real servers: dynalite and s3rver in memory on free ports,
 * the sample rules and tenants loaded, and an 837 submitted through `claimpath submit` (in-process,
 * through `main`) reaching the real ingest-claims handler as an SQS-wrapped S3 event: the 999 accepts
 * it, its claims are stored, the original is archived. The dispatcher's SQS-like behaviour (retries,
 * dead letters, one delivery at a time per object) is tested on its own; `src/local/main.ts --once`
 * runs as a child process, prints the summary and exits 0 — without any PHI of the samples.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { fileIdOf } from '../../src/claims/ports.ts';
import type { CliContext } from '../../src/cli/args.ts';
import { main } from '../../src/cli/main.ts';
import { LocalDispatcher, type ObjectRef } from '../../src/local/dispatcher.ts';
import { listKeys, objectExists, readObject } from '../../src/local/file-summary.ts';
import { startLocalRuntime, type LocalRuntime } from '../../src/local/runtime.ts';
import { createS3Client } from '../../src/store/clients.ts';
import { read999 } from '../../src/x12/read-999.ts';
import { storedClaimsOf } from '../support/local-store.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const sample837p = join(repoRoot, 'events', 'x12', '837p-sample.x12');
/** Names, member ids and addresses in the sample batches: none may reach the output. */
const SAMPLE_PHI = ['FAKEPATIENT', 'DEMOPATIENT', 'TESTPATIENT', 'TEST358670092', 'TEST878739056', '5993 FIXTURE', '5169 PLACEHOLDER', '20230318'];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `claimpath …` in-process, with `env` as the environment. */
async function claimpath(args: string[], env: Record<string, string>): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const context: CliContext = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    stdin: (async function* () {})(),
    env,
  };
  const code = await main(args, context);
  return { code, stdout, stderr };
}

function sha256Hex(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

describe('local runtime: submit → ingest-claims → acknowledgments and stored claims', () => {
  let runtime: LocalRuntime | undefined;
  let s3: S3Client | undefined;

  beforeAll(async () => {
    runtime = await startLocalRuntime({ inMemory: true, ports: 'random', retryDelayMs: 10 });
    s3 = createS3Client({ s3Endpoint: runtime.endpoints.s3, region: runtime.endpoints.region });
  });

  afterAll(async () => {
    s3?.destroy();
    await runtime?.stop();
  });

  const started = (): { runtime: LocalRuntime; s3: S3Client } => {
    if (!runtime || !s3) throw new Error('the runtime did not start');
    return { runtime, s3 };
  };

  test('starts with every table, bucket, sample rule and sample tenant', () => {
    const { runtime } = started();
    expect(runtime.endpoints.dynamodb).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(runtime.endpoints.s3).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(runtime.loaded.rules.written).toBeGreaterThan(0);
    expect(runtime.loaded.tenants.length).toBeGreaterThan(0);
    expect(runtime.functionEnvironment).toMatchObject({ DYNAMODB_ENDPOINT: runtime.endpoints.dynamodb, S3_ENDPOINT: runtime.endpoints.s3 });
  });

  test('an 837 submitted with `claimpath submit` is acknowledged (999 accepted), its claims stored and the original archived', async () => {
    // Prepare
    const { runtime, s3 } = started();
    const tenant = runtime.loaded.tenants[0]!;
    const content = await readFile(sample837p);
    const fileId = fileIdOf(tenant, sha256Hex(content));
    const key = `${tenant}/837/837p-sample.x12`;
    const delivered = runtime.nextOutcome({ bucket: runtime.buckets.inbound, key });

    // Act
    const run = await claimpath(['submit', sample837p, '--tenant', tenant, '--wait', '--timeout', '60'], { CLAIMPATH_S3_ENDPOINT: runtime.endpoints.s3 });

    // Assess: one delivery, first time.
    expect(await delivered).toMatchObject({ status: 'processed', attempts: 1 });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`as s3://${runtime.buckets.inbound}/${key}`);
    // Exit 1 means a claim was held (the sample rules hold some); 0 that every claim was accepted.
    expect([0, 1]).toContain(run.code);

    // The 999 accepts every transaction set of the group.
    const ackKeys = await listKeys(s3, runtime.buckets.outbound, `${tenant}/acks/${fileId}/`);
    const ack999Keys = ackKeys.filter((ackKey) => ackKey.endsWith('.999'));
    expect(ack999Keys.length).toBeGreaterThan(0);
    expect(ackKeys).toContain(`${tenant}/acks/${fileId}/277ca.x12`);
    for (const ackKey of ack999Keys) {
      const { acknowledgments } = await read999(await readObject(s3, runtime.buckets.outbound, ackKey));
      const implementationAcks = acknowledgments.filter((ack) => ack.kind === '999');
      expect(implementationAcks.length).toBeGreaterThan(0);
      for (const ack of implementationAcks) {
        expect(ack.groupResponse.acknowledgmentCode).toBe('A');
        expect(ack.transactionSets.every((set) => set.acknowledgmentCode === 'A')).toBe(true);
      }
    }

    // Every claim of the file (one per CLM) is stored, accepted or held, and the CLI counted the same.
    const claims = await storedClaimsOf(runtime, fileId);
    const claimCount = content.toString('latin1').split('~').filter((segment) => segment.trim().startsWith('CLM*')).length;
    expect(claims).toHaveLength(claimCount);
    const held = claims.filter((claim) => claim.status === 'held').length;
    expect(run.stdout).toContain(`claims: ${claimCount - held} accepted, ${held} held`);
    expect(run.code).toBe(held > 0 ? 1 : 0);

    // Recorded complete, then moved from inbound to the archive.
    expect(await objectExists(s3, runtime.buckets.inbound, key)).toBe(false);
    expect(await objectExists(s3, runtime.buckets.archive, `${tenant}/837/${fileId}/837p-sample.x12`)).toBe(true);
    expect(runtime.deadLetters()).toEqual([]);
    for (const phi of SAMPLE_PHI) expect(run.stdout).not.toContain(phi);
  });

  test('an 835 after its 837 reaches ingest-remittance, and the worklist API lists its denials to a token of the tenant only', async () => {
    // Prepare: the 837 of the test above is stored; its payer's remittance comes in.
    const { runtime, s3 } = started();
    const tenant = runtime.loaded.tenants[0]!;
    const name = '835-3-testmcr01-payments.x12';
    const key = `${tenant}/835/${name}`;
    const delivered = runtime.nextOutcome({ bucket: runtime.buckets.inbound, key });
    await s3.send(new PutObjectCommand({ Bucket: runtime.buckets.inbound, Key: key, Body: await readFile(join(repoRoot, 'events', 'x12', name)) }));
    expect(await delivered).toMatchObject({ status: 'processed', attempts: 1 });
    const api = runtime.api!;
    const list = (token: string) => fetch(`${api.url}/api/work-items?limit=100`, { headers: { authorization: `Bearer ${token}` } });

    // Act
    const mine = await list(api.tokens.issue({ user: 'supervisor1', tenant, roles: ['supervisor'] }).token);
    const other = await list(api.tokens.issue({ user: 'supervisor2', tenant: 'another-office', roles: ['supervisor'] }).token);
    const forged = await list(`${api.tokens.issue({ user: 'supervisor1', tenant, roles: ['supervisor'] }).token.slice(0, -4)}AAAA`);
    const page = await fetch(`${api.url}/`);

    // Assess: the held claims of the 837 are listed to the tenant, nothing to another tenant, no one without a valid token.
    expect(mine.status).toBe(200);
    const items = ((await mine.json()) as { items: { tenant?: string; claimId?: string }[] }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(other.status).toBe(200);
    expect(((await other.json()) as { items: unknown[] }).items).toEqual([]);
    expect(forged.status).toBe(401);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    expect(await objectExists(s3, runtime.buckets.archive, `${tenant}/835/${fileIdOf(tenant, sha256Hex(await readFile(join(repoRoot, 'events', 'x12', name))))}/${name}`)).toBe(true);
  });

  test('submit refuses a tenant that is not a key segment, before any upload', async () => {
    const { runtime } = started();
    const run = await claimpath(['submit', sample837p, '--tenant', 'a/b'], { CLAIMPATH_S3_ENDPOINT: runtime.endpoints.s3 });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--tenant');
  });
});

/** Claim items of one file in the data table (a Scan: the test table is small). */

describe('LocalDispatcher: SQS-like delivery', () => {
  const object: ObjectRef = { bucket: 'inbound', key: 'acme/837/batch.x12' };

  test('a failing delivery is retried up to maxAttempts, then parked as a dead letter', async () => {
    // Prepare
    let calls = 0;
    const dispatcher = new LocalDispatcher({
      deliver: async () => {
        calls++;
        throw new TypeError('boom with data that must not be kept');
      },
      maxAttempts: 3,
      retryDelayMs: 1,
    });

    // Act
    dispatcher.enqueue(object);
    await dispatcher.idle();

    // Assess
    expect(calls).toBe(3);
    expect(dispatcher.outcomes()).toEqual([{ ...object, status: 'dead-lettered', attempts: 3, lastFailure: 'TypeError' }]);
    expect(dispatcher.deadLetters()).toEqual([expect.objectContaining({ ...object, attempts: 3, lastFailure: 'TypeError' })]);
    expect(JSON.stringify(dispatcher.deadLetters())).not.toContain('must not be kept');
  });

  test('a delivery that fails once succeeds on the retry', async () => {
    let calls = 0;
    const dispatcher = new LocalDispatcher({
      deliver: async (_notification, attempt) => {
        calls++;
        if (attempt === 1) throw new Error('transient');
      },
      retryDelayMs: 1,
    });
    const outcome = dispatcher.nextOutcome(object);
    dispatcher.enqueue(object);
    expect(await outcome).toEqual({ ...object, status: 'processed', attempts: 2 });
    expect(calls).toBe(2);
    expect(dispatcher.deadLetters()).toEqual([]);
  });

  test('deliveries of one object run one at a time; different objects run concurrently', async () => {
    // Prepare: each delivery waits until released, and records how many of its object run at once.
    const running = new Map<string, number>();
    const peak = new Map<string, number>();
    let releaseAll: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      releaseAll = resolve;
    });
    let started = 0;
    const dispatcher = new LocalDispatcher({
      deliver: async (notification) => {
        started++;
        const now = (running.get(notification.key) ?? 0) + 1;
        running.set(notification.key, now);
        peak.set(notification.key, Math.max(peak.get(notification.key) ?? 0, now));
        await gate;
        running.set(notification.key, now - 1);
      },
    });
    const other: ObjectRef = { bucket: 'inbound', key: 'acme/837/other.x12' };

    // Act
    dispatcher.enqueue(object);
    dispatcher.enqueue(object);
    dispatcher.enqueue(other);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const startedBeforeRelease = started;
    releaseAll();
    await dispatcher.idle();

    // Assess: the two objects started together, the second delivery of the first waited.
    expect(startedBeforeRelease).toBe(2);
    expect(peak.get(object.key)).toBe(1);
    expect(dispatcher.outcomes().filter((outcome) => outcome.key === object.key)).toHaveLength(2);
    expect(dispatcher.outcomes().every((outcome) => outcome.status === 'processed')).toBe(true);
  });

  test('stop abandons pending retries instead of waiting them out', async () => {
    const dispatcher = new LocalDispatcher({
      deliver: async () => {
        throw new Error('down');
      },
      maxAttempts: 5,
      retryDelayMs: 60_000,
    });
    dispatcher.enqueue(object);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const before = Date.now();
    await dispatcher.stop();
    expect(Date.now() - before).toBeLessThan(5_000);
    expect(dispatcher.outcomes()).toEqual([{ ...object, status: 'abandoned', attempts: 1, lastFailure: 'Error' }]);
    dispatcher.enqueue(object);
    await dispatcher.idle();
    expect(dispatcher.outcomes()).toHaveLength(1);
  });
});

describe('npm start --once (src/local/main.ts as a child process)', () => {
  test('processes the sample batches, prints the summary without PHI, and exits 0', async () => {
    // Act
    const { code, stdout, stderr } = await runChild(['--import', 'tsx', join(repoRoot, 'src', 'local', 'main.ts'), '--once', '--in-memory', '--random-ports']);

    // Assess
    expect({ code, stderr: stderr.split('\n').filter((line) => line.startsWith('npm start')) }).toEqual({ code: 0, stderr: [] });
    expect(stdout).toContain('837p-sample.x12');
    expect(stdout).toContain('837i-sample.x12');
    expect(stdout).toMatch(/\d+ claim\(s\) accepted, \d+ held/);
    expect(stdout).toMatch(/ack {5}s3:\/\/claimpath-outbound\/[^/]+\/acks\/[^/]+\/[^\s]+\.999/);
    expect(stdout).toMatch(/report {2}s3:\/\/claimpath-outbound\/[^/]+\/reports\//);
    expect(stdout).toContain('folder  ');
    // The sample remittances follow the claims: posted, and their denials and exceptions queued.
    expect(stdout).toContain('835-4-testmcr01-reversal.x12');
    expect(stdout).toMatch(/\d+ claim payment\(s\): \d+ posted \(1 reversal\(s\)\)/);
    expect(stdout).not.toContain('835-sample.x12');
    // The queues as the worklist API lists them to a supervisor: every queue has work.
    for (const queue of ['billing', 'clinical', 'coding', 'exceptions']) expect(stdout).toMatch(new RegExp(`^  ${queue} +[1-9]\\d* item\\(s\\), \\$[\\d.]+ at risk$`, 'm'));
    for (const phi of SAMPLE_PHI) expect(stdout + stderr).not.toContain(phi);
  });
});

/** Run node with `args` from the repository root; resolves with the exit code and output. */
async function runChild(args: string[]): Promise<Run> {
  // Without jest's NODE_OPTIONS (VM modules): the child is a plain `tsx` run, as `npm start` is.
  const env = { ...process.env, NODE_OPTIONS: '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args, { cwd: repoRoot, env, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}
