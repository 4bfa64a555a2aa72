/**
 * What a Direct Line client may post, checked and reduced to the fields the bot may use. Identity never comes
 * from the client: `from`, `recipient`, `conversation`, `channelId`, `id` and `timestamp` are set by the server,
 * and account or user ids in `channelData` are dropped.
 */
import { AppError } from '../shared/errors.ts';
import { checkJson, unstorableReason } from '../shared/text.ts';

export const ACCEPTED_TYPES = [
  'message',
  'event',
  'typing',
  'conversationUpdate',
  'invoke',
  'messageReaction',
] as const;
export type AcceptedType = (typeof ACCEPTED_TYPES)[number];

export const LIMITS = {
  /** characters of `text` */
  text: 10_000,
  attachments: 10,
  /** bytes of one attachment as JSON (inline content or a data: URL) */
  attachmentBytes: 64 * 1024,
  /** bytes of all attachments together */
  attachmentsBytes: 192 * 1024,
  entities: 50,
  shortString: 256,
  /** levels of nesting in value, channelData, entities and attachments (checked before anything stringifies them) */
  depth: 64,
} as const;

const TEXT_FORMATS = new Set(['plain', 'markdown', 'xml']);
const ACCEPTED = new Set<string>(ACCEPTED_TYPES);
/** channelData keys that could be mistaken for an identity claim; the binding is the only truth. */
const UNTRUSTED_CHANNEL_DATA_KEYS = new Set([
  'accountId',
  'account_id',
  'account',
  'userId',
  'user_id',
  'user',
  'tenant',
  'tenantId',
]);

const bad = (message: string) => new AppError('bad_request', message);
const tooLarge = (message: string) => new AppError('payload_too_large', message);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function optionalString(a: Record<string, unknown>, key: string, max: number = LIMITS.shortString): string | undefined {
  const v = a[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw bad(`activity.${key} must be a string.`);
  if (v.length > max) throw bad(`activity.${key} is longer than ${max} characters.`);
  storable(`activity.${key}`, v);
  return v;
}

/** Refuses a string PostgreSQL cannot hold (NUL, unpaired surrogates), naming the field. */
function storable(field: string, v: string) {
  const reason = unstorableReason(v);
  if (reason) throw bad(`${field} ${reason}.`);
}

/** Refuses a JSON value nested too deep (413) or holding a key or string PostgreSQL cannot hold (400). */
function storableJson(field: string, v: unknown) {
  const problem = checkJson(v, { maxDepth: LIMITS.depth, path: field });
  if (!problem) return;
  if (problem.tooDeep) throw tooLarge(`${problem.path} ${problem.reason}.`);
  throw bad(`${problem.path} ${problem.reason}.`);
}

/** Counts characters as people do (code points), cheaply when the string is short anyway. */
function charCount(s: string): number {
  if (s.length <= LIMITS.text) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Checks a client's activity and returns the fields to store (no id, timestamp or identity yet): every kept
 * string storable in PostgreSQL, every kept JSON value at most LIMITS.depth levels deep.
 * Throws AppError (400, or 413 for sizes and depth) with the reason and the field.
 */
export function pickClientFields(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || body === '') {
    throw bad('Send the activity as a JSON object in the body, for example {"type":"message","text":"Hi"}.');
  }
  if (!isPlainObject(body)) throw bad('The activity must be a JSON object.');
  const type = body.type;
  if (type === undefined || type === null || type === '') {
    throw bad(`activity.type is required; accepted types: ${ACCEPTED_TYPES.join(', ')}.`);
  }
  if (typeof type !== 'string' || !ACCEPTED.has(type)) {
    throw bad(
      `Unsupported activity type ${JSON.stringify(String(type)).slice(0, 80)}; accepted types: ${ACCEPTED_TYPES.join(', ')}.`,
    );
  }
  const out: Record<string, unknown> = { type };

  const text = body.text;
  if (text !== undefined && text !== null) {
    if (typeof text !== 'string') throw bad('activity.text must be a string.');
    if (charCount(text) > LIMITS.text) {
      throw tooLarge(
        `activity.text is longer than ${LIMITS.text.toLocaleString('en')} characters; send a shorter message.`,
      );
    }
    storable('activity.text', text);
    out.text = text;
  }
  const textFormat = optionalString(body, 'textFormat', 16);
  if (textFormat !== undefined) {
    if (!TEXT_FORMATS.has(textFormat)) throw bad('activity.textFormat must be plain, markdown or xml.');
    out.textFormat = textFormat;
  }
  for (const key of ['name', 'locale', 'replyToId', 'localTimestamp', 'localTimezone'] as const) {
    const v = optionalString(body, key, key === 'locale' ? 64 : LIMITS.shortString);
    if (v !== undefined) out[key] = v;
  }
  if (body.value !== undefined) {
    storableJson('activity.value', body.value);
    out.value = body.value;
  }

  if (body.attachments !== undefined && body.attachments !== null) {
    const atts = body.attachments;
    if (!Array.isArray(atts)) throw bad('activity.attachments must be an array.');
    if (atts.length > LIMITS.attachments) throw tooLarge(`At most ${LIMITS.attachments} attachments per activity.`);
    storableJson('activity.attachments', atts);
    let total = 0;
    atts.forEach((a, i) => {
      if (!isPlainObject(a)) throw bad(`activity.attachments[${i}] must be an object.`);
      if (a.contentType !== undefined && typeof a.contentType !== 'string') {
        throw bad(`activity.attachments[${i}].contentType must be a string.`);
      }
      const size = Buffer.byteLength(JSON.stringify(a));
      if (size > LIMITS.attachmentBytes) {
        throw tooLarge(`activity.attachments[${i}] is larger than ${LIMITS.attachmentBytes / 1024} KB.`);
      }
      total += size;
    });
    if (total > LIMITS.attachmentsBytes) {
      throw tooLarge(`The attachments are larger than ${LIMITS.attachmentsBytes / 1024} KB together.`);
    }
    if (atts.length > 0) out.attachments = atts;
  }
  if (body.attachmentLayout === 'list' || body.attachmentLayout === 'carousel') {
    out.attachmentLayout = body.attachmentLayout;
  }

  if (body.entities !== undefined && body.entities !== null) {
    const entities = body.entities;
    if (!Array.isArray(entities) || !entities.every(isPlainObject)) {
      throw bad('activity.entities must be an array of objects.');
    }
    if (entities.length > LIMITS.entities) throw bad(`At most ${LIMITS.entities} entities per activity.`);
    storableJson('activity.entities', entities);
    if (entities.length > 0) out.entities = entities;
  }

  if (body.channelData !== undefined && body.channelData !== null) {
    if (!isPlainObject(body.channelData)) throw bad('activity.channelData must be an object.');
    const cd: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body.channelData)) if (!UNTRUSTED_CHANNEL_DATA_KEYS.has(k)) cd[k] = v;
    storableJson('activity.channelData', cd);
    out.channelData = cd;
  }

  if (type === 'messageReaction') {
    for (const key of ['reactionsAdded', 'reactionsRemoved'] as const) {
      const v = body[key];
      if (v === undefined || v === null) continue;
      if (!Array.isArray(v) || v.length > 20 || !v.every(isPlainObject)) {
        throw bad(`activity.${key} must be an array of at most 20 reactions.`);
      }
      storableJson(`activity.${key}`, v);
      out[key] = v;
    }
  }
  return out;
}
