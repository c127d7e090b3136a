/**
 * Property-based robustness: thousands of mutated X12 files go through the whole engine. Whatever the
 * damage, validation returns a report (never throws, never hangs), every issue is structured, a
 * rejected file says why, and reading the same bytes in random chunks gives the same report.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { validateX12 } from '../../src/x12/validate.ts';
import type { X12Issue } from '../../src/x12/issues.ts';
import type { ValidationReport } from '../../src/x12/report.ts';
import { BODY_837P, interchange } from '../support/x12.ts';
import { applyMutations, mutation } from '../support/mutations.ts';

const seeds: Buffer[] = [
  Buffer.from(interchange([{ id: '837', version: '005010X222A1', body: BODY_837P }], { lineEnd: '\n' })),
  Buffer.from(interchange([{ id: '837', version: '005010X222A1', body: BODY_837P }, { id: '837', version: '005010X222A1', body: BODY_837P }], { element: '|', component: '>', terminator: '!' })),
];
const corpusDir = resolve(process.cwd(), '../shared/corpus/x12');
if (existsSync(corpusDir)) {
  for (const f of readdirSync(corpusDir).filter((n) => n.endsWith('.x12')).sort()) seeds.push(readFileSync(join(corpusDir, f)));
}

function issuesOf(r: ValidationReport): X12Issue[] {
  const out = [...r.fileIssues];
  for (const x of r.interchanges) {
    out.push(...x.issues);
    for (const g of x.groups) {
      out.push(...g.issues);
      for (const s of g.sets) out.push(...s.issues);
    }
  }
  return out;
}

async function* inChunks(buf: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let p = 0;
  let k = 0;
  while (p < buf.length) {
    const n = sizes[k++ % sizes.length]!;
    yield Buffer.from(buf.subarray(p, p + n));
    p += n;
  }
}

const LEVELS = new Set(['file', 'interchange', 'group', 'set', 'segment', 'element']);
const VERDICTS = new Set(['accepted', 'accepted with errors', 'partially accepted', 'rejected']);

describe('engine under mutation (fast-check)', () => {
  test('every mutated file yields a structured report, the same in any chunking, within a time bound', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 6 }),
        async (seedIndex, mutations, sizes) => {
          const bytes = applyMutations(seeds[seedIndex]!, mutations);
          const started = performance.now();
          const whole = await validateX12(bytes);
          const elapsed = performance.now() - started;
          // A hang guard, not a speed claim: a few KB must never take seconds.
          expect(elapsed).toBeLessThan(2000);
          expect(VERDICTS.has(whole.verdict)).toBe(true);
          expect(whole.bytes).toBe(bytes.length);
          const issues = issuesOf(whole);
          for (const i of issues) {
            expect(LEVELS.has(i.level)).toBe(true);
            expect(typeof i.code).toBe('string');
            expect(i.code.length).toBeGreaterThan(0);
            expect(i.message.length).toBeGreaterThan(0);
            if (i.offset !== undefined) expect(i.offset).toBeLessThanOrEqual(bytes.length);
          }
          if (whole.verdict === 'rejected') expect(issues.some((i) => i.severity === 'error')).toBe(true);
          const chunked = await validateX12(inChunks(bytes, sizes));
          expect(chunked).toEqual(whole);
        },
      ),
      { numRuns: 2500, seed: 20261121 },
    );
  });
});
