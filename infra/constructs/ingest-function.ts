import type { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambdaEventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ClaimPathFunction, type TableAccess } from './claimpath-function.ts';

/** The two ingest functions: 837 claim batches and 835 remittances. */
export type IngestKind = 'ingest-claims' | 'ingest-remittance';

const descriptions: Readonly<Record<IngestKind, { description: string; role: string }>> = {
  'ingest-claims': {
    description: 'ClaimPath: 837 batches in S3 → claims, findings, work items, TA1/999/277CA, clean 837',
    role: 'ClaimPath ingest-claims: reads inbound 837s, writes claims, acknowledgments and archives',
  },
  'ingest-remittance': {
    description: 'ClaimPath: 835 remittances in S3 → postings on claims, denial and exception work items, reports',
    role: 'ClaimPath ingest-remittance: reads inbound 835s, posts payments, writes work items, reports and archives',
  },
};

/** What an ingest function is wired to. */
export interface IngestFunctionProps {
  readonly kind: IngestKind;
  readonly dataKey: kms.IKey;
  readonly inboundBucket: s3.IBucket;
  readonly outboundBucket: s3.IBucket;
  readonly archiveBucket: s3.IBucket;
  readonly dataTable: TableAccess;
  readonly rulesTable: TableAccess;
  readonly idempotencyTable: TableAccess;
  /** The queue of its inbound events; the function consumes it with partial batch responses. */
  readonly eventQueue: sqs.IQueue;
  readonly alarmTopic: sns.ITopic;
  readonly logRetentionDays: number;
  readonly memoryMiB: number;
  readonly timeout: Duration;
  readonly maxConcurrency: number;
  /** ingest-claims only: batches above this size are split into chunks. */
  readonly splitThresholdBytes?: number;
}

/**
 * An ingest function (functions/ingest-claims or functions/ingest-remittance) fed by its S3 → SQS
 * queue: reads and removes inbound objects (ingest-claims also writes chunk objects of large batches
 * there), writes outbound acknowledgments and reports, archives originals, and uses the data, rules and
 * idempotency tables — each variable set next to the exact statement for the resource it names.
 */
export class IngestFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly errorAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: IngestFunctionProps) {
    super(scope, id);
    const text = descriptions[props.kind];
    const fn = new ClaimPathFunction(this, 'Lambda', {
      serviceName: props.kind,
      entry: `functions/${props.kind}/handler.ts`,
      description: text.description,
      roleDescription: text.role,
      dataKey: props.dataKey,
      alarmTopic: props.alarmTopic,
      logRetentionDays: props.logRetentionDays,
      memoryMiB: props.memoryMiB,
      timeout: props.timeout,
      noReservedConcurrencyReason:
        'Concurrency is bounded by the SQS event source (maximumConcurrency); reserved concurrency would take capacity from the ' +
        'account and fails to deploy in accounts with the default concurrency quota.',
      noDeadLetterQueueReason:
        'The function is invoked synchronously by the SQS event source mapping; failed messages go to the queue\'s dead-letter queue ' +
        '(redrive policy, alarmed), which is where an asynchronous-invocation DLQ would send them.',
    });
    this.function = fn.function;
    this.logGroup = fn.logGroup;
    this.errorAlarm = fn.errorAlarm;
    if (props.splitThresholdBytes !== undefined) fn.function.addEnvironment('SPLIT_THRESHOLD_BYTES', String(props.splitThresholdBytes));

    // Reads the batch (and its chunks), writes chunk objects of large batches, removes it once archived.
    fn.usesBucket('INBOUND_BUCKET', props.inboundBucket, ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject']);
    // Writes acknowledgments, reports and clean 837s (large ones as multipart uploads, aborted on failure so
    // that no parts are left); reads them back to skip work a retry already did.
    fn.usesBucket('OUTBOUND_BUCKET', props.outboundBucket, ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload']);
    // Copies processed originals in (CopyObject = GetObject on the source + PutObject here); reads to see if done.
    fn.usesBucket('ARCHIVE_BUCKET', props.archiveBucket, ['s3:GetObject', 's3:PutObject']);
    fn.usesTable('DATA_TABLE', props.dataTable, ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem']);
    fn.usesTable('RULES_TABLE', props.rulesTable, ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query']);
    // Powertools Idempotency deletes its in-progress record when the handler fails, so a retry can run.
    fn.usesTable('IDEMPOTENCY_TABLE', props.idempotencyTable, ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']);

    // What the event source mapping does with the function's role, on this queue only.
    fn.allow(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], [props.eventQueue.queueArn]);
    fn.function.addEventSource(
      new lambdaEventSources.SqsEventSource(props.eventQueue, {
        // One file per invocation: each batch gets the whole timeout. Partial batch responses keep a
        // larger batch size correct if one is configured later.
        batchSize: 1,
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency,
      }),
    );
  }
}
