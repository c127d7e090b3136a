/**
 * The configuration of ingest-remittance, read once at cold start through a schema: a missing or
 * malformed variable stops the container before it takes an event. The same variables as
 * ingest-claims (functions/shared/ingest-config.ts), and where the payer directory is.
 */
import { z } from 'zod';
import { ingestConfigShape, loadIngestConfig } from '../shared/ingest-config.ts';

export const IngestRemittanceConfigSchema = z.object({
  ...ingestConfigShape,
  /**
   * The key of the payer directory document (JSON, schemas/payer-directory.schema.ts) in the inbound
   * bucket, outside every `{tenant}/835/` prefix (e.g. `_config/payer-directory.json`). Without it the
   * directory bundled with the function (events/payers/directory.json) is used.
   */
  PAYER_DIRECTORY_KEY: z.string().min(1).optional(),
});
export type IngestRemittanceConfig = z.infer<typeof IngestRemittanceConfigSchema>;

/** Parse the environment (default `process.env`). */
export function loadIngestRemittanceConfig(environment: Record<string, string | undefined> = process.env): IngestRemittanceConfig {
  return loadIngestConfig(IngestRemittanceConfigSchema, 'ingest-remittance', environment);
}
