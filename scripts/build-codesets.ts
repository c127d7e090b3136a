/**
 * Build the project's compact code-set data from the official files:
 *
 *   npx tsx scripts/build-codesets.ts [--source ../shared/codesets] [--out src/rules/codesets/data]
 *
 * A full build: every code set comes from --source (nothing is carried over from --out), and the
 * changes against what --out held are printed. To add newer CMS files to the data already there, use
 * `claimpath codesets import DIR`, which runs the same code in merge mode.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildCodeSets, writeBuiltCodeSets } from '../src/rules/codesets/build.ts';
import { compareCodeSetData } from '../src/rules/codesets/changes.ts';
import { readCodeSetData, type CodeSetData } from '../src/rules/codesets/data-files.ts';
import { formatCodeSetChanges } from '../src/rules/codesets/report-text.ts';

const repoRoot = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    source: { type: 'string', default: resolve(repoRoot, '../shared/codesets') },
    out: { type: 'string', default: resolve(repoRoot, 'src/rules/codesets/data') },
  },
});
const sourceDirectory = resolve(values.source);
const outDirectory = resolve(values.out);

let before: CodeSetData | undefined;
try {
  before = await readCodeSetData(outDirectory);
} catch {
  // No data yet (first build) or unreadable data: the build replaces it, so there is nothing to compare.
  before = undefined;
}

const started = performance.now();
const built = await buildCodeSets({ sourceDirectory, builtBy: 'scripts/build-codesets.ts' });
await writeBuiltCodeSets(outDirectory, built);
const elapsed = performance.now() - started;

process.stdout.write(formatCodeSetChanges(compareCodeSetData(before, built.data), built.notes, built.ignoredFiles));
const bytes = built.encoded.icd10cm.length + built.encoded.hcpcs.length + built.encoded.hcpcsModifiers.length;
process.stdout.write(`\nwrote ${outDirectory} (${Math.round(bytes / 1024)} KB of data) in ${Math.round(elapsed)} ms\n`);
