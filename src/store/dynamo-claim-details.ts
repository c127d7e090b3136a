/**
 * The DynamoDB adapter of {@link ClaimDetails}: a claim as ingest stored it (`CLAIM#<claimId>` /
 * `CLAIM`, with the `adjudication` that remittance posting keeps on it) and its postings
 * (`CLAIM#<claimId>` / `POSTING#<remittanceId>#<position>`, in remittance order) from the same
 * partition. Everything read is validated against the canonical schemas: a stored claim that no longer
 * passes is an error naming fields, never a value (claims are PHI).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, type DynamoDBDocumentClient, type NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ClaimSchema } from '../../schemas/claim.schema.ts';
import { FindingSchema } from '../../schemas/finding.schema.ts';
import { ClaimAdjudicationSchema, PostingSchema, type Posting } from '../../schemas/posting.schema.ts';
import type { ClaimDetails, StoredClaimDetail } from '../worklist/ports.ts';
import { documentClientOf } from './dynamo-writes.ts';
import { claimKey } from './tables.ts';

export interface DynamoClaimDetailsOptions {
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
}

/** A stored claim or posting that no longer passes its schema: names the key and fields only. */
export class StoredClaimError extends Error {
  override readonly name = 'StoredClaimError';
  constructor(
    readonly claimId: string,
    readonly sortKey: string,
    readonly fields: string,
  ) {
    super(`The stored item ${sortKey} of claim ${claimId} is invalid (fields: ${fields})`);
  }
}

/** The claim item's attributes the worklist reads (`claimItem` in dynamo-claim-repository.ts writes them). */
const StoredClaimItemSchema = z.object({
  claimId: z.string().min(1),
  tenant: z.string().min(1),
  fileId: z.string().min(1),
  receivedAt: z.iso.datetime(),
  status: z.string().min(1),
  claim: ClaimSchema,
  findings: z.array(FindingSchema),
  adjudication: ClaimAdjudicationSchema.optional(),
});

/** Sort-key prefix of a claim's postings (`postingKey` in tables.ts). */
const POSTING_PREFIX = 'POSTING#';

/**
 * @example
 * const claims = new DynamoClaimDetails({ client: clients.dynamo, tableName: config.DATA_TABLE });
 * const detail = await claims.get(tenant, claimId);
 */
export class DynamoClaimDetails implements ClaimDetails {
  private readonly documentClient: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoClaimDetailsOptions) {
    this.documentClient = documentClientOf(options.client);
    this.tableName = options.tableName;
  }

  async get(tenant: string, claimId: string): Promise<StoredClaimDetail | undefined> {
    const key = claimKey(claimId);
    const [response, postingItems] = await Promise.all([
      this.documentClient.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
      this.postingItems(key.pk),
    ]);
    if (!response.Item || response.Item.tenant !== tenant) return undefined;
    const stored = StoredClaimItemSchema.safeParse(response.Item);
    if (!stored.success) throw new StoredClaimError(claimId, key.sk, fieldsOf(stored.error.issues));
    const postings: Posting[] = [];
    for (const raw of postingItems) {
      const posting = PostingSchema.safeParse(raw);
      if (!posting.success) throw new StoredClaimError(claimId, String(raw.sk), fieldsOf(posting.error.issues));
      if (posting.data.tenant === tenant) postings.push(posting.data);
    }
    const { adjudication, ...claim } = stored.data;
    return { ...claim, ...(adjudication ? { adjudication } : {}), postings };
  }

  /** The posting items of a claim's partition, in sort-key (remittance) order. */
  private async postingItems(partitionKey: string): Promise<Record<string, NativeAttributeValue>[]> {
    const items: Record<string, NativeAttributeValue>[] = [];
    let start: Record<string, NativeAttributeValue> | undefined;
    do {
      const response = await this.documentClient.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': partitionKey, ':prefix': POSTING_PREFIX },
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      items.push(...(response.Items ?? []));
      start = response.LastEvaluatedKey;
    } while (start !== undefined);
    return items;
  }
}

function fieldsOf(issues: readonly { path: readonly PropertyKey[] }[]): string {
  return [...new Set(issues.map((issue) => issue.path.map(String).join('.') || '(item)'))].slice(0, 20).join(', ');
}
