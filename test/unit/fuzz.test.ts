/**
 * Property-based robustness: thousands of mutated X12 files go through the whole engine. Whatever the
 * damage, validation returns a report (never throws, never hangs), every issue is structured, a
 * rejected file says why, and reading the same bytes in random chunks gives the same report; and the
 * TA1s and 999s written for it are valid X12 that our own validator and 999 reader accept.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { buildAcknowledgments } from '../../src/x12/acks.ts';
import { read999 } from '../../src/x12/read-999.ts';
import { validateX12 } from '../../src/x12/validate.ts';
import type { X12Issue } from '../../src/x12/issues.ts';
import type { ValidationReport } from '../../src/x12/report.ts';
import { BODY_837P, interchange } from '../support/x12.ts';
import { applyMutations, mutation } from '../support/mutations.ts';

const seeds: Buffer[] = [
  Buffer.from(interchange([{ id: '837', version: '005010X222A1', body: BODY_837P }], { lineEnd: '\n' })),
  Buffer.from(interchange([{ id: '837', version: '005010X222A1', body: BODY_837P }, { id: '837', version: '005010X222A1', body: BODY_837P }], { element: '|', component: '>', terminator: '!' })),
];
for (const dir of [resolve(process.cwd(), 'events/x12'), resolve(process.cwd(), '../shared/corpus/x12')]) {
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.x12')).sort()) seeds.push(readFileSync(join(dir, f)));
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

  test('the TA1s and 999s written for every mutated file are valid X12', async () => {
    let written = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (seedIndex, mutations) => {
        const report = await validateX12(applyMutations(seeds[seedIndex]!, mutations));
        let control = 0;
        for (const ack of buildAcknowledgments(report, { nextControlNumber: () => ++control, now: new Date('2026-11-22T10:00:00Z') })) {
          written++;
          const check = await validateX12(ack.content);
          expect(issuesOf(check)).toEqual([]);
          expect(check.verdict).toBe('accepted');
          if (ack.kind === 'TA1') {
            // The validator takes a TA1 interchange as it is: its elements are checked here (TA101 N0 9/9, TA102 DT 6/6, TA103 TM 4/4, TA104, TA105).
            const ta1 = /~TA1\*([^~]*)~/.exec(ack.content)![1]!.split('*');
            expect(ta1).toEqual([expect.stringMatching(/^\d{9}$/), expect.stringMatching(/^\d{6}$/), expect.stringMatching(/^\d{4}$/), expect.stringMatching(/^[AER]$/), expect.stringMatching(/^\d{3}$/)]);
          } else {
            expect((await read999(ack.content)).findings).toEqual([]);
          }
        }
      }),
      { numRuns: 2500, seed: 20261122 },
    );
    expect(written).toBeGreaterThan(1000);
  });
});
