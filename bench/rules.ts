/**
 * Rules benchmark (issue 4 target): a procedure-pair rule set of 10,000 and of 1,000,000 generated pairs,
 * each loaded (JSON text → parseRuleDocuments → compileRuleSet) and run over the same 25,000-claim batch
 * in one process. Reported per size: load time, heap held by the rule set, claims/s (median of rounds
 * run interleaved, both tables loaded). The pair table is indexed by code, so claims/s must not fall
 * with the table's size: the run ends with the ratio.
 *
 * Both sizes hold the same pairs among the codes the claims bill (so both find the same edits); the
 * rest are pairs of fictional codes (W0000–Z9999, outside HCPCS Level II) that no claim bills. A last
 * row scrubs the batch with the sample rule sets of events/rules and the real code sets, for context.
 *
 * Run: `npx tsx bench/rules.ts [--claims N] [--rounds N] [--json]`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Claim, ServiceLine } from '../schemas/claim.schema.ts';
import { parseRuleDocuments, ruleDocumentsInFile, type PayerRule } from '../schemas/payer-rule.schema.ts';
import { loadCodeSets } from '../src/rules/codesets/index.ts';
import type { CodeSets } from '../src/rules/codesets/types.ts';
import { InMemoryClaimHistory } from '../src/rules/history.ts';
import { npiCheckDigit } from '../src/rules/npi.ts';
import { compileRuleSet, holdsClaim, scrub, type CompiledRuleSet } from '../src/rules/scrub.ts';
import { PAYERS, PROFESSIONAL_SCENARIOS } from './generator/code-values.ts';
import { SeededRandom } from './generator/random.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

// A full collection before each heap reading, without asking the user for --expose-gc.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function heapUsed(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

// ── Rule sets ─────────────────────────────────────────────────────────────────────────────────────

/** Pairs among the codes the claims bill: the edits both table sizes share. */
const BILLED_PAIRS: readonly [string, string, 0 | 1 | 9][] = [
  ['G0438', 'G0439', 0],
  ['G0438', 'G0444', 1],
  ['G0439', 'G0442', 1],
  ['G0402', 'G0438', 0],
  ['J1100', 'J1885', 1],
  ['J0696', 'J3420', 1],
  ['J1885', 'J2405', 9],
  ['E0143', 'E0114', 0],
  ['E0607', 'A4253', 1],
  ['L3908', 'A4253', 1],
  ['G0008', 'G0009', 0],
];

/** Fictional codes outside HCPCS Level II (which runs A–V): W0000 … Z9999. */
const FICTIONAL_CODES: readonly string[] = ['W', 'X', 'Y', 'Z'].flatMap((letter) => Array.from({ length: 10_000 }, (_, i) => letter + String(i).padStart(4, '0')));

/** The JSON text of one procedure-pair rule document with `count` pairs, as a maintainer would load it. */
function pairRuleText(count: number): string {
  const pairs: string[] = BILLED_PAIRS.map(([column1, column2, modifierIndicator]) => JSON.stringify({ column1, column2, modifierIndicator }));
  const codes = FICTIONAL_CODES.length;
  for (let i = 0; pairs.length < count; i++) {
    const column1 = FICTIONAL_CODES[i % codes]!;
    const column2 = FICTIONAL_CODES[(i % codes + 1 + Math.floor(i / codes)) % codes]!;
    // One pair in twenty carries its own dates, like NCCI rows with a deletion date.
    const dated = i % 20 === 0 ? ',"effective":{"from":"2020-01-01","to":"2026-12-31"}' : '';
    pairs.push(`{"column1":"${column1}","column2":"${column2}","modifierIndicator":${i % 3 === 0 ? 0 : 1}${dated}}`);
  }
  return `{"id":"bench-pairs","payer":"*","kind":"procedure-pair","version":1,"effective":{"from":"2024-01-01"},"severity":"reject","params":{"pairs":[${pairs.join(',')}]}}`;
}

function parseRules(text: string, source: string): PayerRule[] {
  const result = parseRuleDocuments(ruleDocumentsInFile(JSON.parse(text)), source);
  if ('errors' in result) throw new Error(`${source}: ${result.errors.length} invalid document(s)`);
  return result.rules;
}

function sampleRules(): PayerRule[] {
  const directory = join(repoRoot, 'events/rules');
  return readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .flatMap((file) => parseRules(readFileSync(join(directory, file), 'utf8'), file));
}

// ── Claims ────────────────────────────────────────────────────────────────────────────────────────

function validNpi(random: SeededRandom): string {
  const firstNine = String(random.int(1, 2)) + String(random.int(0, 99_999_999)).padStart(8, '0');
  return firstNine + String(npiCheckDigit(firstNine));
}

function isoDay(random: SeededRandom): string {
  const month = random.int(1, 6);
  return `2026-${String(month).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
}

/** `count` professional claims drawn from the generator's scenarios: 1–4 lines, some on one date. */
function buildClaims(count: number, seed: number): Claim[] {
  const random = new SeededRandom(seed);
  const billingNpis = Array.from({ length: 50 }, () => validNpi(random));
  const claims: Claim[] = [];
  for (let n = 0; n < count; n++) {
    const scenario = random.weighted(PROFESSIONAL_SCENARIOS);
    const date = isoDay(random);
    const diagnoses = random.sample(scenario.diagnoses, random.int(1, Math.min(3, scenario.diagnoses.length)));
    const lines: ServiceLine[] = [];
    const lineCount = random.int(1, Math.max(1, Math.min(4, scenario.maxLines)));
    for (let i = 1; i <= lineCount; i++) {
      const procedure = random.weighted(scenario.procedures);
      const units = random.int(procedure.minUnits, procedure.maxUnits);
      const modifiers = procedure.modifiers && procedure.modifiers.length > 0 ? [random.pick(procedure.modifiers)] : undefined;
      lines.push({
        lineNumber: i,
        procedure: { qualifier: 'HC', code: procedure.code, ...(modifiers ? { modifiers } : {}) },
        charge: procedure.unitPriceCents * units,
        unitBasis: 'UN',
        units,
        diagnosisPointers: [random.int(1, diagnoses.length)],
        dates: { service: { from: date, to: date } },
        references: { lineControlNumber: `B${n}L${i}` },
        amounts: {},
        sources: {
          lineNumber: { ordinal: 20 + i * 3, offset: 0, loop: '2400', segment: 'LX', element: 1 },
          'procedure.code': { ordinal: 21 + i * 3, offset: 0, loop: '2400', segment: 'SV1', element: 1, component: 2 },
        },
      });
    }
    const payer = random.weighted(PAYERS);
    const member = `BENCH${String(random.int(0, count / 4)).padStart(7, '0')}`;
    claims.push({
      type: 'P',
      patientControlNumber: `BENCH${String(n).padStart(8, '0')}`,
      totalCharge: lines.reduce((sum, line) => sum + line.charge, 0),
      placeOfService: scenario.placeOfService,
      facilityCodeQualifier: 'B',
      frequency: '1',
      billingProvider: { entityType: '2', lastOrOrganizationName: 'BENCH CLINIC', npi: random.pick(billingNpis) },
      subscriber: { entityType: '1', lastOrOrganizationName: 'BENCHPATIENT', firstName: 'ALPHA', memberId: member, relationship: '18' },
      payer: { idQualifier: 'PI', id: payer.payerId },
      patient: { sameAsSubscriber: true, relationship: '18', lastOrOrganizationName: 'BENCHPATIENT', firstName: 'ALPHA', birthDate: `19${random.int(40, 99)}-06-15`, sex: random.pick(['F', 'M']) },
      dates: {},
      references: {},
      amounts: {},
      diagnoses: diagnoses.map((code, i) => ({ kind: i === 0 ? 'principal' : 'other', qualifier: i === 0 ? 'ABK' : 'ABF', code })),
      providers: [],
      otherPayers: [],
      lines,
      sources: { patientControlNumber: { ordinal: 18, offset: 0, loop: '2300', segment: 'CLM', element: 1 } },
      envelope: { interchangeControl: '000000001', groupControl: '1', setControl: String(Math.floor(n / 1000)).padStart(4, '0'), version: '005010X222A1' },
    });
  }
  return claims;
}

// ── Measuring ─────────────────────────────────────────────────────────────────────────────────────

interface ScrubResult {
  seconds: number;
  claimsPerSecond: number;
  findings: number;
  held: number;
}

async function scrubAll(claims: readonly Claim[], ruleSet: CompiledRuleSet, codeSets: CodeSets, history: InMemoryClaimHistory): Promise<ScrubResult> {
  let findings = 0;
  let held = 0;
  const started = process.hrtime.bigint();
  for (const claim of claims) {
    const found = await scrub(claim, ruleSet, codeSets, history, { receivedOn: '2026-07-15' });
    findings += found.length;
    if (holdsClaim(found)) held++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, claimsPerSecond: claims.length / seconds, findings, held };
}

interface Row {
  name: string;
  rules: string;
  loadSeconds?: number;
  ruleSetMiB?: number;
  scrub: ScrubResult;
}

interface LoadedPairs {
  pairCount: number;
  ruleSet: CompiledRuleSet;
  loadSeconds: number;
  ruleSetMiB: number;
}

/** Load one pair table from its JSON text: parse, validate, compile; the heap it holds once loaded. */
function loadPairs(pairCount: number): LoadedPairs {
  const text = pairRuleText(pairCount);
  const before = heapUsed();
  const started = process.hrtime.bigint();
  const ruleSet = compileRuleSet(parseRules(text, `pairs-${pairCount}.json`));
  const loadSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { pairCount, ruleSet, loadSeconds, ruleSetMiB: (heapUsed() - before) / 2 ** 20 };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Scrub the batch with each loaded table in turn, `rounds` times, interleaved — both tables stay
 * loaded throughout, so both sides see the same heap and machine state — and keep each table's
 * median round.
 */
async function measureInterleaved(tables: readonly LoadedPairs[], claims: readonly Claim[], codeSets: CodeSets, history: InMemoryClaimHistory, rounds: number): Promise<Row[]> {
  const results = tables.map(() => [] as ScrubResult[]);
  for (const table of tables) await scrubAll(claims.slice(0, 2_000), table.ruleSet, codeSets, history); // JIT warm-up
  for (let round = 0; round < rounds; round++) {
    for (const [i, table] of tables.entries()) results[i]!.push(await scrubAll(claims, table.ruleSet, codeSets, history));
  }
  return tables.map((table, i) => {
    const byTime = [...results[i]!].sort((a, b) => a.seconds - b.seconds);
    const typical = byTime.find((r) => r.seconds === median(byTime.map((x) => x.seconds))) ?? byTime[Math.floor(byTime.length / 2)]!;
    return { name: `procedure pairs ×${table.pairCount.toLocaleString('en-US')}`, rules: '1 rule', loadSeconds: table.loadSeconds, ruleSetMiB: table.ruleSetMiB, scrub: typical };
  });
}

function formatTable(rows: readonly Row[], claimCount: number): string {
  const header = `| rule set | load (s) | rule set heap (MiB) | ${claimCount.toLocaleString('en-US')} claims (s) | claims/s | findings | held |`;
  const lines = [header, '|---|---:|---:|---:|---:|---:|---:|'];
  for (const row of rows) {
    lines.push(
      `| ${row.name} (${row.rules}) | ${row.loadSeconds?.toFixed(2) ?? '-'} | ${row.ruleSetMiB?.toFixed(1) ?? '-'} | ${row.scrub.seconds.toFixed(2)} | ${Math.round(row.scrub.claimsPerSecond).toLocaleString('en-US')} | ${row.scrub.findings} | ${row.scrub.held} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { claims: { type: 'string' }, rounds: { type: 'string' }, json: { type: 'boolean' } } });
  const claimCount = Number(values.claims ?? 25_000);
  if (!Number.isInteger(claimCount) || claimCount < 1) throw new Error('--claims takes a positive integer');

  const codeSets = await loadCodeSets();
  const claims = buildClaims(claimCount, 4);
  const history = InMemoryClaimHistory.of(claims);

  const rounds = Number(values.rounds ?? 5);
  const tables = [loadPairs(10_000), loadPairs(1_000_000)];
  const [small, large] = (await measureInterleaved(tables, claims, codeSets, history, rounds)) as [Row, Row];

  const samples = compileRuleSet(sampleRules());
  await scrubAll(claims.slice(0, 2_000), samples, codeSets, history);
  const sampleRow: Row = { name: 'events/rules samples + code sets', rules: `${samples.rules.length} rules`, scrub: await scrubAll(claims, samples, codeSets, history) };

  const ratio = large.scrub.claimsPerSecond / small.scrub.claimsPerSecond;
  if (values.json) {
    process.stdout.write(JSON.stringify({ claims: claimCount, rounds, rows: [small, large, sampleRow], ratio1Mto10k: ratio }, null, 2) + '\n');
    return;
  }
  process.stdout.write(`Rules benchmark: ${claimCount.toLocaleString('en-US')} professional claims, median of ${rounds} interleaved rounds per pair table, Node ${process.version}\n\n`);
  process.stdout.write(formatTable([small, large, sampleRow], claimCount) + '\n\n');
  process.stdout.write(
    `claims/s with 1,000,000 pairs ÷ claims/s with 10,000 pairs: ${ratio.toFixed(2)} ` +
      `(1.00 = per-claim cost independent of the table's size; same findings: ${large.scrub.findings === small.scrub.findings ? 'yes' : 'NO'})\n`,
  );
}

await main();
