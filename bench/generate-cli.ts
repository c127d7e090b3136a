/**
 * `npm run generate -- --kind 837P --bytes 20000 --seed 1 --out events/x12/837p-sample.x12`
 *
 * Writes one fictional, valid X12 fixture (see bench/generator.ts). Options:
 *   --kind 837P|837I|835          transaction (required)
 *   --bytes N                     target size in bytes (suffixes k, m: KiB, MiB) (required)
 *   --seed N                      same seed, same bytes (default 1)
 *   --out PATH                    file to write (required)
 *   --claims-per-transaction N    claims per ST/SE, 1…5000 (default 1000)
 *   --transactions-per-group N    ST/SE per GS/GE (default 10)
 *   --no-newline                  no line feed after each segment (default: one, for people to read)
 */
import { parseArgs } from 'node:util';
import { FIXTURE_KINDS, writeFixture, type FixtureKind } from './generator.ts';

function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text);
  if (!match) throw new Error(`--bytes: expected a number with an optional k or m suffix, got "${text}".`);
  const factor = match[2] === '' ? 1 : match[2]!.toLowerCase() === 'k' ? 1024 : 1024 * 1024;
  return Math.round(Number(match[1]) * factor);
}

function parseInteger(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new Error(`--${name}: expected a whole number, got "${text}".`);
  return Number(text);
}

function isKind(text: string): text is FixtureKind {
  return (FIXTURE_KINDS as readonly string[]).includes(text);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kind: { type: 'string' },
      bytes: { type: 'string' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
      'claims-per-transaction': { type: 'string' },
      'transactions-per-group': { type: 'string' },
      'no-newline': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const kind = values.kind?.toUpperCase() ?? '';
  if (!isKind(kind)) throw new Error(`--kind: one of ${FIXTURE_KINDS.join(', ')} is required.`);
  if (values.bytes === undefined) throw new Error('--bytes is required.');
  if (values.out === undefined) throw new Error('--out is required.');
  const started = performance.now();
  const size = await writeFixture(kind, values.out, parseSize(values.bytes), parseInteger('seed', values.seed) ?? 1, {
    claimsPerTransaction: parseInteger('claims-per-transaction', values['claims-per-transaction']),
    transactionsPerGroup: parseInteger('transactions-per-group', values['transactions-per-group']),
    newlineAfterSegment: !values['no-newline'],
  });
  console.log(`${kind}: wrote ${size} bytes to ${values.out} in ${Math.round(performance.now() - started)} ms`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
