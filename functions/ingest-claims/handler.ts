/**
 * ingest-claims: S3 (inbound `{tenant}/837/…`) → SQS → this function. Everything that can be built once
 * per container is built here, at cold start: configuration (fails fast), clients, adapters, code
 * sets, the cached rule store, Powertools.
 */
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { loadCodeSets } from '../../src/rules/codesets/index.ts';
import { CachedRuleStore } from '../../src/rules/rule-store.ts';
import { createClients } from '../../src/store/clients.ts';
import { DynamoRuleStore } from '../../src/store/dynamo-rule-store.ts';
import { ingestClaimsStorePorts } from '../../src/store/ingest-claims-adapters.ts';
import { createIngestClaimsHandler } from './app.ts';
import { loadIngestClaimsConfig } from './config.ts';

const config = loadIngestClaimsConfig();
const clients = createClients({
  region: config.AWS_REGION,
  ...(config.DYNAMODB_ENDPOINT ? { dynamoEndpoint: config.DYNAMODB_ENDPOINT } : {}),
  ...(config.S3_ENDPOINT ? { s3Endpoint: config.S3_ENDPOINT } : {}),
});

/** The Lambda entry point (`functions/ingest-claims/handler.handler`). */
export const handler = createIngestClaimsHandler({
  ports: {
    ...ingestClaimsStorePorts(clients, config.DATA_TABLE),
    // Rules change rarely; a minute's staleness is the price of not reading them per file.
    rules: new CachedRuleStore(new DynamoRuleStore({ client: clients.dynamo, tableName: config.RULES_TABLE }), { ttlMs: 60_000 }),
    codeSets: await loadCodeSets(config.CODE_SET_DATA_DIRECTORY ? { dataDirectory: config.CODE_SET_DATA_DIRECTORY } : {}),
    // Larger batches are split into chunks that this function processes in parallel (README, "Large batches").
    splitThresholdBytes: config.SPLIT_THRESHOLD_BYTES,
  },
  inboundBucket: config.INBOUND_BUCKET,
  outboundBucket: config.OUTBOUND_BUCKET,
  archiveBucket: config.ARCHIVE_BUCKET,
  logger: new Logger({ serviceName: config.POWERTOOLS_SERVICE_NAME }),
  metrics: new Metrics({ namespace: 'ClaimPath', serviceName: config.POWERTOOLS_SERVICE_NAME }),
  persistenceStore: new DynamoDBPersistenceLayer({ tableName: config.IDEMPOTENCY_TABLE, awsSdkV3Client: clients.dynamo }),
});
