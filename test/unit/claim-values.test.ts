/**
 * X12 values ⇄ model values: decimal dollars ⇄ integer cents by string arithmetic (no floating-point
 * error), decimals, and the DTP date formats (D8, RD8, DT, TM) ⇄ ISO dates.
 */
import fc from 'fast-check';
import { formatCents, formatDatePeriod, formatDecimal, parseCents, parseD8, parseDatePeriod, parseDecimal, parseTime } from '../../src/x12/values.ts';

describe('money', () => {
  it.each([
    ['79.04', 7904],
    ['79.4', 7940],
    ['79', 7900],
    ['0.1', 10],
    ['.5', 50],
    ['-12.5', -1250],
    ['-0.05', -5],
    ['-0', 0],
    ['0.29', 29],
    ['1.005', 101],
    ['123456789012.34', 12345678901234],
  ])('reads %s as %i cents', (text, cents) => {
    const parsed = parseCents(text);
    expect(parsed.ok && parsed.value).toBe(cents);
  });

  it('rounds more than two decimals half away from zero, and says so', () => {
    expect(parseCents('12.345')).toEqual({ ok: true, value: 1235, rounded: true });
    expect(parseCents('12.344')).toEqual({ ok: true, value: 1234, rounded: true });
    expect(parseCents('-12.345')).toEqual({ ok: true, value: -1235, rounded: true });
    expect(parseCents('12.3400')).toEqual({ ok: true, value: 1234 });
  });

  it.each(['', '-', '.', '1e3', '1.2.3', '12A', ' 12', '+5', '1,000.00'])('refuses %j', (text) => {
    expect(parseCents(text)).toEqual({ ok: false, reason: 'format' });
  });

  it('refuses amounts beyond exact integers, instead of losing cents', () => {
    expect(parseCents('999999999999999999')).toEqual({ ok: false, reason: 'range' });
    expect(parseCents('90071992547409.91')).toEqual({ ok: true, value: 9007199254740991 });
  });

  it('writes cents in the shortest decimal form', () => {
    expect([1250, 1200, 5, -5, -1250, 0, 7904, 100].map(formatCents)).toEqual(['12.5', '12', '0.05', '-0.05', '-12.5', '0', '79.04', '1']);
    expect(() => formatCents(1.5)).toThrow(RangeError);
  });

  it('round-trips any amount in cents, and adds without floating-point error', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (cents) => {
        const parsed = parseCents(formatCents(cents));
        return parsed.ok && parsed.value === cents;
      }),
    );
    let total = 0;
    for (let i = 0; i < 10; i++) total += (parseCents('0.1') as { value: number }).value;
    expect(total).toBe(100);
  });
});

describe('decimals', () => {
  it('reads and writes units and quantities', () => {
    expect(parseDecimal('3.5')).toEqual({ ok: true, value: 3.5 });
    expect(parseDecimal('.25')).toEqual({ ok: true, value: 0.25 });
    expect(parseDecimal('-.5')).toEqual({ ok: true, value: -0.5 });
    expect(parseDecimal('1.00')).toEqual({ ok: true, value: 1 });
    expect(parseDecimal('x')).toEqual({ ok: false, reason: 'format' });
    expect([1, 3.5, 0.1 + 0.2, 1e-7, 123456789.25].map(formatDecimal)).toEqual(['1', '3.5', '0.3', '0.0000001', '123456789.25']);
  });
});

describe('dates', () => {
  it('reads D8, RD8 and DT as ISO dates', () => {
    expect(parseDatePeriod('D8', '20261101')).toEqual({ ok: true, value: { from: '2026-11-01', to: '2026-11-01' } });
    expect(parseDatePeriod('RD8', '20261001-20261004')).toEqual({ ok: true, value: { from: '2026-10-01', to: '2026-10-04' } });
    expect(parseDatePeriod('DT', '202610010815')).toEqual({ ok: true, value: { from: '2026-10-01', to: '2026-10-01', time: '0815' } });
    expect(parseD8('20240229')).toEqual({ ok: true, value: '2024-02-29' });
  });

  it.each([
    ['D8', '20261340'],
    ['D8', '20250229'],
    ['D8', '19000229'],
    ['D8', '2026111'],
    ['RD8', '20261004-20261001'],
    ['RD8', '20261001'],
    ['DT', '202610012460'],
    ['XX', '20261001'],
  ])('refuses %s %s', (format, text) => {
    expect(parseDatePeriod(format, text).ok).toBe(false);
  });

  it('reads HHMM times', () => {
    expect(parseTime('1130')).toEqual({ ok: true, value: '1130' });
    expect(parseTime('2400').ok).toBe(false);
  });

  it('writes D8 for one day, RD8 for a range (or where the qualifier wants it), DT with a time', () => {
    expect(formatDatePeriod({ from: '2026-11-01', to: '2026-11-01' })).toEqual({ format: 'D8', value: '20261101' });
    expect(formatDatePeriod({ from: '2026-11-01', to: '2026-11-01' }, true)).toEqual({ format: 'RD8', value: '20261101-20261101' });
    expect(formatDatePeriod({ from: '2026-10-01', to: '2026-10-04' })).toEqual({ format: 'RD8', value: '20261001-20261004' });
    expect(formatDatePeriod({ from: '2026-10-01', to: '2026-10-01', time: '0815' })).toEqual({ format: 'DT', value: '202610010815' });
  });
});
