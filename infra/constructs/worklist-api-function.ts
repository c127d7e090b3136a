import { Duration } from 'aws-cdk-lib';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ClaimPathFunction, type TableAccess } from './claimpath-function.ts';
import type { WorklistHttpApi } from './worklist-http-api.ts';

/** What the worklist API function is wired to. */
export interface WorklistApiFunctionProps {
  readonly api: WorklistHttpApi;
  readonly dataKey: kms.IKey;
  readonly outboundBucket: s3.IBucket;
  readonly dataTable: TableAccess;
  readonly rulesTable: TableAccess;
  readonly alarmTopic: sns.ITopic;
  readonly logRetentionDays: number;
  readonly memoryMiB: number;
}

/** The routes of functions/worklist-api, every one behind the API's JWT authorizer. */
export const worklistRoutes: readonly { method: apigatewayv2.HttpMethod; path: string }[] = [
  { method: apigatewayv2.HttpMethod.GET, path: '/work-items' },
  { method: apigatewayv2.HttpMethod.GET, path: '/work-items/{id}' },
  { method: apigatewayv2.HttpMethod.POST, path: '/work-items/{id}/{action}' },
  { method: apigatewayv2.HttpMethod.GET, path: '/openapi.json' },
];

/**
 * functions/worklist-api behind the HTTP API: the API's JWT authorizer verifies the Cognito token
 * before any route runs; the handler takes the tenant and roles from the verified claims and enforces
 * them per route. It reads and updates work items, claims and audit events in the data table, reads
 * the payer rules (re-scrub of a correction) and writes resubmitted 837s to the outbound bucket.
 */
export class WorklistApiFunction extends Construct {
  readonly function: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: WorklistApiFunctionProps) {
    super(scope, id);
    const fn = new ClaimPathFunction(this, 'Lambda', {
      serviceName: 'worklist-api',
      entry: 'functions/worklist-api/handler.ts',
      description: 'ClaimPath: the worklist API (work items, claim detail, corrections, resubmission)',
      roleDescription: 'ClaimPath worklist-api: reads and updates work items and claims, writes audit events and resubmitted 837s',
      dataKey: props.dataKey,
      alarmTopic: props.alarmTopic,
      logRetentionDays: props.logRetentionDays,
      memoryMiB: props.memoryMiB,
      // API Gateway gives an integration at most 30 seconds.
      timeout: Duration.seconds(29),
      noReservedConcurrencyReason:
        'The HTTP API stage throttles requests (rate and burst limits); reserved concurrency would take capacity from the account ' +
        'and fails to deploy in accounts with the default concurrency quota.',
      noDeadLetterQueueReason:
        'The function is only invoked synchronously by API Gateway: a failure is returned to the caller, there is no asynchronous ' +
        'event to keep in a dead-letter queue.',
    });
    this.function = fn.function;
    fn.usesTable('DATA_TABLE', props.dataTable, ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    fn.usesTable('RULES_TABLE', props.rulesTable, ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query']);
    // Resubmitted 837s go to the tenant's outbox; nothing else is written or read there.
    fn.usesBucket('OUTBOUND_BUCKET', props.outboundBucket, ['s3:PutObject']);

    // API Gateway may invoke the function for this API's routes only (a resource policy on the function:
    // the role's policy stays the only identity policy).
    const integration = new integrations.HttpLambdaIntegration('Integration', fn.function, { payloadFormatVersion: apigatewayv2.PayloadFormatVersion.VERSION_2_0 });
    for (const route of worklistRoutes) {
      props.api.httpApi.addRoutes({ path: route.path, methods: [route.method], integration, authorizer: props.api.routeAuthorizer });
    }
  }
}
