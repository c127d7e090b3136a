/**
 * Writes whole interchanges around the transaction-set builders: ISA (fixed widths, 106 characters
 * with its terminator), GS/GE, ST/SE, IEA, with matching control numbers and counts, growing the file
 * until it reaches the requested size. The output is a sequence of string chunks, never the whole file.
 */
import { Claim837SetBuilder } from './claims-837.ts';
import { FixtureContext } from './fixture-context.ts';
import { Remittance835SetBuilder } from './remittance-835.ts';
import { COMPONENT, ELEMENT, REPETITION, SegmentList, TERMINATOR } from './segment-list.ts';
import type { TransactionSetBuilder } from './transaction-set.ts';
import { formatDate, formatShortDate, formatTime } from './x12-format.ts';

/** The transaction kinds the generator writes. */
export type FixtureKind = '837P' | '837I' | '835';

export const FIXTURE_KINDS: readonly FixtureKind[] = ['837P', '837I', '835'];

export interface GeneratorOptions {
  /** Size to reach, in bytes; the file lands within a few kilobytes of it (at least one claim). */
  targetBytes: number;
  /** Same seed, same bytes. */
  seed: number;
  /** Claims (837) or claim payments (835) per transaction set, 1…5000; default 1000. */
  claimsPerTransaction?: number;
  /** Transaction sets per functional group; default 10. */
  transactionsPerGroup?: number;
  /** Write a line feed after each segment terminator (readable samples); default false. */
  newlineAfterSegment?: boolean;
  /** Size of the chunks yielded, in characters; default 64 KiB. */
  chunkSize?: number;
}

interface KindProfile {
  /** Keeps patient control numbers of different kinds apart. */
  letter: string;
  /** GS01. */
  functionalId: string;
  /** GS08 (and ST03 for the 837s). */
  version: string;
  sender: string;
  receiver: string;
  newSet(context: FixtureContext, control: string, segmentEnd: string): TransactionSetBuilder;
}

const PROFILES: Record<FixtureKind, KindProfile> = {
  '837P': {
    letter: 'P',
    functionalId: 'HC',
    version: '005010X222A1',
    sender: 'CLAIMPATHTEST',
    receiver: 'TESTPAYERRCV',
    newSet: (context, control, end) => new Claim837SetBuilder(context, 'professional', control, '005010X222A1', end),
  },
  '837I': {
    letter: 'I',
    functionalId: 'HC',
    version: '005010X223A2',
    sender: 'CLAIMPATHTEST',
    receiver: 'TESTPAYERRCV',
    newSet: (context, control, end) => new Claim837SetBuilder(context, 'institutional', control, '005010X223A2', end),
  },
  '835': {
    letter: 'R',
    functionalId: 'HP',
    version: '005010X221A1',
    sender: 'TESTPAYER835',
    receiver: 'CLAIMPATHTEST',
    newSet: (context, control, end) => new Remittance835SetBuilder(context, control, end),
  },
};

/** Room for a set's header (ST…BHT/BPR…) and SE until a finished set tells the real size. */
const FIRST_SET_OVERHEAD_BYTES = 700;
/** Room for GE and IEA. */
const CLOSING_BYTES = 60;

/** ISA with every field at its fixed width (X12.5): 105 characters before the terminator. */
export function isaSegment(sender: string, receiver: string, day: number, minutes: number, control: string): string {
  const fields = [
    'ISA',
    '00',
    ''.padEnd(10),
    '00',
    ''.padEnd(10),
    'ZZ',
    sender.padEnd(15),
    'ZZ',
    receiver.padEnd(15),
    formatShortDate(day),
    formatTime(minutes),
    REPETITION,
    '00501',
    control,
    '0',
    'T',
    COMPONENT,
  ];
  const isa = fields.join(ELEMENT);
  if (isa.length !== 105) throw new Error(`ISA is ${isa.length} characters instead of 105.`);
  return isa;
}

function checkOptions(options: GeneratorOptions): Required<GeneratorOptions> {
  const claimsPerTransaction = options.claimsPerTransaction ?? 1000;
  const transactionsPerGroup = options.transactionsPerGroup ?? 10;
  if (!Number.isFinite(options.targetBytes) || options.targetBytes <= 0) throw new RangeError('targetBytes must be a positive number.');
  if (!Number.isInteger(options.seed) || options.seed < 0) throw new RangeError('seed must be a non-negative integer.');
  if (!Number.isInteger(claimsPerTransaction) || claimsPerTransaction < 1 || claimsPerTransaction > 5000) {
    throw new RangeError('claimsPerTransaction must be an integer from 1 to 5000.');
  }
  if (!Number.isInteger(transactionsPerGroup) || transactionsPerGroup < 1) throw new RangeError('transactionsPerGroup must be a positive integer.');
  return {
    targetBytes: options.targetBytes,
    seed: options.seed,
    claimsPerTransaction,
    transactionsPerGroup,
    newlineAfterSegment: options.newlineAfterSegment ?? false,
    chunkSize: options.chunkSize ?? 64 * 1024,
  };
}

/**
 * One interchange of `kind`, as string chunks. Groups hold `transactionsPerGroup` sets, sets hold
 * up to `claimsPerTransaction` claims; control numbers: ISA13 from the seed, GS06 and ST02 counting up.
 */
export function* generateInterchange(kind: FixtureKind, options: GeneratorOptions): Generator<string, void, undefined> {
  const o = checkOptions(options);
  const profile = PROFILES[kind];
  const context = new FixtureContext(o.seed, profile.letter);
  const segmentEnd = o.newlineAfterSegment ? TERMINATOR + '\n' : TERMINATOR;
  const interchangeControl = String((o.seed % 999_999_999) + 1).padStart(9, '0');
  const date = formatDate(context.createdDay);
  const time = formatTime(context.createdMinutes);

  let pending = isaSegment(profile.sender, profile.receiver, context.createdDay, context.createdMinutes, interchangeControl) + segmentEnd;
  let yielded = 0;
  let groups = 0;
  let sets = 0;
  let averageUnitBytes = 0;
  let setOverhead = FIRST_SET_OVERHEAD_BYTES;
  const remaining = (): number => o.targetBytes - yielded - pending.length - CLOSING_BYTES;

  let full = false;
  while (!full) {
    groups++;
    const envelope = new SegmentList(segmentEnd);
    envelope.add('GS', profile.functionalId, profile.sender, profile.receiver, date, time, String(groups), 'X', profile.version);
    pending += envelope.toString();
    let setsInGroup = 0;
    while (setsInGroup < o.transactionsPerGroup) {
      sets++;
      setsInGroup++;
      const builder = profile.newSet(context, String(sets).padStart(4, '0'), segmentEnd);
      let units = 0;
      do {
        builder.addUnit(o.claimsPerTransaction - builder.claims);
        units++;
        // Stop when half of an average unit no longer fits: the file then lands near the target.
      } while (builder.claims < o.claimsPerTransaction && remaining() - setOverhead - builder.bodyBytes > builder.bodyBytes / units / 2);
      averageUnitBytes = builder.bodyBytes / units;
      const set = builder.finish(segmentEnd).text;
      setOverhead = set.length - builder.bodyBytes;
      pending += set;
      // A set is built whole (the 835's BPR02 needs its claims first); hand it on in bounded chunks.
      while (pending.length >= o.chunkSize) {
        yield pending.slice(0, o.chunkSize);
        yielded += o.chunkSize;
        pending = pending.slice(o.chunkSize);
      }
      // Another set needs its header, SE, and at least half an average unit; GS/GE are small enough to ignore.
      if (remaining() - setOverhead <= averageUnitBytes / 2) {
        full = true;
        break;
      }
    }
    const trailer = new SegmentList(segmentEnd);
    trailer.add('GE', String(setsInGroup), String(groups));
    pending += trailer.toString();
  }
  const end = new SegmentList(segmentEnd);
  end.add('IEA', String(groups), interchangeControl);
  pending += end.toString();
  for (let at = 0; at < pending.length; at += o.chunkSize) yield pending.slice(at, at + o.chunkSize);
}
