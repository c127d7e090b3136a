import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as snsSubscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { dataTable, idempotencyTable, rulesTable } from '../src/store/tables.ts';
import type { ClaimPathInfraConfig } from './config.ts';
import { InboundEventQueue } from './constructs/inbound-event-queue.ts';
import { IngestFunction } from './constructs/ingest-function.ts';
import { WorklistApiFunction } from './constructs/worklist-api-function.ts';
import { WorklistHttpApi } from './constructs/worklist-http-api.ts';
import { claimBucketName, type ClaimBucketRole, type StatefulStack } from './stateful-stack.ts';

/** The stateless stack's settings and the stateful resources it wires functions to. */
export interface StatelessStackProps extends StackProps {
  readonly config: ClaimPathInfraConfig;
  readonly stateful: StatefulStack;
}

/** SQS allows visibility timeouts up to 12 hours; AWS advises six times the consumer's timeout. */
const VISIBILITY_TIMEOUT_FACTOR = 6;

/**
 * Code and plumbing, safe to replace on any deploy: the functions, the event queues with their
 * dead-letter queues, the alarms and their topic, and the worklist HTTP API. Every grant to the
 * stateful stack's resources lives here, in the construct that wires the function.
 */
export class StatelessStack extends Stack {
  readonly ingestClaims: IngestFunction;
  readonly claimEvents: InboundEventQueue;
  readonly ingestRemittance: IngestFunction;
  readonly remittanceEvents: InboundEventQueue;
  readonly worklistApiFunction: WorklistApiFunction;
  readonly alarmTopic: sns.Topic;
  readonly worklistApi: WorklistHttpApi;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    // Imported by ARN: resources here that use the key (queues, topic, log groups) must not add
    // statements to the stateful stack's key policy; it already allows the services they need.
    const dataKey = kms.Key.fromKeyArn(this, 'DataKey', stateful.dataKey.keyArn);
    // Buckets by their deterministic names (see claimBucketName), with the key their objects use.
    this.addStackDependency(stateful, 'the buckets, tables and key must exist first');
    const bucket = (role: ClaimBucketRole): s3.IBucket =>
      s3.Bucket.fromBucketAttributes(this, `${role}-bucket`, {
        bucketName: claimBucketName(config.resourcePrefix, role),
        encryptionKey: dataKey,
      });
    const inboundBucket = bucket('inbound');
    const outboundBucket = bucket('outbound');
    const archiveBucket = bucket('archive');

    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'ClaimPath alarms',
      masterKey: dataKey,
      enforceSSL: true,
    });
    if (config.alarmEmail) this.alarmTopic.addSubscription(new snsSubscriptions.EmailSubscription(config.alarmEmail));

    const ingest = (kind: 'ingest-claims' | 'ingest-remittance', transactionFolder: '837' | '835'): { events: InboundEventQueue; fn: IngestFunction } => {
      const events = new InboundEventQueue(this, transactionFolder === '837' ? 'ClaimEvents' : 'RemittanceEvents', {
        inboundBucket,
        transactionFolder,
        tenants: config.tenants,
        encryptionKey: dataKey,
        visibilityTimeout: Duration.seconds(config.ingestTimeoutSeconds * VISIBILITY_TIMEOUT_FACTOR),
        maxReceiveCount: config.maxReceiveCount,
        alarmTopic: this.alarmTopic,
      });
      const fn = new IngestFunction(this, kind === 'ingest-claims' ? 'IngestClaims' : 'IngestRemittance', {
        kind,
        dataKey,
        inboundBucket,
        outboundBucket,
        archiveBucket,
        dataTable: { table: stateful.tableFor(dataTable), definition: dataTable },
        rulesTable: { table: stateful.tableFor(rulesTable), definition: rulesTable },
        idempotencyTable: { table: stateful.tableFor(idempotencyTable), definition: idempotencyTable },
        eventQueue: events.queue,
        alarmTopic: this.alarmTopic,
        logRetentionDays: config.logRetentionDays,
        memoryMiB: config.ingestMemoryMiB,
        timeout: Duration.seconds(config.ingestTimeoutSeconds),
        maxConcurrency: config.ingestMaxConcurrency,
        ...(kind === 'ingest-claims' && config.splitThresholdBytes !== undefined ? { splitThresholdBytes: config.splitThresholdBytes } : {}),
      });
      return { events, fn };
    };
    const claims = ingest('ingest-claims', '837');
    this.claimEvents = claims.events;
    this.ingestClaims = claims.fn;
    const remittances = ingest('ingest-remittance', '835');
    this.remittanceEvents = remittances.events;
    this.ingestRemittance = remittances.fn;

    this.worklistApi = new WorklistHttpApi(this, 'WorklistApi', {
      userPool: stateful.worklistUsers.userPool,
      userPoolClient: stateful.worklistUsers.client,
      encryptionKey: dataKey,
      logRetentionDays: config.logRetentionDays,
    });

    this.worklistApiFunction = new WorklistApiFunction(this, 'WorklistApiFunction', {
      api: this.worklistApi,
      dataKey,
      outboundBucket,
      dataTable: { table: stateful.tableFor(dataTable), definition: dataTable },
      rulesTable: { table: stateful.tableFor(rulesTable), definition: rulesTable },
      alarmTopic: this.alarmTopic,
      logRetentionDays: config.logRetentionDays,
      memoryMiB: config.worklistApiMemoryMiB,
    });

    new CfnOutput(this, 'WorklistApiUrl', { value: this.worklistApi.httpApi.apiEndpoint });
    new CfnOutput(this, 'ClaimEventsQueueUrl', { value: this.claimEvents.queue.queueUrl });
    new CfnOutput(this, 'ClaimEventsDeadLetterQueueUrl', { value: this.claimEvents.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'RemittanceEventsQueueUrl', { value: this.remittanceEvents.queue.queueUrl });
    new CfnOutput(this, 'RemittanceEventsDeadLetterQueueUrl', { value: this.remittanceEvents.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
  }
}
