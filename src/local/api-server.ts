/**
 * The local stand-in for the worklist's HTTP API (API Gateway, payload format 2.0, JWT authorizer):
 * a node:http server on 127.0.0.1 that serves the API under `/api/` and the coders' page (`web/`)
 * at `/`.
 *
 * For `/api/…` it does what API Gateway does before and after the Lambda function: match the request
 * to a route of {@link WORKLIST_API_ROUTES} (no match: 404 without calling anything), verify the bearer
 * token (missing, malformed, forged, expired, wrong issuer or audience: 401 `{"message":"Unauthorized"}`
 * without calling the handler), build the payload 2.0 event — claims flattened to strings as the
 * authorizer flattens them — call the handler with a Lambda-like context, and write its result back
 * (including API Gateway's inference for results without a status code). The handler is the same
 * module Lambda runs; only the token's signer differs (a local key instead of Cognito).
 *
 * The page and its scripts are served without a token: they hold no data, and fetch everything from
 * the API with the token the user pasted.
 *
 * Nothing is logged here; `onRequest` is told the method, route, status and duration of each API
 * request (never a path, a query or a body, which may identify a claim or hold PHI).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyResultV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { LOCAL_REGION } from './defaults.ts';
import { LOOPBACK_HOST } from './servers.ts';
import type { TokenVerifier } from './tokens.ts';

/** The handler as API Gateway calls it: a payload 2.0 event from a route behind a JWT authorizer. */
export type WorklistApiHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<APIGatewayProxyResultV2>;

/** A route of the HTTP API: method and path template (`{name}` is one path segment). */
export interface ApiRoute {
  readonly method: string;
  readonly path: string;
}

/**
 * The worklist API's routes, as the stateless stack declares them (infra/constructs/worklist-api-function.ts,
 * `worklistRoutes`; a test checks the two lists agree). A request matching none is API Gateway's 404.
 */
export const WORKLIST_API_ROUTES: readonly ApiRoute[] = [
  { method: 'GET', path: '/work-items' },
  { method: 'GET', path: '/work-items/{id}' },
  { method: 'POST', path: '/work-items/{id}/{action}' },
  { method: 'GET', path: '/openapi.json' },
];

/** Where the API is mounted on the local server (on AWS, the API has its own host name). */
export const API_PREFIX = '/api';
/** The largest request body accepted (API Gateway's own limit is higher; the API needs far less). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** API Gateway's integration timeout (the worklist function's is 29 s). */
const DEFAULT_HANDLER_TIMEOUT_MS = 29_000;
/** The name the function has locally (Powertools and logs read it from the context). */
const LOCAL_FUNCTION_NAME = 'claimpath-worklist-api-local';
/** The repository's `web/` folder: the page `npm start` serves. */
export const DEFAULT_WEB_DIRECTORY = fileURLToPath(new URL('../../web', import.meta.url));

/** Options of {@link startApiServer}. */
export interface ApiServerOptions {
  handler: WorklistApiHandler;
  /** Checks the bearer token of every API request before the handler sees it. */
  verifier: TokenVerifier;
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Folder of the page's static files (default: the repository's `web/`); `false` serves none. */
  webDirectory?: string | false;
  /** Routes the API has (default {@link WORKLIST_API_ROUTES}). */
  routes?: readonly ApiRoute[];
  /** Longest a handler call may take before the caller gets API Gateway's 503 (default 29 s). */
  handlerTimeoutMs?: number;
  /** Told each API request's outcome: ids and codes only. */
  onRequest?: (entry: ApiRequestEntry) => void;
}

/** One API request, as `onRequest` is told it. */
export interface ApiRequestEntry {
  requestId: string;
  method: string;
  /** The route matched (`GET /work-items/{id}`), or `-` when none did. */
  routeKey: string;
  statusCode: number;
  durationMs: number;
  /** Why a request was refused before the handler, when it was. */
  refusal?: 'no-route' | 'unauthorized' | 'too-large' | 'handler-error' | 'handler-timeout';
}

/** The running server. */
export interface ApiServer {
  /** `http://127.0.0.1:<port>`: the page is here, the API under `${url}/api`. */
  readonly url: string;
  readonly port: number;
  /** Stop listening, drop open connections, release the port. Safe to call twice. */
  close(): Promise<void>;
}

/** Content types whose bodies API Gateway hands over as text; other bodies arrive base64-encoded. */
const TEXT_CONTENT_TYPE = /^(text\/|application\/(json|[a-z0-9.+-]*\+json|javascript|xml|[a-z0-9.+-]*\+xml|x-www-form-urlencoded)\b)/i;

/** The static files the page may consist of, by extension. */
const STATIC_CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The page runs only its own scripts and talks only to this origin: no inline script, no third party,
 * no framing (the page shows PHI once a token is pasted).
 */
const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-cache',
};

/**
 * Start the local API server on 127.0.0.1. Resolves once it listens.
 *
 * @example
 * const authority = new LocalTokenAuthority(await loadOrCreateSigningKey('.data'));
 * const server = await startApiServer({ handler, verifier: authority, port: LOCAL_API_PORT });
 * // the page: server.url; the API: `${server.url}/api/work-items`
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const webDirectory = options.webDirectory === false ? undefined : await realpath(resolve(options.webDirectory ?? DEFAULT_WEB_DIRECTORY)).catch(() => undefined);
  const settings: Settings = {
    handler: options.handler,
    verifier: options.verifier,
    routes: (options.routes ?? WORKLIST_API_ROUTES).map(compileRoute),
    webDirectory,
    handlerTimeoutMs: options.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS,
    onRequest: options.onRequest,
    port: 0,
  };
  const server = createServer((request, response) => {
    handleRequest(request, response, settings).catch(() => {
      // A failure of the server's own code (not the handler's): the caller gets a bare 500.
      if (!response.headersSent) sendJson(response, 500, { message: 'Internal Server Error' });
      else response.destroy();
    });
  });
  // Slow or stuck clients must not hold sockets open for ever.
  server.requestTimeout = 60_000;
  server.headersTimeout = 30_000;
  const port = await listen(server, options.port);
  settings.port = port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${LOOPBACK_HOST}:${port}`,
    port,
    close: () => (closing ??= closeServer(server)),
  };
}

interface CompiledRoute {
  readonly method: string;
  readonly routeKey: string;
  /** Path segments: a literal, or `{ parameter }`. */
  readonly segments: readonly (string | { readonly parameter: string })[];
}

interface Settings {
  readonly handler: WorklistApiHandler;
  readonly verifier: TokenVerifier;
  readonly routes: readonly CompiledRoute[];
  readonly webDirectory: string | undefined;
  readonly handlerTimeoutMs: number;
  readonly onRequest: ((entry: ApiRequestEntry) => void) | undefined;
  port: number;
}

function compileRoute(route: ApiRoute): CompiledRoute {
  const segments = route.path
    .split('/')
    .slice(1)
    .map((segment) => {
      const parameter = /^\{([A-Za-z0-9_]+)\}$/.exec(segment)?.[1];
      return parameter === undefined ? segment : { parameter };
    });
  return { method: route.method.toUpperCase(), routeKey: `${route.method.toUpperCase()} ${route.path}`, segments };
}

async function handleRequest(request: IncomingMessage, response: ServerResponse, settings: Settings): Promise<void> {
  // Only names of this machine: a page on another site that rebinds its name to 127.0.0.1 gets nothing.
  const host = request.headers.host ?? '';
  if (host !== `${LOOPBACK_HOST}:${settings.port}` && host !== `localhost:${settings.port}`) {
    sendJson(response, 421, { message: 'Misdirected Request' }, { connection: 'close' });
    return;
  }
  const target = request.url ?? '/';
  const queryStart = target.indexOf('?');
  const path = queryStart === -1 ? target : target.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? '' : target.slice(queryStart + 1);
  if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) {
    await handleApiRequest(request, response, settings, path.slice(API_PREFIX.length) || '/', rawQueryString);
  } else {
    await handleStaticRequest(request, response, settings.webDirectory, path);
  }
}

// ── The API ──────────────────────────────────────────────────────────────────────────────────────

async function handleApiRequest(request: IncomingMessage, response: ServerResponse, settings: Settings, rawPath: string, rawQueryString: string): Promise<void> {
  const started = performance.now();
  const requestId = randomUUID();
  const method = (request.method ?? 'GET').toUpperCase();
  let routeKey = '-';
  const finish = (statusCode: number, refusal?: ApiRequestEntry['refusal']): void => {
    settings.onRequest?.({ requestId, method, routeKey, statusCode, durationMs: Math.round(performance.now() - started), ...(refusal ? { refusal } : {}) });
  };
  // API Gateway's own responses carry its request id, as every response of the API does.
  const gatewayHeaders = { 'apigw-requestid': requestId };

  const match = matchRoute(settings.routes, method, rawPath);
  if (match === undefined) {
    sendJson(response, 404, { message: 'Not Found' }, { ...gatewayHeaders, ...unreadBodyHeaders(request) });
    finish(404, 'no-route');
    return;
  }
  routeKey = match.route.routeKey;

  // The authorizer runs before anything reads the body or reaches the function.
  const token = bearerTokenOf(request.headers.authorization);
  const verification = token === undefined ? undefined : settings.verifier.verify(token);
  if (verification === undefined || !verification.valid) {
    sendJson(response, 401, { message: 'Unauthorized' }, { ...gatewayHeaders, 'www-authenticate': 'Bearer', ...unreadBodyHeaders(request) });
    finish(401, 'unauthorized');
    return;
  }

  const body = await readBody(request, MAX_BODY_BYTES);
  if (body === 'too-large') {
    sendJson(response, 413, { message: 'Request Entity Too Large' }, { ...gatewayHeaders, connection: 'close' });
    finish(413, 'too-large');
    return;
  }

  const event = buildEvent({ request, requestId, routeKey, rawPath, rawQueryString, pathParameters: match.pathParameters, body, claims: verification.claims, port: settings.port });
  const context = lambdaContext(requestId, settings.handlerTimeoutMs);
  let result: APIGatewayProxyResultV2 | 'timeout';
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<'timeout'>((resolveTimeout) => {
      timer = setTimeout(() => resolveTimeout('timeout'), settings.handlerTimeoutMs);
    });
    result = await Promise.race([settings.handler(event, context), timeout]);
  } catch {
    // As API Gateway: the function's error never reaches the caller.
    sendJson(response, 500, { message: 'Internal Server Error' }, gatewayHeaders);
    finish(500, 'handler-error');
    return;
  } finally {
    clearTimeout(timer);
  }
  if (result === 'timeout') {
    sendJson(response, 503, { message: 'Service Unavailable' }, gatewayHeaders);
    finish(503, 'handler-timeout');
    return;
  }
  const written = writeResult(response, result, gatewayHeaders);
  finish(written);
}

interface RouteMatch {
  route: CompiledRoute;
  pathParameters: Record<string, string> | undefined;
}

/** The route `method` and `rawPath` match, with the path parameters (decoded), or undefined. */
function matchRoute(routes: readonly CompiledRoute[], method: string, rawPath: string): RouteMatch | undefined {
  const segments = rawPath.split('/').slice(1);
  for (const route of routes) {
    if (route.method !== method || route.segments.length !== segments.length) continue;
    const parameters: Record<string, string> = {};
    let matches = true;
    for (let index = 0; index < segments.length && matches; index++) {
      const expected = route.segments[index]!;
      const actual = segments[index]!;
      if (typeof expected === 'string') matches = expected === actual;
      else {
        const decoded = decodeSegment(actual);
        matches = decoded !== undefined && decoded.length > 0;
        if (decoded !== undefined) parameters[expected.parameter] = decoded;
      }
    }
    if (matches) return { route, pathParameters: Object.keys(parameters).length > 0 ? parameters : undefined };
  }
  return undefined;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The token of an `Authorization` header: `Bearer <token>`, or the bare token, as the authorizer takes it. */
function bearerTokenOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const token = /^bearer\s+/i.test(header) ? header.replace(/^bearer\s+/i, '') : header;
  const trimmed = token.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * The body, or `too-large` as soon as it passes `limit` bytes. The rest is then read and discarded
 * (a `for await` loop would destroy the socket on leaving early), so the client reads the 413 rather
 * than a reset connection; the response closes the connection.
 */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    return Promise.resolve('too-large');
  }
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        resolveBody('too-large');
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!tooLarge) resolveBody(Buffer.concat(chunks, size));
    });
    request.on('error', reject);
  });
}

/** When the body was not read, the connection cannot be reused: say so, and discard what comes. */
function unreadBodyHeaders(request: IncomingMessage): Record<string, string> {
  const hasBody = request.headers['content-length'] !== undefined ? request.headers['content-length'] !== '0' : request.headers['transfer-encoding'] !== undefined;
  if (!hasBody) return {};
  request.resume();
  return { connection: 'close' };
}

interface EventInput {
  request: IncomingMessage;
  requestId: string;
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  pathParameters: Record<string, string> | undefined;
  body: Buffer;
  claims: Readonly<Record<string, unknown>>;
  port: number;
}

/** The payload 2.0 event API Gateway gives a Lambda integration behind a JWT authorizer. */
function buildEvent(input: EventInput): APIGatewayProxyEventV2WithJWTAuthorizer {
  const { request } = input;
  const headers = headersOf(request, input.port);
  const cookieHeader = headers.cookie;
  delete headers.cookie;
  const cookies = cookieHeader === undefined ? undefined : cookieHeader.split(/;\s*/).filter((cookie) => cookie !== '');
  const queryStringParameters = queryParametersOf(input.rawQueryString);
  const now = new Date();
  const contentType = headers['content-type'] ?? '';
  const hasBody = input.body.length > 0;
  const base64 = hasBody && !TEXT_CONTENT_TYPE.test(contentType);
  const method = (request.method ?? 'GET').toUpperCase();
  const host = headers.host ?? `${LOOPBACK_HOST}:${input.port}`;
  return {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: input.rawPath,
    rawQueryString: input.rawQueryString,
    ...(cookies !== undefined && cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters !== undefined ? { queryStringParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: { jwt: { claims: flattenClaims(input.claims), scopes: null } },
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method,
        path: decodeSegment(input.rawPath) ?? input.rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? LOOPBACK_HOST,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: input.requestId,
      routeKey: input.routeKey,
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(input.pathParameters !== undefined ? { pathParameters: input.pathParameters } : {}),
    ...(hasBody ? { body: input.body.toString(base64 ? 'base64' : 'utf8') } : {}),
    isBase64Encoded: base64,
  };
}

/** Header names lower-cased, repeated headers joined with commas, plus the x-forwarded-* API Gateway adds. */
function headersOf(request: IncomingMessage, port: number): Record<string, string> {
  const headers: Record<string, string> = {};
  const raw = request.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index]!.toLowerCase();
    const value = raw[index + 1]!;
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  headers['x-forwarded-for'] = request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? LOOPBACK_HOST;
  headers['x-forwarded-port'] = String(port);
  headers['x-forwarded-proto'] = 'http';
  return headers;
}

/** Query parameters decoded, repeated ones joined with commas (payload 2.0); undefined when none. */
function queryParametersOf(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    parameters[name] = parameters[name] === undefined ? value : `${parameters[name]},${value}`;
  }
  return Object.keys(parameters).length > 0 ? parameters : undefined;
}

/**
 * Claims as the HTTP API's JWT authorizer hands them to the function: every value a string — arrays
 * as `[a b]` (so `cognito:groups` of `['coder', 'biller']` arrives as `"[coder biller]"`), numbers and
 * booleans as their text, objects as JSON — and null-valued claims left out.
 */
export function flattenClaims(claims: Readonly<Record<string, unknown>>): Record<string, string> {
  const flattened: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) flattened[name] = `[${value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(' ')}]`;
    else if (typeof value === 'object') flattened[name] = JSON.stringify(value);
    else flattened[name] = String(value);
  }
  return flattened;
}

/** `requestContext.time`: Common Log Format, `12/Mar/2020:19:03:58 +0000`. */
function clfTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (value: number): string => String(value).padStart(2, '0');
  return `${two(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

/** A context as Lambda passes one: what Powertools and middy read from it. */
function lambdaContext(requestId: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  const unsupported = (): never => {
    throw new Error('callback-style completion is not used by this project');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: LOCAL_FUNCTION_NAME,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:${LOCAL_FUNCTION_NAME}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${LOCAL_FUNCTION_NAME}`,
    logStreamName: `local/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/**
 * Write the handler's result as API Gateway does for payload 2.0: a structured result as given; a
 * string, or an object without `statusCode`, inferred as 200 `application/json` (the object serialized).
 * Returns the status written.
 */
function writeResult(response: ServerResponse, result: APIGatewayProxyResultV2, gatewayHeaders: Record<string, string>): number {
  let structured: APIGatewayProxyStructuredResultV2;
  if (typeof result === 'string') structured = { statusCode: 200, headers: { 'content-type': 'application/json' }, body: result };
  else if (result === null || typeof result !== 'object' || (result as APIGatewayProxyStructuredResultV2).statusCode === undefined) {
    structured = { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
  } else structured = result;

  const statusCode = structured.statusCode ?? 200;
  const headers: Record<string, string | string[]> = { ...gatewayHeaders };
  for (const [name, value] of Object.entries(structured.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (structured.cookies !== undefined && structured.cookies.length > 0) headers['set-cookie'] = structured.cookies;
  const body = structured.body === undefined ? Buffer.alloc(0) : Buffer.from(structured.body, structured.isBase64Encoded ? 'base64' : 'utf8');
  if (body.length > 0 && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  headers['content-length'] = String(body.length);
  response.writeHead(statusCode, headers);
  response.end(body);
  return statusCode;
}

// ── The page ─────────────────────────────────────────────────────────────────────────────────────

async function handleStaticRequest(request: IncomingMessage, response: ServerResponse, webDirectory: string | undefined, rawPath: string): Promise<void> {
  const method = request.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    sendText(response, 405, 'Method Not Allowed', { allow: 'GET, HEAD', ...unreadBodyHeaders(request) });
    return;
  }
  const file = webDirectory === undefined ? undefined : await staticFileOf(webDirectory, rawPath);
  if (file === undefined) {
    sendText(response, 404, 'Not Found');
    return;
  }
  const content = await readFile(file.path);
  response.writeHead(200, { ...STATIC_SECURITY_HEADERS, 'content-type': file.contentType, 'content-length': String(content.length) });
  response.end(method === 'HEAD' ? undefined : content);
}

/**
 * The file `rawPath` names inside `webDirectory` (`/` is `index.html`), or undefined: unknown types,
 * dot files, folders and anything that resolves outside the folder (`..`, encoded or not, and links
 * pointing out) are not served.
 */
async function staticFileOf(webDirectory: string, rawPath: string): Promise<{ path: string; contentType: string } | undefined> {
  const decoded = decodeSegment(rawPath);
  if (decoded === undefined || decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const relativePath = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const segments = relativePath.split('/');
  if (segments.some((segment) => segment === '' || segment === '..' || segment.startsWith('.'))) return undefined;
  const contentType = STATIC_CONTENT_TYPES[extname(relativePath).toLowerCase()];
  if (contentType === undefined) return undefined;
  try {
    const path = await realpath(join(webDirectory, ...segments));
    if (!path.startsWith(webDirectory + sep)) return undefined;
    if (!(await stat(path)).isFile()) return undefined;
    return { path, contentType };
  } catch {
    return undefined;
  }
}

// ── Plumbing ─────────────────────────────────────────────────────────────────────────────────────

function sendJson(response: ServerResponse, statusCode: number, body: unknown, headers: Record<string, string> = {}): void {
  const content = Buffer.from(JSON.stringify(body));
  response.writeHead(statusCode, { ...headers, 'content-type': 'application/json', 'content-length': String(content.length) });
  response.end(content);
}

function sendText(response: ServerResponse, statusCode: number, text: string, headers: Record<string, string> = {}): void {
  const content = Buffer.from(text);
  response.writeHead(statusCode, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'content-length': String(content.length) });
  response.end(content);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK_HOST, () => {
      server.off('error', reject);
      const address: AddressInfo | string | null = server.address();
      if (address === null || typeof address === 'string') reject(new Error('the server is not listening on a TCP port'));
      else resolveListen(address.port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolveClose, reject) => {
    server.close((error) => (error ? reject(error) : resolveClose()));
    // Kept-alive sockets (the page's, the CLI's) would hold close() open until they time out.
    server.closeAllConnections();
  });
}
