/**
 * `claimpath login`: a local ID token for the worklist API that `npm start` serves — what signing in
 * to Cognito gives on AWS. The token is signed with the local signing key of the data folder (the key
 * the local API server verifies with) and saved to `~/.claimpath/token` for `claimpath queue`, or
 * printed (`--print`) for pasting into the worklist page.
 *
 * Exit: 0 issued, 2 usage error, 3 the signing key or the token file could not be used.
 */
import { homedir } from 'node:os';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  checkTokenRequest,
  LOCAL_ROLES,
  LocalTokenAuthority,
  LocalTokenError,
  loadOrCreateSigningKey,
  MAX_LIFETIME_SECONDS,
  type LocalRole,
  type TokenRequest,
} from '../local/tokens.ts';
import { ExitCode, parseCommandArgs, UsageError, type CliCommand, type CliContext } from './args.ts';

/** The repository's `.data`: the folder `npm start` keeps its data (and the signing key) in. */
const DEFAULT_DATA_DIRECTORY = fileURLToPath(new URL('../../.data', import.meta.url));
const DEFAULT_HOURS = 8;

const usage = `Usage: claimpath login --user U --tenant T --role R [--role R2 ...] [--hours H] [--data DIR] [--print]

Issue a token for the local worklist API (npm start), signed with the local signing key, and save it
to ~/.claimpath/token (mode 0600) for 'claimpath queue'.

  --user U       the user id (the token's sub), e.g. coder1
  --tenant T     the billing office (the token's custom:tenant), e.g. acme
  --role R       coder, biller, supervisor or admin; repeat for several
  --hours H      how long the token is valid (default ${DEFAULT_HOURS}, at most ${MAX_LIFETIME_SECONDS / 3600})
  --data DIR     the data folder holding local-signing-key (default: env CLAIMPATH_DATA_DIR, else .data
                 in the repository: the folder npm start uses)
  --print        print the token on stdout instead of saving it (paste it into the worklist page)
  -h, --help     show this help

The token file is env CLAIMPATH_TOKEN_FILE when set.
Exit status: 0 issued, 2 usage error, 3 the signing key or the token file could not be used.`;

export const loginCommand: CliCommand = {
  name: 'login',
  summary: 'issue a token for the local worklist API (npm start)',
  usage,
  run: runLogin,
};

async function runLogin(argv: readonly string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      user: { type: 'string' },
      tenant: { type: 'string' },
      role: { type: 'string', multiple: true },
      hours: { type: 'string' },
      data: { type: 'string' },
      print: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    usage,
  );
  if (values.help) {
    context.stdout(usage + '\n');
    return ExitCode.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`, usage);
  if (values.user === undefined) throw new UsageError('--user is needed', usage);
  if (values.tenant === undefined) throw new UsageError('--tenant is needed', usage);
  const roles = values.role ?? [];
  if (roles.length === 0) throw new UsageError(`--role is needed (${LOCAL_ROLES.join(', ')})`, usage);
  for (const role of roles) {
    if (!isRole(role)) throw new UsageError(`unknown role ${role}: use ${LOCAL_ROLES.join(', ')}`, usage);
  }
  const hours = values.hours === undefined ? DEFAULT_HOURS : Number(values.hours);
  if (values.hours !== undefined && (values.hours.trim() === '' || !Number.isFinite(hours) || hours <= 0 || hours * 3600 > MAX_LIFETIME_SECONDS)) {
    throw new UsageError(`--hours takes a number of hours above 0 and at most ${MAX_LIFETIME_SECONDS / 3600}`, usage);
  }
  const dataDirectory = resolve(nonEmpty(values.data) ?? nonEmpty(context.env.CLAIMPATH_DATA_DIR) ?? DEFAULT_DATA_DIRECTORY);

  const request: TokenRequest = { user: values.user, tenant: values.tenant, roles: roles.filter(isRole), lifetimeSeconds: Math.round(hours * 3600) };
  try {
    // Before the key is touched: a mistyped command creates no file.
    checkTokenRequest(request);
  } catch (error) {
    if (error instanceof LocalTokenError) throw new UsageError(error.message, usage);
    throw error;
  }

  let token: string;
  let expiresAt: string;
  let groups: readonly string[];
  try {
    const issued = new LocalTokenAuthority(await loadOrCreateSigningKey(dataDirectory)).issue(request);
    token = issued.token;
    groups = issued.claims['cognito:groups'];
    expiresAt = new Date(issued.claims.exp * 1000).toISOString();
  } catch (error) {
    context.stderr(`claimpath login: no token issued: ${describeFailure(error)}\n`);
    return ExitCode.internal;
  }

  if (values.print) {
    context.stdout(token + '\n');
    return ExitCode.ok;
  }
  const tokenFile = tokenFilePath(context.env);
  try {
    await saveToken(tokenFile, token);
  } catch (error) {
    context.stderr(`claimpath login: the token could not be saved to ${tokenFile} (${describeFailure(error)})\n`);
    return ExitCode.internal;
  }
  context.stdout(
    `Logged in to the local worklist API as ${values.user} (tenant ${values.tenant}; roles ${groups.join(', ')}) until ${expiresAt}.\n` +
      `Token saved to ${tokenFile}; signing key in ${dataDirectory}.\n`,
  );
  return ExitCode.ok;
}

/**
 * Where the token is saved and read: env `CLAIMPATH_TOKEN_FILE`, else `~/.claimpath/token` (home from
 * env `HOME`, else the operating system's).
 */
export function tokenFilePath(env: CliContext['env']): string {
  const explicit = nonEmpty(env.CLAIMPATH_TOKEN_FILE);
  if (explicit !== undefined) return resolve(explicit);
  return join(nonEmpty(env.HOME) ?? homedir(), '.claimpath', 'token');
}

/**
 * The token to call the API with: env `CLAIMPATH_TOKEN`, else the saved token file; undefined when
 * there is neither (not logged in).
 */
export async function readSavedToken(env: CliContext['env']): Promise<string | undefined> {
  const fromEnvironment = nonEmpty(env.CLAIMPATH_TOKEN);
  if (fromEnvironment !== undefined) return fromEnvironment;
  try {
    return nonEmpty(await readFile(tokenFilePath(env), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Write the token readable by its owner only, replacing any older one in one step (rename). */
async function saveToken(path: string, token: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomUUID()}.tmp`;
  try {
    await writeFile(temporary, token + '\n', { mode: 0o600, flag: 'wx' });
    // The umask may have narrowed the mode; it can never have widened it, but say it plainly.
    await chmod(temporary, 0o600);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function isRole(role: string): role is LocalRole {
  return (LOCAL_ROLES as readonly string[]).includes(role);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * A key or file problem in words: our own messages (they name paths, never a token), else the error's
 * class and code — read by shape, since node's errors may come from another realm (tests).
 */
function describeFailure(error: unknown): string {
  if (error instanceof LocalTokenError) return error.message;
  if (error === null || typeof error !== 'object') return typeof error;
  const { name, code } = error as { name?: unknown; code?: unknown };
  const errorName = typeof name === 'string' ? name : 'Error';
  return typeof code === 'string' ? `${errorName}, ${code}` : errorName;
}
