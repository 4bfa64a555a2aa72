/** The Slack Web API client for workers (no receiver needed), and how its failures become job outcomes. */
import { LogLevel, WebClient } from '@slack/web-api';
import { AppError } from '../shared/errors.ts';

export function createSlackClient(opts: { token: string; apiUrl?: string | undefined }): WebClient {
  return new WebClient(opts.token, {
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
    logLevel: LogLevel.ERROR,
    // Honour Retry-After on 429; a couple of fast retries for 5xx, then the job's own backoff takes over.
    retryConfig: { retries: 2, factor: 2, minTimeout: 300, maxTimeout: 2_000 },
    rejectRateLimitedCalls: false,
    timeout: 10_000,
  });
}

/** Slack answers that no retry can fix. */
const PERMANENT = new Set([
  'channel_not_found',
  'user_not_found',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'invalid_blocks',
  'not_in_channel',
  'is_archived',
  'msg_too_long',
  'no_text',
]);

/** Turns a Slack API failure into our error: retryable (BullMQ backs off) unless Slack said it never will work. */
export function slackError(err: unknown): AppError {
  const e = err as { data?: { error?: string }; message?: string };
  const reason = e.data?.error ?? e.message ?? String(err);
  const permanent = PERMANENT.has(e.data?.error ?? '');
  return new AppError(permanent ? 'bad_request' : 'unavailable', `Slack: ${reason}`, { retryable: !permanent });
}

/** Runs a Web API call, turning its failure into our error. */
export async function slackCall<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    throw slackError(err);
  }
}
