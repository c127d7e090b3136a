/**
 * National Provider Identifiers for fixtures. An NPI is nine digits plus a Luhn check digit computed
 * over the card-issuer prefix 80840 followed by those nine digits (CMS, "Requirements for NPI check
 * digit"). Fixtures use valid check digits so that the NPI rule passes on generated claims.
 */
import type { SeededRandom } from './random.ts';

/** The Luhn check digit for an NPI's first nine digits (prefix 80840 included in the computation). */
export function npiCheckDigit(firstNine: string): number {
  if (!/^\d{9}$/.test(firstNine)) throw new RangeError('An NPI base must be nine digits.');
  const payload = '80840' + firstNine;
  let sum = 0;
  // Walk right to left; the digit next to the (future) check digit is doubled first.
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = payload.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when `npi` is ten digits whose last is the Luhn check digit of the first nine. */
export function isValidNpi(npi: string): boolean {
  return /^\d{10}$/.test(npi) && npiCheckDigit(npi.slice(0, 9)) === npi.charCodeAt(9) - 48;
}

/** A random valid NPI; NPIs start with 1 (individuals) or 2 (organizations). */
export function randomNpi(random: SeededRandom, kind: 'individual' | 'organization'): string {
  const firstNine = (kind === 'individual' ? '1' : '2') + random.digits(8);
  return firstNine + String(npiCheckDigit(firstNine));
}
