/**
 * The npm package `node-x12` (aaronhuggins/node-x12), two ways: its `X12Parser` as a Transform stream
 * fed by `fs.createReadStream` (one `X12Segment` per segment), and `X12Parser.parse()` on the whole
 * file read into one string (the object model: interchange → groups → transactions → segments).
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { X12Parser, type X12Interchange, type X12Segment } from 'node-x12';
import { READ_CHUNK_BYTES, SegmentDigest, type Contender, type ContenderOutput } from './contender.ts';

function record(digest: SegmentDigest, segment: X12Segment): void {
  if (digest.next(segment.tag)) digest.sample(segment.tag, segment.elements.map((element) => element.value));
}

export const nodeX12StreamContender: Contender = {
  id: 'node-x12-stream',
  label: 'node-x12 (stream)',
  prepare: async () => undefined,
  run(file: string): Promise<ContenderOutput> {
    return new Promise((resolve, reject) => {
      const digest = new SegmentDigest();
      let blank = 0;
      const input = createReadStream(file, { highWaterMark: READ_CHUNK_BYTES });
      const parser = new X12Parser();
      input.on('error', reject);
      parser.on('error', reject);
      parser.on('data', (segment: X12Segment) => {
        if (segment.tag === '') {
          blank++;
          return;
        }
        record(digest, segment);
      });
      parser.on('end', () => resolve({ ...digest.result(), warning: blank > 0 ? `${blank} blank pseudo-segments ignored` : undefined }));
      input.pipe(parser);
    });
  },
};

function interchangesOf(parsed: ReturnType<X12Parser['parse']>): readonly X12Interchange[] {
  return 'interchanges' in parsed ? parsed.interchanges : [parsed];
}

export const nodeX12ParseContender: Contender = {
  id: 'node-x12-parse',
  label: 'node-x12 parse() (whole string)',
  prepare: async () => undefined,
  async run(file: string): Promise<ContenderOutput> {
    const text = await readFile(file, 'utf8');
    const parsed = new X12Parser().parse(text);
    const digest = new SegmentDigest();
    for (const interchange of interchangesOf(parsed)) {
      record(digest, interchange.header);
      for (const group of interchange.functionalGroups) {
        record(digest, group.header);
        for (const transaction of group.transactions) {
          record(digest, transaction.header);
          for (const segment of transaction.segments) record(digest, segment);
          record(digest, transaction.trailer);
        }
        record(digest, group.trailer);
      }
      record(digest, interchange.trailer);
    }
    return digest.result();
  },
};
