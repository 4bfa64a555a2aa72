import { type Logger, pino } from 'pino';

export type { Logger };

export function createLogger(opts: { level: string; pretty?: boolean; name?: string }): Logger {
  return pino({
    level: opts.level,
    base: opts.name ? { svc: opts.name } : undefined,
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.token', '*.secret', '*.password'],
      censor: '[redacted]',
    },
    ...(opts.pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
          },
        }
      : {}),
  });
}
