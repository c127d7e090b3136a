/**
 * A large batch through the local runtime with a small SPLIT_THRESHOLD_BYTES: the real ingest-claims
 * handler splits it into chunk objects, the runtime delivers each chunk back to the same handler (as S3
 * → SQS → Lambda would), the last chunk assembles the acknowledgments, and the original is archived.
 * (The use case's equality with an unsplit run is test/integration/ingest-claims-split.test.ts.)
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { fileIdOf } from '../../src/claims/ports.ts';
import { listKeys, objectExists } from '../../src/local/file-summary.ts';
import { startLocalRuntime, type LocalRuntime } from '../../src/local/runtime.ts';
import { createS3Client } from '../../src/store/clients.ts';
import { storedClaimsOf } from '../support/local-store.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** The smallest threshold the function accepts: the 4 KB sample becomes several chunks. */
const THRESHOLD = 1024;

let runtime: LocalRuntime | undefined;
let s3: S3Client | undefined;

beforeAll(async () => {
  runtime = await startLocalRuntime({ inMemory: true, ports: 'random', retryDelayMs: 10, splitThresholdBytes: THRESHOLD, api: false });
  s3 = createS3Client({ s3Endpoint: runtime.endpoints.s3, region: runtime.endpoints.region });
});

afterAll(async () => {
  s3?.destroy();
  await runtime?.stop();
});

test('a batch above the threshold is split, its chunks processed by the same handler, its acknowledgments assembled once', async () => {
  // Prepare
  const local = runtime!;
  const tenant = local.loaded.tenants[0]!;
  const content = await readFile(join(repoRoot, 'events', 'x12', '837p-sample.x12'));
  const fileId = fileIdOf(tenant, createHash('sha256').update(content).digest('hex'));
  const key = `${tenant}/837/837p-sample.x12`;

  // Act: upload, then wait until no delivery (the original's, then every chunk's) is queued or running.
  const delivered = local.nextOutcome({ bucket: local.buckets.inbound, key });
  await s3!.send(new PutObjectCommand({ Bucket: local.buckets.inbound, Key: key, Body: content }));
  expect(await delivered).toMatchObject({ status: 'processed', attempts: 1 });
  await local.idle();

  // Assess: several chunks were delivered to the handler, each once and successfully.
  const chunkOutcomes = local.outcomes().filter((outcome) => outcome.key.startsWith(`${tenant}/837/chunks/${fileId}/`));
  expect(chunkOutcomes.length).toBeGreaterThan(1);
  expect(chunkOutcomes.every((outcome) => outcome.status === 'processed')).toBe(true);
  expect(local.deadLetters()).toEqual([]);
  // One 999 and one 277CA for the file, every claim stored once.
  const ackKeys = await listKeys(s3!, local.buckets.outbound, `${tenant}/acks/${fileId}/`);
  expect(ackKeys.filter((ackKey) => ackKey.endsWith('.999'))).toHaveLength(1);
  expect(ackKeys).toContain(`${tenant}/acks/${fileId}/277ca.x12`);
  const claimCount = content.toString('latin1').split('~').filter((segment) => segment.trim().startsWith('CLM*')).length;
  expect(await storedClaimsOf(local, fileId)).toHaveLength(claimCount);
  // The original is archived only now, and the chunks and work objects are gone.
  expect(await objectExists(s3!, local.buckets.archive, `${tenant}/837/${fileId}/837p-sample.x12`)).toBe(true);
  expect(await objectExists(s3!, local.buckets.inbound, key)).toBe(false);
  expect(await listKeys(s3!, local.buckets.inbound, `${tenant}/837/chunks/${fileId}/`)).toEqual([]);
  expect(await listKeys(s3!, local.buckets.inbound, `${tenant}/837-work/${fileId}/`)).toEqual([]);
});
