import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { retentionOf } from './log-retention.ts';

/** What the worklist API is protected by. */
export interface WorklistHttpApiProps {
  readonly userPool: cognito.IUserPool;
  readonly userPoolClient: cognito.IUserPoolClient;
  readonly encryptionKey: kms.IKey;
  readonly logRetentionDays: number;
}

/**
 * The worklist's HTTP API: a JWT authorizer that verifies Cognito ID/access tokens (issuer = the user
 * pool, audience = the worklist client) before any route runs, and access logs without request bodies
 * or query strings (they may carry PHI). Routes are added by the worklist issue with
 * {@link WorklistHttpApi.routeAuthorizer}, so none can be added unauthenticated by accident.
 */
export class WorklistHttpApi extends Construct {
  readonly httpApi: apigatewayv2.HttpApi;
  readonly authorizer: apigatewayv2.HttpAuthorizer;
  /** Pass as `authorizer` when adding a route (the API's default authorizer too). */
  readonly routeAuthorizer: apigatewayv2.IHttpRouteAuthorizer;
  readonly accessLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WorklistHttpApiProps) {
    super(scope, id);
    // The authorizer is created here, not on first route, so it exists (and is tested) before any
    // route; routes bind to it lazily, after the constructor has created it.
    this.routeAuthorizer = {
      bind: () => ({ authorizerId: this.authorizer.authorizerId, authorizationType: 'JWT' }),
    };
    this.httpApi = new apigatewayv2.HttpApi(this, 'HttpApi', {
      description: 'ClaimPath worklist API (coders, billers, supervisors)',
      createDefaultStage: false,
      defaultAuthorizer: this.routeAuthorizer,
    });
    this.authorizer = new apigatewayv2.HttpAuthorizer(this, 'CognitoJwtAuthorizer', {
      httpApi: this.httpApi,
      authorizerName: 'cognito-jwt',
      type: apigatewayv2.HttpAuthorizerType.JWT,
      identitySource: ['$request.header.Authorization'],
      jwtIssuer: `https://cognito-idp.${Aws.REGION}.amazonaws.com/${props.userPool.userPoolId}`,
      jwtAudience: [props.userPoolClient.userPoolClientId],
    });

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: retentionOf(props.logRetentionDays),
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new apigatewayv2.LogGroupLogDestination(this.accessLogGroup),
        // Ids, status and timings only: the path may hold a claim id, never a name; no body, no query string.
        format: apigateway.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTimeEpoch',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            user: '$context.authorizer.claims.sub',
            authorizerError: '$context.authorizer.error',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
  }
}
