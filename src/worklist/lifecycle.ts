/**
 * The work item lifecycle as pure functions: each takes the item as read, the actor and the time, and
 * returns the item as it must be written (status, owner, history entry, revision + 1) — or throws why
 * not. Nothing here reads or writes: the use cases (worklist.ts) write the result conditionally on the
 * revision read, so of two concurrent changes exactly one lands.
 *
 * ```
 * open ──take/assign──▶ in-progress ──wait──▶ waiting-on-provider ──resume──▶ in-progress
 *   ▲                        │  └──────────────────── resolve ─────────────────────┐
 *   └────── release ─────────┘ (also from waiting)                                 ▼
 *                                                                               resolved
 * ```
 * Only in-progress and waiting items have an owner (`assignee`). Changes other than `take` and
 * `assign` are the owner's, or a supervisor's.
 */
import type { WorkItem, WorkItemHistoryEntry, WorkItemResolution, WorkItemStatus } from '../../schemas/work-item.schema.ts';
import { WorkItemConflictError } from './errors.ts';
import { requireOwnerOrSupervisor, type Actor } from './roles.ts';

/** A change to write: the new item and the history entry it gained. */
export interface Transition {
  item: WorkItem;
  entry: WorkItemHistoryEntry;
}

/** The actions that change an item (each adds one history entry of the same name). */
export type ChangeAction = WorkItemHistoryEntry['action'];

/**
 * Take an open item. Taking an item one already holds changes nothing (undefined): a retried request
 * converges. Anyone else's item is `already-taken`.
 */
export function takeItem(item: WorkItem, actor: Actor, at: string): Transition | undefined {
  refuseResolved(item);
  if (item.status !== 'open') {
    if (item.assignee === actor.user) return undefined;
    throw new WorkItemConflictError('already-taken');
  }
  return change(item, { at, by: actor.user, action: 'taken', from: item.status, to: 'in-progress' }, { status: 'in-progress', assignee: actor.user });
}

/** Give an item back to its queue: open, unassigned. */
export function releaseItem(item: WorkItem, actor: Actor, at: string): Transition {
  refuseResolved(item);
  if (item.status === 'open') throw new WorkItemConflictError('not-assigned');
  requireOwnerOrSupervisor(actor, item);
  return change(item, { at, by: actor.user, action: 'released', from: item.status, to: 'open' }, { status: 'open', assignee: undefined });
}

/**
 * Give an item to `assignee` (the caller checks that it is a supervisor's doing). An open item becomes
 * in-progress; a waiting item keeps waiting under its new owner. Assigning to the current owner
 * changes nothing.
 */
export function assignItem(item: WorkItem, actor: Actor, assignee: string, at: string): Transition | undefined {
  refuseResolved(item);
  if (item.status !== 'open' && item.assignee === assignee) return undefined;
  const status: WorkItemStatus = item.status === 'open' ? 'in-progress' : item.status;
  return change(item, { at, by: actor.user, action: 'reassigned', from: item.status, to: status, note: `assignee ${assignee}` }, { status, assignee });
}

/** A provider query is out: the item waits (its owner keeps it). */
export function markWaiting(item: WorkItem, actor: Actor, at: string, note?: string): Transition {
  refuseResolved(item);
  if (item.status !== 'in-progress') throw new WorkItemConflictError('not-in-progress');
  requireOwnerOrSupervisor(actor, item);
  return change(item, { at, by: actor.user, action: 'waiting-on-provider', from: item.status, to: 'waiting-on-provider', ...(note !== undefined ? { note } : {}) }, { status: 'waiting-on-provider' });
}

/** The provider answered: back to work. */
export function resumeItem(item: WorkItem, actor: Actor, at: string): Transition {
  refuseResolved(item);
  if (item.status !== 'waiting-on-provider') throw new WorkItemConflictError('not-waiting');
  requireOwnerOrSupervisor(actor, item);
  return change(item, { at, by: actor.user, action: 'resumed', from: item.status, to: 'in-progress' }, { status: 'in-progress' });
}

/** Throws unless the actor may change the item's claim now (corrections, resolution). */
export function requireWorkable(item: WorkItem, actor: Actor): void {
  refuseResolved(item);
  if (item.status !== 'in-progress' && item.status !== 'waiting-on-provider') throw new WorkItemConflictError('not-in-progress');
  requireOwnerOrSupervisor(actor, item);
}

/** A correction was recorded (the draft is stored beside the item); `note` names the fields changed. */
export function recordCorrection(item: WorkItem, actor: Actor, at: string, note: string): Transition {
  requireWorkable(item, actor);
  return change(item, { at, by: actor.user, action: 'corrected', note: note.slice(0, 500) }, {});
}

/** Resolve the item; it leaves its owner (only active items have one). */
export function resolveItem(item: WorkItem, actor: Actor, resolution: WorkItemResolution): Transition {
  requireWorkable(item, actor);
  const note = resolution.frequency !== undefined ? `${resolution.action} (frequency ${resolution.frequency})` : resolution.action;
  return change(item, { at: resolution.at, by: actor.user, action: 'resolved', from: item.status, to: 'resolved', note }, { status: 'resolved', assignee: undefined, resolution });
}

function refuseResolved(item: WorkItem): void {
  if (item.status === 'resolved') throw new WorkItemConflictError('already-resolved');
}

/** The item after `entry`: fields changed (an `undefined` removes the field), one revision later. */
function change(item: WorkItem, entry: WorkItemHistoryEntry, changes: Partial<WorkItem>): Transition {
  const next: WorkItem = { ...item, ...changes, updatedAt: entry.at, history: [...item.history, entry], revision: item.revision + 1 };
  for (const key of Object.keys(changes) as (keyof WorkItem)[]) if (changes[key] === undefined) delete (next as Partial<WorkItem>)[key];
  return { item: next, entry };
}
