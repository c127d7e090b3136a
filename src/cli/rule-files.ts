/**
 * Reading payer-rule documents from files, for every command that takes them (`rules import`,
 * `check --rules`): FILEs as given and *.json under DIRs, all validated together — either every document
 * is valid, or every error comes back, one line each, naming file, document, rule id and field.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { formatRuleDocumentError, parseRuleDocuments, ruleDocumentsInFile, type PayerRule, type RuleDocumentError } from '../../schemas/payer-rule.schema.ts';
import { UsageError } from './args.ts';

/**
 * Read and validate every document of every input (files as given, *.json under directories, in path
 * order). Either every document is valid — then all of them — or every error, one line each.
 */
export async function loadRuleDocuments(inputs: readonly string[], usage: string): Promise<{ rules: PayerRule[] } | { errors: string[] }> {
  const files = await resolveRuleFiles(inputs, usage);
  const rules: PayerRule[] = [];
  const errors: string[] = [];
  // A payer, id and version in two files is an error, as it is within one file (parseRuleDocuments).
  const firstSeen = new Map<string, string>();
  for (const file of files) {
    const source = displayPath(file);
    const content = await readJson(file);
    if ('error' in content) {
      errors.push(`${source}: ${content.error}`);
      continue;
    }
    const result = parseRuleDocuments(ruleDocumentsInFile(content.value), source);
    if ('errors' in result) {
      errors.push(...result.errors.map((error: RuleDocumentError) => formatRuleDocumentError(error)));
      continue;
    }
    result.rules.forEach((rule, index) => {
      const key = JSON.stringify([rule.payer, rule.id, rule.version]);
      const document = `${source}[${index}]`;
      const first = firstSeen.get(key);
      if (first !== undefined) {
        errors.push(`${document} (rule ${rule.id}) version: payer, id and version repeat document ${first}: publish a change as a new version`);
      } else {
        firstSeen.set(key, document);
        rules.push(rule);
      }
    });
  }
  return errors.length > 0 ? { errors } : { rules };
}

/** The files to read: a FILE as given, every *.json under a DIR (recursively), sorted; each once. */
async function resolveRuleFiles(inputs: readonly string[], usage: string): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => undefined);
    if (!info) throw new UsageError(`no such file or directory: ${input}`, usage);
    if (info.isFile()) {
      files.push(input);
    } else if (info.isDirectory()) {
      const found = (await jsonFilesUnder(input)).sort();
      if (found.length === 0) throw new UsageError(`no *.json files under ${input}`, usage);
      files.push(...found);
    } else {
      throw new UsageError(`not a regular file or directory: ${input}`, usage);
    }
  }
  return [...new Set(files)];
}

async function jsonFilesUnder(directory: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    // Follow symbolic links to files and folders like the entries themselves.
    const info = entry.isSymbolicLink() ? await stat(path).catch(() => undefined) : entry;
    if (info?.isDirectory()) found.push(...(await jsonFilesUnder(path)));
    else if (info?.isFile() && entry.name.toLowerCase().endsWith('.json')) found.push(path);
  }
  return found;
}

/** Parsed JSON, or why not — with a line and column, never a quote of the text. */
async function readJson(path: string): Promise<{ value: unknown } | { error: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { error: `cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    const position = /at position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    if (position === undefined) return { error: 'not valid JSON' };
    const before = text.slice(0, Number(position)).split('\n');
    return { error: `not valid JSON (line ${before.length}, column ${before.at(-1)!.length + 1})` };
  }
}

/** Paths under the working directory are shown relative to it: shorter, and what the user typed. */
function displayPath(path: string): string {
  const relativePath = relative(process.cwd(), path);
  return relativePath.startsWith('..') || relativePath === '' ? path : relativePath;
}

