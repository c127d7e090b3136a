/**
 * The ingest-claims handler, assembled from its dependencies so that tests and the local runtime can
 * build it with their own ports (a wrapped adapter that fails on purpose) and logger; `handler.ts`
 * builds it once per container from the configuration.
 *
 * Thin on purpose: the shared ingest plumbing (functions/shared/s3-ingest-handler.ts) parses the SQS
 * record and the S3 notification in it and calls the use case once per object (idempotently, keyed on
 * bucket + key + ETag); this module maps the outcome to logs and metrics. A permanent outcome (a
 * rejected file, a key that is not ours, an object already archived) is a success: only transient
 * failures make the record fail and come back.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { ingestClaimsFile, type IngestClaimsOutcome, type IngestClaimsPorts } from '../../src/claims/ingest-claims.ts';
import { createIngestFunctionHandler, type IngestFunctionDependencies } from '../shared/s3-ingest-handler.ts';

/** What the handler is built from. */
export type IngestClaimsDependencies = IngestFunctionDependencies<IngestClaimsPorts>;

/**
 * The middy handler: SQS batch in, partial batch response out.
 *
 * @example
 * export const handler = createIngestClaimsHandler(dependencies);
 */
export function createIngestClaimsHandler(dependencies: IngestClaimsDependencies) {
  const { logger, metrics } = dependencies;
  return createIngestFunctionHandler(dependencies, ingestClaimsFile, (outcome: IngestClaimsOutcome, elapsedMs, messageId) => logOutcome(logger, metrics, outcome, elapsedMs, messageId));
}

/**
 * Logs and metrics of one outcome through an allowlist: ids, counts, codes and timings. Never the key's
 * name part (a file name may carry a patient's name), never claim data.
 */
function logOutcome(logger: Logger, metrics: Metrics, outcome: IngestClaimsOutcome, elapsedMs: number, messageId: string): void {
  const base = { messageId, outcome: outcome.kind, elapsedMs };
  switch (outcome.kind) {
    case 'processed':
    case 'rejected': {
      const { summary } = outcome;
      logger.info(outcome.kind === 'processed' ? 'Claims file processed' : 'Claims file rejected', {
        ...base,
        fileId: outcome.fileId,
        tenant: outcome.tenant,
        claims: summary.claims,
        accepted: summary.accepted,
        held: summary.held,
        duplicateInterchangeClaims: summary.duplicateInterchangeClaims,
        rejectedSetClaims: summary.rejectedSetClaims,
        verdict: summary.verdict,
        outboundObjects: summary.outboundKeys.length,
      });
      metrics.addMetric(outcome.kind === 'processed' ? 'FilesProcessed' : 'FilesRejected', MetricUnit.Count, 1);
      metrics.addMetric('ClaimsReceived', MetricUnit.Count, summary.claims);
      metrics.addMetric('ClaimsHeld', MetricUnit.Count, summary.held);
      metrics.addMetric('IngestMilliseconds', MetricUnit.Milliseconds, elapsedMs);
      return;
    }
    case 'split':
      logger.info('Claims file split into chunks', { ...base, fileId: outcome.fileId, tenant: outcome.tenant, chunks: outcome.chunks });
      metrics.addMetric('FilesSplit', MetricUnit.Count, 1);
      metrics.addMetric('ChunksWritten', MetricUnit.Count, outcome.chunks);
      return;
    case 'chunk-processed':
      logger.info('Chunk processed', { ...base, fileId: outcome.fileId, tenant: outcome.tenant, chunk: outcome.chunk, claims: outcome.claims });
      metrics.addMetric('ChunksProcessed', MetricUnit.Count, 1);
      metrics.addMetric('ClaimsReceived', MetricUnit.Count, outcome.claims);
      metrics.addMetric('IngestMilliseconds', MetricUnit.Milliseconds, elapsedMs);
      return;
    case 'already-complete':
    case 'already-rejected':
      logger.info('Claims file seen before; nothing to do', { ...base, fileId: outcome.fileId, tenant: outcome.tenant });
      metrics.addMetric('FilesRedelivered', MetricUnit.Count, 1);
      return;
    case 'missing':
      logger.info('No claims file to process', base);
      return;
    case 'ignored':
      logger.info('No claims file to process', { ...base, reason: outcome.reason });
      return;
  }
}
