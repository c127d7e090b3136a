/**
 * Errors of the worklist. Each names ids and codes only — never a claim's values — so the edge can map
 * it to an HTTP status and a stable error code without leaking anything (functions/worklist-api).
 */
import type { FieldIssue } from '../../schemas/worklist-api.schema.ts';

/**
 * No such item for this tenant. An item of another tenant is "not found" too: saying "forbidden" would
 * tell a caller that it exists.
 */
export class WorkItemNotFoundError extends Error {
  override readonly name = 'WorkItemNotFoundError';
  constructor(readonly workItemId: string) {
    super('No such work item');
  }
}

/** Why an action is refused to a caller. */
export type ForbiddenReason =
  /** None of the caller's roles gives worklist access. */
  | 'role'
  /** The item's (or the requested) queue is not one of the caller's roles' queues. */
  | 'queue'
  /** The item belongs to someone else and the caller is not a supervisor. */
  | 'not-owner'
  /** Only a supervisor may do this (reassignment). */
  | 'supervisor-only';

/** The caller's roles do not allow the action (HTTP 403). */
export class WorklistForbiddenError extends Error {
  override readonly name = 'WorklistForbiddenError';
  constructor(readonly reason: ForbiddenReason) {
    super(`Not allowed (${reason})`);
  }
}

/** Why an action cannot be done on the item as it is now (HTTP 409). */
export type ConflictCode =
  | 'already-taken'
  | 'not-assigned'
  | 'not-in-progress'
  | 'not-waiting'
  | 'already-resolved'
  /** The item concerns no claim (an unmatched payment): nothing to correct or resubmit. */
  | 'no-claim'
  /** The re-scrub of the claim to resubmit still holds it; `codes` are the holding findings' codes. */
  | 'still-held'
  /** A void needs a claim the payer adjudicated. */
  | 'not-adjudicated'
  /** A replacement or void needs the payer's claim control number (REF*F8) from a posting. */
  | 'no-payer-claim-control-number'
  /** The tenant has no trading-partner route for the claim's payer. */
  | 'no-trading-partner-route'
  /** The 837 written for the resubmission does not pass validation; `codes` are the issue codes. */
  | 'resubmission-invalid'
  /** Others kept changing the item while this change was retried. */
  | 'changed-concurrently';

/** The item's state does not allow the action (HTTP 409). */
export class WorkItemConflictError extends Error {
  override readonly name = 'WorkItemConflictError';
  constructor(
    readonly code: ConflictCode,
    /** Codes that explain it (finding codes, X12 issue codes); never values. */
    readonly codes?: readonly string[],
  ) {
    super(`Conflict: ${code}`);
  }
}

/** A request that passed its schema but not the item's claim (a line that does not exist …): HTTP 400. */
export class WorklistRequestError extends Error {
  override readonly name = 'WorklistRequestError';
  constructor(readonly issues: readonly FieldIssue[]) {
    super('Invalid request');
  }
}

/** A conditional update lost: the item's revision is no longer the one read (a store port's error). */
export class WorkItemRevisionConflictError extends Error {
  override readonly name = 'WorkItemRevisionConflictError';
  constructor(
    readonly workItemId: string,
    readonly expectedRevision: number,
  ) {
    super(`Work item ${workItemId} is no longer at revision ${expectedRevision}`);
  }
}
