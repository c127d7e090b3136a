/**
 * What every `claimpath` sub-command shares: the command shape, exit codes, usage errors, and
 * argument parsing on top of `node:util` parseArgs with one-line messages for people.
 *
 * A new sub-command (submit, rules, queue…) is a {@link CliCommand} registered in `main.ts`; it
 * parses its arguments with {@link parseCommandArgs} and throws {@link UsageError} for anything the
 * user got wrong, which `main.ts` turns into exit code 2 with the command's usage.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Exit codes of every sub-command. */
export const ExitCode = {
  /** Everything went through (for `check`: every file accepted, possibly with errors noted). */
  ok: 0,
  /** The input was rejected (for `check`: any file, interchange, group or set rejected). */
  rejected: 1,
  /** The command line was wrong: unknown option, missing file… */
  usage: 2,
  /** An unexpected exception: a bug, or the environment failed under us. */
  internal: 3,
  /** Not logged in, or the API refused the token (`claimpath queue`): run `claimpath login`. */
  unauthorized: 4,
} as const;

/** Where a command reads and writes; injected so a command can run in-process in a test. */
export interface CliContext {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: AsyncIterable<Uint8Array | string>;
  env: Readonly<Record<string, string | undefined>>;
}

export interface CliCommand {
  /** The sub-command word, e.g. `check`. */
  name: string;
  /** One line for `claimpath --help`. */
  summary: string;
  /** The command's full usage text (printed by `--help` and after a usage error). */
  usage: string;
  /** Run with the arguments after the sub-command word; resolves to the exit code. */
  run(argv: readonly string[], context: CliContext): Promise<number>;
}

/** The user got the command line wrong. The message is one line; `usage` is printed after it. */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  constructor(
    message: string,
    /** The usage text of the command concerned. */
    readonly usage: string,
  ) {
    super(message);
  }
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/**
 * Parse a sub-command's arguments strictly (unknown options are errors) and allow positionals.
 * parseArgs' own errors become {@link UsageError}s with a short message.
 *
 * @example
 * const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } }, usage);
 */
export function parseCommandArgs<T extends OptionsConfig>(argv: readonly string[], options: T, usage: string) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(parseErrorMessage(error), usage);
  }
}

/** A one-line message for a parseArgs error (its own messages run on with advice about `--`). */
function parseErrorMessage(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'([^']+)'/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message.split('. ')[0]!.replace(/^Option/, 'option');
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${option ?? ''}`.trim();
    default:
      throw error;
  }
}
