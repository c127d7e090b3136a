/**
 * Listing in work order across partitions: the merge, pagination by cursor (every item exactly once,
 * in the order of one big page, whatever the page size), filters, queue permissions, and cursors that
 * were edited or made for another list. The store here is in memory; the DynamoDB adapter is covered
 * by test/integration/worklist-api.test.ts.
 */
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { WorkQueue } from '../../schemas/finding.schema.ts';
import type { WorkItem, WorkItemStatus } from '../../schemas/work-item.schema.ts';
import { WorkItemListQuerySchema, type WorkItemListQuery } from '../../schemas/worklist-api.schema.ts';
import { workItemByQueueKeys } from '../../src/store/tables.ts';
import { WorklistForbiddenError, WorklistRequestError } from '../../src/worklist/errors.ts';
import { encodeCursor, listWorkItems, matchesFilter, summaryOf, workOrderKey } from '../../src/worklist/list.ts';
import type { WorkItemPage, WorkItemPartition, WorkItemStore } from '../../src/worklist/ports.ts';
import { priorityKey } from '../../src/worklist/priority.ts';
import type { Actor } from '../../src/worklist/roles.ts';

const NOW = new Date('2026-07-10T12:00:00.000Z');
const coder: Actor = { user: 'coder-ann', tenant: 'clinic-a', roles: ['coder'] };
const supervisor: Actor = { user: 'super-sue', tenant: 'clinic-a', roles: ['supervisor'] };

/** Partitions sorted by work order, filtered in memory: what the DynamoDB adapter promises. */
class InMemoryWorkItems implements Pick<WorkItemStore, 'page'> {
  calls = 0;
  constructor(private readonly items: WorkItem[]) {}
  async page(tenant: string, partition: WorkItemPartition, options: Parameters<WorkItemStore['page']>[2]): Promise<WorkItemPage> {
    this.calls++;
    const inPartition = this.items.filter((item) =>
      item.tenant === tenant && (partition.index === 'queue' ? item.queue === partition.queue && item.status === partition.status : item.assignee === partition.assignee),
    );
    const sorted = inPartition.filter((item) => matchesFilter(item, options.filter)).sort((a, b) => (workOrderKey(a) < workOrderKey(b) ? -1 : 1));
    const following = options.after ? sorted.filter((item) => workOrderKey(item) > options.after!.workOrderKey) : sorted;
    return { items: following.slice(0, options.limit), exhausted: following.length <= options.limit };
  }
}

let sequence = 0;
function item(queue: WorkQueue, status: WorkItemStatus, fields: Partial<WorkItem> = {}): WorkItem {
  sequence++;
  const id = `clinic-a-f-${String(sequence).padStart(7, '0')}-denial`;
  return {
    workItemId: id,
    tenant: 'clinic-a',
    kind: 'denial',
    queue,
    status,
    createdAt: `2026-07-0${1 + (sequence % 8)}T08:00:00.000Z`,
    updatedAt: '2026-07-09T08:00:00.000Z',
    claimId: id.replace(/-denial$/, ''),
    payer: sequence % 2 === 0 ? 'TESTPPO01' : 'TESTMCR01',
    reasonCodes: [sequence % 3 === 0 ? 'CO-50' : 'CO-16'],
    reasons: [],
    chargeCents: 10_000,
    amountAtRiskCents: 1_000 * (sequence % 7),
    ...(sequence % 4 === 0 ? { appealDeadline: `2026-08-${String(10 + (sequence % 15)).padStart(2, '0')}` } : {}),
    ...(status !== 'open' ? { assignee: sequence % 2 === 0 ? 'coder-ann' : 'coder-ben' } : {}),
    history: [],
    revision: 0,
    ...fields,
  };
}

const items: WorkItem[] = [
  ...Array.from({ length: 9 }, () => item('coding', 'open')),
  ...Array.from({ length: 5 }, () => item('clinical', 'open')),
  ...Array.from({ length: 4 }, () => item('coding', 'in-progress')),
  ...Array.from({ length: 2 }, () => item('clinical', 'waiting-on-provider')),
  ...Array.from({ length: 3 }, () => item('billing', 'open')),
  ...Array.from({ length: 2 }, () => item('coding', 'resolved')),
  // Another tenant's items are never listed, whatever the filters.
  item('coding', 'open', { tenant: 'clinic-b', workItemId: 'clinic-b-f-0000001-denial' }),
];

async function everyPage(store: InMemoryWorkItems, actor: Actor, query: Omit<WorkItemListQuery, 'cursor'>): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listWorkItems(store as unknown as WorkItemStore, actor, { ...query, ...(cursor ? { cursor } : {}) }, NOW);
    pages.push(page.items.map((entry) => entry.workItemId));
    cursor = page.nextCursor;
  } while (cursor !== undefined && pages.length < 100);
  return pages;
}

function expectedOrder(filter: (candidate: WorkItem) => boolean): string[] {
  return items.filter(filter).sort((a, b) => (workOrderKey(a) < workOrderKey(b) ? -1 : 1)).map((candidate) => candidate.workItemId);
}

describe('listing work items', () => {
  test('the work-order key is the byQueue index sort key', () => {
    const sample = items[3]!;
    expect(workOrderKey(sample)).toBe(workItemByQueueKeys(sample.tenant, sample.queue, sample.status, priorityKey(sample), sample.createdAt, sample.workItemId).gsi2sk);
  });

  test("without a queue: the coder's queues and active statuses, merged in work order", async () => {
    const store = new InMemoryWorkItems(items);
    const [page] = await everyPage(store, coder, { limit: 100 });
    const expected = expectedOrder((candidate) => candidate.tenant === 'clinic-a' && ['coding', 'clinical'].includes(candidate.queue) && candidate.status !== 'resolved');
    expect(expected).toHaveLength(20);
    expect(page).toEqual(expected);
  });

  test.each([1, 2, 3, 7, 19, 20, 21, 23, 24])('pages of %i hold every item once, in the same order as one page', async (limit) => {
    const store = new InMemoryWorkItems(items);
    const pages = await everyPage(store, supervisor, { limit });
    const all = expectedOrder((candidate) => candidate.tenant === 'clinic-a' && candidate.status !== 'resolved');
    expect(all).toHaveLength(23);
    expect(pages.flat()).toEqual(all);
    for (const page of pages.slice(0, -1)) expect(page).toHaveLength(limit);
    // The last page is full only when nothing is left: no empty page after it.
    expect(pages.at(-1)!.length).toBeGreaterThan(0);
  });

  test('filters: queue, status, payer, reason, assignee (me), age', async () => {
    const store = new InMemoryWorkItems(items);
    const ids = async (query: Omit<WorkItemListQuery, 'cursor' | 'limit'>, actor = coder) => (await everyPage(store, actor, { limit: 4, ...query })).flat();
    expect(await ids({ queue: 'coding', status: 'resolved' })).toEqual(expectedOrder((c) => c.tenant === 'clinic-a' && c.queue === 'coding' && c.status === 'resolved'));
    expect(await ids({ payer: 'TESTPPO01', reason: 'CO-50' })).toEqual(
      expectedOrder((c) => c.tenant === 'clinic-a' && ['coding', 'clinical'].includes(c.queue) && c.status !== 'resolved' && c.payer === 'TESTPPO01' && c.reasonCodes.includes('CO-50')),
    );
    const mine = await ids({ assignee: 'me' });
    expect(mine).toEqual(expectedOrder((c) => c.tenant === 'clinic-a' && ['coding', 'clinical'].includes(c.queue) && c.status !== 'resolved' && c.assignee === 'coder-ann'));
    expect(mine.length).toBeGreaterThan(0);
    // Ages at NOW (2026-07-10 12:00): created 2026-07-0d 08:00 → 9 − d days (rounded down).
    const aged = await ids({ minAgeDays: 5, maxAgeDays: 6 });
    expect(aged).toEqual(
      expectedOrder((c) => {
        const age = Math.floor((NOW.getTime() - Date.parse(c.createdAt)) / 86_400_000);
        return c.tenant === 'clinic-a' && ['coding', 'clinical'].includes(c.queue) && c.status !== 'resolved' && age >= 5 && age <= 6;
      }),
    );
    expect(aged.length).toBeGreaterThan(0);
  });

  test('a queue outside the roles is forbidden', async () => {
    const store = new InMemoryWorkItems(items);
    await expect(listWorkItems(store as unknown as WorkItemStore, coder, { queue: 'billing', limit: 5 }, NOW)).rejects.toBeInstanceOf(WorklistForbiddenError);
    await expect(listWorkItems(store as unknown as WorkItemStore, { ...coder, roles: ['admin'] }, { limit: 5 }, NOW)).rejects.toMatchObject({ reason: 'role' });
  });

  test('a cursor edited, or made for other filters or another tenant, is refused', async () => {
    const store = new InMemoryWorkItems(items);
    const first = await listWorkItems(store as unknown as WorkItemStore, coder, { queue: 'coding', limit: 2 }, NOW);
    expect(first.nextCursor).toBeDefined();
    const cursor = first.nextCursor!;
    const list = (query: Partial<WorkItemListQuery>, actor = coder) => listWorkItems(store as unknown as WorkItemStore, actor, { limit: 2, ...query }, NOW);
    await expect(list({ queue: 'coding', cursor })).resolves.toMatchObject({ items: expect.any(Array) });
    await expect(list({ queue: 'clinical', cursor })).rejects.toBeInstanceOf(WorklistRequestError);
    await expect(list({ queue: 'coding', cursor }, { ...coder, tenant: 'clinic-b' })).rejects.toBeInstanceOf(WorklistRequestError);
    await expect(list({ queue: 'coding', cursor: 'bm90LWpzb24' })).rejects.toBeInstanceOf(WorklistRequestError);
    // The position's id no longer matches its key.
    const decoded = JSON.parse(inflateRawSync(Buffer.from(cursor, 'base64url')).toString('utf8')) as { p: [string, string][] };
    decoded.p[0]![1] = 'clinic-b-f-0000001-denial';
    const edited = deflateRawSync(Buffer.from(JSON.stringify(decoded))).toString('base64url');
    await expect(list({ queue: 'coding', cursor: edited })).rejects.toMatchObject({ issues: [{ path: 'cursor', message: 'not a cursor of this list: start again without one' }] });
  });

  test("a supervisor's cursor over twelve partitions of long remittance ids fits the query schema", () => {
    const hex = (seed: number) => createHash('sha256').update(String(seed)).digest('hex');
    const states = Array.from({ length: 12 }, (_, index) => {
      const workItemId = `demo-billing-${hex(index)}-0000007-denial-demo-billing-${hex(index + 100)}-0000012-coding`;
      return { kind: 'after' as const, position: { workOrderKey: `2026-08-01#9999999990000#2026-07-01T12:00:00.000Z#${workItemId}`, workItemId } };
    });
    const cursor = encodeCursor('f'.repeat(22), states);
    expect(cursor.length).toBeLessThan(4000);
    expect(WorkItemListQuerySchema.safeParse({ cursor }).success).toBe(true);
  });

  test('a summary has no history or tenant, and tells the nearest deadline and the age', () => {
    const summary = summaryOf(item('coding', 'open', { appealDeadline: '2026-09-01', timelyFilingDeadline: '2026-08-15', createdAt: '2026-07-01T12:00:00.000Z' }), NOW);
    expect(summary).not.toHaveProperty('history');
    expect(summary).not.toHaveProperty('tenant');
    expect(summary.nearestDeadline).toBe('2026-08-15');
    expect(summary.ageDays).toBe(9);
  });
});
