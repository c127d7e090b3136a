/**
 * The two local AWS-compatible servers of the runtime, on loopback: dynalite (DynamoDB API; LevelDB
 * on disk, or memory) and s3rver (S3 API on the filesystem). Each start function resolves once the
 * server listens and returns its endpoint and a `close` that resolves once its port is released.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import type { S3rverEvent } from 's3rver';

/** Loopback only: the local system holds PHI and must not be reachable from the network. */
export const LOOPBACK_HOST = '127.0.0.1';

/** A running local server. */
export interface LocalServer {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly port: number;
  /** Stop listening and release the port (and, for a throw-away store, delete it). */
  close(): Promise<void>;
}

/** Options of {@link startDynamoServer}. */
export interface DynamoServerOptions {
  /** Port; 0 picks a free one. */
  port: number;
  /** LevelDB folder (created when missing); in memory when absent. */
  directory?: string;
}

/**
 * Start dynalite on loopback.
 *
 * @example
 * const dynamo = await startDynamoServer({ port: 0 }); // in memory, any free port
 */
export async function startDynamoServer(options: DynamoServerOptions): Promise<LocalServer> {
  if (options.directory !== undefined) await mkdir(options.directory, { recursive: true });
  // No CREATING/DELETING delays: tables are usable as soon as CreateTable returns.
  const server = dynalite({
    ...(options.directory !== undefined ? { path: options.directory } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const port = await listen(server, options.port);
  return {
    endpoint: `http://${LOOPBACK_HOST}:${port}`,
    port,
    close: () => closeServer(server),
  };
}

/** Options of {@link startS3Server}. */
export interface S3ServerOptions {
  /** Port; 0 picks a free one. */
  port: number;
  /** Where objects are kept (created when missing); a temporary folder, deleted on close, when absent. */
  directory?: string;
  /** Buckets to create when missing. */
  buckets: readonly string[];
  /** Told every S3 event notification s3rver emits (object created or removed). */
  onEvent: (event: S3rverEvent) => void;
}

/** The S3 server, with the folder it keeps objects in (shown to people: that is where the acks are). */
export interface LocalS3Server extends LocalServer {
  readonly directory: string;
}

/**
 * Start s3rver on loopback with `buckets` created.
 *
 * @example
 * const s3 = await startS3Server({ port: 0, buckets: ['inbound'], onEvent: (event) => queue(event) });
 */
export async function startS3Server(options: S3ServerOptions): Promise<LocalS3Server> {
  // s3rver always stores on disk: "in memory" is a private temporary folder, removed on close.
  const temporary = options.directory === undefined;
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'claimpath-s3-')));
  await mkdir(directory, { recursive: true });
  const server = new S3rver({
    address: LOOPBACK_HOST,
    port: options.port,
    directory,
    // Its request log names object keys; the runtime prints its own summary instead.
    silent: true,
    // Path-style requests only (the clients set forcePathStyle): no host name is read as a bucket.
    vhostBuckets: false,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  server.on('event', options.onEvent);
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (error) {
    if (temporary) await rm(directory, { recursive: true, force: true });
    throw error;
  }
  return {
    endpoint: `http://${LOOPBACK_HOST}:${address.port}`,
    port: address.port,
    directory,
    close: async () => {
      // Kept-alive client sockets would hold close() open until they time out.
      server.httpServer?.closeAllConnections();
      await server.close();
      if (temporary) await rm(directory, { recursive: true, force: true });
    },
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK_HOST, () => {
      server.off('error', reject);
      const address: AddressInfo | string | null = server.address();
      if (address === null || typeof address === 'string') reject(new Error('the server is not listening on a TCP port'));
      else resolve(address.port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
