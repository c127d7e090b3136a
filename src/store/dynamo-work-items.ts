/**
 * The DynamoDB adapter of {@link WorkItems}: `WORK#<workItemId>` / `WORK`, with the `byQueue` index
 * keys, created only where absent (an existing item may be taken or resolved by now).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { WorkItem, WorkItems } from '../claims/ports.ts';
import { documentClientOf, putAllIfAbsent, DEFAULT_WRITE_CONCURRENCY, type DataItem } from './dynamo-writes.ts';
import { priorityKey } from '../worklist/priority.ts';
import { dataItemTypes, workItemByQueueKeys, workItemKey } from './tables.ts';

export interface DynamoWorkItemsOptions {
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
  writeConcurrency?: number;
}

export class DynamoWorkItems implements WorkItems {
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
}

/** The item of a work item. */
export function workItemItem(item: WorkItem): DataItem {
  return {
    ...workItemKey(item.workItemId),
    ...workItemByQueueKeys(item.tenant, item.queue, item.status, priorityKey(item), item.createdAt, item.workItemId),
    itemType: dataItemTypes.workItem,
    ...item,
  };
}
