/**
 * Conversions between X12 element values and the model's: decimal dollar amounts ⇄ integer cents (by
 * string arithmetic, so `0.1 + 0.2` never happens), decimals ⇄ numbers, and the date formats of DTP and
 * DMG (D8 `CCYYMMDD`, RD8 `CCYYMMDD-CCYYMMDD`, DT `CCYYMMDDHHMM`, TM `HHMM`) ⇄ ISO dates.
 *
 * Parsers return a result object rather than throw: bad input is a finding for the reader, not a crash.
 */

/** A parsed value, or why it could not be parsed. */
export type Parsed<T> = { ok: true; value: T; rounded?: boolean } | { ok: false; reason: 'format' | 'range' };

/**
 * X12 R (decimal): optional minus, digits with at most one decimal point, at least one digit. The same
 * form the element checks accept (no plus sign, no exponent), so a value the validator passes reads.
 * Only the rare forms (more than two decimals, more than 13 whole digits) go through this expression:
 * the common ones are scanned char by char, since amounts are read millions of times per batch.
 */
const DECIMAL = /^(-?)(\d*)(?:\.(\d*))?$/;

const FORMAT_FAILURE: Parsed<never> = Object.freeze({ ok: false, reason: 'format' }) as Parsed<never>;
const RANGE_FAILURE: Parsed<never> = Object.freeze({ ok: false, reason: 'range' }) as Parsed<never>;

/**
 * An X12 decimal amount of dollars as integer cents, exactly: `"12.5"` → 1250, `"-0.05"` → -5,
 * `".5"` → 50. More than two decimals are rounded half away from zero (`rounded` tells), since the
 * model holds cents; a value beyond the safe integer range is a `range` failure.
 *
 * @example
 * parseCents('79.04'); // { ok: true, value: 7904 }
 */
export function parseCents(text: string): Parsed<number> {
  // Fast path: [-]digits[.d[d]] with at most 13 whole digits, so whole × 100 + fraction < 10^15 is exact.
  const length = text.length;
  let p = 0;
  const negative = length > 0 && text.charCodeAt(0) === 0x2d;
  if (negative) p = 1;
  let whole = 0;
  let wholeDigits = 0;
  for (; p < length; p++) {
    const c = text.charCodeAt(p) - 0x30;
    if (c < 0 || c > 9) break;
    whole = whole * 10 + c;
    wholeDigits++;
  }
  if (wholeDigits <= 13) {
    if (p === length) {
      if (wholeDigits === 0) return FORMAT_FAILURE;
      return { ok: true, value: negative && whole !== 0 ? -whole * 100 : whole * 100 };
    }
    if (text.charCodeAt(p) === 0x2e && length - p - 1 <= 2) {
      let fraction = 0;
      let fractionDigits = 0;
      for (p++; p < length; p++) {
        const c = text.charCodeAt(p) - 0x30;
        if (c < 0 || c > 9) return FORMAT_FAILURE;
        fraction = fraction * 10 + c;
        fractionDigits++;
      }
      if (wholeDigits === 0 && fractionDigits === 0) return FORMAT_FAILURE;
      const magnitude = whole * 100 + (fractionDigits === 1 ? fraction * 10 : fraction);
      // -0 is 0 in the model.
      return { ok: true, value: negative && magnitude !== 0 ? -magnitude : magnitude };
    }
  }
  return parseCentsSlowly(text);
}

/** {@link parseCents} for the rare forms: more than two decimals or more than 13 whole digits. */
function parseCentsSlowly(text: string): Parsed<number> {
  const m = DECIMAL.exec(text);
  if (!m) return FORMAT_FAILURE;
  const negative = m[1] === '-';
  const whole = m[2] ?? '';
  const fraction = m[3] ?? '';
  if (whole === '' && fraction === '') return FORMAT_FAILURE;
  const cents2 = (fraction + '00').slice(0, 2);
  const rest = fraction.slice(2);
  const digits = (whole === '' ? '0' : whole) + cents2;
  const roundUp = rest !== '' && rest.charCodeAt(0) >= 0x35;
  const rounded = rest !== '' && /[1-9]/.test(rest);
  let magnitude: number;
  if (digits.length <= 15) {
    // A string of at most 15 digits converts to a double exactly.
    magnitude = Number(digits) + (roundUp ? 1 : 0);
  } else {
    // Longer (X12 allows 18 digits): BigInt keeps it exact up to the range check.
    const big = BigInt(digits) + (roundUp ? 1n : 0n);
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) return RANGE_FAILURE;
    magnitude = Number(big);
  }
  // -0 is 0 in the model.
  const value = negative && magnitude !== 0 ? -magnitude : magnitude;
  return rounded ? { ok: true, value, rounded } : { ok: true, value };
}

/**
 * Integer cents as an X12 decimal in its shortest form (no trailing zeros, no trailing point):
 * 1250 → `"12.5"`, 1200 → `"12"`, 5 → `"0.05"`, -1250 → `"-12.5"`.
 */
export function formatCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError('An amount in cents must be a safe integer.');
  const negative = cents < 0;
  const digits = String(Math.abs(cents)).padStart(3, '0');
  const whole = digits.slice(0, -2);
  const fraction = digits.slice(-2).replace(/0+$/, '');
  return (negative ? '-' : '') + whole + (fraction ? `.${fraction}` : '');
}

/** An X12 decimal (units, quantities, percentages) as a number. */
export function parseDecimal(text: string): Parsed<number> {
  if (!isDecimalText(text)) return FORMAT_FAILURE;
  const value = Number(text);
  if (!Number.isFinite(value)) return RANGE_FAILURE;
  return { ok: true, value: value === 0 ? 0 : value };
}

/** Whether `text` has the X12 R form (see {@link DECIMAL}), scanned without a regular expression. */
function isDecimalText(text: string): boolean {
  const length = text.length;
  let p = length > 0 && text.charCodeAt(0) === 0x2d ? 1 : 0;
  let digits = 0;
  let point = false;
  for (; p < length; p++) {
    const c = text.charCodeAt(p);
    if (c >= 0x30 && c <= 0x39) digits++;
    else if (c === 0x2e && !point) point = true;
    else return false;
  }
  return digits > 0;
}

/** A number as an X12 decimal: plain notation (never an exponent), no trailing zeros. */
export function formatDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError('A decimal must be finite.');
  if (Number.isInteger(value)) return value.toFixed(0);
  // toFixed(12) then trimming avoids both exponent notation and binary noise such as 0.30000000000000004.
  return value.toFixed(12).replace(/0+$/, '').replace(/\.$/, '');
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `CCYYMMDD` → `CCYY-MM-DD` when it is a calendar date. */
export function parseD8(text: string): Parsed<string> {
  if (text.length !== 8) return FORMAT_FAILURE;
  // Digits checked and read by char code: dates are read for every claim and line.
  let year = 0;
  let month = 0;
  let day = 0;
  for (let p = 0; p < 8; p++) {
    const c = text.charCodeAt(p) - 0x30;
    if (c < 0 || c > 9) return FORMAT_FAILURE;
    if (p < 4) year = year * 10 + c;
    else if (p < 6) month = month * 10 + c;
    else day = day * 10 + c;
  }
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return RANGE_FAILURE;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return RANGE_FAILURE;
  // One string, built from the char codes (slices and concatenation made four per date).
  const c = (p: number): number => text.charCodeAt(p);
  return { ok: true, value: String.fromCharCode(c(0), c(1), c(2), c(3), 0x2d, c(4), c(5), 0x2d, c(6), c(7)) };
}

/** `CCYY-MM-DD` → `CCYYMMDD`. */
export function formatD8(iso: string): string {
  return iso.replace(/-/g, '');
}

/** `HHMM` (or `HHMMSS`) when it is a time of day. */
export function parseTime(text: string): Parsed<string> {
  if (!/^\d{4}(\d{2})?$/.test(text)) return { ok: false, reason: 'format' };
  if (Number(text.slice(0, 2)) > 23 || Number(text.slice(2, 4)) > 59 || (text.length === 6 && Number(text.slice(4, 6)) > 59)) return { ok: false, reason: 'range' };
  return { ok: true, value: text };
}

/** A date period as the model holds it. */
export interface DatePeriod {
  from: string;
  to: string;
  time?: string;
}

/**
 * A DTP03 value in the format DTP02 names: D8 (one date), RD8 (a range, `from` ≤ `to`), DT (date and
 * `HHMM` time). TM (a time alone) is not a date period: read it with {@link parseTime}.
 */
export function parseDatePeriod(format: string, text: string): Parsed<DatePeriod> {
  switch (format) {
    case 'D8': {
      const d = parseD8(text);
      return d.ok ? { ok: true, value: { from: d.value, to: d.value } } : d;
    }
    case 'RD8': {
      // CCYYMMDD-CCYYMMDD: the digits are checked by parseD8.
      if (text.length !== 17 || text.charCodeAt(8) !== 0x2d) return FORMAT_FAILURE;
      const from = parseD8(text.slice(0, 8));
      const to = parseD8(text.slice(9));
      if (!from.ok) return from;
      if (!to.ok) return to;
      if (to.value < from.value) return { ok: false, reason: 'range' };
      return { ok: true, value: { from: from.value, to: to.value } };
    }
    case 'DT': {
      const m = /^(\d{8})(\d{4})$/.exec(text);
      if (!m) return { ok: false, reason: 'format' };
      const date = parseD8(m[1]!);
      const time = parseTime(m[2]!);
      if (!date.ok) return date;
      if (!time.ok) return time;
      return { ok: true, value: { from: date.value, to: date.value, time: time.value } };
    }
    default:
      return { ok: false, reason: 'format' };
  }
}

/**
 * A date period as DTP02/DTP03: DT when it carries a time, RD8 when it is a range (or `range` asks for
 * RD8 even on one day, as DTP*434 does), else D8.
 */
export function formatDatePeriod(period: DatePeriod, range = false): { format: string; value: string } {
  if (period.time !== undefined) return { format: 'DT', value: formatD8(period.from) + period.time };
  if (range || period.from !== period.to) return { format: 'RD8', value: `${formatD8(period.from)}-${formatD8(period.to)}` };
  return { format: 'D8', value: formatD8(period.from) };
}
