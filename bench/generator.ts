/**
 * Fixture generator: valid X12 files of any size, fictional and deterministic for a seed — 837P
 * (005010X222A1), 837I (005010X223A2) and 835 (005010X221A1). Used by the benchmark (`npm run bench`),
 * the tests, and `npm run generate` for the samples in `events/x12/`.
 *
 * Files are produced as a sequence of string chunks (about 64 KiB each), so a 100 MB fixture never
 * exists as one string.
 *
 * @example
 * ```ts
 * for (const chunk of generate837P({ targetBytes: 100_000, seed: 1 })) process.stdout.write(chunk);
 * await writeFixture('835', 'bench/data/835.x12', 10 * 1024 * 1024, 7);
 * ```
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { generateInterchange, type FixtureKind, type GeneratorOptions } from './generator/interchange.ts';

export { FIXTURE_KINDS, type FixtureKind, type GeneratorOptions } from './generator/interchange.ts';
export { isValidNpi, npiCheckDigit } from './generator/npi.ts';

/** An 837 professional interchange (005010X222A1) as string chunks. */
export function generate837P(options: GeneratorOptions): Iterable<string> {
  return generateInterchange('837P', options);
}

/** An 837 institutional interchange (005010X223A2) as string chunks. */
export function generate837I(options: GeneratorOptions): Iterable<string> {
  return generateInterchange('837I', options);
}

/** An 835 remittance interchange (005010X221A1) as string chunks. */
export function generate835(options: GeneratorOptions): Iterable<string> {
  return generateInterchange('835', options);
}

/** A fixture of any kind as string chunks. */
export function generateFixture(kind: FixtureKind, options: GeneratorOptions): Iterable<string> {
  return generateInterchange(kind, options);
}

/**
 * Stream a fixture to `path` (folders created). It is written under a temporary name and renamed when
 * complete, so an interrupted run never leaves a truncated file where a cache expects a whole one.
 * Returns the size written, in bytes.
 */
export async function writeFixture(
  kind: FixtureKind,
  path: string,
  targetBytes: number,
  seed: number,
  options: Omit<GeneratorOptions, 'targetBytes' | 'seed'> = {},
): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.partial-${process.pid}`;
  try {
    await pipeline(Readable.from(generateInterchange(kind, { ...options, targetBytes, seed })), createWriteStream(temporary));
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return (await stat(path)).size;
}
