/**
 * Builds the events a function gets on AWS when an object lands in a bucket, for the local runtime and
 * the tests: S3 → SQS delivers an SQS message whose body is the S3 event notification (keys
 * URL-encoded as S3 does, spaces as `+`).
 */
import { randomUUID } from 'node:crypto';
import type { S3Event, SQSEvent } from 'aws-lambda';

/** A key as S3 writes it into notifications (`encodeURIComponent`, with `+` for spaces). */
export function encodeS3EventKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

/** The S3 ObjectCreated:Put notification of one object. */
export function s3EventForObject(bucket: string, key: string, size: number, etag: string, eventTime = new Date()): S3Event {
  const bareEtag = etag.replace(/^"|"$/g, '');
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: eventTime.toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'local' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'local', 'x-amz-id-2': 'local' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'claimpath-local',
          bucket: { name: bucket, ownerIdentity: { principalId: 'local' }, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeS3EventKey(key), size, eTag: bareEtag, sequencer: Date.now().toString(16).toUpperCase() },
        },
      },
    ],
  };
}

/**
 * An SQS event of one message carrying the S3 notification of one object, as S3 → SQS → Lambda
 * delivers it.
 *
 * @example
 * await handler(sqsEventForS3Object('claimpath-inbound', 'acme/837/batch.x12', 1234, '"9b2c…"'), context);
 */
export function sqsEventForS3Object(bucket: string, key: string, size: number, etag: string): SQSEvent {
  const body = JSON.stringify(s3EventForObject(bucket, key, size, etag));
  const now = String(Date.now());
  return {
    Records: [
      {
        messageId: randomUUID(),
        receiptHandle: randomUUID(),
        body,
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: now, SenderId: 'local', ApproximateFirstReceiveTimestamp: now },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:claimpath-ingest-claims',
        awsRegion: 'us-east-1',
      },
    ],
  };
}
