/**
 * Types for `s3rver` 3.x (an S3-compatible server on the filesystem, used by the local runtime and the
 * integration tests), which ships none. Only what this project calls is declared.
 */
declare module 's3rver' {
  import type { EventEmitter } from 'node:events';
  import type { Server } from 'node:http';
  import type { AddressInfo } from 'node:net';

  class S3rver extends EventEmitter {
    constructor(options?: S3rver.S3rverOptions);
    /** Create the configured buckets, then listen; resolves to the bound address. */
    run(): Promise<AddressInfo>;
    /** Stop listening (resolves when the HTTP server has closed). */
    close(): Promise<void>;
    /** The HTTP server, once running. */
    httpServer?: Server;
    on(event: 'event', listener: (event: S3rver.S3rverEvent) => void): this;
    on(event: string | symbol, listener: (...args: unknown[]) => void): this;
  }

  namespace S3rver {
    /** A bucket to create when the server starts. */
    interface S3rverBucketConfiguration {
      name: string;
      /** CORS or website configuration documents (XML). */
      configs?: (string | Buffer)[];
    }

    interface S3rverOptions {
      /** Host to listen on (default `localhost`). */
      address?: string;
      /** Port to listen on (default 4568; 0 picks a free one). */
      port?: number;
      /** No request log on the console. */
      silent?: boolean;
      /** Where buckets and objects are kept (one folder per bucket). */
      directory?: string;
      /** Delete every bucket when the server closes. */
      resetOnClose?: boolean;
      allowMismatchedSignatures?: boolean;
      /** Treat a host name as a bucket name (virtual-host style); off keeps requests path style. */
      vhostBuckets?: boolean;
      configureBuckets?: S3rverBucketConfiguration[];
    }

    /** One S3 event notification record, as s3rver emits it (the shape S3 delivers). */
    interface S3rverEventRecord {
      eventVersion: string;
      eventSource: 'aws:s3';
      awsRegion: string;
      eventTime: string;
      /** `ObjectCreated:Put|Post|Copy` or `ObjectRemoved:Delete`. */
      eventName: string;
      s3: {
        s3SchemaVersion: string;
        configurationId: string;
        bucket: { name: string; arn: string; ownerIdentity: { principalId: string } };
        /** `key` as stored (s3rver does not URL-encode it as S3 does); `size` and `eTag` on creation. */
        object: { key: string; size?: number; eTag?: string; sequencer: string };
      };
    }

    /** What s3rver emits as `'event'`: one notification with one record. */
    interface S3rverEvent {
      Records: S3rverEventRecord[];
    }
  }

  export = S3rver;
}
