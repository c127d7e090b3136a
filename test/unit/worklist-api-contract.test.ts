/**
 * The worklist API's contract without servers: identity from token claims in every form the groups
 * claim arrives in, the request schemas (field errors name paths, never values), and the OpenAPI 3.1
 * document generated from the schemas.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { actorOf, groupsOf } from '../../functions/worklist-api/identity.ts';
import { CorrectionRequestSchema, ResolveRequestSchema, WorkItemListQuerySchema } from '../../schemas/worklist-api.schema.ts';
import { worklistOpenApiDocument } from '../../src/worklist/openapi.ts';

function eventWithClaims(claims: Record<string, string | number | boolean | string[]> | undefined): APIGatewayProxyEventV2WithJWTAuthorizer {
  return { requestContext: { authorizer: claims ? { jwt: { claims, scopes: null } } : undefined } } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

describe('identity from the token', () => {
  test.each([
    [['coder', 'supervisor'], ['coder', 'supervisor']],
    ['[coder supervisor]', ['coder', 'supervisor']],
    ['[coder]', ['coder']],
    ['["coder","biller"]', ['coder', 'biller']],
    ['coder', ['coder']],
    ['', []],
    [undefined, []],
  ] as const)('groups %j → %j', (claim, expected) => {
    expect(groupsOf(claim as string | string[] | undefined)).toEqual(expected);
  });

  test('user, tenant and known roles; unknown groups ignored', () => {
    expect(actorOf(eventWithClaims({ sub: 'user-1', 'custom:tenant': 'clinic-a', 'cognito:groups': '[coder billing-office]' }))).toEqual({ user: 'user-1', tenant: 'clinic-a', roles: ['coder'] });
    expect(actorOf(eventWithClaims({ sub: 'user-1', 'custom:tenant': 'clinic-a' }))).toEqual({ user: 'user-1', tenant: 'clinic-a', roles: [] });
  });

  test('no user, no tenant, a malformed tenant or no authorizer: no actor', () => {
    expect(actorOf(eventWithClaims({ 'custom:tenant': 'clinic-a', 'cognito:groups': 'coder' }))).toBeUndefined();
    expect(actorOf(eventWithClaims({ sub: 'user-1', 'cognito:groups': 'coder' }))).toBeUndefined();
    expect(actorOf(eventWithClaims({ sub: 'user-1', 'custom:tenant': '../clinic-b' }))).toBeUndefined();
    expect(actorOf(eventWithClaims(undefined))).toBeUndefined();
  });
});

describe('request schemas', () => {
  test('field errors give paths and expectations, never the values sent', () => {
    const secret = 'DOE^JOHN 1980-01-01';
    const result = CorrectionRequestSchema.safeParse({ diagnoses: [secret], lines: [{ line: 0, units: -2, procedure: secret }] });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    expect(issues.map((issue) => issue.path).sort()).toEqual(['diagnoses.0', 'lines.0.line', 'lines.0.procedure', 'lines.0.units']);
    expect(JSON.stringify(issues)).not.toContain('DOE');
  });

  test('the list query coerces numbers and refuses unknown parameters', () => {
    expect(WorkItemListQuerySchema.parse({ limit: '10', minAgeDays: '3' })).toEqual({ limit: 10, minAgeDays: 3 });
    expect(WorkItemListQuerySchema.parse({})).toEqual({ limit: 25 });
    expect(WorkItemListQuerySchema.safeParse({ statuss: 'open' }).success).toBe(false);
    expect(WorkItemListQuerySchema.safeParse({ minAgeDays: '9', maxAgeDays: '2' }).error?.issues[0]?.path).toEqual(['maxAgeDays']);
  });

  test('resolve: void only with resubmit, a write-off needs a reason', () => {
    expect(ResolveRequestSchema.safeParse({ action: 'resubmit', void: true }).success).toBe(true);
    expect(ResolveRequestSchema.safeParse({ action: 'appeal', void: true }).error?.issues.map((issue) => issue.path.join('.'))).toEqual(['void']);
    expect(ResolveRequestSchema.safeParse({ action: 'write-off' }).error?.issues.map((issue) => issue.path.join('.'))).toEqual(['reason']);
  });
});

describe('the OpenAPI document', () => {
  const document = worklistOpenApiDocument() as {
    openapi: string;
    paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: { content: Record<string, { schema: { $ref: string } }> }; responses: Record<string, unknown> }>>;
    components: { schemas: Record<string, { type?: string; properties?: Record<string, unknown>; required?: string[] }> };
  };

  test('every route, with its method', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(Object.fromEntries(Object.entries(document.paths).map(([path, operations]) => [path, Object.keys(operations)]))).toEqual({
      '/work-items': ['get'],
      '/work-items/{id}': ['get'],
      '/work-items/{id}/take': ['post'],
      '/work-items/{id}/release': ['post'],
      '/work-items/{id}/assign': ['post'],
      '/work-items/{id}/corrections': ['post'],
      '/work-items/{id}/wait': ['post'],
      '/work-items/{id}/resume': ['post'],
      '/work-items/{id}/resolve': ['post'],
      '/openapi.json': ['get'],
    });
  });

  test('bodies, parameters and responses come from the schemas', () => {
    expect(document.paths['/work-items']!.get!.parameters!.map((parameter) => parameter.name)).toEqual(['queue', 'status', 'payer', 'reason', 'assignee', 'minAgeDays', 'maxAgeDays', 'limit', 'cursor']);
    expect(document.paths['/work-items/{id}/resolve']!.post!.requestBody!.content['application/json']!.schema).toEqual({ $ref: '#/components/schemas/ResolveRequest' });
    expect(Object.keys(document.paths['/work-items/{id}/take']!.post!.responses).sort()).toEqual(['200', '400', '401', '403', '404', '409', '500']);
    const resolve = document.components.schemas.ResolveRequest!;
    expect(resolve.required).toEqual(['action']);
    expect(resolve.properties!.action).toEqual({ type: 'string', enum: ['resubmit', 'appeal', 'write-off', 'no-action'] });
    expect(document.components.schemas.WorkItemDetailResponse!.required).toEqual(['item', 'history']);
    expect(Object.keys(document.components.schemas).sort()).toEqual(
      ['AssignRequest', 'Claim', 'CorrectionDraft', 'CorrectionRequest', 'CorrectionResponse', 'ErrorResponse', 'Finding', 'LineCorrection', 'ResolveRequest', 'WaitRequest', 'WorkItem', 'WorkItemDetailResponse', 'WorkItemListResponse'].sort(),
    );
    // Every reference points at a component that exists.
    const references = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]!);
    expect(references.length).toBeGreaterThan(10);
    for (const name of references) expect(document.components.schemas).toHaveProperty(name);
  });
});
