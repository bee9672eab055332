import { isAsyncFunction } from 'node:util/types';
import { diagnostics, ERROR_CODES, isThenable, type LambdaSettings, LookoutConfigError } from '../core.js';
import { type InvocationOutcome, startInvocation } from './invocation.js';
import { prepareDelivery, prepareSettings } from './prepare-settings.js';
import {
  type ContextAnswer,
  outcomeOf,
  routeContextAnswers,
  watchRuntimeAnswer,
} from './route-context-methods.js';
import type { LambdaHandler, WrapOptions } from './types.js';

// Global symbols, so that a handler wrapped by one copy of Lookout (bundled into the function)
// is recognised by another (the layer's): it is never wrapped twice.
const WRAPPED = Symbol.for('lookout.lambda.wrapped');
const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');

type Callback = (error?: unknown, result?: unknown) => void;
type AnyFunction = (...args: unknown[]) => unknown;
/** `async (event, context)`: the wrapper is async too and returns the handler's value. */
function wrapAsync(handler: AnyFunction, settings: LambdaSettings) {
  return async function lookoutHandler(event: unknown, context: unknown): Promise<unknown> {
    const invocation = startInvocation(event, context, settings);
    watchRuntimeAnswer(context, invocation);
    let result: unknown;
    try {
      result = await invocation.run(() => handler(event, context));
    } catch (error) {
      const delivering = invocation.endNow({ error });
      if (delivering !== undefined) await delivering;
      throw error;
    }
    // Handed over to the internal extension, the delivery is nothing to wait for: the answer
    // goes back without a turn through the promise queue.
    const delivering = invocation.endNow({ result });
    if (delivering !== undefined) await delivering;
    return result;
  };
}

/**
 * `(event, context, callback)`: the wrapper takes a callback too, so the runtime keeps its
 * callback semantics (`callbackWaitsForEmptyEventLoop`). The first outcome wins, as in the
 * runtime: the callback being called (or the context's `done`, `succeed`, `fail`), the
 * returned promise settling, or a synchronous throw.
 */
function wrapCallback(handler: AnyFunction, settings: LambdaSettings) {
  return function lookoutHandler(event: unknown, context: unknown, callback: Callback): unknown {
    const invocation = startInvocation(event, context, settings);
    // Resolves once the first outcome has been handled (telemetry flushed, and the real callback
    // called if the callback came first). A later outcome waits for it, so it cannot overtake.
    let first: Promise<void> | undefined;
    let atEmptyLoop: (() => void) | undefined;
    const settle = (outcome: InvocationOutcome, deliver?: () => void): Promise<void> => {
      if (first !== undefined) return first;
      if (atEmptyLoop !== undefined) process.off('beforeExit', atEmptyLoop);
      first = invocation.end(outcome).then(deliver);
      return first;
    };
    // The runtime throws when it cannot serialise the answer (a BigInt, a cycle); called from
    // here, in a promise's turn, that throw would be an unhandled rejection, on which the
    // runtime exits the process. It answers such a throw, in its own code, with the error through
    // its callback (which the throw left uncalled): so does this, and the invocation records it.
    const hand = (deliver: () => unknown) => () => {
      try {
        deliver();
      } catch (error) {
        invocation.refused(error);
        if (typeof callback === 'function') callback(error);
      }
    };
    const answer: ContextAnswer = (error, result, deliver) => {
      if (first !== undefined) void first.then(hand(deliver));
      else void settle(outcomeOf(error, result), hand(deliver));
    };
    const wrappedCallback: Callback = (error, result) => answer(error, result, () => callback(error, result));
    routeContextAnswers(context, answer);

    let returned: unknown;
    let thenable: boolean;
    try {
      returned = invocation.run(() => handler(event, context, wrappedCallback));
      // Read here: a `then` getter that throws is the invocation's error too, as the runtime,
      // whose own check for a promise throws it, reports it.
      thenable = isThenable(returned);
    } catch (error) {
      // The runtime answers a synchronous throw with `callback(thrown)`, and a callback given
      // null or undefined as its error answers success, with no result: so does this. A
      // rejected promise would answer an error ("handled") instead.
      if ((error === null || error === undefined) && typeof callback === 'function') {
        wrappedCallback(error);
        return undefined;
      }
      // The runtime reports any other synchronous throw as the invocation's error: a rejected
      // promise carrying the same error reaches the same place once the telemetry is out.
      return settle({ error }).then(() => {
        throw error;
      });
    }
    if (!thenable) {
      // The runtime answers a handler that returned no promise when its callback is called or,
      // if it never is, with null once the event loop is empty ('beforeExit'). The invocation
      // ends then too: else its telemetry is lost, and the internal extension holds the
      // environment until the deadline margin.
      if (first === undefined) {
        atEmptyLoop = () => void settle({ result: undefined });
        process.once('beforeExit', atEmptyLoop);
      }
      return returned;
    }
    return Promise.resolve(returned).then(
      async (result) => {
        await settle({ result });
        return result;
      },
      async (error: unknown) => {
        await settle({ error });
        throw error;
      },
    );
  };
}

/**
 * A plain (not `async`) two-parameter handler may return no promise and answer later through
 * the context's `done`, `succeed` or `fail` (the cfn-response module of CloudFormation custom
 * resources does): the runtime then waits for that answer, or answers null once the event loop
 * is empty, exactly as for a callback-style handler. The async wrapper would answer at once
 * with its promise. So such a handler gets the callback-style wrapper, behind two declared
 * parameters (Node.js 24's runtime tells a callback-style handler by its arity); the runtime's
 * callback, if it passes one, is taken from the rest. An `async` handler, the common case,
 * always returns a promise and keeps the async wrapper.
 */
function wrapTwoParameters(callbackStyle: ReturnType<typeof wrapCallback>) {
  return function lookoutHandler(event: unknown, context: unknown, ...rest: unknown[]): unknown {
    return callbackStyle(event, context, rest[0] as Callback);
  };
}

/**
 * Wraps a Lambda handler: one SERVER span per invocation (parented to the invocation's X-Ray
 * trace, with the event source's attributes), the invocation's keys on every log line
 * (`function_request_id`, `cold_start`, `function_name`, `xray_trace_id`), invocation metrics,
 * and a flush of metrics and spans before the function answers, bounded so it never makes the
 * function time out. The handler's return value and errors pass through unchanged.
 *
 * Works with async handlers and callback-style handlers (three parameters, which may answer
 * through the context's legacy `done`, `succeed` and `fail` too). Starts Lookout from
 * the environment if nothing started it yet. Invalid options throw `LookoutConfigError` when
 * the handler is wrapped (at deploy time), never during an invocation.
 *
 * @example
 * import { wrap } from 'lookout/lambda';
 * export const handler = wrap(async (event, context) => {
 *   return { statusCode: 200, body: 'ok' };
 * });
 */
export function wrap<H extends LambdaHandler>(handler: H, options?: WrapOptions): H {
  if (typeof handler !== 'function')
    throw new LookoutConfigError({ option: 'handler', value: handler, accepted: 'a function' });
  const marked = handler as H & { [WRAPPED]?: true; [STREAMING]?: unknown };
  const settings = prepareSettings(options);
  if (marked[WRAPPED] === true) return handler;
  // The runtime's rule: a handler streams when its mark is there and neither null nor false; a
  // null mark answers in one piece and is wrapped like any handler.
  const streaming = marked[STREAMING];
  if (streaming !== undefined && streaming !== null && streaming !== false) {
    diagnostics.warnOnce(
      'lambda-streaming',
      ERROR_CODES.START_FAILED,
      'A response-streaming Lambda handler (awslambda.streamifyResponse) is not wrapped: Lookout does not instrument streaming handlers yet. It runs unchanged.',
    );
    return handler;
  }
  prepareDelivery(settings);
  const fn = handler as unknown as AnyFunction;
  // The wrapper declares a third parameter only when the handler does: Node.js 24's runtime
  // tells a callback-style handler by its arity, and refuses it.
  const wrapped =
    handler.length >= 3
      ? wrapCallback(fn, settings)
      : isAsyncFunction(fn)
        ? wrapAsync(fn, settings)
        : wrapTwoParameters(wrapCallback(fn, settings));
  Object.defineProperty(wrapped, WRAPPED, { value: true });
  return wrapped as unknown as H;
}
