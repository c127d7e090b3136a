/**
 * Infra tier: synthesizes the real ClaimPath stacks once (bundling skipped), with cdk-nag's HIPAA
 * Security and AWS Solutions packs as validations, and asserts the properties issue 5 asks for.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { addClaimPathStacks, type ClaimPathStacks } from '../../infra/claimpath-app.ts';
import { contextKeys } from '../../infra/config.ts';
import { allTables, dataTable } from '../../src/store/tables.ts';

const projectRoot = join(import.meta.dirname, '../..');

/** cdk.json's context (feature flags included), as `cdk synth` gives it to the app. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return cdkJson.context;
}

let outdir: string;
let stacks: ClaimPathStacks;
let stateful: Template;
let stateless: Template;
let synthError: unknown;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'claimpath-cdk-'));
  const app = new App({
    outdir,
    context: {
      ...cdkJsonContext(),
      'aws:cdk:bundling-stacks': [],
      [contextKeys.alarmEmail]: 'alarms@example.org',
      [contextKeys.splitThresholdBytes]: 5_000_000,
    },
  });
  stacks = addClaimPathStacks(app);
  try {
    const assembly = app.synth();
    stateful = Template.fromJSON(assembly.getStackArtifact(stacks.stateful.artifactId).template as Record<string, unknown>);
    stateless = Template.fromJSON(assembly.getStackArtifact(stacks.stateless.artifactId).template as Record<string, unknown>);
  } catch (error) {
    synthError = error;
  }
});

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

interface ValidationReport {
  pluginReports: { pluginName: string; violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
}

describe('cdk-nag (HIPAA Security, AWS Solutions)', () => {
  it('synthesizes with zero unacknowledged findings', () => {
    let findings: string[] = [];
    if (synthError) {
      const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
      findings = report.pluginReports.flatMap((plugin) =>
        plugin.violations.flatMap((violation) => violation.violatingConstructs.map((construct) => `${violation.ruleName} at ${construct.constructPath}`)),
      );
    }
    expect(findings).toEqual([]);
    expect(synthError).toBeUndefined();
  });
});

describe('stateful stack', () => {
  it('has a customer-managed key with rotation, usable by S3, CloudWatch and this account\'s log groups', () => {
    stateful.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'AllowS3EventNotificationsToEncryptedQueues', Principal: { Service: 's3.amazonaws.com' } }),
          Match.objectLike({ Sid: 'AllowCloudWatchAlarmsToEncryptedTopics', Principal: { Service: 'cloudwatch.amazonaws.com' } }),
          Match.objectLike({ Sid: 'AllowCloudWatchLogsOfThisAccount' }),
        ]),
      }),
    });
  });

  it('encrypts the three claims buckets with the key, blocks public access, versions and logs them', () => {
    const keyId = logicalIdOf(stateful, 'AWS::KMS::Key');
    const buckets = stateful.findResources('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } }, BucketKeyEnabled: true },
          ],
        },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: Match.anyValue() },
      },
    });
    expect(Object.keys(buckets)).toHaveLength(3);
  });

  it('sends server access logs to a versioned, SSE-S3 bucket (SSE-KMS cannot receive access logs)', () => {
    stateful.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: Match.absent(),
    });
    expect(Object.keys(stateful.findResources('AWS::S3::Bucket'))).toHaveLength(4);
  });

  it('denies every request without TLS on every bucket', () => {
    const policies = Object.values(stateful.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(4);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      );
    }
  });

  it('has lifecycle rules: archive to IA then Glacier, noncurrent versions expire, abandoned uploads abort', () => {
    stateful.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
          Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 } }),
          Match.objectLike({
            Transitions: [
              { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
              { StorageClass: 'GLACIER', TransitionInDays: 90 },
            ],
          }),
        ]),
      },
    });
    const withAbort = stateful.findResources('AWS::S3::Bucket', {
      Properties: { LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } })]) } },
    });
    expect(Object.keys(withAbort)).toHaveLength(4);
  });

  it('creates every table of src/store/tables.ts with its keys, indexes, TTL, PITR and the key', () => {
    const keyId = logicalIdOf(stateful, 'AWS::KMS::Key');
    stateful.resourceCountIs('AWS::DynamoDB::Table', allTables.length);
    for (const definition of allTables) {
      stateful.hasResourceProperties('AWS::DynamoDB::Table', {
        TableName: definition.defaultName,
        KeySchema: [
          { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
          ...(definition.sortKey ? [{ AttributeName: definition.sortKey.name, KeyType: 'RANGE' }] : []),
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
        DeletionProtectionEnabled: true,
        ...(definition.timeToLiveAttribute
          ? { TimeToLiveSpecification: { AttributeName: definition.timeToLiveAttribute, Enabled: true } }
          : {}),
        ...((definition.globalSecondaryIndexes ?? []).length > 0
          ? {
              GlobalSecondaryIndexes: (definition.globalSecondaryIndexes ?? []).map((index) =>
                Match.objectLike({ IndexName: index.indexName, Projection: { ProjectionType: index.projection } }),
              ),
            }
          : {}),
      });
    }
  });

  it('backs every table up in a vault encrypted with the key', () => {
    stateful.hasResourceProperties('AWS::Backup::BackupVault', { EncryptionKeyArn: Match.anyValue() });
    const selection = Object.values(stateful.findResources('AWS::Backup::BackupSelection'))[0];
    expect(selection?.Properties.BackupSelection.Resources).toHaveLength(allTables.length);
  });

  it('has a user pool with MFA, no self sign-up, an immutable tenant attribute and the four role groups', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Schema: Match.arrayWith([Match.objectLike({ Name: 'tenant', Mutable: false })]),
    });
    const groups = Object.values(stateful.findResources('AWS::Cognito::UserPoolGroup')).map((group) => group.Properties.GroupName as string);
    expect(groups.sort()).toEqual(['admin', 'biller', 'coder', 'supervisor']);
  });
});

describe('stateless stack', () => {
  it('runs ingest-claims on Node 22, arm64, with its configuration in the environment', () => {
    stateless.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Environment: {
        Variables: Match.objectLike({
          DATA_TABLE: { 'Fn::ImportValue': Match.anyValue() },
          RULES_TABLE: { 'Fn::ImportValue': Match.anyValue() },
          IDEMPOTENCY_TABLE: { 'Fn::ImportValue': Match.anyValue() },
          INBOUND_BUCKET: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['claimpath-inbound-'])] }),
          OUTBOUND_BUCKET: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['claimpath-outbound-'])] }),
          ARCHIVE_BUCKET: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['claimpath-archive-'])] }),
          POWERTOOLS_SERVICE_NAME: 'ingest-claims',
          SPLIT_THRESHOLD_BYTES: '5000000',
          CODE_SET_DATA_DIRECTORY: '/var/task/data',
        }),
      },
    });
  });

  it('writes the function\'s logs to an encrypted log group with retention', () => {
    const logGroups = Object.values(stateless.findResources('AWS::Logs::LogGroup'));
    expect(logGroups.length).toBeGreaterThanOrEqual(2);
    for (const logGroup of logGroups) {
      expect(logGroup.Properties).toEqual(expect.objectContaining({ RetentionInDays: 365, KmsKeyId: expect.anything() }));
    }
    stateless.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: Match.anyValue() } },
    });
  });

  it('delivers inbound ObjectCreated events to an encrypted queue with a DLQ, redrive and an alarm', () => {
    // One queue and one dead-letter queue per ingest function (837 claims, 835 remittances).
    const queues = stateless.findResources('AWS::SQS::Queue');
    expect(Object.keys(queues)).toHaveLength(4);
    for (const queue of Object.values(queues)) expect(queue.Properties.KmsMasterKeyId).toBeDefined();
    const dlqIds = Object.keys(stateless.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: Match.absent() } }));
    expect(dlqIds).toHaveLength(2);
    for (const dlqId of dlqIds) {
      stateless.hasResourceProperties('AWS::SQS::Queue', {
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
        VisibilityTimeout: 1800,
      });
      stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
        Threshold: 1,
        AlarmActions: [{ Ref: Match.anyValue() }],
      });
    }
    stateless.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        QueueConfigurations: [Match.objectLike({ Events: ['s3:ObjectCreated:*'] }), Match.objectLike({ Events: ['s3:ObjectCreated:*'] })],
      },
    });
  });

  it('requires TLS on every queue', () => {
    const queuePolicies = Object.values(stateless.findResources('AWS::SQS::QueuePolicy'));
    expect(queuePolicies).toHaveLength(4);
    for (const policy of queuePolicies) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      );
    }
  });

  it('consumes the queue with partial batch responses and alarms on function errors', () => {
    stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 10 },
    });
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Threshold: 1,
      AlarmActions: [{ Ref: Match.anyValue() }],
    });
    stateless.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    stateless.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'alarms@example.org' });
  });

  it('grants each function exact actions on its own resources only, in one managed policy', () => {
    const policies = stateless.findResources('AWS::IAM::ManagedPolicy');
    expect(Object.keys(policies)).toHaveLength(3);
    const actionsOf = (construct: string): string[] => {
      const [id] = Object.keys(policies).filter((logicalId) => logicalId.startsWith(construct));
      expect(id).toBeDefined();
      const statements = policies[id!]!.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[];
      const rendered = JSON.stringify(statements);
      // The data table's statement names its declared indexes, not index/*.
      for (const index of dataTable.globalSecondaryIndexes ?? []) expect(rendered).toContain(`/index/${index.indexName}`);
      expect(rendered).not.toContain('/index/*');
      // No inline policy on the function's role: the managed policy is all it may do.
      expect(Object.keys(stateless.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalIdOf(stateless, 'AWS::IAM::Role', construct) }] } }))).toHaveLength(0);
      const actions = statements.flatMap((statement) => [statement.Action].flat());
      for (const action of actions) expect(action).not.toContain('*');
      expect(actions).not.toEqual(expect.arrayContaining(['dynamodb:Scan']));
      expect(actions).not.toEqual(expect.arrayContaining(['dynamodb:DeleteTable']));
      expect(actions).not.toEqual(expect.arrayContaining(['s3:DeleteBucket']));
      return actions;
    };
    for (const ingest of ['IngestClaims', 'IngestRemittance']) {
      expect(actionsOf(ingest)).toEqual(expect.arrayContaining(['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 'dynamodb:PutItem', 'sqs:ReceiveMessage', 'kms:Decrypt']));
    }
    // A streamed acknowledgment or report that fails mid-upload is aborted, leaving no parts behind.
    expect(actionsOf('IngestClaims')).toEqual(expect.arrayContaining(['s3:AbortMultipartUpload']));
    const api = actionsOf('WorklistApiFunction');
    expect(api).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:UpdateItem', 's3:PutObject', 'kms:Decrypt']));
    // The API neither reads originals nor deletes anything, nor touches a queue.
    expect(api).not.toEqual(expect.arrayContaining(['s3:DeleteObject']));
    expect(api).not.toEqual(expect.arrayContaining(['s3:GetObject']));
    expect(api.filter((action) => action.startsWith('sqs:'))).toEqual([]);
  });

  it('runs ingest-remittance on its own queue with the same configuration names', () => {
    stateless.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Environment: {
        Variables: Match.objectLike({
          DATA_TABLE: { 'Fn::ImportValue': Match.anyValue() },
          INBOUND_BUCKET: Match.anyValue(),
          OUTBOUND_BUCKET: Match.anyValue(),
          ARCHIVE_BUCKET: Match.anyValue(),
          POWERTOOLS_SERVICE_NAME: 'ingest-remittance',
        }),
      },
    });
    expect(Object.keys(stateless.findResources('AWS::Lambda::EventSourceMapping'))).toHaveLength(2);
  });

  it('routes the worklist API to its function, every route behind the JWT authorizer', () => {
    stateless.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'worklist-api', DATA_TABLE: Match.anyValue(), OUTBOUND_BUCKET: Match.anyValue() }) },
    });
    const routes = Object.values(stateless.findResources('AWS::ApiGatewayV2::Route'));
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual([
      'GET /openapi.json',
      'GET /work-items',
      'GET /work-items/{id}',
      'POST /work-items/{id}/{action}',
    ]);
    for (const route of routes) {
      expect(route.Properties.AuthorizationType).toBe('JWT');
      expect(route.Properties.AuthorizerId).toEqual({ Ref: logicalIdOf(stateless, 'AWS::ApiGatewayV2::Authorizer', 'CognitoJwtAuthorizer') });
    }
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
  });

  it('protects the HTTP API with a Cognito JWT authorizer and logs access to an encrypted group', () => {
    stateless.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ 'Fn::ImportValue': Match.anyValue() }],
        Issuer: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('^https://cognito-idp\\.')])] },
      },
    });
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
  });
});

/** The logical id of the only resource of `type` (or the one whose id contains `hint`). */
function logicalIdOf(template: Template, type: string, hint?: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => hint === undefined || id.includes(hint));
  if (ids.length !== 1) throw new Error(`expected one ${type}${hint ? ` matching ${hint}` : ''}, found ${ids.length}`);
  return ids[0] as string;
}
