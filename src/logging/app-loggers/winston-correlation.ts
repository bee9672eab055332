import type { SpanCorrelation } from '../correlation.js';
import { getActiveTraceIds } from './active-trace-ids.js';

type Write = (this: unknown, info: unknown, ...rest: unknown[]) => unknown;
const ORIGINAL = Symbol.for('lookout.winston-correlation.original');

/** The ids written into one info object, by field, as `putTraceIds` wrote them. */
type WrittenIds = Partial<Record<'trace_id' | 'span_id' | 'xray_trace_id', string>>;

// The ids Lookout wrote into each info object. winston logs an object the app passes with a
// `message` (`logger.info(event)`) as the info itself, so an object logged again (a module-level
// event, in another request or outside any) kept the first span's ids, which the next line then
// took for the app's own: that line was correlated with the wrong trace.
const written = new WeakMap<object, WrittenIds>();

/**
 * Writes the active span's ids into `info`, each only when the app logged no value of that name;
 * ids Lookout itself wrote into the same object for an earlier line are replaced (or taken off,
 * outside any span).
 */
function putTraceIds(info: Record<string, unknown>): void {
  // Only an object that already carries ids can carry ones written for an earlier line.
  const previous = info.trace_id === undefined && info.span_id === undefined ? undefined : written.get(info);
  if (previous !== undefined) {
    for (const key of ['trace_id', 'span_id', 'xray_trace_id'] as const)
      if (previous[key] !== undefined && info[key] === previous[key]) delete info[key];
  }
  const ids: SpanCorrelation | undefined = getActiveTraceIds();
  if (ids === undefined) {
    if (previous !== undefined) written.delete(info);
    return;
  }
  const wrote: WrittenIds = {};
  if (info.trace_id === undefined) info.trace_id = wrote.trace_id = ids.traceId;
  if (info.span_id === undefined) info.span_id = wrote.span_id = ids.spanId;
  if (ids.xrayTraceId !== undefined && info.xray_trace_id === undefined)
    info.xray_trace_id = wrote.xray_trace_id = ids.xrayTraceId;
  written.set(info, wrote);
}

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
        putTraceIds(info as Record<string, unknown>);
      } catch {
        // Never in the way of the app's line (docs/design.md decision 4).
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
