/**
 * The S3 adapter of {@link ObjectStore}. Bodies are streamed (GetObject's body is a Node stream); a
 * missing object is `undefined`, not an error, because "already archived" is a normal state.
 *
 * A body given as a stream (`putStream`) is buffered up to one part: a body that fits is one PutObject;
 * a larger one goes up as a multipart upload, one part at a time (S3 wants at least 5 MiB in every part
 * but the last), so only about a part is ever held. The object appears when CompleteMultipartUpload
 * assembles it — whole, at once — and a failure on the way aborts the upload, so no part of a body is
 * ever readable under the key.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectInfo, ObjectLocation, ObjectStore } from '../claims/ports.ts';

const MIB = 1024 * 1024;
/** S3's smallest part of a multipart upload (every part but the last). */
export const MIN_PART_BYTES = 5 * MIB;
/** S3's largest part number. */
const MAX_PARTS = 10_000;

/** How the adapter writes streamed bodies. */
export interface S3ObjectStoreOptions {
  /**
   * Bytes of a streamed body buffered before they are sent as one part of a multipart upload (at least
   * {@link MIN_PART_BYTES}; default 8 MiB). A body of at most this size is written with one PutObject.
   */
  partBytes?: number;
}

export class S3ObjectStore implements ObjectStore {
  private readonly partBytes: number;

  constructor(
    private readonly client: S3Client,
    options: S3ObjectStoreOptions = {},
  ) {
    this.partBytes = options.partBytes ?? 8 * MIB;
    if (!Number.isInteger(this.partBytes) || this.partBytes < MIN_PART_BYTES) throw new RangeError('S3 parts hold at least 5 MiB');
  }

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

  async putStream(location: ObjectLocation, body: AsyncIterable<string | Uint8Array>, contentType: string): Promise<void> {
    const buffered: Uint8Array[] = [];
    let bufferedBytes = 0;
    const takeBuffered = (): Buffer => {
      const bytes = Buffer.concat(buffered, bufferedBytes);
      buffered.length = 0;
      bufferedBytes = 0;
      return bytes;
    };
    let upload: MultipartUpload | undefined;
    try {
      for await (const piece of body) {
        const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
        if (bytes.byteLength === 0) continue;
        // A full part goes up only once more follows: a body of exactly one part stays one PutObject.
        if (bufferedBytes >= this.partBytes) {
          upload ??= await MultipartUpload.start(this.client, location, contentType);
          await upload.send(takeBuffered());
        }
        buffered.push(bytes);
        bufferedBytes += bytes.byteLength;
      }
      if (upload === undefined) {
        await this.put(location, takeBuffered(), contentType);
        return;
      }
      await upload.send(takeBuffered());
      await upload.complete();
    } catch (error) {
      await upload?.abort();
      throw error;
    }
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

/** One multipart upload in progress: its parts' numbers and ETags, which completing it lists. */
class MultipartUpload {
  private readonly parts: CompletedPart[] = [];

  private constructor(
    private readonly client: S3Client,
    private readonly location: ObjectLocation,
    private readonly uploadId: string,
  ) {}

  static async start(client: S3Client, location: ObjectLocation, contentType: string): Promise<MultipartUpload> {
    const response = await client.send(new CreateMultipartUploadCommand({ Bucket: location.bucket, Key: location.key, ContentType: contentType }));
    if (!response.UploadId) throw new Error('CreateMultipartUpload returned no upload id');
    return new MultipartUpload(client, location, response.UploadId);
  }

  async send(part: Buffer): Promise<void> {
    const partNumber = this.parts.length + 1;
    if (partNumber > MAX_PARTS) throw new RangeError(`A multipart upload holds at most ${MAX_PARTS} parts`);
    const response = await this.client.send(
      new UploadPartCommand({ Bucket: this.location.bucket, Key: this.location.key, UploadId: this.uploadId, PartNumber: partNumber, Body: part, ContentLength: part.byteLength }),
    );
    this.parts.push({ PartNumber: partNumber, ETag: response.ETag });
  }

  async complete(): Promise<void> {
    await this.client.send(
      new CompleteMultipartUploadCommand({ Bucket: this.location.bucket, Key: this.location.key, UploadId: this.uploadId, MultipartUpload: { Parts: this.parts } }),
    );
  }

  /**
   * Best effort: the error that made us abort is the one to report, and an upload left behind is never
   * an object (nobody can read its parts) — the buckets' lifecycle rule removes it after a day.
   */
  async abort(): Promise<void> {
    try {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.location.bucket, Key: this.location.key, UploadId: this.uploadId }));
    } catch {
      // Left to the lifecycle rule (AbortIncompleteMultipartUpload).
    }
  }
}

function isNotFound(error: unknown): boolean {
  if (error instanceof NoSuchKey || error instanceof NotFound) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return status === 404;
}
