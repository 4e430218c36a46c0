// Errors as docs/api.md defines them: {"error": {"message", "code"}} with a matching status.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../../util/log.js';
import { RunConflictError } from '../runs.js';

export type ErrorCode = 'bad_request' | 'unauthorized' | 'not_found' | 'conflict' | 'too_large' | 'misdirected' | 'internal' | 'unavailable';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  misdirected: 421,
  internal: 500,
  unavailable: 503,
};

export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra top-level fields of the answer, such as the running id of a 409. */
    readonly extra: Record<string, unknown> = {},
    /** What to do about it, when the agent knows (`error.hint`). */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  get status(): number {
    return STATUS[this.code];
  }
}

export const notFound: RequestHandler = (req) => {
  throw new HttpError('not_found', `no such endpoint: ${req.method} ${req.path}`);
};

/**
 * Express's own 4xx errors are the client's fault, not the agent's: the router's URIError for a
 * path parameter that does not decode, and the body parser's errors (a `type` and a status). They
 * are mapped onto the contract's codes; only the rest is an internal error worth a stack trace.
 */
function asHttpError(err: unknown): HttpError | null {
  if (err instanceof HttpError) return err;
  if (err instanceof RunConflictError) return new HttpError('conflict', err.message, err.id ? { id: err.id } : {});
  if (err instanceof URIError) return new HttpError('bad_request', 'malformed percent-encoding in the URL path');
  const { type, status } = (err ?? {}) as { type?: unknown; status?: unknown };
  if (type === 'entity.too.large') return new HttpError('too_large', 'the request body is too large (16 kB at most)');
  if (type === 'entity.parse.failed') return new HttpError('bad_request', 'the request body is not valid JSON');
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Without a type: the body did not decompress (Content-Encoding gzip, deflate or br).
    return new HttpError('bad_request', typeof type === 'string' ? `unreadable request body (${type})` : 'unreadable request body');
  }
  return null;
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = asHttpError(err);
    if (!known) log.error({ err, method: req.method, path: req.path }, 'request failed');
    const e = known ?? new HttpError('internal', 'internal error; the agent log has the details');
    if (e.code === 'unauthorized') res.set('WWW-Authenticate', 'Bearer realm="warden"');
    res.status(e.status).json({ error: { message: e.message, code: e.code, ...(e.hint === undefined ? {} : { hint: e.hint }) }, ...e.extra });
  };
}
