/**
 * The DynamoDB adapter of {@link FileRecords}: the file record (`FILE#<fileId>` / `FILE`) and the
 * registry of senders' interchange control numbers (`TENANT#…#SENDER#<ISA05>:<ISA06>` / `ISA13#…`).
 * Single-item conditional writes only (no transactions: dynalite has none, and none are needed).
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FileRecord, FileRecords, FileStatus, FileSummary, InterchangeRegistration } from '../claims/ports.ts';
import { documentClientOf, type DataItem } from './dynamo-writes.ts';
import { dataItemTypes, fileRecordKey, interchangeSeenKey } from './tables.ts';

export interface DynamoFileRecordsOptions {
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
}

const DAY_MS = 86_400_000;
/** A registry entry is kept a little longer than the duplicate window, then DynamoDB's TTL may drop it. */
const REGISTRY_EXTRA_DAYS = 30;

/** A stored record that is not what this adapter writes (a bug or a hand edit): say where, not what. */
export class StoredFileRecordError extends Error {
  override readonly name = 'StoredFileRecordError';
  constructor(readonly fileId: string) {
    super('The stored file record is incomplete');
  }
}

export class DynamoFileRecords implements FileRecords {
  private readonly documentClient: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoFileRecordsOptions) {
    this.documentClient = documentClientOf(options.client);
    this.tableName = options.tableName;
  }

  async begin(record: FileRecord): Promise<FileRecord> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...fileRecordKey(record.fileId), itemType: dataItemTypes.file, ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return record;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const stored = await this.get(record.fileId);
    if (!stored) throw new StoredFileRecordError(record.fileId);
    return stored;
  }

  async finish(fileId: string, status: Exclude<FileStatus, 'processing'>, summary: FileSummary): Promise<void> {
    await this.documentClient.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: fileRecordKey(fileId),
        UpdateExpression: 'SET #status = :status, #summary = :summary',
        // A final status is never replaced by another one (two copies compute the same anyway).
        ConditionExpression: 'attribute_exists(pk) AND (#status = :processing OR #status = :status)',
        ExpressionAttributeNames: { '#status': 'status', '#summary': 'summary' },
        ExpressionAttributeValues: { ':status': status, ':summary': summary, ':processing': 'processing' },
      }),
    );
  }

  /** The record of a file, read consistently; undefined when there is none. */
  async get(fileId: string): Promise<FileRecord | undefined> {
    const response = await this.documentClient.send(new GetCommand({ TableName: this.tableName, Key: fileRecordKey(fileId), ConsistentRead: true }));
    const item = response.Item;
    if (!item) return undefined;
    if (typeof item.fileId !== 'string' || typeof item.tenant !== 'string' || typeof item.status !== 'string' || typeof item.receivedAt !== 'string' || typeof item.sourceKey !== 'string') {
      throw new StoredFileRecordError(fileId);
    }
    return {
      fileId: item.fileId,
      tenant: item.tenant,
      sourceKey: item.sourceKey,
      receivedAt: item.receivedAt,
      status: item.status as FileStatus,
      ...(item.summary ? { summary: item.summary as FileSummary } : {}),
    };
  }

  async registerInterchange(input: Parameters<FileRecords['registerInterchange']>[0]): Promise<InterchangeRegistration> {
    const key = interchangeSeenKey(input.tenant, input.senderQualifier, input.senderId, input.controlNumber);
    const windowStart = new Date(Date.parse(input.at) - input.windowDays * DAY_MS).toISOString();
    const item: DataItem = {
      ...key,
      itemType: dataItemTypes.interchangeSeen,
      fileId: input.fileId,
      seenAt: input.at,
      expiresAt: Math.floor((Date.parse(input.at) + (input.windowDays + REGISTRY_EXTRA_DAYS) * DAY_MS) / 1000),
    };
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          // Free, ours already, or last used by another file before the window: take it.
          ConditionExpression: 'attribute_not_exists(pk) OR fileId = :fileId OR seenAt < :windowStart',
          ExpressionAttributeValues: { ':fileId': input.fileId, ':windowStart': windowStart },
        }),
      );
      return { kind: 'registered' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const stored = await this.documentClient.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return { kind: 'duplicate', usedByFileId: String(stored.Item?.fileId ?? '') };
  }
}
