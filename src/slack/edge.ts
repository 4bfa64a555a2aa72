/**
 * The edge of POST /slack/events, in front of Bolt's receiver. Bolt verifies signatures but refuses only
 * timestamps in the past, and it dereferences whatever a signed body holds (a body of `null`, an `event` that
 * is not an object, an action without a user), which ends in a 500. Here, before Bolt sees the request:
 *
 * - the signature is checked, and a timestamp more than 5 minutes from now, in the past OR the future, is
 *   refused like a forged signature (401);
 * - the body must parse as Bolt will parse it into an object of a kind Slack sends, with the fields Bolt and
 *   the listeners read having the right types; anything else is a 400 naming what is wrong.
 *
 * The raw body is handed on as `req.rawBody`, which Bolt's receiver reads instead of the stream.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import querystring from 'node:querystring';
import express, { type RequestHandler } from 'express';
import { z } from 'zod';
import { AppError } from '../shared/errors.ts';

/** Slack's replay window, both ways. */
export const MAX_SKEW_SECONDS = 5 * 60;
const BODY_LIMIT = '1mb';

const object = z.looseObject({});
const optionalObject = z.looseObject({}).nullish();
const user = z.looseObject({ id: z.string().min(1) }, { error: 'must be an object with a string id' });
/** What Bolt reads of every interactive payload (team, enterprise and user for its context, channel for `say`). */
const interactive = {
  user,
  team: optionalObject,
  enterprise: optionalObject,
  channel: object.optional(), // Bolt reads channel.id whenever channel is not undefined (null included)
  response_url: z.string().optional(),
  response_urls: z.array(z.looseObject({ response_url: z.string() })).optional(),
  trigger_id: z.string().optional(),
  container: object.optional(),
  message: object.optional(),
  view: object.optional(),
};

const eventCallback = z.looseObject({
  team_id: z.string().optional(),
  authorizations: z.array(object).optional(),
  event: z.looseObject({
    type: z.string(),
    channel: z.union([z.string(), z.looseObject({})]).optional(),
    user: z.union([z.string(), z.looseObject({})]).optional(),
    item: object.optional(),
    subteam: object.optional(),
    message: object.optional(),
    previous_message: object.optional(),
  }),
});
const command = z.looseObject({
  command: z.string().startsWith('/', 'must be a slash command such as /credits'),
  text: z.string().optional(),
  user_id: z.string().optional(),
  channel_id: z.string().optional(),
  team_id: z.string().optional(),
  response_url: z.string().optional(),
});
const blockActions = z.looseObject({
  ...interactive,
  actions: z
    .array(z.looseObject({ action_id: z.string(), block_id: z.string().optional() }), {
      error: 'must be a list of actions',
    })
    .min(1, 'must hold at least one action'),
});
const legacyAction = z.looseObject({ ...interactive, actions: z.array(object).optional() });
const options = z.looseObject({ ...interactive, action_id: z.string().optional(), block_id: z.string().optional() });
const viewAction = z.looseObject({ ...interactive, view: z.looseObject({ callback_id: z.string().optional() }) });
const shortcut = z.looseObject({ ...interactive, callback_id: z.string().optional() });

/** The kind of a Slack request as Bolt will classify it, with the schema its body must meet; null if unknown. */
function schemaFor(body: Record<string, unknown>): z.ZodType | null {
  if (body.ssl_check !== undefined || body.type === 'url_verification') return z.looseObject({});
  if (body.event !== undefined) return eventCallback;
  if (body.command !== undefined) return command;
  if (body.name !== undefined || body.type === 'block_suggestion') return options;
  if (body.type === 'block_actions') return blockActions;
  if (body.actions !== undefined || body.type === 'dialog_submission') return legacyAction;
  if (body.type === 'shortcut' || body.type === 'message_action') return shortcut;
  if (body.type === 'view_submission' || body.type === 'view_closed') return viewAction;
  return null;
}

const refuse = (status: 400 | 401, message: string) =>
  new AppError(status === 401 ? 'unauthorized' : 'bad_request', message);

function verify(secret: string, raw: Buffer, headers: Record<string, string | string[] | undefined>, nowMs: number) {
  const signature = headers['x-slack-signature'];
  const timestamp = headers['x-slack-request-timestamp'];
  if (typeof signature !== 'string' || typeof timestamp !== 'string') {
    throw refuse(401, 'Missing Slack signature headers (X-Slack-Signature, X-Slack-Request-Timestamp).');
  }
  if (!/^\d{1,12}$/.test(timestamp)) throw refuse(401, 'The Slack request timestamp is not a number.');
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > MAX_SKEW_SECONDS) {
    throw refuse(401, 'The Slack request timestamp is more than 5 minutes away from now.');
  }
  const expected = Buffer.from(
    `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(raw).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw refuse(401, 'The Slack signature does not match.');
  }
}

/** Parses the body exactly as Bolt's receiver will (form with an optional JSON `payload`, otherwise JSON). */
function parse(raw: string, contentType: string | undefined): unknown {
  if (contentType === 'application/x-www-form-urlencoded') {
    const form = querystring.parse(raw);
    if (typeof form.payload === 'string') return JSON.parse(form.payload);
    for (const [k, v] of Object.entries(form)) {
      if (typeof v !== 'string') throw new Error(`the form field ${k} appears more than once`);
    }
    return { ...form };
  }
  return JSON.parse(raw);
}

export function slackEdge(signingSecret: string, now: () => number = Date.now): RequestHandler[] {
  const raw = express.raw({ type: () => true, limit: BODY_LIMIT });
  const check: RequestHandler = (req, _res, next) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    verify(signingSecret, body, req.headers, now());
    let parsed: unknown;
    try {
      parsed = parse(body.toString('utf8'), req.headers['content-type']);
    } catch (err) {
      throw refuse(400, `The body is not a Slack payload: ${(err as Error).message}.`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw refuse(400, 'The body must be a JSON object or a form, as Slack sends.');
    }
    const schema = schemaFor(parsed as Record<string, unknown>);
    if (!schema) throw refuse(400, 'Not a kind of request Slack sends (an event, a command or an interaction).');
    const shape = schema.safeParse(parsed);
    if (!shape.success) {
      const issue = shape.error.issues[0]!;
      throw refuse(400, `Malformed Slack payload: ${issue.path.join('.') || 'body'}: ${issue.message}.`);
    }
    // Bolt reads the raw body from here instead of the (consumed) stream, and parses it again itself.
    (req as unknown as { rawBody: Buffer }).rawBody = body;
    next();
  };
  return [raw, check];
}
