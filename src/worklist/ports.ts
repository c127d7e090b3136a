/**
 * The ports the worklist needs, declared in the domain so that `src/worklist` never imports the AWS
 * SDK: the work items (read, page through a queue in work order, change one conditionally), the claims
 * with their postings, and the audit log. Adapters: src/store/dynamo-work-items.ts,
 * dynamo-claim-details.ts, dynamo-audit-log.ts. Objects, trading partners and control numbers are the
 * claims area's ports (src/claims/ports.ts), reused as they are.
 *
 * Every port is tenant-scoped: an item or claim of another tenant is `undefined`, exactly like one that
 * does not exist.
 */
import type { AuditEvent } from '../../schemas/audit-event.schema.ts';
import type { WorkQueue } from '../../schemas/finding.schema.ts';
import type { WorkItem, WorkItemStatus } from '../../schemas/work-item.schema.ts';
import type { ClaimDetail, CorrectionDraft } from '../../schemas/worklist-api.schema.ts';

// ── Work items ──────────────────────────────────────────────────────────────────────────────────────

/** A stored work item and the coder's correction draft kept with it. */
export interface WorkItemRecord {
  item: WorkItem;
  correction?: CorrectionDraft;
}

/**
 * One sorted run of a tenant's items: a queue in one status (the `byQueue` index, in work order), or
 * the items assigned to one user (the `byAssignee` index; few, so ordered in work order on reading).
 */
export type WorkItemPartition = { index: 'queue'; queue: WorkQueue; status: WorkItemStatus } | { index: 'assignee'; assignee: string };

/** Where a page starts: after the item with this work-order key (see `workOrderKey` in list.ts). */
export interface WorkItemPosition {
  workOrderKey: string;
  workItemId: string;
}

/** What a listed item must match (all given conditions). */
export interface WorkItemFilter {
  queues?: readonly WorkQueue[];
  statuses?: readonly WorkItemStatus[];
  payer?: string;
  /** One of the item's `reasonCodes`. */
  reasonCode?: string;
  assignee?: string;
  /** ISO timestamps: created at or before this time, and strictly after that one. */
  createdAtOrBefore?: string;
  createdAfter?: string;
}

/**
 * Matching items after the position, in work order: exactly `limit` of them unless `exhausted` (no
 * matching item follows the last one returned).
 */
export interface WorkItemPage {
  items: WorkItem[];
  exhausted: boolean;
}

/** Work items storage, for people working them. */
export interface WorkItemStore {
  /** The item and its draft, or undefined when it does not exist for this tenant. */
  get(tenant: string, workItemId: string): Promise<WorkItemRecord | undefined>;
  /** A page of one partition, in work order, filtered. */
  page(tenant: string, partition: WorkItemPartition, options: { filter: WorkItemFilter; after?: WorkItemPosition; limit: number }): Promise<WorkItemPage>;
  /**
   * Replace the item (and its draft: absent removes it) if its stored revision is still
   * `expectedRevision`; otherwise throw `WorkItemRevisionConflictError`. The index keys follow the
   * new status, priority and assignee. `record.item.revision` must be `expectedRevision + 1`.
   */
  update(record: WorkItemRecord, expectedRevision: number): Promise<void>;
}

// ── Claims ──────────────────────────────────────────────────────────────────────────────────────────

/** A claim as stored, with its postings and adjudication, and the file it came from. */
export interface StoredClaimDetail extends ClaimDetail {
  tenant: string;
  /** The file's id: the claim's control-number allocations for resubmissions are recorded under it. */
  fileId: string;
}

/** Claims with what the payer did with them. */
export interface ClaimDetails {
  /** The claim with its postings (remittance order) and adjudication, or undefined for another tenant's. */
  get(tenant: string, claimId: string): Promise<StoredClaimDetail | undefined>;
}

// ── Audit ───────────────────────────────────────────────────────────────────────────────────────────

/** Which events to list. */
export type AuditSelector = { claimId: string } | { actor: string };

/** The audit log: append-only, one event per read of claim detail and per change. */
export interface AuditLog {
  /** Append an event; appending the same event (same id) again is a no-op. */
  append(event: AuditEvent): Promise<void>;
  /** A tenant's events of one claim or one user, oldest first, at most `limit` (default 1,000). */
  list(tenant: string, selector: AuditSelector, limit?: number): Promise<AuditEvent[]>;
}
