/**
 * Runs one contender on one file in a child process and says what happened: a measurement, "not
 * available", or a failure with its reason (out of memory, timeout, crash). Children run with a 4 GiB
 * heap so that a parser that holds a whole large file in objects fails the same way on every machine.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ChildReportSchema, type ChildReport } from './child-report.ts';

const benchFolder = dirname(fileURLToPath(import.meta.url));
export const repositoryRoot = join(benchFolder, '..');
const childScript = join(benchFolder, 'child.ts');
const childFolder = join(benchFolder, 'out', 'child');
const childBundle = join(childFolder, 'child.mjs');

let bundled: Promise<string> | undefined;

/**
 * The child script bundled by esbuild — every contender, ours and the peers alike — as the Lambda
 * functions are deployed: the numbers then measure the code, not a development-time TypeScript loader
 * (tsx's on-the-fly transform and its helpers cost several times the engine's own work).
 *
 * Each contender is its own ES module chunk (`splitting`), loaded by the child's `import()`. In one file,
 * esbuild would wrap every lazily imported module in an initializer, turning its top-level constants
 * into variables of a closure: the hot loops would then read each constant from memory and check its
 * type, as no deployed function does (3.5 % more instructions for validateX12, measured with callgrind;
 * the peers, CommonJS packages, are wrapped either way and ran the same).
 */
export function childEntry(): Promise<string> {
  bundled ??= buildChild();
  return bundled;
}

async function buildChild(): Promise<string> {
  await build({
    entryPoints: [childScript],
    outdir: childFolder,
    outExtension: { '.js': '.mjs' },
    // Chunks are named by their content's hash: a build beside an earlier one (another process's) changes
    // no file that one still loads.
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    // The CommonJS peers require Node built-ins; give the ES module bundle a `require` to do it with.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  return childBundle;
}

/** Heap limit given to every child, MiB. */
export const CHILD_HEAP_MIB = 4096;

export type ChildOutcome =
  | { status: 'ok'; report: Extract<ChildReport, { status: 'ok' }> }
  | { status: 'not available'; reason: string }
  | { status: 'failed'; reason: string };

/** How much of a child's stderr is kept to explain a failure. */
const STDERR_TAIL_BYTES = 8 * 1024;

function looksOutOfMemory(stderr: string, code: number | null, signal: NodeJS.Signals | null): boolean {
  return /heap out of memory|Reached heap limit|Allocation failed|Invalid array length|Invalid string length/i.test(stderr) || signal === 'SIGABRT' || code === 134;
}

/** The last meaningful line of stderr, shortened (stack frames are skipped). */
function lastErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('at ') && !line.startsWith('Node.js v'));
  const line = lines.find((l) => /Error|error/.test(l)) ?? lines[lines.length - 1] ?? '';
  return line.length > 160 ? line.slice(0, 157) + '...' : line;
}

/** Run `contenderId` on `file` in a child process, killing it after `timeoutMs`. */
export async function runChild(contenderId: string, file: string, timeoutMs: number): Promise<ChildOutcome> {
  const entry = await childEntry();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${CHILD_HEAP_MIB}`, entry, contenderId, file], {
      cwd: repositoryRoot,
      // The parent's NODE_OPTIONS (a test runner's flags, say) would change how the child runs.
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-STDERR_TAIL_BYTES);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ status: 'failed', reason: `could not start: ${error.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        resolve({ status: 'failed', reason: `timeout after ${Math.round(timeoutMs / 1000)} s` });
        return;
      }
      if (code !== 0 || signal !== null) {
        if (looksOutOfMemory(stderr, code, signal)) resolve({ status: 'failed', reason: 'out of memory' });
        else resolve({ status: 'failed', reason: signal ? `killed by ${signal}` : `exit code ${code}: ${lastErrorLine(stderr)}` });
        return;
      }
      const line = stdout.trim().split('\n').pop() ?? '';
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        resolve({ status: 'failed', reason: 'no report on stdout' });
        return;
      }
      const parsed = ChildReportSchema.safeParse(json);
      if (!parsed.success) resolve({ status: 'failed', reason: 'malformed report on stdout' });
      else if (parsed.data.status === 'not available') resolve({ status: 'not available', reason: parsed.data.reason });
      else resolve({ status: 'ok', report: parsed.data });
    });
  });
}
