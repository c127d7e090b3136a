/**
 * `claimpath check --rules`, end to end in-process: rule files loaded offline, claims scrubbed with the
 * code sets and the file's own history, findings under each claim, held claims counted, and the exit
 * status; invalid rule documents stop the command with every error named.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { CliContext } from '../../src/cli/args.ts';
import { main } from '../../src/cli/main.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const sample837p = join(repoRoot, 'events/x12/837p-sample.x12');
const sample837i = join(repoRoot, 'events/x12/837i-sample.x12');
const sampleRules = join(repoRoot, 'events/rules');

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const context: CliContext = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), stdin: Readable.from([]), env: {} };
  const code = await main(argv, context);
  return { code, out, err };
}

interface JsonClaim {
  patientControlNumber: string;
  held: boolean;
  findings: { origin: string; severity: string; code: string; ruleId?: string }[];
  subscriber: { lastOrOrganizationName?: string; firstName?: string; memberId?: string };
  patient: { lastOrOrganizationName?: string; firstName?: string; birthDate?: string };
}

interface JsonFile {
  path: string;
  model: { claims: JsonClaim[] };
  scrubbed: { claims: number; held: number };
}

let workDirectory: string;
beforeAll(() => {
  workDirectory = mkdtempSync(join(tmpdir(), 'claimpath-rules-cli-'));
});
afterAll(() => rmSync(workDirectory, { recursive: true, force: true }));

function writeRules(name: string, rules: unknown): string {
  const path = join(workDirectory, name);
  writeFileSync(path, JSON.stringify(rules));
  return path;
}

describe('claimpath check --rules', () => {
  test('shows rule findings under each claim, marks held claims, counts them, exits 1', async () => {
    const { code, out } = await run(['check', sample837p, '--rules', sampleRules, '--received-on', '2026-04-01']);
    expect(code).toBe(1);
    const claims = out.split('\n').filter((l) => /^ {2}claim /.test(l)).length;
    const held = out.split('\n').filter((l) => /^ {4}held: \d+ reject finding/.test(l)).length;
    expect(claims).toBeGreaterThan(0);
    expect(held).toBeGreaterThan(0);
    expect(out).toContain(`claims scrubbed: ${claims}, held: ${held}`);
    expect(out).toMatch(/REJECT [a-z-]+ line \d+ at [A-Z0-9]+ #\d+ \(loop 2400\): /);
  });

  test('the JSON model carries the findings and held on each claim, and no PHI reaches the text output', async () => {
    const json = await run(['check', sample837p, '--rules', sampleRules, '--received-on', '2026-04-01', '--json']);
    expect(json.code).toBe(1);
    const file = (JSON.parse(json.out) as { files: JsonFile[] }).files[0]!;
    const { claims } = file.model;
    expect(file.scrubbed).toEqual({ claims: claims.length, held: claims.filter((c) => c.held).length });
    for (const c of claims) expect(c.held).toBe(c.findings.some((f) => f.severity === 'reject'));
    expect(claims.some((c) => c.findings.some((f) => f.origin === 'rule' && f.ruleId !== undefined))).toBe(true);

    const text = await run(['check', sample837p, '--rules', sampleRules, '--received-on', '2026-04-01']);
    for (const c of claims) {
      for (const personal of [c.subscriber.lastOrOrganizationName, c.subscriber.firstName, c.subscriber.memberId, c.patient.lastOrOrganizationName, c.patient.firstName, c.patient.birthDate]) {
        if (personal) expect(text.out).not.toContain(personal);
      }
    }
  });

  test('claims that pass every rule are not held and the command exits 0', async () => {
    const lenient = writeRules('lenient.json', [{ id: 'units', payer: '*', kind: 'units-limit', version: 1, effective: { from: '2024-01-01' }, severity: 'warn', params: { limits: [{ code: 'J0696', maxUnits: 1 }] } }]);
    const { code, out } = await run(['check', sample837p, '--rules', lenient]);
    expect(code).toBe(0);
    expect(out).toMatch(/claims scrubbed: \d+, held: 0/);
    expect(out).not.toMatch(/^ {4}held:/m);
  });

  test('several files: the summary counts scrubbed and held claims', async () => {
    const strict = writeRules('strict.json', { rules: [{ id: 'tf', payer: '*', kind: 'timely-filing', version: 1, effective: { from: '2024-01-01' }, severity: 'reject', params: { days: 1 } }] });
    const { code, out } = await run(['check', sample837p, sample837i, '--rules', strict, '--received-on', '2027-01-01']);
    expect(code).toBe(1);
    const summary = /2 files checked: 2 accepted, 0 rejected; claims: (\d+) scrubbed, (\d+) held/.exec(out);
    expect(summary).not.toBeNull();
    expect(summary![1]).toBe(summary![2]);
  });

  test('invalid rule documents: exit 2, every error with its document, rule id and field, nothing checked', async () => {
    const bad = writeRules('bad.json', [
      { id: 'ok', payer: '*', kind: 'npi-check-digit', version: 1, effective: { from: '2024-01-01' }, severity: 'reject' },
      { id: 'tf', payer: '*', kind: 'timely-filing', version: 1, effective: { from: '2024-01-01' }, severity: 'block', params: { days: 0 } },
    ]);
    const notJson = join(workDirectory, 'broken.json');
    writeFileSync(notJson, '{ "rules": [');
    const { code, out, err } = await run(['check', sample837p, '--rules', bad, '--rules', notJson]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(`${bad}[1] (rule tf) severity: `);
    expect(err).toContain(`${bad}[1] (rule tf) params.days: `);
    expect(err).toContain(`${notJson}: not valid JSON`);
  });

  test('a rule version repeated across files is refused, naming both documents', async () => {
    const rule = { id: 'dup', payer: '*', kind: 'npi-check-digit', version: 1, effective: { from: '2024-01-01' }, severity: 'reject' };
    const a = writeRules('a.json', [rule]);
    const b = writeRules('b.json', [rule]);
    const { code, err } = await run(['check', sample837p, '--rules', a, '--rules', b]);
    expect(code).toBe(2);
    expect(err).toContain(`${b}[0] (rule dup) version: payer, id and version repeat document ${a}[0]`);
  });

  test('usage errors', async () => {
    expect((await run(['check', sample837p, '--received-on', '2026-04-01'])).code).toBe(2);
    expect((await run(['check', sample837p, '--rules', sampleRules, '--received-on', '04/01/2026'])).code).toBe(2);
    expect((await run(['check', sample837p, '--rules', join(workDirectory, 'missing')])).code).toBe(2);
  });
});
