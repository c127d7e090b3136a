/**
 * Reading and writing the local servers the way the integration tests check them: objects in a bucket,
 * items of a kind in a table, an upload turned into the SQS-wrapped S3 event the functions get, and the
 * process's output captured (to prove no PHI reaches a log).
 */
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { DynamoDBDocumentClient as DocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LocalRuntime } from '../../src/local/runtime.ts';
import { createDynamoClient } from '../../src/store/dynamo-client.ts';
import { LOCAL_BUCKETS } from '../../src/local/defaults.ts';
import { allTables, dataItemTypes, type TableWithIndexesDefinition } from '../../src/store/tables.ts';
import { useDynalite } from './dynalite.ts';
import { useS3rver } from './s3rver.ts';
import { sqsEventForS3Object } from '../../src/local/events.ts';

/**
 * The servers of a pipeline test: dynalite with `tables` (default: every table the system has) under
 * their default names, and s3rver with the inbound, outbound and archive buckets of the local runtime;
 * started before the file's tests, stopped after.
 */
export function usePipelineServers(tables: readonly TableWithIndexesDefinition[] = allTables) {
  return {
    dynamo: useDynalite(tables.map((definition) => ({ definition, name: definition.defaultName }))),
    s3: useS3rver(Object.values(LOCAL_BUCKETS)),
  };
}

/** Every key under `prefix`, sorted (all pages). */
export async function keysIn(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((object) => object.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

/** An object's content as text. */
export async function textOf(s3: S3Client, bucket: string, key: string): Promise<string> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return response.Body!.transformToString();
}

/** Upload `content` and return the SQS event S3 → SQS would deliver for it. */
export async function uploadAsEvent(s3: S3Client, bucket: string, key: string, content: string | Uint8Array): Promise<SQSEvent> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: content }));
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  return sqsEventForS3Object(bucket, key, head.ContentLength ?? 0, head.ETag ?? '');
}

/** Every item of the data table with `itemType` (all pages of a scan). */
export async function itemsOfType(documents: DynamoDBDocumentClient, tableName: string, itemType: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, FilterExpression: 'itemType = :t', ExpressionAttributeValues: { ':t': itemType } }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * Capture every chunk written to stdout and stderr (the Powertools logger writes there) into `captured`,
 * letting it through; returns what restores the streams.
 */
export function captureOutput(captured: string[]): () => void {
  const restores: (() => void)[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write;
    restores.push(() => (stream.write = write));
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (write as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as typeof stream.write;
  }
  return () => restores.forEach((restore) => restore());
}

/** The claims a running local system stored for one file. */
export async function storedClaimsOf(runtime: LocalRuntime, fileId: string): Promise<Record<string, unknown>[]> {
  const client = createDynamoClient({ endpoint: runtime.endpoints.dynamodb, region: runtime.endpoints.region });
  try {
    const claims = await itemsOfType(DocumentClient.from(client), runtime.tables.data, dataItemTypes.claim);
    return claims.filter((claim) => claim.fileId === fileId);
  } finally {
    client.destroy();
  }
}
