/**
 * `claimpath queue`: the coder's and biller's work queues from a terminal, through the worklist HTTP
 * API (the local one of `npm start` by default, or any deployment at `CLAIMPATH_API_URL`) with the
 * token of `claimpath login` (or `CLAIMPATH_TOKEN`). The API enforces tenants and roles; this command
 * only asks and shows.
 *
 * Output holds ids, codes, amounts and deadlines — the claim's diagnosis and procedure codes in
 * `show` — and never a name, member id or birth date, even though the API's claim detail carries them.
 *
 * Exit: 0 done, 1 the API refused or failed (its status and message printed), 2 usage error,
 * 3 the API could not be reached or answered something unreadable, 4 not logged in or the token was
 * refused (run claimpath login).
 */
import { z } from 'zod';
import { ClaimSchema, ServiceLineSchema } from '../../schemas/claim.schema.ts';
import { WorkQueueSchema, type Finding } from '../../schemas/finding.schema.ts';
import type { PostedAdjustment, Posting } from '../../schemas/posting.schema.ts';
import { WorkItemSchema, WorkItemStatusSchema } from '../../schemas/work-item.schema.ts';
import {
  AssignRequestSchema,
  ClaimDetailSchema,
  CorrectionRequestSchema,
  CorrectionResponseSchema,
  ErrorResponseSchema,
  ResolveActionSchema,
  ResolveRequestSchema,
  WaitRequestSchema,
  WorkItemDetailResponseSchema,
  WorkItemIdSchema,
  WorkItemListQuerySchema,
  WorkItemListResponseSchema,
  type CorrectionDraft,
  type LineCorrection,
} from '../../schemas/worklist-api.schema.ts';
import { LOCAL_API_URL } from '../local/defaults.ts';
import { nearestDeadline } from '../worklist/priority.ts';
import { ExitCode, parseCommandArgs, UsageError, type CliCommand, type CliContext } from './args.ts';
import { readSavedToken } from './login.ts';

/** How long one API call may take (API Gateway gives the function 29 seconds). */
const REQUEST_TIMEOUT_MS = 35_000;

const usage = `Usage: claimpath queue list [--queue Q] [--status S] [--payer P] [--reason R] [--mine | --assignee U]
                            [--min-age DAYS] [--max-age DAYS] [--limit N] [--cursor C] [--json]
       claimpath queue show ID [--json]
       claimpath queue take ID
       claimpath queue release ID
       claimpath queue assign ID --to USER
       claimpath queue wait ID [--note TEXT]
       claimpath queue resume ID
       claimpath queue correct ID [--diagnoses A,B,...] [--line N:procedure=P,modifiers=M1+M2,units=U,pointers=1+2 ...]
       claimpath queue resolve ID --action resubmit|appeal|write-off|no-action [--reason R] [--void]

Work the denial and edit queues through the worklist API.

  list          work items in work order (nearest deadline, then most at risk)
    --queue Q     coding, billing, clinical or exceptions (default: every queue your roles allow)
    --status S    open, in-progress, waiting-on-provider or resolved (default: all but resolved)
    --payer P     a payer id;  --reason R  a reason code (CO-50, npi-check-digit)
    --mine        only items assigned to me;  --assignee U  only U's (supervisors)
    --min-age DAYS, --max-age DAYS  only items created at least / at most DAYS days ago
    --limit N     at most N items (1 to 100, default 25);  --cursor C  the page after the one that printed C
  show          the item, its reasons, the claim's codes, findings, postings and history
  take          make the item mine (one person at a time)
  release       put it back in the queue
  assign        give it to USER (supervisors)
  wait          a provider query is out: the item waits (--note: codes only, no patient data)
  resume        the answer came back
  correct       change codes and re-check them: --diagnoses replaces the diagnosis codes in order
                (the first is the principal);
                --line N:… changes line N (procedure, modifiers joined by +, units, diagnosis pointers
                joined by +); prints the findings of the re-check
  resolve       close the item: resubmit (--void: void the claim instead), appeal, write-off, no-action
    --reason R    why (a code or a short note without patient data; a write-off needs one)
  --json        print the answer as JSON (as read through the API's schemas: show gives the claim's
                codes only, like its text)
  -h, --help    show this help

The API is env CLAIMPATH_API_URL (default ${LOCAL_API_URL}); the token env CLAIMPATH_TOKEN, else the
one 'claimpath login' saved.
Exit status: 0 done, 1 the API refused or failed, 2 usage error, 3 API unreachable or its answer
unreadable, 4 not logged in or token refused.`;

export const queueCommand: CliCommand = {
  name: 'queue',
  summary: 'list, show, take, correct and resolve work items (worklist API)',
  usage,
  run: runQueue,
};

/** The actions, and the options each takes (beyond --help). */
const ACTION_OPTIONS = {
  list: ['queue', 'status', 'payer', 'reason', 'mine', 'assignee', 'min-age', 'max-age', 'limit', 'cursor', 'json'],
  show: ['json'],
  take: ['json'],
  release: ['json'],
  assign: ['to', 'json'],
  wait: ['note', 'json'],
  resume: ['json'],
  correct: ['diagnoses', 'line', 'json'],
  resolve: ['action', 'reason', 'void', 'json'],
} as const;
type Action = keyof typeof ACTION_OPTIONS;

const options = {
  queue: { type: 'string' },
  status: { type: 'string' },
  payer: { type: 'string' },
  reason: { type: 'string' },
  mine: { type: 'boolean' },
  assignee: { type: 'string' },
  'min-age': { type: 'string' },
  'max-age': { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
  json: { type: 'boolean' },
  to: { type: 'string' },
  note: { type: 'string' },
  diagnoses: { type: 'string' },
  line: { type: 'string', multiple: true },
  action: { type: 'string' },
  void: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof options>>['values'];

async function runQueue(argv: readonly string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, options, usage);
  if (values.help) {
    context.stdout(usage + '\n');
    return ExitCode.ok;
  }
  const [actionWord, ...operands] = positionals;
  if (actionWord === undefined) throw new UsageError(`queue needs an action: ${Object.keys(ACTION_OPTIONS).join(', ')}`, usage);
  if (!(actionWord in ACTION_OPTIONS)) throw new UsageError(`unknown queue action: ${actionWord}`, usage);
  const action = actionWord as Action;
  const allowed: readonly string[] = ACTION_OPTIONS[action];
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && name !== 'help' && !allowed.includes(name)) throw new UsageError(`--${name} does not apply to queue ${action}`, usage);
  }
  if (action === 'list') {
    if (operands.length > 0) throw new UsageError(`unexpected argument ${operands[0]}`, usage);
  } else {
    if (operands.length === 0) throw new UsageError(`queue ${action} needs a work item ID`, usage);
    if (operands.length > 1) throw new UsageError(`unexpected argument ${operands[1]}`, usage);
    if (!WorkItemIdSchema.safeParse(operands[0]).success) throw new UsageError(`not a work item ID: ${operands[0]}`, usage);
  }
  // Everything the user typed is checked, with the API's own schemas, before the API is called.
  const request = requestOf(action, operands[0] ?? '', values);
  const api = apiSettings(context);

  const token = await readSavedToken(context.env);
  if (token === undefined) {
    context.stderr('claimpath queue: not logged in: run claimpath login (or set CLAIMPATH_TOKEN)\n');
    return ExitCode.unauthorized;
  }

  let response: ApiResponse;
  try {
    response = await callApi(api, token, request);
  } catch (error) {
    context.stderr(`claimpath queue: the worklist API at ${api} could not be reached (${failureOf(error)}): is npm start running?\n`);
    return ExitCode.internal;
  }
  if (response.status === 401) {
    context.stderr('claimpath queue: the API refused the token (401): run claimpath login\n');
    return ExitCode.unauthorized;
  }
  if (response.status < 200 || response.status > 299) {
    context.stderr(`claimpath queue: the API answered ${response.status}: ${apiMessageOf(response)}\n`);
    return ExitCode.rejected;
  }
  // Read through the API's response schemas, which also drop what this command never shows (PHI).
  const answer = readAnswer(action, response.body);
  if (!answer.success) {
    context.stderr(`claimpath queue: the API's answer to ${action} was not understood (${answer.error.issues.length} field(s) unlike the API's schema)\n`);
    return ExitCode.internal;
  }
  if (values.json) {
    const { kind: _kind, ...data } = answer.data;
    context.stdout(JSON.stringify(data, null, 2) + '\n');
  }
  else if (answer.data.kind === 'list') printList(answer.data, context);
  else if (answer.data.kind === 'detail') printDetail(answer.data, context);
  else printActionResult(action as Exclude<Action, 'list' | 'show'>, answer.data, context);
  return ExitCode.ok;
}

// ── Requests ─────────────────────────────────────────────────────────────────────────────────────

interface ApiRequest {
  method: 'GET' | 'POST';
  path: string;
  query: URLSearchParams;
  body?: unknown;
}

function requestOf(action: Action, id: string, values: Values): ApiRequest {
  const itemPath = `/work-items/${encodeURIComponent(id)}`;
  const post = <T>(verb: string, schema: z.ZodType<T>, body: unknown): ApiRequest => ({ method: 'POST', path: `${itemPath}/${verb}`, query: new URLSearchParams(), body: checked(schema, body) });
  switch (action) {
    case 'list':
      return { method: 'GET', path: '/work-items', query: listQuery(values) };
    case 'show':
      return { method: 'GET', path: itemPath, query: new URLSearchParams() };
    case 'take':
    case 'release':
    case 'resume':
      return { method: 'POST', path: `${itemPath}/${action}`, query: new URLSearchParams(), body: {} };
    case 'assign':
      if (values.to === undefined) throw new UsageError('queue assign needs --to USER', usage);
      return post('assign', AssignRequestSchema, { assignee: values.to.trim() });
    case 'wait':
      return post('wait', WaitRequestSchema, values.note === undefined ? {} : { note: values.note });
    case 'correct':
      return post('corrections', CorrectionRequestSchema, correctionOf(values));
    case 'resolve':
      return post('resolve', ResolveRequestSchema, resolutionOf(values));
  }
}

/** Body fields → the options that set them, so that a refusal names what the user typed. */
const BODY_OPTIONS: Readonly<Record<string, string>> = { assignee: '--to', note: '--note', diagnoses: '--diagnoses', lines: '--line', action: '--action', reason: '--reason', void: '--void' };

/** `value` checked against the API's schema: what it would refuse is a usage error here, in one line. */
function checked<T>(schema: z.ZodType<T>, value: unknown): unknown {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${whereInBody(value, issue.path)}${issue.message}`);
    throw new UsageError(issues.join('; '), usage);
  }
  // What was typed is sent, not the schema's output: defaults and normalizing are the API's to apply.
  return value;
}

/** `--line 2 modifiers: `, `--diagnoses code 1: `, `--void: ` for an issue's path in a request body. */
function whereInBody(body: unknown, path: readonly PropertyKey[]): string {
  const [field, index, ...rest] = path.map(String);
  if (field === undefined) return '';
  const option = BODY_OPTIONS[field] ?? field;
  if (field === 'lines' && index !== undefined) {
    const line = (body as { lines?: { line?: unknown }[] }).lines?.[Number(index)]?.line;
    return `${option} ${String(line ?? Number(index) + 1)}${rest.length > 0 ? ` ${rest[0]}` : ''}: `;
  }
  if (field === 'diagnoses' && index !== undefined) return `${option} code ${Number(index) + 1}: `;
  return `${option}: `;
}

/** Option → query parameter of `GET /work-items`. */
const LIST_PARAMETERS = { queue: 'queue', status: 'status', payer: 'payer', reason: 'reason', assignee: 'assignee', 'min-age': 'minAgeDays', 'max-age': 'maxAgeDays', limit: 'limit', cursor: 'cursor' } as const;

function listQuery(values: Values): URLSearchParams {
  // Named choices get a message that lists them; the rest is checked by the API's query schema.
  if (values.queue !== undefined && !WorkQueueSchema.safeParse(values.queue).success) throw new UsageError(`--queue takes ${WorkQueueSchema.options.join(', ')}`, usage);
  if (values.status !== undefined && !WorkItemStatusSchema.safeParse(values.status).success) throw new UsageError(`--status takes ${WorkItemStatusSchema.options.join(', ')}`, usage);
  if (values.mine && values.assignee !== undefined) throw new UsageError('--mine and --assignee do not go together', usage);
  const query = new URLSearchParams();
  for (const [option, parameter] of Object.entries(LIST_PARAMETERS) as [keyof typeof LIST_PARAMETERS, string][]) {
    const value = values[option];
    if (value !== undefined) query.set(parameter, value.trim());
  }
  // `me` is the API's word for the caller: the token says who that is.
  if (values.mine) query.set('assignee', 'me');
  const result = WorkItemListQuerySchema.safeParse(Object.fromEntries(query));
  if (!result.success) {
    const optionOf = Object.fromEntries(Object.entries(LIST_PARAMETERS).map(([option, parameter]) => [parameter, option]));
    const issues = result.error.issues.map((issue) => {
      const parameter = String(issue.path[0] ?? '');
      return `${optionOf[parameter] !== undefined ? `--${optionOf[parameter]}` : parameter}: ${issue.message}`;
    });
    throw new UsageError(issues.join('; '), usage);
  }
  return query;
}

/** The body of POST …/corrections, from the options; the API's schema checks the codes. */
function correctionOf(values: Values): { diagnoses?: string[]; lines?: Partial<LineCorrection>[] } {
  if (values.diagnoses === undefined && values.line === undefined) throw new UsageError('queue correct needs --diagnoses or --line', usage);
  return {
    ...(values.diagnoses !== undefined ? { diagnoses: values.diagnoses.split(',').map((code) => code.trim()) } : {}),
    ...(values.line !== undefined ? { lines: values.line.map(lineCorrectionOf) } : {}),
  };
}

/** `N:procedure=G0008,modifiers=25+59,units=2,pointers=1+2` → one line's correction. */
function lineCorrectionOf(text: string): Partial<LineCorrection> {
  const bad = (why: string): never => {
    throw new UsageError(`--line ${why}: write it as N:procedure=P,modifiers=M1+M2,units=U,pointers=1+2`, usage);
  };
  const match = /^([0-9]{1,3}):(.+)$/.exec(text.trim());
  if (!match) return bad('needs a line number and at least one change');
  const correction: Partial<LineCorrection> = { line: Number(match[1]) };
  const list = (value: string): string[] => (value.trim() === '' ? [] : value.split('+').map((part) => part.trim()));
  for (const part of match[2]!.split(',')) {
    const [rawName = '', value = '', ...rest] = part.split('=');
    const name = rawName.trim();
    if (rest.length > 0 || !part.includes('=')) return bad(`has a malformed part ${part}`);
    switch (name) {
      case 'procedure':
        correction.procedure = value.trim().toUpperCase();
        break;
      case 'modifiers':
        // An empty list removes the line's modifiers.
        correction.modifiers = list(value).map((modifier) => modifier.toUpperCase());
        break;
      case 'units':
        correction.units = value.trim() === '' ? Number.NaN : Number(value);
        break;
      case 'pointers':
        correction.diagnosisPointers = list(value).map(Number);
        break;
      default:
        return bad(`has an unknown part ${name}`);
    }
  }
  return correction;
}

function resolutionOf(values: Values): { action: string; reason?: string; void?: boolean } {
  if (values.action === undefined) throw new UsageError(`queue resolve needs --action ${ResolveActionSchema.options.join('|')}`, usage);
  if (!ResolveActionSchema.safeParse(values.action).success) throw new UsageError(`--action takes ${ResolveActionSchema.options.join(', ')}`, usage);
  return { action: values.action, ...(values.reason !== undefined ? { reason: values.reason } : {}), ...(values.void ? { void: true } : {}) };
}

// ── The API ──────────────────────────────────────────────────────────────────────────────────────

interface ApiResponse {
  status: number;
  /** The JSON body, or the text when it is not JSON; undefined when empty. */
  body: unknown;
}

/** The API's base URL, without a trailing slash. */
function apiSettings(context: CliContext): string {
  const url = nonEmpty(context.env.CLAIMPATH_API_URL) ?? LOCAL_API_URL;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new UsageError('CLAIMPATH_API_URL takes an http(s) URL such as http://127.0.0.1:4569/api', usage);
  return url.replace(/\/+$/, '');
}

async function callApi(baseUrl: string, token: string, request: ApiRequest): Promise<ApiResponse> {
  const query = request.query.toString();
  const url = `${baseUrl}${request.path}${query === '' ? '' : `?${query}`}`;
  const response = await fetch(url, {
    method: request.method,
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  let body: unknown = undefined;
  if (text !== '') {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = text;
    }
  }
  return { status: response.status, body };
}

/**
 * The API's own account of an error — its code, message, field issues and finding codes (the API
 * never puts a value sent or PHI in one) — else the status's meaning.
 */
function apiMessageOf(response: ApiResponse): string {
  const parsed = ErrorResponseSchema.safeParse(response.body);
  if (parsed.success) {
    const { error, message, issues, codes } = parsed.data;
    return [
      `${error}${message !== undefined ? `: ${oneLine(message)}` : ''}`,
      ...(issues ?? []).map((issue) => `${issue.path || 'body'}: ${oneLine(issue.message)}`),
      ...(codes !== undefined && codes.length > 0 ? [`codes ${codes.join(', ')}`] : []),
    ].join('; ');
  }
  return STATUS_WORDS[response.status] ?? 'request failed';
}

const STATUS_WORDS: Readonly<Record<number, string>> = {
  400: 'bad request',
  403: 'forbidden: your roles do not allow this',
  404: 'not found',
  409: 'the item changed meanwhile, or is not in a state that allows this',
  413: 'request too large',
  500: 'the API failed',
  503: 'the API is unavailable',
};

// ── Output ───────────────────────────────────────────────────────────────────────────────────────

/** The claim's codes — all this command reads of a claim: zod drops the rest (names, ids: PHI) on parsing. */
const ClaimCodesSchema = ClaimSchema.pick({ type: true, totalCharge: true, frequency: true, placeOfService: true, facilityType: true, diagnoses: true }).extend({
  lines: z.array(ServiceLineSchema.pick({ lineNumber: true, procedure: true, revenueCode: true, charge: true, units: true, diagnosisPointers: true })),
});

/** `GET /work-items/{id}` as the contract defines it, with the claim read as its codes only. */
const WorkItemDetailCodesSchema = WorkItemDetailResponseSchema.extend({ claim: ClaimDetailSchema.extend({ claim: ClaimCodesSchema }).optional() });

/** `POST …/corrections`, without the corrected claim (PHI; its codes are what was sent). */
const CorrectionResultSchema = CorrectionResponseSchema.pick({ item: true, findings: true, holds: true });

/** Each action's answer as this command reads it, tagged with what it is. */
const ListAnswerSchema = WorkItemListResponseSchema.transform((list) => ({ kind: 'list' as const, ...list }));
const DetailAnswerSchema = WorkItemDetailCodesSchema.transform((detail) => ({ kind: 'detail' as const, ...detail }));
const CorrectionAnswerSchema = CorrectionResultSchema.transform((result) => ({ kind: 'change' as const, ...result }));
const ChangeAnswerSchema = WorkItemSchema.transform((item) => ({ kind: 'change' as const, item, findings: undefined, holds: undefined }));

type ListAnswer = z.output<typeof ListAnswerSchema>;
type DetailAnswer = z.output<typeof DetailAnswerSchema>;
type ChangeAnswer = z.output<typeof CorrectionAnswerSchema> | z.output<typeof ChangeAnswerSchema>;

function readAnswer(action: Action, body: unknown) {
  switch (action) {
    case 'list':
      return ListAnswerSchema.safeParse(body);
    case 'show':
      return DetailAnswerSchema.safeParse(body);
    case 'correct':
      return CorrectionAnswerSchema.safeParse(body);
    default:
      return ChangeAnswerSchema.safeParse(body);
  }
}

function printList({ items, nextCursor }: ListAnswer, context: CliContext): void {
  if (items.length === 0) {
    context.stdout('No work items.\n');
  } else {
    const rows = items.map((item) => [
      item.nearestDeadline ?? nearestDeadline(item) ?? '-',
      formatCents(item.amountAtRiskCents),
      String(item.ageDays),
      item.queue,
      item.status,
      item.assignee ?? '-',
      summarizeCodes(item.reasonCodes),
      item.workItemId,
    ]);
    context.stdout(formatTable(['DEADLINE', 'AT RISK', 'AGE', 'QUEUE', 'STATUS', 'ASSIGNEE', 'REASONS', 'ID'], rows, [1, 2]));
    context.stdout(`${items.length} item(s)${nextCursor !== undefined ? '; more: add --cursor ' + nextCursor : ''}\n`);
  }
}

function printDetail({ item, claim, history, correction }: DetailAnswer, context: CliContext): void {
  const lines: string[] = [];
  lines.push(`Work item ${item.workItemId}`);
  lines.push(`  ${item.kind} in ${item.queue}, ${item.status}${item.assignee !== undefined ? ` (assigned to ${item.assignee})` : ''}${item.payer !== undefined ? `, payer ${item.payer}` : ''}`);
  lines.push(`  at risk ${formatCents(item.amountAtRiskCents)} of ${formatCents(item.chargeCents)} charged`);
  const deadlines = [item.appealDeadline && `appeal by ${item.appealDeadline}`, item.timelyFilingDeadline && `file by ${item.timelyFilingDeadline}`].filter(Boolean);
  if (deadlines.length > 0) lines.push(`  ${deadlines.join(', ')}`);
  if (item.resolution !== undefined) {
    const resolution = item.resolution;
    lines.push(`  resolved: ${resolution.action}${resolution.frequency !== undefined ? ` (frequency ${resolution.frequency})` : ''}${resolution.reason !== undefined ? `, ${oneLine(resolution.reason)}` : ''}`);
  }
  lines.push('Reasons');
  for (const reason of item.reasons) {
    const where = [reason.line !== undefined ? `line ${reason.line}` : undefined, reason.amountCents !== undefined ? formatCents(reason.amountCents) : undefined, reason.category]
      .filter(Boolean)
      .join(', ');
    const remarks = reason.rarcs !== undefined && reason.rarcs.length > 0 ? ` (remarks ${reason.rarcs.join(', ')})` : '';
    lines.push(`  ${reason.code}${remarks}${where ? `  [${where}]` : ''}: ${oneLine(reason.description)}`);
  }
  if (claim) {
    const codes = claim.claim;
    const facts = [`type ${codes.type}`, codes.frequency && `frequency ${codes.frequency}`, codes.placeOfService && `place of service ${codes.placeOfService}`, codes.facilityType && `facility type ${codes.facilityType}`]
      .filter(Boolean)
      .join(', ');
    lines.push(`Claim ${claim.claimId} (${claim.status}): ${facts}, charge ${formatCents(codes.totalCharge)}`);
    lines.push(`  diagnoses  ${codes.diagnoses.map((diagnosis, index) => `${index + 1} ${diagnosis.code}${diagnosis.kind === 'principal' ? ' (principal)' : ''}`).join(', ') || '-'}`);
    for (const line of codes.lines) {
      const procedure = line.procedure === undefined ? (line.revenueCode !== undefined ? `revenue ${line.revenueCode}` : '-') : `${line.procedure.code}${line.procedure.modifiers?.length ? `-${line.procedure.modifiers.join('-')}` : ''}`;
      const pointers = line.diagnosisPointers?.length ? `, pointers ${line.diagnosisPointers.join('+')}` : '';
      lines.push(`  line ${line.lineNumber}  ${procedure}${line.units !== undefined ? ` x${line.units}` : ''}  ${formatCents(line.charge)}${pointers}`);
    }
    lines.push(...findingLines('Findings', claim.findings));
    if (claim.adjudication !== undefined) {
      const totals = claim.adjudication.totals;
      lines.push(
        `Adjudication: ${claim.adjudication.status}; paid ${formatCents(totals.paidCents)}, patient ${formatCents(totals.patientResponsibilityCents)}, ` +
          `contractual ${formatCents(totals.contractualCents)}, denied ${formatCents(totals.deniedCents)}`,
      );
    }
    for (const posting of claim.postings) lines.push(...postingLines(posting));
  }
  if (correction !== undefined) lines.push(...correctionLines(correction));
  lines.push('History');
  for (const entry of history) {
    const change = entry.from !== undefined || entry.to !== undefined ? ` ${entry.from ?? '-'} -> ${entry.to ?? '-'}` : '';
    lines.push(`  ${entry.at}  ${entry.by}  ${entry.action}${change}${entry.note !== undefined ? `: ${oneLine(entry.note)}` : ''}`);
  }
  context.stdout(lines.join('\n') + '\n');
}

function findingLines(title: string, findings: readonly Finding[]): string[] {
  if (findings.length === 0) return [`${title}: none`];
  return [
    title,
    ...findings.map((finding) => `  ${finding.severity.toUpperCase()} ${finding.code}${finding.line !== undefined ? ` line ${finding.line}` : ''}${finding.ruleId !== undefined ? ` (rule ${finding.ruleId})` : ''}: ${oneLine(finding.message)}`),
  ];
}

/** The coder's correction draft: the codes to resubmit with, and what the last re-check said. */
function correctionLines(draft: CorrectionDraft): string[] {
  const lines = [`Correction by ${draft.by} at ${draft.at}: ${draft.holds ? 'the re-check still holds the claim' : 'the re-check passes'}${draft.findingCodes.length > 0 ? ` (${draft.findingCodes.join(', ')})` : ''}`];
  if (draft.diagnoses !== undefined) lines.push(`  diagnoses  ${draft.diagnoses.map((code, index) => `${index + 1} ${code}`).join(', ')}`);
  for (const line of draft.lines ?? []) {
    const changes = [
      line.procedure !== undefined ? `procedure ${line.procedure}` : undefined,
      line.modifiers !== undefined ? `modifiers ${line.modifiers.join('-') || 'none'}` : undefined,
      line.units !== undefined ? `units ${line.units}` : undefined,
      line.diagnosisPointers !== undefined ? `pointers ${line.diagnosisPointers.join('+')}` : undefined,
    ].filter(Boolean);
    lines.push(`  line ${line.line}  ${changes.join(', ')}`);
  }
  return lines;
}

function postingLines(posting: Posting): string[] {
  const lines = [
    `Posting ${posting.postingId}${posting.reversal ? ' (reversal)' : ''}: CLP02 ${posting.claimStatusCode}, paid ${formatCents(posting.totals.paidCents)}` +
      (posting.payerClaimControlNumber !== undefined ? `, payer claim ${posting.payerClaimControlNumber}` : '') +
      (posting.remarks.length > 0 ? `, remarks ${posting.remarks.join(', ')}` : ''),
  ];
  if (posting.adjustments.length > 0) lines.push(`  claim  ${posting.adjustments.map(describeAdjustment).join('; ')}`);
  for (const line of posting.lines) {
    const procedure = `${line.procedure}${line.modifiers.length > 0 ? `-${line.modifiers.join('-')}` : ''}`;
    const adjustments = line.adjustments.length > 0 ? `  ${line.adjustments.map(describeAdjustment).join('; ')}` : '';
    lines.push(`  line ${line.line ?? '?'} ${procedure}  paid ${formatCents(line.paidCents)} of ${formatCents(line.chargeCents)}${adjustments}`);
  }
  return lines;
}

function describeAdjustment(adjustment: PostedAdjustment): string {
  const remarks = adjustment.rarcs.length > 0 ? ` ${adjustment.rarcs.join(' ')}` : '';
  return `${adjustment.group}-${adjustment.carc}${remarks} ${formatCents(adjustment.amountCents)} (${adjustment.category})`;
}

const ACTION_WORDS: Readonly<Record<Exclude<Action, 'list' | 'show'>, string>> = {
  take: 'Taken',
  release: 'Released',
  assign: 'Assigned',
  wait: 'Waiting on the provider',
  resume: 'Resumed',
  correct: 'Corrected',
  resolve: 'Resolved',
};

function printActionResult(action: Exclude<Action, 'list' | 'show'>, { item, findings, holds }: ChangeAnswer, context: CliContext): void {
  const lines = [`${ACTION_WORDS[action]}: ${item.workItemId} is ${item.status}${item.assignee !== undefined ? ` (assigned to ${item.assignee})` : ''}`];
  if (item.resolution !== undefined) {
    lines.push(`  ${item.resolution.action}${item.resolution.frequency !== undefined ? `, frequency ${item.resolution.frequency}` : ''}${item.resolution.outboundKey !== undefined ? `, written to ${item.resolution.outboundKey}` : ''}`);
  }
  if (findings !== undefined) {
    lines.push(...findingLines('Re-check', findings));
    if (holds) lines.push('The corrected claim would still be held: fix the REJECT findings before resubmitting.');
  }
  context.stdout(lines.join('\n') + '\n');
}

/** Columns padded to their widest cell; `rightAligned` columns (amounts) padded on the left. */
function formatTable(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly number[] = []): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const render = (row: readonly string[]): string =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : rightAligned.includes(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [header, ...rows].map(render).join('\n') + '\n';
}

/** The first reason codes, and how many more. */
function summarizeCodes(codes: readonly string[]): string {
  if (codes.length === 0) return '-';
  const shown = codes.slice(0, 3).join(',');
  return codes.length > 3 ? `${shown} +${codes.length - 3}` : shown;
}

/** Cents as dollars: `123456` → `$1,234.56`, `-500` → `-$5.00`. */
export function formatCents(cents: number): string {
  const dollars = (Math.abs(cents) / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${cents < 0 ? '-' : ''}$${dollars}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * An error's class and code (fetch puts the socket's code in `cause`), never its message. Read by
 * shape, not `instanceof`: fetch's errors may come from another realm.
 */
function failureOf(error: unknown): string {
  if (error === null || typeof error !== 'object') return typeof error;
  const { name, code, cause } = error as { name?: unknown; code?: unknown; cause?: unknown };
  const causeCode = cause !== null && typeof cause === 'object' ? (cause as { code?: unknown }).code : undefined;
  const errorCode = typeof causeCode === 'string' ? causeCode : code;
  const errorName = typeof name === 'string' ? name : 'Error';
  return typeof errorCode === 'string' ? `${errorName}, ${errorCode}` : errorName;
}
