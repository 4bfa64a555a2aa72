/**
 * The one error type of the product. `code` says what went wrong in a way the edges can act on:
 * HTTP maps it to a status, the workers decide whether to retry, the chat and Slack turn it into words.
 */
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable'
  | 'config'
  | 'internal';

const httpStatusByCode: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  config: 500,
  internal: 500,
};

export interface AppErrorOptions {
  /** Whether trying again later may succeed (a queue retries these; others fail at once). */
  retryable?: boolean;
  /** Structured details safe to show to the caller (e.g. which field is wrong). */
  details?: unknown;
  /** Extra context for the logs only. */
  context?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: unknown;
  readonly context: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryable = options.retryable ?? (code === 'unavailable' || code === 'rate_limited');
    this.details = options.details;
    this.context = options.context ?? {};
  }

  get httpStatus(): number {
    return httpStatusByCode[this.code];
  }

  /** Expected failures (bad input, auth) are the caller's business, not bugs: log them quietly. */
  get expected(): boolean {
    return this.httpStatus < 500;
  }
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;

export const badRequest = (message: string, details?: unknown) => new AppError('bad_request', message, { details });
export const notFound = (message: string) => new AppError('not_found', message);
export const conflict = (message: string, details?: unknown) => new AppError('conflict', message, { details });
export const unauthorized = (message: string) => new AppError('unauthorized', message);
export const forbidden = (message: string) => new AppError('forbidden', message);
