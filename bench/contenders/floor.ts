/**
 * The floor: read the file in 1 MiB chunks and count segment terminators with `Buffer.indexOf`. No
 * X12 reader can be faster than reading the bytes and finding the terminators, so every other
 * contender's time is also given as a multiple of this one.
 */
import { createReadStream } from 'node:fs';
import { READ_CHUNK_BYTES, type Contender, type ContenderOutput } from './contender.ts';

/** Index of the segment terminator in a fixed-width ISA. */
const ISA_TERMINATOR_INDEX = 105;

export const floorContender: Contender = {
  id: 'floor',
  label: 'indexOf floor',
  prepare: async () => undefined,
  async run(file: string): Promise<ContenderOutput> {
    let terminator = -1;
    let segments = 0;
    for await (const chunk of createReadStream(file, { highWaterMark: READ_CHUNK_BYTES })) {
      const bytes = chunk as Buffer;
      if (terminator < 0) terminator = bytes[ISA_TERMINATOR_INDEX]!;
      for (let at = bytes.indexOf(terminator); at >= 0; at = bytes.indexOf(terminator, at + 1)) segments++;
    }
    return { segments };
  },
};
