import { addMissingTraceIds } from './active-trace-ids.js';

type Write = (this: unknown, info: unknown, ...rest: unknown[]) => unknown;
const ORIGINAL = Symbol.for('lookout.winston-correlation.original');

/**
 * Gives every winston logger the active span's ids: `Logger.prototype.write` (what `info()`,
 * `log()` and child loggers all end in, synchronously, in the caller's context) adds them to
 * the info object before the logger's own format runs, so `format.json()` and the like print
 * them and a `printf` format can use `info.trace_id`. Fields the app logged win.
 * (docs/decisions/0048-trace-ids-in-app-loggers.md)
 */
export function patchWinston(winston: unknown): unknown {
  const Logger = (winston as { Logger?: { prototype?: Record<PropertyKey, unknown> } } | null)?.Logger;
  const prototype = Logger?.prototype;
  if (prototype === undefined || prototype[ORIGINAL] !== undefined) return winston;
  const write = prototype.write as Write | undefined;
  if (typeof write !== 'function') return winston;
  prototype[ORIGINAL] = write;
  prototype.write = function writeWithTraceIds(this: unknown, info: unknown, ...rest: unknown[]) {
    if (info !== null && typeof info === 'object') {
      try {
        addMissingTraceIds(info as Record<string, unknown>);
      } catch {
        // Never in the way of the app's line (DESIGN decision 4).
      }
    }
    return write.call(this, info, ...rest);
  };
  return winston;
}

/** Undoes patchWinston. */
export function unpatchWinston(winston: unknown): void {
  const prototype = (winston as { Logger?: { prototype?: Record<PropertyKey, unknown> } } | null)?.Logger
    ?.prototype;
  const original = prototype?.[ORIGINAL];
  if (prototype === undefined || original === undefined) return;
  prototype.write = original;
  delete prototype[ORIGINAL];
}
