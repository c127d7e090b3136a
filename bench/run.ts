/**
 * `npm run bench`: ClaimPath's X12 reading side by side with the npm X12 parsers, on the same
 * generated 837P and 835 files, in one run, each contender in its own child process.
 *
 * Environment (all optional):
 *   BENCH_SIZES        file sizes in MiB, comma-separated (default "10,100"; "2" makes a quick run)
 *   BENCH_ROUNDS       rounds per contender and file; the median is reported, with the fastest and
 *                      slowest round beside it (default 7; the budget below keeps the slow peers on
 *                      the 100 MiB files to about three)
 *   BENCH_KINDS        transactions to generate (default "837P,835")
 *   BENCH_SEED         generator seed (default 1)
 *   BENCH_CONTENDERS   contender ids to run (default: all; the floor always runs)
 *   BENCH_BUDGET_S     after this many seconds spent on one contender and file, no further rounds
 *                      are started for it (default 30; at least one round always runs)
 *   BENCH_TIMEOUT_S    a child still running after this is killed and reported failed (default 600)
 *
 * Writes bench/out/results.json and bench/out/results.md (git-ignored).
 */
import { cpus } from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CHILD_HEAP_MIB, repositoryRoot, runChild } from './child-runner.ts';
import type { ChildReport } from './child-report.ts';
import { CONTENDERS, type ContenderEntry } from './contenders/index.ts';
import { ensureFixture, MIB, type BenchFixture } from './fixture-cache.ts';
import type { FixtureKind } from './generator.ts';
import { markdownTable, plainTable, type Table } from './table.ts';

/** A comma-separated environment variable as a list of trimmed, non-empty parts. */
const commaList = z.string().transform((text) =>
  text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== ''),
);

const ConfigSchema = z.object({
  BENCH_SIZES: commaList.transform((parts) => parts.map(Number)).pipe(z.array(z.number().positive()).min(1)).default([10, 100]),
  BENCH_ROUNDS: z.coerce.number().int().min(1).max(50).default(7),
  BENCH_KINDS: commaList.pipe(z.array(z.enum(['837P', '837I', '835'])).min(1)).default(['837P', '835']),
  BENCH_SEED: z.coerce.number().int().nonnegative().default(1),
  BENCH_CONTENDERS: commaList.pipe(z.array(z.string()).min(1)).optional(),
  BENCH_BUDGET_S: z.coerce.number().positive().default(30),
  BENCH_TIMEOUT_S: z.coerce.number().positive().default(600),
});

type Measurement = Extract<ChildReport, { status: 'ok' }>;

/** One contender on one file, after all its rounds. */
interface ContenderFileResult {
  contender: string;
  label: string;
  kind: FixtureKind;
  sizeMiB: number;
  bytes: number;
  /** `ok`, `not available: …`, `failed: …` or `corrupt segments: …`. */
  status: string;
  warning?: string;
  rounds: number;
  msEach: number[];
  medianMs?: number;
  mibPerSecond?: number;
  /** Highest maxRSS over the rounds, MiB. */
  peakRssMiB?: number;
  segments?: number;
  /** Throughput as a multiple of x12-parser's on the same file (x12-parser's time / this one's). */
  speedVsX12Parser?: number;
  /** Throughput as a share of the indexOf floor's on the same file (floor's time / this one's). */
  shareOfFloor?: number;
}

interface LinearityResult {
  contender: string;
  label: string;
  kind: FixtureKind;
  points: { sizeMiB: number; msPerMiB: number; peakRssMiB: number }[];
  /** ms/MiB at the largest size over ms/MiB at the smallest (1 = linear). */
  slowdown: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const formatNumber = (value: number | undefined, digits = 1): string => (value === undefined ? '' : value.toFixed(digits));
const formatShare = (value: number | undefined): string => (value === undefined ? '' : `${Math.round(value * 100)} %`);
const formatRatio = (value: number | undefined): string => (value === undefined ? '' : `${value < 10 ? value.toFixed(2) : value.toFixed(1)}×`);

function log(line: string): void {
  process.stdout.write(line + '\n');
}

/** Run every selected contender on one file, rounds interleaved so drift on a shared machine hits all alike. */
async function benchFile(
  fixture: BenchFixture,
  contenders: readonly ContenderEntry[],
  config: z.infer<typeof ConfigSchema>,
  unavailable: Map<string, string>,
): Promise<ContenderFileResult[]> {
  const measurements = new Map<string, Measurement[]>(contenders.map((c) => [c.id, []]));
  const failures = new Map<string, string>();
  const spentMs = new Map<string, number>(contenders.map((c) => [c.id, 0]));
  for (let round = 1; round <= config.BENCH_ROUNDS; round++) {
    for (const contender of contenders) {
      if (unavailable.has(contender.id) || failures.has(contender.id)) continue;
      if (round > 1 && spentMs.get(contender.id)! > config.BENCH_BUDGET_S * 1000) continue;
      const started = performance.now();
      const outcome = await runChild(contender.id, fixture.path, config.BENCH_TIMEOUT_S * 1000);
      spentMs.set(contender.id, spentMs.get(contender.id)! + (performance.now() - started));
      const prefix = `  round ${round}/${config.BENCH_ROUNDS}  ${contender.label.padEnd(32)}`;
      if (outcome.status === 'ok') {
        measurements.get(contender.id)!.push(outcome.report);
        log(`${prefix}${outcome.report.ms.toFixed(1).padStart(10)} ms  ${(outcome.report.maxRssKiB / 1024).toFixed(0).padStart(6)} MiB RSS`);
      } else if (outcome.status === 'not available') {
        unavailable.set(contender.id, outcome.reason);
        log(`${prefix}not available: ${outcome.reason}`);
      } else {
        failures.set(contender.id, outcome.reason);
        log(`${prefix}failed: ${outcome.reason}`);
      }
    }
  }

  const floor = measurements.get('floor')?.[0];
  const reference = measurements.get('tokenizer')?.[0];
  const results: ContenderFileResult[] = contenders.map((contender) => {
    const runs = measurements.get(contender.id)!;
    const base = { contender: contender.id, label: contender.label, kind: fixture.kind, sizeMiB: fixture.sizeMiB, bytes: fixture.bytes, msEach: runs.map((r) => r.ms), rounds: runs.length };
    if (unavailable.has(contender.id)) return { ...base, status: `not available: ${unavailable.get(contender.id)}` };
    if (failures.has(contender.id)) return { ...base, status: `failed: ${failures.get(contender.id)}` };
    const medianMs = median(runs.map((r) => r.ms));
    const first = runs[0]!;
    let status = 'ok';
    if (floor && first.segments !== floor.segments) {
      status = `corrupt segments: ${first.segments} vs ${floor.segments}`;
    } else if (reference && first.idDigest !== undefined && reference.idDigest !== undefined && first.idDigest !== reference.idDigest) {
      status = `corrupt segments: ${first.segments} vs ${floor?.segments ?? '?'} (same count, but the sequence of segment ids differs from ours)`;
    } else if (reference && first.sampleDigest !== undefined && reference.sampleDigest !== undefined && first.sampleDigest !== reference.sampleDigest) {
      status = `corrupt segments: ${first.segments} vs ${floor?.segments ?? '?'} (same count, but sampled segment contents differ from ours)`;
    } else if (runs.some((r) => r.segments !== first.segments || r.idDigest !== first.idDigest)) {
      status = 'corrupt segments: rounds disagree with each other';
    }
    return {
      ...base,
      status,
      warning: runs.find((r) => r.warning !== undefined)?.warning,
      medianMs,
      mibPerSecond: fixture.bytes / MIB / (medianMs / 1000),
      peakRssMiB: Math.max(...runs.map((r) => r.maxRssKiB)) / 1024,
      segments: first.segments,
    };
  });
  const floorMs = results.find((r) => r.contender === 'floor')?.medianMs;
  const x12ParserMs = results.find((r) => r.contender === 'x12-parser')?.medianMs;
  for (const result of results) {
    if (result.medianMs === undefined) continue;
    // Throughput ratios: 6× means six times x12-parser's MiB/s; 0.30 means 30 % of the floor's MiB/s.
    if (floorMs) result.shareOfFloor = floorMs / result.medianMs;
    if (x12ParserMs) result.speedVsX12Parser = x12ParserMs / result.medianMs;
  }
  return results;
}

function fileTable(results: readonly ContenderFileResult[]): Table {
  return {
    headers: ['contender', 'rounds', 'median ms', 'fastest – slowest ms', 'MiB/s', 'peak RSS MiB', 'speed × x12-parser', 'speed vs floor', 'status'],
    alignRight: [false, true, true, true, true, true, true, true, false],
    rows: results.map((r) => [
      r.label,
      String(r.rounds),
      formatNumber(r.medianMs),
      r.medianMs === undefined ? '' : `${Math.min(...r.msEach).toFixed(0)} – ${Math.max(...r.msEach).toFixed(0)}`,
      formatNumber(r.mibPerSecond),
      formatNumber(r.peakRssMiB, 0),
      formatRatio(r.speedVsX12Parser),
      formatShare(r.shareOfFloor),
      r.warning ? `${r.status} (${r.warning})` : r.status,
    ]),
  };
}

function summaryTable(results: readonly ContenderFileResult[], fixtures: readonly BenchFixture[], contenders: readonly ContenderEntry[]): Table {
  return {
    headers: ['contender', ...fixtures.map((f) => `${f.kind} ${f.sizeMiB} MiB: speed × x12-parser / vs floor`)],
    alignRight: [false, ...fixtures.map(() => true)],
    rows: contenders.map((contender) => [
      contender.label,
      ...fixtures.map((fixture) => {
        const r = results.find((x) => x.contender === contender.id && x.kind === fixture.kind && x.sizeMiB === fixture.sizeMiB);
        if (!r || r.medianMs === undefined) return r?.status.split(':')[0] ?? '';
        const flag = r.status === 'ok' ? '' : ' (corrupt)';
        return `${formatRatio(r.speedVsX12Parser) || '-'} / ${formatShare(r.shareOfFloor) || '-'}${flag}`;
      }),
    ]),
  };
}

function linearity(results: readonly ContenderFileResult[], contenders: readonly ContenderEntry[], kinds: readonly FixtureKind[]): LinearityResult[] {
  const out: LinearityResult[] = [];
  for (const contender of contenders.filter((c) => c.ours)) {
    for (const kind of kinds) {
      const points = results
        .filter((r) => r.contender === contender.id && r.kind === kind && r.medianMs !== undefined)
        .sort((a, b) => a.sizeMiB - b.sizeMiB)
        .map((r) => ({ sizeMiB: r.sizeMiB, msPerMiB: r.medianMs! / (r.bytes / MIB), peakRssMiB: r.peakRssMiB! }));
      if (points.length < 2) continue;
      out.push({ contender: contender.id, label: contender.label, kind, points, slowdown: points[points.length - 1]!.msPerMiB / points[0]!.msPerMiB });
    }
  }
  return out;
}

function linearityTable(rows: readonly LinearityResult[]): Table {
  return {
    headers: ['contender', 'kind', 'ms per MiB by size', 'peak RSS MiB by size', 'largest ÷ smallest', 'verdict'],
    alignRight: [false, false, false, false, true, false],
    rows: rows.map((r) => [
      r.label,
      r.kind,
      r.points.map((p) => `${p.sizeMiB} MiB: ${p.msPerMiB.toFixed(2)}`).join(', '),
      r.points.map((p) => `${p.sizeMiB} MiB: ${p.peakRssMiB.toFixed(0)}`).join(', '),
      formatRatio(r.slowdown),
      // Shared machines drift by some tens of per cent; beyond that the cost per byte grows with size.
      r.slowdown <= 1.3 ? 'linear' : 'NOT linear',
    ]),
  };
}

async function main(): Promise<void> {
  const parsed = ConfigSchema.safeParse(process.env);
  if (!parsed.success) {
    console.error(`Invalid benchmark settings:\n${z.prettifyError(parsed.error)}`);
    process.exitCode = 2;
    return;
  }
  const config = parsed.data;
  const unknown = (config.BENCH_CONTENDERS ?? []).filter((id) => !CONTENDERS.some((c) => c.id === id));
  if (unknown.length > 0) {
    console.error(`Unknown contenders in BENCH_CONTENDERS: ${unknown.join(', ')} (known: ${CONTENDERS.map((c) => c.id).join(', ')})`);
    process.exitCode = 2;
    return;
  }
  const selected = new Set(config.BENCH_CONTENDERS ?? CONTENDERS.map((c) => c.id));
  selected.add('floor');
  const contenders = CONTENDERS.filter((c) => selected.has(c.id));
  const cpuList = cpus();
  const machine = `${cpuList[0]?.model ?? 'unknown CPU'} × ${cpuList.length}, Node ${process.version}, ${process.platform}/${process.arch}`;
  log(`ClaimPath X12 benchmark — ${machine}`);
  log(`sizes ${config.BENCH_SIZES.join(', ')} MiB · kinds ${config.BENCH_KINDS.join(', ')} · ${config.BENCH_ROUNDS} rounds (budget ${config.BENCH_BUDGET_S} s per contender and file) · child heap ${CHILD_HEAP_MIB} MiB · timeout ${config.BENCH_TIMEOUT_S} s`);

  const fixtures: BenchFixture[] = [];
  for (const sizeMiB of [...config.BENCH_SIZES].sort((a, b) => a - b)) {
    for (const kind of config.BENCH_KINDS) {
      const started = performance.now();
      const fixture = await ensureFixture(kind, sizeMiB, config.BENCH_SEED);
      fixtures.push(fixture);
      const how = fixture.generated ? `generated in ${((performance.now() - started) / 1000).toFixed(1)} s` : 'cached';
      log(`fixture ${kind} ${sizeMiB} MiB: ${fixture.path.slice(repositoryRoot.length + 1)} (${fixture.bytes} bytes, ${how})`);
    }
  }

  const unavailable = new Map<string, string>();
  const results: ContenderFileResult[] = [];
  const sections: string[] = [];
  const started = performance.now();
  for (const fixture of fixtures) {
    log(`\n== ${fixture.kind} ${fixture.sizeMiB} MiB (${fixture.bytes} bytes)`);
    const fileResults = await benchFile(fixture, contenders, config, unavailable);
    results.push(...fileResults);
    const segments = fileResults.find((r) => r.contender === 'floor')?.segments;
    const title = `${fixture.kind} ${fixture.sizeMiB} MiB (${fixture.bytes} bytes${segments === undefined ? '' : `, ${segments} segments`})`;
    log(`\n${title}\n${plainTable(fileTable(fileResults))}`);
    sections.push(`## ${title}\n\n${markdownTable(fileTable(fileResults))}`);
  }

  const summary = summaryTable(results, fixtures, contenders);
  log(`\nSummary: throughput as a multiple of x12-parser's, and as a share of the indexOf floor's\n${plainTable(summary)}`);
  const linear = linearity(results, contenders, config.BENCH_KINDS);
  if (linear.length > 0) log(`\nLinearity of our contenders (time per MiB should not grow with size; memory should stay flat)\n${plainTable(linearityTable(linear))}`);
  const totalSeconds = (performance.now() - started) / 1000;
  log(`\nmeasured in ${totalSeconds.toFixed(0)} s`);

  const outFolder = join(repositoryRoot, 'bench', 'out');
  await mkdir(outFolder, { recursive: true });
  const generatedAt = new Date().toISOString();
  const json = {
    generatedAt,
    machine,
    config: { ...config, childHeapMiB: CHILD_HEAP_MIB },
    fixtures: fixtures.map((f) => ({ kind: f.kind, sizeMiB: f.sizeMiB, bytes: f.bytes, file: f.path.slice(repositoryRoot.length + 1) })),
    results,
    linearity: linear,
  };
  await writeFile(join(outFolder, 'results.json'), JSON.stringify(json, null, 2) + '\n');
  const markdown = [
    '# ClaimPath X12 benchmark',
    '',
    `${generatedAt} · ${machine} · up to ${config.BENCH_ROUNDS} rounds (no new round after ${config.BENCH_BUDGET_S} s on one contender and file), median reported · each run in its own child process (heap ${CHILD_HEAP_MIB} MiB) · time measured inside the child from first read to done · peak RSS is the child's maxRSS.`,
    '',
    ...sections.flatMap((s) => [s, '']),
    '## Summary: speed as a multiple of x12-parser\'s / as a share of the indexOf floor\'s',
    '',
    markdownTable(summary),
    '',
    ...(linear.length > 0 ? ['## Linearity', '', markdownTable(linearityTable(linear)), ''] : []),
  ].join('\n');
  await writeFile(join(outFolder, 'results.md'), markdown);
  log(`wrote bench/out/results.json and bench/out/results.md`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
