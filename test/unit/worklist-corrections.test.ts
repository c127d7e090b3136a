/**
 * Corrections and resubmission on the sample 837P's claims, with the sample payer rules and the real
 * code sets, no servers: a draft merges and applies to a copy of the claim, the re-scrub judges the
 * corrected claim, and the resubmitted 837 (original, replacement with REF*F8, void) passes the X12
 * engine's validation and reads back with its frequency.
 */
import { readFile } from 'node:fs/promises';
import type { Claim } from '../../schemas/claim.schema.ts';
import type { PayerRule } from '../../schemas/payer-rule.schema.ts';
import type { ClaimAdjudication } from '../../schemas/posting.schema.ts';
import { read837All } from '../../src/claims/read-837.ts';
import { TradingPartnerSettingsSchema, type ControlNumbers, type TradingPartners, type TradingPartnerSettings } from '../../src/claims/ports.ts';
import { loadRuleDocuments } from '../../src/cli/rule-files.ts';
import { loadCodeSets } from '../../src/rules/codesets/index.ts';
import type { CodeSets } from '../../src/rules/codesets/types.ts';
import type { RuleStore } from '../../src/rules/rule-store.ts';
import { holdsClaim } from '../../src/rules/scrub.ts';
import { applyCorrection, describeCorrection, mergeCorrection, rescrub } from '../../src/worklist/corrections.ts';
import { WorkItemConflictError, WorklistRequestError } from '../../src/worklist/errors.ts';
import { claimToResubmit, requireResubmittable, resubmissionFrequency, resubmissionKey, resubmissionProblems, writeResubmission837 } from '../../src/worklist/resubmission.ts';

let claims: Claim[];
let codeSets: CodeSets;
let rules: RuleStore;
let settings: TradingPartnerSettings;

/** The sample's claim with this patient control number. */
function claim(patientControlNumber: string): Claim {
  const found = claims.find((candidate) => candidate.patientControlNumber === patientControlNumber);
  if (!found) throw new Error(`no claim ${patientControlNumber} in the sample`);
  return found;
}

const adjudication: ClaimAdjudication = {
  status: 'denied',
  payerClaimControlNumber: 'PCCN-2026-000777',
  totals: { chargeCents: 2621, paidCents: 0, patientResponsibilityCents: 0, contractualCents: 0, deniedCents: 2621, informationalCents: 0, allowedCents: 0 },
  postingIds: ['remit-1-0000001'],
  updatedAt: '2026-07-20T10:00:00.000Z',
};

const tradingPartners: TradingPartners = { get: async (tenant) => (tenant === 'demo-billing' ? settings : undefined), put: async () => undefined };
const allocations: string[] = [];
const controlNumbers: ControlNumbers = {
  allocate: async (tenant, fileId, purpose, count) => {
    allocations.push(`${tenant}|${fileId}|${purpose}|${count}`);
    return 501;
  },
};

beforeAll(async () => {
  claims = (await read837All(await readFile('events/x12/837p-sample.x12', 'utf8'))).claims;
  codeSets = await loadCodeSets();
  const loaded = await loadRuleDocuments(['events/rules'], 'test');
  if ('errors' in loaded) throw new Error(loaded.errors.join('\n'));
  const documents: PayerRule[] = loaded.rules;
  // Only what the re-scrub asks of the store: a payer's own documents.
  rules = { list: async (filter) => documents.filter((rule) => rule.payer === filter?.payer) } as RuleStore;
  settings = TradingPartnerSettingsSchema.parse(JSON.parse(await readFile('events/tenants/demo-billing.json', 'utf8')));
});

describe('corrections', () => {
  test('requests merge into the draft: diagnoses replaced, line fields one by one, codes normalized', () => {
    const first = mergeCorrection(undefined, { diagnoses: ['j18.9', 'J06.9'], lines: [{ line: 3, units: 8 }] });
    expect(first).toEqual({ diagnoses: ['J189', 'J069'], lines: [{ line: 3, units: 8 }] });
    const second = mergeCorrection(first, { lines: [{ line: 1, modifiers: ['rt'] }, { line: 3, diagnosisPointers: [1, 2] }] });
    expect(second).toEqual({ diagnoses: ['J189', 'J069'], lines: [{ line: 1, modifiers: ['RT'] }, { line: 3, units: 8, diagnosisPointers: [1, 2] }] });
    expect(describeCorrection(second)).toBe('diagnoses; line 1: modifiers; line 3: units, diagnosisPointers');
  });

  test('applied to a copy: the stored claim is unchanged', () => {
    const original = claim('CPP001000000006');
    const corrected = applyCorrection(original, { diagnoses: ['J189', 'J069', 'J45909', 'M1990'], lines: [{ line: 3, units: 8, procedure: 'J1100', modifiers: ['RT'], diagnosisPointers: [3, 1] }] });
    expect(corrected.diagnoses.map((d) => [d.kind, d.qualifier, d.code])).toEqual([
      ['principal', 'ABK', 'J189'],
      ['other', 'ABF', 'J069'],
      ['other', 'ABF', 'J45909'],
      ['other', 'ABF', 'M1990'],
    ]);
    expect(corrected.lines[2]).toMatchObject({ lineNumber: 3, units: 8, diagnosisPointers: [3, 1], procedure: { qualifier: 'HC', code: 'J1100', modifiers: ['RT'] } });
    expect(original.lines[2]!.units).toBe(9);
    expect(original.diagnoses).toHaveLength(4);
  });

  test('a draft that does not fit the claim is a request error naming lines, never codes', () => {
    const original = claim('CPP001000000006');
    const issues = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        if (error instanceof WorklistRequestError) return error.issues;
        throw error;
      }
      return [];
    };
    expect(issues(() => applyCorrection(original, { lines: [{ line: 9, units: 1 }] }))).toEqual([{ path: 'lines', message: 'line 9: the claim has no such line' }]);
    // Lines 1 and 2 point at diagnosis 4; two diagnoses are left.
    expect(issues(() => applyCorrection(original, { diagnoses: ['J189', 'J069'] }))).toEqual([
      { path: 'lines', message: 'line 1: a diagnosis pointer is past the 2 diagnoses of the corrected claim' },
      { path: 'lines', message: 'line 2: a diagnosis pointer is past the 2 diagnoses of the corrected claim' },
      { path: 'lines', message: 'line 3: a diagnosis pointer is past the 2 diagnoses of the corrected claim' },
    ]);
    expect(issues(() => applyCorrection(original, { diagnoses: Array.from({ length: 13 }, () => 'J189') }))).toEqual([{ path: 'diagnoses', message: 'at most 12 diagnoses on this claim type' }]);
  });

  test('the re-scrub holds the claim as ingest did, and not once the units are corrected', async () => {
    const original = claim('CPP001000000006');
    const context = { receivedOn: '2026-07-02', claimId: 'demo-billing-x-0000006' };
    const before = await rescrub(original, { rules, codeSets }, context);
    expect(before.filter((finding) => finding.severity === 'reject').map((finding) => [finding.code, finding.line])).toEqual([['units-limit', 3]]);
    const after = await rescrub(applyCorrection(original, { lines: [{ line: 3, units: 8 }] }), { rules, codeSets }, context);
    expect(holdsClaim(after)).toBe(false);
  });
});

describe('resubmission', () => {
  test('frequency: original without adjudication, replacement or void with one', () => {
    expect(resubmissionFrequency(undefined, false)).toBe('1');
    expect(resubmissionFrequency(adjudication, false)).toBe('7');
    expect(resubmissionFrequency(adjudication, true)).toBe('8');
    expect(() => resubmissionFrequency(undefined, true)).toThrow(expect.objectContaining({ code: 'not-adjudicated' }) as unknown as Error);
  });

  test('the claim sent: corrections and REF*F8 for a replacement, as sent for a void, no F8 on an original', () => {
    const original = claim('CPP001000000007');
    const correction = { lines: [{ line: 1, modifiers: ['25'] }] };
    const replacement = claimToResubmit(original, correction, adjudication, '7');
    expect(replacement.frequency).toBe('7');
    expect(replacement.references.payerClaimControlNumber).toBe('PCCN-2026-000777');
    expect(replacement.lines[0]!.procedure!.modifiers).toEqual(['25']);
    const voided = claimToResubmit(original, correction, adjudication, '8');
    expect(voided.frequency).toBe('8');
    expect(voided.references.payerClaimControlNumber).toBe('PCCN-2026-000777');
    expect(voided.lines[0]!.procedure!.modifiers).toBeUndefined();
    const resent = claimToResubmit({ ...original, references: { payerClaimControlNumber: 'OLD' } }, undefined, undefined, '1');
    expect(resent.frequency).toBe('1');
    expect(resent.references.payerClaimControlNumber).toBeUndefined();
    expect(() => requireResubmittable(claimToResubmit(original, undefined, { ...adjudication, payerClaimControlNumber: undefined }, '7'))).toThrow(WorkItemConflictError);
  });

  test.each([
    ['1', undefined],
    ['7', 'PCCN-2026-000777'],
    ['8', 'PCCN-2026-000777'],
  ] as const)('frequency %s: the 837 passes validation and reads back with its frequency and F8', async (frequency, f8) => {
    const sent = claimToResubmit(claim('CPP001000000007'), undefined, frequency === '1' ? undefined : adjudication, frequency);
    const at = new Date('2026-07-02T10:00:00.000Z');
    const { key, text } = await writeResubmission837(sent, { tenant: 'demo-billing', fileId: 'demo-billing-abc', workItemId: 'w-1', revision: 4, at }, { tradingPartners, controlNumbers });
    expect(key).toBe('demo-billing/outbox/TESTPPO01/resubmit-w-1-4.837');
    expect(allocations.at(-1)).toBe('demo-billing|demo-billing-abc|resubmit#w-1#4|3');
    expect(text).toMatch(/^ISA\*00\*.{10}\*00\*.{10}\*ZZ\*CLAIMPATHDEMO {2}\*ZZ\*TESTPPO01 {6}\*260702\*1000\*\^\*00501\*000000501\*/);
    expect(await resubmissionProblems(text)).toEqual([]);
    const [read] = (await read837All(text)).claims;
    expect(read!.frequency).toBe(frequency);
    expect(read!.references.payerClaimControlNumber).toBe(f8);
    expect(read!.patientControlNumber).toBe('CPP001000000007');
  });

  test('no route for the tenant is a conflict; a broken file is reported by its issue codes', async () => {
    const sent = claimToResubmit(claim('CPP001000000007'), undefined, undefined, '1');
    await expect(writeResubmission837(sent, { tenant: 'unknown-tenant', fileId: 'f', workItemId: 'w', revision: 1, at: new Date() }, { tradingPartners, controlNumbers })).rejects.toMatchObject({ code: 'no-trading-partner-route' });
    const { text } = await writeResubmission837(sent, { tenant: 'demo-billing', fileId: 'f', workItemId: 'w', revision: 1, at: new Date() }, { tradingPartners, controlNumbers });
    const problems = await resubmissionProblems(text.replace(/SE\*\d+\*/, 'SE*2*'));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((code) => /^[a-z-]+:\w+$/.test(code))).toBe(true);
    expect(resubmissionKey('t', 'PAYER/../X', 'w', 2)).toBe('t/outbox/PAYER_.._X/resubmit-w-2.837');
  });
});
