/**
 * The deployment's settings, read from CDK context (`cdk.json`, or `-c key=value` on the command line)
 * so that one app deploys several environments without code changes. Every value has a default that
 * synthesizes offline; names of resources CDK can generate (buckets, queues) are left to CDK because
 * bucket names are global and a fixed name blocks a replacement.
 */
import type { Node } from 'constructs';

/** Context keys, all under the `claimpath:` namespace so they never clash with CDK's own. */
export const contextKeys = {
  resourcePrefix: 'claimpath:resourcePrefix',
  logRetentionDays: 'claimpath:logRetentionDays',
  alarmEmail: 'claimpath:alarmEmail',
  tenants: 'claimpath:tenants',
  splitThresholdBytes: 'claimpath:splitThresholdBytes',
  ingestMemoryMiB: 'claimpath:ingestMemoryMiB',
  ingestTimeoutSeconds: 'claimpath:ingestTimeoutSeconds',
  ingestMaxConcurrency: 'claimpath:ingestMaxConcurrency',
  maxReceiveCount: 'claimpath:maxReceiveCount',
  worklistApiMemoryMiB: 'claimpath:worklistApiMemoryMiB',
  archiveInfrequentAccessDays: 'claimpath:archiveInfrequentAccessDays',
  archiveGlacierDays: 'claimpath:archiveGlacierDays',
  noncurrentVersionExpirationDays: 'claimpath:noncurrentVersionExpirationDays',
  accessLogExpirationDays: 'claimpath:accessLogExpirationDays',
} as const;

/** What the stacks are built from. */
export interface ClaimPathInfraConfig {
  /** Prefix of stack names, table names and the user pool name (`claimpath` → `claimpath-data`). */
  readonly resourcePrefix: string;
  /** Retention of every log group the app creates, in days (a value CloudWatch Logs accepts). */
  readonly logRetentionDays: number;
  /** Where alarms are e-mailed; without it the alarms still publish to the topic, with no subscriber. */
  readonly alarmEmail?: string;
  /**
   * Tenants whose `{tenant}/837/` and `{tenant}/835/` prefixes are routed to ingest-claims and
   * ingest-remittance. S3 filters by key prefix only and
   * the tenant is the first path segment, so a prefix filter needs the tenants' names; with none, every
   * object created in the inbound bucket is delivered and the handler ignores keys it does not own.
   */
  readonly tenants: readonly string[];
  /** Batches larger than this are split into chunks (SPLIT_THRESHOLD_BYTES); unset keeps the handler's default. */
  readonly splitThresholdBytes?: number;
  readonly ingestMemoryMiB: number;
  readonly ingestTimeoutSeconds: number;
  /** Most concurrent invocations of each ingest function the SQS event source starts (2–1000). */
  readonly ingestMaxConcurrency: number;
  /** Memory of the worklist API function (re-scrubbing a correction loads the code sets). */
  readonly worklistApiMemoryMiB: number;
  /** Deliveries of one message before it moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
  readonly archiveInfrequentAccessDays: number;
  readonly archiveGlacierDays: number;
  readonly noncurrentVersionExpirationDays: number;
  /** Server access logs are audit records: kept six years by default (HIPAA documentation retention). */
  readonly accessLogExpirationDays: number;
}

/** The values used when the context says nothing. */
export const defaultInfraConfig: ClaimPathInfraConfig = {
  resourcePrefix: 'claimpath',
  logRetentionDays: 365,
  tenants: [],
  ingestMemoryMiB: 1024,
  ingestTimeoutSeconds: 300,
  ingestMaxConcurrency: 10,
  worklistApiMemoryMiB: 512,
  maxReceiveCount: 5,
  archiveInfrequentAccessDays: 30,
  archiveGlacierDays: 90,
  noncurrentVersionExpirationDays: 90,
  accessLogExpirationDays: 2190,
};

/** Thrown at synth when a context value cannot be used: a deployment must not guess. */
export class InfraConfigError extends Error {
  override readonly name = 'InfraConfigError';
  constructor(
    message: string,
    readonly contextKey: string,
  ) {
    super(`${message} (context ${contextKey})`);
  }
}

/**
 * The configuration of the app whose tree holds `node`.
 *
 * @example
 * // npx cdk synth -c claimpath:alarmEmail=ops@example.org -c claimpath:tenants=acme,zenith
 * const config = readInfraConfig(app.node);
 */
export function readInfraConfig(node: Node): ClaimPathInfraConfig {
  const integer = (key: string, fallback: number, min: number, max: number): number => {
    const raw: unknown = node.tryGetContext(key);
    if (raw === undefined) return fallback;
    const value = typeof raw === 'string' ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new InfraConfigError(`expected a whole number from ${min} to ${max}`, key);
    }
    return value;
  };
  const optionalString = (key: string): string | undefined => {
    const raw: unknown = node.tryGetContext(key);
    if (raw === undefined || raw === '') return undefined;
    if (typeof raw !== 'string') throw new InfraConfigError('expected a string', key);
    return raw;
  };
  const resourcePrefix = optionalString(contextKeys.resourcePrefix) ?? defaultInfraConfig.resourcePrefix;
  // Bucket names are `{prefix}-{role}-{account}-{region}` and S3 allows 63 characters.
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(resourcePrefix)) {
    throw new InfraConfigError('expected 1 to 20 lower-case letters, digits and hyphens, starting with a letter', contextKeys.resourcePrefix);
  }
  const splitThreshold = node.tryGetContext(contextKeys.splitThresholdBytes) as unknown;
  return {
    resourcePrefix,
    logRetentionDays: integer(contextKeys.logRetentionDays, defaultInfraConfig.logRetentionDays, 1, 3653),
    alarmEmail: optionalString(contextKeys.alarmEmail),
    tenants: readTenants(node.tryGetContext(contextKeys.tenants) as unknown),
    splitThresholdBytes:
      splitThreshold === undefined ? undefined : integer(contextKeys.splitThresholdBytes, 0, 1024, Number.MAX_SAFE_INTEGER),
    ingestMemoryMiB: integer(contextKeys.ingestMemoryMiB, defaultInfraConfig.ingestMemoryMiB, 128, 10240),
    ingestTimeoutSeconds: integer(contextKeys.ingestTimeoutSeconds, defaultInfraConfig.ingestTimeoutSeconds, 10, 900),
    ingestMaxConcurrency: integer(contextKeys.ingestMaxConcurrency, defaultInfraConfig.ingestMaxConcurrency, 2, 1000),
    worklistApiMemoryMiB: integer(contextKeys.worklistApiMemoryMiB, defaultInfraConfig.worklistApiMemoryMiB, 128, 10240),
    maxReceiveCount: integer(contextKeys.maxReceiveCount, defaultInfraConfig.maxReceiveCount, 1, 1000),
    archiveInfrequentAccessDays: integer(contextKeys.archiveInfrequentAccessDays, defaultInfraConfig.archiveInfrequentAccessDays, 30, 3650),
    archiveGlacierDays: integer(contextKeys.archiveGlacierDays, defaultInfraConfig.archiveGlacierDays, 31, 3650),
    noncurrentVersionExpirationDays: integer(
      contextKeys.noncurrentVersionExpirationDays,
      defaultInfraConfig.noncurrentVersionExpirationDays,
      1,
      3650,
    ),
    accessLogExpirationDays: integer(contextKeys.accessLogExpirationDays, defaultInfraConfig.accessLogExpirationDays, 1, 36500),
  };
}

/** Tenants come as a JSON array (cdk.json) or a comma-separated string (`-c` on the command line). */
function readTenants(raw: unknown): readonly string[] {
  if (raw === undefined || raw === '') return [];
  const list = typeof raw === 'string' ? raw.split(',').map((tenant) => tenant.trim()) : raw;
  if (!Array.isArray(list) || !list.every((tenant): tenant is string => typeof tenant === 'string' && /^[A-Za-z0-9_.-]+$/.test(tenant))) {
    throw new InfraConfigError('expected tenant names (letters, digits, _ . -)', contextKeys.tenants);
  }
  return list;
}
