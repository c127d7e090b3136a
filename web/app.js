/**
 * The coders' worklist page: queues in work order, an item with its reasons in plain words and the
 * claim's codes, and the actions of the worklist API (take, release, wait, resume, correct, resolve).
 *
 * Plain ES module, no build step, no third-party code. Everything shown is built with textContent
 * (never innerHTML), so nothing the API returns can run as markup. The token lives in sessionStorage
 * (this tab only) and goes only to this origin's /api; no claim data ever goes into the URL, the
 * history or storage.
 */

const TOKEN_KEY = 'claimpath.token';
const PAGE_SIZE = 50;

/** Words for codes the API uses. */
const KIND_WORDS = {
  hold: 'Held by our checks before it was sent',
  denial: 'Denied by the payer',
  'unmatched-payment': 'A payment that matched no claim',
  underpayment: 'Paid below the fee schedule',
};
const STATUS_WORDS = { open: 'Open', 'in-progress': 'In progress', 'waiting-on-provider': 'Waiting on provider', resolved: 'Resolved' };
const QUEUE_WORDS = { coding: 'Coding', billing: 'Billing', clinical: 'Clinical', exceptions: 'Exceptions' };
const CATEGORY_WORDS = {
  coding: 'coding problem',
  billing: 'billing or administrative problem',
  clinical: 'medical necessity',
  contractual: 'contractual adjustment',
  'patient-responsibility': 'patient responsibility',
  informational: 'for information',
};
const SOURCE_WORDS = { finding: 'our check', adjustment: 'payer adjustment', matching: 'payment matching', 'fee-schedule': 'fee schedule' };
const RESOLUTION_WORDS = { resubmitted: 'resubmitted', appealed: 'appealed', 'written-off': 'written off', 'no-action': 'no action needed' };

const state = {
  /** The selected tab: a queue, or `mine`. */
  queue: 'coding',
  items: [],
  nextCursor: undefined,
  /** The work item detail on screen ({ item, claim, history }), if any. */
  detail: undefined,
  /** The element to give focus back to when the detail closes. */
  returnFocusTo: undefined,
};

const $ = (id) => document.getElementById(id);

// ── Token ─────────────────────────────────────────────────────────────────────────────────────────

function readToken() {
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/** The token's claims, read without checking it (the server checks it): who am I, until when. */
function claimsOf(token) {
  try {
    const part = token.split('.')[1];
    const binary = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (character) => character.charCodeAt(0))));
  } catch {
    return undefined;
  }
}

function me() {
  return claimsOf(readToken())?.sub;
}

function roles() {
  const groups = claimsOf(readToken())?.['cognito:groups'];
  return Array.isArray(groups) ? groups : [];
}

function showIdentity() {
  const claims = claimsOf(readToken());
  const identity = $('identity');
  if (!claims) {
    identity.textContent = 'Not signed in.';
    return;
  }
  const until = typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : undefined;
  const expired = until !== undefined && until.getTime() <= Date.now();
  identity.textContent =
    `Signed in as ${claims.sub} (tenant ${claims['custom:tenant']}; roles ${roles().join(', ') || 'none'})` +
    (until ? (expired ? ' — the token has expired: run claimpath login --print again.' : `, until ${until.toLocaleString()}.`) : '.');
}

// ── API ───────────────────────────────────────────────────────────────────────────────────────────

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Call the worklist API with the token; resolves to the JSON answer, or throws an ApiError. */
async function api(method, path, { query, body } = {}) {
  const token = readToken();
  if (!token) throw new ApiError(401, 'No token: paste the output of claimpath login --print above.');
  const url = new URL(`/api${path}`, window.location.origin);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== '') url.searchParams.set(name, value);
  }
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    cache: 'no-store',
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
  });
  const text = await response.text();
  let data;
  try {
    data = text === '' ? undefined : JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (!response.ok) throw new ApiError(response.status, errorMessage(response.status, data));
  return data;
}

/** The API's error body (`error` code, `message`, field `issues`, finding `codes`) in words. */
function errorMessage(status, data) {
  if (status === 401) return 'The server refused the token: run claimpath login --print and paste the new token.';
  const detail = [
    data?.message,
    ...(Array.isArray(data?.issues) ? data.issues.map((issue) => `${issue.path || 'request'}: ${issue.message}`) : []),
    ...(Array.isArray(data?.codes) && data.codes.length > 0 ? [`findings ${data.codes.join(', ')}`] : []),
  ].filter(Boolean);
  const more = detail.length > 0 ? ` (${detail.join('; ')})` : '';
  if (status === 403) return `Not allowed for your roles${more}.`;
  if (status === 404) return 'No such work item for your office.';
  if (status === 409) return `The item cannot do that now: ${data?.error ?? 'conflict'}${more}. Reload it and try again.`;
  if (status === 400) return `The API refused the request${more}.`;
  return `The request failed (${status}${data?.error ? ` ${data.error}` : ''}${data?.requestId ? `, request ${data.requestId}` : ''}).`;
}

function say(message) {
  $('status').textContent = message;
}

function fail(error) {
  say(error instanceof ApiError ? error.message : 'The request failed: is npm start running?');
}

// ── Formatting ────────────────────────────────────────────────────────────────────────────────────

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const formatCents = (cents) => (typeof cents === 'number' ? money.format(cents / 100) : '—');

function nearestDeadline(item) {
  const dates = [item.appealDeadline, item.timelyFilingDeadline].filter(Boolean).sort();
  return dates[0];
}

function daysUntil(isoDate) {
  const today = new Date();
  const start = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  const [year, month, day] = isoDate.split('-').map(Number);
  return Math.round((Date.UTC(year, month - 1, day) - start) / 86_400_000);
}

function describeDeadline(isoDate) {
  if (!isoDate) return 'none';
  const days = daysUntil(isoDate);
  const when = days < 0 ? `${-days} day(s) ago` : days === 0 ? 'today' : `in ${days} day(s)`;
  return `${isoDate} (${when})`;
}

/** Build an element: `el('td', { className: 'number' }, 'text', child…)`. Text is always text. */
function el(tag, properties = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(properties)) {
    if (value === undefined) continue;
    if (name in element && !name.startsWith('aria') && name !== 'role') element[name] = value;
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function definitionList(pairs) {
  return el('dl', { className: 'facts' }, pairs.filter(([, value]) => value !== undefined && value !== '').map(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
}

// ── The list ──────────────────────────────────────────────────────────────────────────────────────

async function loadList({ append = false, quiet = false } = {}) {
  if (!readToken()) return;
  const filters = new FormData($('filters'));
  const status = filters.get('status');
  const query = {
    limit: String(PAGE_SIZE),
    status: status || undefined,
    payer: String(filters.get('payer') ?? '').trim(),
    reason: String(filters.get('reason') ?? '').trim(),
    cursor: append ? state.nextCursor : undefined,
  };
  // `me` is the API's word for the caller, whom the token names.
  if (state.queue === 'mine') query.assignee = 'me';
  else query.queue = state.queue;
  if (!quiet) say('Loading…');
  try {
    const answer = await api('GET', '/work-items', { query });
    // Without a status filter, the API lists what is still to do (everything but resolved).
    const items = Array.isArray(answer?.items) ? answer.items : [];
    state.items = append ? [...state.items, ...items] : items;
    state.nextCursor = answer?.nextCursor;
    renderList();
    if (!quiet) say(`${state.items.length} item(s).`);
  } catch (error) {
    fail(error);
  }
}

function renderList() {
  const body = $('items').tBodies[0];
  body.replaceChildren(
    ...state.items.map((item) => {
      const deadline = nearestDeadline(item);
      const soon = deadline !== undefined && daysUntil(deadline) <= 14;
      const open = el('button', { type: 'button', className: 'link', 'aria-label': `Open item ${item.workItemId}` }, 'Open');
      open.addEventListener('click', () => openItem(item.workItemId, open));
      return el(
        'tr',
        {},
        el('td', { className: soon ? 'deadline soon' : 'deadline' }, deadline ? describeDeadline(deadline) : 'none'),
        el('td', { className: 'number' }, formatCents(item.amountAtRiskCents)),
        el('td', {}, reasonSummary(item)),
        el('td', {}, STATUS_WORDS[item.status] ?? item.status),
        el('td', {}, item.assignee ?? '—'),
        el('td', {}, open),
      );
    }),
  );
  const where = state.queue === 'mine' ? 'assigned to you' : `in the ${QUEUE_WORDS[state.queue]} queue`;
  $('items-caption').textContent = state.items.length === 0 ? `No work items ${where}.` : `Work items ${where}, nearest deadline first, then the most at risk.`;
  $('more-items').hidden = state.nextCursor === undefined;
}

function reasonSummary(item) {
  const reasons = Array.isArray(item.reasons) ? item.reasons : [];
  if (reasons.length === 0) return (item.reasonCodes ?? []).join(', ');
  return el('ul', { className: 'reasons-short' }, reasons.slice(0, 3).map((reason) => el('li', {}, el('span', { className: 'code' }, reason.code), ' ', reason.description)), reasons.length > 3 ? el('li', {}, `and ${reasons.length - 3} more`) : undefined);
}

function selectTab(tab, { focus = false } = {}) {
  for (const other of document.querySelectorAll('#queue-tabs [role="tab"]')) {
    const selected = other === tab;
    other.setAttribute('aria-selected', String(selected));
    other.tabIndex = selected ? 0 : -1;
  }
  if (focus) tab.focus();
  $('list-panel').setAttribute('aria-labelledby', tab.id);
  state.queue = tab.dataset.queue;
  state.nextCursor = undefined;
  void loadList();
}

/** Arrow keys, Home and End move between tabs (the WAI-ARIA tabs pattern). */
function onTabKey(event) {
  const tabs = [...document.querySelectorAll('#queue-tabs [role="tab"]')];
  const index = tabs.indexOf(document.activeElement);
  if (index === -1) return;
  const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
  if (next === undefined) return;
  event.preventDefault();
  selectTab(tabs[(next + tabs.length) % tabs.length], { focus: true });
}

// ── One item ──────────────────────────────────────────────────────────────────────────────────────

async function openItem(id, returnFocusTo) {
  const reloading = returnFocusTo === undefined;
  if (!reloading) state.returnFocusTo = returnFocusTo;
  say('Loading the item…');
  try {
    state.detail = await api('GET', `/work-items/${encodeURIComponent(id)}`);
    renderDetail();
    $('detail').hidden = false;
    // Opening moves focus to the item; a reload after an action keeps it, unless its button went away.
    const focused = document.activeElement;
    if (!reloading || focused === null || focused === document.body || focused.closest('[hidden]')) $('detail-title').focus();
    say('');
  } catch (error) {
    fail(error);
  }
}

function closeItem() {
  state.detail = undefined;
  $('detail').hidden = true;
  const target = state.returnFocusTo && document.body.contains(state.returnFocusTo) ? state.returnFocusTo : $('worklist-title');
  target.focus();
}

function renderDetail() {
  const { item, claim, history } = state.detail;
  $('detail-title').textContent = `${KIND_WORDS[item.kind] ?? item.kind}`;
  $('detail-summary').replaceChildren(
    definitionList([
      ['Item', item.workItemId],
      ['Queue', QUEUE_WORDS[item.queue] ?? item.queue],
      ['Status', STATUS_WORDS[item.status] ?? item.status],
      ['Assigned to', item.assignee ?? 'nobody'],
      ['Payer', item.payer],
      ['At risk', `${formatCents(item.amountAtRiskCents)} of ${formatCents(item.chargeCents)} charged`],
      ['Appeal by', item.appealDeadline ? describeDeadline(item.appealDeadline) : undefined],
      ['File by', item.timelyFilingDeadline ? describeDeadline(item.timelyFilingDeadline) : undefined],
      ['Resolution', item.resolution ? `${RESOLUTION_WORDS[item.resolution.action] ?? item.resolution.action}${item.resolution.frequency ? ` (frequency ${item.resolution.frequency})` : ''}${item.resolution.reason ? `: ${item.resolution.reason}` : ''}` : undefined],
    ]),
  );

  const sections = [el('h3', {}, 'Why it is here'), reasonList(item.reasons ?? [])];
  if (claim) sections.push(...claimSections(claim));
  if (state.detail.correction) sections.push(...correctionSections(state.detail.correction));
  sections.push(el('h3', {}, 'History'), historyList(history ?? []));
  $('detail-body').replaceChildren(...sections);
  renderActions(item, claim);
}

function reasonList(reasons) {
  if (reasons.length === 0) return el('p', {}, 'No reasons recorded.');
  return el(
    'ul',
    { className: 'reasons' },
    reasons.map((reason) => {
      const details = [
        SOURCE_WORDS[reason.source],
        reason.category ? CATEGORY_WORDS[reason.category] ?? reason.category : undefined,
        reason.line ? `line ${reason.line}` : undefined,
        reason.amountCents !== undefined ? formatCents(reason.amountCents) : undefined,
        reason.rarcs?.length ? `remarks ${reason.rarcs.join(', ')}` : undefined,
      ].filter(Boolean);
      return el('li', {}, el('span', { className: 'code' }, reason.code), ' ', reason.description, details.length ? el('span', { className: 'hint' }, ` (${details.join('; ')})`) : undefined);
    }),
  );
}

function claimSections(claim) {
  const codes = claim.claim ?? {};
  const sections = [
    el('h3', {}, 'The claim'),
    definitionList([
      ['Claim', claim.claimId],
      ['Claim status', claim.status],
      ['Type', { P: 'professional (837P)', I: 'institutional (837I)', D: 'dental (837D)' }[codes.type] ?? codes.type],
      ['Frequency', codes.frequency],
      ['Place of service', codes.placeOfService],
      ['Facility type', codes.facilityType],
      ['Total charge', formatCents(codes.totalCharge)],
    ]),
    el('h4', {}, 'Diagnoses'),
    el('ol', { className: 'diagnoses' }, (codes.diagnoses ?? []).map((diagnosis) => el('li', {}, el('span', { className: 'code' }, diagnosis.code), diagnosis.kind === 'principal' ? ' (principal)' : ''))),
    el('h4', {}, 'Service lines'),
    el(
      'table',
      { className: 'lines' },
      el('thead', {}, el('tr', {}, ['Line', 'Procedure', 'Modifiers', 'Units', 'Charge', 'Diagnosis pointers'].map((title) => el('th', { scope: 'col' }, title)))),
      el(
        'tbody',
        {},
        (codes.lines ?? []).map((line) =>
          el(
            'tr',
            {},
            el('td', {}, line.lineNumber),
            el('td', { className: 'code' }, line.procedure?.code ?? (line.revenueCode ? `revenue ${line.revenueCode}` : '—')),
            el('td', {}, (line.procedure?.modifiers ?? []).join(' ') || '—'),
            el('td', { className: 'number' }, line.units ?? '—'),
            el('td', { className: 'number' }, formatCents(line.charge)),
            el('td', {}, (line.diagnosisPointers ?? []).join(' ') || '—'),
          ),
        ),
      ),
    ),
    el('h4', {}, 'Findings'),
    findingList(claim.findings ?? []),
  ];
  if (claim.adjudication) {
    const totals = claim.adjudication.totals ?? {};
    sections.push(
      el('h4', {}, 'Adjudication'),
      definitionList([
        ['Status', claim.adjudication.status],
        ['Paid', formatCents(totals.paidCents)],
        ['Patient responsibility', formatCents(totals.patientResponsibilityCents)],
        ['Contractual', formatCents(totals.contractualCents)],
        ['Denied', formatCents(totals.deniedCents)],
      ]),
    );
  }
  if ((claim.postings ?? []).length > 0) sections.push(el('h4', {}, 'Payments posted'), ...claim.postings.map(postingView));
  return sections;
}

/** The coder's correction draft: what a resubmission would send, and what the last check said. */
function correctionSections(draft) {
  return [
    el('h3', {}, 'Your corrections'),
    el('p', {}, `${draft.holds ? 'The last check still holds the claim' : 'The last check passes'}${draft.findingCodes?.length ? ` (findings ${draft.findingCodes.join(', ')})` : ''}; saved by ${draft.by} at ${new Date(draft.at).toLocaleString()}.`),
    draft.diagnoses ? el('p', {}, `Diagnoses: ${draft.diagnoses.join(', ')}`) : undefined,
    draft.lines?.length
      ? el(
          'ul',
          {},
          draft.lines.map((line) =>
            el('li', {}, `Line ${line.line}: ${[line.procedure && `procedure ${line.procedure}`, line.modifiers && `modifiers ${line.modifiers.join(' ') || 'none'}`, line.units !== undefined && `units ${line.units}`, line.diagnosisPointers && `pointers ${line.diagnosisPointers.join(' ')}`].filter(Boolean).join(', ')}`),
          ),
        )
      : undefined,
  ];
}

function findingList(findings) {
  if (findings.length === 0) return el('p', {}, 'No findings: the claim passes every check.');
  return el(
    'ul',
    { className: 'findings' },
    findings.map((finding) =>
      el('li', { className: finding.severity === 'reject' ? 'reject' : 'warn' }, el('strong', {}, finding.severity === 'reject' ? 'Must fix' : 'Warning'), ' ', el('span', { className: 'code' }, finding.code), finding.line ? ` line ${finding.line}` : '', ': ', finding.message),
    ),
  );
}

function adjustmentText(adjustment) {
  return `${adjustment.group}-${adjustment.carc}${adjustment.rarcs?.length ? ` (${adjustment.rarcs.join(', ')})` : ''} ${formatCents(adjustment.amountCents)}, ${CATEGORY_WORDS[adjustment.category] ?? adjustment.category}`;
}

function postingView(posting) {
  return el(
    'div',
    { className: 'posting' },
    el('p', {}, `${posting.reversal ? 'Reversal' : 'Payment'} of ${formatCents(posting.totals?.paidCents)}${posting.paymentDate ? ` on ${posting.paymentDate}` : ''} (claim status ${posting.claimStatusCode}${posting.payerClaimControlNumber ? `, payer claim ${posting.payerClaimControlNumber}` : ''})`),
    posting.adjustments?.length ? el('p', {}, `Claim adjustments: ${posting.adjustments.map(adjustmentText).join('; ')}`) : undefined,
    el(
      'ul',
      {},
      (posting.lines ?? []).map((line) =>
        el('li', {}, `Line ${line.line ?? '?'} ${line.procedure}${line.modifiers?.length ? `-${line.modifiers.join('-')}` : ''}: paid ${formatCents(line.paidCents)} of ${formatCents(line.chargeCents)}`, line.adjustments?.length ? `; ${line.adjustments.map(adjustmentText).join('; ')}` : ''),
      ),
    ),
  );
}

function historyList(history) {
  return el(
    'ol',
    { className: 'history' },
    history.map((entry) => el('li', {}, `${new Date(entry.at).toLocaleString()}: ${entry.by} ${entry.action}${entry.to ? ` (${STATUS_WORDS[entry.to] ?? entry.to})` : ''}${entry.note ? ` — ${entry.note}` : ''}`)),
  );
}

/** Show the actions that can apply; the API decides in the end (roles, revisions). */
function renderActions(item, claim) {
  const mine = item.assignee !== undefined && item.assignee === me();
  const supervisor = roles().includes('supervisor');
  const working = item.status === 'in-progress' && mine;
  $('action-take').hidden = item.status === 'resolved' || mine;
  $('action-release').hidden = !(item.status === 'in-progress' || item.status === 'waiting-on-provider') || !(mine || supervisor);
  $('action-wait').hidden = !working;
  $('action-resume').hidden = item.status !== 'waiting-on-provider' || !(mine || supervisor);
  $('correct-form').hidden = !working || !claim;
  $('resolve-form').hidden = !working;
  if (working && claim) fillCorrectionForm(currentCodes());
  $('recheck').replaceChildren();
  updateVoidChoice();
}

// ── Actions ───────────────────────────────────────────────────────────────────────────────────────

/** POST an action on the open item, then reload it and the list. Resolves to `{ answer }`, or undefined when refused. */
async function act(verb, body, done) {
  const { item } = state.detail;
  say('Working…');
  try {
    const answer = await api('POST', `/work-items/${encodeURIComponent(item.workItemId)}/${verb}`, { body: body ?? {} });
    await openItem(item.workItemId);
    say(done);
    // The list behind the item changes too; its refresh must not talk over the action's message.
    void loadList({ quiet: true });
    return { answer };
  } catch (error) {
    fail(error);
    return undefined;
  }
}

function fillCorrectionForm(codes) {
  $('correct-diagnoses').value = (codes.diagnoses ?? []).map((diagnosis) => diagnosis.code).join(', ');
  $('correct-lines').replaceChildren(
    ...(codes.lines ?? []).map((line) => {
      const id = (name) => `line-${line.lineNumber}-${name}`;
      const input = (name, value, label, size) => el('td', {}, el('input', { id: id(name), value: String(value ?? ''), size, spellcheck: false, 'aria-label': `${label}, line ${line.lineNumber}` }));
      return el(
        'tr',
        { 'data-line': line.lineNumber },
        el('th', { scope: 'row' }, line.lineNumber),
        input('procedure', line.procedure?.code, 'Procedure', 8),
        input('modifiers', (line.procedure?.modifiers ?? []).join(' '), 'Modifiers', 10),
        input('units', line.units, 'Units', 4),
        input('pointers', (line.diagnosisPointers ?? []).join(' '), 'Diagnosis pointers', 8),
      );
    }),
  );
}

/** The claim's codes with the correction draft applied: what the coder edits next. */
function currentCodes() {
  const codes = state.detail.claim?.claim ?? {};
  const draft = state.detail.correction;
  const draftLine = (number) => draft?.lines?.find((line) => line.line === number) ?? {};
  return {
    diagnoses: draft?.diagnoses ? draft.diagnoses.map((code) => ({ code })) : codes.diagnoses ?? [],
    lines: (codes.lines ?? []).map((line) => {
      const change = draftLine(line.lineNumber);
      return {
        lineNumber: line.lineNumber,
        procedure: { code: change.procedure ?? line.procedure?.code, modifiers: change.modifiers ?? line.procedure?.modifiers ?? [] },
        units: change.units ?? line.units,
        diagnosisPointers: change.diagnosisPointers ?? line.diagnosisPointers ?? [],
      };
    }),
  };
}

const words = (text) => text.split(/[\s,]+/).map((word) => word.trim().toUpperCase()).filter(Boolean);
const sameList = (a, b) => a.length === b.length && a.every((value, index) => String(value) === String(b[index]));

/** Only what the coder changed: the API re-checks the claim with these edits. */
function correctionFromForm() {
  const codes = currentCodes();
  const correction = {};
  const diagnoses = words($('correct-diagnoses').value);
  if (!sameList(diagnoses, (codes.diagnoses ?? []).map((diagnosis) => diagnosis.code))) correction.diagnoses = diagnoses;
  const lines = [];
  for (const line of codes.lines ?? []) {
    const value = (name) => $(`line-${line.lineNumber}-${name}`).value.trim();
    const change = { line: line.lineNumber };
    const procedure = value('procedure').toUpperCase();
    if (procedure !== '' && procedure !== (line.procedure?.code ?? '')) change.procedure = procedure;
    const modifiers = words(value('modifiers'));
    if (!sameList(modifiers, line.procedure?.modifiers ?? [])) change.modifiers = modifiers;
    const units = value('units');
    if (units !== '' && Number(units) !== line.units) change.units = Number(units);
    const pointers = words(value('pointers')).map(Number);
    if (!sameList(pointers, line.diagnosisPointers ?? [])) change.diagnosisPointers = pointers;
    if (Object.keys(change).length > 1) lines.push(change);
  }
  if (lines.length > 0) correction.lines = lines;
  return correction;
}

async function onCorrect(event) {
  event.preventDefault();
  const correction = correctionFromForm();
  if (Object.keys(correction).length === 0) {
    say('Nothing changed.');
    return;
  }
  const result = await act('corrections', correction, 'Saved; the claim was checked again.');
  if (result === undefined) return;
  // The re-check's findings as the API answers them, else the claim's findings as reloaded.
  const findings = result.answer?.findings ?? state.detail?.claim?.findings ?? [];
  $('recheck').replaceChildren(
    el('h4', {}, 'Result of the check'),
    result.answer?.holds ? el('p', { className: 'reject' }, 'The corrected claim would still be held: fix what must be fixed before resubmitting.') : undefined,
    findingList(findings),
  );
}

async function onResolve(event) {
  event.preventDefault();
  const action = $('resolve-action').value;
  const reason = $('resolve-reason').value.trim();
  if (action === 'write-off' && reason === '') {
    say('A write-off needs a reason: a code or a short note.');
    $('resolve-reason').focus();
    return;
  }
  const voidClaim = action === 'resubmit' && $('resolve-void').checked;
  const what = voidClaim ? 'void the claim' : $('resolve-action').selectedOptions[0].textContent.toLowerCase();
  if (!window.confirm(`Resolve this item: ${what}?`)) return;
  await act('resolve', { action, ...(reason ? { reason } : {}), ...(voidClaim ? { void: true } : {}) }, 'Resolved.');
}

function updateVoidChoice() {
  const resubmit = $('resolve-action').value === 'resubmit';
  $('resolve-void').disabled = !resubmit;
  if (!resubmit) $('resolve-void').checked = false;
}

// ── Start ─────────────────────────────────────────────────────────────────────────────────────────

function start() {
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('token-input').value.trim();
    $('token-input').value = '';
    if (!claimsOf(token)) {
      say('That is not a token: paste the whole output of claimpath login --print.');
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    showIdentity();
    void loadList();
  });
  $('forget-token').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    state.items = [];
    state.detail = undefined;
    $('detail').hidden = true;
    renderList();
    $('items-caption').textContent = 'Sign in with a token to see the work queues.';
    showIdentity();
    say('The token is forgotten.');
  });
  for (const tab of document.querySelectorAll('#queue-tabs [role="tab"]')) tab.addEventListener('click', () => selectTab(tab));
  $('queue-tabs').addEventListener('keydown', onTabKey);
  $('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    void loadList();
  });
  $('more-items').addEventListener('click', () => loadList({ append: true }));
  $('action-take').addEventListener('click', () => act('take', {}, 'The item is yours.'));
  $('action-release').addEventListener('click', () => act('release', {}, 'Released to the queue.'));
  $('action-wait').addEventListener('click', () => act('wait', {}, 'Waiting on the provider.'));
  $('action-resume').addEventListener('click', () => act('resume', {}, 'Resumed.'));
  $('action-close').addEventListener('click', closeItem);
  $('detail').addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closeItem();
  });
  $('correct-form').addEventListener('submit', onCorrect);
  $('resolve-form').addEventListener('submit', onResolve);
  $('resolve-action').addEventListener('change', updateVoidChoice);
  showIdentity();
  void loadList();
}

start();
