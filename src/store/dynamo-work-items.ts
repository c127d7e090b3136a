/**
 * The DynamoDB adapter of the work items: {@link WorkItems} for ingest (created only where absent — an
 * existing item may be taken or resolved by now) and {@link WorkItemStore} for the worklist (read, page
 * in work order, change conditionally).
 *
 * One item per work item, `WORK#<workItemId>` / `WORK`, carrying the `byQueue` index keys (tenant,
 * queue and status; work order) always, the `byAssignee` keys (tenant, owner) while it has an owner,
 * and the coder's correction draft (`correction`) when there is one. A change rewrites the item with
 * UpdateItem on the condition that its revision is the one read: its index keys move with its status,
 * priority and owner in the same single-item write, and of two writers exactly one wins.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { WorkItemSchema } from '../../schemas/work-item.schema.ts';
import { CorrectionDraftSchema } from '../../schemas/worklist-api.schema.ts';
import type { WorkItem, WorkItems } from '../claims/ports.ts';
import { WorkItemRevisionConflictError } from '../worklist/errors.ts';
import { matchesFilter, workOrderKey } from '../worklist/list.ts';
import type { WorkItemFilter, WorkItemPage, WorkItemPartition, WorkItemPosition, WorkItemRecord, WorkItemStore } from '../worklist/ports.ts';
import { priorityKey } from '../worklist/priority.ts';
import { documentClientOf, putAllIfAbsent, DEFAULT_WRITE_CONCURRENCY, type DataItem } from './dynamo-writes.ts';
import { dataItemTypes, dataTable, workItemByAssigneeKeys, workItemByQueueKeys, workItemKey } from './tables.ts';

export interface DynamoWorkItemsOptions {
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
  writeConcurrency?: number;
}

/** A stored work item that no longer passes its schema: names the item and the fields, never values. */
export class StoredWorkItemError extends Error {
  override readonly name = 'StoredWorkItemError';
  constructor(
    readonly workItemId: string,
    readonly fields: string,
  ) {
    super(`The stored work item ${workItemId} is invalid (fields: ${fields})`);
  }
}

/** An index of the data table, by a name its definition must hold (checked when compiling). */
function indexOf(name: (typeof dataTable.globalSecondaryIndexes)[number]['indexName']): string {
  return name;
}
const BY_QUEUE = indexOf('byQueue');
const BY_ASSIGNEE = indexOf('byAssignee');
/** Items read per Query round (a page of the API is at most 100 items). */
const QUERY_PAGE_SIZE = 100;
/** One user's items, read whole to order them: far more than a person can hold at once. */
const MAX_ASSIGNED_ITEMS = 5_000;
/** The draft's attribute on the item. */
const CORRECTION_ATTRIBUTE = 'correction';
/**
 * Attributes a change may remove: the work item's optional fields (read from its schema, so a new
 * optional field is handled without touching this file), the owner's index keys, and the draft.
 */
const REMOVABLE_ATTRIBUTES: readonly string[] = [
  ...Object.entries(WorkItemSchema.shape)
    .filter(([, schema]) => schema.safeParse(undefined).success)
    .map(([name]) => name),
  'gsi3pk',
  'gsi3sk',
  CORRECTION_ATTRIBUTE,
];

/**
 * @example
 * const workItems = new DynamoWorkItems({ client: clients.dynamo, tableName: config.DATA_TABLE });
 * const record = await workItems.get(tenant, workItemId);
 */
export class DynamoWorkItems implements WorkItems, WorkItemStore {
  private readonly documentClient: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly writeConcurrency: number;

  constructor(options: DynamoWorkItemsOptions) {
    this.documentClient = documentClientOf(options.client);
    this.tableName = options.tableName;
    this.writeConcurrency = options.writeConcurrency ?? DEFAULT_WRITE_CONCURRENCY;
  }

  createMany(items: readonly WorkItem[]): Promise<number> {
    return putAllIfAbsent(this.documentClient, this.tableName, items.map(workItemItem), this.writeConcurrency);
  }

  async get(tenant: string, workItemId: string): Promise<WorkItemRecord | undefined> {
    // Strongly consistent: the revision read is the one a change is conditioned on.
    const response = await this.documentClient.send(new GetCommand({ TableName: this.tableName, Key: workItemKey(workItemId), ConsistentRead: true }));
    if (!response.Item || response.Item.tenant !== tenant) return undefined;
    return recordOf(response.Item, workItemId);
  }

  async page(tenant: string, partition: WorkItemPartition, options: { filter: WorkItemFilter; after?: WorkItemPosition; limit: number }): Promise<WorkItemPage> {
    const { filter, after, limit } = options;
    if (partition.index === 'assignee') return this.assignedPage(tenant, partition.assignee, filter, after, limit);

    const { gsi2pk } = workItemByQueueKeys(tenant, partition.queue, partition.status, '', '', '');
    // One more than asked: whether anything follows the page is then known without another request.
    const wanted = limit + 1;
    const matching: WorkItem[] = [];
    let start: Record<string, NativeAttributeValue> | undefined = after ? { ...workItemKey(after.workItemId), gsi2pk, gsi2sk: after.workOrderKey } : undefined;
    do {
      const response = await this.documentClient.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: BY_QUEUE,
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': gsi2pk },
          ExclusiveStartKey: start,
          Limit: QUERY_PAGE_SIZE,
        }),
      );
      for (const raw of response.Items ?? []) {
        const item = recordOf(raw, String(raw.workItemId ?? raw.pk)).item;
        if (item.tenant === tenant && matchesFilter(item, filter)) matching.push(item);
        if (matching.length === wanted) break;
      }
      start = response.LastEvaluatedKey;
    } while (start !== undefined && matching.length < wanted);
    return { items: matching.slice(0, limit), exhausted: matching.length <= limit };
  }

  async update(record: WorkItemRecord, expectedRevision: number): Promise<void> {
    const { item } = record;
    if (item.revision !== expectedRevision + 1) throw new RangeError('a work item change must raise its revision by one');
    const attributes: DataItem = {
      ...workItemItem(item),
      ...(item.assignee !== undefined ? workItemByAssigneeKeys(item.tenant, item.assignee, item.createdAt, item.workItemId) : {}),
      ...(record.correction ? { [CORRECTION_ATTRIBUTE]: record.correction } : {}),
    };
    const names: Record<string, string> = { '#revision': 'revision', '#tenant': 'tenant' };
    const values: Record<string, NativeAttributeValue> = { ':expected': expectedRevision, ':tenant': item.tenant };
    const sets: string[] = [];
    let index = 0;
    for (const [name, value] of Object.entries(attributes)) {
      if (name === 'pk' || name === 'sk' || value === undefined) continue;
      names[`#a${index}`] = name;
      values[`:a${index}`] = value;
      sets.push(`#a${index} = :a${index}`);
      index++;
    }
    const removes = REMOVABLE_ATTRIBUTES.filter((name) => attributes[name] === undefined).map((name) => {
      names[`#a${index}`] = name;
      return `#a${index++}`;
    });
    try {
      await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: workItemKey(item.workItemId),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: 'attribute_exists(pk) AND #revision = :expected AND #tenant = :tenant',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new WorkItemRevisionConflictError(item.workItemId, expectedRevision);
      throw error;
    }
  }

  /** A user's items: the whole (small) `byAssignee` partition, filtered and put in work order. */
  private async assignedPage(tenant: string, assignee: string, filter: WorkItemFilter, after: WorkItemPosition | undefined, limit: number): Promise<WorkItemPage> {
    const { gsi3pk } = workItemByAssigneeKeys(tenant, assignee, '', '');
    const items: WorkItem[] = [];
    let start: Record<string, NativeAttributeValue> | undefined;
    do {
      const response = await this.documentClient.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: BY_ASSIGNEE,
          KeyConditionExpression: 'gsi3pk = :pk',
          ExpressionAttributeValues: { ':pk': gsi3pk },
          ExclusiveStartKey: start,
        }),
      );
      for (const raw of response.Items ?? []) {
        const item = recordOf(raw, String(raw.workItemId ?? raw.pk)).item;
        if (item.tenant === tenant && matchesFilter(item, filter)) items.push(item);
      }
      start = response.LastEvaluatedKey;
    } while (start !== undefined && items.length < MAX_ASSIGNED_ITEMS);
    const ordered = items.map((item) => ({ item, key: workOrderKey(item) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const following = after ? ordered.filter((entry) => entry.key > after.workOrderKey) : ordered;
    return { items: following.slice(0, limit).map((entry) => entry.item), exhausted: following.length <= limit };
  }
}

/** The item of a work item (ingest's shape: the `byQueue` keys, no owner, no draft). */
export function workItemItem(item: WorkItem): DataItem {
  return {
    ...workItemKey(item.workItemId),
    ...workItemByQueueKeys(item.tenant, item.queue, item.status, priorityKey(item), item.createdAt, item.workItemId),
    itemType: dataItemTypes.workItem,
    ...item,
  };
}

/** A stored item as a record: validated (unknown attributes such as keys dropped). */
function recordOf(raw: Record<string, NativeAttributeValue>, workItemId: string): WorkItemRecord {
  const item = WorkItemSchema.safeParse(raw);
  if (!item.success) throw new StoredWorkItemError(workItemId, fieldsOf(item.error.issues, ''));
  if (raw[CORRECTION_ATTRIBUTE] === undefined) return { item: item.data };
  const correction = CorrectionDraftSchema.safeParse(raw[CORRECTION_ATTRIBUTE]);
  if (!correction.success) throw new StoredWorkItemError(workItemId, fieldsOf(correction.error.issues, `${CORRECTION_ATTRIBUTE}.`));
  return { item: item.data, correction: correction.data };
}

function fieldsOf(issues: readonly { path: readonly PropertyKey[] }[], prefix: string): string {
  return [...new Set(issues.map((issue) => `${prefix}${issue.path.map(String).join('.')}` || '(item)'))].join(', ');
}
