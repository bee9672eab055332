import { deliverAtExit } from './invocation.js';

let installed = false;
/** The last uncaught exception or unhandled rejection: why the process ends, when one ends it. */
let fatal: { readonly reason: unknown } | undefined;

function noteFatal(reason: unknown): void {
  fatal = { reason };
}

function onExit(code: number): void {
  deliverAtExit(
    fatal !== undefined
      ? fatal.reason
      : new Error(`The process exited (code ${code}) before the invocation ended`),
  );
}

/**
 * Delivers what the current invocation recorded when the process exits in the middle of it
 * (`deliverAtExit()`), with the reason it ends for. The Node.js runtime ends the process on an
 * uncaught exception (exit 129) or an unhandled rejection (exit 128) during an invocation from its
 * own listener, synchronously: only 'exit' listeners run after it, and listeners placed before
 * its own. Installed once, when a handler is wrapped.
 *
 * The reason is read without changing what happens to it: 'uncaughtExceptionMonitor' only
 * watches; an 'unhandledRejection' listener is added (before the others) only when there is one
 * already, the runtime's, since the first listener turns Node's default for an unhandled
 * rejection (a crash) into nothing.
 */
export function deliverOnExit(): void {
  if (installed) return;
  installed = true;
  try {
    process.on('uncaughtExceptionMonitor', noteFatal);
    if (process.listenerCount('unhandledRejection') > 0)
      process.prependListener('unhandledRejection', noteFatal);
    process.on('exit', onExit);
  } catch {
    // A process object that cannot take listeners: an exit loses what it always lost.
  }
}
