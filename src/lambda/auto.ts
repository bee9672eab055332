// The layer's handler (an internal entry, not a public export): the exec wrapper points
// _HANDLER at a shim in layer/ that calls one of these, and keeps the function's own handler
// string in LOOKOUT_LAMBDA_HANDLER. Loading follows the Node.js runtime's rules, so a handler
// that loads without the layer loads the same way with it; its load errors pass through.
import { getProcessEnv, readEnv } from '../core.js';
import {
  type HandlerLocation,
  loadModule,
  loadModuleSync,
  locateHandler,
  pickHandler,
} from './load-user-handler.js';
import type { LambdaHandler } from './types.js';

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
    pending ??= loadModule(location).then(
      (module) => wrap(pickHandler(module, location, handler) as LambdaHandler) as never,
    );
    return pending.then((loaded) => answerOf(loaded(event, context, ...rest)));
  }) as LambdaHandler;
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
