/**
 * The DynamoDB adapters of {@link TradingPartners} (a tenant's trading-partner settings,
 * `TENANT#<tenant>` / `TRADING_PARTNER`) and {@link ControlNumbers} (the tenant's outbound sequence,
 * `TENANT#<tenant>` / `COUNTER#outbound`, and what each file was given, `FILE#<fileId>` / `CONTROL#<purpose>`).
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TradingPartnerSettingsSchema, type ControlNumbers, type TradingPartners, type TradingPartnerSettings } from '../claims/ports.ts';
import { documentClientOf } from './dynamo-writes.ts';
import { counterKey, dataItemTypes, fileControlNumberKey, tradingPartnerKey } from './tables.ts';

export interface DynamoTradingPartnersOptions {
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
}

/** Stored settings that no longer pass their schema: names the fields at fault, never their values. */
export class StoredTradingPartnerError extends Error {
  override readonly name = 'StoredTradingPartnerError';
  constructor(
    readonly tenant: string,
    readonly fields: string,
  ) {
    super(`The stored trading-partner settings are invalid (fields: ${fields})`);
  }
}

export class DynamoTradingPartners implements TradingPartners {
  private readonly documentClient: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoTradingPartnersOptions) {
    this.documentClient = documentClientOf(options.client);
    this.tableName = options.tableName;
  }

  async get(tenant: string): Promise<TradingPartnerSettings | undefined> {
    const response = await this.documentClient.send(new GetCommand({ TableName: this.tableName, Key: tradingPartnerKey(tenant) }));
    if (!response.Item) return undefined;
    const result = TradingPartnerSettingsSchema.safeParse(response.Item.settings);
    if (!result.success) throw new StoredTradingPartnerError(tenant, result.error.issues.map((issue) => issue.path.join('.') || '(settings)').join(', '));
    return result.data;
  }

  async put(settings: TradingPartnerSettings): Promise<void> {
    const valid = TradingPartnerSettingsSchema.parse(settings);
    await this.documentClient.send(
      new PutCommand({ TableName: this.tableName, Item: { ...tradingPartnerKey(valid.tenant), itemType: dataItemTypes.tradingPartner, settings: valid } }),
    );
  }
}

/** The one outbound sequence of a tenant (ISA13, GS06 and ST02 all draw from it). */
const OUTBOUND_SEQUENCE = 'outbound';

/**
 * Allocation without transactions, safe to repeat:
 * 1. the file's allocation record, if there is one, is the answer (a retry or a concurrent copy);
 * 2. else the counter advances by `count`, remembering which (file, purpose) advanced it last —
 *    the condition refuses a second advance for the same (file, purpose) in a row, so a crash between
 *    steps 2 and 3 followed by a retry reuses the numbers instead of taking new ones;
 * 3. the allocation record is created if absent; if a concurrent copy created it first, its numbers win
 *    (ours are left unused: a gap in the sequence, never a duplicate).
 */
export class DynamoControlNumbers implements ControlNumbers {
  private readonly documentClient: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoTradingPartnersOptions) {
    this.documentClient = documentClientOf(options.client);
    this.tableName = options.tableName;
  }

  async allocate(tenant: string, fileId: string, purpose: string, count: number): Promise<number> {
    if (!Number.isSafeInteger(count) || count < 1) throw new RangeError('count must be a whole number, 1 or more');
    const allocationKey = fileControlNumberKey(fileId, purpose);
    const existing = await this.allocated(allocationKey);
    if (existing !== undefined) return existing;

    const token = `${fileId}#${purpose}`;
    let first: number;
    try {
      const response = await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: counterKey(tenant, OUTBOUND_SEQUENCE),
          UpdateExpression: 'SET lastAllocation = :token, lastCount = :count, itemType = :itemType ADD #value :count',
          ConditionExpression: 'attribute_not_exists(lastAllocation) OR lastAllocation <> :token',
          ExpressionAttributeNames: { '#value': 'value' },
          ExpressionAttributeValues: { ':token': token, ':count': count, ':itemType': dataItemTypes.counter },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      first = Number(response.Attributes?.value) - count + 1;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // We advanced it last (a crash before step 3): our numbers are the counter's last `count`.
      const counter = await this.documentClient.send(new GetCommand({ TableName: this.tableName, Key: counterKey(tenant, OUTBOUND_SEQUENCE), ConsistentRead: true }));
      first = Number(counter.Item?.value) - Number(counter.Item?.lastCount) + 1;
    }

    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...allocationKey, itemType: dataItemTypes.fileControlNumber, first, count },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return first;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const winner = await this.allocated(allocationKey);
    if (winner === undefined) throw new Error('A control-number allocation vanished after a conflict');
    return winner;
  }

  private async allocated(key: { pk: string; sk: string }): Promise<number | undefined> {
    const response = await this.documentClient.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    const first: unknown = response.Item?.first;
    return typeof first === 'number' ? first : undefined;
  }
}
