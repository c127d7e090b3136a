/**
 * A real local S3 server for integration tests: s3rver on 127.0.0.1, a free port chosen by the system,
 * objects in a temporary folder. Call {@link useS3rver} at the top of a test file: it starts the server
 * with `buckets` in `beforeAll` and, in `afterAll`, destroys the client, stops the server and removes
 * the folder (all awaited). Jest runs with `--openssl-legacy-provider`, which s3rver's listing needs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { createS3Client } from '../../src/store/clients.ts';

/** The running server, available inside tests (after `beforeAll`). */
export interface LocalS3 {
  readonly endpoint: string;
  /** A client on the server (path style, s3rver's checksum settings), shared by the file's tests. */
  readonly client: S3Client;
  readonly region: string;
}

const REGION = 'us-east-1';

/**
 * @example
 * const s3 = useS3rver(['inbound', 'outbound']);
 * test('…', async () => { await s3.client.send(new PutObjectCommand({ Bucket: 'inbound', … })); });
 */
export function useS3rver(buckets: readonly string[]): LocalS3 {
  let server: S3rver | undefined;
  let client: S3Client | undefined;
  let endpoint: string | undefined;
  let directory: string | undefined;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'claimpath-s3rver-'));
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: buckets.map((name) => ({ name })) });
    const address = await server.run();
    endpoint = `http://127.0.0.1:${address.port}`;
    client = createS3Client({ region: REGION, s3Endpoint: endpoint });
  });

  afterAll(async () => {
    client?.destroy();
    if (server) {
      server.httpServer?.closeAllConnections();
      await server.close();
    }
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  const running = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`s3rver ${what} is available only inside tests, after beforeAll`);
    return value;
  };
  return {
    get endpoint() {
      return running(endpoint, 'endpoint');
    },
    get client() {
      return running(client, 'client');
    },
    region: REGION,
  };
}
