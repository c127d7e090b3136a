/**
 * The store-backed ports of the ingest-claims use case on one data table and the S3 client: what the
 * function, the benchmark and the tests all wire the same way. Rules, code sets and options (split
 * threshold, clock) are the caller's: they differ (a cached rule store with a TTL in the function, a
 * fixed clock in tests).
 */
import type { IngestClaimsPorts } from '../claims/ingest-claims.ts';
import type { Clients } from './clients.ts';
import { DynamoClaimRepository } from './dynamo-claim-repository.ts';
import { DynamoFileRecords } from './dynamo-file-records.ts';
import { DynamoControlNumbers, DynamoTradingPartners } from './dynamo-trading-partners.ts';
import { DynamoWorkItems } from './dynamo-work-items.ts';
import { S3ObjectStore } from './s3-object-store.ts';

/** The adapters themselves (a caller may need more of one than its port, e.g. the file records' chunk methods). */
export interface IngestClaimsStorePorts extends Pick<IngestClaimsPorts, 'objects' | 'tradingPartners' | 'controlNumbers'> {
  objects: S3ObjectStore;
  files: DynamoFileRecords;
  claims: DynamoClaimRepository;
  workItems: DynamoWorkItems;
}

/**
 * @example
 * const ports: IngestClaimsPorts = { ...ingestClaimsStorePorts(clients, config.DATA_TABLE), rules, codeSets };
 */
export function ingestClaimsStorePorts(clients: Pick<Clients, 'dynamo' | 's3'>, dataTableName: string): IngestClaimsStorePorts {
  const table = { client: clients.dynamo, tableName: dataTableName };
  return {
    objects: new S3ObjectStore(clients.s3),
    files: new DynamoFileRecords(table),
    claims: new DynamoClaimRepository(table),
    workItems: new DynamoWorkItems(table),
    tradingPartners: new DynamoTradingPartners(table),
    controlNumbers: new DynamoControlNumbers(table),
  };
}
