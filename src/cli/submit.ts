/**
 * `claimpath submit FILE --tenant T`: drop an 837 batch into the inbound bucket under `{T}/837/{name}`,
 * where the ingest-claims function picks it up — on the local system (`npm start`) by default, or on
 * AWS when a bucket is configured. With `--wait`, wait for the file's report in the outbound bucket and
 * print what its acknowledgments say (counts and object keys only: never an element value).
 *
 * Exit: 0 uploaded (with --wait: processed, nothing rejected), 1 with --wait: something was rejected
 * (an interchange, a transaction set, or a claim held), 2 usage error, 3 upload failed or --wait timed out.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { LOCAL_BUCKETS, LOCAL_REGION, LOCAL_S3_ENDPOINT } from '../local/defaults.ts';
import { TradingPartnerSettingsSchema, fileIdOf } from '../claims/ports.ts';
import { hasRejections, outboundKeysOf, summarizeProcessedFile, waitForObject } from '../local/file-summary.ts';
import { createS3Client } from '../store/clients.ts';
import { ExitCode, parseCommandArgs, UsageError, type CliCommand, type CliContext } from './args.ts';

const DEFAULT_WAIT_SECONDS = 60;
/** Files up to this size are uploaded from memory (retryable); bigger ones are streamed. */
const MAX_BUFFERED_UPLOAD_BYTES = 256 * 1024 * 1024;

const usage = `Usage: claimpath submit FILE --tenant T [--bucket B] [--endpoint URL] [--wait [--timeout SECONDS]]

Upload an X12 837 batch for processing, as object {T}/837/{FILE's name} of the inbound bucket.

  --tenant T         the billing office (tenant) the file belongs to: letters, digits, '-' and '_'
  --bucket B         the inbound bucket (default: env CLAIMPATH_INBOUND_BUCKET). Given a bucket and no
                     endpoint, the file goes to AWS, with the credentials and region of the
                     environment (AWS_PROFILE, AWS_REGION…)
  --endpoint URL     an S3 endpoint (default: env CLAIMPATH_S3_ENDPOINT). With neither a bucket nor an
                     endpoint, the file goes to the local system: ${LOCAL_S3_ENDPOINT}, bucket ${LOCAL_BUCKETS.inbound}
  --wait             wait until the file is processed, then print its acknowledgments' counts and keys
  --outbound-bucket B  where to look for them (default: env CLAIMPATH_OUTBOUND_BUCKET, else ${LOCAL_BUCKETS.outbound})
  --timeout SECONDS  how long --wait waits (default ${DEFAULT_WAIT_SECONDS})
  -h, --help         show this help

Exit status: 0 uploaded (with --wait: processed and nothing rejected), 1 with --wait: an interchange or
transaction set rejected or a claim held, 2 usage error, 3 upload failed or --wait timed out.`;

/** A tenant id as the trading-partner settings define it (a key segment: no '/'). */
const TenantIdSchema = TradingPartnerSettingsSchema.shape.tenant;

export const submitCommand: CliCommand = {
  name: 'submit',
  summary: 'upload an 837 batch to the inbound bucket (local system by default, or AWS)',
  usage,
  run: runSubmit,
};

/** Where the file goes. */
interface Destination {
  /** Absent for AWS. */
  endpoint: string | undefined;
  inboundBucket: string;
  outboundBucket: string;
  region: string;
}

async function runSubmit(argv: readonly string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      tenant: { type: 'string' },
      bucket: { type: 'string' },
      endpoint: { type: 'string' },
      wait: { type: 'boolean' },
      'outbound-bucket': { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    usage,
  );
  if (values.help) {
    context.stdout(usage + '\n');
    return ExitCode.ok;
  }
  if (positionals.length === 0) throw new UsageError('submit needs a FILE', usage);
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]}`, usage);
  const file = positionals[0]!;
  const tenant = values.tenant?.trim();
  if (tenant === undefined || tenant === '') throw new UsageError('submit needs --tenant T', usage);
  if (!TenantIdSchema.safeParse(tenant).success) throw new UsageError("--tenant takes 1 to 64 letters, digits, '-' and '_'", usage);
  if (values.timeout !== undefined && !values.wait) throw new UsageError('--timeout applies only with --wait', usage);
  const timeoutSeconds = values.timeout === undefined ? DEFAULT_WAIT_SECONDS : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError('--timeout takes a number of seconds', usage);

  const info = await stat(file).catch(() => undefined);
  if (!info) throw new UsageError(`no such file: ${file}`, usage);
  if (!info.isFile()) throw new UsageError(`not a regular file: ${file}`, usage);
  const name = basename(file);
  const key = `${tenant}/837/${name}`;
  const destination = destinationOf(values.endpoint, values.bucket, values['outbound-bucket'], context);

  const s3 = createS3Client({ s3Endpoint: destination.endpoint, region: destination.region });
  try {
    // The file id is the tenant and the hash of the bytes, as the function computes it: only --wait needs it.
    const digest = values.wait ? await sha256OfFile(file) : undefined;
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: destination.inboundBucket,
          Key: key,
          // A buffer can be resent when a request is retried; a stream cannot (and the SDK says so on
          // stderr), so only files too big to hold are streamed.
          Body: info.size <= MAX_BUFFERED_UPLOAD_BYTES ? await readFile(file) : createReadStream(file),
          ContentLength: info.size,
          ContentType: 'application/edi-x12',
        }),
      );
    } catch (error) {
      context.stderr(`claimpath submit: upload to s3://${destination.inboundBucket} failed (${failureOf(error)})${destination.endpoint ? ` — is the local system running (npm start)?` : ''}\n`);
      return ExitCode.internal;
    }
    const where = destination.endpoint === undefined ? 'AWS' : destination.endpoint;
    context.stdout(`submitted ${name} (${info.size} bytes) as s3://${destination.inboundBucket}/${key} on ${where}\n`);
    if (digest === undefined) return ExitCode.ok;

    const fileId = fileIdOf(tenant, digest);
    const { reportKey } = outboundKeysOf({ tenant, fileId });
    context.stdout(`file id ${fileId}: waiting for s3://${destination.outboundBucket}/${reportKey}\n`);
    if (!(await waitForObject(s3, destination.outboundBucket, reportKey, timeoutSeconds * 1000))) {
      context.stderr(`claimpath submit: no report after ${timeoutSeconds} s (is the function running?)\n`);
      return ExitCode.internal;
    }
    const summary = await summarizeProcessedFile(s3, { outboundBucket: destination.outboundBucket, tenant, fileId });
    context.stdout(
      [
        `interchanges: ${summary.interchanges.accepted} accepted, ${summary.interchanges.rejected} rejected`,
        `transaction sets: ${summary.transactionSets.accepted} accepted, ${summary.transactionSets.rejected} rejected`,
        `claims: ${summary.claims.accepted} accepted, ${summary.claims.held} held`,
        ...summary.acknowledgmentKeys.map((ackKey) => `  ack     s3://${destination.outboundBucket}/${ackKey}`),
        `  report  s3://${destination.outboundBucket}/${reportKey}`,
        ...summary.outboxKeys.map((outboxKey) => `  outbox  s3://${destination.outboundBucket}/${outboxKey}`),
      ].join('\n') + '\n',
    );
    return hasRejections(summary) ? ExitCode.rejected : ExitCode.ok;
  } catch (error) {
    context.stderr(`claimpath submit: reading the results failed (${failureOf(error)})\n`);
    return ExitCode.internal;
  } finally {
    s3.destroy();
  }
}

/**
 * Options win over the environment. An endpoint (option or env) means that S3-compatible server; else
 * a bucket (option or env) means AWS; else the local system at its default port.
 */
function destinationOf(endpointOption: string | undefined, bucketOption: string | undefined, outboundOption: string | undefined, context: CliContext): Destination {
  const endpoint = nonEmpty(endpointOption) ?? nonEmpty(context.env.CLAIMPATH_S3_ENDPOINT);
  if (endpoint !== undefined && !URL.canParse(endpoint)) throw new UsageError('--endpoint (or CLAIMPATH_S3_ENDPOINT) takes a URL such as http://127.0.0.1:4568', usage);
  const bucket = nonEmpty(bucketOption) ?? nonEmpty(context.env.CLAIMPATH_INBOUND_BUCKET);
  const outboundBucket = nonEmpty(outboundOption) ?? nonEmpty(context.env.CLAIMPATH_OUTBOUND_BUCKET) ?? LOCAL_BUCKETS.outbound;
  const region = nonEmpty(context.env.AWS_REGION) ?? nonEmpty(context.env.AWS_DEFAULT_REGION) ?? LOCAL_REGION;
  if (endpoint !== undefined) return { endpoint, inboundBucket: bucket ?? LOCAL_BUCKETS.inbound, outboundBucket, region };
  if (bucket !== undefined) return { endpoint: undefined, inboundBucket: bucket, outboundBucket, region };
  return { endpoint: LOCAL_S3_ENDPOINT, inboundBucket: LOCAL_BUCKETS.inbound, outboundBucket, region: LOCAL_REGION };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** An error's class and code, never its message (it could quote a key or a response body). */
function failureOf(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code !== error.name ? `${error.name}, ${code}` : error.name;
}
