/**
 * Platform API (server to server), under /api/platform, bearer-key authenticated.
 * Every write is in PostgreSQL before it is acknowledged; bad input gets a 4xx with a reason.
 */
import { timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import {
  upsertAccount,
  upsertCatalogPlan,
  upsertCreditPack,
  upsertIdentity,
  upsertUser,
} from '../accounts/accounts.ts';
import type { CreditService } from '../credits/credit-service.ts';
import { createGrant, ingestConversationEvents, ingestUsageEvents } from '../credits/ingest.ts';
import type { Db } from '../infra/db.ts';
import { requireJson } from '../infra/http.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { openApiDocument } from './openapi.ts';
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

export interface PlatformApiDeps {
  db: Db;
  clock: Clock;
  credits: CreditService;
  apiKey: string;
  /** the product's version, shown in the OpenAPI document */
  version?: string;
}

function bearerAuth(apiKey: string): RequestHandler {
  const expected = Buffer.from(apiKey);
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) {
      next(new AppError('unauthorized', 'Send the platform API key as "Authorization: Bearer <key>".'));
      return;
    }
    const given = Buffer.from(match[1]!.trim());
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      next(new AppError('unauthorized', 'The platform API key is not valid.'));
      return;
    }
    next();
  };
}

const params = (names: string[]) => z.object(Object.fromEntries(names.map((n) => [n, idParam])));

export function createPlatformApi(deps: PlatformApiDeps): Router {
  const { db, clock, credits } = deps;
  const r = express.Router();
  // The API's description is public (it holds no data): GET /api/platform/openapi.json.
  let doc: ReturnType<typeof openApiDocument> | undefined;
  r.get('/openapi.json', (_req, res) => {
    doc ??= openApiDocument({ version: deps.version ?? '0.0.0' });
    res.set('cache-control', 'public, max-age=300').json(doc);
  });
  r.use(bearerAuth(deps.apiKey));
  r.use(express.json({ limit: '2mb', strict: true }));
  r.use(requireJson);

  r.put('/accounts/:accountId', async (req, res) => {
    const { accountId } = params(['accountId']).parse(req.params);
    const body = accountBody.parse(req.body);
    const { created } = await upsertAccount(db, clock, accountId as string, body);
    res.status(created ? 201 : 200).json(await credits.getState(accountId as string));
  });

  r.put('/accounts/:accountId/users/:userId', async (req, res) => {
    const p = params(['accountId', 'userId']).parse(req.params);
    const body = userBody.parse(req.body);
    const { created } = await upsertUser(db, p.accountId as string, p.userId as string, body);
    res.status(created ? 201 : 200).json({ id: p.userId, accountId: p.accountId, ...body });
  });

  r.put('/accounts/:accountId/identities/:identityId', async (req, res) => {
    const p = params(['accountId', 'identityId']).parse(req.params);
    const body = identityBody.parse(req.body);
    const { created } = await upsertIdentity(db, p.accountId as string, p.identityId as string, body.name);
    res.status(created ? 201 : 200).json({ id: p.identityId, accountId: p.accountId, name: body.name });
  });

  r.post('/usage-events', async (req, res) => {
    const body = usageEventsBody.parse(req.body);
    res.status(200).json(await ingestUsageEvents(db, clock, body.events));
  });

  r.post('/conversation-events', async (req, res) => {
    const body = conversationEventsBody.parse(req.body);
    res.status(200).json(await ingestConversationEvents(db, clock, body.events));
  });

  r.post('/credit-grants', async (req, res) => {
    const body = grantBody.parse(req.body);
    if (body.expiresAt && body.expiresAt.getTime() <= clock.now().getTime()) {
      throw new AppError('bad_request', 'expiresAt: must be in the future.');
    }
    const result = await createGrant(db, clock, body);
    res.status(result.created ? 201 : 200).json({ ...result.grant, duplicate: !result.created });
  });

  r.put('/plans/:planId', async (req, res) => {
    const { planId } = params(['planId']).parse(req.params);
    const body = planBody.parse(req.body);
    const { created } = await upsertCatalogPlan(db, planId as string, body);
    res
      .status(created ? 201 : 200)
      .json({ id: planId, ...body, conversationsPerIdentity: body.conversationsPerIdentity ?? 500 });
  });

  r.put('/credit-packs/:packId', async (req, res) => {
    const { packId } = params(['packId']).parse(req.params);
    const body = packBody.parse(req.body);
    const { created } = await upsertCreditPack(db, packId as string, body);
    res.status(created ? 201 : 200).json({ id: packId, ...body });
  });

  r.get('/accounts/:accountId/credit-state', async (req, res) => {
    const { accountId } = params(['accountId']).parse(req.params);
    res.json(await credits.getState(accountId as string));
  });

  r.get('/accounts/:accountId/usage', async (req, res) => {
    const { accountId } = params(['accountId']).parse(req.params);
    const q = usageQuery.parse(req.query);
    const out = await credits.usage(accountId as string, {
      from: q.from,
      to: q.to,
      groupBy: q.groupBy,
      filter: { type: q.type, userId: q.userId, identityId: q.identityId, campaignId: q.campaignId },
      metric: q.metric,
    });
    res.json(out);
  });

  r.get('/accounts/:accountId/forecast', async (req, res) => {
    const { accountId } = params(['accountId']).parse(req.params);
    res.json(await credits.forecast(accountId as string));
  });

  return r;
}
