/**
 * The worklist-api handler (HTTP API, payload format 2.0), assembled from its dependencies so that
 * tests and the local runtime build it with their own ports and logger; `handler.ts` builds it once per
 * container from the configuration.
 *
 * Thin on purpose: match the route, take the identity from the verified token, parse the query or body
 * with its schema, call one use case of src/worklist, and map the result or error to a response:
 * 400 (field errors: paths and zod's messages, never the values sent), 401 (no identity), 403 (role or
 * queue), 404 (unknown route, or no such item for the caller's tenant — another tenant's item included),
 * 409 (the item's state), 500 (`{ error: 'internal', requestId }`: nothing else reaches the caller).
 * Logs carry the route, status, timing, tenant, user and item ids — never a body or a claim value.
 */
import middy from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import {
  AssignRequestSchema,
  CorrectionRequestSchema,
  ResolveRequestSchema,
  WaitRequestSchema,
  WorkItemIdSchema,
  WorkItemListQuerySchema,
  type ErrorResponse,
  type FieldIssue,
} from '../../schemas/worklist-api.schema.ts';
import { WorkItemConflictError, WorkItemNotFoundError, WorklistForbiddenError, WorklistRequestError } from '../../src/worklist/errors.ts';
import { worklistOpenApiDocument } from '../../src/worklist/openapi.ts';
import type { Actor } from '../../src/worklist/roles.ts';
import { Worklist, type WorklistPorts } from '../../src/worklist/worklist.ts';
import { actorOf } from './identity.ts';

/** What the handler is built from. */
export interface WorklistApiDependencies {
  ports: WorklistPorts;
  /** The bucket of the payer outboxes, where resubmissions are written. */
  outboundBucket: string;
  logger: Logger;
  /** The clock (tests inject one); default now. */
  now?: () => Date;
}

/** What a route gets: the caller, the item id of the path, the parsed query and body. */
interface RouteInput {
  actor: Actor;
  id: string;
  query: Record<string, string>;
  body: unknown;
}

/** A route: its method and path (`{id}` for the item id, as the OpenAPI document names it). */
type Route = { method: 'GET' | 'POST'; path: string } & (
  | { authenticated: true; handle: (input: RouteInput) => Promise<unknown> }
  /** Only the document itself, which holds nothing of anyone's. */
  | { authenticated: false; handle: () => Promise<unknown> }
);

/** A request the caller got wrong (HTTP 400), with field errors. */
class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
  constructor(
    readonly code: 'invalid-request' | 'invalid-json',
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(code);
  }
}

/** No identity in the token (HTTP 401). */
class UnauthorizedError extends Error {
  override readonly name = 'UnauthorizedError';
}

/** Paths (dotted) and zod's messages; zod's messages describe the expectation, not the value sent. */
function issuesOf(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => ({ path: [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.'), message: issue.message }));
}

function parse<T>(schema: z.ZodType<T>, value: unknown, prefix?: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new BadRequestError('invalid-request', issuesOf(result.error, prefix));
  return result.data;
}

/** The routes, by method and path. */
function routesOf(worklist: Worklist): Route[] {
  const item = (path: string, handle: (input: RouteInput) => Promise<unknown>): Route => ({ method: 'POST', path: `/work-items/{id}/${path}`, authenticated: true, handle });
  return [
    { method: 'GET', path: '/openapi.json', authenticated: false, handle: async () => worklistOpenApiDocument() },
    { method: 'GET', path: '/work-items', authenticated: true, handle: ({ actor, query }) => worklist.list(actor, parse(WorkItemListQuerySchema, query)) },
    { method: 'GET', path: '/work-items/{id}', authenticated: true, handle: ({ actor, id }) => worklist.detail(actor, id) },
    item('take', ({ actor, id }) => worklist.take(actor, id)),
    item('release', ({ actor, id }) => worklist.release(actor, id)),
    item('assign', ({ actor, id, body }) => worklist.assign(actor, id, parse(AssignRequestSchema, body).assignee)),
    item('corrections', ({ actor, id, body }) => worklist.correct(actor, id, parse(CorrectionRequestSchema, body))),
    item('wait', ({ actor, id, body }) => worklist.wait(actor, id, parse(WaitRequestSchema, body).note)),
    item('resume', ({ actor, id }) => worklist.resume(actor, id)),
    item('resolve', ({ actor, id, body }) => worklist.resolve(actor, id, parse(ResolveRequestSchema, body))),
  ];
}

/** A route's path as a pattern: `{id}` captures one path segment. */
function patternOf(path: string): RegExp {
  return new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace('{id}', '([^/]+)')}$`);
}

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

function respond(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { ...JSON_HEADERS }, body: JSON.stringify(body) };
}

/** The JSON body of a request: absent or empty is `{}`; anything else must be JSON. */
function bodyOf(event: APIGatewayProxyEventV2WithJWTAuthorizer): unknown {
  if (event.body === undefined || event.body === '') return {};
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadRequestError('invalid-json');
  }
}

/** Query parameters without empty values (`?payer=` means no payer filter). */
function queryOf(event: APIGatewayProxyEventV2WithJWTAuthorizer): Record<string, string> {
  return Object.fromEntries(Object.entries(event.queryStringParameters ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

/** An error as a response; `internal` for anything not ours to explain. */
function errorResponse(error: unknown, requestId: string): { response: APIGatewayProxyStructuredResultV2; expected: boolean } {
  const answer = (statusCode: number, body: ErrorResponse) => ({ response: respond(statusCode, body), expected: true });
  if (error instanceof BadRequestError) return answer(400, { error: error.code, ...(error.issues.length > 0 ? { issues: [...error.issues] } : {}) });
  if (error instanceof WorklistRequestError) return answer(400, { error: 'invalid-request', issues: [...error.issues] });
  if (error instanceof UnauthorizedError) return answer(401, { error: 'unauthorized' });
  if (error instanceof WorklistForbiddenError) return answer(403, { error: 'forbidden', message: error.reason });
  if (error instanceof WorkItemNotFoundError) return answer(404, { error: 'not-found' });
  if (error instanceof WorkItemConflictError) return answer(409, { error: error.code, ...(error.codes ? { codes: [...error.codes] } : {}) });
  return { response: respond(500, { error: 'internal', requestId }), expected: false };
}

/**
 * The middy handler.
 *
 * @example
 * export const handler = createWorklistApiHandler({ ports, outboundBucket, logger });
 */
export function createWorklistApiHandler(dependencies: WorklistApiDependencies) {
  const { logger } = dependencies;
  const worklist = new Worklist(dependencies.ports, { outboundBucket: dependencies.outboundBucket, ...(dependencies.now ? { now: dependencies.now } : {}) });
  const routes = routesOf(worklist).map((route) => ({ ...route, pattern: patternOf(route.path) }));

  const handle = async (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const started = Date.now();
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    const method = event.requestContext?.http?.method ?? '';
    const path = (event.rawPath || '/').replace(/(.)\/+$/, '$1');
    let routeKey = 'unknown';
    let actor: Actor | undefined;
    let id = '';
    let response: APIGatewayProxyStructuredResultV2;
    try {
      const match = routes.map((route) => ({ route, found: route.method === method ? route.pattern.exec(path) : null })).find((candidate) => candidate.found);
      if (!match) {
        response = respond(404, { error: 'not-found' } satisfies ErrorResponse);
      } else {
        const { route, found } = match;
        routeKey = `${route.method} ${route.path}`;
        if (!route.authenticated) {
          response = respond(200, await route.handle());
        } else {
          actor = actorOf(event);
          if (!actor) throw new UnauthorizedError('No identity in the token');
          const rawId = found?.[1];
          if (rawId !== undefined) {
            id = safeDecode(rawId);
            // An id no item can have is simply not found.
            if (!WorkItemIdSchema.safeParse(id).success) throw new WorkItemNotFoundError('(malformed)');
          }
          const body = route.method === 'POST' ? bodyOf(event) : undefined;
          response = respond(200, await route.handle({ actor, id, query: queryOf(event), body }));
        }
      }
    } catch (error) {
      const mapped = errorResponse(error, requestId);
      response = mapped.response;
      // Only the error's name: messages of the SDK and of libraries may quote values.
      if (!mapped.expected) logger.error('Request failed', { route: routeKey, requestId, errorName: error instanceof Error ? error.name : typeof error });
    }
    logger.info('Request', {
      route: routeKey,
      status: response.statusCode,
      elapsedMs: Date.now() - started,
      requestId,
      ...(actor ? { tenant: actor.tenant, user: actor.user } : {}),
      ...(id !== '' && WorkItemIdSchema.safeParse(id).success ? { workItemId: id } : {}),
    });
    return response;
  };

  // Never the event, whatever POWERTOOLS_LOGGER_LOG_EVENT says: bodies carry diagnoses and notes.
  return middy(handle).use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }));
}

/** A path segment decoded, or as it is when it is not valid percent-encoding. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
