/**
 * The caller's identity, from the verified token only (`event.requestContext.authorizer.jwt.claims`):
 * `sub` (user), `custom:tenant` (tenant), `cognito:groups` (roles). On AWS the HTTP API's JWT
 * authorizer has verified the token; locally the local server does the same and hands over the same
 * event. Nothing else in the request (path, query, body, headers) can name a tenant.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { UserIdSchema } from '../../schemas/worklist-api.schema.ts';
import { rolesOf, type Actor } from '../../src/worklist/roles.ts';

/** Tenant ids as the rest of the system makes them (inbound key prefixes, trading-partner settings). */
const TENANT_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

type Claims = APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer']['jwt']['claims'];

/**
 * The groups claim in the forms it arrives in: a real array (a local server, a Lambda test), a string
 * API Gateway's HTTP API makes of an array (`"[coder supervisor]"`), a JSON array in a string, or one
 * group as a plain string.
 */
export function groupsOf(value: Claims[string] | undefined): string[] {
  if (Array.isArray(value)) return value.filter((group): group is string => typeof group === 'string');
  if (typeof value !== 'string') return [];
  const inner = value.trim().replace(/^\[(.*)\]$/s, '$1');
  return inner
    .split(/[\s,]+/)
    .map((group) => group.replace(/^"(.*)"$/, '$1').trim())
    .filter((group) => group !== '');
}

/** The actor of a request, or undefined when the token lacks a usable user or tenant (→ 401). */
export function actorOf(event: APIGatewayProxyEventV2WithJWTAuthorizer): Actor | undefined {
  // The types promise an authorizer; a misconfigured route or local caller may still send none.
  const claims: Claims | undefined = event.requestContext?.authorizer?.jwt?.claims;
  if (!claims) return undefined;
  const user = UserIdSchema.safeParse(claims.sub);
  const tenant = claims['custom:tenant'];
  if (!user.success || typeof tenant !== 'string' || !TENANT_PATTERN.test(tenant)) return undefined;
  return { user: user.data, tenant, roles: rolesOf(groupsOf(claims['cognito:groups'])) };
}
