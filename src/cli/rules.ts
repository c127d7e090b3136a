/**
 * `claimpath rules import|export|list`: the payer-rules maintainer's command. Rule documents are
 * validated here, all of them, before the store is touched — one invalid document and nothing is
 * imported, with every error listed — then written to the DynamoDB rule store (AWS, or a local server
 * with `--endpoint`). Output names rules by payer, id and version only.
 *
 * Exit: 0 done, 1 import refused (invalid documents, or a version already stored with other content),
 * 2 usage error, 3 the store failed (unreachable, no such table, unreadable stored document).
 */
import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { IsoDateSchema } from '../../schemas/common.schema.ts';
import type { PayerRule } from '../../schemas/payer-rule.schema.ts';
import { describeRuleVersion, RuleVersionConflictError } from '../rules/rule-store.ts';
import { createDynamoClient } from '../store/dynamo-client.ts';
import { DynamoRuleStore } from '../store/dynamo-rule-store.ts';
import { StoredRuleDocumentError } from '../store/errors.ts';
import { rulesTable } from '../store/tables.ts';
import { ExitCode, parseCommandArgs, UsageError, type CliCommand, type CliContext } from './args.ts';
import { loadRuleDocuments } from './rule-files.ts';

const usage = `Usage: claimpath rules import FILE|DIR ...   [store options]
       claimpath rules export [--payer P]       [store options]
       claimpath rules list [--payer P] [--on DATE] [--json] [store options]

Manage payer rule documents in the rule store (DynamoDB).

  import FILE|DIR    validate every document in FILE, or in every *.json file under DIR (a file holds
                     one document, an array of them, or {"rules": [...]}); store them only when all are
                     valid, else list every error and store nothing. Re-importing a document already
                     stored changes nothing; a changed document needs a new version.
  export             print the stored documents, every version, as one JSON array (re-importable)
  list               print the stored documents, one line each
    --payer P        only payer P's own documents ('*': the rules for every payer)
    --on DATE        only the versions in effect on DATE (YYYY-MM-DD); with --payer, what applies
                     to P's claims on DATE: P's rules and the every-payer (*) rules
    --json           print the documents as a JSON array instead of lines

Store options:
  --endpoint URL     DynamoDB endpoint, e.g. http://127.0.0.1:8000 for a local server
                     (default: env CLAIMPATH_DYNAMODB_ENDPOINT, else AWS)
  --table NAME       rules table (default: env CLAIMPATH_RULES_TABLE, else ${rulesTable.defaultName})
                     The region is env AWS_REGION or AWS_DEFAULT_REGION, else us-east-1.
  -h, --help         show this help

Exit status: 0 done, 1 import refused, 2 usage error, 3 store unreachable or failed.`;

const DEFAULT_REGION = 'us-east-1';

export const rulesCommand: CliCommand = {
  name: 'rules',
  summary: 'import, export and list payer rule documents in the rule store (DynamoDB)',
  usage,
  run: runRules,
};

/** Where the store is, from options and environment. */
interface StoreSettings {
  endpoint: string | undefined;
  tableName: string;
  region: string;
}

async function runRules(argv: readonly string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      payer: { type: 'string' },
      on: { type: 'string' },
      json: { type: 'boolean' },
      endpoint: { type: 'string' },
      table: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    usage,
  );
  if (values.help) {
    context.stdout(usage + '\n');
    return ExitCode.ok;
  }
  const [action, ...operands] = positionals;
  if (action === undefined) throw new UsageError('rules needs an action: import, export or list', usage);
  if (action !== 'import' && action !== 'export' && action !== 'list') throw new UsageError(`unknown rules action: ${action}`, usage);

  const refuse = (option: string): never => {
    throw new UsageError(`${option} does not apply to rules ${action}`, usage);
  };
  if (action !== 'list') {
    if (values.on !== undefined) refuse('--on');
    if (values.json) refuse('--json');
  }
  if (action === 'import' && values.payer !== undefined) refuse('--payer');
  if (action === 'import' && operands.length === 0) throw new UsageError('rules import needs a FILE or a DIR', usage);
  if (action !== 'import' && operands.length > 0) throw new UsageError(`unexpected argument ${operands[0]}`, usage);
  if (values.on !== undefined && !IsoDateSchema.safeParse(values.on).success) throw new UsageError('--on takes a date as YYYY-MM-DD', usage);
  if (values.payer !== undefined && values.payer.trim() === '') throw new UsageError('--payer needs a payer id', usage);
  const settings = storeSettings(values.endpoint, values.table, context);

  // Every document is read and validated before any connection is made.
  let rules: PayerRule[] = [];
  if (action === 'import') {
    const loaded = await loadRuleDocuments(operands, usage);
    if ('errors' in loaded) {
      for (const error of loaded.errors) context.stderr(error + '\n');
      context.stderr(`claimpath rules: ${loaded.errors.length} error(s); nothing imported\n`);
      return ExitCode.rejected;
    }
    rules = loaded.rules;
  }

  const client = createDynamoClient({ endpoint: settings.endpoint, region: settings.region });
  const store = new DynamoRuleStore({ client, tableName: settings.tableName });
  try {
    switch (action) {
      case 'import': {
        const outcome = await store.put(rules);
        context.stdout(
          `imported ${rules.length} rule document(s) into ${settings.tableName}: ${outcome.written} new, ${outcome.unchanged} already stored\n`,
        );
        return ExitCode.ok;
      }
      case 'export': {
        const documents = values.payer === undefined ? await store.all() : await store.list({ payer: values.payer });
        context.stdout(JSON.stringify(documents, null, 2) + '\n');
        return ExitCode.ok;
      }
      case 'list': {
        const { payer, on } = values;
        const documents = payer !== undefined && on !== undefined ? await store.rulesInEffect(payer, on) : await store.list({ payer, on });
        context.stdout(values.json ? JSON.stringify(documents, null, 2) + '\n' : formatRuleList(documents));
        return ExitCode.ok;
      }
    }
  } catch (error) {
    return reportStoreError(error, settings, context);
  } finally {
    client.destroy();
  }
}

/** Options win over the environment; the environment over defaults. */
function storeSettings(endpointOption: string | undefined, tableOption: string | undefined, context: CliContext): StoreSettings {
  const endpoint = nonEmpty(endpointOption) ?? nonEmpty(context.env.CLAIMPATH_DYNAMODB_ENDPOINT);
  if (endpoint !== undefined && !URL.canParse(endpoint)) throw new UsageError('--endpoint (or CLAIMPATH_DYNAMODB_ENDPOINT) takes a URL such as http://127.0.0.1:8000', usage);
  const tableName = nonEmpty(tableOption) ?? nonEmpty(context.env.CLAIMPATH_RULES_TABLE) ?? rulesTable.defaultName;
  const region = nonEmpty(context.env.AWS_REGION) ?? nonEmpty(context.env.AWS_DEFAULT_REGION) ?? DEFAULT_REGION;
  return { endpoint, tableName, region };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** A store failure in one line for people, with what to check; unexpected errors go up to main. */
function reportStoreError(error: unknown, settings: StoreSettings, context: CliContext): number {
  const where = settings.endpoint ?? `AWS (${settings.region})`;
  if (error instanceof RuleVersionConflictError) {
    context.stderr(`claimpath rules: refused: ${error.conflicts.length} rule version(s) already stored with different content:\n`);
    for (const conflict of error.conflicts) context.stderr(`  ${describeRuleVersion(conflict)}\n`);
    context.stderr('Documents are immutable by payer, id and version: publish a change as a new version.\n');
    return ExitCode.rejected;
  }
  if (error instanceof ResourceNotFoundException) {
    context.stderr(`claimpath rules: table ${settings.tableName} not found at ${where}\n`);
    return ExitCode.internal;
  }
  if (error instanceof StoredRuleDocumentError) {
    context.stderr(`claimpath rules: ${error.message}\n`);
    return ExitCode.internal;
  }
  const code = networkErrorCode(error);
  if (code !== undefined) {
    context.stderr(`claimpath rules: cannot reach DynamoDB at ${where} (${code})\n`);
    return ExitCode.internal;
  }
  throw error;
}

/** Node's codes for "could not connect": the endpoint is wrong, down, or not reachable from here. */
const CONNECTION_ERROR_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'];

/**
 * The connection failure's code, if that is what the error is. The SDK may hand back Node's error, or
 * a wrapper that keeps only its text (when the error crossed a realm, as in a test runner's VM):
 * look at the code, the cause's code, then the message.
 */
function networkErrorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Object && depth < 3; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_ERROR_CODES.includes(code)) return code;
  }
  const message = error instanceof Error ? error.message : '';
  return CONNECTION_ERROR_CODES.find((code) => message.includes(code));
}

// ── Output ──────────────────────────────────────────────────────────────────────────────────────────

/** One line per document: payer, id, version, kind, severity, effective range; a header; a count. */
function formatRuleList(rules: readonly PayerRule[]): string {
  if (rules.length === 0) return 'no rules\n';
  const header = ['PAYER', 'RULE ID', 'VERSION', 'KIND', 'SEVERITY', 'EFFECTIVE'];
  const rows = rules.map((rule) => [
    rule.payer,
    rule.id,
    String(rule.version),
    rule.kind,
    rule.severity,
    `${rule.effective.from} to ${rule.effective.to ?? 'open'}`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ') + '\n';
  return line(header) + rows.map(line).join('') + `${rules.length} rule document(s)\n`;
}
