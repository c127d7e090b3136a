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

const seeds: Buffer[] = [
  Buffer.from(interchange([{ id: '837', version: '005010X222A1', body: BODY_837P }], { lineEnd: '\n' })),
  Buffer.from(interchange([{ id: '837', version: '005010X222A1', body: BODY_837P }, { id: '837', version: '005010X222A1', body: BODY_837P }], { element: '|', component: '>', terminator: '!' })),
];
const corpusDir = resolve(process.cwd(), '../shared/corpus/x12');
if (existsSync(corpusDir)) {
  for (const f of readdirSync(corpusDir).filter((n) => n.endsWith('.x12')).sort()) seeds.push(readFileSync(join(corpusDir, f)));
}

type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'replace'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'swap'; a: number; b: number; length: number };

const special = fc.constantFrom(0x2a, 0x7e, 0x3a, 0x5e, 0x0a, 0x0d, 0x00, 0xff, 0x7c, 0x49, 0x53, 0x41);
const anyByte = fc.oneof(special, fc.integer({ min: 0, max: 255 }));
const position = fc.double({ min: 0, max: 1, noNaN: true });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: position, bytes: fc.array(anyByte, { minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant('replace' as const), at: position, byte: anyByte }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 120 }) }),
  fc.record({ kind: fc.constant('swap' as const), a: position, b: position, length: fc.integer({ min: 1, max: 40 }) }),
) as fc.Arbitrary<Mutation>;

function apply(input: Buffer, mutations: Mutation[]): Buffer {
  let buf = input;
  for (const m of mutations) {
    const at = (x: number): number => Math.min(buf.length, Math.floor(x * buf.length));
    switch (m.kind) {
      case 'delete': {
        const p = at(m.at);
        buf = Buffer.concat([buf.subarray(0, p), buf.subarray(p + m.length)]);
        break;
      }
      case 'insert': {
        const p = at(m.at);
        buf = Buffer.concat([buf.subarray(0, p), Buffer.from(m.bytes), buf.subarray(p)]);
        break;
      }
      case 'replace': {
        const p = at(m.at);
        if (p < buf.length) {
          buf = Buffer.from(buf);
          buf[p] = m.byte;
        }
        break;
      }
      case 'truncate':
        buf = buf.subarray(0, at(m.at));
        break;
      case 'duplicate': {
        const p = at(m.at);
        buf = Buffer.concat([buf.subarray(0, p + m.length), buf.subarray(p, p + m.length), buf.subarray(p + m.length)]);
        break;
      }
      case 'swap': {
        const a = at(m.a);
        const b = at(m.b);
        const [lo, hi] = a < b ? [a, b] : [b, a];
        if (hi - lo >= m.length && hi + m.length <= buf.length) {
          buf = Buffer.concat([buf.subarray(0, lo), buf.subarray(hi, hi + m.length), buf.subarray(lo + m.length, hi), buf.subarray(lo, lo + m.length), buf.subarray(hi + m.length)]);
        }
        break;
      }
    }
  }
  return buf;
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
          const bytes = apply(seeds[seedIndex]!, mutations);
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
