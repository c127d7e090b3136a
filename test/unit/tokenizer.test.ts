import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { Tokenizer, tokenize, tokenizeSync, type TokenSink } from '../../src/x12/tokenizer.ts';
import type { X12Issue } from '../../src/x12/issues.ts';
import type { Segment } from '../../src/x12/segment.ts';
import { BODY_837P, interchange, isa } from '../support/x12.ts';

interface Flat {
  id: string;
  offset: number;
  ordinal: number;
  elements: string[];
}

function flat(segments: Segment[]): Flat[] {
  return segments.map((s) => ({ id: s.id, offset: s.offset, ordinal: s.ordinal, elements: s.elements() }));
}

/** Tokenize `bytes` fed in chunks whose sizes come from `sizes` (cycled). */
function tokenizeChunked(bytes: Buffer, sizes: () => number, options = {}): { segments: Flat[]; issues: X12Issue[] } {
  const segments: Segment[] = [];
  const issues: X12Issue[] = [];
  const sink: TokenSink = { segment: (s) => segments.push(s), issue: (i) => issues.push(i) };
  const t = new Tokenizer(options);
  let p = 0;
  while (p < bytes.length) {
    const n = Math.max(1, sizes());
    // Copy each chunk so no segment can lean on the whole buffer by accident.
    t.write(Buffer.from(bytes.subarray(p, p + n)), sink);
    p += n;
  }
  t.end(sink);
  return { segments: flat(segments), issues };
}

/** Deterministic pseudo-random sizes (xorshift), so a failure can be replayed. */
function randomSizes(seed: number, max: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return 1 + (Math.abs(x) % max);
  };
}

const corpusDir = resolve(process.cwd(), '../shared/corpus/x12');
const fixtures: [string, Buffer][] = [
  ['837P with newlines', Buffer.from(interchange([{ id: '837', version: '005010X222A1', body: BODY_837P }], { lineEnd: '\n' }))],
  ['837P with CRLF and other delimiters', Buffer.from(interchange([{ id: '837', version: '005010X222A1', body: BODY_837P }], { lineEnd: '\r\n', element: '|', component: '>', terminator: '!' }))],
  ['two interchanges', Buffer.from(interchange([{ id: '837', version: '005010X222A1', body: BODY_837P }]) + '\n' + interchange([{ id: '837', version: '005010X222A1', body: BODY_837P }], { element: '^', repetition: '{', control: '000000002' }))],
];
if (existsSync(corpusDir)) {
  for (const f of readdirSync(corpusDir).filter((n) => !n.endsWith('.md')).sort()) fixtures.push([f, readFileSync(join(corpusDir, f))]);
}

describe('tokenizer', () => {
  test.each(fixtures)('%s: 1-byte and random chunks give the whole-buffer result', (_name, bytes) => {
    const options = { leadingText: 'skip' as const };
    const whole = tokenizeSync(bytes, options);
    expect(whole.segments.length).toBeGreaterThan(3);
    const expected = flat(whole.segments);
    expect(tokenizeChunked(bytes, () => 1, options)).toEqual({ segments: expected, issues: whole.issues });
    for (const seed of [1, 7, 42]) {
      expect(tokenizeChunked(bytes, randomSizes(seed, 97), options)).toEqual({ segments: expected, issues: whole.issues });
    }
    expect(tokenizeChunked(bytes, randomSizes(3, 5000), options)).toEqual({ segments: expected, issues: whole.issues });
  });

  test('reads delimiters from the ISA and numbers segments within their transaction set', () => {
    const text = interchange([{ id: '837', version: '005010X222A1', body: BODY_837P }], { element: '|', component: '>', terminator: '!', lineEnd: '\r\n' });
    const { segments, issues } = tokenizeSync(text);
    expect(issues).toEqual([]);
    expect(segments.map((s) => s.id).slice(0, 4)).toEqual(['ISA', 'GS', 'ST', 'BHT']);
    const st = segments[2]!;
    expect(st.ordinal).toBe(1);
    expect(st.elements()).toEqual(['ST', '837', '0001', '005010X222A1']);
    const se = segments.find((s) => s.id === 'SE')!;
    expect(se.ordinal).toBe(BODY_837P.length + 2);
    expect(segments.find((s) => s.id === 'GE')!.ordinal).toBe(0);
    const sv1 = segments.find((s) => s.id === 'SV1')!;
    expect(sv1.components(1)).toEqual(['HC', 'G0008']);
    expect(sv1.component(1, 2)).toBe('G0008');
    expect(sv1.delimiters).toEqual({ element: 0x7c, component: 0x3e, repetition: 0x5e, segment: 0x21 });
    // Offsets point at the segment's first byte.
    expect(Buffer.from(text).subarray(st.offset, st.offset + 3).toString()).toBe('ST|');
  });

  test('element(n) reads one element without splitting, and agrees with elements()', () => {
    const { segments } = tokenizeSync(isa() + 'GS*HC*A*B*20261121*1200*1*X*005010X222A1~ST*837*0001*~SE*2*0001~');
    const st = segments.find((s) => s.id === 'ST')!;
    expect([st.element(1), st.element(2), st.element(3), st.element(4)]).toEqual(['837', '0001', '', '']);
    expect(st.elements()).toEqual(['ST', '837', '0001', '']);
    expect(st.elementCount).toBe(3);
  });

  test('repetition separator: used from 00501 on, ignored with a warning when ISA11 is a letter', () => {
    const body = 'GS*HC*A*B*20261121*1200*1*X*005010X222A1~ST*837*0001*005010X222A1~HI*ABK:I10^ABF:E119~SE*3*0001~GE*1*1~IEA*1*000000001~';
    const good = tokenizeSync(isa() + body);
    expect(good.issues).toEqual([]);
    expect(good.segments.find((s) => s.id === 'HI')!.repetitions(1)).toEqual(['ABK:I10', 'ABF:E119']);
    const u = tokenizeSync(isa({ repetition: 'U' }) + body);
    expect(u.issues).toEqual([expect.objectContaining({ code: 'ISA11_NOT_A_SEPARATOR', severity: 'warning', element: 11 })]);
    expect(u.segments[0]!.delimiters.repetition).toBe(-1);
    expect(u.segments.find((s) => s.id === 'HI')!.repetitions(1)).toEqual(['ABK:I10^ABF:E119']);
    // Before 00501 ISA11 is the standards identifier: no separator and no warning.
    const old = tokenizeSync(isa({ repetition: 'U', version: '00401' }) + body);
    expect(old.issues).toEqual([]);
  });

  test('leading whitespace and a UTF-8 BOM are tolerated', () => {
    const text = interchange([{ id: '837', version: '005010X222A1', body: BODY_837P }]);
    const r = tokenizeSync(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\r\n  \n' + text)]));
    expect(r.issues).toEqual([]);
    expect(r.segments[0]!.id).toBe('ISA');
    expect(r.segments[0]!.offset).toBe(8);
  });

  test('an empty file, whitespace only, and a file with no ISA get clear errors', () => {
    expect(tokenizeSync('').issues).toEqual([expect.objectContaining({ code: 'EMPTY', level: 'file', severity: 'error' })]);
    expect(tokenizeSync(' \n\n').issues).toEqual([expect.objectContaining({ code: 'EMPTY' })]);
    const garbage = tokenizeSync('hello, this is not X12 at all');
    expect(garbage.segments).toEqual([]);
    expect(garbage.issues.map((i) => i.code)).toEqual(['TEXT_BEFORE_ISA', 'NO_ISA']);
    expect(garbage.issues[0]!.offset).toBe(0);
  });

  test('text before the first ISA: an error by default, a warning when asked to skip it', () => {
    const text = 'Some prose first.\n' + interchange([{ id: '837', version: '005010X222A1', body: BODY_837P }]);
    const strict = tokenizeSync(text);
    expect(strict.issues).toEqual([expect.objectContaining({ code: 'TEXT_BEFORE_ISA', severity: 'error', offset: 0 })]);
    expect(strict.segments[0]!.id).toBe('ISA');
    const lenient = tokenizeSync(text, { leadingText: 'skip' });
    expect(lenient.issues).toEqual([expect.objectContaining({ code: 'TEXT_BEFORE_ISA', severity: 'warning' })]);
    expect(lenient.segments.length).toBe(strict.segments.length);
  });

  test('a truncated file reports the byte offset of the unfinished segment', () => {
    const text = interchange([{ id: '837', version: '005010X222A1', body: BODY_837P }]);
    const cut = text.slice(0, text.indexOf('LX*2') + 3);
    const r = tokenizeSync(cut);
    expect(r.issues).toEqual([expect.objectContaining({ code: 'TRUNCATED', offset: text.indexOf('LX*2') })]);
    expect(r.segments.at(-1)!.id).toBe('LX');
  });

  test('an ISA cut short is an interchange error, not a crash', () => {
    const r = tokenizeSync('ISA*00*          *00*   ');
    expect(r.issues).toEqual([expect.objectContaining({ level: 'interchange', code: '022', offset: 0 })]);
  });

  test('a runaway segment (50 MB with no terminator) is reported and skipped, without holding it in memory', async () => {
    const head = Buffer.from(isa() + 'GS*HC*A*B*20261121*1200*1*X*005010X222A1~ST*837*0001*005010X222A1~NTE*ADD*');
    const tail = Buffer.from('~SE*3*0001~GE*1*1~IEA*1*000000001~');
    const block = Buffer.alloc(1 << 20, 0x41);
    async function* source(): AsyncGenerator<Buffer> {
      yield head;
      for (let i = 0; i < 50; i++) yield block;
      yield tail;
    }
    const segments: Segment[] = [];
    const issues: X12Issue[] = [];
    const before = process.memoryUsage().rss;
    await tokenize(source(), { segment: (s) => segments.push(s), issue: (i) => issues.push(i) });
    const grown = process.memoryUsage().rss - before;
    expect(issues).toEqual([expect.objectContaining({ code: 'SEGMENT_TOO_LONG', offset: head.indexOf('NTE') })]);
    expect(segments.map((s) => s.id)).toEqual(['ISA', 'GS', 'ST', 'SE', 'GE', 'IEA']);
    expect(grown).toBeLessThan(40 * 1024 * 1024);
  });

  test('reads a Node stream and an async iterable of strings', async () => {
    const text = interchange([{ id: '837', version: '005010X222A1', body: BODY_837P }], { lineEnd: '\n' });
    const ids: string[] = [];
    await tokenize(Readable.from([Buffer.from(text.slice(0, 150)), Buffer.from(text.slice(150))]), { segment: (s) => ids.push(s.id), issue: () => undefined });
    expect(ids).toEqual(tokenizeSync(text).segments.map((s) => s.id));
    const ids2: string[] = [];
    async function* strings(): AsyncGenerator<string> {
      yield text.slice(0, 10);
      yield text.slice(10);
    }
    await tokenize(strings(), { segment: (s) => ids2.push(s.id), issue: () => undefined });
    expect(ids2).toEqual(ids);
  });

  test('a segment terminator of newline with CRLF line ends keeps CR out of the data', () => {
    const text = interchange([{ id: '837', version: '005010X222A1', body: BODY_837P }], { terminator: '\n' }).replace(/\n/g, '\r\n');
    const { segments, issues } = tokenizeSync(text);
    expect(issues).toEqual([]);
    expect(segments.find((s) => s.id === 'SE')!.element(2)).toBe('0001');
  });

  test('a file that ends in the letters ISA ends: one report of the text, whole or in 1-byte chunks', () => {
    const complete = interchange([{ id: '837', version: '005010X222A1', body: BODY_837P }]);
    const cases: [string, { code: string; offset: number }[]][] = [
      ['ISA', [{ code: 'TEXT_BEFORE_ISA', offset: 0 }, { code: 'NO_ISA', offset: 0 }]],
      ['junk ISA', [{ code: 'TEXT_BEFORE_ISA', offset: 0 }, { code: 'NO_ISA', offset: 0 }]],
      [complete + '\nISA', [{ code: 'TRAILING_DATA', offset: complete.length + 1 }]],
    ];
    for (const [text, expected] of cases) {
      for (const feed of ['whole', 'bytes'] as const) {
        const issues: X12Issue[] = [];
        const segments: Segment[] = [];
        // Before the fix the end of such a file was taken for an ISA, reported as text and found again without end.
        const sink: TokenSink = {
          segment: (seg) => segments.push(seg),
          issue: (i) => {
            issues.push(i);
            if (issues.length > 20) throw new Error(`runaway: ${issues.length} issues for ${JSON.stringify(text.slice(-20))}`);
          },
        };
        const t = new Tokenizer();
        const bytes = Buffer.from(text);
        if (feed === 'whole') t.write(bytes, sink);
        else for (let p = 0; p < bytes.length; p++) t.write(bytes.subarray(p, p + 1), sink);
        t.end(sink);
        expect(issues.map((i) => ({ code: i.code, offset: i.offset }))).toEqual(expected);
        expect(segments.length).toBe(text === complete + '\nISA' ? tokenizeSync(complete).segments.length : 0);
      }
    }
  });

  test('bytes after the last IEA are reported as trailing data', () => {
    const text = interchange([{ id: '837', version: '005010X222A1', body: BODY_837P }]) + '\nJUNK';
    const r = tokenizeSync(text);
    expect(r.issues).toEqual([expect.objectContaining({ code: 'TRAILING_DATA', offset: text.indexOf('JUNK') })]);
  });
});
