// The layer's handler (an internal entry, not a public export): the exec wrapper points
// _HANDLER at a shim in layer/ that calls one of these, and keeps the function's own handler
// string in LOOKOUT_LAMBDA_HANDLER. Loading follows the Node.js runtime's rules, so a handler
// that loads without the layer loads the same way with it; its load errors pass through.
import { getProcessEnv, LookoutConfigError, readEnv } from '../core.js';
import {
  type HandlerLocation,
  loadModule,
  loadModuleSync,
  locateHandler,
  pickHandler,
} from './load-user-handler.js';
import type { LambdaHandler } from './types.js';

/** The runtime's mark of a response-streaming handler (`awslambda.streamifyResponse`). */
const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');

/** `wrap` from `lookout/lambda`, passed in by the shim so this entry does not carry a second copy. */
export type WrapHandler = (handler: LambdaHandler) => LambdaHandler;

function target(): { readonly location: HandlerLocation; readonly handler: string } {
  const env = getProcessEnv();
  const handler = readEnv(env, 'LOOKOUT_LAMBDA_HANDLER');
  if (handler === undefined)
    throw new Error(
      "LOOKOUT_LAMBDA_HANDLER is not set: the Lookout layer's handler runs only behind its exec wrapper (AWS_LAMBDA_EXEC_WRAPPER=/opt/lookout-handler), which sets it to the function's handler.",
    );
  return { location: locateHandler(readEnv(env, 'LAMBDA_TASK_ROOT') ?? process.cwd(), handler), handler };
}

/**
 * Loads the function's handler and returns it wrapped; for the ES module shim, in the init phase.
 *
 * @example
 * export const handler = await loadWrappedHandler(wrap);
 */
export async function loadWrappedHandler(wrap: WrapHandler): Promise<LambdaHandler> {
  const { location, handler } = target();
  const module = await loadModule(location);
  return wrap(pickHandler(module, location, handler) as LambdaHandler);
}

/**
 * The same for the CommonJS shim, synchronously. An ES module handler (which the exec wrapper
 * would have sent to the ES module shim) is imported on the first invocation instead.
 *
 * @example
 * module.exports.handler = loadWrappedHandlerSync(wrap);
 */
export function loadWrappedHandlerSync(wrap: WrapHandler): LambdaHandler {
  const { location, handler } = target();
  const loaded = loadModuleSync(location);
  if (loaded !== undefined) return wrap(pickHandler(loaded.module, location, handler) as LambdaHandler);
  let pending: Promise<(...args: unknown[]) => unknown> | undefined;
  // Two declared parameters, the runtime's callback taken from the rest: Node.js 24's runtime
  // tells a callback-style handler by its arity and refuses one that declares a third.
  return ((event: unknown, context: unknown, ...rest: unknown[]) => {
    pending ??= loadModule(location).then((module) => {
      const loaded = pickHandler(module, location, handler) as LambdaHandler;
      if (isStreaming(loaded)) throw streamingNotAtInit(handler);
      return wrap(loaded) as never;
    });
    return pending.then((loaded) => answerOf(loaded(event, context, ...rest)));
  }) as LambdaHandler;
}

/** The runtime's rule: a handler streams when its mark is there and not null or false. */
function isStreaming(handler: LambdaHandler): boolean {
  const mark = (handler as { [STREAMING]?: unknown })[STREAMING];
  return mark !== undefined && mark !== null && mark !== false;
}

/**
 * The error of every invocation of an ES module response-streaming handler that the CommonJS
 * handler imports: the runtime decided at init that the layer's handler answers in one piece, so
 * it calls it with no response stream, and the function's handler would fail on whatever it does
 * with the stream (`responseStream.write is not a function`), a message that points nowhere.
 * Only the setting that sent the handler here can be named: nothing can make it stream now.
 */
function streamingNotAtInit(handler: string): LookoutConfigError {
  // Set to cjs, or unset when the exec wrapper's guess took the module for CommonJS.
  const value = readEnv(getProcessEnv(), 'LOOKOUT_LAMBDA_MODULE_FORMAT');
  return new LookoutConfigError({
    option: 'LOOKOUT_LAMBDA_MODULE_FORMAT',
    value,
    accepted: `${value === undefined ? 'esm' : 'esm, or unset,'} for ${handler}: it is an ES module response-streaming handler (awslambda.streamifyResponse), which the runtime streams only when the layer's ES module handler loads it at init; the CommonJS handler can only import it at the first invocation, after the runtime has taken it for a handler that answers in one piece`,
  });
}

/** Never settles: the answer comes through the runtime's callback. */
const THROUGH_THE_CALLBACK: Promise<never> = new Promise(() => {});

/**
 * What the promise of a handler loaded on the first invocation settles with. The runtime waits
 * for the callback only when a handler returns no promise; this one returns a promise before it
 * knows the loaded handler's style, so a callback-style handler that returned none must not be
 * answered by it (the callback would come too late, after an answer of `null`).
 */
function answerOf(returned: unknown): unknown {
  const then = (returned as { then?: unknown } | null | undefined)?.then;
  return typeof then === 'function' ? returned : THROUGH_THE_CALLBACK;
}
