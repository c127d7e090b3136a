/**
 * The function's memory stays flat in the batch's size (claims issue, item 7): a 2,500-claim and a
 * 25,000-claim 837P batch are each ingested in a child process whose heap is limited to the function's
 * configured memory (infra's `ingestMemoryMiB`), as Lambda runs it — the original, then every chunk
 * object, one invocation at a time, bundled as deployed — on the local servers (in their own process).
 * Both must complete, every claim handed to the claim store once, and the larger batch must need what
 * the smaller one needs: the split threshold, not the batch, bounds an invocation. The threshold is
 * 1 MiB for both, just above the small batch: every invocation of either reads at most about 1 MiB of
 * claims, so what differs is only the batch's size (the function's default, 2 MiB, would give the large
 * batch's chunks twice the small batch's claims).
 *
 * Flat means: the large batch's peak heap is within 1.5× of the small batch's (a chunk invocation holds
 * a little more than an unsplit file of the same claims, and the large batch's peak is the highest of
 * ten invocations': 1.17–1.36× over a dozen runs; nothing of it grows with the batch), and the invocation
 * that assembles the split file (the last chunk's: it stores its claims, then streams the 277CA and the
 * report from the chunk results, one chunk at a time) needs little more than the other chunk invocations
 * (within 25 %: one chunk's results on top of its own claims; measured 0.95–1.11×). Before the assembly
 * streamed, it held every chunk's results and measured 1.5× the chunk invocations and 1.8× the small
 * batch, and the gap grew with the batch: both bounds fail on it.
 *
 * The heap is measured with V8's collector paced closely (a 1 MiB young generation, the old generation
 * grown by 20 % between full collections), so that a peak is what an invocation holds rather than when
 * V8 chose to collect: with its default pacing, garbage piles up to about twice the live heap before a
 * full collection, and peaks of the same work vary by ±15 %. The heap limit is the function's all the same.
 *
 * The claims and work items are built and handed to the store in batches as always, then dropped
 * instead of written: dynalite takes about 4 ms of SDK marshalling per claim item on this 2-core machine
 * (over two minutes for 25,000 claims), and what the function holds does not depend on the store's
 * speed (one batch in flight while the next is read). The benchmark (`bench/pipeline.ts`) runs the
 * same batch with every write.
 */
import { defaultInfraConfig } from '../../infra/config.ts';
import { ensureClaimsBatch, MemoryReportSchema, prepareServers, runBundled, type MemoryReport } from '../../bench/pipeline.ts';

const MIB = 1024 * 1024;
const SPLIT_THRESHOLD_BYTES = MIB;
const TENANT = 'demo-billing';
/** V8 flags that collect garbage soon after it is made: peaks measure what is held (see above). */
const CLOSE_GC_PACING = ['--max-semi-space-size=1', '--heap-growing-percent=20'];

describe('ingest-claims memory', () => {
  test('25,000 claims complete within the function memory, needing about what 2,500 claims need', async () => {
    // Prepare: the two batches (cached under bench/data/) uploaded to servers in a process of their own.
    // Other seeds, other interchange control numbers: the second file is no duplicate interchange of the first.
    const small = await ensureClaimsBatch(2_500, 2);
    const large = await ensureClaimsBatch(25_000, 1);
    expect(Math.abs(large.claims - 25_000)).toBeLessThan(250);
    expect(small.bytes).toBeLessThan(SPLIT_THRESHOLD_BYTES);
    const keys = { small: `${TENANT}/837/memory-small.x12`, large: `${TENANT}/837/memory-large.x12` };
    const servers = await prepareServers([
      { path: small.path, key: keys.small },
      { path: large.path, key: keys.large },
    ]);
    const memoryMiB = defaultInfraConfig.ingestMemoryMiB;
    const ingest = async (key: string): Promise<MemoryReport> => {
      const args = ['--dynamodb', servers.endpoints.dynamodb, '--s3', servers.endpoints.s3, '--table', servers.table, '--rules-table', servers.rulesTable, '--key', key];
      const output = await runBundled('memory', [...args, '--split-bytes', String(SPLIT_THRESHOLD_BYTES), '--discard-claim-writes'], [`--max-old-space-size=${memoryMiB}`, ...CLOSE_GC_PACING]);
      return MemoryReportSchema.parse(JSON.parse(output.trim().split('\n').at(-1)!));
    };

    // Act.
    let smallRun: MemoryReport;
    let largeRun: MemoryReport;
    try {
      smallRun = await ingest(keys.small);
      largeRun = await ingest(keys.large);
    } finally {
      await servers.stop();
    }
    const describeRun = (run: MemoryReport): string =>
      `${run.claims} claims, ${run.invocations} invocation(s), ${(run.elapsedMs / 1000).toFixed(1)} s, peak heap ${(run.peakHeapUsedBytes / MIB).toFixed(0)} MiB ` +
      `(per invocation: ${run.invocationPeaks.map((invocation) => (invocation.peakHeapUsedBytes / MIB).toFixed(0)).join(' ')}), max RSS ${(run.maxRssBytes / MIB).toFixed(0)} MiB`;
    console.log(`memory: ${describeRun(smallRun)}; ${describeRun(largeRun)}`);

    // Assess: both complete, every claim stored once; the large one was split, the small one not.
    expect(smallRun).toMatchObject({ outcome: 'processed', claims: small.claims, claimsWritten: small.claims, chunks: 0 });
    expect(largeRun).toMatchObject({ outcome: 'processed', claims: large.claims, claimsWritten: large.claims });
    expect(largeRun.chunks).toBeGreaterThanOrEqual(Math.floor(large.bytes / SPLIT_THRESHOLD_BYTES));
    // Within the function's memory, and flat: ten times the claims, not more memory. Each chunk needs
    // about what the small batch needs, and the assembly holds one chunk's results at a time (its 277CA
    // statuses and report entries, about 1 KB per claim) and counts: nothing grows with the batch.
    expect(largeRun.maxRssBytes).toBeLessThan(memoryMiB * MIB);
    expect(largeRun.maxRssBytes).toBeLessThan(smallRun.maxRssBytes * 1.5);
    expect(largeRun.peakHeapUsedBytes).toBeLessThan(smallRun.peakHeapUsedBytes * 1.5);
    const chunkPeaks = largeRun.invocationPeaks.filter((invocation) => invocation.outcome === 'chunk-processed').map((invocation) => invocation.peakHeapUsedBytes);
    expect(chunkPeaks).toHaveLength(largeRun.chunks - 1);
    const assembling = largeRun.invocationPeaks.filter((invocation) => invocation.outcome === 'processed');
    expect(assembling).toHaveLength(1);
    expect(assembling[0]!.peakHeapUsedBytes).toBeLessThan(Math.max(...chunkPeaks) * 1.25);
  });
});
