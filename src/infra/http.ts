/** HTTP edge of the one error type: every failure becomes a status and a JSON body with a reason. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError, type ErrorCode, isAppError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Human-readable reason from zod issues: "events[3].credits: must be a whole number". */
export function zodReason(err: ZodError): { message: string; details: Array<{ path: string; message: string }> } {
  const details = err.issues.slice(0, 20).map((i) => ({
    path: i.path.reduce<string>(
      (acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)),
      '',
    ),
    message: i.message,
  }));
  const message = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
  return { message: message || 'Invalid request.', details };
}

/** Maps body-parser's errors (malformed JSON, too large) to our error type. */
function fromBodyParser(err: { type?: string; message?: string; status?: number }): AppError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError('bad_request', `Malformed JSON: ${err.message ?? 'could not parse the body'}.`);
    case 'entity.too.large':
      return new AppError('payload_too_large', 'The request body is too large.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', err.message ?? 'Unsupported encoding.');
    case 'request.aborted':
      return new AppError('bad_request', 'The request was aborted.');
    default:
      return undefined;
  }
}

const codeByStatus: Partial<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/**
 * An error that already carries a client-error status (http-errors from body-parser, the router's
 * percent-decoding, a Content-Encoding the body does not have) keeps it: the client's fault stays a 4xx.
 */
function fromStatus(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown };
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : NaN;
  if (!(status >= 400 && status < 500)) return undefined;
  const message =
    e.expose !== false && typeof e.message === 'string' && e.message ? e.message : 'The request is not valid.';
  return new AppError(codeByStatus[status] ?? 'bad_request', message.slice(0, 300), { cause: err });
}

export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  if (err instanceof ZodError) {
    const { message, details } = zodReason(err);
    return new AppError('bad_request', message, { details });
  }
  const bp = fromBodyParser(err as { type?: string });
  if (bp) return bp;
  const carried = fromStatus(err);
  if (carried) return carried;
  return new AppError('internal', 'Something went wrong on our side.', { cause: err });
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appErr = toAppError(err);
    // The request's own logger (pino-http) when there is one, so the line carries the request id.
    const log = (req as { log?: Logger }).log ?? logger;
    if (appErr.expected) log.debug({ code: appErr.code, path: req.path, reason: appErr.message }, 'request refused');
    else log.error({ err: appErr.cause ?? appErr, path: req.path }, 'request failed');
    if (res.headersSent) return;
    const body: ErrorBody = { error: { code: appErr.code, message: appErr.message } };
    if (appErr.details !== undefined) body.error.details = appErr.details;
    res.status(appErr.httpStatus).json(body);
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `No route for ${req.method} ${req.path}.`));
};

/** Refuses a write without a JSON body type, so a form post never reaches validation as an empty object. */
export const requireJson: RequestHandler = (req, _res, next) => {
  if ((req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') && !req.is('application/json')) {
    next(new AppError('unsupported_media_type', 'Send the body as application/json.'));
    return;
  }
  next();
};
