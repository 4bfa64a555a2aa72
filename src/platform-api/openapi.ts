/**
 * The platform API as an OpenAPI 3.1 document, generated from the same zod schemas the router validates
 * requests with (./schemas.ts) and the answers are checked against (./responses.ts). Served at
 * GET /api/platform/openapi.json; docs/contract.md describes the semantics.
 */
import { type ZodType, z } from 'zod';
import * as responses from './responses.ts';
import {
  accountBody,
  conversationEventsBody,
  grantBody,
  identityBody,
  idParam,
  packBody,
  planBody,
  usageEventsBody,
  usageQuery,
  userBody,
} from './schemas.ts';

type Method = 'get' | 'put' | 'post';

export interface Operation {
  method: Method;
  /** Express path, e.g. /accounts/:accountId */
  path: string;
  summary: string;
  description?: string;
  body?: ZodType;
  query?: z.ZodObject;
  /** status → [description, schema] */
  responses: Record<number, [string, ZodType]>;
}

const created = (what: string, schema: ZodType): Operation['responses'] => ({
  200: [`${what} updated`, schema],
  201: [`${what} created`, schema],
});

/** Every route of the platform API (the integration tests check this list against the router). */
export const operations: Operation[] = [
  {
    method: 'put',
    path: '/accounts/:accountId',
    summary: 'Create or update an account',
    description:
      'A plan that differs from the current one takes effect now; the period keeps the plan grant it started with (see docs/credit-semantics.md). `alerts.thresholds` (extra): the shares of the plan below which the customer and the account manager are told, once per share per period (default [0.2, 0.05]; at most 5, each between 0 and 1; null goes back to the default, [] turns the share alerts off). Answers the credit state, with the thresholds in force under `alerts`.',
    body: accountBody,
    responses: created('Account', responses.creditState),
  },
  {
    method: 'put',
    path: '/accounts/:accountId/users/:userId',
    summary: 'Create or update a platform user who may chat for the account',
    description: 'User ids are global: an id another account owns is a 409.',
    body: userBody,
    responses: created('User', responses.userResult),
  },
  {
    method: 'put',
    path: '/accounts/:accountId/identities/:identityId',
    summary: 'Create or update an identity (a sender whose conversations are counted)',
    body: identityBody,
    responses: created('Identity', responses.identityResult),
  },
  {
    method: 'post',
    path: '/usage-events',
    summary: 'Record usage events (1 to 1,000, all or nothing)',
    description:
      'Idempotent on event id: a repeat is accepted and not counted again; the same id with other content is a 409 and nothing of the batch is written. An event more than 5 minutes in the future is refused.',
    body: usageEventsBody,
    responses: { 200: ['Batch recorded', responses.ingestResult] },
  },
  {
    method: 'post',
    path: '/conversation-events',
    summary: 'Record conversation events (1 to 1,000, all or nothing)',
    description: 'Same rules as usage events; campaignName names the campaign.',
    body: conversationEventsBody,
    responses: { 200: ['Batch recorded', responses.ingestResult] },
  },
  {
    method: 'post',
    path: '/credit-grants',
    summary: 'Grant credits (add-on, carry-over or adjustment)',
    description:
      'Idempotent on id. Without expiresAt the grant expires at the end of the period in which it is granted.',
    body: grantBody,
    responses: {
      200: ['The same grant was already recorded', responses.grantResult],
      201: ['Grant created', responses.grantResult],
    },
  },
  {
    method: 'put',
    path: '/plans/:planId',
    summary: 'Create or update a catalog plan (offered by Change Plan)',
    body: planBody,
    responses: created('Plan', responses.planResult),
  },
  {
    method: 'put',
    path: '/credit-packs/:packId',
    summary: 'Create or update a credit pack (offered by Buy More)',
    body: packBody,
    responses: created('Pack', responses.packResult),
  },
  {
    method: 'get',
    path: '/accounts/:accountId/credit-state',
    summary: "The account's credit state now",
    responses: { 200: ['Credit state', responses.creditState] },
  },
  {
    method: 'get',
    path: '/accounts/:accountId/usage',
    summary: 'Usage over [from, to) grouped by type, user, local day, identity or campaign',
    description: 'Without from/to: the current period. Ranges up to 3 years.',
    query: usageQuery,
    responses: { 200: ['Usage rows', responses.usageResult] },
  },
  {
    method: 'get',
    path: '/accounts/:accountId/forecast',
    summary: 'Burn rate over the last 7 days and when the balance runs out at that rate',
    responses: { 200: ['Forecast', responses.forecast] },
  },
];

const jsonSchema = (schema: ZodType) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
};

const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

/** The OpenAPI 3.1 document (built once per process). */
export function openApiDocument(opts: { version: string; serverUrl?: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const names = [...op.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
    const path = op.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters = [
      ...names.map((name) => ({ name, in: 'path', required: true, schema: jsonSchema(idParam) })),
      ...Object.entries(op.query?.shape ?? {}).map(([name, schema]) => ({
        name,
        in: 'query',
        required: !(schema as ZodType).safeParse(undefined).success,
        schema: jsonSchema(schema as ZodType),
      })),
    ];
    const responsesDoc: Record<string, unknown> = {};
    for (const [status, [description, schema]] of Object.entries(op.responses)) {
      responsesDoc[status] = { description, content: { 'application/json': { schema: jsonSchema(schema) } } };
    }
    responsesDoc['400'] = {
      description: 'Invalid input: the message names the field and the reason',
      content: errorContent,
    };
    responsesDoc['401'] = { description: 'Missing or wrong API key', content: errorContent };
    if (names.includes('accountId') || op.body)
      responsesDoc['404'] = { description: 'Unknown account', content: errorContent };
    if (op.method !== 'get') {
      responsesDoc['409'] = { description: 'An id reused with other content', content: errorContent };
      responsesDoc['413'] = { description: 'Body over 2 MB', content: errorContent };
      responsesDoc['415'] = { description: 'Body not application/json', content: errorContent };
    }
    paths[path] ??= {};
    paths[path][op.method] = {
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      operationId: `${op.method}${path.replace(/[{}]/g, '').replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase())}`,
      ...(parameters.length ? { parameters } : {}),
      ...(op.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } } }
        : {}),
      responses: responsesDoc,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Credit-aware support bot: platform API',
      version: opts.version,
      description:
        'Server-to-server API through which the platform feeds accounts, users, identities, the catalog, usage, conversations and grants, and reads credit state, usage and forecasts. Semantics: docs/contract.md and docs/credit-semantics.md in the repository.',
    },
    servers: [{ url: opts.serverUrl ?? '/api/platform' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'PLATFORM_API_KEY' } },
      schemas: { Error: jsonSchema(responses.errorResponse) },
    },
    paths,
  };
}
