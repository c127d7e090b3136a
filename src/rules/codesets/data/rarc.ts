/**
 * Remittance advice remark codes (835 LQ02, MIA/MOA remark elements) that refine the routing of a
 * "see remark" CARC (16, 96, A1, 226, 227, 252…: carc.ts), each with a short description in our own
 * words and the category it sends the denial to. CO-16 with N382 (patient identifier) is a billing
 * fix; CO-16 with M76 (diagnosis) is a coding fix.
 *
 * `alert: true` marks remarks that only inform ("Alert: …"): they never decide a category. A remark
 * missing from this table does not refine anything; the CARC's own category stands.
 */
import type { AdjustmentCategory, RarcEntry } from '../types.ts';

/** When this table was last reviewed against the X12 RARC list. */
export const RARC_REVISION = '2026-01';

type Row = readonly [description: string, category: AdjustmentCategory, flags?: { alert: true }];

const alert = { alert: true } as const;

const rows: Readonly<Record<string, Row>> = {
  // Codes on the claim: the coder fixes them.
  M15: ['Separately billed services are components of one procedure: bundled', 'coding'],
  M20: ['HCPCS code missing, incomplete or invalid', 'coding'],
  M51: ['Procedure code missing, incomplete or invalid', 'coding'],
  M67: ['Other procedure code missing, incomplete or invalid', 'coding'],
  M76: ['Diagnosis or condition missing, incomplete or invalid', 'coding'],
  M77: ['Place of service missing, incomplete, invalid or inappropriate', 'coding'],
  M78: ['HCPCS modifier missing, incomplete or invalid', 'coding'],
  M80: ['Not covered in the same session or on the same date as a service already processed', 'coding'],
  M81: ['Code to the highest level of specificity', 'coding'],
  M119: ['NDC missing, incomplete, invalid, deactivated or withdrawn', 'coding'],
  MA30: ['Type of bill missing, incomplete or invalid', 'coding'],
  MA63: ['Principal diagnosis missing, incomplete or invalid', 'coding'],
  MA66: ['Principal procedure code missing, incomplete or invalid', 'coding'],
  N19: ['Procedure is incidental to the primary procedure', 'coding'],
  N20: ['Not payable with another service on the same date', 'coding'],
  N56: ['Procedure code not correct or not valid for the services or the date billed', 'coding'],
  N122: ['Add-on code billed without its primary code', 'coding'],
  N206: ['Supporting documentation does not match the claim', 'coding'],
  N350: ['Description missing for an unlisted or not-otherwise-classified code', 'coding'],
  N362: ['Days or units exceed the maximum allowed', 'coding'],
  N657: ['Bill these services with the appropriate code', 'coding'],
  N822: ['Procedure modifier missing', 'coding'],
  N823: ['Procedure modifier incomplete or invalid', 'coding'],

  // Administrative data and process: the biller fixes them.
  M62: ['Treatment authorization code missing, incomplete or invalid', 'billing'],
  M79: ['Charge missing, incomplete or invalid', 'billing'],
  M86: ['Same or similar service already paid within the period', 'billing'],
  MA04: ["Secondary payment needs the primary payer's identity or payment", 'billing'],
  MA27: ['Entitlement number or name missing, incomplete or invalid', 'billing'],
  MA61: ['Social Security or health insurance claim number missing, incomplete or invalid', 'billing'],
  MA120: ['CLIA certification number missing, incomplete or invalid', 'billing'],
  MA130: ['Claim unprocessable: submit a new claim with complete, correct information', 'billing'],
  N4: ["Prior payer's explanation of benefits missing, incomplete or invalid", 'billing'],
  N30: ['Patient not eligible for this service', 'billing'],
  N34: ['Wrong claim form or format for this service', 'billing'],
  N54: ['Claim does not match the authorized services', 'billing'],
  N95: ['This provider type or specialty may not bill this service', 'billing'],
  N130: ['See the plan benefit documents for restrictions on this service', 'billing'],
  N142: ['Original claim was denied: send a new claim, not a replacement', 'billing'],
  N179: ['Information requested from the member', 'billing'],
  N216: ['Service not covered, or patient not enrolled in this part of the plan', 'billing'],
  N257: ['Billing provider primary identifier missing, incomplete or invalid', 'billing'],
  N265: ['Ordering provider primary identifier missing, incomplete or invalid', 'billing'],
  N286: ['Referring provider primary identifier missing, incomplete or invalid', 'billing'],
  N290: ['Rendering provider primary identifier missing, incomplete or invalid', 'billing'],
  N301: ['Procedure dates missing, incomplete or invalid', 'billing'],
  N329: ['Patient birth date missing, incomplete or invalid', 'billing'],
  N382: ['Patient identifier missing, incomplete or invalid', 'billing'],
  N425: ['Service excluded by statute', 'billing'],
  N522: ['Duplicate of a crossover claim processed or to be processed', 'billing'],
  N575: ['Ordering or referring provider name does not match our records', 'billing'],

  // Medical necessity and documentation of care: clinical review.
  M127: ["Patient's medical record for this service missing", 'clinical'],
  N10: ['Adjusted on the findings of a review organization or medical consultant', 'clinical'],
  N29: ['Documentation, orders, notes or report missing', 'clinical'],
  N115: ['Decided under a Local Coverage Determination (LCD)', 'clinical'],
  N386: ['Decided under a National Coverage Determination (NCD)', 'clinical'],

  // Information only.
  N14: ['Paid on a contract, fee schedule or maximum allowable amount', 'contractual'],
  MA01: ['Alert: appeal rights if you disagree with the amount approved', 'informational', alert],
  MA18: ["Alert: claim forwarded to the patient's supplemental insurer", 'informational', alert],
  N1: ['Alert: this decision may be appealed in writing within the time limits', 'informational', alert],
  N59: ['Alert: see the provider manual', 'informational', alert],
  N211: ['Alert: this decision cannot be appealed', 'informational', alert],
  N381: ['Alert: see the contract for restrictions on these charges', 'informational', alert],
};

/** The RARC table, by code. */
export const rarcCodes: ReadonlyMap<string, RarcEntry> = new Map(
  Object.entries(rows).map(([code, [description, category, flags]]) => [code, { description, category, ...flags }]),
);
