import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { retentionOf } from './log-retention.ts';
import type { TableWithIndexesDefinition } from '../../src/store/tables.ts';

/** The repository root: entry paths, the lockfile and the code-set data are found from it. */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Where the code-set data files sit in the repository, and where the bundle carries them. */
const codeSetDataSource = 'src/rules/codesets/data';
/**
 * `data`, beside the bundle's index.mjs: the folder src/rules/codesets/index.ts falls back to
 * (`new URL('./data/', import.meta.url)` becomes /var/task/data/ once bundled), so the function finds
 * its code sets even where CODE_SET_DATA_DIRECTORY is not read.
 */
const codeSetBundleFolder = 'data';
/** Lambda unpacks the bundle into LAMBDA_TASK_ROOT, which is /var/task. */
const lambdaTaskRoot = '/var/task';

/** A table the function uses, with the definition that tells which indexes exist. */
export interface TableAccess {
  readonly table: dynamodb.ITable;
  readonly definition: TableWithIndexesDefinition;
}

/** What ingest-claims is wired to. */
export interface IngestClaimsFunctionProps {
  readonly dataKey: kms.IKey;
  readonly inboundBucket: s3.IBucket;
  readonly outboundBucket: s3.IBucket;
  readonly archiveBucket: s3.IBucket;
  readonly dataTable: TableAccess;
  readonly rulesTable: TableAccess;
  readonly idempotencyTable: TableAccess;
  /** The queue of inbound 837 events; the function consumes it with partial batch responses. */
  readonly eventQueue: sqs.IQueue;
  readonly alarmTopic: sns.ITopic;
  readonly logRetentionDays: number;
  readonly memoryMiB: number;
  readonly timeout: Duration;
  readonly maxConcurrency: number;
  readonly splitThresholdBytes?: number;
}

/**
 * The ingest-claims function (functions/ingest-claims/handler.ts) with everything it is wired to in
 * one place (CONVENTIONS habit 11): each environment variable is set next to the least-privilege
 * statement for the resource it names, so neither can be added without the other.
 *
 * Bundled by esbuild as ESM (the domain reads `import.meta.url`), for Node 22 on arm64, with the AWS
 * SDK inside the bundle so that the versions tested are the versions run. The code-set data files are
 * copied beside the bundle and their folder passed as CODE_SET_DATA_DIRECTORY.
 */
export class IngestClaimsFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly errorAlarm: cloudwatch.Alarm;
  /** The function's own policy: customer managed, so every permission is in one reviewable document. */
  private readonly policy: iam.ManagedPolicy;
  /** Buckets whose objects the policy names with a `/*` wildcard (acknowledged for cdk-nag). */
  private readonly objectBuckets: s3.IBucket[] = [];

  constructor(scope: Construct, id: string, props: IngestClaimsFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: retentionOf(props.logRetentionDays),
      encryptionKey: props.dataKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'ClaimPath ingest-claims: reads inbound 837s, writes claims, acknowledgments and archives',
    });
    this.policy = new iam.ManagedPolicy(this, 'Policy', { roles: [role] });
    // The function gets the role without policy updates, so that no construct (the SQS event source)
    // adds an inline policy: every permission is a statement of `policy` below.
    // Instead of AWSLambdaBasicExecutionRole (any log group): this function's log group only.
    this.allow(['logs:CreateLogStream', 'logs:PutLogEvents'], [this.logGroup.logGroupArn]);

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      description: 'ClaimPath: 837 batches in S3 → claims, findings, work items, TA1/999/277CA, clean 837',
      entry: join(projectRoot, 'functions/ingest-claims/handler.ts'),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMiB,
      timeout: props.timeout,
      role: role.withoutPolicyUpdates(),
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'ingest-claims',
        POWERTOOLS_METRICS_NAMESPACE: 'ClaimPath',
        NODE_OPTIONS: '--enable-source-maps',
        CODE_SET_DATA_DIRECTORY: `${lambdaTaskRoot}/${codeSetBundleFolder}`,
        ...(props.splitThresholdBytes === undefined ? {} : { SPLIT_THRESHOLD_BYTES: String(props.splitThresholdBytes) }),
      },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        externalModules: [],
        // CommonJS dependencies inside an ESM bundle still call require().
        banner: "import { createRequire as __claimpathCreateRequire } from 'node:module'; const require = __claimpathCreateRequire(import.meta.url);",
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string): string[] => [
            `mkdir -p "${outputDir}/${codeSetBundleFolder}"`,
            `cp "${inputDir}/${codeSetDataSource}/manifest.json" "${inputDir}/${codeSetDataSource}/"*.gz "${outputDir}/${codeSetBundleFolder}/"`,
          ],
        },
      },
    });
    // The role's permissions must exist before the function can be invoked by the event source.
    this.function.node.addDependency(this.policy);

    this.readsAndRemovesInbound(props.inboundBucket);
    this.writesOutbound(props.outboundBucket);
    this.archivesTo(props.archiveBucket);
    this.readsAndWritesTable('DATA_TABLE', props.dataTable, ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem']);
    this.readsAndWritesTable('RULES_TABLE', props.rulesTable, ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query']);
    // Powertools Idempotency deletes its in-progress record when the handler fails, so a retry can run.
    this.readsAndWritesTable('IDEMPOTENCY_TABLE', props.idempotencyTable, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']);
    // Buckets and tables are encrypted with the data key: using them means using the key.
    this.allow(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], [props.dataKey.keyArn]);

    // What the event source mapping does with the function's role, on this queue only.
    this.allow(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], [
      props.eventQueue.queueArn,
    ]);
    this.function.addEventSource(
      new lambdaEventSources.SqsEventSource(props.eventQueue, {
        // One file per invocation: each batch gets the whole timeout. Partial batch responses keep a
        // larger batch size correct if one is configured later.
        batchSize: 1,
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency,
      }),
    );

    this.errorAlarm = new cloudwatch.Alarm(this, 'ErrorAlarm', {
      alarmDescription: 'ClaimPath: ingest-claims invocations failed (the message returns to the queue, then the DLQ)',
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.errorAlarm.addAlarmAction(new cloudwatchActions.SnsAction(props.alarmTopic));
    this.errorAlarm.addOkAction(new cloudwatchActions.SnsAction(props.alarmTopic));

    this.acknowledgeFindings();
  }

  /** Reads the batch (and its chunks), writes chunk objects of large batches, removes it once archived. */
  private readsAndRemovesInbound(bucket: s3.IBucket): void {
    this.function.addEnvironment('INBOUND_BUCKET', bucket.bucketName);
    this.allowOnObjects(bucket, ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject']);
  }

  /** Writes TA1/999/277CA, reports and clean 837s; reads them back to skip work a retry already did. */
  private writesOutbound(bucket: s3.IBucket): void {
    this.function.addEnvironment('OUTBOUND_BUCKET', bucket.bucketName);
    this.allowOnObjects(bucket, ['s3:GetObject', 's3:PutObject']);
  }

  /** Copies processed originals in (CopyObject = GetObject on the source + PutObject here); reads to see if done. */
  private archivesTo(bucket: s3.IBucket): void {
    this.function.addEnvironment('ARCHIVE_BUCKET', bucket.bucketName);
    this.allowOnObjects(bucket, ['s3:GetObject', 's3:PutObject']);
  }

  /** Names the table in `variable` and allows exactly `actions` on it and on its declared indexes. */
  private readsAndWritesTable(variable: string, access: TableAccess, actions: string[]): void {
    this.function.addEnvironment(variable, access.table.tableName);
    const indexArns = (access.definition.globalSecondaryIndexes ?? []).map((index) => `${access.table.tableArn}/index/${index.indexName}`);
    this.allow(actions, [access.table.tableArn, ...indexArns]);
  }

  private allowOnObjects(bucket: s3.IBucket, actions: string[]): void {
    this.objectBuckets.push(bucket);
    this.allow(actions, [bucket.arnForObjects('*')]);
    // Without s3:ListBucket, HeadObject/GetObject of a missing key answer 403 instead of 404, and
    // "not archived yet" or "not written yet" would look like a permissions failure.
    this.allow(['s3:ListBucket'], [bucket.bucketArn]);
  }

  private allow(actions: string[], resources: string[]): void {
    this.policy.addStatements(new iam.PolicyStatement({ actions, resources }));
  }

  private acknowledgeFindings(): void {
    const objectWildcard =
      'Object keys are per tenant and per file ({tenant}/837/{name}, {tenant}/acks/{fileId}/…): the statement names one bucket ' +
      'and exact actions; the tenant is only known at run time from the key, so objects cannot be listed in advance.';
    for (const bucket of this.objectBuckets) {
      Validations.of(this.policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${renderedAsCdkNag(Stack.of(this).resolve(bucket.arnForObjects('*')))}]`,
        reason: objectWildcard,
      });
    }
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is the runtime the project targets and tests (engines, esbuild target); moving to a newer one is a reviewed change.',
    });
    Validations.of(this.function).acknowledge({
      id: 'HIPAA.Security-LambdaConcurrency',
      reason:
        'Concurrency is bounded by the SQS event source (maximumConcurrency); reserved concurrency would take capacity from the ' +
        'account and fails to deploy in accounts with the default concurrency quota.',
    });
    Validations.of(this.function).acknowledge({
      id: 'HIPAA.Security-LambdaDLQ',
      reason:
        'The function is invoked synchronously by the SQS event source mapping; failed messages go to the queue\'s dead-letter queue ' +
        '(redrive policy, alarmed), which is where an asynchronous-invocation DLQ would send them.',
    });
    Validations.of(this.function).acknowledge({
      id: 'HIPAA.Security-LambdaInsideVPC',
      reason:
        'The function only calls AWS APIs (S3, DynamoDB, SQS, KMS) over TLS with IAM authorization and has no private network ' +
        'resources to reach; a VPC would add NAT or endpoint costs without narrowing its access.',
    });
  }
}

/**
 * A resolved CloudFormation value as cdk-nag writes it in a finding id (`{ Ref: 'AWS::Region' }` →
 * `<AWS::Region>`, joins concatenated), so that an acknowledgment can name a finding on a token-built ARN.
 */
function renderedAsCdkNag(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    const intrinsic = value as Record<string, unknown>;
    if (typeof intrinsic.Ref === 'string') return `<${intrinsic.Ref}>`;
    const join = intrinsic['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      return join[1].map((part: unknown) => renderedAsCdkNag(part)).join(join[0]);
    }
  }
  throw new RangeError('cannot render this CloudFormation value as cdk-nag does');
}
