/**
 * The configuration of ingest-claims, read once at cold start through a schema: a missing or malformed
 * variable stops the container before it takes an event. Resource names have no defaults.
 */
import { z } from 'zod';

/**
 * 2 MiB: about 5,000 professional claims, the most a transaction set should hold; one chunk's claims
 * then take some 50 MB of the function's memory, whatever the batch's size.
 */
export const DEFAULT_SPLIT_THRESHOLD_BYTES = 2 * 1024 * 1024;
/** Smaller chunks than this would cost more in objects and invocations than they save (and infra's floor). */
export const MIN_SPLIT_THRESHOLD_BYTES = 1024;

const name = z.string().min(1);
const endpoint = z.url({ protocol: /^https?$/ });

export const IngestClaimsConfigSchema = z.object({
  DATA_TABLE: name,
  RULES_TABLE: name,
  IDEMPOTENCY_TABLE: name,
  INBOUND_BUCKET: name,
  OUTBOUND_BUCKET: name,
  ARCHIVE_BUCKET: name,
  POWERTOOLS_SERVICE_NAME: name,
  /** Lambda always sets it; the local runtime must too. */
  AWS_REGION: name,
  /**
   * Batches larger than this (bytes) are split into chunks of at most about this size, processed in
   * parallel by this function; it bounds the memory one invocation needs (see README, "Large batches").
   */
  SPLIT_THRESHOLD_BYTES: z.coerce.number().int().min(MIN_SPLIT_THRESHOLD_BYTES).default(DEFAULT_SPLIT_THRESHOLD_BYTES),
  /** Where the code-set data files are (the stack copies them next to the bundle); default: the module's own folder. */
  CODE_SET_DATA_DIRECTORY: name.optional(),
  /** Local runtime only: dynalite's and s3rver's endpoints. */
  DYNAMODB_ENDPOINT: endpoint.optional(),
  S3_ENDPOINT: endpoint.optional(),
});
export type IngestClaimsConfig = z.infer<typeof IngestClaimsConfigSchema>;

/** A configuration variable is missing or malformed: names the variables, never their values. */
export class IngestClaimsConfigError extends Error {
  override readonly name = 'IngestClaimsConfigError';
  constructor(readonly variables: string[]) {
    super(`ingest-claims configuration is invalid: ${variables.join(', ')}`);
  }
}

/** Parse the environment (default `process.env`). */
export function loadIngestClaimsConfig(environment: Record<string, string | undefined> = process.env): IngestClaimsConfig {
  const result = IngestClaimsConfigSchema.safeParse(environment);
  if (!result.success) throw new IngestClaimsConfigError([...new Set(result.error.issues.map((issue) => issue.path.join('.')))]);
  return result.data;
}
