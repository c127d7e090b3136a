/**
 * Our tokenizer alone (src/x12/tokenizer.ts) with a sink that counts segments: the cost of finding
 * segments and their delimiters, before any envelope or guide work.
 */
import { createReadStream } from 'node:fs';
import type { Segment } from '../../src/x12/segment.ts';
import { Tokenizer, type TokenSink } from '../../src/x12/tokenizer.ts';
import { packId, READ_CHUNK_BYTES, SegmentDigest, type Contender, type ContenderOutput } from './contender.ts';

export const tokenizerContender: Contender = {
  id: 'tokenizer',
  label: 'ClaimPath tokenizer',
  prepare: async () => undefined,
  async run(file: string): Promise<ContenderOutput> {
    const digest = new SegmentDigest();
    let issues = 0;
    // Each id packed once, by the tokenizer's segment-id number.
    const packedByCode: number[] = [];
    const sink: TokenSink = {
      segment(segment: Segment): void {
        let packed = packedByCode[segment.code];
        if (packed === undefined) packed = packedByCode[segment.code] = packId(segment.id);
        if (digest.nextPacked(packed, segment.id === 'ISA' || segment.id === 'IEA')) digest.sample(segment.id, segment.elements().slice(1));
      },
      issue(): void {
        issues++;
      },
    };
    // The mode validation uses: one Segment object, repointed (the sink keeps none past its call).
    const tokenizer = new Tokenizer({ reuseSegments: true });
    for await (const chunk of createReadStream(file, { highWaterMark: READ_CHUNK_BYTES })) tokenizer.write(chunk as Buffer, sink);
    tokenizer.end(sink);
    if (issues > 0) throw new Error(`the tokenizer reported ${issues} issues on a valid fixture`);
    return digest.result();
  },
};
