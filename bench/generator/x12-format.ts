/**
 * How fixture values are written in X12: amounts (type R), dates (DT) and times (TM).
 */

/**
 * An amount in integer cents as an X12 decimal (type R): no leading zeros, no trailing zeros after the
 * decimal point and no point for whole amounts (X12.6 suppresses them; strict validators flag `34.00`).
 */
export function formatAmount(cents: number): string {
  if (!Number.isInteger(cents)) throw new RangeError('Amounts are held in integer cents.');
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const fraction = abs % 100;
  if (fraction === 0) return `${sign}${whole}`;
  if (fraction % 10 === 0) return `${sign}${whole}.${fraction / 10}`;
  return `${sign}${whole}.${String(fraction).padStart(2, '0')}`;
}

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 (UTC) for a calendar date. */
export function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** A day number as `CCYYMMDD`. */
export function formatDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10).replaceAll('-', '');
}

/** A day number as `YYMMDD` (ISA09). */
export function formatShortDate(day: number): string {
  return formatDate(day).slice(2);
}

/** Minutes since midnight as `HHMM`. */
export function formatTime(minutes: number): string {
  const h = Math.floor(minutes / 60) % 24;
  const m = minutes % 60;
  return String(h).padStart(2, '0') + String(m).padStart(2, '0');
}
