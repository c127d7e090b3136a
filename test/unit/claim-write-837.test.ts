/**
 * The 837 writer: the round trip (parse → write → parse gives an equal model, source pointers and
 * envelope aside) on our fixtures, the events/ samples and the valid files of ../shared/corpus/x12,
 * with the written file passing validateX12 with no more errors than the original; and the envelope
 * it writes: fixed-width ISA, GS/ST versions per claim type, counts, control numbers from the caller,
 * HL numbering and parent ids, delimiters that no value contains.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Claim } from '../../schemas/claim.schema.ts';
import { Write837OptionsError } from '../../src/claims/errors.ts';
import { read837All } from '../../src/claims/read-837.ts';
import { write837, type ControlNumberKind, type Write837Options } from '../../src/claims/write-837.ts';
import type { ValidationReport } from '../../src/x12/report.ts';
import { tokenizeSync } from '../../src/x12/tokenizer.ts';
import { validateX12 } from '../../src/x12/validate.ts';

const fixturesDirectory = fileURLToPath(new URL('../fixtures', import.meta.url));
const eventsDirectory = fileURLToPath(new URL('../../events/x12', import.meta.url));
const corpusDirectory = fileURLToPath(new URL('../../../shared/corpus/x12', import.meta.url));

/** Corpus files SOURCES.md lists as valid (or valid content with a separator quirk). */
const VALID_CORPUS_837 = [
  '837i-out-of-network-repriced-hcp.x12',
  '837i-ppo-repriced-hcp-cob-occurrence.x12',
  '837p-annotated-out-of-network-repriced-hcp.txt',
  '837p-auto-accident-dependent.x12',
  '837p-basic-dependent-4lines.x12',
  '837p-cob-primary-with-other-subscriber.x12',
  '837p-dme-oxygen-cmn-lq-frm.x12',
  '837p-drug-ndc-lin-ctp.x12',
  '837p-icd10-two-subscribers-two-claims.x12',
  '837p-ppo-repriced-hcp-gt-separator.x12',
  '837p-uhin-clearinghouse-test-icd10.x12',
];

function filesIn(directory: string, pattern: RegExp): string[] {
  return existsSync(directory) ? readdirSync(directory).filter((f) => pattern.test(f)).sort().map((f) => join(directory, f)) : [];
}

const roundTripFiles = [
  ...filesIn(fixturesDirectory, /^837.*\.x12$/),
  ...filesIn(eventsDirectory, /837.*\.x12$/),
  ...VALID_CORPUS_837.map((f) => join(corpusDirectory, f)).filter((f) => existsSync(f)),
];
const malformedCorpusFiles = filesIn(corpusDirectory, /^837/).filter((f) => !VALID_CORPUS_837.some((v) => f.endsWith(v)));

function options(overrides: Partial<Write837Options> = {}): Write837Options & { calls: ControlNumberKind[] } {
  const calls: ControlNumberKind[] = [];
  let next = 40;
  return {
    sender: { qualifier: 'ZZ', id: 'CLAIMPATH' },
    receiver: { qualifier: 'ZZ', id: 'TESTPAYER01' },
    submitter: { name: 'CLAIMPATH CLEARING', id: 'CP0001', contact: { name: 'EDI DESK', numbers: [{ qualifier: 'TE', number: '5555550100' }] } },
    receiverName: { name: 'TEST HEALTH PLAN', id: 'TESTPAYER01' },
    usage: 'T',
    controlNumbers: (kind) => {
      calls.push(kind);
      return ++next;
    },
    now: new Date(Date.UTC(2026, 10, 20, 9, 5)),
    calls,
    ...overrides,
  };
}

/** The model without what describes a file rather than the claim. */
function comparable(claims: readonly Claim[]): unknown[] {
  return claims.map(({ sources: _sources, envelope: _envelope, ...claim }) => ({ ...claim, lines: claim.lines.map(({ sources: _lineSources, ...line }) => line) }));
}

function errorCount(report: ValidationReport): number {
  const issues = [
    ...report.fileIssues,
    ...report.interchanges.flatMap((i) => [...i.issues, ...i.groups.flatMap((g) => [...g.issues, ...g.sets.flatMap((s) => s.issues)])]),
  ];
  return issues.filter((i) => i.severity === 'error').length;
}

function leadingText(file: string): 'skip' | 'reject' {
  return file.endsWith('.txt') ? 'skip' : 'reject';
}

async function claimsOf(name: string): Promise<Claim[]> {
  return (await read837All(readFileSync(join(fixturesDirectory, name)))).claims;
}

describe('write837 round trip', () => {
  it('has files to run on', () => {
    expect(roundTripFiles.length).toBeGreaterThanOrEqual(3);
  });

  it.each(roundTripFiles.map((f) => [f.split('/').pop()!, f]))('%s: parse → write → parse gives an equal model, and no more errors', async (_name, file) => {
    const original = await read837All(readFileSync(file), { leadingText: leadingText(file) });
    expect(original.claims.length).toBeGreaterThan(0);
    const written = write837(original.claims, options());
    const again = await read837All(written);
    expect(comparable(again.claims)).toEqual(comparable(original.claims));
    const report = await validateX12(written);
    expect(errorCount(report)).toBeLessThanOrEqual(errorCount(original.report));
  });

  it('writes our fixtures back with no issue at all', async () => {
    for (const name of ['837p-professional.x12', '837i-institutional.x12', '837d-dental.x12']) {
      const report = await validateX12(write837(await claimsOf(name), options()));
      expect({ name, verdict: report.verdict, issues: report.interchanges.flatMap((i) => i.groups.flatMap((g) => g.sets.flatMap((s) => s.issues))) }).toEqual({ name, verdict: 'accepted', issues: [] });
    }
  });

  it.each(malformedCorpusFiles.map((f) => [f.split('/').pop()!, f]))('%s (malformed): writes what it read without adding errors', async (_name, file) => {
    const original = await read837All(readFileSync(file), { leadingText: leadingText(file) });
    const written = write837(original.claims, options());
    const again = await read837All(written);
    expect(again.claims).toHaveLength(original.claims.length);
    expect(errorCount(await validateX12(written))).toBeLessThanOrEqual(errorCount(original.report));
  });
});

describe('write837 envelope and hierarchy', () => {
  it('writes a fixed-width ISA with the usage indicator and the caller’s control numbers', async () => {
    const o = options({ usage: 'P', acknowledgmentRequested: true });
    const text = write837(await claimsOf('837p-professional.x12'), o);
    const isa = text.slice(0, 106);
    expect(isa).toBe('ISA*00*          *00*          *ZZ*CLAIMPATH      *ZZ*TESTPAYER01    *261120*0905*^*00501*000000041*1*P*:~');
    expect(o.calls).toEqual(['interchange', 'group', 'set']);
    const { segments } = tokenizeSync(text);
    const byId = (id: string): string[][] => segments.filter((s) => s.id === id).map((s) => s.elements());
    expect(byId('GS')[0]).toEqual(['GS', 'HC', 'CLAIMPATH', 'TESTPAYER01', '20261120', '0905', '42', 'X', '005010X222A1']);
    expect(byId('ST')[0]).toEqual(['ST', '837', '0043', '005010X222A1']);
    expect(byId('BHT')[0]).toEqual(['BHT', '0019', '00', '0043', '20261120', '0905', 'CH']);
    expect(byId('SE')[0]).toEqual(['SE', String(segments.length - 4), '0043']);
    expect(byId('GE')[0]).toEqual(['GE', '1', '42']);
    expect(byId('IEA')[0]).toEqual(['IEA', '1', '000000041']);
    expect(byId('NM1').slice(0, 2)).toEqual([
      ['NM1', '41', '2', 'CLAIMPATH CLEARING', '', '', '', '', '46', 'CP0001'],
      ['NM1', '40', '2', 'TEST HEALTH PLAN', '', '', '', '', '46', 'TESTPAYER01'],
    ]);
  });

  it('numbers HLs with parent ids: billing provider → subscriber → dependent patient', async () => {
    const text = write837(await claimsOf('837p-professional.x12'), options());
    const hls = tokenizeSync(text).segments.filter((s) => s.id === 'HL').map((s) => s.elements().slice(1));
    // The first claim's patient is its subscriber; the second claim's is a dependent (2000C).
    expect(hls).toEqual([
      ['1', '', '20', '1'],
      ['2', '1', '22', '0'],
      ['3', '1', '22', '1'],
      ['4', '3', '23', '0'],
    ]);
  });

  it('groups consecutive claims of the same billing provider and subscriber under one HL each', async () => {
    const [claim] = await claimsOf('837p-professional.x12');
    const second = { ...structuredClone(claim!), patientControlNumber: 'PCN-P-0003' };
    const text = write837([claim!, second], options());
    const { segments } = tokenizeSync(text);
    expect(segments.filter((s) => s.id === 'HL').map((s) => s.elements().slice(1))).toEqual([
      ['1', '', '20', '1'],
      ['2', '1', '22', '0'],
    ]);
    expect(segments.filter((s) => s.id === 'CLM').map((s) => s.element(1))).toEqual(['PCN-P-0001', 'PCN-P-0003']);
    expect((await validateX12(text)).verdict).toBe('accepted');
  });

  it('puts a subscriber’s own claim and a dependent’s claim under one 2000B', async () => {
    const [own, dependent] = await claimsOf('837p-professional.x12');
    const child: Claim = { ...structuredClone(dependent!), subscriber: structuredClone(own!.subscriber), payer: structuredClone(own!.payer) };
    const text = write837([own!, child], options());
    expect(tokenizeSync(text).segments.filter((s) => s.id === 'HL').map((s) => s.elements().slice(1))).toEqual([
      ['1', '', '20', '1'],
      ['2', '1', '22', '1'],
      ['3', '2', '23', '0'],
    ]);
    expect((await validateX12(text)).verdict).toBe('accepted');
    expect(comparable((await read837All(text)).claims)).toEqual(comparable([own!, child]));
  });

  it('writes one functional group and transaction set per claim type, with its guide version', async () => {
    const claims = [...(await claimsOf('837i-institutional.x12')), ...(await claimsOf('837p-professional.x12')), ...(await claimsOf('837d-dental.x12'))];
    const text = write837(claims, options());
    const { segments } = tokenizeSync(text);
    expect(segments.filter((s) => s.id === 'GS').map((s) => s.element(8))).toEqual(['005010X223A2', '005010X222A1', '005010X224A2']);
    expect(segments.filter((s) => s.id === 'ST').map((s) => s.element(3))).toEqual(['005010X223A2', '005010X222A1', '005010X224A2']);
    expect(segments.find((s) => s.id === 'IEA')!.element(1)).toBe('3');
    const report = await validateX12(text);
    expect(report.verdict).toBe('accepted');
    const again = await read837All(text);
    expect(comparable(again.claims)).toEqual(comparable(claims));
  });

  it('splits a type into several transaction sets above the claims-per-set limit', async () => {
    const [claim] = await claimsOf('837p-professional.x12');
    const claims = [1, 2, 3].map((n) => ({ ...structuredClone(claim!), patientControlNumber: `PCN-${n}` }));
    const text = write837(claims, options({ maxClaimsPerSet: 2 }));
    const { segments } = tokenizeSync(text);
    expect(segments.filter((s) => s.id === 'ST')).toHaveLength(2);
    expect(segments.find((s) => s.id === 'GE')!.element(1)).toBe('2');
    expect((await validateX12(text)).verdict).toBe('accepted');
  });

  it('writes a corrected claim: frequency 7 with the payer claim control number', async () => {
    const [claim] = await claimsOf('837p-professional.x12');
    const corrected: Claim = { ...structuredClone(claim!), frequency: '7', references: { ...claim!.references, payerClaimControlNumber: 'PAYER-CCN-9' } };
    const text = write837([corrected], options());
    expect(text).toContain('CLM*PCN-P-0001*250***11:B:7*');
    expect(text).toContain('REF*F8*PAYER-CCN-9~');
  });

  it('chooses other delimiters when a value contains one of the usual ones', async () => {
    const [claim] = await claimsOf('837p-professional.x12');
    const odd: Claim = { ...structuredClone(claim!), notes: [{ code: 'ADD', text: 'SEEN 2*DAILY: SEE CHART ~ NOTE^2' }] };
    const text = write837([odd], options({ lineEnd: '\n' }));
    expect(text[3]).not.toBe('*');
    expect(text[104]).not.toBe(':');
    expect(text[105]).not.toBe('~');
    const again = await read837All(text);
    expect(again.claims[0]!.notes).toEqual(odd.notes);
    expect((await validateX12(text)).verdict).toBe('accepted');
  });

  it('refuses options that cannot make a valid ISA', async () => {
    const claims = await claimsOf('837d-dental.x12');
    expect(() => write837(claims, options({ sender: { qualifier: 'ZZ', id: 'A-SENDER-ID-TOO-LONG' } }))).toThrow(Write837OptionsError);
    expect(() => write837(claims, options({ controlNumbers: () => 1e10 }))).toThrow(Write837OptionsError);
  });
});
