/**
 * The AWS SDK clients of a function container (or of the local runtime), built once from its
 * configuration and injected into every adapter. On AWS: default credentials and endpoints. Locally
 * (endpoints on loopback): dummy credentials, path-style S3, and the checksum settings s3rver needs
 * (the SDK's default flexible checksums corrupt streamed uploads to it — TOOLCHAIN.md).
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient, isLoopbackEndpoint } from './dynamo-client.ts';

/** Where the services are: AWS's regional endpoints, or local servers. */
export interface ClientLocation {
  region: string;
  /** A local DynamoDB-compatible server (dynalite), e.g. `http://127.0.0.1:8000`. */
  dynamoEndpoint?: string;
  /** A local S3-compatible server (s3rver), e.g. `http://127.0.0.1:4569`. */
  s3Endpoint?: string;
}

export interface Clients {
  dynamo: DynamoDBClient;
  s3: S3Client;
}

/** s3rver accepts any credentials but the SDK signs every request; never send real ones to it. */
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** An S3 client for `location` (path style and no optional checksums for a local endpoint). */
export function createS3Client(location: ClientLocation): S3Client {
  const { region, s3Endpoint } = location;
  if (s3Endpoint === undefined) return new S3Client({ region });
  return new S3Client({
    region,
    endpoint: s3Endpoint,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(isLoopbackEndpoint(s3Endpoint) ? { credentials: S3RVER_CREDENTIALS } : {}),
  });
}

/**
 * Both clients, once per container.
 *
 * @example
 * const clients = createClients({ region: config.AWS_REGION, dynamoEndpoint: config.DYNAMODB_ENDPOINT });
 */
export function createClients(location: ClientLocation): Clients {
  return {
    dynamo: createDynamoClient({ region: location.region, ...(location.dynamoEndpoint ? { endpoint: location.dynamoEndpoint } : {}) }),
    s3: createS3Client(location),
  };
}
