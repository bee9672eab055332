import { type Invocation, type InvocationOutcome, releaseInvocation, startInvocation } from './invocation.js';
import { prepareDelivery, prepareSettings } from './prepare-settings.js';
import { outcomeOf, routeContextAnswers } from './route-context-methods.js';
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

/** Ends the invocation of `request` with `outcome` unless it ended before. */
type EndSkipped = (request: MiddyRequest, outcome: InvocationOutcome) => void;

/**
 * Routes the runtime's answer through the invocation: the runtime answers the middy handler's
 * promise through the context's `succeed` and `fail` (and the handler itself may answer through
 * those and `done`), read as the handler returns that promise
 * (so routed in Lookout's `before`, which middy runs first when Lookout's middleware is used
 * first). The invocation ends there when middy skipped Lookout's `after` and `onError`: an
 * `onError` used after Lookout's that throws (an app mapping errors to its own) stops middy's
 * `onError` chain, and middy 5 answers early by setting `request.response`, with no
 * `earlyResponse` for the trap below to see. Else the invocation would never end: its telemetry
 * lost, and the internal extension holding the environment until the deadline margin. Also
 * records a result the runtime refuses, as `watchRuntimeAnswer()` does for `wrap()`.
 */
function watchMiddyAnswer(request: MiddyRequest, invocation: Invocation, endSkipped: EndSkipped): void {
  routeContextAnswers(request.context, (error, result, deliver) => {
    // Before the runtime has it: middy may never call this middleware's after or onError.
    endSkipped(request, outcomeOf(error, result));
    try {
      return deliver();
    } catch (refusal) {
      invocation.refused(refusal);
      throw refusal;
    }
  });
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
  // The invocation of each request; null once it ended (the runtime's answer may end it before
  // middy calls this middleware's `after`, when the handler called `context.succeed` itself).
  const invocations = new WeakMap<MiddyRequest, Invocation | null>();
  const end = async (request: MiddyRequest, outcome: InvocationOutcome): Promise<void> => {
    const invocation = invocations.get(request);
    if (invocation === null) return;
    // A middleware used before this one failed before ours ran: nothing to deliver.
    if (invocation === undefined) return releaseInvocation(request.context);
    invocations.set(request, null);
    await invocation.end(outcome);
  };
  const endSkipped: EndSkipped = (request, outcome) => {
    if (invocations.get(request)) void end(request, outcome);
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
        endSkipped(this, this.error !== undefined ? { error: this.error } : { result: value });
      },
    },
  });
  return {
    before: (request) => {
      const invocation = startInvocation(request.event, request.context, settings);
      invocations.set(request, invocation);
      watchMiddyAnswer(request, invocation, endSkipped);
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
