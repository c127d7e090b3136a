/**
 * `claimpath convert FILE|- --to json [--leading-text skip|reject]`: print a file's canonical model —
 * claims (837P/I/D), remittances with their claim payments (835), acknowledgments (999, TA1, 277CA) —
 * as one JSON document, with every finding and the validation verdict. The model holds PHI: this is
 * for the user's own pipeline, never for logs.
 *
 * Exit: 0 when the file was accepted, 1 when anything in it was rejected (the model of what could be read
 * is printed all the same), 2 for a usage error.
 */
import { stat } from 'node:fs/promises';
import { validateX12 } from '../x12/validate.ts';
import { ExitCode, parseCommandArgs, UsageError, type CliCommand, type CliContext } from './args.ts';
import { anyRejected, withoutBadValues } from './check.ts';
import { bufferAll, modelsAsJson, readModels, reopenFile, type Reopen } from './models.ts';

const usage = `Usage: claimpath convert FILE|- --to json [--leading-text skip|reject]

Print the canonical model of an X12 file (837 claims, 835 remittances, 999/TA1/277CA acknowledgments)
as JSON, with the findings (balancing, unreadable values) and the validation report. The output holds
PHI: send it to your own systems, not to logs.

  --to json          the output format (json is the one there is)
  --leading-text skip  accept text before the first ISA with a warning (annotated samples)
  -h, --help         show this help`;

export const convertCommand: CliCommand = {
  name: 'convert',
  summary: 'print the canonical model of an X12 file (claims, remittances, acknowledgments) as JSON',
  usage,
  run: runConvert,
};

async function runConvert(argv: readonly string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    { to: { type: 'string' }, 'leading-text': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    usage,
  );
  if (values.help) {
    context.stdout(usage + '\n');
    return ExitCode.ok;
  }
  if (values.to !== 'json') throw new UsageError('convert needs --to json', usage);
  const leadingText = values['leading-text'] ?? 'reject';
  if (leadingText !== 'skip' && leadingText !== 'reject') throw new UsageError('--leading-text takes skip or reject', usage);
  if (positionals.length !== 1) throw new UsageError('convert takes one FILE or - (standard input)', usage);
  const path = positionals[0]!;
  let open: Reopen;
  if (path === '-') {
    const bytes = await bufferAll(context.stdin);
    open = () => bytes;
  } else {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw new UsageError(`no such file: ${path}`, usage);
    open = reopenFile(path);
  }
  const report = await validateX12(open(), { leadingText });
  const models = await readModels(report, open, leadingText);
  const document = { path, verdict: report.verdict, ...modelsAsJson(models), report: withoutBadValues(report) };
  context.stdout(JSON.stringify(document, null, 2) + '\n');
  return anyRejected(report) ? ExitCode.rejected : ExitCode.ok;
}
