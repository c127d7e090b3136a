/**
 * The whole engine: tokenizer, envelope, loop walker and element checks, through
 * `validateX12(fs.createReadStream(file))` from src/x12/validate.ts.
 */
import { createReadStream } from 'node:fs';
import { validateX12 } from '../../src/x12/validate.ts';
import type { ValidationReport } from '../../src/x12/report.ts';
import { READ_CHUNK_BYTES, type Contender, type ContenderOutput } from './contender.ts';

/** Segments a report accounts for: ISA/IEA, GS/GE, and ST…SE as counted per set. */
export function segmentsOf(report: ValidationReport): number {
  let segments = 0;
  for (const interchange of report.interchanges) {
    segments += 2;
    for (const group of interchange.groups) {
      segments += 2;
      for (const set of group.sets) segments += set.counts.segments;
    }
  }
  return segments;
}

export const validateContender: Contender = {
  id: 'validate',
  label: 'ClaimPath validateX12',
  prepare: async () => undefined,
  async run(file: string): Promise<ContenderOutput> {
    const report = await validateX12(createReadStream(file, { highWaterMark: READ_CHUNK_BYTES }));
    // A valid fixture must be accepted; if not, the time still counts but the tables say so.
    return { segments: segmentsOf(report), warning: report.verdict === 'accepted' ? undefined : `verdict "${report.verdict}" on a valid fixture` };
  },
};
