/**
 * Local tokens: issued with Cognito's ID-token claims, verified as the API Gateway JWT authorizer
 * verifies (HS256 only, signature in constant time, issuer, audience, expiry with a small skew), and
 * the signing key file created once, atomically, readable by its owner only.
 */
import { createHmac } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LOCAL_SIGNING_KEY_FILE,
  LOCAL_TOKEN_AUDIENCE,
  LOCAL_TOKEN_ISSUER,
  LocalTokenAuthority,
  LocalTokenError,
  loadOrCreateSigningKey,
  type TokenRequest,
} from '../../src/local/tokens.ts';

const key = Buffer.alloc(32, 7);
const otherKey = Buffer.alloc(32, 9);
/** 2026-04-01T12:00:00Z. */
const T0 = Date.UTC(2026, 3, 1, 12, 0, 0);
const at = (milliseconds: number) => () => milliseconds;
const coder: TokenRequest = { user: 'coder1', tenant: 'acme', roles: ['coder'] };

function encode(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** A token with any header and payload, HMAC-signed with `signingKey` (forgeries of every kind). */
function rawToken(header: unknown, payload: unknown, signingKey: Buffer = key, hash = 'sha256'): string {
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${createHmac(hash, signingKey).update(input).digest('base64url')}`;
}

function validPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = Math.floor(T0 / 1000);
  return { sub: 'coder1', 'custom:tenant': 'acme', 'cognito:groups': ['coder'], iss: LOCAL_TOKEN_ISSUER, aud: LOCAL_TOKEN_AUDIENCE, iat, exp: iat + 3600, token_use: 'id', ...overrides };
}

describe('LocalTokenAuthority.issue', () => {
  test("carries Cognito's ID-token claims, roles once each in a fixed order, one hour by default", () => {
    const authority = new LocalTokenAuthority(key, { now: at(T0) });
    const { token, claims } = authority.issue({ user: 'coder1', tenant: 'acme', roles: ['supervisor', 'coder', 'coder'] });
    const iat = T0 / 1000;
    expect(claims).toEqual({ sub: 'coder1', 'custom:tenant': 'acme', 'cognito:groups': ['coder', 'supervisor'], iss: 'urn:claimpath:local', aud: 'claimpath-worklist-local', iat, exp: iat + 3600, token_use: 'id' });
    const [header, payload] = token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT', kid: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/) });
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toEqual(claims);
    expect(authority.verify(token)).toEqual({ valid: true, claims });
  });

  test('takes a lifetime up to one day and refuses bad users, tenants, roles and lifetimes', () => {
    const authority = new LocalTokenAuthority(key, { now: at(T0) });
    expect(authority.issue({ ...coder, lifetimeSeconds: 86_400 }).claims.exp).toBe(T0 / 1000 + 86_400);
    const refused = (request: TokenRequest): string => {
      try {
        authority.issue(request);
        return 'issued';
      } catch (error) {
        return error instanceof LocalTokenError ? `${error.problem}: ${error.message}` : 'other error';
      }
    };
    expect(refused({ ...coder, user: 'Jane Doe' })).toBe('request: the user id must be 1 to 128 letters, digits or . _ @ + : -');
    expect(refused({ ...coder, tenant: 'acme/other' })).toBe('request: the tenant must be 1 to 64 letters, digits, _ or -');
    expect(refused({ ...coder, roles: [] })).toBe('request: a token needs at least one role');
    expect(refused({ ...coder, roles: ['root' as 'admin'] })).toBe('request: unknown role root: use coder, biller, supervisor, admin');
    expect(refused({ ...coder, lifetimeSeconds: 86_401 })).toBe('request: the lifetime must be more than 0 and at most 86400 seconds');
    expect(refused({ ...coder, lifetimeSeconds: 0 })).toBe('request: the lifetime must be more than 0 and at most 86400 seconds');
  });

  test('refuses a key shorter than 32 bytes', () => {
    expect(() => new LocalTokenAuthority(Buffer.alloc(16))).toThrow('the signing key must have at least 32 bytes');
  });
});

describe('LocalTokenAuthority.verify', () => {
  const authority = new LocalTokenAuthority(key, { now: at(T0) });
  const header = { alg: 'HS256', typ: 'JWT' };

  test('accepts a well-signed token and passes its other claims through', () => {
    const verdict = authority.verify(rawToken(header, validPayload({ 'cognito:username': 'coder1', nbf: T0 / 1000 })));
    expect(verdict).toEqual({ valid: true, claims: validPayload({ 'cognito:username': 'coder1', nbf: T0 / 1000 }) });
  });

  test('refuses a token whose payload was changed after signing (another tenant)', () => {
    const token = authority.issue(coder).token;
    const [encodedHeader, , signature] = token.split('.');
    const forged = `${encodedHeader}.${encode(validPayload({ 'custom:tenant': 'other-office' }))}.${signature}`;
    expect(authority.verify(forged)).toEqual({ valid: false, reason: 'signature' });
  });

  test('refuses a token signed with another key, and another spelling of a valid signature', () => {
    expect(authority.verify(new LocalTokenAuthority(otherKey, { now: at(T0) }).issue(coder).token)).toEqual({ valid: false, reason: 'signature' });
    const token = authority.issue(coder).token;
    const signature = token.split('.')[2]!;
    // 32 bytes are 43 base64url characters: the last one carries 4 unused bits.
    const last = signature.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1]!;
    const respelled = `${token.slice(0, -1)}${sibling}`;
    expect(Buffer.from(respelled.split('.')[2]!, 'base64url')).toEqual(Buffer.from(signature, 'base64url'));
    expect(authority.verify(respelled)).toEqual({ valid: false, reason: 'signature' });
  });

  test('refuses alg none and every algorithm but HS256, whatever the signature', () => {
    const payload = encode(validPayload());
    expect(authority.verify(`${encode({ alg: 'none', typ: 'JWT' })}.${payload}.`)).toEqual({ valid: false, reason: 'malformed' });
    expect(authority.verify(`${encode({ alg: 'none', typ: 'JWT' })}.${payload}.AAAA`)).toEqual({ valid: false, reason: 'algorithm' });
    expect(authority.verify(rawToken({ alg: 'HS512', typ: 'JWT' }, validPayload(), key, 'sha512'))).toEqual({ valid: false, reason: 'algorithm' });
    expect(authority.verify(rawToken({ alg: 'RS256', typ: 'JWT' }, validPayload()))).toEqual({ valid: false, reason: 'algorithm' });
    expect(authority.verify(rawToken({ alg: 'hs256', typ: 'JWT' }, validPayload()))).toEqual({ valid: false, reason: 'algorithm' });
  });

  test('refuses what is not a JWT', () => {
    expect(authority.verify('')).toEqual({ valid: false, reason: 'malformed' });
    expect(authority.verify('abc.def')).toEqual({ valid: false, reason: 'malformed' });
    expect(authority.verify(`${authority.issue(coder).token}.extra`)).toEqual({ valid: false, reason: 'malformed' });
    expect(authority.verify('a+b.c/d.e=f')).toEqual({ valid: false, reason: 'malformed' });
    expect(authority.verify(rawToken('not json', validPayload()))).toEqual({ valid: false, reason: 'malformed' });
    expect(authority.verify(rawToken(header, 'not json'))).toEqual({ valid: false, reason: 'malformed' });
    // Signed, but without the expiry the authorizer requires.
    const { exp: _exp, ...withoutExpiry } = validPayload();
    expect(authority.verify(rawToken(header, withoutExpiry))).toEqual({ valid: false, reason: 'malformed' });
  });

  test('refuses another issuer and another audience; takes the audience from client_id too (access tokens)', () => {
    expect(authority.verify(rawToken(header, validPayload({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_x' })))).toEqual({ valid: false, reason: 'issuer' });
    expect(authority.verify(rawToken(header, validPayload({ aud: 'another-client' })))).toEqual({ valid: false, reason: 'audience' });
    expect(authority.verify(rawToken(header, validPayload({ aud: undefined })))).toEqual({ valid: false, reason: 'audience' });
    expect(authority.verify(rawToken(header, validPayload({ aud: undefined, client_id: LOCAL_TOKEN_AUDIENCE, token_use: 'access' }))).valid).toBe(true);
    expect(authority.verify(rawToken(header, validPayload({ aud: ['another-client', LOCAL_TOKEN_AUDIENCE] }))).valid).toBe(true);
  });

  test('expiry, not-before and issued-at, with 30 seconds of clock skew', () => {
    const token = authority.issue(coder).token; // exp = T0 + 3600 s
    const later = (seconds: number) => new LocalTokenAuthority(key, { now: at(T0 + seconds * 1000) });
    expect(later(3600 + 29).verify(token).valid).toBe(true);
    expect(later(3600 + 30).verify(token)).toEqual({ valid: false, reason: 'expired' });
    expect(later(86_400).verify(token)).toEqual({ valid: false, reason: 'expired' });

    const notBefore = rawToken(header, validPayload({ nbf: T0 / 1000 + 60 }));
    expect(authority.verify(notBefore)).toEqual({ valid: false, reason: 'not-yet-valid' });
    expect(later(31).verify(notBefore).valid).toBe(true);

    const fromTheFuture = rawToken(header, validPayload({ iat: T0 / 1000 + 31, exp: T0 / 1000 + 3600 }));
    expect(authority.verify(fromTheFuture)).toEqual({ valid: false, reason: 'issued-in-future' });
    expect(authority.verify(rawToken(header, validPayload({ iat: T0 / 1000 + 30 }))).valid).toBe(true);
  });
});

describe('loadOrCreateSigningKey', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'claimpath-key-'));
  });
  afterEach(async () => rm(directory, { recursive: true, force: true }));

  test('creates 32 random bytes readable by the owner only, then reads the same key back', async () => {
    const dataDirectory = join(directory, 'data');
    const created = await loadOrCreateSigningKey(dataDirectory);
    const path = join(dataDirectory, LOCAL_SIGNING_KEY_FILE);
    expect(created.length).toBe(32);
    expect(await readFile(path)).toEqual(created);
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateSigningKey(dataDirectory)).toEqual(created);
    expect(created.equals(Buffer.alloc(32))).toBe(false);
  });

  test('processes starting at once agree on one key and leave no temporary file', async () => {
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateSigningKey(directory)));
    for (const other of keys) expect(other).toEqual(keys[0]);
    expect(await readdir(directory)).toEqual([LOCAL_SIGNING_KEY_FILE]);
  });

  test('refuses a key file of the wrong size, or one others may read', async () => {
    const path = join(directory, LOCAL_SIGNING_KEY_FILE);
    await writeFile(path, Buffer.alloc(16, 1), { mode: 0o600 });
    await expect(loadOrCreateSigningKey(directory)).rejects.toThrow(`${path} does not hold a 32-byte key: delete it to make a new one`);
    if (process.platform === 'win32') return;
    await writeFile(path, Buffer.alloc(32, 1));
    await chmod(path, 0o644);
    await expect(loadOrCreateSigningKey(directory)).rejects.toThrow(`${path} may be read by other users: run chmod 600 on it`);
  });
});
