import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/**
 * What never reaches the logs by default: credentials wherever a logged object carries them (request headers,
 * tokens, keys, secrets, passwords, the Authorization header of a failed HTTP client call), and what customers
 * write (message text). Request lines are reduced to id, method, URL and address (src/app/http.ts).
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.Authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.headers.cookie',
  'err.config.headers.Authorization',
  'err.config.headers.authorization',
  'err.config.data',
  'err.response.config.headers.Authorization',
  'err.response.config.headers.authorization',
  'authorization',
  'token',
  'secret',
  'password',
  'apiKey',
  '*.token',
  '*.secret',
  '*.password',
  '*.apiKey',
  '*.botToken',
  '*.appToken',
  '*.signingSecret',
  '*.appPassword',
  '*.accessToken',
  '*.refreshToken',
  'activity.text',
  '*.activity.text',
  'body',
  'req.body',
];

export function createLogger(opts: {
  level: string;
  pretty?: boolean;
  name?: string;
  /** where the lines go (default stdout; tests read them) */
  destination?: DestinationStream;
}): Logger {
  const options = {
    level: opts.level,
    base: opts.name ? { svc: opts.name } : undefined,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(opts.pretty && !opts.destination
      ? {
          transport: {
            target: 'pino-pretty',
            options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
          },
        }
      : {}),
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
