import {
  describeError,
  diagnostics,
  ERROR_CODES,
  getConfig,
  getLoggingRuntime,
  getServerSpan,
  isDevelopmentEnvironment,
  logger,
  readField,
  recordSpanFailure,
  textOf,
} from '../core.js';
import { buildErrorBody, errorHeadersOf, isError, messageOf, statusOfError } from './build-error-body.js';
import { requestIdOf } from './request-id-of.js';
import { requestPath } from './request-path.js';
import { getRequestState } from './request-state.js';
import { sendJson } from './send-json.js';
import type { ErrorMiddleware, ExpressRequest } from './types.js';

/** Options of `errorHandler()`. */
export interface ErrorHandlerOptions {
  /**
   * Production responses: no stack, no 5xx message, no internal fields.
   * @default true unless Lookout's environment is a development one (`development`, `dev`,
   * `local`, `test`); the environment defaults to NODE_ENV, then to `production` on AWS
   */
  production?: boolean;
}

// Errors already logged and recorded, by request: an error passed through two handlers (a
// router's and the app's) is reported once, and an error object the app reuses (a module-level
// `createError(404)`) once for each request it fails, not for the first request only.
const reported = new WeakMap<object, WeakSet<object>>();

function isReported(error: unknown, req: ExpressRequest): boolean {
  if (error === null || typeof error !== 'object') return false;
  const errors = reported.get(req);
  if (errors === undefined) {
    reported.set(req, new WeakSet([error]));
    return false;
  }
  if (errors.has(error)) return true;
  errors.add(error);
  return false;
}

function reportError(error: unknown, status: number, req: ExpressRequest): void {
  if (isReported(error, req)) return;
  // `error` as an Error: the logger writes its name, message, stack and cause, redacted.
  const fields = { status, method: req.method, path: requestPath(req), error };
  if (status >= 500) logger.error('request failed', fields);
  else logger.warn('request failed', fields);
  const span = getRequestState(req)?.serverSpan ?? getServerSpan();
  if (span === undefined) return;
  const { policy } = getLoggingRuntime();
  if (!isError(error)) {
    const message = policy.redactString(textOf(error));
    recordSpanFailure(span, message, message);
    return;
  }
  const message = policy.redactString(messageOf(error));
  const name = readField(error, 'name');
  const stack = readField(error, 'stack');
  recordSpanFailure(
    span,
    {
      name: typeof name === 'string' ? name : 'Error',
      message,
      ...(typeof stack === 'string' ? { stack: policy.redactString(stack) } : {}),
    },
    message,
  );
}

/**
 * The last middleware: logs the error once (with its stack and the request's context),
 * records it on the server span (an exception event, status ERROR) and answers JSON
 * `{ error, requestId }` with `err.status` / `err.statusCode` when it is 4xx or 5xx, else 500,
 * and then with the headers in `err.headers` (as http-errors and Express's default handler do).
 * In production the body never carries a stack, a 5xx message or the error's fields; in
 * development it adds them. When the response has already started, Express's default handler
 * takes over (it closes the connection).
 *
 * @example
 * import { errorHandler } from 'lookout/express';
 * app.use(errorHandler()); // after every route
 */
export function errorHandler(options: ErrorHandlerOptions = {}): ErrorMiddleware {
  return function lookoutErrorHandler(error, req, res, next) {
    try {
      const status = statusOfError(error);
      reportError(error, status, req);
      if (res.headersSent) {
        next(error);
        return;
      }
      const body = buildErrorBody({
        error,
        status,
        requestId: requestIdOf(req, res),
        // Read per error, not when the middleware is made: an app may build it before init().
        production: options.production ?? !isDevelopmentEnvironment(getConfig().environment),
        redaction: getLoggingRuntime().policy,
      });
      for (const [name, value] of errorHeadersOf(error)) {
        try {
          res.setHeader(name, value);
        } catch {
          // Not a valid header name or value (a line break would split the response): left out.
        }
      }
      sendJson(res, status, body);
    } catch (failure) {
      diagnostics.errorOnce(
        'express:error-handler',
        ERROR_CODES.INTERNAL,
        `errorHandler() failed; Express's default handler answers instead: ${describeError(failure)}`,
      );
      next(error);
    }
  };
}
