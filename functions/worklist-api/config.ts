/**
 * The configuration of worklist-api, read once at cold start through a schema: a missing or malformed
 * variable stops the container before it takes a request. Resource names have no defaults.
 */
import { z } from 'zod';

const name = z.string().min(1);
const endpoint = z.url({ protocol: /^https?$/ });

export const WorklistApiConfigSchema = z.object({
  DATA_TABLE: name,
  RULES_TABLE: name,
  /** Where resubmitted 837s go (`{tenant}/outbox/<payer>/resubmit-…`). */
  OUTBOUND_BUCKET: name,
  /** Lambda always sets it; the local runtime must too. */
  AWS_REGION: name,
  POWERTOOLS_SERVICE_NAME: name,
  /** Where the code-set data files are (the stack copies them next to the bundle); default: the module's own folder. */
  CODE_SET_DATA_DIRECTORY: name.optional(),
  /** Local runtime only: dynalite's and s3rver's endpoints. */
  DYNAMODB_ENDPOINT: endpoint.optional(),
  S3_ENDPOINT: endpoint.optional(),
});
export type WorklistApiConfig = z.infer<typeof WorklistApiConfigSchema>;

/** A configuration variable is missing or malformed: names the variables, never their values. */
export class WorklistApiConfigError extends Error {
  override readonly name = 'WorklistApiConfigError';
  constructor(readonly variables: string[]) {
    super(`worklist-api configuration is invalid: ${variables.join(', ')}`);
  }
}

/** Parse the environment (default `process.env`). */
export function loadWorklistApiConfig(environment: Record<string, string | undefined> = process.env): WorklistApiConfig {
  const result = WorklistApiConfigSchema.safeParse(environment);
  if (!result.success) throw new WorklistApiConfigError([...new Set(result.error.issues.map((issue) => issue.path.join('.')))]);
  return result.data;
}
