/**
 * Direct Line 3.0 REST, as DirectLineJS and Web Chat call it (mounted at `/v3/directline`):
 *
 *   POST /tokens/generate                 secret + { user: { id } } → { conversationId, token, expires_in }
 *   POST /tokens/refresh                  token → a fresh token for the same conversation
 *   POST /conversations                   token (or secret + { user: { id } }) → 201 { conversationId, token, expires_in, streamUrl }
 *   GET  /conversations/:id?watermark=    reconnect → { conversationId, token, expires_in, streamUrl }
 *   POST /conversations/:id/activities    an activity → { id }
 *   GET  /conversations/:id/activities?watermark=  → { activities, watermark }
 *   POST /conversations/:id/upload        multipart: an "activity" part and "file" parts (small files, inline)
 *
 * Errors are `{ error: { code, message, details? } }` (the app's convention) with Direct Line's statuses:
 * 401 missing or forged credentials, 403 expired token (details.code 'TokenExpired') or another conversation.
 */
import express, { type Request, type RequestHandler } from 'express';
import { errorHandler } from '../infra/http.ts';
import { AppError, badRequest, forbidden, notFound, unauthorized } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { unstorableReason } from '../shared/text.ts';
import { LIMITS, pickClientFields } from './activity.ts';
import type { Presence } from './presence.ts';
import type { Auth, Core } from './service.ts';
import type { Store } from './store.ts';
import { parseWatermark } from './stream.ts';
import { isConversationId, type TokenSigner } from './tokens.ts';

const BODY_LIMIT = '256kb';
const UPLOAD_LIMIT_BYTES = 512 * 1024;
const UPLOAD_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/jpg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
]);
const JSON_TYPES = ['application/json', 'application/*+json'];

export interface RouterDeps {
  core: Core;
  store: Store;
  presence: Presence;
  signer: TokenSigner;
  logger: Logger;
  batchSize: number;
}

const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/** Refuses a body that is not JSON (415); an empty body passes (some calls carry none). */
const jsonOnly: RequestHandler = (req, _res, next) => {
  if (hasBody(req) && !req.is(JSON_TYPES)) {
    next(new AppError('unsupported_media_type', 'Send the body as application/json.'));
    return;
  }
  next();
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function streamUrl(req: Request, conversationId: string, token: string, watermark?: number): string {
  const scheme = req.protocol === 'https' ? 'wss' : 'ws';
  const w = watermark !== undefined && watermark > 0 ? `watermark=${watermark}&` : '';
  return `${scheme}://${req.host}${req.baseUrl}/conversations/${encodeURIComponent(conversationId)}/stream?${w}t=${encodeURIComponent(token)}`;
}

/** A BCP 47 language tag as clients send it (en, es-ES, zh-Hant-TW; Web Chat may send en_US). */
const LOCALE = /^[A-Za-z]{1,8}([-_][A-Za-z0-9]{1,8})*$/;

function localeOf(body: unknown): string | null {
  const locale = isObject(body) ? body.locale : undefined;
  if (locale === undefined || locale === null || locale === '') return null;
  if (typeof locale !== 'string' || locale.length > 64 || !LOCALE.test(locale)) {
    throw badRequest('locale must be a language tag such as en-US.');
  }
  return locale;
}

function userIdOf(body: unknown): unknown {
  const user = isObject(body) ? body.user : undefined;
  return isObject(user) ? user.id : undefined;
}

export function createDirectLineRouter(d: RouterDeps): express.Router {
  const { core, store, presence, signer } = d;
  const router = express.Router();
  const json = express.json({ limit: BODY_LIMIT, strict: false, type: JSON_TYPES });

  function authenticate(req: Request): Auth {
    const header = req.headers.authorization;
    if (!header) throw unauthorized('Missing Authorization: Bearer <token or secret>.');
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw unauthorized('Authorization must be "Bearer <token or secret>".');
    const credential = m[1]!;
    if (signer.isSecret(credential)) return { kind: 'secret' };
    const check = signer.verify(credential, core.now());
    if (check.ok) return { kind: 'token', cid: check.claims.cid, uid: check.claims.uid };
    if (check.reason === 'expired') {
      throw new AppError('forbidden', 'The token has expired: refresh it before it expires, or generate a new one.', {
        details: { code: 'TokenExpired' },
      });
    }
    throw unauthorized('Invalid token.');
  }

  function authorize(req: Request): { auth: Auth; conversationId: string } {
    const auth = authenticate(req);
    const conversationId = String(req.params.conversationId ?? '');
    if (auth.kind === 'token' && auth.cid !== conversationId) {
      throw forbidden('This token does not open that conversation.');
    }
    if (!isConversationId(conversationId)) throw notFound('Unknown conversation.');
    return { auth, conversationId };
  }

  function watermarkOf(req: Request): number {
    const w = parseWatermark(req.query.watermark);
    if (w === null) throw badRequest('watermark must be a number, as returned by the last GET.');
    return w;
  }

  // Credentials are checked before any body is read.
  const authenticated: RequestHandler = (req, res, next) => {
    res.locals.dlAuth = authenticate(req);
    next();
  };
  const authorized: RequestHandler = (req, res, next) => {
    res.locals.dl = authorize(req);
    next();
  };
  const authOnly = (res: express.Response) => res.locals.dlAuth as Auth;
  const authOf = (res: express.Response) => res.locals.dl as { auth: Auth; conversationId: string };

  // Web Chat may live on another origin than this app; credentials are bearer tokens, never cookies.
  router.use((req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, x-ms-bot-agent, X-Requested-With');
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  router.post('/tokens/generate', authenticated, jsonOnly, json, async (req, res) => {
    if (authOnly(res).kind !== 'secret') {
      throw unauthorized('tokens/generate needs the Direct Line secret: Authorization: Bearer <DIRECT_LINE_SECRET>.');
    }
    res.json(await core.createConversation(userIdOf(req.body), localeOf(req.body)));
  });

  router.post('/tokens/refresh', authenticated, async (_req, res) => {
    const auth = authOnly(res);
    if (auth.kind !== 'token') throw badRequest('tokens/refresh renews a token: send the token, not the secret.');
    res.json(core.issue(auth.cid, auth.uid));
  });

  router.post('/conversations', authenticated, jsonOnly, json, async (req, res) => {
    const auth = authOnly(res);
    let t: Awaited<ReturnType<Core['tokenFor']>>;
    if (auth.kind === 'token') {
      t = await core.tokenFor(auth, auth.cid);
    } else {
      if (userIdOf(req.body) === undefined) {
        throw badRequest(
          'Conversations belong to a platform user: get a token from POST /v3/directline/tokens/generate with { user: { id } }, or send { user: { id } } with the secret.',
        );
      }
      t = await core.createConversation(userIdOf(req.body), localeOf(req.body));
    }
    presence.touch(t.conversationId);
    res.status(201).json({ ...t, streamUrl: streamUrl(req, t.conversationId, t.token) });
  });

  router.get('/conversations/:conversationId', authorized, async (req, res) => {
    const { auth, conversationId } = authOf(res);
    const watermark = watermarkOf(req);
    const t = await core.tokenFor(auth, conversationId);
    res.json({ ...t, streamUrl: streamUrl(req, conversationId, t.token, watermark) });
  });

  router.post('/conversations/:conversationId/activities', authorized, jsonOnly, json, async (req, res) => {
    const { auth, conversationId } = authOf(res);
    const stored = await core.postUserActivity(auth, conversationId, pickClientFields(req.body));
    res.json({ id: stored.id });
  });

  router.get('/conversations/:conversationId/activities', authorized, async (req, res) => {
    const { auth, conversationId } = authOf(res);
    const watermark = watermarkOf(req);
    if (auth.kind === 'secret' && !(await core.getBinding(conversationId))) {
      throw new AppError('not_found', `Unknown conversation ${conversationId}.`);
    }
    const rows = await store.readAfter(conversationId, watermark, d.batchSize);
    presence.touch(conversationId);
    const last = rows.at(-1)?.seq ?? watermark;
    res.type('application/json').send(`{"activities":[${rows.map((r) => r.json).join(',')}],"watermark":"${last}"}`);
  });

  router.post(
    '/conversations/:conversationId/upload',
    authorized,
    (req, _res, next) => {
      if (!req.is('multipart/form-data')) {
        throw new AppError(
          'unsupported_media_type',
          'Upload files as multipart/form-data with an "activity" part and "file" parts.',
        );
      }
      next();
    },
    express.raw({ type: 'multipart/form-data', limit: UPLOAD_LIMIT_BYTES + 64 * 1024 }),
    async (req, res) => {
      const { auth, conversationId } = authOf(res);
      const fields = await parseUpload(req);
      const stored = await core.postUserActivity(auth, conversationId, fields);
      res.json({ id: stored.id });
    },
  );

  router.get('/conversations/:conversationId/stream', (_req, res) => {
    res
      .status(426)
      .setHeader('Upgrade', 'websocket')
      .json({
        error: { code: 'upgrade_required', message: 'Open the streamUrl with a WebSocket.' },
      });
  });

  router.use(errorHandler(d.logger));
  return router;
}

/** Web Chat's upload: the activity as a JSON part, each file as a part; files become data: URL attachments. */
async function parseUpload(req: Request): Promise<Record<string, unknown>> {
  const raw = req.body as unknown;
  if (!Buffer.isBuffer(raw)) throw badRequest('Missing the multipart body.');
  let form: FormData;
  try {
    form = await new Request('http://upload.local/', {
      method: 'POST',
      headers: { 'content-type': String(req.headers['content-type']) },
      body: new Blob([new Uint8Array(raw)]),
    }).formData();
  } catch {
    throw badRequest('Malformed multipart body.');
  }
  const part = form.get('activity');
  if (part === null) throw badRequest('Missing the "activity" part.');
  let template: unknown;
  try {
    template = JSON.parse(typeof part === 'string' ? part : await part.text());
  } catch {
    throw badRequest('The "activity" part is not valid JSON.');
  }
  if (!isObject(template)) throw badRequest('The "activity" part must be a JSON object.');
  const fields = pickClientFields({ ...template, attachments: undefined });
  const files = form.getAll('file').filter((f): f is File => typeof f !== 'string');
  if (files.length > LIMITS.attachments)
    throw new AppError('payload_too_large', `At most ${LIMITS.attachments} files.`);
  const total = files.reduce((n, f) => n + f.size, 0);
  if (total > UPLOAD_LIMIT_BYTES) {
    throw new AppError('payload_too_large', `Files may add up to ${UPLOAD_LIMIT_BYTES / 1024} KB per message.`);
  }
  const attachments = [];
  for (const f of files) {
    const nameProblem = unstorableReason(f.name);
    if (nameProblem) throw badRequest(`The file name ${nameProblem}.`);
    const type = (f.type || 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
    if (!UPLOAD_TYPES.has(type)) {
      throw new AppError('unsupported_media_type', `Files of type ${type} are not accepted: send images, PDF or text.`);
    }
    const data = Buffer.from(await f.arrayBuffer()).toString('base64');
    attachments.push({ contentType: type, contentUrl: `data:${type};base64,${data}`, name: f.name });
  }
  if (attachments.length > 0) fields.attachments = attachments;
  if (fields.type !== 'message') throw badRequest('Uploads are message activities.');
  return fields;
}
