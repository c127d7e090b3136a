/**
 * The store-backed ports of the ingest-remittance use case on one data table and the S3 client: what
 * the function and the tests all wire the same way. Rules, code sets, the payer directory and the clock
 * are the caller's (a cached rule store with a TTL in the function, a fixed clock in tests).
 */
import type { IngestRemittancePorts } from '../remits/ingest-remittance.ts';
import type { Clients } from './clients.ts';
import { DynamoFileRecords } from './dynamo-file-records.ts';
import { DynamoClaimLookup, DynamoPostings, DynamoRemittances } from './dynamo-remittances.ts';
import { DynamoControlNumbers } from './dynamo-trading-partners.ts';
import { DynamoWorkItems } from './dynamo-work-items.ts';
import { S3ObjectStore } from './s3-object-store.ts';

export type IngestRemittanceStorePorts = Pick<IngestRemittancePorts, 'objects' | 'files' | 'claims' | 'postings' | 'remittances' | 'workItems' | 'controlNumbers'>;

/**
 * @example
 * const ports: IngestRemittancePorts = { ...ingestRemittanceStorePorts(clients, config.DATA_TABLE), rules, codeSets, payers };
 */
export function ingestRemittanceStorePorts(clients: Pick<Clients, 'dynamo' | 's3'>, dataTableName: string): IngestRemittanceStorePorts {
  const table = { client: clients.dynamo, tableName: dataTableName };
  return {
    objects: new S3ObjectStore(clients.s3),
    files: new DynamoFileRecords(table),
    claims: new DynamoClaimLookup(table),
    postings: new DynamoPostings(table),
    remittances: new DynamoRemittances(table),
    workItems: new DynamoWorkItems(table),
    controlNumbers: new DynamoControlNumbers(table),
  };
}
