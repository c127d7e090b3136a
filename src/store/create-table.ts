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
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from './tables.ts';

/** Seconds to wait for a new table to become ACTIVE (local servers take well under one). */
const MAX_WAIT_SECONDS = 30;

/**
 * Create the table `name` with `definition`'s keys unless it exists, and wait until it is ACTIVE.
 * Safe to repeat.
 *
 * @example
 * await ensureTable(client, rulesTable, rulesTable.defaultName);
 */
export async function ensureTable(client: DynamoDBClient, definition: TableDefinition, name: string): Promise<void> {
  const keys = definition.sortKey ? [definition.partitionKey, definition.sortKey] : [definition.partitionKey];
  const attributeDefinitions: AttributeDefinition[] = keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type }));
  const keySchema: KeySchemaElement[] = keys.map((key, index) => ({ AttributeName: key.name, KeyType: index === 0 ? 'HASH' : 'RANGE' }));
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: attributeDefinitions,
        KeySchema: keySchema,
        BillingMode: definition.billingMode,
      }),
    );
  } catch (error) {
    // Already there (or being created by a concurrent caller): wait for it like for our own.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: MAX_WAIT_SECONDS, minDelay: 1 }, { TableName: name });
}
