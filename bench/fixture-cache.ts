/**
 * Benchmark fixtures, generated once and kept under bench/data/ (git-ignored). A file's name carries a
 * hash of the generator's sources, so a change to the generator regenerates the fixtures instead of
 * benchmarking stale ones; older versions of the same fixture are removed.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFixture, type FixtureKind } from './generator.ts';

const benchFolder = dirname(fileURLToPath(import.meta.url));
export const BENCH_DATA_FOLDER = join(benchFolder, 'data');

export const MIB = 1024 * 1024;

export interface BenchFixture {
  kind: FixtureKind;
  sizeMiB: number;
  path: string;
  bytes: number;
  /** True when this run wrote it (false: taken from the cache). */
  generated: boolean;
}

/** Short hash of every generator source file, in a stable order. */
async function generatorVersion(): Promise<string> {
  const sources = [join(benchFolder, 'generator.ts')];
  const folder = join(benchFolder, 'generator');
  for (const name of (await readdir(folder)).sort()) if (name.endsWith('.ts')) sources.push(join(folder, name));
  const hash = createHash('sha256');
  for (const source of sources) hash.update(await readFile(source));
  return hash.digest('hex').slice(0, 10);
}

/** The fixture of `kind` and `sizeMiB` for `seed`, generated when missing (without line feeds, as most batches travel). */
export async function ensureFixture(kind: FixtureKind, sizeMiB: number, seed: number): Promise<BenchFixture> {
  const version = await generatorVersion();
  const stem = `${kind.toLowerCase()}-${sizeMiB}MiB-seed${seed}`;
  const path = join(BENCH_DATA_FOLDER, `${stem}-g${version}.x12`);
  if (existsSync(path)) return { kind, sizeMiB, path, bytes: (await stat(path)).size, generated: false };
  if (existsSync(BENCH_DATA_FOLDER)) {
    for (const name of await readdir(BENCH_DATA_FOLDER)) {
      if (name.startsWith(`${stem}-g`) && name.endsWith('.x12')) await rm(join(BENCH_DATA_FOLDER, name), { force: true });
    }
  }
  const bytes = await writeFixture(kind, path, Math.round(sizeMiB * MIB), seed);
  return { kind, sizeMiB, path, bytes, generated: true };
}
