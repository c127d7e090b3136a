/**
 * The ingest-remittance handler, assembled from its dependencies so that tests and the local runtime
 * can build it with their own ports and logger; `handler.ts` builds it once per container from the
 * configuration.
 *
 * Thin on purpose: the shared ingest plumbing (functions/shared/s3-ingest-handler.ts) parses the SQS
 * record and the S3 notification in it and calls the use case once per object (idempotently); this
 * module maps the outcome to logs and metrics. A permanent outcome (a rejected file, a key that is
 * not ours, an object already archived) is a success: only transient failures make the record fail.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { ingestRemittanceFile, type IngestRemittanceOutcome, type IngestRemittancePorts } from '../../src/remits/ingest-remittance.ts';
import { createIngestFunctionHandler, type IngestFunctionDependencies } from '../shared/s3-ingest-handler.ts';

/** What the handler is built from. */
export type IngestRemittanceDependencies = IngestFunctionDependencies<IngestRemittancePorts>;

/**
 * The middy handler: SQS batch in, partial batch response out.
 *
 * @example
 * export const handler = createIngestRemittanceHandler(dependencies);
 */
export function createIngestRemittanceHandler(dependencies: IngestRemittanceDependencies) {
  const { logger, metrics } = dependencies;
  return createIngestFunctionHandler(dependencies, ingestRemittanceFile, (outcome: IngestRemittanceOutcome, elapsedMs, messageId) => logOutcome(logger, metrics, outcome, elapsedMs, messageId));
}

/**
 * Logs and metrics of one outcome through an allowlist: ids, counts, codes and timings. Never the key's
 * name part (a file name may carry a patient's name), never remittance data (patient control numbers,
 * names, member ids, bank accounts).
 */
function logOutcome(logger: Logger, metrics: Metrics, outcome: IngestRemittanceOutcome, elapsedMs: number, messageId: string): void {
  const base = { messageId, outcome: outcome.kind, elapsedMs };
  switch (outcome.kind) {
    case 'processed':
    case 'rejected': {
      const { summary } = outcome;
      logger.info(outcome.kind === 'processed' ? 'Remittance file posted' : 'Remittance file rejected', {
        ...base,
        fileId: outcome.fileId,
        tenant: outcome.tenant,
        claimPayments: summary.claimPayments,
        posted: summary.posted,
        reversals: summary.reversals,
        unmatched: summary.unmatched,
        denialItems: summary.denialItems,
        underpaymentItems: summary.underpaymentItems,
        unmatchedLines: summary.unmatchedLines,
        problems: summary.problems,
        verdict: summary.verdict,
        outboundObjects: summary.outboundKeys.length,
      });
      metrics.addMetric(outcome.kind === 'processed' ? 'RemittancesPosted' : 'RemittancesRejected', MetricUnit.Count, 1);
      metrics.addMetric('ClaimPaymentsReceived', MetricUnit.Count, summary.claimPayments);
      metrics.addMetric('ClaimPaymentsPosted', MetricUnit.Count, summary.posted);
      metrics.addMetric('ClaimPaymentsUnmatched', MetricUnit.Count, summary.unmatched);
      metrics.addMetric('DenialItemsCreated', MetricUnit.Count, summary.denialItems);
      metrics.addMetric('RemittanceMilliseconds', MetricUnit.Milliseconds, elapsedMs);
      return;
    }
    case 'already-complete':
    case 'already-rejected':
      logger.info('Remittance file seen before; nothing to do', { ...base, fileId: outcome.fileId, tenant: outcome.tenant });
      metrics.addMetric('RemittancesRedelivered', MetricUnit.Count, 1);
      return;
    case 'missing':
    case 'ignored':
      logger.info('No remittance file to process', base);
      return;
  }
}
