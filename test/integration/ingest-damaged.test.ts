/**
 * ingest-claims and ingest-remittance on damaged files, on real local servers (dynalite, s3rver): files
 * made by byte mutations of the samples (and of the shared corpus's when it is there) go through the use
 * cases. Whatever the damage, the file ends processed or rejected (never an exception), its report is
 * written, and every X12 file written for it — TA1, 999, 277CA, the clean 837s for the payers — is valid
 * X12 that our own validator accepts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { ingestClaimsFile, type IngestClaimsPorts } from '../../src/claims/ingest-claims.ts';
import { chunkKeys } from '../../src/claims/split-837.ts';
import { TradingPartnerSettingsSchema } from '../../src/claims/ports.ts';
import { loadRuleDocuments } from '../../src/cli/rule-files.ts';
import { LOCAL_BUCKETS } from '../../src/local/defaults.ts';
import { loadCodeSets } from '../../src/rules/codesets/index.ts';
import { CachedRuleStore } from '../../src/rules/rule-store.ts';
import { DynamoRuleStore } from '../../src/store/dynamo-rule-store.ts';
import { DynamoTradingPartners } from '../../src/store/dynamo-trading-partners.ts';
import { ingestClaimsStorePorts } from '../../src/store/ingest-claims-adapters.ts';
import { ingestRemittanceFile, type IngestRemittancePorts } from '../../src/remits/ingest-remittance.ts';
import { readPayerDirectoryFile } from '../../src/rules/payer-directory.ts';
import { ingestRemittanceStorePorts } from '../../src/store/ingest-remittance-adapters.ts';
import { dataTable, rulesTable } from '../../src/store/tables.ts';
import type { X12Issue } from '../../src/x12/issues.ts';
import type { ValidationReport } from '../../src/x12/report.ts';
import { tokenizeSync } from '../../src/x12/tokenizer.ts';
import { validateX12 } from '../../src/x12/validate.ts';
import { keysIn, textOf, usePipelineServers } from '../support/local-store.ts';
import { applyMutations, mutation } from '../support/mutations.ts';
import { withInterchangeControl } from '../support/x12.ts';

const { inbound: INBOUND, outbound: OUTBOUND, archive: ARCHIVE } = LOCAL_BUCKETS;
const TENANT = 'demo-billing';

const { dynamo, s3 } = usePipelineServers();

/** The sample (and corpus) files of one transaction set. */
function seedsOf(transactionSet: string): { name: string; bytes: Buffer }[] {
  const seeds: { name: string; bytes: Buffer }[] = [];
  for (const dir of [resolve(process.cwd(), 'events/x12'), resolve(process.cwd(), '../shared/corpus/x12')]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.x12')).sort()) {
      const bytes = readFileSync(join(dir, name));
      if (tokenizeSync(bytes).segments.find((segment) => segment.id === 'ST')?.element(1) === transactionSet) seeds.push({ name, bytes });
    }
  }
  return seeds;
}
const seeds = seedsOf('837');

let ports: IngestClaimsPorts;
let remittancePorts: IngestRemittancePorts;

beforeAll(async () => {
  const settings = TradingPartnerSettingsSchema.parse(JSON.parse(await readFile('events/tenants/demo-billing.json', 'utf8')));
  await new DynamoTradingPartners({ client: dynamo.client, tableName: dataTable.defaultName }).put(settings);
  const loaded = await loadRuleDocuments(['events/rules'], 'test');
  if ('errors' in loaded) throw new Error(loaded.errors.join('\n'));
  await new DynamoRuleStore({ client: dynamo.client, tableName: rulesTable.defaultName }).put(loaded.rules);
  ports = {
    ...ingestClaimsStorePorts({ dynamo: dynamo.client, s3: s3.client }, dataTable.defaultName),
    rules: new CachedRuleStore(new DynamoRuleStore({ client: dynamo.client, tableName: rulesTable.defaultName })),
    codeSets: await loadCodeSets(),
  };
  remittancePorts = {
    ...ingestRemittanceStorePorts({ dynamo: dynamo.client, s3: s3.client }, dataTable.defaultName),
    rules: ports.rules,
    codeSets: ports.codeSets,
    payers: await readPayerDirectoryFile('events/payers/directory.json'),
  };
});

function issuesOf(r: ValidationReport): X12Issue[] {
  return [...r.fileIssues, ...r.interchanges.flatMap((x) => [...x.issues, ...x.groups.flatMap((g) => [...g.issues, ...g.sets.flatMap((s) => s.issues)])])];
}

/**
 * The property, for files with control numbers from `controlBase`: ingest (and, when split, every chunk in
 * order, as S3 → SQS would deliver them), then check the outcome and every X12 file written.
 */
async function damagedClaimsProperty(claimsPorts: IngestClaimsPorts, controlBase: number, numRuns: number): Promise<void> {
  expect(seeds.length).toBeGreaterThan(0);
  let files = 0;
  let written = 0;
  const kinds = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (seedIndex, mutations) => {
      const key = `${TENANT}/837/damaged-${controlBase + ++files}.x12`;
      // A control number of its own, or every copy of a seed after the first is refused as a reused interchange.
      const bytes = applyMutations(Buffer.from(withInterchangeControl(seeds[seedIndex]!.bytes.toString('latin1'), controlBase + files), 'latin1'), mutations);
      await s3.client.send(new PutObjectCommand({ Bucket: INBOUND, Key: key, Body: bytes }));

      let outcome = await ingestClaimsFile({ source: { bucket: INBOUND, key }, outboundBucket: OUTBOUND, archiveBucket: ARCHIVE }, claimsPorts);
      if (outcome.kind === 'split') {
        const { fileId, chunks } = outcome;
        for (let chunk = 1; chunk <= chunks; chunk++) {
          outcome = await ingestClaimsFile({ source: { bucket: INBOUND, key: chunkKeys.chunk(TENANT, fileId, chunk) }, outboundBucket: OUTBOUND, archiveBucket: ARCHIVE }, claimsPorts);
          // The last chunk assembles the file: processed, or rejected when no claim was stored (all in rejected sets).
          expect(chunk < chunks ? ['chunk-processed'] : ['processed', 'rejected']).toContain(outcome.kind);
        }
      }
      kinds.set(outcome.kind, (kinds.get(outcome.kind) ?? 0) + 1);

      // The same damage twice (another seed's mutation can give the same bytes) is the same file: already done.
      expect(['processed', 'rejected', 'already-complete', 'already-rejected']).toContain(outcome.kind);
      if (outcome.kind !== 'processed' && outcome.kind !== 'rejected') return;
      const report = JSON.parse(await textOf(s3.client, OUTBOUND, `${TENANT}/reports/${outcome.fileId}.json`)) as { status: string };
      expect(['complete', 'rejected']).toContain(report.status);
      const x12Keys = [...(await keysIn(s3.client, OUTBOUND, `${TENANT}/acks/${outcome.fileId}/`)), ...(await keysIn(s3.client, OUTBOUND, `${TENANT}/outbox/`)).filter((k) => k.includes(outcome.fileId))];
      for (const x12Key of x12Keys) {
        written++;
        const check = await validateX12(await textOf(s3.client, OUTBOUND, x12Key));
        expect({ key: x12Key.slice(x12Key.lastIndexOf('/') + 1), issues: issuesOf(check).map((i) => `${i.code} ${i.message}`) }).toEqual({ key: x12Key.slice(x12Key.lastIndexOf('/') + 1), issues: [] });
        expect(check.verdict).toBe('accepted');
      }
    }),
    { numRuns, seed: 20261122 },
  );
  // Both ends are exercised: files whose claims are stored, acknowledged and forwarded, and files rejected.
  expect(kinds.get('processed')).toBeGreaterThan(numRuns / 30);
  expect(kinds.get('rejected')).toBeGreaterThan(numRuns / 30);
  expect(written).toBeGreaterThan(numRuns);
}

describe('ingest-claims on damaged files (fast-check)', () => {
  test('every damaged 837 ends processed or rejected, with a report, and every X12 file written for it is valid', async () => {
    await damagedClaimsProperty(ports, 0, 150);
  }, 600_000);

  test('so does every damaged 837 split into chunks of 1 KiB, the chunks processed as they would be delivered', async () => {
    await damagedClaimsProperty({ ...ports, splitThresholdBytes: 1024 }, 300_000, 60);
  }, 600_000);

  test('every damaged 835 ends posted or rejected, with a report, and its TA1s and 999s are valid', async () => {
    const remits = seedsOf('835');
    expect(remits.length).toBeGreaterThan(0);
    const kinds = new Map<string, number>();
    let files = 0;
    let written = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: remits.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (seedIndex, mutations) => {
        const key = `${TENANT}/835/damaged-${++files}.x12`;
        const bytes = applyMutations(Buffer.from(withInterchangeControl(remits[seedIndex]!.bytes.toString('latin1'), 500_000 + files), 'latin1'), mutations);
        await s3.client.send(new PutObjectCommand({ Bucket: INBOUND, Key: key, Body: bytes }));

        const outcome = await ingestRemittanceFile({ source: { bucket: INBOUND, key }, outboundBucket: OUTBOUND, archiveBucket: ARCHIVE }, remittancePorts);

        kinds.set(outcome.kind, (kinds.get(outcome.kind) ?? 0) + 1);
        expect(['processed', 'rejected', 'already-complete', 'already-rejected']).toContain(outcome.kind);
        if (outcome.kind !== 'processed' && outcome.kind !== 'rejected') return;
        for (const x12Key of (await keysIn(s3.client, OUTBOUND, `${TENANT}/`)).filter((k) => k.includes(outcome.fileId) && /\.(999|ta1)$/.test(k))) {
          written++;
          const check = await validateX12(await textOf(s3.client, OUTBOUND, x12Key));
          expect(issuesOf(check).map((i) => `${i.code} ${i.message}`)).toEqual([]);
        }
      }),
      { numRuns: 100, seed: 20261122 },
    );
    // Most damage rejects an 835 (a remittance is posted whole or not at all): some still pass.
    expect(kinds.get('processed')).toBeGreaterThan(0);
    expect(kinds.get('rejected')).toBeGreaterThan(50);
    expect(written).toBeGreaterThan(50);
  }, 600_000);
});
