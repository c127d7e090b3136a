/**
 * `claimpath check FILE|DIR|- … [--json] [--ack DIR] [--leading-text skip|reject] [--rules FILE|DIR]`:
 * validate X12 files offline (envelope, guide structure, elements) and tell people, or a script with
 * `--json`, what was accepted and what was not, without ever printing an element value (they may be
 * PHI). With `--ack DIR` the TA1/999 acknowledgments are written there. With `--rules` every claim is
 * scrubbed with the payer rules of those files (no store needed) and the code sets; a claim with a
 * `reject` finding is held.
 *
 * Exit: 0 when everything is accepted (with errors noted or not), 1 when anything is rejected or a
 * claim is held, 2 for a usage error (invalid rule documents included).
 */
import { access, constants, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { IsoDateSchema, type IsoDate } from '../../schemas/common.schema.ts';
import { loadCodeSets } from '../rules/codesets/index.ts';
import type { CodeSets } from '../rules/codesets/types.ts';
import { InMemoryClaimHistory } from '../rules/history.ts';
import { todayIso } from '../rules/kinds/dates.ts';
import { compileRuleSet, holdsClaim, scrub, type CompiledRuleSet } from '../rules/scrub.ts';
import { buildAcknowledgments } from '../x12/acks.ts';
import type { X12Issue } from '../x12/issues.ts';
import type { ValidationReport } from '../x12/report.ts';
import { validateX12 } from '../x12/validate.ts';
import { ExitCode, parseCommandArgs, UsageError, type CliCommand, type CliContext } from './args.ts';
import { formatReport } from './report-text.ts';
import { loadRuleDocuments } from './rule-files.ts';
import { bufferAll, formatClaim, formatClaimPayment, formatFinding, modelsAsJson, readModels, reopenFile, type FileModels, type Reopen } from './models.ts';

const usage = `Usage: claimpath check FILE|DIR|- ... [--json] [--ack DIR] [--show claims|remits] [--leading-text skip|reject]
                       [--rules FILE|DIR ... [--received-on DATE]]

Validate X12 files (837, 835, 999, 277CA): envelope, implementation guide and elements.

  FILE               an X12 file
  DIR                every regular file in the directory, in name order
  -                  standard input
  --json             print one JSON document {files: [{path, report}]} instead of text
  --ack DIR          write the TA1/999 acknowledgments into DIR (<input>.<n>.ta1 / .999)
  --show claims|remits  also read the claims (837) or claim payments (835) and show each with its
                     findings (balancing, unreadable values); codes, amounts and dates only, no
                     names, member ids, birth dates or addresses. With --json: the full model
                     (which holds PHI) is added under each file
  --leading-text skip  accept text before the first ISA with a warning (annotated samples);
                     the default, reject, reports it as an error
  --rules FILE|DIR   scrub every claim with the payer rule documents in FILE, or in every *.json
                     file under DIR (repeatable), and the code sets; implies --show claims. Findings
                     are shown under each claim (in the model with --json); a claim with a reject
                     finding is "held". Duplicates and frequencies are judged against the file's
                     own earlier claims
  --received-on DATE the payer's receipt date for timely filing (YYYY-MM-DD; default today)
  -h, --help         show this help

Exit status: 0 all accepted (errors noted count as accepted), 1 anything rejected or a claim
held, 2 usage error (an invalid rule document too), 3 internal error.`;


/** The path printed and used in JSON for standard input. */
const STDIN_PATH = '-';

interface CheckedFile {
  path: string;
  report: ValidationReport;
  models?: FileModels;
  /** With --rules: the claims scrubbed and those held (a reject finding), by index in `models.claims`. */
  scrubbed?: { claims: number; held: ReadonlySet<number> };
}

/** What --rules loads once for every file. */
interface Scrubber {
  ruleSet: CompiledRuleSet;
  codeSets: CodeSets;
  receivedOn: IsoDate;
}

const SHOW_KINDS = ['claims', 'remits'] as const;
type ShowKind = (typeof SHOW_KINDS)[number];

export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'validate X12 files offline; print the verdicts and issues; write TA1/999 with --ack',
  usage,
  run: runCheck,
};

async function runCheck(argv: readonly string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      json: { type: 'boolean' },
      ack: { type: 'string' },
      'leading-text': { type: 'string' },
      show: { type: 'string', multiple: true },
      rules: { type: 'string', multiple: true },
      'received-on': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    usage,
  );
  if (values.help) {
    context.stdout(usage + '\n');
    return ExitCode.ok;
  }
  const leadingText = values['leading-text'] ?? 'reject';
  if (leadingText !== 'skip' && leadingText !== 'reject') throw new UsageError(`--leading-text takes skip or reject`, usage);
  if (positionals.length === 0) throw new UsageError('check needs a FILE, a DIR or - (standard input)', usage);
  const show = new Set<ShowKind>();
  for (const given of (values.show ?? []).flatMap((v) => v.split(','))) {
    if (!(SHOW_KINDS as readonly string[]).includes(given)) throw new UsageError(`--show takes claims or remits`, usage);
    show.add(given as ShowKind);
  }

  const receivedOnOption = values['received-on'];
  if (receivedOnOption !== undefined && values.rules === undefined) throw new UsageError('--received-on needs --rules', usage);
  if (receivedOnOption !== undefined && !IsoDateSchema.safeParse(receivedOnOption).success) throw new UsageError('--received-on takes a date, YYYY-MM-DD', usage);

  const inputs = await resolveInputs(positionals);
  const ackDirectory = values.ack;
  if (ackDirectory !== undefined) await prepareAckDirectory(ackDirectory);

  let scrubber: Scrubber | undefined;
  if (values.rules !== undefined) {
    const loaded = await loadRuleDocuments(values.rules, usage);
    if ('errors' in loaded) {
      context.stderr(`claimpath: invalid rule documents, nothing checked:\n${loaded.errors.map((e) => `  ${e}\n`).join('')}`);
      return ExitCode.usage;
    }
    scrubber = { ruleSet: compileRuleSet(loaded.rules), codeSets: await loadCodeSets(), receivedOn: receivedOnOption ?? todayIso() };
    show.add('claims');
  }

  let controlNumber = 0;
  const nextControlNumber = (): number => ++controlNumber;
  const checked: CheckedFile[] = [];
  for (const path of inputs) {
    // Standard input can be read once: keep it when the models need a second pass.
    const stdinBytes = path === STDIN_PATH && show.size > 0 ? await bufferAll(context.stdin) : undefined;
    const open: Reopen = stdinBytes ? () => stdinBytes : path === STDIN_PATH ? () => context.stdin : reopenFile(path);
    const report = await validateX12(open(), { leadingText });
    const file: CheckedFile = { path, report };
    if (show.size > 0) file.models = await readModels(report, open, leadingText);
    if (scrubber && file.models) file.scrubbed = await scrubClaims(file.models, scrubber);
    checked.push(file);
    if (!values.json) {
      context.stdout(formatReport(path, report) + '\n');
      if (file.models) context.stdout(formatModels(file.models, show, file.scrubbed?.held));
      if (file.scrubbed) context.stdout(`  claims scrubbed: ${file.scrubbed.claims}, held: ${file.scrubbed.held.size}\n`);
    }
    if (ackDirectory !== undefined) {
      const written = await writeAcknowledgments(ackDirectory, path, report, nextControlNumber);
      if (!values.json && written.length > 0) context.stdout(`  acknowledgments: ${written.join(', ')}\n`);
    }
  }

  if (values.json) {
    const document = {
      files: checked.map((f) => ({
        path: f.path,
        report: withoutBadValues(f.report),
        ...(f.models ? { model: markHeld(modelsAsJson(f.models), f.scrubbed?.held) } : {}),
        ...(f.scrubbed ? { scrubbed: { claims: f.scrubbed.claims, held: f.scrubbed.held.size } } : {}),
      })),
    };
    context.stdout(JSON.stringify(document, null, 2) + '\n');
  } else if (checked.length > 1) {
    const rejected = checked.filter((f) => anyRejected(f.report)).length;
    const held = scrubber ? `; claims: ${sumOf(checked, (f) => f.scrubbed?.claims ?? 0)} scrubbed, ${sumOf(checked, (f) => f.scrubbed?.held.size ?? 0)} held` : '';
    context.stdout(`\n${checked.length} files checked: ${checked.length - rejected} accepted, ${rejected} rejected${held}\n`);
  }
  const anyHeld = checked.some((f) => (f.scrubbed?.held.size ?? 0) > 0);
  return checked.some((f) => anyRejected(f.report)) || anyHeld ? ExitCode.rejected : ExitCode.ok;
}

function sumOf<T>(items: readonly T[], count: (item: T) => number): number {
  return items.reduce((total, item) => total + count(item), 0);
}

// ── --rules ─────────────────────────────────────────────────────────────────────────────────────────

/**
 * Scrub each claim of a file, adding the rule findings to its own. The claim history is the file's
 * claims in file order: a claim's duplicates and frequencies are judged against the claims before it.
 */
async function scrubClaims(models: FileModels, scrubber: Scrubber): Promise<{ claims: number; held: Set<number> }> {
  const history = InMemoryClaimHistory.of(models.claims.map((c) => c.claim));
  const held = new Set<number>();
  for (const [index, entry] of models.claims.entries()) {
    const findings = await scrub(entry.claim, scrubber.ruleSet, scrubber.codeSets, history, { receivedOn: scrubber.receivedOn });
    entry.findings.push(...findings);
    if (holdsClaim(entry.findings)) held.add(index);
  }
  return { claims: models.claims.length, held };
}

/** `held: true|false` on each claim of the JSON model, when the claims were scrubbed. */
function markHeld(model: object, held: ReadonlySet<number> | undefined): object {
  if (!held || !('claims' in model) || !Array.isArray(model.claims)) return model;
  return { ...model, claims: model.claims.map((claim: object, index: number) => ({ ...claim, held: held.has(index) })) };
}


/** The claims and claim payments asked for, for people; claims held by a reject finding say so. */
function formatModels(models: FileModels, show: ReadonlySet<ShowKind>, held?: ReadonlySet<number>): string {
  const out: string[] = [];
  if (show.has('claims')) {
    models.claims.forEach((c, index) => {
      const rejects = c.findings.filter((f) => f.severity === 'reject').length;
      out.push(formatClaim(c) + (held?.has(index) ? `\n  held: ${rejects} reject finding(s); the claim is not forwarded` : ''));
    });
  }
  if (show.has('remits')) for (const p of models.claimPayments) out.push(formatClaimPayment(p));
  for (const r of models.remittances) for (const f of r.findings) out.push(formatFinding(f));
  for (const f of models.findings) out.push(formatFinding(f));
  return out.length > 0 ? out.map((block) => block.replace(/^/gm, '  ')).join('\n') + '\n' : '';
}

/**
 * The files to check, in order: a FILE as given, a DIR's regular files sorted by name, `-` for
 * standard input (once). Everything is checked before any work starts, so a typo costs nothing.
 */
async function resolveInputs(positionals: readonly string[]): Promise<string[]> {
  const inputs: string[] = [];
  for (const given of positionals) {
    if (given === STDIN_PATH) {
      if (inputs.includes(STDIN_PATH)) throw new UsageError('standard input (-) can be read only once', usage);
      inputs.push(STDIN_PATH);
      continue;
    }
    const info = await stat(given).catch(() => undefined);
    if (!info) throw new UsageError(`no such file or directory: ${given}`, usage);
    if (info.isDirectory()) {
      const entries = await readdir(given, { withFileTypes: true });
      const files: string[] = [];
      for (const entry of entries) {
        const path = join(given, entry.name);
        // Follow symbolic links: a link to a regular file is a file to check.
        const isFile = entry.isFile() || (entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isFile() === true);
        if (isFile) files.push(path);
      }
      if (files.length === 0) throw new UsageError(`no regular files in directory: ${given}`, usage);
      files.sort();
      for (const file of files) await ensureReadable(file);
      inputs.push(...files);
    } else if (info.isFile()) {
      await ensureReadable(given);
      inputs.push(given);
    } else {
      throw new UsageError(`not a regular file or directory: ${given}`, usage);
    }
  }
  return inputs;
}

async function ensureReadable(path: string): Promise<void> {
  await access(path, constants.R_OK).catch(() => {
    throw new UsageError(`cannot read: ${path}`, usage);
  });
}

async function prepareAckDirectory(directory: string): Promise<void> {
  const info = await stat(directory).catch(() => undefined);
  if (info && !info.isDirectory()) throw new UsageError(`--ack needs a directory: ${directory}`, usage);
  if (!info) await mkdir(directory, { recursive: true });
}

/** Write the TA1/999 files of one input as `<input-basename>.<n>.ta1|999`; return their paths. */
async function writeAcknowledgments(directory: string, inputPath: string, report: ValidationReport, nextControlNumber: () => number): Promise<string[]> {
  const stem = inputPath === STDIN_PATH ? 'stdin' : basename(inputPath);
  const written: string[] = [];
  for (const ack of buildAcknowledgments(report, { nextControlNumber, lineBreak: true })) {
    const path = join(directory, `${stem}.${ack.name}`);
    await writeFile(path, ack.content);
    written.push(path);
  }
  return written;
}

/** True when the file, or any interchange, group or transaction set in it, was rejected. */
export function anyRejected(report: ValidationReport): boolean {
  if (report.verdict === 'rejected' || report.verdict === 'partially accepted') return true;
  return report.interchanges.some(
    (interchange) =>
      interchange.verdict === 'rejected' ||
      interchange.groups.some((group) => group.verdict === 'rejected' || group.verdict === 'partially accepted' || group.sets.some((set) => set.verdict === 'rejected')),
  );
}

/**
 * A copy of the report without any `badValue` or claim `context` (they may be PHI; the JSON goes to
 * terminals and logs). Both go into the 999 only.
 */
export function withoutBadValues(report: ValidationReport): ValidationReport {
  return {
    ...report,
    fileIssues: report.fileIssues.map(stripBadValue),
    interchanges: report.interchanges.map((interchange) => ({
      ...interchange,
      issues: interchange.issues.map(stripBadValue),
      groups: interchange.groups.map((group) => ({
        ...group,
        issues: group.issues.map(stripBadValue),
        sets: group.sets.map((set) => ({ ...set, issues: set.issues.map(stripBadValue) })),
      })),
    })),
  };
}

function stripBadValue(issue: X12Issue): X12Issue {
  const { badValue: _dropped, context: _claim, ...rest } = issue;
  return rest;
}
