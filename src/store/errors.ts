/**
 * Errors of the storage adapters. They name keys and ids only — never an attribute's value, which for
 * claims may be PHI.
 */

/**
 * A rule document read from the table is incomplete or no longer valid under the current rule schema
 * (a missing part of a split document, or a schema change that old documents do not meet). Thrown
 * rather than skipped: silently dropping a payer rule would let claims through unchecked.
 */
export class StoredRuleDocumentError extends Error {
  override readonly name = 'StoredRuleDocumentError';

  constructor(
    readonly tableName: string,
    readonly partitionKey: string,
    readonly sortKey: string,
    /** What is wrong, in words that hold no document content. */
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`rule item ${partitionKey} ${sortKey} in table ${tableName}: ${problem}`, options);
  }
}
