/**
 * The `claimpath` command: dispatches to its sub-commands and owns what they share: help, exit codes,
 * usage errors (exit 2, one line and the usage) and unexpected exceptions (exit 3, one line naming
 * the error's class and never a stack trace, which could quote input, unless CLAIMPATH_DEBUG=1).
 *
 * Run as `npx claimpath …` (bin/claimpath.js) or `tsx src/cli/main.ts …`.
 */
import { isEntryPoint } from './entry-point.ts';
import { ExitCode, UsageError, type CliCommand, type CliContext } from './args.ts';
import { checkCommand } from './check.ts';
import { codesetsCommand } from './codesets.ts';
import { rulesCommand } from './rules.ts';
import { convertCommand } from './convert.ts';
import { submitCommand } from './submit.ts';
import { loginCommand } from './login.ts';
import { queueCommand } from './queue.ts';

/** The sub-commands, in the order `--help` lists them. Later commands (submit, rules, queue…) join here. */
const commands: readonly CliCommand[] = [checkCommand, convertCommand, submitCommand, loginCommand, queueCommand, rulesCommand, codesetsCommand];

const generalUsage = `Usage: claimpath <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run 'claimpath <command> --help' for a command's options.`;

/**
 * Run the CLI with `argv` (the arguments after the program name); resolves to the exit code.
 * Never throws: every failure is reported on stderr in one line.
 */
export async function main(argv: readonly string[], context: CliContext = processContext()): Promise<number> {
  const [commandName, ...rest] = argv;
  try {
    if (commandName === undefined) throw new UsageError('a command is needed', generalUsage);
    if (commandName === '--help' || commandName === '-h' || commandName === 'help') {
      context.stdout(generalUsage + '\n');
      return ExitCode.ok;
    }
    const command = commands.find((c) => c.name === commandName);
    if (!command) throw new UsageError(`unknown command: ${commandName}`, generalUsage);
    return await command.run(rest, context);
  } catch (error) {
    if (error instanceof UsageError) {
      context.stderr(`claimpath: ${error.message}\n\n${error.usage}\n`);
      return ExitCode.usage;
    }
    context.stderr(`claimpath: internal error (${errorName(error)})\n`);
    if (context.env.CLAIMPATH_DEBUG === '1' && error instanceof Error && error.stack) context.stderr(error.stack + '\n');
    return ExitCode.internal;
  }
}

/** The class name of what was thrown, which says what failed without quoting any data. */
function errorName(error: unknown): string {
  if (error instanceof Error) return error.name || error.constructor.name || 'Error';
  return typeof error;
}

/** The real process's streams and environment. */
export function processContext(): CliContext {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdin: process.stdin,
    env: process.env,
  };
}

/**
 * Run as a program: set the exit code (rather than calling process.exit, which could cut off
 * output still being written to a pipe) and stay quiet when the reader of stdout goes away.
 */
export async function runAsProgram(): Promise<void> {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.ok);
  });
  process.exitCode = await main(process.argv.slice(2));
}


if (isEntryPoint(import.meta.url)) await runAsProgram();
