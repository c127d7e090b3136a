/**
 * Listing work items in work order across several sorted partitions (one per queue and status, or one
 * user's items), with filters and an opaque cursor.
 *
 * Each partition is already sorted by the work-order key (the `byQueue` index's sort key), so a page is
 * a k-way merge: ask every partition for up to `limit` items after its own position, merge, keep the
 * first `limit`, and remember, per partition, the last item taken from it (or that it is used up). The
 * cursor carries those positions; it is validated on the way back in (its shape, and a fingerprint of
 * the tenant and filters it was made for), and the store rebuilds the index keys from the caller's own
 * tenant, so an edited cursor can never reach another tenant's items.
 */
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import type { WorkItem, WorkItemStatus } from '../../schemas/work-item.schema.ts';
import type { WorkItemListQuery, WorkItemListResponse, WorkItemSummary } from '../../schemas/worklist-api.schema.ts';
import { WorklistRequestError } from './errors.ts';
import type { WorkItemFilter, WorkItemPartition, WorkItemPosition, WorkItemStore } from './ports.ts';
import { nearestDeadline, priorityKey } from './priority.ts';
import { queuesOf, requireQueue, requireWorklistAccess, type Actor } from './roles.ts';

/** What a list shows when no status is asked for: the work still to do. */
export const ACTIVE_STATUSES: readonly WorkItemStatus[] = ['open', 'in-progress', 'waiting-on-provider'];

const DAY_MS = 86_400_000;

/**
 * The item's place in work order: its priority key, then its creation time and id (oldest first among
 * equals). Equal by construction to the `byQueue` index's sort key (`workItemByQueueKeys` in
 * src/store/tables.ts), which is what lets a list resume inside the index.
 */
export function workOrderKey(item: Pick<WorkItem, 'appealDeadline' | 'timelyFilingDeadline' | 'amountAtRiskCents' | 'createdAt' | 'workItemId'>): string {
  return `${priorityKey(item)}#${item.createdAt}#${item.workItemId}`;
}

/** True when the item meets every condition of the filter. */
export function matchesFilter(item: WorkItem, filter: WorkItemFilter): boolean {
  if (filter.queues !== undefined && !filter.queues.includes(item.queue)) return false;
  if (filter.statuses !== undefined && !filter.statuses.includes(item.status)) return false;
  if (filter.payer !== undefined && item.payer !== filter.payer) return false;
  if (filter.reasonCode !== undefined && !item.reasonCodes.includes(filter.reasonCode)) return false;
  if (filter.assignee !== undefined && item.assignee !== filter.assignee) return false;
  const created = Date.parse(item.createdAt);
  if (filter.createdAtOrBefore !== undefined && !(created <= Date.parse(filter.createdAtOrBefore))) return false;
  if (filter.createdAfter !== undefined && !(created > Date.parse(filter.createdAfter))) return false;
  return true;
}

/** Whole days from the item's creation to `now`. */
export function ageInDays(item: Pick<WorkItem, 'createdAt'>, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(item.createdAt)) / DAY_MS));
}

/** The list form of an item: no history, no tenant; its nearest deadline and age. */
export function summaryOf(item: WorkItem, now: Date): WorkItemSummary {
  const { history: _history, tenant: _tenant, ...rest } = item;
  const deadline = nearestDeadline(item);
  return { ...rest, ...(deadline !== undefined ? { nearestDeadline: deadline } : {}), ageDays: ageInDays(item, now) };
}

/** The partitions and filter a list request reads, and the fingerprint its cursors carry. */
export interface ListPlan {
  partitions: WorkItemPartition[];
  filter: WorkItemFilter;
  fingerprint: string;
}

/**
 * Plan a list: the queues asked for (or all the actor's roles allow; a queue outside them is
 * forbidden), the statuses asked for (or the active ones), and the other filters. With an assignee the
 * one partition is that user's items (few), filtered by queue and status; otherwise one partition per
 * queue and status.
 */
export function planList(actor: Actor, query: Omit<WorkItemListQuery, 'limit' | 'cursor'>, now: Date): ListPlan {
  requireWorklistAccess(actor);
  if (query.queue !== undefined) requireQueue(actor, query.queue);
  const queues = query.queue !== undefined ? [query.queue] : queuesOf(actor);
  const statuses = query.status !== undefined ? [query.status] : [...ACTIVE_STATUSES];
  const assignee = query.assignee === 'me' ? actor.user : query.assignee;
  const filter: WorkItemFilter = {
    queues,
    statuses,
    ...(query.payer !== undefined ? { payer: query.payer } : {}),
    ...(query.reason !== undefined ? { reasonCode: query.reason } : {}),
    ...(assignee !== undefined ? { assignee } : {}),
    // Age N days or more: created at least N days ago. Age at most M days: less than M + 1 days ago.
    ...(query.minAgeDays !== undefined ? { createdAtOrBefore: new Date(now.getTime() - query.minAgeDays * DAY_MS).toISOString() } : {}),
    ...(query.maxAgeDays !== undefined ? { createdAfter: new Date(now.getTime() - (query.maxAgeDays + 1) * DAY_MS).toISOString() } : {}),
  };
  const partitions: WorkItemPartition[] =
    assignee !== undefined ? [{ index: 'assignee', assignee }] : queues.flatMap((queue) => statuses.map((status) => ({ index: 'queue' as const, queue, status })));
  // The ages, not the timestamps derived from them, so that the pages of one list share a fingerprint.
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([actor.tenant, partitions.map(partitionId), queues, statuses, query.payer ?? null, query.reason ?? null, query.minAgeDays ?? null, query.maxAgeDays ?? null]))
    .digest('base64url')
    .slice(0, 22);
  return { partitions, filter, fingerprint };
}

/** A partition's name in a fingerprint. */
function partitionId(partition: WorkItemPartition): string {
  return partition.index === 'queue' ? `queue/${partition.queue}/${partition.status}` : `assignee/${partition.assignee}`;
}

// ── Cursor ──────────────────────────────────────────────────────────────────────────────────────────

/** Where each partition stands: not started, used up, or after an item. */
type PartitionState = { kind: 'start' } | { kind: 'end' } | { kind: 'after'; position: WorkItemPosition };

/** The cursor's JSON: version, fingerprint, one state per partition (null start, 0 end, [key, id] after). */
const CursorSchema = z.strictObject({
  v: z.literal(1),
  f: z.string().min(1).max(64),
  p: z.array(z.union([z.null(), z.literal(0), z.tuple([z.string().min(1).max(400), z.string().min(1).max(300)])])).min(1).max(64),
});

const INVALID_CURSOR = [{ path: 'cursor', message: 'not a cursor of this list: start again without one' }];
/** A cursor's JSON never needs more (64 partitions of 700 characters): refuse to inflate past it. */
const MAX_CURSOR_JSON_BYTES = 64 * 1024;

/**
 * The cursor of the partition states, compressed (ids repeat inside their work-order keys, and a
 * supervisor's list spans twelve partitions: deflated, it stays well within a query string).
 */
export function encodeCursor(fingerprint: string, states: readonly PartitionState[]): string {
  const p = states.map((state) => (state.kind === 'start' ? null : state.kind === 'end' ? 0 : [state.position.workOrderKey, state.position.workItemId]));
  return deflateRawSync(Buffer.from(JSON.stringify({ v: 1, f: fingerprint, p }), 'utf8')).toString('base64url');
}

/** The partition states of a cursor made for `plan`; a 400 for anything else. */
export function decodeCursor(cursor: string, plan: ListPlan): PartitionState[] {
  let json: unknown;
  try {
    json = JSON.parse(inflateRawSync(Buffer.from(cursor, 'base64url'), { maxOutputLength: MAX_CURSOR_JSON_BYTES }).toString('utf8'));
  } catch {
    throw new WorklistRequestError(INVALID_CURSOR);
  }
  const parsed = CursorSchema.safeParse(json);
  if (!parsed.success || parsed.data.f !== plan.fingerprint || parsed.data.p.length !== plan.partitions.length) throw new WorklistRequestError(INVALID_CURSOR);
  return parsed.data.p.map((state): PartitionState => {
    if (state === null) return { kind: 'start' };
    if (state === 0) return { kind: 'end' };
    const [workOrderKey, workItemId] = state;
    // A work-order key ends with its item's id: anything else was not made by us.
    if (!workOrderKey.endsWith(`#${workItemId}`)) throw new WorklistRequestError(INVALID_CURSOR);
    return { kind: 'after', position: { workOrderKey, workItemId } };
  });
}

// ── The list ────────────────────────────────────────────────────────────────────────────────────────

/**
 * One page of the actor's list, in work order.
 *
 * @example
 * const page = await listWorkItems(store, actor, { queue: 'coding', limit: 25 }, new Date());
 * const next = page.nextCursor && (await listWorkItems(store, actor, { queue: 'coding', limit: 25, cursor: page.nextCursor }, new Date()));
 */
export async function listWorkItems(store: WorkItemStore, actor: Actor, query: WorkItemListQuery, now: Date): Promise<WorkItemListResponse> {
  const { limit, cursor, ...filters } = query;
  const plan = planList(actor, filters, now);
  const states: PartitionState[] = cursor !== undefined ? decodeCursor(cursor, plan) : plan.partitions.map(() => ({ kind: 'start' }));

  const pages = await Promise.all(
    plan.partitions.map(async (partition, index) => {
      const state = states[index]!;
      if (state.kind === 'end') return { items: [] as WorkItem[], exhausted: true };
      return store.page(actor.tenant, partition, { filter: plan.filter, limit, ...(state.kind === 'after' ? { after: state.position } : {}) });
    }),
  );

  const candidates = pages.flatMap((page, index) => page.items.map((item) => ({ item, index, key: workOrderKey(item) })));
  candidates.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const taken = candidates.slice(0, limit);

  const nextStates = states.map((state, index): PartitionState => {
    const page = pages[index]!;
    const fromHere = taken.filter((candidate) => candidate.index === index);
    if (page.exhausted && fromHere.length === page.items.length) return { kind: 'end' };
    const last = fromHere.at(-1);
    return last ? { kind: 'after', position: { workOrderKey: last.key, workItemId: last.item.workItemId } } : state;
  });
  const more = nextStates.some((state) => state.kind !== 'end');
  return {
    items: taken.map((candidate) => summaryOf(candidate.item, now)),
    ...(more ? { nextCursor: encodeCursor(plan.fingerprint, nextStates) } : {}),
  };
}
