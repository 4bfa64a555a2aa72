/**
 * PostgreSQL adapter of Direct Line: conversations (`dl_conversation`, mirrored into `chat_conversation` for
 * the bot) and their activities (`dl_activity`). Every write is one statement, so one round trip and one
 * implicit transaction. Sequence numbers come from `UPDATE dl_conversation SET last_seq = last_seq + 1`:
 * the row lock serialises appends to a conversation until commit, so seq order is commit order and a reader
 * that saw seq n never later finds an uncommitted n-1 appearing behind its watermark.
 */
import type { Db } from '../infra/db.ts';

export interface ConversationRow {
  id: string;
  userId: string;
  accountId: string;
}

export interface AppendResult {
  seq: number;
  userId: string;
  accountId: string;
  /** what the `alongUserActivity` expression found (asked for user activities only) */
  along?: unknown;
}

export interface ActivityRow {
  seq: number;
  /** the stored activity as JSON text, exactly as sent to clients */
  json: string;
}

/** The activity id for a sequence number: `${conversationId}|0000042` (at least 7 digits). */
export const activityId = (conversationId: string, seq: number) => `${conversationId}|${String(seq).padStart(7, '0')}`;

const CREATE_SQL = `
WITH c AS (
  INSERT INTO dl_conversation (id, user_id, account_id) VALUES ($1, $2, $3) RETURNING id
)
INSERT INTO chat_conversation (id, channel_id, account_id, user_id, locale)
SELECT c.id, 'directline', $3, $2, $4 FROM c
ON CONFLICT (id) DO UPDATE SET
  channel_id = 'directline',
  account_id = EXCLUDED.account_id,
  user_id = EXCLUDED.user_id,
  locale = COALESCE(EXCLUDED.locale, chat_conversation.locale),
  last_activity_at = now()`;

// $1 conversation id, $2 activity JSON without id (and, for bot activities, without recipient),
// $3 required user id or NULL, $4 true to add the bound user as recipient (bot activities).
const appendSql = (along?: string) => `
WITH s AS (
  UPDATE dl_conversation SET last_seq = last_seq + 1
  WHERE id = $1 AND ($3::text IS NULL OR user_id = $3::text)
  RETURNING last_seq, user_id, account_id
), i AS (
  INSERT INTO dl_activity (conversation_id, seq, activity)
  SELECT $1, s.last_seq,
    $2::jsonb
    || jsonb_build_object('id', $1 || '|' || lpad(s.last_seq::text, greatest(7, length(s.last_seq::text)), '0'))
    || CASE WHEN $4::boolean THEN jsonb_build_object('recipient', jsonb_build_object('id', s.user_id, 'role', 'user'))
            ELSE '{}'::jsonb END
  FROM s
  RETURNING seq
)
SELECT s.last_seq AS seq, s.user_id, s.account_id${along ? `, ${along} AS along` : ''} FROM s`;
const APPEND_SQL = appendSql();

const READ_SQL = `
SELECT seq, activity::text AS json FROM dl_activity
WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`;

const GET_SQL = 'SELECT id, user_id, account_id FROM dl_conversation WHERE id = $1';

const LAST_SEQS_SQL = 'SELECT id, last_seq FROM dl_conversation WHERE id = ANY($1::text[])';

/**
 * `alongUserActivity`: a scalar SQL expression over $1 (the conversation id) evaluated in the statement that
 * appends a client's activity (see DirectLineDeps.alongUserActivity).
 */
export function createStore(db: Db, alongUserActivity?: string) {
  const appendAlong = alongUserActivity ? appendSql(alongUserActivity) : undefined;
  return {
    async createConversation(c: ConversationRow & { locale: string | null }): Promise<void> {
      await db.pool.query({ name: 'dl_create', text: CREATE_SQL, values: [c.id, c.userId, c.accountId, c.locale] });
    },

    /**
     * Appends an activity; answers null when the conversation does not exist (or is not bound to `requireUserId`).
     * `json` must be the activity's JSON text without `id`.
     */
    async append(
      conversationId: string,
      json: string,
      opts: { requireUserId: string | null; addUserAsRecipient: boolean; along?: boolean },
    ): Promise<AppendResult | null> {
      const withAlong = opts.along === true && appendAlong !== undefined;
      const r = await db.pool.query<{ seq: number; user_id: string; account_id: string; along?: unknown }>({
        name: withAlong ? 'dl_append_along' : 'dl_append',
        text: withAlong ? appendAlong : APPEND_SQL,
        values: [conversationId, json, opts.requireUserId, opts.addUserAsRecipient],
      });
      const row = r.rows[0];
      if (!row) return null;
      return {
        seq: row.seq,
        userId: row.user_id,
        accountId: row.account_id,
        ...(withAlong ? { along: row.along ?? null } : {}),
      };
    },

    async readAfter(conversationId: string, afterSeq: number, limit: number): Promise<ActivityRow[]> {
      const r = await db.pool.query<{ seq: number; json: string }>({
        name: 'dl_read',
        text: READ_SQL,
        values: [conversationId, afterSeq, limit],
      });
      return r.rows;
    },

    async get(conversationId: string): Promise<ConversationRow | null> {
      const r = await db.pool.query<{ id: string; user_id: string; account_id: string }>({
        name: 'dl_get',
        text: GET_SQL,
        values: [conversationId],
      });
      const row = r.rows[0];
      return row ? { id: row.id, userId: row.user_id, accountId: row.account_id } : null;
    },

    async lastSeqs(ids: string[]): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      if (ids.length === 0) return out;
      const r = await db.pool.query<{ id: string; last_seq: number }>({
        name: 'dl_last_seqs',
        text: LAST_SEQS_SQL,
        values: [ids],
      });
      for (const row of r.rows) out.set(row.id, row.last_seq);
      return out;
    },
  };
}

export type Store = ReturnType<typeof createStore>;
