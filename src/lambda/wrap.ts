import { diagnostics, ERROR_CODES, type LambdaSettings, LookoutConfigError } from '../core.js';
import { type InvocationOutcome, startInvocation } from './invocation.js';
import { prepareDelivery, prepareSettings } from './prepare-settings.js';
import type { LambdaHandler, WrapOptions } from './types.js';

// Global symbols, so that a handler wrapped by one copy of Lookout (bundled into the function)
// is recognised by another (the layer's): it is never wrapped twice.
const WRAPPED = Symbol.for('lookout.lambda.wrapped');
const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');

type Callback = (error?: unknown, result?: unknown) => void;
type AnyFunction = (...args: unknown[]) => unknown;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** `async (event, context)`: the wrapper is async too and returns the handler's value. */
function wrapAsync(handler: AnyFunction, settings: LambdaSettings) {
  return async function lookoutHandler(event: unknown, context: unknown): Promise<unknown> {
    const invocation = startInvocation(event, context, settings);
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
 * runtime: the callback being called, the returned promise settling, or a synchronous throw.
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
    const wrappedCallback: Callback = (error, result) => {
      const failed = error !== undefined && error !== null;
      if (first !== undefined) void first.then(() => callback(error, result));
      else void settle(failed ? { error } : { result }, () => callback(error, result));
    };

    let returned: unknown;
    let thenable: boolean;
    try {
      returned = invocation.run(() => handler(event, context, wrappedCallback));
      // Read here: a `then` getter that throws is the invocation's error too, as the runtime,
      // whose own check for a promise throws it, reports it.
      thenable = isThenable(returned);
    } catch (error) {
      // The runtime reports a synchronous throw as the invocation's error: a rejected promise
      // carrying the same error reaches the same place once the telemetry is out.
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
 * Wraps a Lambda handler: one SERVER span per invocation (parented to the invocation's X-Ray
 * trace, with the event source's attributes), the invocation's keys on every log line
 * (`function_request_id`, `cold_start`, `function_name`, `xray_trace_id`), invocation metrics,
 * and a flush of metrics and spans before the function answers, bounded so it never makes the
 * function time out. The handler's return value and errors pass through unchanged.
 *
 * Works with async handlers and callback-style handlers (three parameters). Starts Lookout from
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
  if (marked[STREAMING] !== undefined && marked[STREAMING] !== false) {
    diagnostics.warnOnce(
      'lambda-streaming',
      ERROR_CODES.START_FAILED,
      'A response-streaming Lambda handler (awslambda.streamifyResponse) is not wrapped: Lookout does not instrument streaming handlers yet. It runs unchanged.',
    );
    return handler;
  }
  prepareDelivery(settings);
  const fn = handler as unknown as AnyFunction;
  const wrapped = handler.length >= 3 ? wrapCallback(fn, settings) : wrapAsync(fn, settings);
  Object.defineProperty(wrapped, WRAPPED, { value: true });
  return wrapped as unknown as H;
}
