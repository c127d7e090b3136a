/**
 * The worklist API's OpenAPI 3.1 document, generated from the zod schemas of
 * schemas/worklist-api.schema.ts (zod 4 `z.toJSONSchema`, JSON Schema 2020-12 — OpenAPI 3.1's own
 * dialect), so that what the API validates and what it documents are one thing. Served by
 * `GET /openapi.json`.
 */
import { z } from 'zod';
import { ClaimSchema } from '../../schemas/claim.schema.ts';
import { FindingSchema } from '../../schemas/finding.schema.ts';
import { WorkItemSchema } from '../../schemas/work-item.schema.ts';
import {
  AssignRequestSchema,
  CorrectionDraftSchema,
  CorrectionRequestSchema,
  CorrectionResponseSchema,
  ErrorResponseSchema,
  LineCorrectionSchema,
  ResolveRequestSchema,
  WaitRequestSchema,
  WorkItemDetailResponseSchema,
  WorkItemListQuerySchema,
  WorkItemListResponseSchema,
} from '../../schemas/worklist-api.schema.ts';

/** A JSON object of the document. */
type Json = Record<string, unknown>;

/** Request bodies, converted as the API reads them (`io: 'input'`). */
const REQUEST_SCHEMAS = {
  AssignRequest: AssignRequestSchema,
  CorrectionRequest: CorrectionRequestSchema,
  LineCorrection: LineCorrectionSchema,
  WaitRequest: WaitRequestSchema,
  ResolveRequest: ResolveRequestSchema,
} as const;

/** Response bodies and the shared parts they refer to, converted as the API writes them. */
const RESPONSE_SCHEMAS = {
  WorkItem: WorkItemSchema,
  WorkItemListResponse: WorkItemListResponseSchema,
  WorkItemDetailResponse: WorkItemDetailResponseSchema,
  CorrectionResponse: CorrectionResponseSchema,
  CorrectionDraft: CorrectionDraftSchema,
  Claim: ClaimSchema,
  Finding: FindingSchema,
  ErrorResponse: ErrorResponseSchema,
} as const;

type ComponentName = keyof typeof REQUEST_SCHEMAS | keyof typeof RESPONSE_SCHEMAS;

const ref = (name: ComponentName): Json => ({ $ref: `#/components/schemas/${name}` });

/** Component schemas of one registry, without the per-schema `$schema`/`$id` a document does not need. */
function componentsOf(schemas: Readonly<Record<string, z.ZodType>>, io: 'input' | 'output'): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const { schemas: converted } = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(
    Object.entries(converted).map(([id, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema as Json;
      return [id, rest];
    }),
  );
}

const json = (schema: Json): Json => ({ content: { 'application/json': { schema } } });

/** The error answers every authenticated route may give. */
function errors(...statuses: (400 | 404 | 409)[]): Record<string, Json> {
  const descriptions: Record<number, string> = {
    400: 'The request fails its schema (`invalid-request` with field `issues`; values are never echoed) or is not JSON',
    401: 'No verified identity (`sub`, `custom:tenant`)',
    403: 'The caller’s roles do not allow this route or queue',
    404: 'No such work item for the caller’s tenant',
    409: 'The item’s state does not allow it (`already-taken`, `still-held` with finding `codes`, …)',
    500: 'Internal error: `{ error: "internal", requestId }` and nothing else',
  };
  const included = [401, 403, ...statuses, 500].sort();
  return Object.fromEntries(included.map((status) => [String(status), { description: descriptions[status], ...json(ref('ErrorResponse')) }]));
}

const idParameter: Json = { name: 'id', in: 'path', required: true, description: 'The work item id', schema: { type: 'string' } };

/** A POST on one item: its body (if any), what it answers, and its errors. */
function itemAction(summary: string, description: string, response: ComponentName, body?: { schema: ComponentName; required: boolean }): Json {
  return {
    post: {
      summary,
      description,
      parameters: [idParameter],
      ...(body ? { requestBody: { required: body.required, ...json(ref(body.schema)) } } : {}),
      responses: { '200': { description: 'The result', ...json(ref(response)) }, ...errors(400, 404, 409) },
    },
  };
}

/** The list's query string as OpenAPI parameters, from the list query schema. */
function listParameters(): Json[] {
  const schema = z.toJSONSchema(WorkItemListQuerySchema, { io: 'input' }) as { properties?: Record<string, Json> };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({ name, in: 'query', required: false, schema: property }));
}

let cached: Json | undefined;

/**
 * The OpenAPI 3.1 document of the worklist API (built once per process).
 *
 * @example
 * const document = worklistOpenApiDocument();
 * document.paths['/work-items/{id}/take'];
 */
export function worklistOpenApiDocument(): Json {
  cached ??= {
    openapi: '3.1.0',
    info: {
      title: 'ClaimPath worklist API',
      version: '1.0.0',
      description:
        'Work items of denied and held claims: list in work order, take one, read the claim (audited), correct and re-scrub it, ' +
        'query the provider, and resolve it (resubmit, appeal, write off). Identity comes only from the verified JWT: ' +
        '`sub` (user), `custom:tenant` (tenant), `cognito:groups` (roles coder, biller, supervisor; admin has no worklist access).',
    },
    security: [{ bearerAuth: [] }],
    paths: {
      '/work-items': {
        get: {
          summary: 'List work items in work order',
          description: 'Nearest deadline first, then amount at risk, then the oldest. Without `queue`, every queue the caller may work. Without `status`, the active statuses. `assignee=me` lists the caller’s own items.',
          parameters: listParameters(),
          responses: { '200': { description: 'A page of items', ...json(ref('WorkItemListResponse')) }, ...errors(400) },
        },
      },
      '/work-items/{id}': {
        get: {
          summary: 'A work item with its claim, postings and history (audited)',
          parameters: [idParameter],
          responses: { '200': { description: 'The item and its claim', ...json(ref('WorkItemDetailResponse')) }, ...errors(404) },
        },
      },
      '/work-items/{id}/take': itemAction('Take the item', 'Assigned to the caller, in progress. Of two concurrent takes exactly one wins; the other gets 409 `already-taken`.', 'WorkItem'),
      '/work-items/{id}/release': itemAction('Release the item', 'Open and unassigned again (its owner or a supervisor).', 'WorkItem'),
      '/work-items/{id}/assign': itemAction('Assign the item', 'Supervisors only.', 'WorkItem', { schema: 'AssignRequest', required: true }),
      '/work-items/{id}/corrections': itemAction(
        'Correct the claim and re-scrub it',
        'Merged into the item’s draft, applied to the claim as it would be resubmitted, and checked with the payer’s rules (audited).',
        'CorrectionResponse',
        { schema: 'CorrectionRequest', required: true },
      ),
      '/work-items/{id}/wait': itemAction('Wait on a provider query', 'The item waits (its owner keeps it).', 'WorkItem', { schema: 'WaitRequest', required: false }),
      '/work-items/{id}/resume': itemAction('Resume after a provider query', 'Back to in progress.', 'WorkItem'),
      '/work-items/{id}/resolve': itemAction(
        'Resolve the item',
        'resubmit writes an 837 to the payer outbox: frequency 1 when the payer never adjudicated the claim, 7 with REF*F8 when it did, 8 with `void: true`. A claim whose re-scrub still holds is refused with 409 `still-held`.',
        'WorkItem',
        { schema: 'ResolveRequest', required: true },
      ),
      '/openapi.json': {
        get: { summary: 'This document', responses: { '200': { description: 'The OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } } } },
      },
    },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { ...componentsOf(REQUEST_SCHEMAS, 'input'), ...componentsOf(RESPONSE_SCHEMAS, 'output') },
    },
  };
  return cached;
}
