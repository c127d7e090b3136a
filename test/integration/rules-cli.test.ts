/**
 * `claimpath rules` against a real local DynamoDB server (dynalite): an import with one bad document
 * changes nothing and lists every error; a good import; re-import as a no-op; a changed document
 * refused; `list --payer --on`; `export` and re-import round trip into another table; the store's
 * failures as one line each; the sample rule sets in events/rules. Commands run in-process through
 * `main`, as the bin runs them; one run goes through bin/claimpath.js as a child process.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PayerRuleSchema } from '../../schemas/payer-rule.schema.ts';
import type { CliContext } from '../../src/cli/args.ts';
import { main } from '../../src/cli/main.ts';
import { DynamoRuleStore } from '../../src/store/dynamo-rule-store.ts';
import { rulesTable } from '../../src/store/tables.ts';
import { useDynalite } from '../support/dynalite.ts';

const copyTable = 'claimpath-rules-copy';
const samplesTable = 'claimpath-rules-samples';
const dynamo = useDynalite([
  { definition: rulesTable, name: rulesTable.defaultName },
  { definition: rulesTable, name: copyTable },
  { definition: rulesTable, name: samplesTable },
]);

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `claimpath rules …` in-process with the local endpoint in the environment (as a deployment's shell would have it). */
async function rules(args: string[], env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const context: CliContext = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    stdin: (async function* () {})(),
    env: { CLAIMPATH_DYNAMODB_ENDPOINT: dynamo.endpoint, ...env },
  };
  const code = await main(['rules', ...args], context);
  return { code, stdout, stderr };
}

function storeOf(tableName: string): DynamoRuleStore {
  return new DynamoRuleStore({ client: dynamo.client, tableName });
}

// ── Rule files ───────────────────────────────────────────────────────────────────────────────────

const acmeTimely = {
  id: 'acme-timely-filing',
  payer: 'ACME01',
  kind: 'timely-filing',
  version: 1,
  effective: { from: '2024-01-01', to: '2024-12-31' },
  severity: 'reject',
  params: { days: 90 },
  preventsCarc: '29',
};
const acmeTimely2 = { ...acmeTimely, version: 2, effective: { from: '2025-01-01' }, params: { days: 120 } };
const acmePriorAuth = {
  id: 'acme-prior-auth',
  payer: 'ACME01',
  kind: 'prior-authorization',
  version: 1,
  effective: { from: '2024-01-01' },
  severity: 'reject',
  params: { procedures: ['E0260', 'K0*'] },
  preventsCarc: '197',
};
const everyPayerNpi = { id: 'npi-check-digit', payer: '*', kind: 'npi-check-digit', version: 1, effective: { from: '2020-01-01' }, severity: 'reject' };
const zenithUnits = {
  id: 'zenith-units',
  payer: 'ZENITH02',
  kind: 'units-limit',
  version: 1,
  effective: { from: '2024-01-01' },
  severity: 'warn',
  params: { limits: [{ code: 'J1100', maxUnits: 10 }] },
};

let work: string;
let goodDir: string;
let badDir: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'claimpath-rules-cli-'));
  goodDir = join(work, 'good');
  badDir = join(work, 'bad');
  for (const dir of [goodDir, badDir]) {
    mkdirSync(join(dir, 'nested'), { recursive: true });
    // An array, a single document, and {"rules": [...]} in a sub-folder; a non-JSON file is ignored.
    writeFileSync(join(dir, 'acme.json'), JSON.stringify([acmeTimely, acmeTimely2, acmePriorAuth], null, 2));
    writeFileSync(join(dir, 'every-payer.json'), JSON.stringify(everyPayerNpi));
    writeFileSync(join(dir, 'nested', 'zenith.json'), JSON.stringify({ rules: [zenithUnits] }));
    writeFileSync(join(dir, 'README.md'), 'not a rule file');
  }
  // The bad folder: one invalid document in one file, a file that is not JSON, and the rest valid.
  writeFileSync(join(badDir, 'acme.json'), JSON.stringify([acmeTimely, { ...acmeTimely2, severity: 'fatal' }, acmePriorAuth], null, 2));
  writeFileSync(join(badDir, 'nested', 'broken.json'), '{ "id": "half-written", ');
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('claimpath rules', () => {
  test('an import with a bad document lists every error and stores nothing', async () => {
    const run = await rules(['import', badDir]);

    expect(run.code).toBe(1);
    const errorLines = run.stderr.trim().split('\n');
    expect(errorLines).toEqual([
      expect.stringMatching(/acme\.json\[1\] \(rule acme-timely-filing\) severity: /),
      expect.stringMatching(/nested\/broken\.json: not valid JSON/),
      'claimpath rules: 2 error(s); nothing imported',
    ]);
    expect(run.stdout).toBe('');
    expect(await storeOf(rulesTable.defaultName).all()).toEqual([]);
  });

  test('a good import stores every document of every file; a second import is a no-op', async () => {
    const first = await rules(['import', goodDir]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe(`imported 5 rule document(s) into ${rulesTable.defaultName}: 5 new, 0 already stored\n`);
    const stored = await storeOf(rulesTable.defaultName).all();
    expect(stored.map((rule) => `${rule.payer}/${rule.id}@${rule.version}`)).toEqual([
      '*/npi-check-digit@1',
      'ACME01/acme-prior-auth@1',
      'ACME01/acme-timely-filing@1',
      'ACME01/acme-timely-filing@2',
      'ZENITH02/zenith-units@1',
    ]);
    expect(stored[1]).toEqual(PayerRuleSchema.parse(acmePriorAuth));

    const again = await rules(['import', join(goodDir, 'acme.json'), join(goodDir, 'nested')]);
    expect(again.stdout).toBe(`imported 4 rule document(s) into ${rulesTable.defaultName}: 0 new, 4 already stored\n`);
  });

  test('a changed document under a stored version is refused, naming the rule', async () => {
    const changed = join(work, 'changed.json');
    writeFileSync(changed, JSON.stringify({ ...acmeTimely2, params: { days: 365 } }));

    const run = await rules(['import', changed]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ACME01/acme-timely-filing v2');
    expect((await storeOf(rulesTable.defaultName).list({ payer: 'ACME01' })).find((rule) => rule.version === 2)?.params).toEqual({ days: 120 });
  });

  test('list --payer --on shows what applies to the payer on that date, every-payer rules included', async () => {
    const run = await rules(['list', '--payer', 'ACME01', '--on', '2025-01-01']);

    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^PAYER\s+RULE ID\s+VERSION\s+KIND\s+SEVERITY\s+EFFECTIVE$/);
    expect(lines.slice(1, -1).map((line) => line.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      '* npi-check-digit 1',
      'ACME01 acme-prior-auth 1',
      // Version 1 ended the day before: version 2 applies.
      'ACME01 acme-timely-filing 2',
    ]);
    expect(lines.at(-1)).toBe('3 rule document(s)');

    const lastDayOfVersion1 = await rules(['list', '--payer', 'ACME01', '--on', '2024-12-31', '--json']);
    const documents: unknown = JSON.parse(lastDayOfVersion1.stdout);
    expect(documents).toEqual([PayerRuleSchema.parse(everyPayerNpi), PayerRuleSchema.parse(acmePriorAuth), PayerRuleSchema.parse(acmeTimely)]);
  });

  test('list without --on shows every version; --payer alone only that payer', async () => {
    const all = await rules(['list']);
    expect(all.stdout.trim().split('\n').at(-1)).toBe('5 rule document(s)');
    const zenith = await rules(['list', '--payer', 'ZENITH02']);
    expect(zenith.stdout).toMatch(/ZENITH02\s+zenith-units\s+1\s+units-limit\s+warn\s+2024-01-01 to open/);
    expect(zenith.stdout.trim().split('\n').at(-1)).toBe('1 rule document(s)');
    expect((await rules(['list', '--payer', 'NOBODY01'])).stdout).toBe('no rules\n');
  });

  test('export, then import into another table, gives the same documents; re-importing the export is a no-op', async () => {
    const exported = await rules(['export']);
    expect(exported.code).toBe(0);
    const exportFile = join(work, 'export.json');
    writeFileSync(exportFile, exported.stdout);

    const intoCopy = await rules(['import', exportFile], { CLAIMPATH_RULES_TABLE: copyTable });
    expect(intoCopy.stdout).toBe(`imported 5 rule document(s) into ${copyTable}: 5 new, 0 already stored\n`);
    expect(await storeOf(copyTable).all()).toEqual(await storeOf(rulesTable.defaultName).all());
    const reexported = await rules(['export', '--table', copyTable]);
    expect(reexported.stdout).toBe(exported.stdout);
    expect((await rules(['import', exportFile])).stdout).toContain('0 new, 5 already stored');

    const acmeOnly = await rules(['export', '--payer', 'ACME01']);
    expect((JSON.parse(acmeOnly.stdout) as { payer: string }[]).map((rule) => rule.payer)).toEqual(['ACME01', 'ACME01', 'ACME01']);
  });

  test('usage errors exit 2 before any store access', async () => {
    expect((await rules(['list', '--on', '2025-02-30'])).code).toBe(2);
    expect((await rules(['import'])).code).toBe(2);
    expect((await rules(['export', '--on', '2025-01-01'])).code).toBe(2);
    expect((await rules(['publish'])).code).toBe(2);
    expect((await rules(['import', join(work, 'missing')])).code).toBe(2);
    expect((await rules(['list', '--endpoint', 'not a url'])).code).toBe(2);
  });

  test('a missing table or an unreachable endpoint is one line and exit 3', async () => {
    const noTable = await rules(['list', '--table', 'no-such-table']);
    expect(noTable).toMatchObject({ code: 3, stdout: '' });
    expect(noTable.stderr).toBe(`claimpath rules: table no-such-table not found at ${dynamo.endpoint}\n`);

    // Port 1 on loopback: nothing listens there.
    const unreachable = await rules(['list', '--endpoint', 'http://127.0.0.1:1']);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toMatch(/^claimpath rules: cannot reach DynamoDB at http:\/\/127\.0\.0\.1:1 \(E[A-Z]+\)\n$/);
  });

  test('the sample rule sets (events/rules) import cleanly and give every sample payer its rules', async () => {
    const samples = join(repoRoot, 'events', 'rules');
    const run = await rules(['import', samples], { CLAIMPATH_RULES_TABLE: samplesTable });

    expect(run).toMatchObject({ code: 0, stderr: '' });
    for (const payer of ['TESTPPO01', 'TESTHMO01', 'TESTMCR01']) {
      const inEffect = await storeOf(samplesTable).rulesInEffect(payer, '2025-06-01');
      expect(inEffect.some((rule) => rule.payer === payer)).toBe(true);
      expect(inEffect.some((rule) => rule.payer === '*')).toBe(true);
    }
  });

  test('runs as users run it: bin/claimpath.js, endpoint from the environment', async () => {
    const result = await promisify(execFile)(process.execPath, [join(repoRoot, 'bin', 'claimpath.js'), 'rules', 'list', '--payer', 'ZENITH02'], {
      cwd: repoRoot,
      env: { ...process.env, CLAIMPATH_DYNAMODB_ENDPOINT: dynamo.endpoint, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      encoding: 'utf8',
      timeout: 60_000,
    });

    expect(result.stdout).toMatch(/ZENITH02\s+zenith-units\s+1/);
  });
});
