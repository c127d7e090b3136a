/**
 * What happened to one submitted file, read back from the outbound bucket the way a billing office
 * would read it: the acknowledgments under `{tenant}/acks/{fileId}/` (TA1s, 999s, the 277CA), the JSON
 * report and the clean 837s in the payer outboxes. Counts come from the acknowledgments themselves
 * (read with the project's own 999 and 277CA readers), so the summary says what the submitter was
 * told. Nothing here holds or prints PHI: counts, codes and object keys only.
 */
import { z } from 'zod';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, NotFound, type S3Client } from '@aws-sdk/client-s3';
import { claimsOf, read277CA } from '../x12/read-277ca.ts';
import { read999 } from '../x12/read-999.ts';

/** 277CA claim status categories that reject a claim (005010X214: A3 unprocessable, A6 missing, A7 invalid, A8 relational). */
const REJECTING_CATEGORIES: ReadonlySet<string> = new Set(['A3', 'A6', 'A7', 'A8']);
/** IK501 / AK901 / TA104 codes of acceptance (E: accepted with errors noted). */
const ACCEPTING_CODES: ReadonlySet<string> = new Set(['A', 'E']);

/** The few fields of the JSON report the summary shows; the rest of the report is not relied on. */
const ReportHeadSchema = z.looseObject({
  /** `complete`, or `rejected` (nothing stored: the file stays in the inbound bucket). */
  status: z.string().optional(),
  /** The X12 verdict of the whole file. */
  verdict: z.string().optional(),
});

/** Where a file's outputs are. */
export interface ProcessedFileLocation {
  outboundBucket: string;
  tenant: string;
  fileId: string;
}

/** Counts and object keys of one processed file. */
export interface ProcessedFileSummary extends ProcessedFileLocation {
  /** The report's file status and X12 verdict, when the report was written and says. */
  status: string | undefined;
  verdict: string | undefined;
  /** TA1s: interchanges accepted (A, E) and rejected (R), with the TA105 note codes of the rejections. */
  interchanges: { accepted: number; rejected: number; rejectionNoteCodes: string[] };
  /** 999 IK5s: transaction sets accepted (A, E) and rejected. */
  transactionSets: { accepted: number; rejected: number };
  /** 277CA: claims accepted, and held (rejected with an A3/A6/A7/A8 status: they became work items). */
  claims: { accepted: number; held: number };
  /** Acknowledgment object keys (TA1, 999, 277CA), sorted. */
  acknowledgmentKeys: string[];
  /** The JSON report's key, when it was written. */
  reportKey: string | undefined;
  /** Clean 837s forwarded to payer outboxes. */
  outboxKeys: string[];
}

/** The outbound keys of a file's outputs (as DESIGN.md's layout names them). */
export function outboundKeysOf(location: Pick<ProcessedFileLocation, 'tenant' | 'fileId'>): { acknowledgmentPrefix: string; reportKey: string; outboxPrefix: string } {
  return {
    acknowledgmentPrefix: `${location.tenant}/acks/${location.fileId}/`,
    reportKey: `${location.tenant}/reports/${location.fileId}.json`,
    outboxPrefix: `${location.tenant}/outbox/`,
  };
}

/**
 * Read a processed file's acknowledgments back from the outbound bucket and count what they say.
 *
 * @example
 * const summary = await summarizeProcessedFile(s3, { outboundBucket: 'claimpath-outbound', tenant: 'demo', fileId });
 * console.log(`${summary.claims.accepted} accepted, ${summary.claims.held} held`);
 */
export async function summarizeProcessedFile(s3: S3Client, location: ProcessedFileLocation): Promise<ProcessedFileSummary> {
  const keys = outboundKeysOf(location);
  const acknowledgmentKeys = (await listKeys(s3, location.outboundBucket, keys.acknowledgmentPrefix)).sort();
  const outboxKeys = (await listKeys(s3, location.outboundBucket, keys.outboxPrefix)).filter((key) => key.endsWith(`/${location.fileId}.837`)).sort();
  const reportKey = (await objectExists(s3, location.outboundBucket, keys.reportKey)) ? keys.reportKey : undefined;

  const summary: ProcessedFileSummary = {
    ...location,
    status: undefined,
    verdict: undefined,
    interchanges: { accepted: 0, rejected: 0, rejectionNoteCodes: [] },
    transactionSets: { accepted: 0, rejected: 0 },
    claims: { accepted: 0, held: 0 },
    acknowledgmentKeys,
    reportKey,
    outboxKeys,
  };
  if (reportKey !== undefined) {
    const head = readReportHead(await readObject(s3, location.outboundBucket, reportKey));
    summary.status = head?.status;
    summary.verdict = head?.verdict;
  }
  for (const key of acknowledgmentKeys) {
    const content = await readObject(s3, location.outboundBucket, key);
    if (key.endsWith('277ca.x12')) {
      const { acknowledgments } = await read277CA(content);
      for (const claim of acknowledgments.flatMap(claimsOf)) {
        const rejected = claim.statuses.some((information) => information.statuses.some((status) => REJECTING_CATEGORIES.has(status.category)));
        if (rejected) summary.claims.held += 1;
        else summary.claims.accepted += 1;
      }
      continue;
    }
    // TA1 and 999 files are read by the same reader (a TA1 may also ride in a 999's interchange).
    const { acknowledgments } = await read999(content);
    for (const acknowledgment of acknowledgments) {
      if (acknowledgment.kind === 'TA1') {
        if (ACCEPTING_CODES.has(acknowledgment.acknowledgmentCode)) summary.interchanges.accepted += 1;
        else {
          summary.interchanges.rejected += 1;
          summary.interchanges.rejectionNoteCodes.push(acknowledgment.noteCode);
        }
      } else if (acknowledgment.kind === '999') {
        for (const response of acknowledgment.transactionSets) {
          if (ACCEPTING_CODES.has(response.acknowledgmentCode)) summary.transactionSets.accepted += 1;
          else summary.transactionSets.rejected += 1;
        }
      }
    }
  }
  return summary;
}

/** The report's status and verdict, or undefined when it is not the JSON expected. */
function readReportHead(content: Uint8Array): z.infer<typeof ReportHeadSchema> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(content).toString('utf8'));
  } catch {
    return undefined;
  }
  const result = ReportHeadSchema.safeParse(value);
  return result.success ? result.data : undefined;
}

/** True when anything in the file was rejected: an interchange, a transaction set, or a claim held. */
export function hasRejections(summary: ProcessedFileSummary): boolean {
  return summary.interchanges.rejected > 0 || summary.transactionSets.rejected > 0 || summary.claims.held > 0;
}

/**
 * Every key under `prefix`. The local server (s3rver) needs Node's `--openssl-legacy-provider` to
 * page (its continuation tokens use DES), so pages are asked for only when a listing is truncated.
 */
export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  return (await listObjects(s3, bucket, prefix)).map((object) => object.key);
}

/** Every object under `prefix` with its last-modified time (see {@link listKeys} on paging). */
export async function listObjects(s3: S3Client, bucket: string, prefix: string): Promise<{ key: string; lastModified: Date | undefined }[]> {
  const objects: { key: string; lastModified: Date | undefined }[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: continuationToken }));
    for (const object of page.Contents ?? []) if (object.Key !== undefined) objects.push({ key: object.Key, lastModified: object.LastModified });
    continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuationToken !== undefined);
  return objects;
}

/** True when the object exists (HEAD succeeds), false when it does not. */
export async function objectExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (error instanceof NotFound || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

/** An object's bytes (acknowledgments are small: read whole). */
export async function readObject(s3: S3Client, bucket: string, key: string): Promise<Uint8Array> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (response.Body === undefined) return new Uint8Array();
  return response.Body.transformToByteArray();
}

/**
 * Wait until `key` exists in `bucket` (polling HEAD), or `timeoutMs` passes; resolves to whether it
 * appeared.
 */
export async function waitForObject(s3: S3Client, bucket: string, key: string, timeoutMs: number, pollMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await objectExists(s3, bucket, key)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
  }
}
