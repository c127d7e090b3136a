/**
 * Writes shared by the pipeline's DynamoDB adapters: create-if-absent puts with bounded concurrency
 * (the one write that never overwrites later state), and BatchWriteItem in 25s for items that are a
 * pure function of their key (rewriting them changes nothing).
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';

/** An item of the data table. */
export type DataItem = Record<string, NativeAttributeValue>;

/** Writes in flight at once per adapter call (dynalite and DynamoDB both scale past this; Lambda's sockets are 50). */
export const DEFAULT_WRITE_CONCURRENCY = 16;
/** BatchWriteItem takes at most 25 requests. */
const BATCH_WRITE_LIMIT = 25;
/** Unprocessed items are sent again after a pause that grows, up to this many rounds. */
const BATCH_WRITE_MAX_ROUNDS = 8;

/**
 * The document client over an injected client. Undefined attributes (optional model fields) are
 * dropped instead of refused.
 */
export function documentClientOf(client: DynamoDBClient | DynamoDBDocumentClient): DynamoDBDocumentClient {
  if (client instanceof DynamoDBDocumentClient) return client;
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true } });
}

/**
 * Put each item unless an item with its key exists (an existing one is left exactly as it is);
 * returns how many were written.
 */
export async function putAllIfAbsent(documentClient: DynamoDBDocumentClient, tableName: string, items: readonly DataItem[], concurrency = DEFAULT_WRITE_CONCURRENCY): Promise<number> {
  let written = 0;
  await forEachConcurrently(items, concurrency, async (item) => {
    if (await putIfAbsent(documentClient, tableName, item)) written++;
  });
  return written;
}

/** PutItem if the key is free; false when an item is there already. */
export async function putIfAbsent(documentClient: DynamoDBDocumentClient, tableName: string, item: DataItem): Promise<boolean> {
  try {
    await documentClient.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * BatchWriteItem in requests of 25, `concurrency` requests in flight, unprocessed items retried with
 * backoff. Only for items that no later step changes: a batch write overwrites unconditionally.
 */
export async function batchPut(documentClient: DynamoDBDocumentClient, tableName: string, items: readonly DataItem[], concurrency = DEFAULT_WRITE_CONCURRENCY): Promise<void> {
  const batches: DataItem[][] = [];
  for (let start = 0; start < items.length; start += BATCH_WRITE_LIMIT) batches.push(items.slice(start, start + BATCH_WRITE_LIMIT));
  await forEachConcurrently(batches, concurrency, async (batch) => {
    let requests = batch.map((item) => ({ PutRequest: { Item: item } }));
    for (let round = 0; requests.length > 0; round++) {
      if (round >= BATCH_WRITE_MAX_ROUNDS) throw new Error(`BatchWriteItem left items unprocessed after ${BATCH_WRITE_MAX_ROUNDS} rounds`);
      if (round > 0) await backOff(round);
      const response = await documentClient.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (response.UnprocessedItems?.[tableName] ?? []).flatMap((request) => (request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : []));
    }
  });
}

/** Run `work` over `items` with at most `limit` in flight; rejects with the first failure after all settle. */
export async function forEachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async (): Promise<void> => {
    // After a failure no new item starts: the caller hears of it without waiting for the rest.
    while (next < items.length && failures.length === 0) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failures.length > 0) throw failures[0];
}

/** The pause before retry `round` (1, 2, …) of items DynamoDB left unprocessed: 100 ms, doubled each round. */
export function backOff(round: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
}
