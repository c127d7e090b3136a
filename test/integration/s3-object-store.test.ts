/**
 * The S3 adapter's streamed writes on a real local S3 server (s3rver): a body that fits one part is one
 * PutObject; a larger one goes up as a multipart upload, part by part, and reads back byte for byte; a
 * body that fails on the way leaves no object (and not half of one) — what was under the key stays.
 * Each test uses a client of its own that records the commands it sends.
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/store/clients.ts';
import { MIN_PART_BYTES, S3ObjectStore } from '../../src/store/s3-object-store.ts';
import { useS3rver } from '../support/s3rver.ts';

const BUCKET = 'objects';
const s3 = useS3rver([BUCKET]);

/** A client on the server that records the name of every command it sends. */
function recordingClient(): { client: S3Client; commands: string[] } {
  const client = createS3Client({ region: s3.region, s3Endpoint: s3.endpoint });
  const commands: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'recordCommandNames' },
  );
  return { client, commands };
}

async function bytesOf(key: string): Promise<Buffer> {
  const response = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await response.Body!.transformToByteArray());
}

/** Deterministic bytes that are not one repeated pattern (a misplaced part would show). */
function patternedBytes(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed;
  for (let index = 0; index < length; index++) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

async function* piecesOf(...pieces: (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
  for (const piece of pieces) yield piece;
}

describe('S3ObjectStore.putStream', () => {
  test('a body within one part is one PutObject, with its content type', async () => {
    const { client, commands } = recordingClient();
    const store = new S3ObjectStore(client);
    const key = 'small/report.json';

    await store.putStream({ bucket: BUCKET, key }, piecesOf('{\n  "claims": [', '', new Uint8Array([0x5d]), '\n}'), 'application/json');

    expect(commands).toEqual(['PutObjectCommand']);
    expect((await bytesOf(key)).toString('utf8')).toBe('{\n  "claims": []\n}');
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head.ContentType).toBe('application/json');
    client.destroy();
  });

  test('a body over one part goes up as a multipart upload and reads back byte for byte', async () => {
    const { client, commands } = recordingClient();
    const store = new S3ObjectStore(client, { partBytes: MIN_PART_BYTES });
    const key = 'large/277ca.x12';
    // 11 MiB and a bit, in pieces of many sizes (up to 64 KiB): text (with multi-byte characters) and bytes.
    const binary = patternedBytes(11 * 1024 * 1024 + 777, 7);
    const sizes = [1, 13, 4_096, 65_537, 30_001];
    const pieces: (string | Uint8Array)[] = [];
    for (let offset = 0, index = 0; offset < binary.length; offset += sizes[index++ % sizes.length]!) {
      pieces.push(binary.subarray(offset, offset + sizes[index % sizes.length]!), `§${offset}~`);
    }
    const expected = Buffer.concat(pieces.map((piece) => (typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece)));

    await store.putStream({ bucket: BUCKET, key }, piecesOf(...pieces), 'application/edi-x12');

    // Two full parts of at least 5 MiB, then the rest: three parts.
    expect(commands).toEqual(['CreateMultipartUploadCommand', 'UploadPartCommand', 'UploadPartCommand', 'UploadPartCommand', 'CompleteMultipartUploadCommand']);
    const written = await bytesOf(key);
    expect(written.length).toBe(expected.length);
    expect(createHash('sha256').update(written).digest('hex')).toBe(createHash('sha256').update(expected).digest('hex'));
    const head = await s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head.ContentType).toBe('application/edi-x12');
    client.destroy();
  });

  test('a body that fails after a part went up aborts the upload: no object, the source error', async () => {
    const { client, commands } = recordingClient();
    const store = new S3ObjectStore(client, { partBytes: MIN_PART_BYTES });
    const key = 'failing/277ca.x12';
    async function* failingAfterOnePart(): AsyncGenerator<Uint8Array> {
      yield patternedBytes(MIN_PART_BYTES, 1);
      yield patternedBytes(1_000, 2);
      throw new Error('the chunk results could not be read');
    }

    await expect(store.putStream({ bucket: BUCKET, key }, failingAfterOnePart(), 'application/edi-x12')).rejects.toThrow('the chunk results could not be read');

    expect(commands).toEqual(['CreateMultipartUploadCommand', 'UploadPartCommand', 'AbortMultipartUploadCommand']);
    expect(await store.head({ bucket: BUCKET, key })).toBeUndefined();
    client.destroy();
  });

  test('a body that fails before a part went up writes nothing: what was under the key stays', async () => {
    const { client, commands } = recordingClient();
    const store = new S3ObjectStore(client);
    const key = 'failing/report.json';
    await store.put({ bucket: BUCKET, key }, 'the earlier report', 'application/json');
    commands.length = 0;
    async function* failingAtOnce(): AsyncGenerator<string> {
      yield '{ "claims": [';
      throw new Error('the chunk results could not be read');
    }

    await expect(store.putStream({ bucket: BUCKET, key }, failingAtOnce(), 'application/json')).rejects.toThrow('the chunk results could not be read');

    expect(commands).toEqual([]);
    expect((await bytesOf(key)).toString('utf8')).toBe('the earlier report');
    client.destroy();
  });

  test('parts below S3 minimum are refused', () => {
    expect(() => new S3ObjectStore(s3.client, { partBytes: MIN_PART_BYTES - 1 })).toThrow(RangeError);
  });
});
