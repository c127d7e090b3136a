/**
 * `claimpath codesets info|import`: show the code sets' sources, releases and coverage, or load
 * newer official CMS files (ICD-10-CM order files, the HCPCS alpha-numeric file) into the project's
 * compact data, printing what changed. The import merges: the fiscal years and HCPCS release found in
 * DIR replace or join those held; everything else is kept.
 *
 * Exit: 0 done, 1 nothing importable or an official file that cannot be read, 2 usage error.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildCodeSets, writeBuiltCodeSets } from '../rules/codesets/build.ts';
import { compareCodeSetData } from '../rules/codesets/changes.ts';
import { readCodeSetData, type CodeSetData } from '../rules/codesets/data-files.ts';
import { CodeSetDataError, CodeSetSourceError, defaultCodeSetDataDirectory, loadCodeSets } from '../rules/codesets/index.ts';
import { formatCodeSetChanges, formatCodeSetVersions } from '../rules/codesets/report-text.ts';
import { ExitCode, parseCommandArgs, UsageError, type CliCommand, type CliContext } from './args.ts';

const usage = `Usage: claimpath codesets info [--data DIR] [--json]
       claimpath codesets import DIR [--data DIR] [--dry-run] [--json]

Code sets: ICD-10-CM by fiscal year, HCPCS Level II codes and modifiers, place of service, CARC, RARC.

  info               print each code set's source, release and the dates it covers
  import DIR         rebuild the data from newer official CMS files in DIR (icd10cm_order_<FY>.txt[.gz],
                     HCPC<YYYY>_<MON>_ANWEB….txt[.gz] or hcpcs_level2_[modifiers_]<YYYY>_<mon>.csv) and
                     print what changed; fiscal years and releases not in DIR are kept
  --data DIR         the code-set data folder (default: the project's src/rules/codesets/data)
  --dry-run          import: show what would change, write nothing
  --json             print one JSON document instead of text
  -h, --help         show this help

Exit status: 0 done, 1 nothing to import or an unreadable official file, 2 usage error, 3 internal error.`;

export const codesetsCommand: CliCommand = {
  name: 'codesets',
  summary: 'show code-set versions and coverage; import newer official CMS code-set files',
  usage,
  run: runCodesets,
};

async function runCodesets(argv: readonly string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      data: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    usage,
  );
  if (values.help) {
    context.stdout(usage + '\n');
    return ExitCode.ok;
  }
  const [action, ...rest] = positionals;
  const dataDirectory = resolve(values.data ?? defaultCodeSetDataDirectory);
  const json = values.json === true;
  switch (action) {
    case 'info':
      if (rest.length > 0) throw new UsageError(`unexpected argument ${rest[0]}`, usage);
      if (values['dry-run']) throw new UsageError('--dry-run goes with import', usage);
      return showInfo(dataDirectory, json, context);
    case 'import': {
      if (rest.length !== 1) throw new UsageError('import needs one DIR of official files', usage);
      const sourceDirectory = resolve(rest[0]!);
      if (!(await stat(sourceDirectory).catch(() => undefined))?.isDirectory()) throw new UsageError(`not a directory: ${rest[0]}`, usage);
      return importCodeSets(sourceDirectory, dataDirectory, values['dry-run'] === true, json, context);
    }
    case undefined:
      throw new UsageError('codesets needs info or import', usage);
    default:
      throw new UsageError(`unknown codesets action: ${action}`, usage);
  }
}

async function showInfo(dataDirectory: string, json: boolean, context: CliContext): Promise<number> {
  const codeSets = await loadCodeSets({ dataDirectory });
  const sizes = {
    icd10cm: codeSets.icd10cm.size,
    hcpcs: codeSets.hcpcs.size,
    hcpcsModifiers: codeSets.hcpcsModifiers.size,
    placeOfService: codeSets.placeOfService.size,
    carc: codeSets.carc.size,
    rarc: codeSets.rarc.size,
  };
  if (json) {
    context.stdout(JSON.stringify({ dataDirectory, versions: codeSets.versions, sizes }, null, 2) + '\n');
    return ExitCode.ok;
  }
  context.stdout(formatCodeSetVersions(codeSets.versions));
  context.stdout(
    `Codes: ICD-10-CM ${sizes.icd10cm}, HCPCS ${sizes.hcpcs}, modifiers ${sizes.hcpcsModifiers}, ` +
      `POS ${sizes.placeOfService}, CARC ${sizes.carc}, RARC ${sizes.rarc}\nData: ${dataDirectory}\n`,
  );
  return ExitCode.ok;
}

async function importCodeSets(sourceDirectory: string, dataDirectory: string, dryRun: boolean, json: boolean, context: CliContext): Promise<number> {
  let before: CodeSetData | undefined;
  try {
    before = await readCodeSetData(dataDirectory);
  } catch (error) {
    // No data yet: the import must then bring every code set itself (the build says which is missing).
    if (!(error instanceof CodeSetDataError)) throw error;
    context.stderr(`claimpath codesets: no readable data in ${dataDirectory}; building from ${sourceDirectory} alone\n`);
  }
  let built;
  try {
    built = await buildCodeSets({ sourceDirectory, ...(before && { base: before }), builtBy: 'claimpath codesets import' });
  } catch (error) {
    if (!(error instanceof CodeSetSourceError)) throw error;
    context.stderr(`claimpath codesets: ${error.message}\n`);
    return ExitCode.rejected;
  }
  if (built.nothingImported) {
    context.stderr(`claimpath codesets: no newer official code-set file in ${sourceDirectory}; nothing changed\n`);
    if (built.ignoredFiles.length > 0) context.stderr(`  not recognised: ${built.ignoredFiles.join(', ')}\n`);
    for (const note of built.notes) context.stderr(`  - ${note}\n`);
    return ExitCode.rejected;
  }
  const changes = compareCodeSetData(before, built.data);
  if (!dryRun) await writeBuiltCodeSets(dataDirectory, built);
  if (json) {
    const result = { dataDirectory, written: !dryRun, changes, notes: built.notes, ignoredFiles: built.ignoredFiles };
    context.stdout(JSON.stringify(result, null, 2) + '\n');
    return ExitCode.ok;
  }
  context.stdout(formatCodeSetChanges(changes, built.notes, built.ignoredFiles));
  context.stdout(dryRun ? 'Dry run: nothing written.\n' : `Written to ${dataDirectory}.\n`);
  return ExitCode.ok;
}
