/**
 * The order in which work is done: the nearest deadline first (appeal or timely filing, whichever comes
 * first), then the most money at risk, then the oldest item. The order is a string (`priorityKey`) so
 * that the store can sort by it (the `byQueue` index) and never goes stale: it holds the deadline's
 * date, not a count of days left that would have to be recomputed every day.
 */
import type { WorkItem } from '../../schemas/work-item.schema.ts';

/** Items without any deadline sort after every item with one. */
const NO_DEADLINE = '9999-12-31';
/** Digits of the inverted amount: up to ten billion dollars at risk in cents. */
const AMOUNT_DIGITS = 13;
const AMOUNT_MAX = 10 ** AMOUNT_DIGITS - 1;

/** What the order is computed from. */
export type PriorityInput = Pick<WorkItem, 'appealDeadline' | 'timelyFilingDeadline' | 'amountAtRiskCents'>;

/** The earlier of the item's deadlines, or undefined when it has none. */
export function nearestDeadline(item: Pick<WorkItem, 'appealDeadline' | 'timelyFilingDeadline'>): string | undefined {
  const { appealDeadline, timelyFilingDeadline } = item;
  if (appealDeadline === undefined) return timelyFilingDeadline;
  if (timelyFilingDeadline === undefined) return appealDeadline;
  return appealDeadline < timelyFilingDeadline ? appealDeadline : timelyFilingDeadline;
}

/**
 * The item's place in its queue as a string that sorts ascending in work order: `<deadline>#<inverted
 * amount>`. The store appends the creation time and the id, so that equal keys keep the oldest first.
 */
export function priorityKey(item: PriorityInput): string {
  const amount = Math.max(0, Math.min(AMOUNT_MAX, Math.round(item.amountAtRiskCents)));
  return `${nearestDeadline(item) ?? NO_DEADLINE}#${String(AMOUNT_MAX - amount).padStart(AMOUNT_DIGITS, '0')}`;
}

/** Compare two items in work order (for lists merged in memory). */
export function comparePriority(a: PriorityInput & Pick<WorkItem, 'createdAt' | 'workItemId'>, b: PriorityInput & Pick<WorkItem, 'createdAt' | 'workItemId'>): number {
  const keyA = `${priorityKey(a)}#${a.createdAt}#${a.workItemId}`;
  const keyB = `${priorityKey(b)}#${b.createdAt}#${b.workItemId}`;
  return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
}
