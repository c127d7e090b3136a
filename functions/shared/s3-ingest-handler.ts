/**
 * The plumbing every ingest function shares (ingest-claims, ingest-remittance): an SQS batch whose
 * messages carry S3 event notifications, one idempotent call of the use case per created object
 * (Powertools Idempotency, keyed on bucket + key + ETag + sequencer), partial batch responses
 * (Powertools Batch) so that only the records that failed come back, and the Powertools logger and
 * metrics through middy.
 *
 * Thin on purpose: a message that can never be processed (not JSON, not an S3 notification) is logged
 * by its id and dropped; an event for another bucket is ignored; only a thrown (transient) failure of
 * the use case fails its record. What an outcome means is the function's own business (`report`).
 */
import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';

/** The S3 event notification inside an SQS body: only the fields used. `s3:TestEvent` has no Records. */
export const S3NotificationSchema = z.object({
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
export type S3Notification = z.infer<typeof S3NotificationSchema>;

/**
 * One object to ingest: also the idempotency key (hashed by Powertools). Bucket + key + ETag, plus
 * the event's sequencer: a redelivered message carries the same sequencer (deduplicated), while the same
 * bytes uploaded again under the same key are a new event that must still be archived out of inbound.
 */
export interface InboundObject {
  bucket: string;
  /** Decoded (notifications URL-encode keys, with `+` for spaces). */
  key: string;
  etag: string;
  sequencer: string;
}

/** A key from a notification: URL-encoded, spaces as `+`. */
export function decodeS3EventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/** The created objects a notification names, decoded (other events, e.g. removals, are left out). */
export function createdObjectsOf(notification: S3Notification): InboundObject[] {
  return (notification.Records ?? [])
    .filter((record) => record.eventName.startsWith('ObjectCreated:'))
    .map((record) => ({
      bucket: record.s3.bucket.name,
      key: decodeS3EventKey(record.s3.object.key),
      etag: record.s3.object.eTag ?? '',
      sequencer: record.s3.object.sequencer ?? '',
    }));
}

/** What an ingest handler is built from. */
export interface S3IngestHandlerOptions<Outcome> {
  /** Only objects of this bucket are ingested. */
  inboundBucket: string;
  logger: Logger;
  metrics: Metrics;
  /** Powertools Idempotency's persistence (DynamoDB on the idempotency table). */
  persistenceStore: BasePersistenceLayer;
  /** How long a processed object's result is remembered (default one hour). */
  idempotencyExpirySeconds?: number;
  /** The use case, once per created object; its result must be JSON (Powertools stores it). */
  ingest: (object: InboundObject) => Promise<Outcome>;
  /** Logs and metrics of one outcome: ids, counts, codes and timings only (never the key's name part). */
  report: (outcome: Outcome, elapsedMs: number, messageId: string) => void;
}

/**
 * The middy handler: SQS batch in, partial batch response out.
 *
 * @example
 * export const handler = createS3IngestHandler({ inboundBucket, logger, metrics, persistenceStore, ingest, report });
 */
export function createS3IngestHandler<Outcome>(options: S3IngestHandlerOptions<Outcome>) {
  const { logger, metrics } = options;
  const processor = new BatchProcessor(EventType.SQS);
  const idempotencyConfig = new IdempotencyConfig({ expiresAfterSeconds: options.idempotencyExpirySeconds ?? 3600 });
  const ingestOnce = makeIdempotent(async (object: InboundObject): Promise<Outcome> => options.ingest(object), {
    persistenceStore: options.persistenceStore,
    config: idempotencyConfig,
  });

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
    for (const object of createdObjectsOf(notification.data)) {
      if (object.bucket !== options.inboundBucket) {
        logger.warn('Event for another bucket; ignored', { messageId: record.messageId });
        continue;
      }
      const started = Date.now();
      const outcome = await ingestOnce(object);
      options.report(outcome, Date.now() - started, record.messageId);
    }
  };

  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    idempotencyConfig.registerLambdaContext(context);
    return processPartialResponse(event, recordHandler, processor, { context });
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}

/** What an ingest function's handler is built from: its use case's ports, its buckets and Powertools. */
export interface IngestFunctionDependencies<Ports> {
  ports: Ports;
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

/** An ingest use case: one inbound object, the buckets its outputs and archive go to, and its ports. */
export type IngestUseCase<Ports, Outcome> = (
  input: { source: { bucket: string; key: string }; outboundBucket: string; archiveBucket: string },
  ports: Ports,
) => Promise<Outcome>;

/**
 * The handler of an ingest function (ingest-claims, ingest-remittance): `useCase` once per created
 * object, idempotently, with partial batch responses; `report` logs and measures each outcome.
 *
 * @example
 * export const createIngestClaimsHandler = (dependencies) => createIngestFunctionHandler(dependencies, ingestClaimsFile, report);
 */
export function createIngestFunctionHandler<Ports, Outcome>(
  dependencies: IngestFunctionDependencies<Ports>,
  useCase: IngestUseCase<Ports, Outcome>,
  report: (outcome: Outcome, elapsedMs: number, messageId: string) => void,
) {
  return createS3IngestHandler<Outcome>({
    inboundBucket: dependencies.inboundBucket,
    logger: dependencies.logger,
    metrics: dependencies.metrics,
    persistenceStore: dependencies.persistenceStore,
    ...(dependencies.idempotencyExpirySeconds !== undefined ? { idempotencyExpirySeconds: dependencies.idempotencyExpirySeconds } : {}),
    ingest: (object) =>
      useCase({ source: { bucket: object.bucket, key: object.key }, outboundBucket: dependencies.outboundBucket, archiveBucket: dependencies.archiveBucket }, dependencies.ports),
    report,
  });
}
