/**
 * `claimpath check` run as users run it: a child process through bin/claimpath.js. Exit codes,
 * what is printed (and what must never be: element values), --json, --ack and stdin.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';
import type { CliContext } from '../../src/cli/args.ts';
import { findGuide } from '../../src/x12/maps/index.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(repoRoot, 'bin', 'claimpath.js');

/** A clean 837P (005010X222A1): one claim, two lines, SE01 right. */
const valid837 = [
  'ISA*00*          *00*          *ZZ*SUBMITTERID    *ZZ*RECEIVERID     *240102*0930*^*00501*000000101*0*T*:',
  'GS*HC*SUBMITTERID*RECEIVERID*20240102*0930*101*X*005010X222A1',
  'ST*837*0001*005010X222A1',
  'BHT*0019*00*0123*20240102*0930*CH',
  'NM1*41*2*PREMIER BILLING SERVICE*****46*TGJ23',
  'PER*IC*JERRY*TE*3055552222',
  'NM1*40*2*KEY INSURANCE COMPANY*****46*66783JJT',
  'HL*1**20*1',
  'PRV*BI*PXC*203BF0100Y',
  'NM1*85*2*BEN KILDARE SERVICE*****XX*1234567893',
  'N3*234 SEAWAY ST',
  'N4*MIAMI*FL*331111234',
  'REF*EI*587654321',
  'HL*2*1*22*0',
  'SBR*P*18*******CI',
  'NM1*IL*1*SMITH*JANE****MI*JS00111223333',
  'N3*236 N MAIN ST',
  'N4*MIAMI*FL*33413',
  'DMG*D8*19430501*F',
  'NM1*PR*2*KEY INSURANCE COMPANY*****PI*999996666',
  'CLM*26463774*100***11:B:1*Y*A*Y*I',
  'HI*ABK:J020',
  'LX*1',
  'SV1*HC:99213*40*UN*1***1',
  'DTP*472*D8*20231003',
  'LX*2',
  'SV1*HC:87070*60*UN*1***1',
  'DTP*472*D8*20231003',
  'SE*27*0001',
  'GE*1*101',
  'IEA*1*000000101',
]
  .map((s) => s + '~\n')
  .join('');

/** Envelope only (a group with no transaction set): valid whatever guide maps exist. */
const emptyGroup =
  'ISA*00*          *00*          *ZZ*SUBMITTERID    *ZZ*RECEIVERID     *240102*0930*^*00501*000000102*0*T*:~' +
  'GS*HC*SUBMITTERID*RECEIVERID*20240102*0930*102*X*005010X222A1~GE*0*102~IEA*1*000000102~';

/** SE01 says 25 for 27 segments: the set is rejected (IK502 4), the interchange is not. */
const wrongSegmentCount = valid837.replace('SE*27*0001', 'SE*25*0001');
/** And GS04 is not a date: the interchange is rejected too (TA1 024). */
const invalid837 = wrongSegmentCount.replace('*20240102*0930*101*', '*20241399*0930*101*');
/** The bad GS04 value: it travels in badValue and must never be printed. */
const badGs04 = '20241399';

let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'claimpath-cli-'));
  writeFileSync(join(work, 'valid.x12'), valid837);
  writeFileSync(join(work, 'empty-group.x12'), emptyGroup);
  writeFileSync(join(work, 'invalid.x12'), invalid837);
  writeFileSync(join(work, 'se-count.x12'), wrongSegmentCount);
  mkdirSync(join(work, 'batch'));
  writeFileSync(join(work, 'batch', 'b.x12'), invalid837);
  writeFileSync(join(work, 'batch', 'a.x12'), emptyGroup);
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function claimpath(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  // The child must not inherit jest's NODE_OPTIONS (VM modules): it is a plain node process.
  const env = { ...process.env, NODE_OPTIONS: '', CLAIMPATH_DEBUG: '' };
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, env, input: input ?? '', encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('claimpath check', () => {
  it('exits 0 and says accepted for a valid interchange', () => {
    const path = join(work, 'empty-group.x12');

    const run = claimpath(['check', path]);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`${path}: accepted`);
    expect(run.stdout).toMatch(/interchange control 000000102 \(ZZ:SUBMITTERID -> ZZ:RECEIVERID, version 00501, test, byte 0\): accepted/);
    expect(run.stdout).toMatch(/group HC control 102 .*: accepted/);
  });

  (findGuide('837', '005010X222A1') ? it : it.skip)('exits 0 for a clean 837P and shows its type, guide and counts', () => {
    const run = claimpath(['check', join(work, 'valid.x12')]);

    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/transaction set 837 control 0001, guide 837P version 005010X222A1 \(byte \d+; 1 claim, 2 service lines, 27 segments\): accepted/);
  });

  it('exits 1 for a rejected file and lists every issue with its code, meaning and place, never a value', () => {
    const run = claimpath(['check', join(work, 'invalid.x12')]);

    expect(run.status).toBe(1);
    expect(run.stdout).toContain('rejected');
    expect(run.stdout).toMatch(/error +set IK502 4 \(number of included segments does not match the actual count\) at segment SE #27, element 1, byte \d+: /);
    expect(run.stdout).toMatch(/error +interchange TA105 024 \(invalid interchange content[^)]*\)\) at segment GS, element 4, byte 107: /);
    expect(run.stdout).toMatch(/1 claim, 2 service lines, 27 segments/);
    expect(run.stdout).not.toContain(badGs04);
    expect(run.stderr).toBe('');
  });

  it('prints one JSON document with the reports and no badValue', () => {
    const run = claimpath(['check', '--json', join(work, 'invalid.x12'), join(work, 'empty-group.x12')]);

    expect(run.status).toBe(1);
    const document = JSON.parse(run.stdout) as { files: { path: string; report: { verdict: string; interchanges: { issues: { code: string }[] }[] } }[] };
    expect(document.files.map((f) => [f.path, f.report.verdict])).toEqual([
      [join(work, 'invalid.x12'), 'rejected'],
      [join(work, 'empty-group.x12'), 'accepted'],
    ]);
    expect(document.files[0]!.report.interchanges[0]!.issues.map((i) => i.code)).toContain('024');
    expect(run.stdout).not.toContain('badValue');
    expect(run.stdout).not.toContain(badGs04);
  });

  it('checks every file of a directory in name order', () => {
    const run = claimpath(['check', join(work, 'batch')]);

    expect(run.status).toBe(1);
    const a = run.stdout.indexOf(join(work, 'batch', 'a.x12'));
    const b = run.stdout.indexOf(join(work, 'batch', 'b.x12'));
    expect(a).toBeGreaterThanOrEqual(0);
    expect(b).toBeGreaterThan(a);
    expect(run.stdout).toContain('2 files checked: 1 accepted, 1 rejected');
  });

  it('writes the TA1 and 999 with --ack into the directory, named after each input', () => {
    const ackDirectory = join(work, 'acks');

    const run = claimpath(['check', join(work, 'invalid.x12'), join(work, 'se-count.x12'), '--ack', ackDirectory]);

    expect(run.status).toBe(1);
    expect(readdirSync(ackDirectory).sort()).toEqual(['invalid.x12.1.ta1', 'se-count.x12.1.999']);
    // The interchange with a bad GS is rejected as a whole: a TA1, no 999.
    const ta1 = readFileSync(join(ackDirectory, 'invalid.x12.1.ta1'), 'utf8');
    expect(ta1).toContain('ISA*00*          *00*          *ZZ*RECEIVERID     *ZZ*SUBMITTERID    *');
    expect(ta1).toContain('TA1*000000101*240102*0930*R*024~');
    expect(ta1).not.toContain(badGs04);
    // The other gets a 999 rejecting its set; control numbers continue across the run.
    const ack = readFileSync(join(ackDirectory, 'se-count.x12.1.999'), 'utf8');
    expect(ack).toMatch(/^ISA\*00\*.*\*00501\*000000002\*0\*T\*:~\n/);
    expect(ack).toContain('AK1*HC*101*005010X222A1~');
    expect(ack).toContain('AK2*837*0001*005010X222A1~');
    expect(ack).toMatch(/IK5\*R\*([^~]*\*)?4[*~]/);
    expect(ack).toContain('AK9*R*1*1*0~');
    expect(run.stdout).toContain(join(ackDirectory, 'invalid.x12.1.ta1'));
    expect(run.stdout).toContain(join(ackDirectory, 'se-count.x12.1.999'));
  });

  it('reads standard input with -', () => {
    const run = claimpath(['check', '-'], emptyGroup);

    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^-: accepted/);
  });

  it('rejects text before the ISA by default and skips it with --leading-text skip', () => {
    const annotated = 'A scenario described in prose.\n\n' + emptyGroup;

    const strict = claimpath(['check', '-'], annotated);
    const lenient = claimpath(['check', '--leading-text', 'skip', '-'], annotated);

    expect(strict.status).toBe(1);
    expect(strict.stdout).toContain('TEXT_BEFORE_ISA');
    expect(lenient.status).toBe(0);
    expect(lenient.stdout).toMatch(/warning +file TEXT_BEFORE_ISA/);
  });

  it('exits 2 with one line and the usage for a missing file', () => {
    const run = claimpath(['check', join(work, 'nope.x12')]);

    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const [first, ...rest] = run.stderr.split('\n');
    expect(first).toBe(`claimpath: no such file or directory: ${join(work, 'nope.x12')}`);
    expect(rest.join('\n')).toContain('Usage: claimpath check');
  });

  it.each([
    [['check', '--frobnicate', 'x'], 'claimpath: unknown option --frobnicate'],
    [['check'], 'claimpath: check needs a FILE, a DIR or - (standard input)'],
    [['check', '--leading-text', 'maybe', '-'], 'claimpath: --leading-text takes skip or reject'],
    [['frobnicate'], 'claimpath: unknown command: frobnicate'],
    [[], 'claimpath: a command is needed'],
  ])('exits 2 for %j', (args, message) => {
    const run = claimpath(args);

    expect(run.status).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(message);
    expect(run.stderr).toContain('Usage: claimpath');
  });

  it('prints help and exits 0', () => {
    const general = claimpath(['--help']);
    const check = claimpath(['check', '--help']);

    expect(general.status).toBe(0);
    expect(general.stdout).toMatch(/check +validate X12 files/);
    expect(check.status).toBe(0);
    expect(check.stdout).toContain('--ack DIR');
  });
});

describe('main (in process)', () => {
  function capture(overrides: Partial<CliContext> = {}): { context: CliContext; out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    const context: CliContext = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), stdin: (async function* () {})(), env: {}, ...overrides };
    return { context, out, err };
  }

  it('turns an unexpected exception into one line naming its class and exit 3, no stack', async () => {
    const { context, err } = capture({
      stdout: () => {
        throw new RangeError('boom with a value that must not be printed');
      },
    });

    const code = await main(['check', join(work, 'empty-group.x12')], context);

    expect(code).toBe(3);
    expect(err.join('')).toBe('claimpath: internal error (RangeError)\n');
  });

  it('prints the stack with CLAIMPATH_DEBUG=1', async () => {
    const { context, err } = capture({
      stdout: () => {
        throw new RangeError('boom');
      },
      env: { CLAIMPATH_DEBUG: '1' },
    });

    const code = await main(['check', join(work, 'empty-group.x12')], context);

    expect(code).toBe(3);
    expect(err.join('')).toMatch(/^claimpath: internal error \(RangeError\)\nRangeError: boom\n\s+at /);
  });
});
