/**
 * Smoke test of `npm run bench`'s machinery: the indexOf floor and the tokenizer contender, each in its
 * own child process as the benchmark runs them, agree on the segment count of a 1 MB generated file.
 * No timing is asserted (shared machines).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChild, type ChildOutcome } from '../../bench/child-runner.ts';
import { writeFixture } from '../../bench/generator.ts';

const CHILD_TIMEOUT_MS = 60_000;

describe('bench contenders (smoke)', () => {
  let folder = '';
  let file = '';

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'claimpath-bench-'));
    file = join(folder, '837p-1MB.x12');
    await writeFixture('837P', file, 1024 * 1024, 5);
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('floor and tokenizer agree on the segment count of a 1 MB 837P', async () => {
    const floor = await runChild('floor', file, CHILD_TIMEOUT_MS);
    const tokenizer = await runChild('tokenizer', file, CHILD_TIMEOUT_MS);
    const counted = (outcome: ChildOutcome): number => {
      if (outcome.status !== 'ok') throw new Error(`contender did not run: ${outcome.reason}`);
      expect(outcome.report.ms).toBeGreaterThan(0);
      expect(outcome.report.maxRssKiB).toBeGreaterThan(0);
      return outcome.report.segments;
    };
    const floorSegments = counted(floor);
    expect(floorSegments).toBeGreaterThan(10_000);
    expect(counted(tokenizer)).toBe(floorSegments);
    expect(tokenizer.status === 'ok' && tokenizer.report.idDigest).toMatch(/^[0-9a-f]{8}$/);
  });

  it('reports a contender that crashes as failed, with its reason', async () => {
    const outcome = await runChild('floor', join(folder, 'missing.x12'), CHILD_TIMEOUT_MS);
    expect(outcome.status).toBe('failed');
    expect(outcome.status === 'failed' && outcome.reason).toMatch(/exit code 1: .*ENOENT/);
  });
});
