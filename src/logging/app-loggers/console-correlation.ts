import { getActiveTraceIds } from './active-trace-ids.js';

const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
const PATCHED = Symbol.for('lookout.console-correlation');

/**
 * Appends the active span's ids to `console` lines, as `trace_id=… span_id=… xray_trace_id=…`
 * after the message (a last argument, so `util.format` placeholders in the message are not
 * disturbed). For AWS Lambda, whose runtime owns `console` and its line format (the timestamp,
 * request id and level it writes stay as they are); outside a span nothing is added.
 * Patches the methods in place at most once (docs/decisions/0048-trace-ids-in-app-loggers.md).
 */
export function patchConsoleWithTraceIds(target: Console = console): void {
  const holder = target as unknown as Record<PropertyKey, unknown>;
  if (holder[PATCHED] === true) return;
  holder[PATCHED] = true;
  for (const method of METHODS) {
    const original = holder[method];
    if (typeof original !== 'function') continue;
    holder[method] = function consoleWithTraceIds(this: unknown, ...args: unknown[]) {
      let ids: ReturnType<typeof getActiveTraceIds>;
      try {
        ids = getActiveTraceIds();
      } catch {
        ids = undefined;
      }
      if (ids === undefined) return original.apply(this, args);
      const suffix = `trace_id=${ids.traceId} span_id=${ids.spanId}${ids.xrayTraceId === undefined ? '' : ` xray_trace_id=${ids.xrayTraceId}`}`;
      return original.apply(this, [...args, suffix]);
    };
  }
}
