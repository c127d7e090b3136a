/**
 * Audit events of the worklist: one per read of claim detail and one per change (DESIGN.md, "Security
 * and privacy"). They carry ids, codes and the actor's roles, never claim values.
 *
 * A change's event id is derived from the item's new revision, so writing it again after a retry (the
 * change landed, the audit write did not) converges on one event. A read's event is new every time.
 */
import { randomUUID } from 'node:crypto';
import type { AuditAction, AuditEvent } from '../../schemas/audit-event.schema.ts';
import type { WorkItem, WorkItemHistoryEntry } from '../../schemas/work-item.schema.ts';
import type { Actor } from './roles.ts';

/** Detail values: codes, counts and flags. */
export type AuditDetail = NonNullable<AuditEvent['detail']>;

/** The audit action of each history action a person can cause. */
const AUDIT_ACTION_OF: Readonly<Partial<Record<WorkItemHistoryEntry['action'], AuditAction>>> = {
  taken: 'work-item.take',
  released: 'work-item.release',
  reassigned: 'work-item.reassign',
  corrected: 'work-item.correct',
  'waiting-on-provider': 'work-item.wait',
  resumed: 'work-item.resume',
  resolved: 'work-item.resolve',
};

/**
 * The event of a change: `item` as written, `entry` the history entry the change added.
 *
 * @example
 * await audit.append(changeAuditEvent(actor, transition.item, transition.entry, { to: 'in-progress' }));
 */
export function changeAuditEvent(actor: Actor, item: WorkItem, entry: WorkItemHistoryEntry, detail: AuditDetail = {}): AuditEvent {
  const action = AUDIT_ACTION_OF[entry.action];
  if (action === undefined) throw new RangeError(`history action ${entry.action} is not a person's change`);
  return {
    eventId: `${entry.at}#${item.workItemId}.r${item.revision}`,
    tenant: item.tenant,
    at: entry.at,
    actor: actor.user,
    roles: [...actor.roles],
    action,
    ...(item.claimId !== undefined ? { claimId: item.claimId } : {}),
    workItemId: item.workItemId,
    detail: {
      ...(entry.from !== undefined ? { from: entry.from } : {}),
      ...(entry.to !== undefined ? { to: entry.to } : {}),
      revision: item.revision,
      ...detail,
    },
  };
}

/** The event of a read of an item's claim detail. */
export function readAuditEvent(actor: Actor, item: WorkItem, at: string): AuditEvent {
  return {
    eventId: `${at}#${randomUUID()}`,
    tenant: item.tenant,
    at,
    actor: actor.user,
    roles: [...actor.roles],
    action: 'claim.read',
    ...(item.claimId !== undefined ? { claimId: item.claimId } : {}),
    workItemId: item.workItemId,
    detail: { revision: item.revision },
  };
}
