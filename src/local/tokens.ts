/**
 * Local tokens: what stands in for Cognito when the system runs on one machine. `claimpath login`
 * issues an ID token shaped as Cognito issues one (`sub`, `custom:tenant`, `cognito:groups`, `iss`,
 * `aud`, `iat`, `exp`, `token_use: 'id'`), signed with HS256 by a key that never leaves the machine;
 * the local API server verifies it the way the HTTP API's JWT authorizer verifies Cognito's tokens
 * (signature, algorithm, issuer, audience, expiry) before any handler runs.
 *
 * The signing key is 32 random bytes in `<dataDirectory>/local-signing-key` (mode 0600, created on
 * first use), or held in memory (tests, `--in-memory`). Anyone who can read that file can mint tokens
 * for any tenant, exactly as anyone holding the local data can read every claim: the local system is
 * one trust domain, reachable on loopback only.
 *
 * Nothing here logs or throws a token's content: errors name the file and the problem only.
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { link, mkdir, open, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { RoleSchema, UserIdSchema, type Role } from '../../schemas/worklist-api.schema.ts';
import { TradingPartnerSettingsSchema } from '../claims/ports.ts';

/** `iss` of local tokens (Cognito's is `https://cognito-idp.<region>.amazonaws.com/<pool id>`). */
export const LOCAL_TOKEN_ISSUER = 'urn:claimpath:local';
/** `aud` of local tokens: the local worklist "client" (Cognito's is the app client id). */
export const LOCAL_TOKEN_AUDIENCE = 'claimpath-worklist-local';
/** The signing key's file name in the data directory. */
export const LOCAL_SIGNING_KEY_FILE = 'local-signing-key';
/** Bytes of an HS256 key: the size of the hash (RFC 7518 §3.2 asks for at least this). */
export const SIGNING_KEY_BYTES = 32;
/** Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 30;

/** The roles a local token may carry, one Cognito group each: the worklist API's roles. */
export const LOCAL_ROLES = RoleSchema.options;
export type LocalRole = Role;

/** Tenant ids as the S3 prefixes and the trading-partner settings spell them. */
const TenantIdSchema = TradingPartnerSettingsSchema.shape.tenant;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The claims of a local ID token, as Cognito puts them in an ID token. */
export interface LocalTokenClaims {
  sub: string;
  'custom:tenant': string;
  'cognito:groups': string[];
  iss: string;
  aud: string;
  iat: number;
  exp: number;
  token_use: 'id';
}

/**
 * What the verifier checks the payload against. Only the claims the API Gateway JWT authorizer looks at
 * are required to have a shape (`exp` present; `nbf`, `iat` numbers when present; `aud` or `client_id`);
 * other claims pass through as they are, for the handler to judge (a token without `custom:tenant` is
 * the handler's 403, not the authorizer's 401).
 */
const VerifiedPayloadSchema = z.looseObject({
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  client_id: z.string().optional(),
  exp: z.number(),
  nbf: z.number().optional(),
  iat: z.number().optional(),
  sub: z.string().optional(),
});

const HeaderSchema = z.looseObject({ alg: z.string(), typ: z.string().optional(), kid: z.string().optional() });

/** Why a token was refused; said to no caller (they all get the same 401), useful in tests and logs. */
export type TokenRejection = 'malformed' | 'algorithm' | 'signature' | 'issuer' | 'audience' | 'expired' | 'not-yet-valid' | 'issued-in-future';

/** The verdict on a token: its claims, or why it was refused. */
export type TokenVerification =
  | { readonly valid: true; readonly claims: Readonly<Record<string, unknown>> & { readonly iss: string; readonly exp: number } }
  | { readonly valid: false; readonly reason: TokenRejection };

/** Checks bearer tokens (what the local API server needs; on AWS, the JWT authorizer). */
export interface TokenVerifier {
  verify(token: string): TokenVerification;
}

/** What a token is issued for. */
export interface TokenRequest {
  user: string;
  tenant: string;
  roles: readonly LocalRole[];
  /** How long the token is valid (default one hour, as Cognito's ID tokens of this project). */
  lifetimeSeconds?: number;
}

/** A token and its claims. */
export interface IssuedToken {
  token: string;
  claims: LocalTokenClaims;
}

/** Options of {@link LocalTokenAuthority}. */
export interface LocalTokenAuthorityOptions {
  issuer?: string;
  audience?: string;
  clockSkewSeconds?: number;
  /** The current time in milliseconds (tests). */
  now?: () => number;
}

/** A token request or the signing key is not usable. Messages name the problem, never a token. */
export class LocalTokenError extends Error {
  override readonly name = 'LocalTokenError';

  constructor(
    message: string,
    /** `request`: the user, tenant, roles or lifetime asked for; `key`: the signing key or its file. */
    readonly problem: 'request' | 'key',
  ) {
    super(message);
  }
}

/** Default lifetime of a local token: one hour, as the user pool's ID tokens. */
const DEFAULT_LIFETIME_SECONDS = 3600;
/** The longest a local token may live: one day, Cognito's maximum for ID tokens. */
export const MAX_LIFETIME_SECONDS = 24 * 3600;

/**
 * Issues and verifies local ID tokens with one HS256 key.
 *
 * @example
 * const authority = new LocalTokenAuthority(await loadOrCreateSigningKey('.data'));
 * const { token } = authority.issue({ user: 'coder1', tenant: 'acme', roles: ['coder'] });
 * authority.verify(token); // { valid: true, claims: { sub: 'coder1', 'custom:tenant': 'acme', … } }
 */
export class LocalTokenAuthority implements TokenVerifier {
  readonly issuer: string;
  readonly audience: string;
  private readonly key: Buffer;
  private readonly keyId: string;
  private readonly clockSkewSeconds: number;
  private readonly now: () => number;

  constructor(key: Uint8Array, options: LocalTokenAuthorityOptions = {}) {
    if (key.length < SIGNING_KEY_BYTES) throw new LocalTokenError(`the signing key must have at least ${SIGNING_KEY_BYTES} bytes`, 'key');
    // A copy: the caller's buffer may be reused or zeroed.
    this.key = Buffer.from(key);
    // Names the key without revealing it, as Cognito's `kid` names the key of its JWKS.
    this.keyId = createHash('sha256').update(this.key).digest('base64url').slice(0, 16);
    this.issuer = options.issuer ?? LOCAL_TOKEN_ISSUER;
    this.audience = options.audience ?? LOCAL_TOKEN_AUDIENCE;
    this.clockSkewSeconds = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
    this.now = options.now ?? Date.now;
  }

  /** Sign an ID token for `request`. Throws {@link LocalTokenError} for an invalid user, tenant, role or lifetime. */
  issue(request: TokenRequest): IssuedToken {
    const lifetime = checkTokenRequest(request);
    const issuedAt = Math.floor(this.now() / 1000);
    const claims: LocalTokenClaims = {
      sub: request.user,
      'custom:tenant': request.tenant,
      // Each role once, in a stable order: the same request gives the same groups.
      'cognito:groups': LOCAL_ROLES.filter((role) => request.roles.includes(role)),
      iss: this.issuer,
      aud: this.audience,
      iat: issuedAt,
      exp: issuedAt + Math.round(lifetime),
      token_use: 'id',
    };
    const header = { alg: 'HS256', typ: 'JWT', kid: this.keyId };
    const signingInput = `${encodeJson(header)}.${encodeJson(claims)}`;
    return { token: `${signingInput}.${this.sign(signingInput)}`, claims };
  }

  /**
   * Verify `token` as the API Gateway JWT authorizer does: three base64url parts, `alg` exactly HS256
   * (`none` and every other algorithm refused before the signature is looked at), the HMAC compared in
   * constant time, then `iss`, `aud` (or `client_id`), `exp`, `nbf` and `iat` with a small clock skew.
   */
  verify(token: string): TokenVerification {
    const parts = token.split('.');
    if (parts.length !== 3 || parts.some((part) => part.length === 0 || !BASE64URL.test(part))) return refuse('malformed');
    const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];

    const header = HeaderSchema.safeParse(decodeJson(encodedHeader));
    if (!header.success) return refuse('malformed');
    // The algorithm is ours to choose, not the token's: anything but HS256 is refused outright.
    if (header.data.alg !== 'HS256') return refuse('algorithm');

    // Compared as text, not as decoded bytes: a signature's other spellings (base64url's unused low
    // bits of the last character) are refused too, so one token has one signature.
    const expected = Buffer.from(this.sign(`${encodedHeader}.${encodedPayload}`), 'ascii');
    const given = Buffer.from(encodedSignature, 'ascii');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return refuse('signature');

    const payload = VerifiedPayloadSchema.safeParse(decodeJson(encodedPayload));
    if (!payload.success) return refuse('malformed');
    const claims = payload.data;
    if (claims.iss !== this.issuer) return refuse('issuer');
    const audiences = claims.aud === undefined ? [] : Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(this.audience) && claims.client_id !== this.audience) return refuse('audience');
    const nowSeconds = this.now() / 1000;
    if (claims.exp <= nowSeconds - this.clockSkewSeconds) return refuse('expired');
    if (claims.nbf !== undefined && claims.nbf > nowSeconds + this.clockSkewSeconds) return refuse('not-yet-valid');
    if (claims.iat !== undefined && claims.iat > nowSeconds + this.clockSkewSeconds) return refuse('issued-in-future');
    return { valid: true, claims };
  }

  private sign(signingInput: string): string {
    return createHmac('sha256', this.key).update(signingInput).digest('base64url');
  }
}

/**
 * Check a token request without issuing anything (a command can refuse a bad request before it
 * touches the key); returns the lifetime in seconds. Throws {@link LocalTokenError} (`request`).
 */
export function checkTokenRequest(request: TokenRequest): number {
  const lifetime = request.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS;
  if (!UserIdSchema.safeParse(request.user).success) throw new LocalTokenError('the user id must be 1 to 128 letters, digits or . _ @ + : -', 'request');
  if (!TenantIdSchema.safeParse(request.tenant).success) throw new LocalTokenError('the tenant must be 1 to 64 letters, digits, _ or -', 'request');
  if (request.roles.length === 0) throw new LocalTokenError('a token needs at least one role', 'request');
  for (const role of request.roles) {
    if (!(LOCAL_ROLES as readonly string[]).includes(role)) throw new LocalTokenError(`unknown role ${role}: use ${LOCAL_ROLES.join(', ')}`, 'request');
  }
  if (!Number.isFinite(lifetime) || lifetime <= 0 || lifetime > MAX_LIFETIME_SECONDS) {
    throw new LocalTokenError(`the lifetime must be more than 0 and at most ${MAX_LIFETIME_SECONDS} seconds`, 'request');
  }
  return lifetime;
}

/** 32 new random bytes: a signing key for {@link LocalTokenAuthority} kept in memory. */
export function generateSigningKey(): Buffer {
  return randomBytes(SIGNING_KEY_BYTES);
}

/**
 * The local signing key of `dataDirectory`: read from `<dataDirectory>/local-signing-key`, or created
 * there (32 random bytes, mode 0600) when missing. Creation is atomic — the key is written to a
 * private temporary file and hard-linked into place — so two processes starting at once agree on one
 * key. Refuses a key file of the wrong size, and (outside Windows) one that others may read.
 */
export async function loadOrCreateSigningKey(dataDirectory: string): Promise<Buffer> {
  const path = join(dataDirectory, LOCAL_SIGNING_KEY_FILE);
  await mkdir(dataDirectory, { recursive: true, mode: 0o700 });
  const temporary = join(dataDirectory, `.${LOCAL_SIGNING_KEY_FILE}.${randomUUID()}.tmp`);
  try {
    await writeFile(temporary, generateSigningKey(), { mode: 0o600, flag: 'wx' });
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  return readSigningKey(path);
}

async function readSigningKey(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const stats = await handle.stat();
    if (process.platform !== 'win32' && (stats.mode & 0o077) !== 0) {
      throw new LocalTokenError(`${path} may be read by other users: run chmod 600 on it (or delete it to make a new key)`, 'key');
    }
    const key = await handle.readFile();
    if (key.length !== SIGNING_KEY_BYTES) {
      throw new LocalTokenError(`${path} does not hold a ${SIGNING_KEY_BYTES}-byte key: delete it to make a new one (tokens signed with the old key stop working)`, 'key');
    }
    return key;
  } finally {
    await handle.close();
  }
}

function refuse(reason: TokenRejection): TokenVerification {
  return { valid: false, reason };
}

function encodeJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** The JSON a base64url part holds, or undefined when it is not JSON. */
function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
