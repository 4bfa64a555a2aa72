/**
 * The chat that led to an escalation, for the people who take it over: the last messages of the customer's
 * conversation as the self-hosted Direct Line stored them (other channels keep no transcript here).
 */
import type { Db } from '../infra/db.ts';

export interface TranscriptLine {
  at: string;
  from: 'customer' | 'bot';
  name: string | null;
  text: string;
}

/** The last `limit` messages of the conversation, oldest first. */
export async function chatLines(db: Db, conversationId: string, limit = 8): Promise<TranscriptLine[]> {
  const { rows } = await db.sql<{ at: string; role: string | null; name: string | null; text: string | null }>(
    `SELECT activity->>'timestamp' AS at, activity->'from'->>'role' AS role, activity->'from'->>'name' AS name,
            activity->>'text' AS text
       FROM dl_activity
      WHERE conversation_id = $1 AND activity->>'type' = 'message' AND coalesce(activity->>'text', '') <> ''
      ORDER BY seq DESC LIMIT $2`,
    [conversationId, limit],
  );
  return rows.reverse().map((r) => ({
    at: r.at ?? '',
    from: r.role === 'user' ? 'customer' : 'bot',
    name: r.name,
    text: r.text ?? '',
  }));
}
