/**
 * The S3 adapter of {@link ObjectStore}. Bodies are streamed (GetObject's body is a Node stream); a
 * missing object is `undefined`, not an error, because "already archived" is a normal state.
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectInfo, ObjectLocation, ObjectStore } from '../claims/ports.ts';

export class S3ObjectStore implements ObjectStore {
  constructor(private readonly client: S3Client) {}

  async get(location: ObjectLocation): Promise<AsyncIterable<Uint8Array> | undefined> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
      const body = response.Body;
      if (body === undefined) return undefined;
      // In Node the body is an IncomingMessage: an async iterable of Buffers.
      return body as unknown as AsyncIterable<Uint8Array>;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async head(location: ObjectLocation): Promise<ObjectInfo | undefined> {
    try {
      const response = await this.client.send(new HeadObjectCommand({ Bucket: location.bucket, Key: location.key }));
      return { size: response.ContentLength ?? 0, ...(response.ETag ? { etag: response.ETag } : {}) };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async put(location: ObjectLocation, body: string | Uint8Array, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: location.bucket, Key: location.key, Body: body, ContentType: contentType }));
  }

  async copy(from: ObjectLocation, to: ObjectLocation): Promise<void> {
    // CopySource is `bucket/key` with the key URL-encoded (each path segment: the slashes stay).
    const source = `${from.bucket}/${from.key.split('/').map(encodeURIComponent).join('/')}`;
    await this.client.send(new CopyObjectCommand({ Bucket: to.bucket, Key: to.key, CopySource: source }));
  }

  async delete(location: ObjectLocation): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: location.bucket, Key: location.key }));
  }
}

function isNotFound(error: unknown): boolean {
  if (error instanceof NoSuchKey || error instanceof NotFound) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return status === 404;
}
