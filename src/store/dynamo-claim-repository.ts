/**
 * The DynamoDB adapter of {@link ClaimRepository}: one item per claim in the data table
 * (`CLAIM#<claimId>` / `CLAIM`), created only where absent — a claim already stored may have been
 * worked by a coder since, and a re-run of its file must not undo that. Hence conditional PutItem
 * (bounded concurrency) rather than BatchWriteItem, which cannot be conditional.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClaimRepository, StoredClaim } from '../claims/ports.ts';
import { documentClientOf, putAllIfAbsent, DEFAULT_WRITE_CONCURRENCY, type DataItem } from './dynamo-writes.ts';
import { claimByPatientControlNumberKeys, claimKey, dataItemTypes } from './tables.ts';

export interface DynamoClaimRepositoryOptions {
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
  writeConcurrency?: number;
}

/**
 * @example
 * const claims = new DynamoClaimRepository({ client: clients.dynamo, tableName: config.DATA_TABLE });
 * await claims.createMany(storedClaims);
 */
export class DynamoClaimRepository implements ClaimRepository {
  private readonly documentClient: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly writeConcurrency: number;

  constructor(options: DynamoClaimRepositoryOptions) {
    this.documentClient = documentClientOf(options.client);
    this.tableName = options.tableName;
    this.writeConcurrency = options.writeConcurrency ?? DEFAULT_WRITE_CONCURRENCY;
  }

  createMany(claims: readonly StoredClaim[]): Promise<number> {
    return putAllIfAbsent(this.documentClient, this.tableName, claims.map(claimItem), this.writeConcurrency);
  }
}

/** The item of a claim (exported for the benchmark's ceiling, which writes the same items). */
export function claimItem(stored: StoredClaim): DataItem {
  return {
    ...claimKey(stored.claimId),
    ...claimByPatientControlNumberKeys(stored.tenant, stored.claim.patientControlNumber, stored.receivedAt, stored.claimId),
    itemType: dataItemTypes.claim,
    claimId: stored.claimId,
    tenant: stored.tenant,
    fileId: stored.fileId,
    position: stored.position,
    receivedAt: stored.receivedAt,
    status: stored.status,
    claim: stored.claim,
    findings: stored.findings,
  };
}
