/**
 * The sample batches in `events/x12` were written on fixed dates: the 837s are sent on their
 * {@link SAMPLE_CLAIMS_SENT_ON} with dates of service in the months before, the 835s that pay them are
 * dated up to {@link SAMPLE_REMITTANCES_PAID_ON}. Processed as they are months later, every claim would
 * be held for timely filing and the demonstration would show nothing else. `npm start` therefore moves
 * their dates forward before uploading them, as if the batches were sent today:
 *
 * - every date of an 837, and the claim-level dates of an 835 (service, statement period, received),
 *   move by the days from the 837s' sending date to today (the claims' own timeline is kept);
 * - the 835's own dates (ISA/GS, BPR16 payment, DTM*405 production, PLB fiscal period) move by the days
 *   from the remittances' date to today, so payments are made today, not months ahead.
 *
 * Only elements the implementation guide types as dates (DT, or a date period whose format qualifier
 * says D8, RD8 or DT) change, by the engine's own loop walk; every other byte is kept. A date keeps its
 * length, so segment positions and counts do not move.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { SegmentDef } from '../x12/maps/types.ts';
import type { Segment } from '../x12/segment.ts';
import { chunksOf, Tokenizer, type TokenSink } from '../x12/tokenizer.ts';
import { X12Validator } from '../x12/validate.ts';

/** The day the sample 837s say they were sent (ISA09, GS04, BHT04). */
export const SAMPLE_CLAIMS_SENT_ON = '2026-07-01';
/** The latest payment date of the sample 835s that pay them (`835-<n>-…`). */
export const SAMPLE_REMITTANCES_PAID_ON = '2026-11-20';

/** Days to move the samples' dates by. */
export interface SampleDateShift {
  /** Claims' timeline: every 837 date, and an 835's claim-level dates. */
  claimDays: number;
  /** An 835's own dates: interchange, payment, production, provider adjustments. */
  remittanceDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from `from` to `to` (ISO dates), never negative: samples are never moved back. */
function daysBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS));
}

/** The shift that makes the samples sent (837) and paid (835) on `today` (an ISO date). */
export function sampleDateShift(today: string): SampleDateShift {
  return { claimDays: daysBetween(SAMPLE_CLAIMS_SENT_ON, today), remittanceDays: daysBetween(SAMPLE_REMITTANCES_PAID_ON, today) };
}

/** The file in the data folder that keeps the shift decided on the first start. */
export const SAMPLE_DATES_FILE = 'sample-dates.json';

const StoredShiftSchema = z.object({ decidedOn: z.iso.date(), claimDays: z.int().nonnegative(), remittanceDays: z.int().nonnegative() });

/**
 * The shift of this data folder: decided on its first start (from `today`) and kept, so that a later
 * start uploads the very same samples — the same files, already processed, not new claims with dates that
 * moved and control numbers seen before. `processedAsWritten` says whether the folder already holds the
 * samples processed unshifted (then nothing moves). Without a data folder (in memory) it is decided afresh.
 */
export async function loadOrDecideSampleDateShift(
  dataDirectory: string | undefined,
  today: string,
  processedAsWritten: () => Promise<boolean> = async () => false,
): Promise<SampleDateShift & { decidedOn: string }> {
  if (dataDirectory === undefined) return { decidedOn: today, ...sampleDateShift(today) };
  const path = join(dataDirectory, SAMPLE_DATES_FILE);
  const stored = await readFile(path, 'utf8').then(parseStoredShift, () => undefined);
  if (stored !== undefined) return stored;
  // A folder that processed the samples as written before shifts existed keeps them so: moved, they
  // would be new files reusing the same interchange control and trace numbers (TA1 025, repeated traces).
  const decided = (await processedAsWritten()) ? { decidedOn: today, claimDays: 0, remittanceDays: 0 } : { decidedOn: today, ...sampleDateShift(today) };
  await mkdir(dataDirectory, { recursive: true });
  // Written whole or not at all: a start interrupted here decides again next time.
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(decided, null, 2) + '\n');
  await rename(temporary, path);
  return decided;
}

/** The stored shift, or undefined when the file is not one (it is then decided and written again). */
function parseStoredShift(text: string): (SampleDateShift & { decidedOn: string }) | undefined {
  try {
    const parsed = StoredShiftSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** 835 loops whose dates are the remittance's own (header, payer, payee; PLB is in the summary). */
const REMITTANCE_LEVEL_LOOPS = new Set(['ST', '1000A', '1000B']);

/** `CCYYMMDD` (or `YYMMDD`, century 20) moved by `days`, or undefined when it is not a calendar date. */
function shiftDate(text: string, days: number): string | undefined {
  const short = text.length === 6;
  if (!(short || text.length === 8) || !/^\d+$/.test(text)) return undefined;
  const full = short ? `20${text}` : text;
  const year = Number(full.slice(0, 4));
  const month = Number(full.slice(4, 6));
  const day = Number(full.slice(6, 8));
  const time = Date.UTC(year, month - 1, day);
  const parsed = new Date(time);
  if (parsed.getUTCFullYear() !== year || parsed.getUTCMonth() !== month - 1 || parsed.getUTCDate() !== day) return undefined;
  const moved = new Date(time + days * DAY_MS);
  const out = `${String(moved.getUTCFullYear()).padStart(4, '0')}${String(moved.getUTCMonth() + 1).padStart(2, '0')}${String(moved.getUTCDate()).padStart(2, '0')}`;
  return short ? out.slice(2) : out;
}

/** A date period as its format qualifier (1250) names it: D8, RD8 (`from-to`), DT (date and time). */
function shiftPeriod(format: string, text: string, days: number): string | undefined {
  if (format === 'D8') return shiftDate(text, days);
  if (format === 'DT' && text.length === 12) {
    const date = shiftDate(text.slice(0, 8), days);
    return date === undefined ? undefined : date + text.slice(8);
  }
  if (format === 'RD8') {
    const [from, to, ...rest] = text.split('-');
    if (from === undefined || to === undefined || rest.length > 0) return undefined;
    const a = shiftDate(from, days);
    const b = shiftDate(to, days);
    return a === undefined || b === undefined ? undefined : `${a}-${b}`;
  }
  return undefined;
}

/** One element (or component) value and where it starts in the file. */
interface Located {
  value: string;
  at: number;
}

/** The elements of a segment with their byte offsets in the file (index n = element n; 0 is the id). */
function elementsOf(segment: Segment): Located[][] {
  const { buf, start, end } = segment;
  const { element, component } = segment.delimiters;
  const out: Located[][] = [];
  let parts: Located[] = [];
  let from = start;
  const close = (p: number): void => {
    parts.push({ value: Buffer.from(buf.buffer, buf.byteOffset + from, p - from).toString('latin1'), at: segment.offset + (from - start) });
  };
  for (let p = start; p <= end; p++) {
    const c = p < end ? buf[p] : element;
    if (c === element) {
      close(p);
      out.push(parts);
      parts = [];
      from = p + 1;
    } else if (c === component && out.length > 0) {
      close(p);
      from = p + 1;
    }
  }
  return out;
}

/** A replacement of `text.length` bytes at `at` (same length as what it replaces). */
interface Edit {
  at: number;
  text: string;
}

/** The dates of one segment the guide defines, moved by `days`. */
function segmentEdits(segment: Segment, def: SegmentDef, days: number, edits: Edit[]): void {
  const elements = elementsOf(segment);
  def.elements.forEach((slot, index) => {
    const parts = elements[index + 1];
    if (!parts) return;
    const defs = 'components' in slot ? slot.components : [slot];
    defs.forEach((d, c) => {
      const part = parts[c];
      if (!part || part.value === '') return;
      let moved: string | undefined;
      if (d.type === 'DT') moved = shiftDate(part.value, days);
      else if (d.ref === '1251') {
        // The format qualifier (1250) is the element or component just before, as the guides place it.
        const format = c > 0 ? parts[c - 1]?.value : elements[index]?.[0]?.value;
        moved = shiftPeriod(format ?? '', part.value, days);
      }
      if (moved !== undefined && moved.length === part.value.length) edits.push({ at: part.at, text: moved });
    });
  });
}

/**
 * The sample's bytes with its dates moved (see the module comment); a file the engine cannot walk keeps
 * the dates it cannot place. Returns a new buffer of the same length.
 */
export async function shiftSampleDates(content: Uint8Array, shift: SampleDateShift): Promise<Buffer> {
  const edits: Edit[] = [];
  let remittance = false;
  const validator = new X12Validator({
    onSegment: (segment, step, set) => {
      if (step.def === undefined) return;
      remittance = set.transactionSet === '835';
      const days = remittance && (REMITTANCE_LEVEL_LOOPS.has(step.loopId) || segment.id === 'PLB') ? shift.remittanceDays : shift.claimDays;
      segmentEdits(segment, step.def, days, edits);
    },
  });
  const envelopes: { segment: 'ISA' | 'GS'; at: number; value: string }[] = [];
  const tokenizer = new Tokenizer();
  const sink: TokenSink = {
    segment: (segment) => {
      // The envelope's dates (ISA09 YYMMDD, GS04 CCYYMMDD): moved once the set says whose they are.
      if (segment.id === 'ISA' || segment.id === 'GS') {
        const n = segment.id === 'ISA' ? 9 : 4;
        const part = elementsOf(segment)[n]?.[0];
        if (part) envelopes.push({ segment: segment.id, ...part });
      }
      validator.segment(segment);
    },
    issue: (issue) => validator.issue(issue),
  };
  for await (const chunk of chunksOf(content)) {
    validator.bytes += chunk.length;
    tokenizer.write(chunk, sink);
  }
  tokenizer.end(sink);
  validator.finish();
  const days = remittance ? shift.remittanceDays : shift.claimDays;
  for (const envelope of envelopes) {
    const moved = shiftDate(envelope.value, days);
    if (moved !== undefined) edits.push({ at: envelope.at, text: moved });
  }
  const out = Buffer.from(content);
  for (const edit of edits) out.write(edit.text, edit.at, 'latin1');
  return out;
}
