/**
 * The configuration both ingest functions read at cold start (the same variable names, so that the
 * stacks and the local runtime set them the same way), and how a function parses its own: once, through
 * a schema, naming every variable at fault and none of their values. Resource names have no defaults.
 */
import { z } from 'zod';

const name = z.string().min(1);
const endpoint = z.url({ protocol: /^https?$/ });

/** The variables of every ingest function. */
export const ingestConfigShape = {
  DATA_TABLE: name,
  RULES_TABLE: name,
  IDEMPOTENCY_TABLE: name,
  INBOUND_BUCKET: name,
  OUTBOUND_BUCKET: name,
  ARCHIVE_BUCKET: name,
  POWERTOOLS_SERVICE_NAME: name,
  /** Lambda always sets it; the local runtime must too. */
  AWS_REGION: name,
  /** Where the code-set data files are (the stack copies them next to the bundle); default: the module's own folder. */
  CODE_SET_DATA_DIRECTORY: name.optional(),
  /** Local runtime only: dynalite's and s3rver's endpoints. */
  DYNAMODB_ENDPOINT: endpoint.optional(),
  S3_ENDPOINT: endpoint.optional(),
};

/** A configuration variable is missing or malformed: names the variables, never their values. */
export class IngestConfigError extends Error {
  override readonly name = 'IngestConfigError';
  constructor(
    readonly functionName: string,
    readonly variables: string[],
  ) {
    super(`${functionName} configuration is invalid: ${variables.join(', ')}`);
  }
}

/**
 * Parse `environment` with a function's schema.
 *
 * @throws {IngestConfigError} naming the variables at fault.
 * @example
 * const config = loadIngestConfig(IngestRemittanceConfigSchema, 'ingest-remittance');
 */
export function loadIngestConfig<Schema extends z.ZodType>(schema: Schema, functionName: string, environment: Record<string, string | undefined> = process.env): z.infer<Schema> {
  const result = schema.safeParse(environment);
  if (!result.success) throw new IngestConfigError(functionName, [...new Set(result.error.issues.map((issue) => issue.path.join('.')))]);
  return result.data;
}
