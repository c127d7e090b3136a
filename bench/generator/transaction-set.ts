/**
 * The contract between the interchange writer (envelopes, sizes, control numbers) and the writers of
 * one kind of transaction set (837P, 837I, 835).
 */

/** Builds one transaction set, ST through SE, one unit (a subscriber's claims, a claim payment) at a time. */
export interface TransactionSetBuilder {
  /** Claims (837) or claim payments (835) written so far. */
  readonly claims: number;
  /** Bytes of the set's body written so far (without its header and trailer). */
  readonly bodyBytes: number;
  /** Add one unit holding at most `maxClaims` claims (at least one). */
  addUnit(maxClaims: number): void;
  /** The whole set, ST … SE, with SE01 equal to its segment count. */
  finish(segmentEnd: string): { text: string; segments: number };
}
