/**
 * Configuration, parsed once by the entry file (never at import time) from the environment.
 * Names follow docs/contract.md. Outside production, missing secrets are generated for the session
 * so that `npm start` needs nothing but PostgreSQL and Redis; in production a missing secret stops the start.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** all: HTTP server and queue workers in one process; web or worker: one half, for scaling out. */
  ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  /** Express "trust proxy": which hops may set X-Forwarded-For/-Proto/-Host (client address, stream URLs). */
  TRUST_PROXY: z.string().default('loopback, linklocal, uniquelocal'),
  /** Processes serving this role on the same port (node:cluster); 1 = this process only. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Bearer token required by GET /metrics (Prometheus); unset = open (keep it on an internal network). */
  METRICS_TOKEN: optionalString,
  DATABASE_URL: z.string().url().default('postgresql://root@127.0.0.1:5432/creditbot'),
  /** Pool size of each process's PostgreSQL connection pool. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Prefix of every Redis key (BullMQ queues, pub/sub channels): several deployments or test runs can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/)
    .default('creditbot'),

  PLATFORM_API_KEY: optionalString,
  DIRECT_LINE_SECRET: optionalString,
  /** Lifetime of a Direct Line token, seconds. */
  DIRECT_LINE_TOKEN_TTL: z.coerce.number().int().min(60).max(86_400).default(1800),
  PLATFORM_WEBHOOK_URL: optionalString,
  /** HMAC key of the platform webhooks; defaults to PLATFORM_API_KEY. */
  PLATFORM_WEBHOOK_SECRET: optionalString,

  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_API_URL: optionalString,
  /** Socket Mode instead of the HTTP receiver (needs an app-level token). */
  SLACK_SOCKET_MODE: bool,
  SLACK_APP_TOKEN: optionalString,
  /** Slack user ids who may decide any request, besides the account's manager. */
  SLACK_APPROVERS: list,
  /** Channel told about SLA breaches and failures. */
  SLACK_SUPPORT_CHANNEL: optionalString,
  /** Channel where every escalation's thread opens (default: the account manager's DM). */
  SLACK_ESCALATION_CHANNEL: optionalString,

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString,
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  /** The assistant's whole turn (every model call and tool) may take this long, ms; then the deterministic answer. */
  LLM_TIMEOUT_MS: z.coerce.number().int().min(500).max(9_000).default(8_000),
  /** Model calls in one turn at most (each may ask for tools; the last must answer). */
  LLM_MAX_ROUNDS: z.coerce.number().int().min(1).max(4).default(4),
  /** Estimated prompt tokens one turn may send over all its model calls; a call that would pass it is not made. */
  LLM_TURN_TOKEN_BUDGET: z.coerce.number().int().min(500).max(100_000).default(6_000),
  /** Estimated tokens of conversation memory (recent turns, then a summary of older ones) in a prompt. */
  LLM_MEMORY_TOKENS: z.coerce.number().int().min(0).max(10_000).default(300),
  /** Messages a user may send to the model per window (every process counts in Redis); then quick answers only. */
  LLM_USER_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(20),
  LLM_USER_RATE_WINDOW: z.coerce.number().int().min(1).max(86_400).default(600),

  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  MicrosoftAppTenantId: optionalString,
  /** Accept unauthenticated activities at /api/messages without MicrosoftAppId (Bot Framework Emulator). Never in production. */
  BOT_ALLOW_UNAUTHENTICATED: bool,

  /** Business hours for SLAs, in SLA_TIME_ZONE: "09:00-18:00" on weekdays Mon-Fri. */
  SLA_BUSINESS_HOURS: z
    .string()
    .regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/)
    .default('09:00-18:00'),
  SLA_TIME_ZONE: z.string().default('Europe/Madrid'),
  /** Business days for SLAs, ISO weekday numbers: "1-5" (Monday to Friday) or a list such as "1,2,3,4,5,6". */
  SLA_BUSINESS_DAYS: z
    .string()
    .regex(/^[1-7](-[1-7])?(,[1-7](-[1-7])?)*$/)
    .default('1-5'),
  /**
   * BullMQ lockDuration, ms: a job whose worker died is taken over within about this long plus two stall checks
   * (JOB_LOCK_MS / 4 each); a live worker renews its locks every JOB_LOCK_MS / 2, so long jobs keep theirs.
   */
  JOB_LOCK_MS: z.coerce.number().int().min(1_000).max(600_000).default(5_000),
  /**
   * Keep accounts in memory until PostgreSQL announces a change (LISTEN ledger_changed, checked by probes); off
   * ("false") reads them on every call and opens no listening connection.
   */
  ACCOUNT_CACHE: z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .optional()
    .transform((v) => !(v === 'false' || v === '0' || v === 'no')),
  /** Business hours a request may wait for a decision. */
  SLA_HOURS: z.coerce.number().positive().max(200).default(4),
  /** Business minutes an escalation may wait for a person to pick it up. */
  ESCALATION_SLA_MINUTES: z.coerce.number().int().positive().max(10_000).default(60),
  /**
   * Public base URL of this service (https://support.example.com): the links the bot sends (CSV exports, shared
   * files) and the console links in Slack are absolute from it.
   */
  PUBLIC_URL: z
    .string()
    .url()
    .optional()
    .transform((v) => v?.replace(/\/+$/, '')),
  /** Key material of every signed link (CSV exports, files shared in escalations); derived from PLATFORM_API_KEY. */
  LINK_SIGNING_SECRET: optionalString,
  /** Lifetime of a CSV export link, seconds. */
  EXPORT_LINK_TTL: z.coerce.number().int().min(60).max(86_400).default(900),

  /** The demo page (GET /) opens chats for this platform user. Defaults on outside production. */
  DEMO_USER_ID: z.string().default('usr_demo_laura'),
  DEMO_ENABLED: z.enum(['true', 'false']).optional(),
  /** Seed the demo account on start when the database has no account (default: outside production). */
  SEED_DEMO: z.enum(['true', 'false']).optional(),
  /** Console login created on first start when no operator exists (dev default admin@example.com / generated). */
  CONSOLE_ADMIN_EMAIL: z.string().email().default('admin@example.com'),
  CONSOLE_ADMIN_PASSWORD: optionalString,
});

export type Env = z.input<typeof schema>;

export interface Config {
  env: 'development' | 'test' | 'production';
  role: 'all' | 'web' | 'worker';
  port: number;
  webConcurrency: number;
  trustProxy: string;
  logLevel: string;
  metricsToken?: string;
  databaseUrl: string;
  databasePoolSize: number;
  redisUrl: string;
  redisPrefix: string;
  platformApiKey: string;
  directLine: { secret: string; tokenTtlSeconds: number };
  linkSigningSecret: string;
  webhook: { url?: string; secret: string };
  slack?: {
    botToken: string;
    signingSecret: string;
    apiUrl?: string;
    socketMode: boolean;
    appToken?: string;
    approvers: string[];
    supportChannel?: string;
    escalationChannel?: string;
  };
  /** the LLM assistant (src/chat/llm): an OpenAI-compatible server, and the bounds of each turn */
  openai?: {
    apiKey: string;
    baseURL?: string;
    model: string;
    timeoutMs: number;
    maxRounds: number;
    turnTokenBudget: number;
    memoryTokens: number;
    rateLimit: { max: number; windowSeconds: number };
  };
  bot: {
    appId?: string;
    appPassword?: string;
    appType?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    tenantId?: string;
    allowUnauthenticated: boolean;
  };
  sla: { hours: number; businessStart: string; businessEnd: string; timeZone: string; businessDays: number[] };
  /** the same business calendar, with the time a person has to pick an escalation up */
  escalationSla: {
    hours: number;
    businessStart: string;
    businessEnd: string;
    timeZone: string;
    businessDays: number[];
  };
  publicUrl: string;
  jobLockMs: number;
  /** keep accounts in memory while listening for their changes */
  accountCache: boolean;
  demo: { enabled: boolean; userId: string; seed: boolean };
  /** signed CSV export links: the secret the signing key is derived from, their lifetime, the public base URL */
  exports: { secret: string; ttlSeconds: number; publicUrl?: string };
  console: { adminEmail: string; adminPassword?: string };
  /** Secrets generated for this session (not production); shown once in the start log. */
  generatedSecrets: string[];
}

export class ConfigError extends Error {}

/** Parses the environment once. Throws ConfigError with one line per problem, naming the variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const generated: string[] = [];
  const secret = (name: string, value: string | undefined): string => {
    if (value) return value;
    if (production) throw new ConfigError(`${name} is required in production: set it in the environment.`);
    generated.push(name);
    return randomBytes(24).toString('base64url');
  };

  const slackToken = e.SLACK_BOT_TOKEN;
  const slackSecret = e.SLACK_SIGNING_SECRET;
  if (Boolean(slackToken) !== Boolean(slackSecret)) {
    throw new ConfigError(
      'SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET go together: set both to enable Slack, or neither.',
    );
  }
  if (e.SLACK_SOCKET_MODE && !e.SLACK_APP_TOKEN) {
    throw new ConfigError('SLACK_SOCKET_MODE=true needs SLACK_APP_TOKEN (an app-level xapp- token).');
  }
  if (production && e.BOT_ALLOW_UNAUTHENTICATED) {
    throw new ConfigError('BOT_ALLOW_UNAUTHENTICATED cannot be used with NODE_ENV=production.');
  }
  if (e.MicrosoftAppId && e.MicrosoftAppType !== 'UserAssignedMSI' && !e.MicrosoftAppPassword) {
    throw new ConfigError('MicrosoftAppId is set without MicrosoftAppPassword.');
  }
  const [businessStart, businessEnd] = e.SLA_BUSINESS_HOURS.split('-') as [string, string];
  const platformApiKey = secret('PLATFORM_API_KEY', e.PLATFORM_API_KEY);
  const directLineSecret = secret('DIRECT_LINE_SECRET', e.DIRECT_LINE_SECRET);
  // Each use derives its own key from it (a purpose label), so the API key itself never signs a link.
  const linkSecret = e.LINK_SIGNING_SECRET ?? `export-links:${platformApiKey}`;
  const businessDays = e.SLA_BUSINESS_DAYS.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number) as [number, number | undefined];
    return Array.from({ length: (b ?? a) - a + 1 }, (_, i) => a + i);
  });

  return {
    env: e.NODE_ENV,
    role: e.ROLE,
    port: e.PORT,
    webConcurrency: e.WEB_CONCURRENCY,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    platformApiKey,
    directLine: { secret: directLineSecret, tokenTtlSeconds: e.DIRECT_LINE_TOKEN_TTL },
    linkSigningSecret: linkSecret,
    webhook: { url: e.PLATFORM_WEBHOOK_URL, secret: e.PLATFORM_WEBHOOK_SECRET ?? platformApiKey },
    slack:
      slackToken && slackSecret
        ? {
            botToken: slackToken,
            signingSecret: slackSecret,
            apiUrl: e.SLACK_API_URL,
            socketMode: e.SLACK_SOCKET_MODE,
            appToken: e.SLACK_APP_TOKEN,
            approvers: e.SLACK_APPROVERS,
            supportChannel: e.SLACK_SUPPORT_CHANNEL,
            escalationChannel: e.SLACK_ESCALATION_CHANNEL,
          }
        : undefined,
    openai: e.OPENAI_API_KEY
      ? {
          apiKey: e.OPENAI_API_KEY,
          baseURL: e.OPENAI_BASE_URL,
          model: e.OPENAI_MODEL,
          timeoutMs: e.LLM_TIMEOUT_MS,
          maxRounds: e.LLM_MAX_ROUNDS,
          turnTokenBudget: e.LLM_TURN_TOKEN_BUDGET,
          memoryTokens: e.LLM_MEMORY_TOKENS,
          rateLimit: { max: e.LLM_USER_RATE_LIMIT, windowSeconds: e.LLM_USER_RATE_WINDOW },
        }
      : undefined,
    bot: {
      appId: e.MicrosoftAppId,
      appPassword: e.MicrosoftAppPassword,
      appType: e.MicrosoftAppType,
      tenantId: e.MicrosoftAppTenantId,
      allowUnauthenticated: e.BOT_ALLOW_UNAUTHENTICATED || (!production && !e.MicrosoftAppId),
    },
    sla: {
      hours: e.SLA_HOURS,
      businessStart,
      businessEnd,
      timeZone: e.SLA_TIME_ZONE,
      businessDays,
    },
    escalationSla: {
      hours: e.ESCALATION_SLA_MINUTES / 60,
      businessStart,
      businessEnd,
      timeZone: e.SLA_TIME_ZONE,
      businessDays,
    },
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    jobLockMs: e.JOB_LOCK_MS,
    accountCache: e.ACCOUNT_CACHE,
    demo: {
      enabled: e.DEMO_ENABLED ? e.DEMO_ENABLED === 'true' : !production,
      userId: e.DEMO_USER_ID,
      seed: e.SEED_DEMO ? e.SEED_DEMO === 'true' : !production,
    },
    exports: {
      // Derived again (src/credits/usage-export.ts exportKey) for this purpose.
      secret: linkSecret,
      ttlSeconds: e.EXPORT_LINK_TTL,
      publicUrl: e.PUBLIC_URL,
    },
    console: { adminEmail: e.CONSOLE_ADMIN_EMAIL, adminPassword: e.CONSOLE_ADMIN_PASSWORD },
    generatedSecrets: generated,
  };
}
