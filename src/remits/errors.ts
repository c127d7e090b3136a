/**
 * Errors of the remittance area. Bad 835 files never throw (they are reported and kept); these are
 * transient conditions that a retry of the whole file resolves.
 */

/**
 * A concurrent copy of the same file stored another decision for a claim payment first (it saw other
 * claims or postings). Retrying the file reuses the stored decisions, so both copies converge on them.
 */
export class ClaimPaymentDecisionConflictError extends Error {
  override readonly name = 'ClaimPaymentDecisionConflictError';
  constructor(
    readonly remittanceId: string,
    /** The claim payment's position in the file (never its patient control number). */
    readonly position: number,
  ) {
    super('Another run of the same remittance stored a different decision for a claim payment; retry to use the stored one');
  }
}

/**
 * The inbound object was replaced (another ETag) between the two reads of the file: what pass 2 would
 * read is not the file pass 1 validated. A retry reads the new bytes as the file they are.
 */
export class InboundObjectChangedError extends Error {
  override readonly name = 'InboundObjectChangedError';
  constructor(readonly fileId: string) {
    super('The inbound object was replaced while it was being processed; a retry processes the new content');
  }
}
