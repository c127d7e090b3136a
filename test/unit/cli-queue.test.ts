/**
 * `claimpath login` and `claimpath queue` in-process through `main`, against a real local API server
 * (src/local/api-server.ts on a random loopback port) whose handler is a stub that answers from
 * fixtures and records what it was asked: the requests each command sends (route, query, body), the
 * tables it prints, the claim's codes and none of its PHI, and the exit codes — 0 done, 1 API refusal,
 * 2 usage, 3 unreachable, 4 not logged in or token refused.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { WorkItem } from '../../schemas/work-item.schema.ts';
import type { WorkItemSummary } from '../../schemas/worklist-api.schema.ts';
import type { CliContext } from '../../src/cli/args.ts';
import { main } from '../../src/cli/main.ts';
import { startApiServer, type ApiServer } from '../../src/local/api-server.ts';
import { LOCAL_SIGNING_KEY_FILE, LocalTokenAuthority, loadOrCreateSigningKey } from '../../src/local/tokens.ts';

// ── Fixtures (fictional) ─────────────────────────────────────────────────────────────────────────

const denial: WorkItem = {
  workItemId: 'acme-0f0f-0001-denial',
  tenant: 'acme',
  kind: 'denial',
  queue: 'coding',
  status: 'open',
  createdAt: '2026-04-01T10:00:00.000Z',
  updatedAt: '2026-04-01T10:00:00.000Z',
  claimId: 'acme-0f0f-0001',
  payer: 'ACME01',
  reasonCodes: ['CO-97', 'CO-16'],
  reasons: [
    { code: 'CO-97', source: 'adjustment', group: 'CO', carc: '97', description: 'Bundled: paid as part of another service.', category: 'coding', line: 2, amountCents: 4500 },
    { code: 'CO-16', source: 'adjustment', group: 'CO', carc: '16', rarcs: ['M76'], description: 'Missing or invalid diagnosis.', category: 'coding', line: 1, amountCents: 123456 },
  ],
  chargeCents: 300000,
  amountAtRiskCents: 127956,
  appealDeadline: '2026-06-30',
  timelyFilingDeadline: '2026-12-31',
  history: [{ at: '2026-04-01T10:00:00.000Z', by: 'system', action: 'created', to: 'open' }],
  revision: 0,
};

const hold: WorkItem = {
  ...denial,
  workItemId: 'acme-0f0f-0002-hold',
  kind: 'hold',
  queue: 'coding',
  status: 'in-progress',
  assignee: 'coder2',
  claimId: 'acme-0f0f-0002',
  reasonCodes: ['npi-check-digit', 'diagnosis-required', 'units-limit', 'procedure-pair'],
  reasons: [{ code: 'npi-check-digit', source: 'finding', description: 'The rendering NPI fails its check digit.', category: 'coding' }],
  amountAtRiskCents: 5000,
  appealDeadline: undefined,
  timelyFilingDeadline: undefined,
};

/** A list's view of an item: no history or tenant, with its nearest deadline and age. */
function summaryOf(item: WorkItem, ageDays: number): WorkItemSummary {
  const { history: _history, tenant: _tenant, ...rest } = item;
  const deadline = [item.appealDeadline, item.timelyFilingDeadline].filter((date) => date !== undefined).sort()[0];
  return { ...rest, ...(deadline !== undefined ? { nearestDeadline: deadline } : {}), ageDays };
}

const listed = [summaryOf(denial, 3), summaryOf(hold, 12)];

/** The claim as the API returns it: codes, and PHI this command must never print. */
const claimDetail = {
  claimId: 'acme-0f0f-0001',
  status: 'accepted',
  receivedAt: '2026-04-01T09:59:00.000Z',
  claim: {
    type: 'P',
    patientControlNumber: 'PCN-SECRET-77',
    totalCharge: 300000,
    placeOfService: '11',
    frequency: '1',
    subscriber: { lastOrOrganizationName: 'QUIXOTE', firstName: 'ALONSO', memberId: 'MBR998877', birthDate: '1961-02-03' },
    patient: { sameAsSubscriber: true },
    diagnoses: [
      { kind: 'principal', qualifier: 'ABK', code: 'J209' },
      { kind: 'other', qualifier: 'ABF', code: 'R059' },
    ],
    lines: [
      { lineNumber: 1, procedure: { qualifier: 'HC', code: 'G0008', modifiers: ['25'] }, charge: 255500, units: 1, diagnosisPointers: [1, 2] },
      { lineNumber: 2, procedure: { qualifier: 'HC', code: 'G0009' }, charge: 44500, units: 2, diagnosisPointers: [1] },
    ],
  },
  findings: [{ origin: 'rule', code: 'units-limit', ruleId: 'acme-mue', severity: 'warn', message: 'Units above the payer limit for this procedure.', line: 2 }],
  adjudication: {
    status: 'partially-paid',
    totals: { chargeCents: 300000, paidCents: 170000, patientResponsibilityCents: 2044, contractualCents: 0, deniedCents: 127956, informationalCents: 0, allowedCents: 172044 },
    postingIds: ['acme-835-0001'],
    updatedAt: '2026-04-20T08:00:00.000Z',
  },
  postings: [
    {
      postingId: 'acme-835-0001',
      tenant: 'acme',
      claimId: 'acme-0f0f-0001',
      remittanceId: 'acme-835',
      claimPaymentPosition: 1,
      postedAt: '2026-04-20T08:00:00.000Z',
      claimStatusCode: '1',
      payerClaimControlNumber: 'PAYERCLM1',
      reversal: false,
      matchedBy: 'patient-control-number',
      totals: { chargeCents: 300000, paidCents: 170000, patientResponsibilityCents: 2044, contractualCents: 0, deniedCents: 127956, informationalCents: 0, allowedCents: 172044 },
      adjustments: [{ group: 'PR', carc: '2', amountCents: 2044, rarcs: [], category: 'patient-responsibility' }],
      lines: [
        { line: 2, matchedBy: 'control-number', procedure: 'G0009', modifiers: [], chargeCents: 44500, paidCents: 0, adjustments: [{ group: 'CO', carc: '97', amountCents: 4500, rarcs: [], category: 'coding', queue: 'coding' }] },
      ],
      remarks: [],
    },
  ],
};

// ── The server and its stub handler ──────────────────────────────────────────────────────────────

const key = Buffer.alloc(32, 5);
const authority = new LocalTokenAuthority(key);
const coderToken = authority.issue({ user: 'coder1', tenant: 'acme', roles: ['coder'] }).token;

const events: APIGatewayProxyEventV2WithJWTAuthorizer[] = [];

function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** Answers as the worklist API would, from the fixtures; the user is the token's `sub`. */
async function stubWorklistApi(event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyStructuredResultV2> {
  events.push(event);
  const user = String(event.requestContext.authorizer.jwt.claims.sub);
  const id = event.pathParameters?.id;
  if (event.routeKey === 'GET /work-items') return json(200, { items: listed, nextCursor: 'page-2' });
  if (id === 'acme-0f0f-0003-odd') return json(200, { item: { ...denial, status: 'lost' }, history: [] });
  if (id !== denial.workItemId) return json(404, { error: 'not-found' });
  if (event.routeKey === 'GET /work-items/{id}') {
    const correction = { diagnoses: ['J209', 'R059'], lines: [{ line: 2, modifiers: ['59'], diagnosisPointers: [1, 2] }], at: '2026-04-21T08:00:00.000Z', by: 'coder1', holds: true, findingCodes: ['procedure-pair'] };
    return json(200, { item: denial, claim: claimDetail, history: denial.history, correction });
  }
  const taken: WorkItem = { ...denial, status: 'in-progress', assignee: user, revision: 1 };
  switch (event.pathParameters?.action) {
    case 'take':
      return json(200, taken);
    case 'corrections':
      return json(200, {
        claim: claimDetail.claim,
        findings: [{ origin: 'rule', code: 'procedure-pair', ruleId: 'acme-ncci', severity: 'reject', message: 'Procedure pair needs a modifier.', line: 2 }],
        holds: true,
        item: { ...taken, revision: 2 },
      });
    case 'resolve':
      return json(200, { ...taken, status: 'resolved', assignee: undefined, resolution: { action: 'written-off', at: '2026-04-21T09:00:00.000Z', by: user, reason: 'small-balance' } });
    case 'assign':
      return json(403, { error: 'forbidden', message: 'supervisor-only' });
    case 'release':
      return json(409, { error: 'still-held', codes: ['npi-check-digit', 'units-limit'] });
    default:
      return json(400, { error: 'invalid-request', issues: [{ path: 'note', message: 'Too big: expected string to have <=200 characters' }] });
  }
}

let server: ApiServer;
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'claimpath-cli-queue-'));
  server = await startApiServer({ handler: stubWorklistApi, verifier: authority, port: 0, webDirectory: false });
});

afterAll(async () => {
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

beforeEach(() => {
  events.length = 0;
});

interface Run {
  code: number;
  out: string;
  err: string;
}

async function claimpath(argv: string[], env: Record<string, string> = {}): Promise<Run> {
  let out = '';
  let err = '';
  const context: CliContext = {
    stdout: (text) => void (out += text),
    stderr: (text) => void (err += text),
    stdin: Readable.from([]),
    env: { HOME: directory, CLAIMPATH_API_URL: `${server.url}/api`, ...env },
  };
  const code = await main(argv, context);
  return { code, out, err };
}

const asCoder = { CLAIMPATH_TOKEN: coderToken };

// ── queue list ───────────────────────────────────────────────────────────────────────────────────

describe('claimpath queue list', () => {
  test('asks with the filters and prints the items in a table, in the order the API gives', async () => {
    const run = await claimpath(['queue', 'list', '--queue', 'coding', '--status', 'open', '--payer', 'ACME01', '--reason', 'CO-97', '--limit', '5'], asCoder);
    expect(run).toEqual({
      code: 0,
      err: '',
      out:
        'DEADLINE      AT RISK  AGE  QUEUE   STATUS       ASSIGNEE  REASONS                                            ID\n' +
        '2026-06-30  $1,279.56    3  coding  open         -         CO-97,CO-16                                        acme-0f0f-0001-denial\n' +
        '-              $50.00   12  coding  in-progress  coder2    npi-check-digit,diagnosis-required,units-limit +1  acme-0f0f-0002-hold\n' +
        '2 item(s); more: add --cursor page-2\n',
    });
    expect(events).toHaveLength(1);
    expect(events[0]!.routeKey).toBe('GET /work-items');
    expect(events[0]!.queryStringParameters).toEqual({ queue: 'coding', status: 'open', payer: 'ACME01', reason: 'CO-97', limit: '5' });
  });

  test("--mine asks for the caller's items (the API's `me`); --cursor for the next page; ages as the API names them", async () => {
    expect((await claimpath(['queue', 'list', '--mine', '--cursor', 'page-2', '--min-age', '2', '--max-age', '30'], asCoder)).code).toBe(0);
    expect(events[0]!.queryStringParameters).toEqual({ assignee: 'me', cursor: 'page-2', minAgeDays: '2', maxAgeDays: '30' });
  });

  test('--json prints the answer as the API sent it (a list holds no claim data)', async () => {
    const run = await claimpath(['queue', 'list', '--json'], asCoder);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toEqual({ items: JSON.parse(JSON.stringify(listed)) as unknown, nextCursor: 'page-2' });
  });
});

// ── queue show ───────────────────────────────────────────────────────────────────────────────────

describe('claimpath queue show', () => {
  test("prints the item, its reasons, the claim's codes, findings, postings and history, and no PHI", async () => {
    const run = await claimpath(['queue', 'show', denial.workItemId], asCoder);
    expect(run.code).toBe(0);
    expect(run.out).toBe(
      [
        'Work item acme-0f0f-0001-denial',
        '  denial in coding, open, payer ACME01',
        '  at risk $1,279.56 of $3,000.00 charged',
        '  appeal by 2026-06-30, file by 2026-12-31',
        'Reasons',
        '  CO-97  [line 2, $45.00, coding]: Bundled: paid as part of another service.',
        '  CO-16 (remarks M76)  [line 1, $1,234.56, coding]: Missing or invalid diagnosis.',
        'Claim acme-0f0f-0001 (accepted): type P, frequency 1, place of service 11, charge $3,000.00',
        '  diagnoses  1 J209 (principal), 2 R059',
        '  line 1  G0008-25 x1  $2,555.00, pointers 1+2',
        '  line 2  G0009 x2  $445.00, pointers 1',
        'Findings',
        '  WARN units-limit line 2 (rule acme-mue): Units above the payer limit for this procedure.',
        'Adjudication: partially-paid; paid $1,700.00, patient $20.44, contractual $0.00, denied $1,279.56',
        'Posting acme-835-0001: CLP02 1, paid $1,700.00, payer claim PAYERCLM1',
        '  claim  PR-2 $20.44 (patient-responsibility)',
        '  line 2 G0009  paid $0.00 of $445.00  CO-97 $45.00 (coding)',
        'Correction by coder1 at 2026-04-21T08:00:00.000Z: the re-check still holds the claim (procedure-pair)',
        '  diagnoses  1 J209, 2 R059',
        '  line 2  modifiers 59, pointers 1+2',
        'History',
        '  2026-04-01T10:00:00.000Z  system  created - -> open',
        '',
      ].join('\n'),
    );
    for (const personal of ['QUIXOTE', 'ALONSO', 'MBR998877', '1961-02-03', 'PCN-SECRET-77']) expect(run.out).not.toContain(personal);
    expect(events[0]).toMatchObject({ routeKey: 'GET /work-items/{id}', pathParameters: { id: denial.workItemId } });
  });

  test("--json gives the same view: the claim's codes, none of its PHI", async () => {
    const run = await claimpath(['queue', 'show', denial.workItemId, '--json'], asCoder);
    expect(run.code).toBe(0);
    const shown = JSON.parse(run.out) as { item: unknown; claim: { claimId: string; claim: Record<string, unknown> } };
    expect(shown.item).toEqual(JSON.parse(JSON.stringify(denial)));
    expect(shown.claim.claimId).toBe('acme-0f0f-0001');
    expect(Object.keys(shown.claim.claim).sort()).toEqual(['diagnoses', 'frequency', 'lines', 'placeOfService', 'totalCharge', 'type']);
    for (const personal of ['QUIXOTE', 'ALONSO', 'MBR998877', '1961-02-03', 'PCN-SECRET-77']) expect(run.out).not.toContain(personal);
  });

  test('an answer unlike the API\'s schema is reported, not half-printed: exit 3', async () => {
    const run = await claimpath(['queue', 'show', 'acme-0f0f-0003-odd'], asCoder);
    expect(run).toEqual({ code: 3, out: '', err: "claimpath queue: the API's answer to show was not understood (1 field(s) unlike the API's schema)\n" });
  });

  test('an unknown item is the API\'s 404: exit 1 with its status and message', async () => {
    const run = await claimpath(['queue', 'show', 'acme-nope'], asCoder);
    expect(run).toEqual({ code: 1, out: '', err: 'claimpath queue: the API answered 404: not-found\n' });
  });
});

// ── Actions ──────────────────────────────────────────────────────────────────────────────────────

describe('claimpath queue actions', () => {
  test('take posts to …/take and prints the new status', async () => {
    const run = await claimpath(['queue', 'take', denial.workItemId], asCoder);
    expect(run).toEqual({ code: 0, err: '', out: 'Taken: acme-0f0f-0001-denial is in-progress (assigned to coder1)\n' });
    expect(events[0]).toMatchObject({ routeKey: 'POST /work-items/{id}/{action}', pathParameters: { id: denial.workItemId, action: 'take' }, body: '{}' });
  });

  test('correct sends the diagnosis codes and the line changes, and prints the re-check', async () => {
    const run = await claimpath(['queue', 'correct', denial.workItemId, '--diagnoses', 'J20.9, r05.9', '--line', '1:procedure=g0008,modifiers=25+59,units=2', '--line', '2:pointers=1+2,modifiers='], asCoder);
    expect(run).toEqual({
      code: 0,
      err: '',
      out:
        'Corrected: acme-0f0f-0001-denial is in-progress (assigned to coder1)\n' +
        'Re-check\n' +
        '  REJECT procedure-pair line 2 (rule acme-ncci): Procedure pair needs a modifier.\n' +
        'The corrected claim would still be held: fix the REJECT findings before resubmitting.\n',
    });
    expect(events[0]!.pathParameters).toEqual({ id: denial.workItemId, action: 'corrections' });
    expect(JSON.parse(events[0]!.body!)).toEqual({
      diagnoses: ['J20.9', 'r05.9'],
      lines: [
        { line: 1, procedure: 'G0008', modifiers: ['25', '59'], units: 2 },
        { line: 2, diagnosisPointers: [1, 2], modifiers: [] },
      ],
    });
  });

  test('resolve sends the action and reason, and prints the resolution', async () => {
    const run = await claimpath(['queue', 'resolve', denial.workItemId, '--action', 'write-off', '--reason', 'small-balance'], asCoder);
    expect(run).toEqual({ code: 0, err: '', out: 'Resolved: acme-0f0f-0001-denial is resolved\n  written-off\n' });
    expect(JSON.parse(events[0]!.body!)).toEqual({ action: 'write-off', reason: 'small-balance' });

    await claimpath(['queue', 'resolve', denial.workItemId, '--action', 'resubmit', '--void'], asCoder);
    expect(JSON.parse(events[1]!.body!)).toEqual({ action: 'resubmit', void: true });
  });

  test("the API's refusals exit 1 with the status, the error code, its message, issues and codes", async () => {
    expect(await claimpath(['queue', 'assign', denial.workItemId, '--to', 'coder2'], asCoder)).toEqual({ code: 1, out: '', err: 'claimpath queue: the API answered 403: forbidden: supervisor-only\n' });
    expect(JSON.parse(events[0]!.body!)).toEqual({ assignee: 'coder2' });
    expect(await claimpath(['queue', 'release', denial.workItemId], asCoder)).toEqual({ code: 1, out: '', err: 'claimpath queue: the API answered 409: still-held; codes npi-check-digit, units-limit\n' });
    expect(await claimpath(['queue', 'wait', denial.workItemId, '--note', 'query sent'], asCoder)).toEqual({
      code: 1,
      out: '',
      err: 'claimpath queue: the API answered 400: invalid-request; note: Too big: expected string to have <=200 characters\n',
    });
    expect(JSON.parse(events[2]!.body!)).toEqual({ note: 'query sent' });
  });
});

// ── Tokens, reachability, usage ──────────────────────────────────────────────────────────────────

describe('claimpath queue without a usable token or API', () => {
  test('no token at all: exit 4 and run claimpath login, nothing asked', async () => {
    const run = await claimpath(['queue', 'list'], { CLAIMPATH_TOKEN_FILE: join(directory, 'no-such-token') });
    expect(run).toEqual({ code: 4, out: '', err: 'claimpath queue: not logged in: run claimpath login (or set CLAIMPATH_TOKEN)\n' });
    expect(events).toHaveLength(0);
  });

  test('a token the API refuses (expired, or signed with another key): exit 4, the handler never called', async () => {
    const expired = new LocalTokenAuthority(key, { now: () => Date.now() - 3 * 3600 * 1000 }).issue({ user: 'coder1', tenant: 'acme', roles: ['coder'] }).token;
    const foreign = new LocalTokenAuthority(Buffer.alloc(32, 6)).issue({ user: 'coder1', tenant: 'acme', roles: ['coder'] }).token;
    for (const token of [expired, foreign]) {
      expect(await claimpath(['queue', 'list'], { CLAIMPATH_TOKEN: token })).toEqual({ code: 4, out: '', err: 'claimpath queue: the API refused the token (401): run claimpath login\n' });
    }
    expect(events).toHaveLength(0);
  });

  test('an API that is not there: exit 3, saying where it looked', async () => {
    const stopped = await startApiServer({ handler: stubWorklistApi, verifier: authority, port: 0, webDirectory: false });
    const url = `${stopped.url}/api`;
    await stopped.close();
    const run = await claimpath(['queue', 'list'], { ...asCoder, CLAIMPATH_API_URL: url });
    expect(run.code).toBe(3);
    expect(run.err).toBe(`claimpath queue: the worklist API at ${url} could not be reached (TypeError, ECONNREFUSED): is npm start running?\n`);
  });

  test.each([
    [['queue'], 'claimpath: queue needs an action: list, show, take, release, assign, wait, resume, correct, resolve'],
    [['queue', 'dance'], 'claimpath: unknown queue action: dance'],
    [['queue', 'show'], 'claimpath: queue show needs a work item ID'],
    [['queue', 'list', '--queue', 'surgery'], 'claimpath: --queue takes coding, billing, clinical, exceptions'],
    [['queue', 'list', '--limit', '0'], 'claimpath: --limit: Too small: expected number to be >=1'],
    [['queue', 'list', '--limit', '101'], 'claimpath: --limit: Too big: expected number to be <=100'],
    [['queue', 'list', '--min-age', '9', '--max-age', '2'], 'claimpath: --max-age: maxAgeDays must be at least minAgeDays'],
    [['queue', 'show', 'acme/../x'], 'claimpath: not a work item ID: acme/../x'],
    [['queue', 'assign', 'X', '--to', 'a b'], 'claimpath: --to: a user id: letters, digits and . _ @ + : - (1–128)'],
    [['queue', 'resolve', 'X', '--action', 'write-off'], 'claimpath: --reason: a write-off needs a reason'],
    [['queue', 'correct', 'X', '--diagnoses', 'J20.9,123'], 'claimpath: --diagnoses code 2: an ICD-10-CM code (3 to 7 characters, e.g. E11.9)'],
    [['queue', 'take', 'X', '--action', 'appeal'], 'claimpath: --action does not apply to queue take'],
    [['queue', 'resolve', 'X'], 'claimpath: queue resolve needs --action resubmit|appeal|write-off|no-action'],
    [['queue', 'resolve', 'X', '--action', 'appeal', '--void'], 'claimpath: --void: void applies only to action resubmit'],
    [['queue', 'correct', 'X'], 'claimpath: queue correct needs --diagnoses or --line'],
    [['queue', 'correct', 'X', '--line', '1:colour=red'], 'claimpath: --line has an unknown part colour: write it as N:procedure=P,modifiers=M1+M2,units=U,pointers=1+2'],
    [['queue', 'correct', 'X', '--line', '3:modifiers=2599'], 'claimpath: --line 3 modifiers: a modifier (2 letters or digits)'],
    [['queue', 'list', '--mine', '--assignee', 'coder2'], 'claimpath: --mine and --assignee do not go together'],
  ])('%j is a usage error (exit 2), nothing asked', async (argv, message) => {
    const run = await claimpath(argv, asCoder);
    expect(run.code).toBe(2);
    expect(run.err.split('\n')[0]).toBe(message);
    expect(events).toHaveLength(0);
  });
});

// ── login ────────────────────────────────────────────────────────────────────────────────────────

describe('claimpath login', () => {
  test('--print issues a token with the data folder\'s signing key, which the server built on that key accepts', async () => {
    const dataDirectory = join(directory, 'data-print');
    const run = await claimpath(['login', '--user', 'biller1', '--tenant', 'acme', '--role', 'biller', '--role', 'supervisor', '--hours', '2', '--print'], { CLAIMPATH_DATA_DIR: dataDirectory });
    expect(run.code).toBe(0);
    const token = run.out.trim();
    const verdict = new LocalTokenAuthority(await loadOrCreateSigningKey(dataDirectory)).verify(token);
    expect(verdict.valid && verdict.claims).toMatchObject({ sub: 'biller1', 'custom:tenant': 'acme', 'cognito:groups': ['biller', 'supervisor'], token_use: 'id' });
    expect(verdict.valid && verdict.claims.exp - Number(verdict.claims.iat)).toBe(7200);
  });

  test('saves the token (mode 0600) where queue finds it', async () => {
    const dataDirectory = join(directory, 'data-save');
    const tokenFile = join(directory, 'home', '.claimpath', 'token');
    const run = await claimpath(['login', '--user', 'coder1', '--tenant', 'acme', '--role', 'coder', '--data', dataDirectory], { HOME: join(directory, 'home') });
    expect(run.code).toBe(0);
    expect(run.out).toMatch(new RegExp(`^Logged in to the local worklist API as coder1 \\(tenant acme; roles coder\\) until \\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z\\.\\nToken saved to ${tokenFile.replace(/[.]/g, '\\.')}; signing key in `));
    const saved = (await readFile(tokenFile, 'utf8')).trim();
    if (process.platform !== 'win32') expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);

    // A server on that data folder's key accepts the saved token; queue reads it from the file.
    const onThatKey = await startApiServer({ handler: stubWorklistApi, verifier: new LocalTokenAuthority(await loadOrCreateSigningKey(dataDirectory)), port: 0, webDirectory: false });
    try {
      const list = await claimpath(['queue', 'list', '--mine'], { HOME: join(directory, 'home'), CLAIMPATH_API_URL: `${onThatKey.url}/api` });
      expect(list.code).toBe(0);
      expect(events[0]!.requestContext.authorizer.jwt.claims).toMatchObject({ sub: 'coder1', 'custom:tenant': 'acme', 'cognito:groups': '[coder]' });
      expect(events[0]!.headers.authorization).toBe(`Bearer ${saved}`);
    } finally {
      await onThatKey.close();
    }
  });

  test.each([
    [['login', '--tenant', 'acme', '--role', 'coder'], 'claimpath: --user is needed'],
    [['login', '--user', 'coder1', '--tenant', 'acme'], 'claimpath: --role is needed (coder, biller, supervisor, admin)'],
    [['login', '--user', 'coder1', '--tenant', 'acme', '--role', 'root'], 'claimpath: unknown role root: use coder, biller, supervisor, admin'],
    [['login', '--user', 'coder1', '--tenant', 'ac/me', '--role', 'coder'], 'claimpath: the tenant must be 1 to 64 letters, digits, _ or -'],
    [['login', '--user', 'coder1', '--tenant', 'acme', '--role', 'coder', '--hours', '25'], 'claimpath: --hours takes a number of hours above 0 and at most 24'],
  ])('%j is a usage error (exit 2) and creates no signing key', async (argv, message) => {
    const dataDirectory = join(directory, 'data-refused');
    const run = await claimpath([...argv, '--data', dataDirectory]);
    expect(run.code).toBe(2);
    expect(run.err.split('\n')[0]).toBe(message);
    await expect(stat(join(dataDirectory, LOCAL_SIGNING_KEY_FILE))).rejects.toThrow('ENOENT');
  });
});
