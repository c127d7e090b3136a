/**
 * Property-based robustness of the model readers: thousands of damaged 837s, 835s, 999s and 277CAs
 * (the samples in events/x12 and, when present, the shared corpus) go through read837, read835, read999
 * and read277CA. Whatever the damage, a reader finishes (never throws, never hangs), everything it hands
 * out matches its schema, every finding points inside the file; and the claims read from a file the
 * engine accepts are written again as an 837 it accepts. And every prefix of two samples (a file cut
 * anywhere) is validated and read to its end.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { AcknowledgmentSchema } from '../../schemas/acknowledgment.schema.ts';
import { ClaimSchema } from '../../schemas/claim.schema.ts';
import { FindingSchema, type Finding } from '../../schemas/finding.schema.ts';
import { RemittanceSchema } from '../../schemas/remittance.schema.ts';
import { read837All } from '../../src/claims/read-837.ts';
import { write837 } from '../../src/claims/write-837.ts';
import { read835All } from '../../src/remits/read-835.ts';
import { read277CA } from '../../src/x12/read-277ca.ts';
import { read999 } from '../../src/x12/read-999.ts';
import { tokenizeSync } from '../../src/x12/tokenizer.ts';
import { validateX12 } from '../../src/x12/validate.ts';
import { applyMutations, mutation } from '../support/mutations.ts';

interface Seed {
  name: string;
  kind: string;
  bytes: Buffer;
}

const seeds: Seed[] = [];
for (const dir of [resolve(process.cwd(), 'events/x12'), resolve(process.cwd(), '../shared/corpus/x12')]) {
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.x12')).sort()) {
    const bytes = readFileSync(join(dir, name));
    const kind = tokenizeSync(bytes).segments.find((segment) => segment.id === 'ST')?.element(1) ?? '';
    if (['837', '835', '999', '277'].includes(kind)) seeds.push({ name, kind, bytes });
  }
}

const writeOptions = {
  sender: { qualifier: 'ZZ', id: 'CLAIMPATHTEST' },
  receiver: { qualifier: 'ZZ', id: 'TESTPAYERRCV' },
  submitter: { name: 'CLAIMPATH TEST SUBMITTER', id: 'CPTESTSUB01', contact: { name: 'TEST EDI CONTACT', numbers: [{ qualifier: 'TE', number: '5555550100' }] } },
  receiverName: { name: 'TESTPAYER CLEARINGHOUSE', id: 'TESTRCV01' },
  usage: 'T' as const,
  controlNumbers: () => 1,
  now: new Date('2026-11-22T09:30:00Z'),
};

/** A schema failure as one line (the first issue's path and message), for the assertion's diff. */
function schemaProblem(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): string | undefined {
  if (result.success) return undefined;
  const first = result.error!.issues[0]!;
  return `${first.path.map(String).join('.')}: ${first.message}`;
}

function checkFindings(findings: readonly Finding[], bytes: Buffer): void {
  for (const finding of findings) {
    expect(schemaProblem(FindingSchema.safeParse(finding))).toBeUndefined();
    if (finding.location) expect(finding.location.offset).toBeLessThanOrEqual(bytes.length);
  }
}

describe('model readers under mutation (fast-check)', () => {
  test('every damaged file is read to its end; what is read matches the schemas; accepted claims are written again', async () => {
    expect(seeds.filter((s) => s.kind === '837').length).toBeGreaterThan(0);
    expect(seeds.filter((s) => s.kind === '835').length).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (seedIndex, mutations) => {
        const seed = seeds[seedIndex]!;
        const bytes = applyMutations(seed.bytes, mutations);
        const started = performance.now();
        if (seed.kind === '837') {
          const { claims, findings, report } = await read837All(bytes);
          for (const claim of claims) expect(schemaProblem(ClaimSchema.safeParse(claim))).toBeUndefined();
          checkFindings(findings, bytes);
          if (report.verdict === 'accepted' && claims.length > 0) {
            const again = await validateX12(write837(claims, writeOptions));
            expect(again.verdict).toBe('accepted');
          }
        } else if (seed.kind === '835') {
          const { remittances, findings } = await read835All(bytes);
          for (const remittance of remittances) expect(schemaProblem(RemittanceSchema.safeParse(remittance))).toBeUndefined();
          checkFindings(findings, bytes);
        } else {
          const { acknowledgments, findings } = seed.kind === '999' ? await read999(bytes) : await read277CA(bytes);
          for (const ack of acknowledgments) expect(schemaProblem(AcknowledgmentSchema.safeParse(ack))).toBeUndefined();
          checkFindings(findings, bytes);
        }
        // A hang guard, not a speed claim: a few KB must never take seconds.
        expect(performance.now() - started).toBeLessThan(2000);
      }),
      { numRuns: 3000, seed: 20261122 },
    );
  });

  test('a file cut anywhere is validated and read to its end (every prefix of the 837P and 835 samples)', async () => {
    const samples = ['837p-sample.x12', '835-sample.x12'].map((name) => seeds.find((s) => s.name === name)!);
    let prefixes = 0;
    for (const sample of samples) {
      for (let cut = 0; cut <= sample.bytes.length; cut++) {
        const bytes = sample.bytes.subarray(0, cut);
        const report = await validateX12(bytes);
        const read = sample.kind === '835' ? await read835All(bytes) : await read837All(bytes);
        // The readers validate as they read: the same verdict as the validator's alone.
        expect(read.report.verdict).toBe(report.verdict);
        checkFindings(read.findings, bytes);
        prefixes++;
      }
    }
    expect(prefixes).toBe(samples.reduce((n, s) => n + s.bytes.length + 1, 0));
  });
});
