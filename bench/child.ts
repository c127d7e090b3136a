/**
 * One benchmark measurement in a process of its own:
 *   node --max-old-space-size=4096 bench/out/child/child.mjs <contender-id> <file>   (this file bundled by esbuild, each contender a chunk of its own)
 *
 * Prints exactly one JSON line on stdout (`ChildReport`, bench/child-report.ts): the segments found, the wall time of
 * the contender's run (from its first read to done, module loading excluded) and the process's peak
 * resident set size. Failures are reported by a non-zero exit (an out-of-memory crash cannot print).
 */
import type { ChildReport } from './child-report.ts';
import { findContender } from './contenders/index.ts';

async function main(): Promise<void> {
  const [id, file] = process.argv.slice(2);
  const entry = id === undefined ? undefined : findContender(id);
  if (!entry || file === undefined) throw new Error('usage: child.ts <contender-id> <file>');
  const contender = await entry.load();
  const unavailable = await contender.prepare();
  if (unavailable !== undefined) {
    const report: ChildReport = { status: 'not available', reason: unavailable };
    process.stdout.write(JSON.stringify(report) + '\n');
    return;
  }
  const started = performance.now();
  const output = await contender.run(file);
  const ms = performance.now() - started;
  // maxRSS is in kibibytes on Linux and macOS.
  const report: ChildReport = { status: 'ok', ms, maxRssKiB: process.resourceUsage().maxRSS, ...output };
  process.stdout.write(JSON.stringify(report) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
