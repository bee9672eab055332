import { type Invocation, releaseInvocation, startInvocation } from './invocation.js';
import { prepareDelivery, prepareSettings } from './prepare-settings.js';
import { watchRuntimeAnswer } from './route-context-methods.js';
import type { WrapOptions } from './types.js';

/** The parts of a middy request the middleware reads (structural: any middy version fits). */
export interface MiddyRequest {
  readonly event: unknown;
  readonly context: unknown;
  readonly response?: unknown;
  readonly error?: unknown;
}

/** A middy middleware object, as `middy(handler).use()` takes it. */
export interface LookoutMiddyMiddleware {
  before(request: MiddyRequest): void;
  after(request: MiddyRequest): Promise<void>;
  onError(request: MiddyRequest): Promise<void>;
}

/**
 * Middleware for @middy/core with exactly what `wrap()` does (one shared implementation): the
 * invocation's span, log keys, metrics and the deadline-bounded flush. `onError` records and
 * logs the error and leaves it to middy, which rethrows it unchanged.
 *
 * Use it first, so that its `after` and `onError` run last, once the other middlewares are done.
 * middy calls the handler itself, so the invocation's span and log keys reach the handler
 * through the invocation fallback (one invocation per process at a time, as on Lambda).
 *
 * @example
 * import middy from '@middy/core';
 * import { middy as lookout } from 'lookout/lambda';
 * export const handler = middy(async (event) => ({ statusCode: 200 })).use(lookout());
 */
export function middy(options?: WrapOptions): LookoutMiddyMiddleware {
  const settings = prepareSettings(options);
  prepareDelivery(settings);
  const invocations = new WeakMap<MiddyRequest, Invocation>();
  const end = async (request: MiddyRequest, outcome: Parameters<Invocation['end']>[0]): Promise<void> => {
    const invocation = invocations.get(request);
    // A middleware used before this one failed before ours ran: nothing to deliver.
    if (invocation === undefined) return releaseInvocation(request.context);
    invocations.delete(request);
    await invocation.end(outcome);
  };
  // middy answers early when a middleware returns a value (@middy/warmup does for its events): it
  // sets `request.earlyResponse` and skips the rest, this middleware's `after` and `onError`
  // included, so the invocation would never end: its telemetry lost, and the internal extension
  // holding the environment until the deadline margin. A setter for `earlyResponse` on the
  // request's prototype ends it instead; it stores the value as an own property, as middy reads
  // it (`Object.hasOwn`). One object per middleware, one prototype swap per invocation.
  const earlyResponseTrap: object = Object.create(Object.prototype, {
    earlyResponse: {
      configurable: true,
      set(this: MiddyRequest, value: unknown) {
        Object.defineProperty(this, 'earlyResponse', {
          value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
        // Once this middleware's own end has run, there is nothing left to end.
        if (!invocations.has(this)) return;
        void end(this, this.error !== undefined ? { error: this.error } : { result: value });
      },
    },
  });
  return {
    before: (request) => {
      const invocation = startInvocation(request.event, request.context, settings);
      invocations.set(request, invocation);
      watchRuntimeAnswer(request.context, invocation);
      try {
        if (Object.getPrototypeOf(request) === Object.prototype)
          Object.setPrototypeOf(request, earlyResponseTrap);
      } catch {
        // A request that cannot be changed: an early answer leaves the invocation to the deadline margin.
      }
    },
    after: (request) => end(request, { result: request.response }),
    onError: (request) => end(request, { error: request.error }),
  };
}
