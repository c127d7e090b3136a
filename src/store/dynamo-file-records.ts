/**
 * The DynamoDB adapter of {@link ChunkedFileRecords}: the file record (`FILE#<fileId>` / `FILE`) and the
 * registry of senders' interchange control numbers (`TENANT#…#SENDER#<ISA05>:<ISA06>` / `ISA13#…`).
 * Single-item conditional writes only (no transactions: dynalite has none, and none are needed).
 *
 * A split file's record also holds `splitTargetBytes` and `chunks` (its plan), `splitWritten`,
 * `chunksDone` (a number set of the chunks finished: ADD of a set is idempotent, where a counter would
 * count a retried chunk twice), `sourceKeys` (a string set of the keys the file was delivered under) and
 * `assembler` (who took the assembly).
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ChunkedFileRecords, ChunkProgress, FileRecord, FileRecords, FileStatus, FileSummary, InterchangeRegistration, SplitPlanRecord } from '../claims/ports.ts';
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

export class DynamoFileRecords implements ChunkedFileRecords {
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
      ...(typeof item.splitTargetBytes === 'number' && typeof item.chunks === 'number' ? { split: { targetBytes: item.splitTargetBytes, chunks: item.chunks } } : {}),
      ...(item.splitWritten === true ? { splitWritten: true } : {}),
      ...(item.sourceKeys instanceof Set ? { sourceKeys: [...(item.sourceKeys as Set<string>)].sort() } : {}),
    };
  }

  async planSplit(fileId: string, plan: SplitPlanRecord): Promise<SplitPlanRecord> {
    try {
      await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: fileRecordKey(fileId),
          UpdateExpression: 'SET splitTargetBytes = :targetBytes, #chunks = :chunks',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#chunks)',
          ExpressionAttributeNames: { '#chunks': 'chunks' },
          ExpressionAttributeValues: { ':targetBytes': plan.targetBytes, ':chunks': plan.chunks },
        }),
      );
      return plan;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const recorded = (await this.get(fileId))?.split;
    if (!recorded) throw new StoredFileRecordError(fileId);
    return recorded;
  }

  async recordSplit(fileId: string, sourceKey: string): Promise<ChunkProgress> {
    const response = await this.documentClient.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: fileRecordKey(fileId),
        UpdateExpression: 'SET splitWritten = :written ADD sourceKeys :sourceKey',
        ConditionExpression: 'attribute_exists(#chunks)',
        ExpressionAttributeNames: { '#chunks': 'chunks' },
        ExpressionAttributeValues: { ':written': true, ':sourceKey': new Set([sourceKey]) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return progressOf(fileId, response.Attributes);
  }

  async finishChunk(fileId: string, chunk: number): Promise<ChunkProgress> {
    const response = await this.documentClient.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: fileRecordKey(fileId),
        UpdateExpression: 'ADD chunksDone :chunk',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':chunk': new Set([chunk]) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return progressOf(fileId, response.Attributes);
  }

  async claimAssembly(fileId: string, assembler: string): Promise<boolean> {
    try {
      await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: fileRecordKey(fileId),
          UpdateExpression: 'SET assembler = :assembler',
          // Free, or ours already (our own retry after a crash); never while or after another assembles.
          ConditionExpression: 'attribute_exists(pk) AND #status = :processing AND (attribute_not_exists(assembler) OR assembler = :assembler)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':assembler': assembler, ':processing': 'processing' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
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

/** The progress of a split file from its record's attributes. */
function progressOf(fileId: string, item: Record<string, unknown> | undefined): ChunkProgress {
  if (!item || typeof item.status !== 'string') throw new StoredFileRecordError(fileId);
  return {
    status: item.status as FileStatus,
    ...(typeof item.chunks === 'number' ? { chunks: item.chunks } : {}),
    finished: item.chunksDone instanceof Set ? item.chunksDone.size : 0,
  };
}
