/**
 * The National Provider Identifier check digit (45 CFR 162.406; CMS "NPI check digit" note): ten
 * digits, the last a Luhn check digit computed over the nine others prefixed with 80840 (the ISO
 * 7812 issuer prefix for US health applications). The prefix contributes a constant 24 to the sum.
 */

const NPI_PATTERN = /^[0-9]{10}$/;

/** The sum the 80840 prefix adds to the Luhn sum of an NPI's first nine digits. */
const PREFIX_80840_SUM = 24;

/**
 * True when `npi` is ten digits whose last is the Luhn check digit of `80840` + the first nine.
 *
 * @example
 * isValidNpi('1234567893'); // true
 * isValidNpi('1234567890'); // false
 */
export function isValidNpi(npi: string): boolean {
  if (!NPI_PATTERN.test(npi)) return false;
  return npiCheckDigit(npi.slice(0, 9)) === npi.charCodeAt(9) - 48;
}

/** The check digit of an NPI's first nine digits (a string of nine digits). */
export function npiCheckDigit(firstNine: string): number {
  let sum = PREFIX_80840_SUM;
  // Luhn from the right: the rightmost of the nine (next to the check digit) is doubled.
  for (let i = 0; i < 9; i++) {
    let digit = firstNine.charCodeAt(8 - i) - 48;
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}
