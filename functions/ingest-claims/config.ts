/**
 * The configuration of ingest-claims, read once at cold start through a schema: a missing or malformed
 * variable stops the container before it takes an event. Resource names have no defaults.
 */
import { z } from 'zod';

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
  /** Above this size a batch is split into chunks (item 5; not used yet). */
  SPLIT_THRESHOLD_BYTES: z.coerce.number().int().positive().optional(),
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
