/**
 * Format checks for the licensed code sets. CPT (AMA), CDT (ADA) and the NUBC codes (revenue codes,
 * type of bill) are licensed: ClaimPath ships none of their lists or descriptions, so it can only
 * say whether a value has the shape of such a code, never whether the code exists.
 */

/**
 * A CPT code's shape: five digits (Category I), or four digits and `F` (Category II), `T`
 * (Category III) or `U` (proprietary laboratory analyses).
 */
export function isCptFormat(code: string): boolean {
  return /^\d{4}[\dFTU]$/.test(code);
}

/** A CPT (Level I) modifier's shape: two digits, e.g. 25 or 59. HCPCS Level II modifiers have a letter. */
export function isCptModifierFormat(code: string): boolean {
  return /^\d{2}$/.test(code);
}

/** A CDT (dental procedure) code's shape: `D` and four digits. */
export function isCdtFormat(code: string): boolean {
  return /^D\d{4}$/.test(code);
}

/** A HCPCS Level II code's shape: a letter A–V and four digits (the D range is CDT's). */
export function isHcpcsLevel2Format(code: string): boolean {
  return /^[A-CE-V]\d{4}$/.test(code);
}

/** A NUBC revenue code's shape (837I SV201): four digits, e.g. `0450`. */
export function isRevenueCodeFormat(code: string): boolean {
  return /^\d{4}$/.test(code);
}

/**
 * A NUBC type of bill's shape: facility type digit (1–8), bill classification digit and frequency
 * (a digit or a letter), optionally after the leading `0` that the UB-04 prints. In an 837I the
 * facility code (CLM05-1) and frequency (CLM05-3) travel apart: join them before checking.
 */
export function isTypeOfBillFormat(code: string): boolean {
  return /^0?[1-8]\d[\dA-Z]$/.test(code);
}

/** An ICD-10-CM code's shape, with or without its dot (`E11.9`, `E119`, `S23420A`). */
export function isIcd10CmFormat(code: string): boolean {
  return /^[A-Z][0-9A-Z]{2}(\.?[0-9A-Z]{1,4})?$/.test(code);
}
