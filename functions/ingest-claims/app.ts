/**
 * The ingest-claims handler, assembled from its dependencies so that tests and the local runtime can
 * build it with their own ports (a wrapped adapter that fails on purpose) and logger; `handler.ts`
 * builds it once per container from the configuration.
 *
 * Thin on purpose: parse the SQS record and the S3 notification in it, call the use case once per
 * object (idempotently, keyed on bucket + key + ETag), and map the outcome to logs and metrics. A
 * permanent outcome (a rejected file, a key that is not ours, an object already archived) is a success:
 * only transient failures make the record fail and come back.
 */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { ingestClaimsFile, type IngestClaimsOutcome, type IngestClaimsPorts } from '../../src/claims/ingest-claims.ts';

/** What the handler is built from. */
export interface IngestClaimsDependencies {
  ports: IngestClaimsPorts;
  inboundBucket: string;
  outboundBucket: string;
  archiveBucket: string;
  logger: Logger;
  metrics: Metrics;
  /** Powertools Idempotency's persistence (DynamoDB on the idempotency table). */
  persistenceStore: BasePersistenceLayer;
  /** How long a processed object's result is remembered (default one hour). */
  idempotencyExpirySeconds?: number;
}

/** The S3 event notification inside an SQS body: only the fields used. `s3:TestEvent` has no Records. */
const S3NotificationSchema = z.object({
  Records: z
    .array(
      z.object({
        eventName: z.string(),
        s3: z.object({
          bucket: z.object({ name: z.string().min(1) }),
          object: z.object({ key: z.string().min(1), size: z.number().optional(), eTag: z.string().optional(), sequencer: z.string().optional() }),
        }),
      }),
    )
    .optional(),
});

/**
 * One object to ingest: also the idempotency key (hashed by Powertools). Bucket + key + ETag, plus
 * the event's sequencer: a redelivered message carries the same sequencer (deduplicated), while the same
 * bytes uploaded again under the same key are a new event that must still be archived out of inbound.
 */
interface ObjectToIngest {
  bucket: string;
  key: string;
  etag: string;
  sequencer: string;
}

/** A key from a notification: URL-encoded, spaces as `+`. */
function decodeS3EventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/**
 * The middy handler: SQS batch in, partial batch response out.
 *
 * @example
 * export const handler = createIngestClaimsHandler(dependencies);
 */
export function createIngestClaimsHandler(dependencies: IngestClaimsDependencies) {
  const { logger, metrics } = dependencies;
  const processor = new BatchProcessor(EventType.SQS);
  const idempotencyConfig = new IdempotencyConfig({ expiresAfterSeconds: dependencies.idempotencyExpirySeconds ?? 3600 });

  const ingestOnce = makeIdempotent(
    async (object: ObjectToIngest): Promise<IngestClaimsOutcome> =>
      ingestClaimsFile(
        { source: { bucket: object.bucket, key: object.key }, outboundBucket: dependencies.outboundBucket, archiveBucket: dependencies.archiveBucket },
        dependencies.ports,
      ),
    { persistenceStore: dependencies.persistenceStore, config: idempotencyConfig },
  );

  const recordHandler = async (record: SQSRecord): Promise<void> => {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      // Not JSON: a message nobody can ever process. Say so (no content) and do not retry it.
      logger.warn('Message body is not JSON; dropped', { messageId: record.messageId });
      return;
    }
    const notification = S3NotificationSchema.safeParse(body);
    if (!notification.success) {
      logger.warn('Message is not an S3 event notification; dropped', { messageId: record.messageId });
      return;
    }
    for (const s3Record of notification.data.Records ?? []) {
      if (!s3Record.eventName.startsWith('ObjectCreated:')) continue;
      const object: ObjectToIngest = { bucket: s3Record.s3.bucket.name, key: decodeS3EventKey(s3Record.s3.object.key), etag: s3Record.s3.object.eTag ?? '', sequencer: s3Record.s3.object.sequencer ?? '' };
      if (object.bucket !== dependencies.inboundBucket) {
        logger.warn('Event for another bucket; ignored', { messageId: record.messageId });
        continue;
      }
      const started = Date.now();
      const outcome = await ingestOnce(object);
      logOutcome(logger, metrics, outcome, Date.now() - started, record.messageId);
    }
  };

  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    idempotencyConfig.registerLambdaContext(context);
    return processPartialResponse(event, recordHandler, processor, { context });
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}

/**
 * Logs and metrics of one outcome through an allowlist: ids, counts, codes and timings. Never the key's
 * name part (a file name may carry a patient's name), never claim data.
 */
function logOutcome(logger: Logger, metrics: Metrics, outcome: IngestClaimsOutcome, elapsedMs: number, messageId: string): void {
  const base = { messageId, outcome: outcome.kind, elapsedMs };
  switch (outcome.kind) {
    case 'processed':
    case 'rejected': {
      const { summary } = outcome;
      logger.info(outcome.kind === 'processed' ? 'Claims file processed' : 'Claims file rejected', {
        ...base,
        fileId: outcome.fileId,
        tenant: outcome.tenant,
        claims: summary.claims,
        accepted: summary.accepted,
        held: summary.held,
        duplicateInterchangeClaims: summary.duplicateInterchangeClaims,
        verdict: summary.verdict,
        outboundObjects: summary.outboundKeys.length,
      });
      metrics.addMetric(outcome.kind === 'processed' ? 'FilesProcessed' : 'FilesRejected', MetricUnit.Count, 1);
      metrics.addMetric('ClaimsReceived', MetricUnit.Count, summary.claims);
      metrics.addMetric('ClaimsHeld', MetricUnit.Count, summary.held);
      metrics.addMetric('IngestMilliseconds', MetricUnit.Milliseconds, elapsedMs);
      return;
    }
    case 'already-complete':
    case 'already-rejected':
      logger.info('Claims file seen before; nothing to do', { ...base, fileId: outcome.fileId, tenant: outcome.tenant });
      metrics.addMetric('FilesRedelivered', MetricUnit.Count, 1);
      return;
    case 'missing':
    case 'ignored':
      logger.info('No claims file to process', base);
      return;
  }
}
