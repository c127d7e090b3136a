/**
 * The local API server on a random loopback port, with a stub handler that records the events it gets:
 * missing, forged, expired, wrong-audience and wrong-algorithm tokens are refused with API Gateway's
 * 401 before the handler runs; a good token reaches the handler as a payload 2.0 event with the claims
 * flattened as the JWT authorizer flattens them; unknown routes are 404; bodies above 1 MiB are 413;
 * the handler's results are written back as API Gateway writes them; the page is served without a
 * token and nothing outside web/ is.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { DEFAULT_WEB_DIRECTORY, MAX_BODY_BYTES, startApiServer, WORKLIST_API_ROUTES, type ApiRequestEntry, type ApiServer } from '../../src/local/api-server.ts';
import { LocalTokenAuthority, LOCAL_TOKEN_AUDIENCE, LOCAL_TOKEN_ISSUER } from '../../src/local/tokens.ts';

const key = Buffer.alloc(32, 3);
const authority = new LocalTokenAuthority(key);
const goodToken = authority.issue({ user: 'coder1', tenant: 'acme', roles: ['supervisor', 'coder'] }).token;

interface Call {
  event: APIGatewayProxyEventV2WithJWTAuthorizer;
  context: Context;
}

const calls: Call[] = [];
const entries: ApiRequestEntry[] = [];
/** What the stub answers next (default: an echo of what it received). */
let nextResult: ((event: APIGatewayProxyEventV2WithJWTAuthorizer) => Promise<APIGatewayProxyResultV2>) | undefined;

async function stubHandler(event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context): Promise<APIGatewayProxyResultV2> {
  calls.push({ event, context });
  if (nextResult) return nextResult(event);
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ routeKey: event.routeKey, claims: event.requestContext.authorizer.jwt.claims }) };
}

let server: ApiServer;
let slowServer: ApiServer;
let webDirectory: string;

beforeAll(async () => {
  webDirectory = await mkdtemp(join(tmpdir(), 'claimpath-web-'));
  await writeFile(join(webDirectory, 'index.html'), '<!doctype html><title>test page</title>');
  await writeFile(join(webDirectory, 'app.js'), 'export {};');
  await writeFile(join(webDirectory, 'notes.md'), 'not served: unknown type');
  await writeFile(join(webDirectory, '.hidden.js'), 'not served: dot file');
  server = await startApiServer({ handler: stubHandler, verifier: authority, port: 0, webDirectory, onRequest: (entry) => entries.push(entry) });
  slowServer = await startApiServer({
    handler: () => new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200 }), 300)),
    verifier: authority,
    port: 0,
    webDirectory: false,
    handlerTimeoutMs: 100,
  });
});

afterAll(async () => {
  await server.close();
  await slowServer.close();
  await rm(webDirectory, { recursive: true, force: true });
});

beforeEach(() => {
  calls.length = 0;
  entries.length = 0;
  nextResult = undefined;
});

/** A request to the API with `token` as bearer (`null`: no Authorization header). */
function api(path: string, init: RequestInit = {}, token: string | null = goodToken): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token !== null) headers.set('authorization', `Bearer ${token}`);
  return fetch(`${server.url}/api${path}`, { ...init, headers });
}

/** A raw request (repeated headers, chunked bodies, other Host headers: what fetch will not send). */
function raw(options: { path: string; method?: string; headers?: Record<string, string | string[]>; chunks?: Buffer[] }): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${server.url}${options.path}`, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString() }));
    });
    request.on('error', reject);
    for (const chunk of options.chunks ?? []) request.write(chunk);
    request.end();
  });
}

describe('the authorizer', () => {
  const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  test.each([
    ['no Authorization header', null],
    ['an empty bearer token', ''],
    ['a token that is not a JWT', 'not-a-token'],
    ['a forged token (payload changed to another tenant, signature kept)', (() => {
      const [header, , signature] = goodToken.split('.');
      return `${header}.${encode({ ...payloadOf(goodToken), 'custom:tenant': 'other-office' })}.${signature}`;
    })()],
    ['a token signed with another key', new LocalTokenAuthority(Buffer.alloc(32, 4)).issue({ user: 'coder1', tenant: 'acme', roles: ['coder'] }).token],
    ['an expired token', new LocalTokenAuthority(key, { now: () => Date.now() - 2 * 3600 * 1000 }).issue({ user: 'coder1', tenant: 'acme', roles: ['coder'] }).token],
    ['a token for another audience', new LocalTokenAuthority(key, { audience: 'another-client' }).issue({ user: 'coder1', tenant: 'acme', roles: ['coder'] }).token],
    ['a token of another issuer', new LocalTokenAuthority(key, { issuer: 'https://elsewhere.example' }).issue({ user: 'coder1', tenant: 'acme', roles: ['coder'] }).token],
    ['an unsigned token (alg none)', `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payloadOf(goodToken))}.`],
  ])('%s: 401 Unauthorized, and the handler is not called', async (_case, token) => {
    const response = await api('/work-items?queue=coding', {}, token);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Unauthorized' });
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(calls).toHaveLength(0);
    expect(entries).toEqual([expect.objectContaining({ method: 'GET', routeKey: 'GET /work-items', statusCode: 401, refusal: 'unauthorized' })]);
  });

  test('every route refuses a missing, an expired and a forged token', async () => {
    const expired = new LocalTokenAuthority(key, { now: () => Date.now() - 2 * 3600 * 1000 }).issue({ user: 'coder1', tenant: 'acme', roles: ['coder'] }).token;
    const forged = new LocalTokenAuthority(Buffer.alloc(32, 9)).issue({ user: 'coder1', tenant: 'acme', roles: ['supervisor'] }).token;
    for (const route of WORKLIST_API_ROUTES) {
      const path = route.path.replace('{id}', 'acme-0001-hold').replace('{action}', 'take');
      for (const token of [null, expired, forged]) {
        const response = await api(path, route.method === 'POST' ? { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } } : {}, token);
        expect({ route: `${route.method} ${route.path}`, status: response.status }).toEqual({ route: `${route.method} ${route.path}`, status: 401 });
      }
    }
    expect(calls).toHaveLength(0);
  });

  test('a POST with a body and a bad token is refused without the body being read or passed on', async () => {
    const response = await api('/work-items/acme-1-hold/take', { method: 'POST', body: JSON.stringify({ any: 'thing' }), headers: { 'content-type': 'application/json' } }, 'bad.token.here');
    expect(response.status).toBe(401);
    expect(calls).toHaveLength(0);
  });

  test('a Basic credential is not a bearer token', async () => {
    const response = await raw({ path: '/api/work-items', headers: { authorization: 'Basic Y29kZXIxOnNlY3JldA==' } });
    expect(response.status).toBe(401);
    expect(calls).toHaveLength(0);
  });
});

describe('the event the handler gets', () => {
  test('payload 2.0 with the route, path and query parameters, lower-cased headers and the claims as API Gateway flattens them', async () => {
    const response = await raw({
      path: '/api/work-items/acme-0001-hold?queue=coding&reason=CO-50&reason=CO-97&note=a%20b',
      headers: { Authorization: `Bearer ${goodToken}`, 'X-Trace': ['one', 'two'], 'User-Agent': 'claimpath-test', Cookie: 'a=1; b=2' },
    });
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(1);
    const { event, context } = calls[0]!;
    const { iat, exp } = JSON.parse(Buffer.from(goodToken.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number };
    expect(event.requestContext.authorizer).toEqual({
      jwt: {
        claims: {
          sub: 'coder1',
          'custom:tenant': 'acme',
          'cognito:groups': '[coder supervisor]',
          iss: LOCAL_TOKEN_ISSUER,
          aud: LOCAL_TOKEN_AUDIENCE,
          iat: String(iat),
          exp: String(exp),
          token_use: 'id',
        },
        scopes: null,
      },
    });
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /work-items/{id}',
      rawPath: '/work-items/acme-0001-hold',
      rawQueryString: 'queue=coding&reason=CO-50&reason=CO-97&note=a%20b',
      queryStringParameters: { queue: 'coding', reason: 'CO-50,CO-97', note: 'a b' },
      pathParameters: { id: 'acme-0001-hold' },
      cookies: ['a=1', 'b=2'],
      isBase64Encoded: false,
    });
    expect(event.body).toBeUndefined();
    expect(event.headers).toMatchObject({ authorization: `Bearer ${goodToken}`, 'x-trace': 'one,two', 'user-agent': 'claimpath-test', host: `127.0.0.1:${server.port}`, 'x-forwarded-proto': 'http' });
    expect(event.headers.cookie).toBeUndefined();
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
    expect(event.requestContext).toMatchObject({
      routeKey: 'GET /work-items/{id}',
      stage: '$default',
      http: { method: 'GET', path: '/work-items/acme-0001-hold', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'claimpath-test' },
    });
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(5000);
    expect(response.headers['apigw-requestid']).toBe(event.requestContext.requestId);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(28_000);
    expect(context.functionName).toBe('claimpath-worklist-api-local');
    expect(JSON.parse(response.body)).toEqual({ routeKey: 'GET /work-items/{id}', claims: event.requestContext.authorizer.jwt.claims });
  });

  test('a POST action: both path parameters, the JSON body as text; a binary body base64-encoded', async () => {
    const body = JSON.stringify({ action: 'write-off', reason: 'small-balance' });
    expect((await api('/work-items/acme%2D1-hold/resolve', { method: 'POST', body, headers: { 'content-type': 'application/json' } })).status).toBe(200);
    expect(calls[0]!.event).toMatchObject({ routeKey: 'POST /work-items/{id}/{action}', rawPath: '/work-items/acme%2D1-hold/resolve', pathParameters: { id: 'acme-1-hold', action: 'resolve' }, body, isBase64Encoded: false });
    expect(calls[0]!.event.queryStringParameters).toBeUndefined();

    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    expect((await api('/work-items/acme-1-hold/corrections', { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } })).status).toBe(200);
    expect(calls[1]!.event).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
  });

  test('GET /api/openapi.json passes through to the handler like any route', async () => {
    nextResult = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"openapi":"3.1.0"}' });
    const response = await api('/openapi.json');
    expect(await response.json()).toEqual({ openapi: '3.1.0' });
    expect(calls.map((call) => call.event.routeKey)).toEqual(['GET /openapi.json']);
  });
});

describe('routes', () => {
  test.each([
    ['GET', '/api/claims'],
    ['DELETE', '/api/work-items/acme-1-hold'],
    ['GET', '/api/work-items/acme-1-hold/take'],
    ['POST', '/api/work-items'],
    ['GET', '/api/work-items/'],
    ['GET', '/api'],
  ])('%s %s matches no route: 404 Not Found, no token needed, the handler not called', async (method, path) => {
    const response = await raw({ path, method });
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toEqual({ message: 'Not Found' });
    expect(calls).toHaveLength(0);
  });

  test('are the routes the stack gives the HTTP API', async () => {
    const { worklistRoutes } = await import('../../infra/constructs/worklist-api-function.ts');
    expect(WORKLIST_API_ROUTES.map((route) => `${route.method} ${route.path}`)).toEqual(worklistRoutes.map((route) => `${route.method} ${route.path}`));
  });
});

describe('the body cap', () => {
  test('1 MiB is accepted; one byte more is 413 without calling the handler', async () => {
    const exactly = 'x'.repeat(MAX_BODY_BYTES);
    const accepted = await api('/work-items/acme-1-hold/wait', { method: 'POST', body: exactly, headers: { 'content-type': 'text/plain' } });
    expect(accepted.status).toBe(200);
    expect(calls[0]!.event.body).toHaveLength(MAX_BODY_BYTES);

    const refused = await api('/work-items/acme-1-hold/wait', { method: 'POST', body: `${exactly}x`, headers: { 'content-type': 'text/plain' } });
    expect(refused.status).toBe(413);
    expect(await refused.json()).toEqual({ message: 'Request Entity Too Large' });
    expect(calls).toHaveLength(1);
  });

  test('a chunked body (no length declared) that grows past 1 MiB is 413 too', async () => {
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    const response = await raw({
      path: '/api/work-items/acme-1-hold/wait',
      method: 'POST',
      headers: { authorization: `Bearer ${goodToken}`, 'content-type': 'text/plain', 'transfer-encoding': 'chunked' },
      chunks: [chunk, chunk, chunk, chunk, chunk],
    });
    expect(response.status).toBe(413);
    expect(calls).toHaveLength(0);
  });
});

describe('the handler result', () => {
  test('a structured result keeps its status, headers, cookies and base64 body', async () => {
    nextResult = async () => ({ statusCode: 409, headers: { 'content-type': 'application/json', 'x-revision': 7 }, cookies: ['a=1', 'b=2'], body: Buffer.from('{"message":"changed"}').toString('base64'), isBase64Encoded: true });
    const response = await raw({ path: '/api/work-items/acme-1-hold', headers: { authorization: `Bearer ${goodToken}` } });
    expect(response.status).toBe(409);
    expect(response.body).toBe('{"message":"changed"}');
    expect(response.headers['x-revision']).toBe('7');
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });

  test('a string, or an object without statusCode, is inferred as 200 application/json', async () => {
    nextResult = async () => '{"items":[]}';
    const fromString = await api('/work-items');
    expect([fromString.status, fromString.headers.get('content-type'), await fromString.text()]).toEqual([200, 'application/json', '{"items":[]}']);
    nextResult = async () => ({ items: [] }) as unknown as APIGatewayProxyResultV2;
    const fromObject = await api('/work-items');
    expect([fromObject.status, fromObject.headers.get('content-type'), await fromObject.text()]).toEqual([200, 'application/json', '{"items":[]}']);
  });

  test('a handler that throws gives 500 Internal Server Error and nothing of its error', async () => {
    nextResult = async () => {
      throw new Error('claim of Jane Doe failed');
    };
    const response = await api('/work-items');
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('{"message":"Internal Server Error"}');
    expect(entries).toEqual([expect.objectContaining({ statusCode: 500, refusal: 'handler-error' })]);
  });

  test('a handler that takes longer than its timeout gives 503 Service Unavailable', async () => {
    const response = await fetch(`${slowServer.url}/api/work-items`, { headers: { authorization: `Bearer ${goodToken}` } });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ message: 'Service Unavailable' });
  });

  test('what onRequest is told holds no path, query or body', async () => {
    await api('/work-items/acme-0001-hold?payer=SECRETPAYER');
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries[0])).not.toMatch(/acme-0001|SECRETPAYER/);
    expect(entries[0]).toEqual({ requestId: expect.any(String), method: 'GET', routeKey: 'GET /work-items/{id}', statusCode: 200, durationMs: expect.any(Number) });
  });
});

describe('the page', () => {
  test('/ serves index.html without a token, with a content security policy', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(await response.text()).toBe('<!doctype html><title>test page</title>');
    const script = await fetch(`${server.url}/app.js`);
    expect([script.status, script.headers.get('content-type'), await script.text()]).toEqual([200, 'text/javascript; charset=utf-8', 'export {};']);
    expect(calls).toHaveLength(0);
  });

  test.each(['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/notes.md', '/.hidden.js', '/missing.js', '/app.js/', '//etc/passwd'])('%s is not served (404)', async (path) => {
    const response = await raw({ path });
    expect(response.status).toBe(404);
  });

  test('other methods than GET and HEAD are refused', async () => {
    const response = await raw({ path: '/', method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
  });

  test('a request naming another host (DNS rebinding) is refused', async () => {
    const response = await raw({ path: '/', headers: { host: 'evil.example:80' } });
    expect(response.status).toBe(421);
    const toApi = await raw({ path: '/api/work-items', headers: { host: 'evil.example', authorization: `Bearer ${goodToken}` } });
    expect(toApi.status).toBe(421);
    expect(calls).toHaveLength(0);
  });

  test("the repository's web/ page is what npm start serves", async () => {
    const page = await startApiServer({ handler: stubHandler, verifier: authority, port: 0 });
    try {
      const html = await (await fetch(`${page.url}/`)).text();
      expect(html).toContain('<script type="module" src="app.js"></script>');
      for (const asset of ['app.js', 'style.css']) expect((await fetch(`${page.url}/${asset}`)).status).toBe(200);
    } finally {
      await page.close();
    }
    expect(DEFAULT_WEB_DIRECTORY.endsWith('web')).toBe(true);
  });
});
