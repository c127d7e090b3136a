/**
 * ingest-remittance: S3 (inbound `{tenant}/835/…`) → SQS → this function. Everything that can be built
 * once per container is built here, at cold start: configuration (fails fast), clients, adapters, code
 * sets, the cached rule store, the payer directory, Powertools.
 */
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import bundledPayerDirectory from '../../events/payers/directory.json' with { type: 'json' };
import { loadCodeSets } from '../../src/rules/codesets/index.ts';
import { PayerDirectory } from '../../src/rules/payer-directory.ts';
import { CachedRuleStore } from '../../src/rules/rule-store.ts';
import { createClients } from '../../src/store/clients.ts';
import { DynamoRuleStore } from '../../src/store/dynamo-rule-store.ts';
import { ingestRemittanceStorePorts } from '../../src/store/ingest-remittance-adapters.ts';
import { createIngestRemittanceHandler } from './app.ts';
import { loadIngestRemittanceConfig } from './config.ts';

const config = loadIngestRemittanceConfig();
const clients = createClients({
  region: config.AWS_REGION,
  ...(config.DYNAMODB_ENDPOINT ? { dynamoEndpoint: config.DYNAMODB_ENDPOINT } : {}),
  ...(config.S3_ENDPOINT ? { s3Endpoint: config.S3_ENDPOINT } : {}),
});
const stores = ingestRemittanceStorePorts(clients, config.DATA_TABLE);
const objects = stores.objects;
const logger = new Logger({ serviceName: config.POWERTOOLS_SERVICE_NAME });

/**
 * The payer directory: the document at PAYER_DIRECTORY_KEY in the inbound bucket, else the one bundled
 * with the function. Invalid or missing, it stops the container at cold start (PayerDirectoryInvalidError
 * names the fields, which hold payer ids only).
 */
async function loadPayerDirectory(): Promise<PayerDirectory> {
  const key = config.PAYER_DIRECTORY_KEY;
  if (key === undefined) {
    logger.warn('PAYER_DIRECTORY_KEY is not set: using the payer directory bundled with the function');
    return PayerDirectory.fromDocument(bundledPayerDirectory, 'bundled events/payers/directory.json');
  }
  const body = await objects.get({ bucket: config.INBOUND_BUCKET, key });
  if (!body) throw new Error('The payer directory named by PAYER_DIRECTORY_KEY is not in the inbound bucket');
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  let document: unknown;
  try {
    document = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new Error('The payer directory named by PAYER_DIRECTORY_KEY is not JSON', { cause: error });
  }
  return PayerDirectory.fromDocument(document, 'PAYER_DIRECTORY_KEY');
}

/** The Lambda entry point (`functions/ingest-remittance/handler.handler`). */
export const handler = createIngestRemittanceHandler({
  ports: {
    ...stores,
    // Rules change rarely; a minute's staleness is the price of not reading them per file.
    rules: new CachedRuleStore(new DynamoRuleStore({ client: clients.dynamo, tableName: config.RULES_TABLE }), { ttlMs: 60_000 }),
    codeSets: await loadCodeSets(config.CODE_SET_DATA_DIRECTORY ? { dataDirectory: config.CODE_SET_DATA_DIRECTORY } : {}),
    payers: await loadPayerDirectory(),
  },
  inboundBucket: config.INBOUND_BUCKET,
  outboundBucket: config.OUTBOUND_BUCKET,
  archiveBucket: config.ARCHIVE_BUCKET,
  logger,
  metrics: new Metrics({ namespace: 'ClaimPath', serviceName: config.POWERTOOLS_SERVICE_NAME }),
  persistenceStore: new DynamoDBPersistenceLayer({ tableName: config.IDEMPOTENCY_TABLE, awsSdkV3Client: clients.dynamo }),
});
