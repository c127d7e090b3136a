/**
 * `npm start` moves the sample batches' dates as if they were sent today (src/local/sample-dates.ts):
 * only dates change, by exactly the days asked, the files stay valid, and the shift of a data folder is
 * decided once.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { read837All } from '../../src/claims/read-837.ts';
import { loadOrDecideSampleDateShift, sampleDateShift, SAMPLE_DATES_FILE, shiftSampleDates } from '../../src/local/sample-dates.ts';
import { read835All } from '../../src/remits/read-835.ts';
import { validateX12 } from '../../src/x12/validate.ts';

const SAMPLES = join(import.meta.dirname, '..', '..', 'events', 'x12');
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `iso` moved by `days`. */
function plusDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A copy of `value` with every ISO date moved by `days` and the `sources` left out (they are positions). */
function movedDates(value: unknown, days: number): unknown {
  if (typeof value === 'string') return ISO_DATE.test(value) ? plusDays(value, days) : value;
  if (Array.isArray(value)) return value.map((item) => movedDates(item, days));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== 'sources')
        .map(([key, item]) => [key, movedDates(item, days)]),
    );
  }
  return value;
}

/** Segments of an X12 text, as written. */
function segmentsOf(content: Uint8Array): string[] {
  return Buffer.from(content)
    .toString('latin1')
    .split('~')
    .map((segment) => segment.trim());
}

describe('sample dates', () => {
  test('the shift makes the 837s sent and the 835s paid on the given day, never moving them back', () => {
    expect(sampleDateShift('2026-11-22')).toEqual({ claimDays: 144, remittanceDays: 2 });
    expect(sampleDateShift('2027-03-01')).toEqual({ claimDays: 243, remittanceDays: 101 });
    expect(sampleDateShift('2026-06-01')).toEqual({ claimDays: 0, remittanceDays: 0 });
  });

  test.each(['837p-sample.x12', '837i-sample.x12'])('%s: every date of every claim moves by the days asked, nothing else changes, the file stays valid', async (name) => {
    const written = await readFile(join(SAMPLES, name));
    // 200 days from the samples' spring dates crosses month ends and the new year.
    const shifted = await shiftSampleDates(written, { claimDays: 200, remittanceDays: 3 });

    expect(shifted.length).toBe(written.length);
    expect((await validateX12(shifted)).verdict).toBe('accepted');
    const before = await read837All(written);
    const after = await read837All(shifted);
    expect(after.claims).toHaveLength(before.claims.length);
    expect(after.findings).toEqual([]);
    expect(movedDates(after.claims, 0)).toEqual(movedDates(before.claims, 200));
    // The envelope's dates too: ISA09 (YYMMDD), GS04 and BHT04 say the batch was sent 200 days later.
    const [isa, gs, , bht] = segmentsOf(shifted);
    expect(isa!.split('*')[9]).toBe('270117');
    expect(gs!.split('*')[4]).toBe('20270117');
    expect(bht!.split('*')[4]).toBe('20270117');
    // Only date elements differ: every other element is byte for byte as written.
    const original = segmentsOf(written);
    segmentsOf(shifted).forEach((segment, i) => {
      const was = original[i]!.split('*');
      segment.split('*').forEach((element, e) => {
        if (element !== was[e]) expect(element).toMatch(/^\d{6}(\d{2})?(\d{4})?(-\d{8})?$/);
      });
    });
  });

  test("an 835: claim and service dates move with the claims, the remittance's own dates to its payment day", async () => {
    const written = await readFile(join(SAMPLES, '835-1-testppo01-payments.x12'));
    const shifted = await shiftSampleDates(written, { claimDays: 144, remittanceDays: 2 });

    expect((await validateX12(shifted)).verdict).toBe('accepted');
    const before = await read835All(written);
    const after = await read835All(shifted);
    expect(after.remittances).toHaveLength(before.remittances.length);
    before.remittances.forEach((remittance, r) => {
      const moved = after.remittances[r]!;
      expect(moved.payment.paymentDate).toBe(plusDays(remittance.payment.paymentDate!, 2));
      expect(moved.productionDate).toBe(plusDays(remittance.productionDate!, 2));
      expect(movedDates(moved.claimPayments, 0)).toEqual(movedDates(remittance.claimPayments, 144));
    });
    // The provider adjustment's fiscal period (PLB02) is the remittance's: moved by its days.
    const plb = (content: Uint8Array): string[] => segmentsOf(content).filter((segment) => segment.startsWith('PLB*'));
    expect(plb(shifted).map((segment) => segment.split('*')[2])).toEqual(plb(written).map((segment) => segment.split('*')[2]!.replace(/^(\d{4})(\d{2})(\d{2})$/, (_, y, m, d) => plusDays(`${y}-${m}-${d}`, 2).replaceAll('-', ''))));
    expect(plb(written).length).toBeGreaterThan(0);
  });

  test('a data folder keeps the shift of its first start; in memory it is decided each time', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'claimpath-sample-dates-'));
    try {
      const first = await loadOrDecideSampleDateShift(folder, '2026-11-22');
      const later = await loadOrDecideSampleDateShift(folder, '2027-02-01');
      expect(first).toEqual({ decidedOn: '2026-11-22', claimDays: 144, remittanceDays: 2 });
      expect(later).toEqual(first);
      // A file that is not one of ours is decided again (and rewritten).
      await writeFile(join(folder, SAMPLE_DATES_FILE), '{ not json');
      expect(await loadOrDecideSampleDateShift(folder, '2027-02-01')).toEqual({ decidedOn: '2027-02-01', claimDays: 215, remittanceDays: 73 });
      expect(JSON.parse(await readFile(join(folder, SAMPLE_DATES_FILE), 'utf8'))).toEqual({ decidedOn: '2027-02-01', claimDays: 215, remittanceDays: 73 });
      expect(await loadOrDecideSampleDateShift(undefined, '2026-12-01')).toEqual({ decidedOn: '2026-12-01', claimDays: 153, remittanceDays: 11 });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  test('a data folder that processed the samples as written keeps them as written; the question is asked once', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'claimpath-sample-dates-'));
    try {
      let asked = 0;
      const processedAsWritten = async (): Promise<boolean> => {
        asked++;
        return true;
      };
      expect(await loadOrDecideSampleDateShift(folder, '2026-11-22', processedAsWritten)).toEqual({ decidedOn: '2026-11-22', claimDays: 0, remittanceDays: 0 });
      expect(await loadOrDecideSampleDateShift(folder, '2027-01-05', processedAsWritten)).toEqual({ decidedOn: '2026-11-22', claimDays: 0, remittanceDays: 0 });
      expect(asked).toBe(1);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
