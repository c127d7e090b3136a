/**
 * Damage for property-based tests: fast-check arbitraries of byte-level mutations (delete, insert,
 * replace, truncate, duplicate, swap) and the function that applies them to a file's bytes. Positions
 * are fractions of the file's length, so one mutation means the same place in files of any size.
 */
import fc from 'fast-check';

export type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'replace'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'swap'; a: number; b: number; length: number };

const special = fc.constantFrom(0x2a, 0x7e, 0x3a, 0x5e, 0x0a, 0x0d, 0x00, 0xff, 0x7c, 0x49, 0x53, 0x41);
const anyByte = fc.oneof(special, fc.integer({ min: 0, max: 255 }));
// Uniform over the file: a double's bias toward 0 and 1 (and the tiniest values) would put nearly all
// the damage in the first or last bytes.
const position = fc.noBias(fc.integer({ min: 0, max: 1_000_000 })).map((n) => n / 1_000_000);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: position, bytes: fc.array(anyByte, { minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant('replace' as const), at: position, byte: anyByte }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 120 }) }),
  fc.record({ kind: fc.constant('swap' as const), a: position, b: position, length: fc.integer({ min: 1, max: 40 }) }),
) as fc.Arbitrary<Mutation>;

export function applyMutations(input: Buffer, mutations: Mutation[]): Buffer {
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
