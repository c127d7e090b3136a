/**
 * worklist-api: the HTTP API (JWT authorizer) → this function. Everything that can be built once per
 * container is built here, at cold start: configuration (fails fast), clients, adapters, code sets,
 * the cached rule store, the logger.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { loadCodeSets } from '../../src/rules/codesets/index.ts';
import { CachedRuleStore } from '../../src/rules/rule-store.ts';
import { createClients } from '../../src/store/clients.ts';
import { DynamoAuditLog } from '../../src/store/dynamo-audit-log.ts';
import { DynamoClaimDetails } from '../../src/store/dynamo-claim-details.ts';
import { DynamoRuleStore } from '../../src/store/dynamo-rule-store.ts';
import { DynamoControlNumbers, DynamoTradingPartners } from '../../src/store/dynamo-trading-partners.ts';
import { DynamoWorkItems } from '../../src/store/dynamo-work-items.ts';
import { S3ObjectStore } from '../../src/store/s3-object-store.ts';
import { createWorklistApiHandler } from './app.ts';
import { loadWorklistApiConfig } from './config.ts';

const config = loadWorklistApiConfig();
const clients = createClients({
  region: config.AWS_REGION,
  ...(config.DYNAMODB_ENDPOINT ? { dynamoEndpoint: config.DYNAMODB_ENDPOINT } : {}),
  ...(config.S3_ENDPOINT ? { s3Endpoint: config.S3_ENDPOINT } : {}),
});
const table = { client: clients.dynamo, tableName: config.DATA_TABLE };

/** The Lambda entry point (`functions/worklist-api/handler.handler`). */
export const handler = createWorklistApiHandler({
  ports: {
    workItems: new DynamoWorkItems(table),
    claims: new DynamoClaimDetails(table),
    audit: new DynamoAuditLog(table),
    objects: new S3ObjectStore(clients.s3),
    tradingPartners: new DynamoTradingPartners(table),
    controlNumbers: new DynamoControlNumbers(table),
    // Rules change rarely; a minute's staleness is the price of not reading them per correction.
    rules: new CachedRuleStore(new DynamoRuleStore({ client: clients.dynamo, tableName: config.RULES_TABLE }), { ttlMs: 60_000 }),
    codeSets: await loadCodeSets(config.CODE_SET_DATA_DIRECTORY ? { dataDirectory: config.CODE_SET_DATA_DIRECTORY } : {}),
  },
  outboundBucket: config.OUTBOUND_BUCKET,
  logger: new Logger({ serviceName: config.POWERTOOLS_SERVICE_NAME }),
});
