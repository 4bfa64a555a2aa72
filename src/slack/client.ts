/** The Slack Web API client for workers (no receiver needed). BullMQ retries on top of a few quick retries. */
import { LogLevel, WebClient } from '@slack/web-api';

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
