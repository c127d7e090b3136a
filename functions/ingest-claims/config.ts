/**
 * The configuration of ingest-claims, read once at cold start through a schema: a missing or malformed
 * variable stops the container before it takes an event. The variables of every ingest function
 * (functions/shared/ingest-config.ts), and the split threshold of large batches.
 */
import { z } from 'zod';
import { ingestConfigShape, loadIngestConfig } from '../shared/ingest-config.ts';

/**
 * 2 MiB: about 5,000 professional claims, the most a transaction set should hold; one chunk's claims
 * then take some 50 MB of the function's memory, whatever the batch's size.
 */
export const DEFAULT_SPLIT_THRESHOLD_BYTES = 2 * 1024 * 1024;
/** Smaller chunks than this would cost more in objects and invocations than they save (and infra's floor). */
export const MIN_SPLIT_THRESHOLD_BYTES = 1024;

export const IngestClaimsConfigSchema = z.object({
  ...ingestConfigShape,
  /**
   * Batches larger than this (bytes) are split into chunks of at most about this size, processed in
   * parallel by this function; it bounds the memory one invocation needs (see README, "Large batches").
   */
  SPLIT_THRESHOLD_BYTES: z.coerce.number().int().min(MIN_SPLIT_THRESHOLD_BYTES).default(DEFAULT_SPLIT_THRESHOLD_BYTES),
});
export type IngestClaimsConfig = z.infer<typeof IngestClaimsConfigSchema>;

/** Parse the environment (default `process.env`); throws `IngestConfigError` naming the variables at fault. */
export function loadIngestClaimsConfig(environment: Record<string, string | undefined> = process.env): IngestClaimsConfig {
  return loadIngestConfig(IngestClaimsConfigSchema, 'ingest-claims', environment);
}
