/**
 * Large batches split into chunks, on real local servers (dynalite, s3rver): the same batch is ingested
 * whole into one namespace (its own data table and buckets) and split into another, with a small
 * threshold, and everything the two runs produce is compared — acknowledgments, report, stored claims
 * (with their findings, whose locations point into the original file) and work items must be equal; the
 * 277CA answers the same claims the same way (the split file's is streamed: one transaction set per chunk
 * and payer, each with its own totals) and passes our validation; the clean 837s carry the same claims.
 * The chunks are delivered the way S3 → SQS delivers them: out of order, concurrently, one twice, two
 * failing once, the last two finishing together.
 *
 * The batch: two 837P interchanges of which the second repeats the first (its claims are duplicates of
 * claims in other chunks: the duplicate rule must see them across chunks; the first has a set with an
 * irregular HL tree), an interchange reusing an ISA13 the sender used in an earlier file (TA1 025: its
 * claims are in no chunk), and an 837I interchange.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { readFile } from 'node:fs/promises';
import type { AcknowledgmentTotals, ClaimAcknowledgment } from '../../schemas/acknowledgment.schema.ts';
import type { Claim } from '../../schemas/claim.schema.ts';
import type { Finding } from '../../schemas/finding.schema.ts';
import { generateFixture } from '../../bench/generator.ts';
import { ingestClaimsFile, type IngestClaimsOutcome, type IngestClaimsPorts } from '../../src/claims/ingest-claims.ts';
import { TradingPartnerSettingsSchema, type ChunkedFileRecords } from '../../src/claims/ports.ts';
import { read837All } from '../../src/claims/read-837.ts';
import { chunkKeys, readChunkObject } from '../../src/claims/split-837.ts';
import { loadRuleDocuments } from '../../src/cli/rule-files.ts';
import { loadCodeSets } from '../../src/rules/codesets/index.ts';
import type { CodeSets } from '../../src/rules/codesets/types.ts';
import { CachedRuleStore } from '../../src/rules/rule-store.ts';
import { DynamoRuleStore } from '../../src/store/dynamo-rule-store.ts';
import { DynamoTradingPartners } from '../../src/store/dynamo-trading-partners.ts';
import { read277CA } from '../../src/x12/read-277ca.ts';
import { validateX12 } from '../../src/x12/validate.ts';
import { S3ObjectStore } from '../../src/store/s3-object-store.ts';
import { ingestClaimsStorePorts } from '../../src/store/ingest-claims-adapters.ts';
import { dataTable, rulesTable } from '../../src/store/tables.ts';
import { useDynalite } from '../support/dynalite.ts';
import { useS3rver } from '../support/s3rver.ts';
import { withInterchangeControl } from '../support/x12.ts';

const TENANT = 'demo-billing';
/** One namespace per run: the same ids (same tenant, same bytes) in separate tables and buckets. */
const RUNS = {
  whole: { table: 'claimpath-data-whole', inbound: 'inbound-whole', outbound: 'outbound-whole', archive: 'archive-whole' },
  split: { table: 'claimpath-data-split', inbound: 'inbound-split', outbound: 'outbound-split', archive: 'archive-split' },
} as const;
type RunName = keyof typeof RUNS;
/** About 15 chunks for the ~110 KB batch. */
const SPLIT_THRESHOLD_BYTES = 8_000;
/** Receipt in July 2026: the generated dates of service are within every payer's filing limit. */
const RECEIVED = new Date('2026-07-02T10:00:00.000Z');
const REUSED_CONTROL = '000000100';

const dynamo = useDynalite([
  { definition: dataTable, name: RUNS.whole.table },
  { definition: dataTable, name: RUNS.split.table },
  { definition: rulesTable, name: rulesTable.defaultName },
]);
const s3 = useS3rver(Object.values(RUNS).flatMap((run) => [run.inbound, run.outbound, run.archive]));

let codeSets: CodeSets;
let documents: DynamoDBDocumentClient;

function portsOf(run: RunName): IngestClaimsPorts & { files: ChunkedFileRecords } {
  return {
    ...ingestClaimsStorePorts({ dynamo: dynamo.client, s3: s3.client }, RUNS[run].table),
    rules: new CachedRuleStore(new DynamoRuleStore({ client: dynamo.client, tableName: rulesTable.defaultName })),
    codeSets,
    now: () => RECEIVED,
    ...(run === 'split' ? { splitThresholdBytes: SPLIT_THRESHOLD_BYTES } : {}),
  };
}

function ingest(run: RunName, key: string, ports: IngestClaimsPorts = portsOf(run)): Promise<IngestClaimsOutcome> {
  const { inbound, outbound, archive } = RUNS[run];
  return ingestClaimsFile({ source: { bucket: inbound, key }, outboundBucket: outbound, archiveBucket: archive }, ports);
}

/** A generated interchange with its ISA13 and IEA02 set to `control`. */
function interchange(kind: '837P' | '837I', seed: number, bytes: number, control: string): string {
  const text = [...generateFixture(kind, { targetBytes: bytes, seed, claimsPerTransaction: 12, transactionsPerGroup: 2, newlineAfterSegment: true })].join('');
  return withInterchangeControl(text, control);
}

async function keysIn(bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((object) => object.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

async function text(bucket: string, key: string): Promise<string> {
  const response = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return response.Body!.transformToString();
}

async function itemsOf(run: RunName, itemType: string, fileId: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: RUNS[run].table, ExclusiveStartKey: start, FilterExpression: 'itemType = :t', ExpressionAttributeValues: { ':t': itemType } }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.filter((item) => String(item.claimId ?? '').startsWith(fileId)).sort((a, b) => (String(a.pk) < String(b.pk) ? -1 : 1));
}

/** Every claim of a file's clean 837s in a run: payer and patient control number. */
async function forwardedClaims(run: RunName, fileId: string): Promise<string[]> {
  const forwarded: string[] = [];
  for (const key of await keysIn(RUNS[run].outbound, `${TENANT}/outbox/`)) {
    if (!key.includes(fileId)) continue;
    const { claims } = await read837All(await text(RUNS[run].outbound, key));
    forwarded.push(...claims.map((claim) => `${claim.payer.id}/${claim.patientControlNumber}`));
  }
  return forwarded.sort();
}

/** A claim's answer is accepted when its first status is A1 or A2 (received, accepted into adjudication). */
function isAccepted(claim: ClaimAcknowledgment): boolean {
  return ['A1', 'A2'].includes(claim.statuses[0]?.statuses[0]?.category ?? '');
}

/** The QTY/AMT totals a 277CA level must carry for `claims` (a quantity or amount of zero is not written). */
function totalsOf(claims: readonly ClaimAcknowledgment[]): AcknowledgmentTotals {
  const accepted = claims.filter(isAccepted);
  const rejected = claims.filter((claim) => !isAccepted(claim));
  const amount = (of: readonly ClaimAcknowledgment[]) => of.reduce((sum, claim) => sum + (claim.statuses[0]?.charge ?? 0), 0);
  return {
    ...(accepted.length > 0 ? { acceptedQuantity: accepted.length } : {}),
    ...(rejected.length > 0 ? { rejectedQuantity: rejected.length } : {}),
    ...(accepted.length > 0 ? { acceptedAmount: amount(accepted) } : {}),
    ...(rejected.length > 0 ? { rejectedAmount: amount(rejected) } : {}),
  };
}

/**
 * What a 277CA tells: its interchange and group, how many transaction sets, and every claim's answer
 * (payer, billing provider, patient, statuses, lines: not where in the file it sits), sorted; on the way,
 * checks that it passes our validation with no issue and that every set's and provider's totals are
 * its own claims'.
 */
async function claimAckContent(text: string): Promise<{ envelope: string; sets: number; answers: string[] }> {
  const validation = await validateX12(text);
  const issues = [...validation.fileIssues, ...validation.interchanges.flatMap((x) => [...x.issues, ...x.groups.flatMap((g) => [...g.issues, ...g.sets.flatMap((set) => set.issues)])])];
  expect(issues).toEqual([]);
  const { acknowledgments, findings } = await read277CA(text);
  expect(findings).toEqual([]);
  const answers: string[] = [];
  for (const ack of acknowledgments) {
    for (const source of ack.informationSources) {
      for (const receiver of source.receivers) {
        expect(receiver.totals).toEqual(totalsOf(receiver.providers.flatMap((provider) => provider.claims)));
        for (const provider of receiver.providers) {
          expect(provider.totals).toEqual(totalsOf(provider.claims));
          for (const { sources: _sources, lines, ...claim } of provider.claims) {
            answers.push(JSON.stringify({ payer: source.source?.id, provider: provider.provider?.id, ...claim, lines: lines.map(({ sources: _lineSources, ...line }) => line) }));
          }
        }
      }
    }
  }
  // ISA and GS: the same parties, control numbers and dates.
  const envelope = text.split('\n').slice(0, 2).join('\n');
  return { envelope, sets: acknowledgments.length, answers: answers.sort() };
}

beforeAll(async () => {
  documents = DynamoDBDocumentClient.from(dynamo.client);
  codeSets = await loadCodeSets();
  const settings = TradingPartnerSettingsSchema.parse(JSON.parse(await readFile('events/tenants/demo-billing.json', 'utf8')));
  for (const run of Object.values(RUNS)) await new DynamoTradingPartners({ client: dynamo.client, tableName: run.table }).put(settings);
  const loaded = await loadRuleDocuments(['events/rules'], 'test');
  if ('errors' in loaded) throw new Error(loaded.errors.join('\n'));
  await new DynamoRuleStore({ client: dynamo.client, tableName: rulesTable.defaultName }).put(loaded.rules);
});

describe('ingest-claims: large batches in chunks', () => {
  test('a batch split into chunks yields exactly what the whole batch yields, and completes once', async () => {
    // Prepare: an earlier file of the sender used ISA13 000000100 (in both namespaces).
    const earlier = interchange('837P', 13, 3_000, REUSED_CONTROL);
    // An irregular HL tree in the first set (a patient level naming a subscriber level a later one has
    // closed): that set is never cut, and its claims are priors of the repeated interchange's chunks.
    const generated = interchange('837P', 11, 40_000, '000000101');
    const first = generated.replace('HL*9*8*23*0~', 'HL*9*2*23*0~');
    expect(first).not.toEqual(generated);
    // The 837I's first transaction set miscounts its segments (SE01): the 999 rejects it, and its claims
    // are neither stored, answered in the 277CA nor forwarded.
    const institutional = interchange('837I', 14, 20_000, '000000103').replace(/\nSE\*(\d+)\*0001~/, (_match, count: string) => `\nSE*${Number(count) + 1}*0001~`);
    const rejectedSetClaims = (institutional.slice(0, institutional.search(/\nSE\*/)).match(/\nCLM\*/g) ?? []).length;
    expect(rejectedSetClaims).toBeGreaterThan(0);
    const batch = [first, interchange('837P', 12, 8_000, REUSED_CONTROL), first.replace(/000000101/g, '000000102'), institutional].join('');
    const key = `${TENANT}/837/large batch.x12`;
    for (const run of ['whole', 'split'] as const) {
      await s3.client.send(new PutObjectCommand({ Bucket: RUNS[run].inbound, Key: `${TENANT}/837/earlier.x12`, Body: earlier }));
      expect((await ingest(run, `${TENANT}/837/earlier.x12`)).kind).toBe('processed');
      await s3.client.send(new PutObjectCommand({ Bucket: RUNS[run].inbound, Key: key, Body: batch }));
    }

    // Act (whole): one invocation.
    const whole = await ingest('whole', key);
    expect(whole.kind).toBe('processed');
    if (whole.kind !== 'processed') return;
    const fileId = whole.fileId;

    // Act (split): the original is cut into chunks; nothing is stored or acknowledged yet.
    const split = await ingest('split', key);
    expect(split).toEqual({ kind: 'split', fileId, tenant: TENANT, chunks: expect.any(Number) });
    if (split.kind !== 'split') return;
    const chunks = split.chunks;
    expect(chunks).toBeGreaterThanOrEqual(10);
    const chunkKeyList = Array.from({ length: chunks }, (_, index) => chunkKeys.chunk(TENANT, fileId, index + 1));
    expect(await keysIn(RUNS.split.inbound, `${TENANT}/837/chunks/`)).toEqual(chunkKeyList);
    expect(await itemsOf('split', 'Claim', fileId)).toEqual([]);
    // Chunks of the repeated interchange read the earlier claims of their members (other chunks' claims).
    let chunksWithPriors = 0;
    for (const chunkKey of chunkKeyList) {
      const { header } = await readChunkObject((await new S3ObjectStore(s3.client).get({ bucket: RUNS.split.inbound, key: chunkKey }))!, { fileId, chunk: Number(chunkKey.slice(-9, -4)) });
      if (header.priors.length > 0) chunksWithPriors++;
    }
    expect(chunksWithPriors).toBeGreaterThanOrEqual(3);

    // Chunks 3 … N concurrently, last first; chunk 3 delivered twice at once; chunk 4 fails once (after
    // storing three of its claims) and comes back.
    const failingOnce = (): IngestClaimsPorts => {
      const ports = portsOf('split');
      return {
        ...ports,
        claims: {
          createMany: async (claims) => {
            await ports.claims.createMany(claims.slice(0, 3));
            throw new Error('injected store failure');
          },
        },
      };
    };
    const middle = await Promise.allSettled([
      ...chunkKeyList.slice(2).reverse().map((chunkKey, index) => ingest('split', chunkKey, chunkKey.endsWith('00004.x12') ? failingOnce() : portsOf('split')).then((outcome) => ({ index, outcome }))),
      ingest('split', chunkKeyList[2]!).then((outcome) => ({ index: -1, outcome })),
    ]);
    expect(middle.filter((settled) => settled.status === 'rejected')).toHaveLength(1);
    expect((await ingest('split', chunkKeyList[3]!)).kind).toBe('chunk-processed');

    // Chunks 1 and 2 each record themselves finished, then fail before taking the assembly.
    const failingAfterFinish = (): IngestClaimsPorts => {
      const ports = portsOf('split');
      const files: ChunkedFileRecords = Object.assign(Object.create(ports.files) as ChunkedFileRecords, {
        finishChunk: async (id: string, chunk: number) => {
          await ports.files.finishChunk(id, chunk);
          throw new Error('injected crash after finishing the chunk');
        },
      });
      return { ...ports, files };
    };
    await expect(ingest('split', chunkKeyList[0]!, failingAfterFinish())).rejects.toThrow('injected crash');
    await expect(ingest('split', chunkKeyList[1]!, failingAfterFinish())).rejects.toThrow('injected crash');
    // Every chunk is finished, nobody assembled: the original is still in inbound, the file processing.
    expect(await keysIn(RUNS.split.inbound, key)).toEqual([key]);
    expect((await portsOf('split').files.get(fileId))?.status).toBe('processing');
    expect(await keysIn(RUNS.split.outbound, `${TENANT}/acks/${fileId}/`)).toEqual([]);

    // The two retries finish together: both see every chunk finished; exactly one assembles.
    const last = await Promise.all([ingest('split', chunkKeyList[0]!), ingest('split', chunkKeyList[1]!)]);
    expect(last.map((outcome) => outcome.kind).sort()).toEqual(['chunk-processed', 'processed']);
    const assembled = last.find((outcome) => outcome.kind === 'processed');
    if (assembled?.kind !== 'processed') return;

    // Assess: the same file outcome, TA1/999 and report, byte for byte.
    const { outboundKeys: wholeKeys, ...wholeSummary } = whole.summary;
    const { outboundKeys: splitKeys, ...splitSummary } = assembled.summary;
    expect(splitSummary).toEqual(wholeSummary);
    expect(wholeSummary.duplicateInterchangeClaims).toBeGreaterThan(0);
    expect(wholeSummary.rejectedSetClaims).toBe(rejectedSetClaims);
    const claimAckKey = `${TENANT}/acks/${fileId}/277ca.x12`;
    const reportKey = `${TENANT}/reports/${fileId}.json`;
    const acks = await keysIn(RUNS.whole.outbound, `${TENANT}/acks/${fileId}/`);
    expect(acks).toEqual(expect.arrayContaining([claimAckKey, `${TENANT}/acks/${fileId}/1.999`]));
    expect(acks.some((ackKey) => ackKey.endsWith('.ta1'))).toBe(true);
    expect(await keysIn(RUNS.split.outbound, `${TENANT}/acks/${fileId}/`)).toEqual(acks);
    for (const ackKey of [...acks.filter((ackKey) => ackKey !== claimAckKey), reportKey]) {
      expect(await text(RUNS.split.outbound, ackKey)).toEqual(await text(RUNS.whole.outbound, ackKey));
    }
    // The streamed report is laid out exactly as JSON.stringify(report, null, 2) lays it out.
    const reportText = await text(RUNS.split.outbound, reportKey);
    expect(reportText).toBe(JSON.stringify(JSON.parse(reportText), null, 2));
    expect((JSON.parse(reportText) as { claims: unknown[] }).claims).toHaveLength(wholeSummary.claims);
    expect(splitKeys.filter((outbound) => !outbound.includes('/outbox/'))).toEqual(wholeKeys.filter((outbound) => !outbound.includes('/outbox/')));

    // The 277CA: every claim answered the same way, under the same envelope; the split file's in a set
    // per chunk and payer (the whole file's: one per payer), each valid and totalled on its own claims.
    const wholeClaimAck = await claimAckContent(await text(RUNS.whole.outbound, claimAckKey));
    const splitClaimAck = await claimAckContent(await text(RUNS.split.outbound, claimAckKey));
    expect(wholeClaimAck.answers).toHaveLength(wholeSummary.claims);
    expect(splitClaimAck.answers).toEqual(wholeClaimAck.answers);
    expect(splitClaimAck.envelope).toEqual(wholeClaimAck.envelope);
    expect(splitClaimAck.sets).toBeGreaterThanOrEqual(chunks);

    // The same claims (stored without field sources) and work items, findings and their locations included.
    const wholeClaims = await itemsOf('whole', 'Claim', fileId);
    expect(wholeClaims).toHaveLength(wholeSummary.claims);
    const fromRejectedSet = (item: Record<string, unknown>) => (item.claim as Claim).envelope.interchangeControl === '000000103' && (item.claim as Claim).envelope.setControl === '0001';
    expect(wholeClaims.filter(fromRejectedSet)).toEqual([]);
    expect(wholeClaims.some((item) => (item.claim as Claim).envelope.interchangeControl === '000000103')).toBe(true);
    expect(await itemsOf('split', 'Claim', fileId)).toEqual(wholeClaims);
    expect(await itemsOf('split', 'WorkItem', fileId)).toEqual(await itemsOf('whole', 'WorkItem', fileId));
    // Every claim of the repeated interchange is held as a duplicate of a claim in other chunks (but
    // replacements and voids, frequency 7 and 8, which are corrections by definition).
    const repeated = wholeClaims.filter((item) => (item.claim as Claim).envelope.interchangeControl === '000000102');
    expect(repeated).toHaveLength((first.match(/CLM\*/g) ?? []).length);
    const originals = repeated.filter((item) => !['7', '8'].includes((item.claim as Claim).frequency ?? '1'));
    expect(originals.length).toBeGreaterThan(repeated.length / 2);
    for (const item of originals) expect((item.findings as Finding[]).map((finding) => finding.code)).toContain('duplicate-claim');

    // The same claims forwarded (per chunk when split).
    const forwarded = await forwardedClaims('whole', fileId);
    expect(forwarded.length).toBe(wholeSummary.accepted - (JSON.parse(await text(RUNS.whole.outbound, `${TENANT}/reports/${fileId}.json`)) as { unroutedClaims: number }).unroutedClaims);
    expect(await forwardedClaims('split', fileId)).toEqual(forwarded);

    // Archived once assembled; no chunk or work object is left; late events change nothing.
    expect(await keysIn(RUNS.split.archive, `${TENANT}/837/${fileId}/`)).toEqual([`${TENANT}/837/${fileId}/large batch.x12`]);
    expect(await keysIn(RUNS.split.inbound, `${TENANT}/`)).toEqual([]);
    expect(await ingest('split', chunkKeyList[4]!)).toEqual({ kind: 'already-complete', fileId, tenant: TENANT });
    await s3.client.send(new PutObjectCommand({ Bucket: RUNS.split.inbound, Key: `${TENANT}/837/copy of large batch.x12`, Body: batch }));
    expect(await ingest('split', `${TENANT}/837/copy of large batch.x12`)).toEqual({ kind: 'already-complete', fileId, tenant: TENANT });
    expect(await keysIn(RUNS.split.inbound, `${TENANT}/`)).toEqual([]);
  });

  test('a retry under another threshold keeps the recorded plan; a copy is archived with the original, even after a crash while archiving', async () => {
    // Prepare: the first attempt (threshold 3,000) crashes while writing its third chunk.
    const content = interchange('837P', 21, 12_000, '000000201');
    const claims = (content.match(/CLM\*/g) ?? []).length;
    const key = `${TENANT}/837/retried.x12`;
    const copyKey = `${TENANT}/837/retried copy.x12`;
    await s3.client.send(new PutObjectCommand({ Bucket: RUNS.split.inbound, Key: key, Body: content }));
    const crashing = portsOf('split');
    let chunksWritten = 0;
    const objects = crashing.objects;
    crashing.objects = {
      ...objects,
      get: (location) => objects.get(location),
      head: (location) => objects.head(location),
      copy: (from, to) => objects.copy(from, to),
      delete: (location) => objects.delete(location),
      putStream: (location, body, contentType) => objects.putStream(location, body, contentType),
      put: async (location, body, contentType) => {
        if (location.key.includes('/837/chunks/') && ++chunksWritten === 3) throw new Error('injected crash while writing chunks');
        await objects.put(location, body, contentType);
      },
    };
    await expect(ingest('split', key, { ...crashing, splitThresholdBytes: 3_000 })).rejects.toThrow('injected crash');

    // Act: the retry runs under a threshold of 6,000, then a copy arrives, then the chunks.
    const retried = await ingest('split', key, { ...portsOf('split'), splitThresholdBytes: 6_000 });
    expect(retried.kind).toBe('split');
    if (retried.kind !== 'split') return;
    const { fileId, chunks } = retried;
    const plan = (await portsOf('split').files.get(fileId))?.split;
    expect(plan).toEqual({ targetBytes: expect.any(Number), chunks });
    expect(plan!.targetBytes).toBeLessThanOrEqual(3_000);
    expect(chunks).toBeGreaterThanOrEqual(4);
    await s3.client.send(new PutObjectCommand({ Bucket: RUNS.split.inbound, Key: copyKey, Body: content }));
    expect(await ingest('split', copyKey)).toEqual({ kind: 'split', fileId, tenant: TENANT, chunks });
    const outcomes = await Promise.all(Array.from({ length: chunks - 1 }, (_, index) => ingest('split', chunkKeys.chunk(TENANT, fileId, index + 2))));
    // The last chunk assembles the file, records it complete, then crashes before archiving.
    const archiving = portsOf('split');
    archiving.objects = { ...archiving.objects, get: archiving.objects.get.bind(archiving.objects), head: archiving.objects.head.bind(archiving.objects), put: archiving.objects.put.bind(archiving.objects), putStream: archiving.objects.putStream.bind(archiving.objects), delete: archiving.objects.delete.bind(archiving.objects), copy: async () => Promise.reject(new Error('injected crash while archiving')) };
    await expect(ingest('split', chunkKeys.chunk(TENANT, fileId, 1), archiving)).rejects.toThrow('injected crash');
    expect((await portsOf('split').files.get(fileId))?.status).toBe('complete');
    expect(await keysIn(RUNS.split.inbound, `${TENANT}/837/retried`)).toEqual([copyKey, key]);
    // Its retry finishes the archiving and the cleanup.
    expect(await ingest('split', chunkKeys.chunk(TENANT, fileId, 1))).toEqual({ kind: 'already-complete', fileId, tenant: TENANT });

    // Assess: one assembly, every claim, both deliveries archived, nothing left in inbound.
    expect(outcomes.every((outcome) => outcome.kind === 'chunk-processed')).toBe(true);
    const report = JSON.parse(await text(RUNS.split.outbound, `${TENANT}/reports/${fileId}.json`)) as { claims: unknown[]; status: string };
    expect(report.status).toBe('complete');
    expect(report.claims).toHaveLength(claims);
    expect(await itemsOf('split', 'Claim', fileId)).toHaveLength(claims);
    expect(await keysIn(RUNS.split.archive, `${TENANT}/837/${fileId}/`)).toEqual([`${TENANT}/837/${fileId}/retried copy.x12`, `${TENANT}/837/${fileId}/retried.x12`]);
    expect(await keysIn(RUNS.split.inbound, `${TENANT}/`)).toEqual([]);
  });

  test('a large file that is not X12 is rejected without chunks and kept in inbound', async () => {
    const key = `${TENANT}/837/export.csv`;
    const content = 'claim,amount\n'.repeat(1_500);
    await s3.client.send(new PutObjectCommand({ Bucket: RUNS.split.inbound, Key: key, Body: content }));
    const outcome = await ingest('split', key);
    expect(outcome.kind).toBe('rejected');
    if (outcome.kind !== 'rejected') return;
    expect(outcome.summary.claims).toBe(0);
    expect(await keysIn(RUNS.split.inbound, `${TENANT}/837/`)).toEqual([key]);
    expect(await keysIn(RUNS.split.inbound, `${TENANT}/837-work/`)).toEqual([]);
    const report = JSON.parse(await text(RUNS.split.outbound, `${TENANT}/reports/${outcome.fileId}.json`)) as { status: string; fileIssues: { code: string }[] };
    expect(report.status).toBe('rejected');
    expect(report.fileIssues.map((issue) => issue.code)).toContain('NO_ISA');
  });
});
