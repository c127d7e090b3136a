/**
 * The whole engine: tokenizer, envelope, loop walker and element checks, through
 * `validateX12(fs.createReadStream(file))` from src/x12/validate.ts. The module is loaded by path at
 * run time so that the benchmark builds and runs (reporting "not available") before it exists.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { READ_CHUNK_BYTES, type Contender, type ContenderOutput } from './contender.ts';

/** The part of the validation report the benchmark reads. */
interface ReportCounts {
  verdict: string;
  interchanges: readonly { groups: readonly { sets: readonly { counts: { segments: number } }[] }[] }[];
}

type ValidateX12 = (source: Readable) => Promise<ReportCounts>;

let validateX12: ValidateX12 | undefined;

export const validateContender: Contender = {
  id: 'validate',
  label: 'ClaimPath validateX12',
  async prepare(): Promise<string | undefined> {
    const location = new URL('../../src/x12/validate.ts', import.meta.url).href;
    let module: { validateX12?: unknown };
    try {
      module = (await import(location)) as { validateX12?: unknown };
    } catch (error) {
      return `src/x12/validate.ts cannot be loaded (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
    }
    if (typeof module.validateX12 !== 'function') return 'src/x12/validate.ts exports no validateX12 function';
    validateX12 = module.validateX12 as ValidateX12;
    return undefined;
  },
  async run(file: string): Promise<ContenderOutput> {
    if (!validateX12) throw new Error('prepare() was not called or failed');
    const report = await validateX12(createReadStream(file, { highWaterMark: READ_CHUNK_BYTES }));
    // ISA and IEA per interchange, GS and GE per group, and ST…SE as counted per set.
    let segments = 0;
    for (const interchange of report.interchanges) {
      segments += 2;
      for (const group of interchange.groups) {
        segments += 2;
        for (const set of group.sets) segments += set.counts.segments;
      }
    }
    // A valid fixture must be accepted; if not, the time still counts but the tables say so.
    return { segments, warning: report.verdict === 'accepted' ? undefined : `verdict "${report.verdict}" on a valid fixture` };
  },
};
