import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
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

/** What every ClaimPath function is made of. */
export interface ClaimPathFunctionProps {
  /** The function's name in logs and metrics (`ingest-claims`): POWERTOOLS_SERVICE_NAME. */
  readonly serviceName: string;
  /** The handler module, relative to the repository root (`functions/ingest-claims/handler.ts`). */
  readonly entry: string;
  readonly description: string;
  /** What its role is for (the IAM role's description). */
  readonly roleDescription: string;
  readonly dataKey: kms.IKey;
  readonly alarmTopic: sns.ITopic;
  readonly logRetentionDays: number;
  readonly memoryMiB: number;
  readonly timeout: Duration;
  /** Why the function needs no asynchronous-invocation dead-letter queue (cdk-nag HIPAA.Security-LambdaDLQ). */
  readonly noDeadLetterQueueReason: string;
  /** Why it has no reserved concurrency (cdk-nag HIPAA.Security-LambdaConcurrency). */
  readonly noReservedConcurrencyReason: string;
}

/**
 * One ClaimPath Lambda function with everything every function has, in one place (CONVENTIONS habit
 * 11): its own encrypted log group, a customer-managed policy that is all it may do (no construct can
 * add an inline policy), the esbuild bundle with the code-set data beside it, an error alarm, and the
 * cdk-nag acknowledgments with their reasons. The wiring constructs (ingest, worklist API) add each
 * environment variable next to the least-privilege statement for the resource it names.
 *
 * Bundled by esbuild as ESM (the domain reads `import.meta.url`), for Node 22 on arm64, with the AWS
 * SDK inside the bundle so that the versions tested are the versions run.
 */
export class ClaimPathFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly errorAlarm: cloudwatch.Alarm;
  /** The function's own policy: customer managed, so every permission is in one reviewable document. */
  readonly policy: iam.ManagedPolicy;
  /** Buckets whose objects the policy names with a `/*` wildcard (acknowledged for cdk-nag). */
  private readonly objectBuckets: s3.IBucket[] = [];

  constructor(scope: Construct, id: string, props: ClaimPathFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: retentionOf(props.logRetentionDays),
      encryptionKey: props.dataKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.roleDescription,
    });
    this.policy = new iam.ManagedPolicy(this, 'Policy', { roles: [role] });
    // Instead of AWSLambdaBasicExecutionRole (any log group): this function's log group only.
    this.allow(['logs:CreateLogStream', 'logs:PutLogEvents'], [this.logGroup.logGroupArn]);

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      description: props.description,
      entry: join(projectRoot, props.entry),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMiB,
      timeout: props.timeout,
      // The function gets the role without policy updates, so that no construct (an event source, an
      // integration) adds an inline policy: every permission is a statement of `policy`.
      role: role.withoutPolicyUpdates(),
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: 'ClaimPath',
        NODE_OPTIONS: '--enable-source-maps',
        CODE_SET_DATA_DIRECTORY: `${lambdaTaskRoot}/${codeSetBundleFolder}`,
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
    // The role's permissions must exist before the function can be invoked.
    this.function.node.addDependency(this.policy);
    // Buckets and tables are encrypted with the data key: using them means using the key.
    this.allow(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], [props.dataKey.keyArn]);

    this.errorAlarm = new cloudwatch.Alarm(this, 'ErrorAlarm', {
      alarmDescription: `ClaimPath: ${props.serviceName} invocations failed`,
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.errorAlarm.addAlarmAction(new cloudwatchActions.SnsAction(props.alarmTopic));
    this.errorAlarm.addOkAction(new cloudwatchActions.SnsAction(props.alarmTopic));

    this.acknowledgeFunctionFindings(props);
  }

  /** Allow exactly `actions` on `resources`, in the function's one policy. */
  allow(actions: string[], resources: string[]): void {
    this.policy.addStatements(new iam.PolicyStatement({ actions, resources }));
  }

  /** Names the bucket in `variable` and allows exactly `actions` on its objects. */
  usesBucket(variable: string, bucket: s3.IBucket, actions: string[]): void {
    this.function.addEnvironment(variable, bucket.bucketName);
    this.objectBuckets.push(bucket);
    this.allow(actions, [bucket.arnForObjects('*')]);
    // Without s3:ListBucket, HeadObject/GetObject of a missing key answer 403 instead of 404, and
    // "not archived yet" or "not written yet" would look like a permissions failure.
    this.allow(['s3:ListBucket'], [bucket.bucketArn]);
    this.acknowledgeObjectWildcard(bucket);
  }

  /** Names the table in `variable` and allows exactly `actions` on it and on its declared indexes. */
  usesTable(variable: string, access: TableAccess, actions: string[]): void {
    this.function.addEnvironment(variable, access.table.tableName);
    const indexArns = (access.definition.globalSecondaryIndexes ?? []).map((index) => `${access.table.tableArn}/index/${index.indexName}`);
    this.allow(actions, [access.table.tableArn, ...indexArns]);
  }

  private acknowledgeObjectWildcard(bucket: s3.IBucket): void {
    Validations.of(this.policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${renderedAsCdkNag(Stack.of(this).resolve(bucket.arnForObjects('*')))}]`,
      reason:
        'Object keys are per tenant and per file ({tenant}/837/{name}, {tenant}/acks/{fileId}/…): the statement names one bucket ' +
        'and exact actions; the tenant is only known at run time from the key, so objects cannot be listed in advance.',
    });
  }

  private acknowledgeFunctionFindings(props: ClaimPathFunctionProps): void {
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is the runtime the project targets and tests (engines, esbuild target); moving to a newer one is a reviewed change.',
    });
    Validations.of(this.function).acknowledge({ id: 'HIPAA.Security-LambdaConcurrency', reason: props.noReservedConcurrencyReason });
    Validations.of(this.function).acknowledge({ id: 'HIPAA.Security-LambdaDLQ', reason: props.noDeadLetterQueueReason });
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
