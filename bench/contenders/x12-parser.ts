/**
 * The npm package `x12-parser` (tastypackets/x12-parser) in stream mode: a Transform stream fed by
 * `fs.createReadStream`, emitting one object per segment (`{ name, '1': …, '1-1': … }`).
 */
import { createReadStream } from 'node:fs';
import { X12parser, type FormattedSegment } from 'x12-parser';
import { READ_CHUNK_BYTES, SegmentDigest, type Contender, type ContenderOutput } from './contender.ts';

/**
 * Element strings of a formatted segment, components joined again with `:`. The package stores the
 * first component of element n under `n` and the following ones under `n-1`, `n-2` …
 */
function elementsOf(segment: FormattedSegment): string[] {
  const elements: string[] = [];
  for (let n = 1; segment[String(n)] !== undefined; n++) {
    let value = segment[String(n)]!;
    for (let c = 1; segment[`${n}-${c}`] !== undefined; c++) value += ':' + segment[`${n}-${c}`]!;
    elements.push(value);
  }
  return elements;
}

export const x12ParserContender: Contender = {
  id: 'x12-parser',
  label: 'x12-parser (stream)',
  prepare: async () => undefined,
  run(file: string): Promise<ContenderOutput> {
    return new Promise((resolve, reject) => {
      const digest = new SegmentDigest();
      let blank = 0;
      const input = createReadStream(file, { highWaterMark: READ_CHUNK_BYTES });
      const parser = new X12parser();
      input.on('error', reject);
      parser.on('error', reject);
      parser.on('data', (segment: FormattedSegment) => {
        // A line end after the last terminator comes out as a segment with no name: not a segment.
        if (segment.name === '') {
          blank++;
          return;
        }
        if (digest.next(segment.name)) digest.sample(segment.name, elementsOf(segment));
      });
      parser.on('end', () => resolve({ ...digest.result(), warning: blank > 0 ? `${blank} blank pseudo-segments ignored` : undefined }));
      input.pipe(parser);
    });
  },
};
