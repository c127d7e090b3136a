/**
 * Creates a table from its definition in `tables.ts`, where nothing else does it: on a local
 * DynamoDB-compatible server (tests, `npm start`). On AWS the CDK stacks create the tables.
 */
import {
  CreateTableCommand,
  ResourceInUseException,
  waitUntilTableExists,
  type AttributeDefinition,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import type { KeyAttribute, TableDefinition, TableWithIndexesDefinition } from './tables.ts';

/** Seconds to wait for a new table to become ACTIVE (local servers take well under one). */
const MAX_WAIT_SECONDS = 30;

/**
 * Create the table `name` with `definition`'s keys and global secondary indexes unless it exists, and
 * wait until it is ACTIVE. Safe to repeat (an existing table is left as it is, indexes included).
 *
 * A definition's TTL attribute is not set here: the local server (dynalite) has no UpdateTimeToLive and
 * never expires items, and nothing local depends on expiry; on AWS the CDK stacks enable it.
 *
 * @example
 * await ensureTable(client, rulesTable, rulesTable.defaultName);
 */
export async function ensureTable(client: DynamoDBClient, definition: TableDefinition | TableWithIndexesDefinition, name: string): Promise<void> {
  const indexes = ('globalSecondaryIndexes' in definition ? definition.globalSecondaryIndexes : undefined) ?? [];
  // Every key attribute of the table and of its indexes is declared once (DynamoDB refuses repeats).
  const attributes = new Map<string, KeyAttribute>();
  const declare = (key: KeyAttribute | undefined): void => {
    if (key !== undefined) attributes.set(key.name, key);
  };
  declare(definition.partitionKey);
  declare(definition.sortKey);
  for (const index of indexes) {
    declare(index.partitionKey);
    declare(index.sortKey);
  }
  const attributeDefinitions: AttributeDefinition[] = [...attributes.values()].map((key) => ({ AttributeName: key.name, AttributeType: key.type }));
  const globalSecondaryIndexes: GlobalSecondaryIndex[] = indexes.map((index) => ({
    IndexName: index.indexName,
    KeySchema: keySchemaOf(index.partitionKey, index.sortKey),
    Projection: { ProjectionType: index.projection },
  }));
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: attributeDefinitions,
        KeySchema: keySchemaOf(definition.partitionKey, definition.sortKey),
        BillingMode: definition.billingMode,
        ...(globalSecondaryIndexes.length > 0 ? { GlobalSecondaryIndexes: globalSecondaryIndexes } : {}),
      }),
    );
  } catch (error) {
    // Already there (or being created by a concurrent caller): wait for it like for our own.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: MAX_WAIT_SECONDS, minDelay: 1 }, { TableName: name });
}

/** A key schema: the partition (HASH) key, then the sort (RANGE) key when there is one. */
function keySchemaOf(partitionKey: KeyAttribute, sortKey: KeyAttribute | undefined): KeySchemaElement[] {
  const keySchema: KeySchemaElement[] = [{ AttributeName: partitionKey.name, KeyType: 'HASH' }];
  if (sortKey !== undefined) keySchema.push({ AttributeName: sortKey.name, KeyType: 'RANGE' });
  return keySchema;
}
