/**
 * `claimpath check --show` and `claimpath convert`: the canonical model read from a file, shown to
 * people without personal identifiers, and printed whole as JSON when asked for.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.ts';
import type { CliContext } from '../../src/cli/args.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const sample837p = join(repoRoot, 'events/x12/837p-sample.x12');
const sample835 = join(repoRoot, 'events/x12/835-sample.x12');
const fixture837p = join(repoRoot, 'test/fixtures/837p-professional.x12');

async function run(argv: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const context: CliContext = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    stdin: Readable.from([Buffer.from(stdin)]),
    env: {},
  };
  const code = await main(argv, context);
  return { code, out, err };
}

interface ConvertedClaim {
  patientControlNumber: string;
  subscriber: { lastOrOrganizationName?: string; firstName?: string; memberId?: string; birthDate?: string; address?: { line1?: string } };
  lines: unknown[];
}

describe('claimpath convert', () => {
  test('prints the claims of an 837 as JSON, as many as the report counts', async () => {
    const { code, out } = await run(['convert', sample837p, '--to', 'json']);
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { verdict: string; claims: ConvertedClaim[]; report: { interchanges: { groups: { sets: { counts: { claims: number } }[] }[] }[] } };
    const counted = doc.report.interchanges.flatMap((x) => x.groups.flatMap((g) => g.sets.map((s) => s.counts.claims))).reduce((a, b) => a + b, 0);
    expect(doc.verdict).toBe('accepted');
    expect(doc.claims.length).toBe(counted);
    expect(doc.claims[0]!.lines.length).toBeGreaterThan(0);
  });

  test('puts each claim payment under its remittance', async () => {
    const { code, out } = await run(['convert', sample835, '--to', 'json']);
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { remittances: { claimPayments: unknown[]; envelope: { setControl: string } }[]; report: { interchanges: { groups: { sets: { control: string; counts: { claimPayments: number } }[] }[] }[] } };
    const sets = doc.report.interchanges.flatMap((x) => x.groups.flatMap((g) => g.sets));
    expect(doc.remittances.map((r) => [r.envelope.setControl, r.claimPayments.length])).toEqual(sets.map((s) => [s.control, s.counts.claimPayments]));
  });

  test('reads standard input; usage errors exit 2', async () => {
    const stdin = readFileSync(fixture837p, 'utf8');
    const { code, out } = await run(['convert', '-', '--to', 'json'], stdin);
    expect(code).toBe(0);
    expect((JSON.parse(out) as { claims: unknown[] }).claims.length).toBeGreaterThan(0);
    expect((await run(['convert', sample837p])).code).toBe(2);
    expect((await run(['convert', sample837p, '--to', 'xml'])).code).toBe(2);
    expect((await run(['convert', 'no-such-file.x12', '--to', 'json'])).code).toBe(2);
  });
});

describe('claimpath check --show', () => {
  test('shows claims with their lines, and no names, member ids, birth dates or addresses', async () => {
    const converted = JSON.parse((await run(['convert', fixture837p, '--to', 'json'])).out) as { claims: ConvertedClaim[] };
    const { code, out } = await run(['check', fixture837p, '--show', 'claims']);
    expect(code).toBe(0);
    for (const claim of converted.claims) {
      expect(out).toContain(`claim ${claim.patientControlNumber}`);
      const s = claim.subscriber;
      for (const personal of [s.lastOrOrganizationName, s.firstName, s.memberId, s.address?.line1]) {
        if (personal) expect(out).not.toContain(personal);
      }
    }
    expect(out).toMatch(/line 1: /);
  });

  test('shows claim payments with adjustments; --json --show adds the model', async () => {
    const text = await run(['check', sample835, '--show', 'remits']);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/claim payment \S+ \(status \d+/);
    const json = await run(['check', sample837p, '--json', '--show', 'claims']);
    const doc = JSON.parse(json.out) as { files: { model?: { claims: unknown[] } }[] };
    expect(doc.files[0]!.model!.claims.length).toBeGreaterThan(0);
    const plain = JSON.parse((await run(['check', sample837p, '--json'])).out) as { files: { model?: unknown }[] };
    expect(plain.files[0]!.model).toBeUndefined();
  });

  test('an unbalanced claim shows its balancing finding under it', async () => {
    const text = readFileSync(fixture837p, 'utf8');
    // Raise the first claim's total by one cent: CLM02 no longer equals the sum of its lines.
    const changed = text.replace(/CLM\*([^*]+)\*(\d+)(\.(\d+))?/, (_m, pcn: string, whole: string, _f: string, cents = '') => `CLM*${pcn}*${whole}.${(cents + '00').slice(0, 2) === '99' ? '98' : String(Number((cents + '00').slice(0, 2)) + 1).padStart(2, '0')}`);
    const { out } = await run(['check', '-', '--show', 'claims'], changed);
    expect(out).toMatch(/REJECT BALANCE_CLAIM_LINES/);
    expect((await run(['check', sample837p, '--show', 'everything'])).code).toBe(2);
  });
});
