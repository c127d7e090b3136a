/**
 * The DynamoDB adapters of the remittance ports (src/remits/ports.ts), on the data table:
 * - {@link DynamoClaimLookup}: claims by (tenant, first 20 characters of CLM01) through the KEYS_ONLY
 *   GSI `byPatientControlNumber`, then the items themselves (BatchGetItem, consistent);
 * - {@link DynamoPostings}: `CLAIM#<claimId>` / `POSTING#<remittanceId>#<position>` created only where
 *   absent, and the claim item's `adjudication`, written only over one summed from fewer postings;
 * - {@link DynamoRemittances}: `REMIT#<remittanceId>` / `REMIT` (summary) and `CP#<position>` (claim
 *   payments, create-if-absent), and the trace registry `TENANT#…#PAYER#<payer>` / `TRN#<TRN02>`.
 *
 * Single-item conditional writes only: no transactions (dynalite has none, and none are needed).
 * Items read back are checked with the schemas they were written from; a malformed one is reported by
 * its key, never its content.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { ClaimSchema } from '../../schemas/claim.schema.ts';
import { FindingSchema } from '../../schemas/finding.schema.ts';
import { ClaimAdjudicationSchema, PostingSchema, type ClaimAdjudication, type Posting } from '../../schemas/posting.schema.ts';
import { z } from 'zod';
import type { StoredClaimStatus } from '../claims/ports.ts';
import {
  ClaimPaymentRecordSchema,
  type ClaimLookup,
  type ClaimOnFile,
  type ClaimPaymentRecord,
  type Postings,
  type RemittanceRecord,
  type Remittances,
  type TraceRegistration,
  type TraceRegistrationInput,
} from '../remits/ports.ts';
import { backOff, documentClientOf, forEachConcurrently, putAllIfAbsent, putIfAbsent, DEFAULT_WRITE_CONCURRENCY, type DataItem } from './dynamo-writes.ts';
import { claimKey, claimPaymentKey, claimsByPatientControlNumberPartition, dataItemTypes, dataTable, postingKey, remittanceKey, traceSeenKey, type DataKey } from './tables.ts';

export interface DynamoRemittanceAdaptersOptions {
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
  writeConcurrency?: number;
}

/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_LIMIT = 100;
/** Unprocessed keys are asked again after a pause that grows, up to this many rounds. */
const BATCH_GET_MAX_ROUNDS = 8;
/** The GSI the claims are found by. */
const PATIENT_CONTROL_NUMBER_INDEX = dataTable.globalSecondaryIndexes[0].indexName;
/** Sort key prefix of a claim's postings in its partition. */
const POSTING_SORT_KEY_PREFIX = 'POSTING#';
/** Attribute of the claim item: how many postings its `adjudication` sums (the guard of concurrent writers). */
const ADJUDICATION_POSTINGS_ATTRIBUTE = 'adjudicationPostings';

/** The statuses ingest-claims stores (`StoredClaimStatus`). */
const StoredClaimStatusSchema = z.enum(['accepted', 'held'] satisfies StoredClaimStatus[]);

/** A stored item is not what these adapters write (a bug or a hand edit): say which key, not what it holds. */
export class StoredRemittanceItemError extends Error {
  override readonly name = 'StoredRemittanceItemError';
  constructor(
    readonly key: DataKey,
    readonly problem: string,
  ) {
    super(`The stored item ${key.pk} / ${key.sk} is malformed: ${problem}`);
  }
}

// ── Claims ──────────────────────────────────────────────────────────────────────────────────────────

/**
 * @example
 * const claims = new DynamoClaimLookup({ client: clients.dynamo, tableName: config.DATA_TABLE });
 * const candidates = await claims.candidates('demo-billing', 'CPP001000000005');
 */
export class DynamoClaimLookup implements ClaimLookup {
  private readonly documentClient: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoRemittanceAdaptersOptions) {
    this.documentClient = documentClientOf(options.client);
    this.tableName = options.tableName;
  }

  async candidates(tenant: string, patientControlNumber: string): Promise<ClaimOnFile[]> {
    const keys: DataKey[] = [];
    let start: Record<string, NativeAttributeValue> | undefined;
    do {
      const page = await this.documentClient.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: PATIENT_CONTROL_NUMBER_INDEX,
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': claimsByPatientControlNumberPartition(tenant, patientControlNumber) },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) keys.push({ pk: String(item.pk), sk: String(item.sk) });
      start = page.LastEvaluatedKey;
    } while (start);
    const claims = (await batchGet(this.documentClient, this.tableName, keys)).map(claimOnFileOf).filter((claim) => claim.tenant === tenant);
    // Oldest first, as the index orders them (received time, then claim id).
    return claims.sort((a, b) => (a.receivedAt === b.receivedAt ? (a.claimId < b.claimId ? -1 : 1) : a.receivedAt < b.receivedAt ? -1 : 1));
  }

  async get(claimIds: readonly string[]): Promise<ClaimOnFile[]> {
    const items = await batchGet(this.documentClient, this.tableName, [...new Set(claimIds)].map(claimKey));
    return items.map(claimOnFileOf);
  }
}

/** A claim item as matching reads it. */
function claimOnFileOf(item: Record<string, NativeAttributeValue>): ClaimOnFile {
  const key = { pk: String(item.pk), sk: String(item.sk) };
  const claim = ClaimSchema.safeParse(item.claim);
  if (!claim.success) throw new StoredRemittanceItemError(key, 'its claim is not a valid claim');
  if (typeof item.claimId !== 'string' || typeof item.tenant !== 'string' || typeof item.fileId !== 'string' || typeof item.receivedAt !== 'string' || typeof item.position !== 'number') {
    throw new StoredRemittanceItemError(key, 'its ids are missing');
  }
  const findings = FindingSchema.array().safeParse(item.findings ?? []);
  if (!findings.success) throw new StoredRemittanceItemError(key, 'its findings are not valid findings');
  const status = StoredClaimStatusSchema.safeParse(item.status);
  if (!status.success) throw new StoredRemittanceItemError(key, 'its status is not a claim status');
  const stored: ClaimOnFile = {
    claimId: item.claimId,
    tenant: item.tenant,
    fileId: item.fileId,
    position: item.position,
    receivedAt: item.receivedAt,
    status: status.data,
    claim: claim.data,
    findings: findings.data,
  };
  if (item.adjudication !== undefined) {
    const adjudication = ClaimAdjudicationSchema.safeParse(item.adjudication);
    if (!adjudication.success) throw new StoredRemittanceItemError(key, 'its adjudication is not valid');
    stored.adjudication = adjudication.data;
  }
  return stored;
}

// ── Postings ────────────────────────────────────────────────────────────────────────────────────────

export class DynamoPostings implements Postings {
  private readonly documentClient: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly writeConcurrency: number;

  constructor(options: DynamoRemittanceAdaptersOptions) {
    this.documentClient = documentClientOf(options.client);
    this.tableName = options.tableName;
    this.writeConcurrency = options.writeConcurrency ?? DEFAULT_WRITE_CONCURRENCY;
  }

  createMany(postings: readonly Posting[]): Promise<number> {
    return putAllIfAbsent(this.documentClient, this.tableName, postings.map(postingItem), this.writeConcurrency);
  }

  async listForClaim(claimId: string): Promise<Posting[]> {
    const postings: Posting[] = [];
    let start: Record<string, NativeAttributeValue> | undefined;
    do {
      const page = await this.documentClient.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': claimKey(claimId).pk, ':prefix': POSTING_SORT_KEY_PREFIX },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const posting = PostingSchema.safeParse(item);
        if (!posting.success) throw new StoredRemittanceItemError({ pk: String(item.pk), sk: String(item.sk) }, 'not a valid posting');
        postings.push(posting.data);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return postings;
  }

  async writeAdjudication(claimId: string, adjudication: ClaimAdjudication): Promise<boolean> {
    try {
      await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: claimKey(claimId),
          UpdateExpression: 'SET #adjudication = :adjudication, #count = :count',
          // Only over an adjudication of as many postings or fewer: two files posting to one claim at
          // once each sum what they see, and the sum that saw more postings is the one that stays.
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#count) OR #count <= :count)',
          ExpressionAttributeNames: { '#adjudication': 'adjudication', '#count': ADJUDICATION_POSTINGS_ATTRIBUTE },
          ExpressionAttributeValues: { ':adjudication': adjudication, ':count': adjudication.postingIds.length },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

/** The item of a posting. */
export function postingItem(posting: Posting): DataItem {
  return { ...postingKey(posting.claimId, posting.remittanceId, posting.claimPaymentPosition), itemType: dataItemTypes.posting, ...posting };
}

// ── Remittances ─────────────────────────────────────────────────────────────────────────────────────

export class DynamoRemittances implements Remittances {
  private readonly documentClient: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly writeConcurrency: number;

  constructor(options: DynamoRemittanceAdaptersOptions) {
    this.documentClient = documentClientOf(options.client);
    this.tableName = options.tableName;
    this.writeConcurrency = options.writeConcurrency ?? DEFAULT_WRITE_CONCURRENCY;
  }

  async registerTrace(input: TraceRegistrationInput): Promise<TraceRegistration> {
    const key = traceSeenKey(input.tenant, input.payer, input.traceNumber);
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, itemType: dataItemTypes.traceSeen, tenant: input.tenant, payer: input.payer, traceNumber: input.traceNumber.trim(), fileId: input.fileId, seenAt: input.at },
          // Free, ours already, or given back by a file that was rejected: take it.
          ConditionExpression: 'attribute_not_exists(pk) OR fileId = :fileId OR attribute_exists(releasedAt)',
          ExpressionAttributeValues: { ':fileId': input.fileId },
        }),
      );
      return { kind: 'registered' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const stored = await this.documentClient.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return { kind: 'duplicate', usedByFileId: String(stored.Item?.fileId ?? '') };
  }

  async releaseTrace(input: TraceRegistrationInput): Promise<void> {
    try {
      await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: traceSeenKey(input.tenant, input.payer, input.traceNumber),
          UpdateExpression: 'SET releasedAt = :at',
          // Only our own registration: another file's is not ours to give back.
          ConditionExpression: 'fileId = :fileId',
          ExpressionAttributeValues: { ':fileId': input.fileId, ':at': input.at },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async claimPaymentsOf(remittanceId: string, positions: readonly number[]): Promise<ClaimPaymentRecord[]> {
    const items = await batchGet(this.documentClient, this.tableName, positions.map((position) => claimPaymentKey(remittanceId, position)));
    return items.map(claimPaymentRecordOf).sort((a, b) => a.position - b.position);
  }

  async recordClaimPayments(records: readonly ClaimPaymentRecord[]): Promise<ClaimPaymentRecord[]> {
    const kept: ClaimPaymentRecord[] = [...records];
    await forEachConcurrently(
      records.map((record, index) => ({ record, index })),
      this.writeConcurrency,
      async ({ record, index }) => {
        if (await putIfAbsent(this.documentClient, this.tableName, claimPaymentItem(record))) return;
        // A concurrent copy stored its decision first: that one stands.
        const stored = await this.documentClient.send(new GetCommand({ TableName: this.tableName, Key: claimPaymentKey(record.remittanceId, record.position), ConsistentRead: true }));
        if (!stored.Item) throw new StoredRemittanceItemError(claimPaymentKey(record.remittanceId, record.position), 'it vanished after a conditional write refused to replace it');
        kept[index] = claimPaymentRecordOf(stored.Item);
      },
    );
    return kept;
  }

  async putSummary(record: RemittanceRecord): Promise<void> {
    await this.documentClient.send(new PutCommand({ TableName: this.tableName, Item: { ...remittanceKey(record.remittanceId), itemType: dataItemTypes.remittance, ...record } }));
  }
}

/** The item of a claim payment record. */
export function claimPaymentItem(record: ClaimPaymentRecord): DataItem {
  return { ...claimPaymentKey(record.remittanceId, record.position), itemType: dataItemTypes.claimPayment, ...record };
}

function claimPaymentRecordOf(item: Record<string, NativeAttributeValue>): ClaimPaymentRecord {
  const record = ClaimPaymentRecordSchema.safeParse(item);
  if (!record.success) throw new StoredRemittanceItemError({ pk: String(item.pk), sk: String(item.sk) }, 'not a valid claim payment record');
  return record.data;
}

// ── Reads ───────────────────────────────────────────────────────────────────────────────────────────

/** BatchGetItem (consistent) in requests of 100, unprocessed keys asked again with backoff; items in no particular order. */
async function batchGet(documentClient: DynamoDBDocumentClient, tableName: string, keys: readonly DataKey[]): Promise<Record<string, NativeAttributeValue>[]> {
  const unique = [...new Map(keys.map((key) => [JSON.stringify([key.pk, key.sk]), key])).values()];
  const batches: DataKey[][] = [];
  for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) batches.push(unique.slice(start, start + BATCH_GET_LIMIT));
  const items: Record<string, NativeAttributeValue>[] = [];
  await forEachConcurrently(batches, DEFAULT_WRITE_CONCURRENCY, async (batch) => {
    let requested: Record<string, NativeAttributeValue>[] = batch.map((key) => ({ pk: key.pk, sk: key.sk }));
    for (let round = 0; requested.length > 0; round++) {
      if (round >= BATCH_GET_MAX_ROUNDS) throw new Error(`BatchGetItem left keys unprocessed after ${BATCH_GET_MAX_ROUNDS} rounds`);
      if (round > 0) await backOff(round);
      const response = await documentClient.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: requested, ConsistentRead: true } } }));
      items.push(...(response.Responses?.[tableName] ?? []));
      requested = response.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  });
  return items;
}
