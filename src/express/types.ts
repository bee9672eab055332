import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The request as the middleware sees it: a Node `IncomingMessage` with the fields Express 4
 * and 5 add marked optional, so the middleware type-checks with `app.use()` without Lookout
 * depending on Express's types.
 */
export interface ExpressRequest extends IncomingMessage {
  readonly originalUrl?: string | undefined;
  readonly baseUrl?: string | undefined;
  readonly path?: string | undefined;
  readonly ip?: string | undefined;
  /** The matched route; Express sets it when a route handles the request. */
  route?: { readonly path?: unknown } | undefined;
  /** Express's parsed body (express.json(), express.urlencoded()). */
  readonly body?: unknown;
  readonly user?: { readonly id?: unknown } | undefined;
}

/** What the middleware needs of a response: a Node `ServerResponse`. */
export type ExpressResponse = ServerResponse;

/** Express's `next`. */
export type NextFunction = (error?: unknown) => void;

/**
 * A request middleware, assignable to `app.use()` / `app.get()` in Express 4 and 5.
 *
 * @example
 * const middleware: RequestMiddleware = observe();
 * app.use(middleware);
 */
export type RequestMiddleware = (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => void;

/**
 * An error middleware (four parameters), assignable to `app.use()`.
 *
 * @example
 * const handler: ErrorMiddleware = errorHandler();
 * app.use(handler);
 */
export type ErrorMiddleware = (
  error: unknown,
  req: ExpressRequest,
  res: ExpressResponse,
  next: NextFunction,
) => void;
