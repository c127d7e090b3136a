import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** A claims bucket: encrypted with the data key, access-logged, and with its own lifecycle. */
export interface SecureBucketProps {
  readonly bucketName: string;
  readonly encryptionKey: kms.IKey;
  readonly accessLogsBucket: s3.IBucket;
  /** Prefix of this bucket's server access logs in the log bucket (one folder per bucket). */
  readonly accessLogsPrefix: string;
  /** Lifecycle rules beyond the ones every bucket gets (abort incomplete uploads, expire old versions). */
  readonly lifecycleRules?: readonly s3.LifecycleRule[];
  readonly noncurrentVersionExpiration: Duration;
}

/**
 * The settings every bucket holding claims (PHI) shares, in one place so that no bucket can miss one:
 * SSE-KMS with the customer-managed key (bucket keys on, which cuts KMS calls by orders of magnitude),
 * TLS only, public access blocked, versioning, server access logs, and lifecycle rules that abort
 * abandoned multipart uploads and expire superseded versions. Buckets are retained when the stack is
 * deleted: they hold PHI and audit evidence.
 */
export class SecureBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: props.accessLogsPrefix,
      lifecycleRules: [
        {
          id: 'abort-incomplete-multipart-uploads',
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: props.noncurrentVersionExpiration,
        },
        ...(props.lifecycleRules ?? []),
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'HIPAA.Security-S3BucketReplicationEnabled',
      reason:
        'Cross-region replication needs a second region, a replica key and a role that only the deploying organization can choose; ' +
        'versioning protects against overwrites and deletes here, and replication can be added per deployment.',
    });
  }
}

/** What the server access log bucket needs to know. */
export interface AccessLogBucketProps {
  /** Days after which access log objects expire. */
  readonly expiration: Duration;
}

/**
 * The bucket the other buckets' server access logs go to. It uses S3-managed encryption because S3
 * server access logging cannot deliver to a bucket whose default encryption is SSE-KMS; the logs hold
 * request metadata (object keys, which carry tenant and file names, not claim content).
 */
export class AccessLogBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        {
          id: 'archive-then-expire-access-logs',
          transitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(90) }],
          expiration: props.expiration,
          noncurrentVersionExpiration: Duration.days(30),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'HIPAA.Security-S3DefaultEncryptionKMS',
      reason: 'S3 server access logging cannot deliver to a bucket encrypted with SSE-KMS; this bucket uses SSE-S3 (AES-256).',
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server access log bucket; logging it into itself would log its own log deliveries endlessly.',
    });
    Validations.of(this.bucket).acknowledge({
      id: 'HIPAA.Security-S3BucketLoggingEnabled',
      reason: 'This is the server access log bucket; logging it into itself would log its own log deliveries endlessly.',
    });
    Validations.of(this.bucket).acknowledge({
      id: 'HIPAA.Security-S3BucketReplicationEnabled',
      reason: 'Access logs are retained and versioned in place; replicating them is a per-deployment choice of a second region.',
    });
  }
}
