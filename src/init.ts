import { type Config, type LookoutOptions, resolveConfig, setConfig } from './config/index.js';
import { describeError, diagnostics } from './diag/index.js';
import { ERROR_CODES } from './errors/index.js';
import { startLogging } from './logging/index.js';
import { startMetrics } from './metrics/index.js';
import { giveUpExports } from './otlp/index.js';
import {
  flushUntilQuiet,
  getProcessEnv,
  installSignalHandlers,
  onTelemetry,
  stopAcceptingRequests,
  telemetryCount,
  withDeadline,
} from './runtime/index.js';
import { registerXRaySpanExporter, startTracing, type TracingHandle } from './tracing/index.js';
import { VERSION } from './version.js';

/** Counters of what Lookout has exported, for diagnostics and the local viewer. */
export interface TelemetryStats {
  readonly exportedSpans: number;
  readonly failedSpans: number;
  readonly failedExports: number;
}

/**
 * What `init()` returns. The same handle is returned by every later call.
 *
 * @example
 * const lookout = init({ serviceName: 'orders-api' });
 * await lookout.forceFlush();
 */
export interface LookoutHandle {
  /** The resolved, frozen configuration in force. */
  readonly config: Config;
  /** Exports everything buffered now. Never rejects. */
  forceFlush(): Promise<void>;
  /** Flushes and stops everything within `shutdown.timeoutMs`. Never rejects. */
  shutdown(): Promise<void>;
  /** Export counters. */
  stats(): TelemetryStats;
  /** Exporters and instrumentations actually running. */
  readonly active: { readonly exporters: readonly string[]; readonly instrumentations: readonly string[] };
}

/** One started part of Lookout (tracing, logging, metrics). */
export interface Part {
  readonly name: string;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

let current:
  | {
      readonly handle: LookoutHandle;
      readonly optionsKey: string | undefined;
      readonly flushExports: () => Promise<void>;
    }
  | undefined;

// Options are compared by a stable rendering so that a second `init()` with the same
// options is silent and one with different options warns (requirement: warn once).
// A value seen before renders as a mark, so a cycle ends and shared references stay linear.
function renderOptions(value: unknown, seen: Set<object>): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object')
    return typeof value === 'function' ? `fn:${value.toString()}` : JSON.stringify(value);
  if (seen.has(value)) return '[seen]';
  seen.add(value);
  if (value instanceof RegExp) return `re:${value.toString()}`;
  if (Array.isArray(value)) return `[${value.map((item) => renderOptions(item, seen)).join(',')}]`;
  const entries = Object.entries(value)
    .filter(([, child]) => child !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${renderOptions(child, seen)}`).join(',')}}`;
}

/**
 * The options' rendering, or undefined when reading them throws (a getter, a Proxy trap): a
 * repeated `init()` must return the handle, not throw into the app (docs/design.md decision 4),
 * and options that cannot be read count as different ones.
 */
function getOptionsKey(options: LookoutOptions | undefined): string | undefined {
  try {
    return renderOptions(options ?? {}, new Set());
  } catch {
    return undefined;
  }
}

/**
 * The version of another copy of Lookout that traces in this process already: another version,
 * so another core (docs/decisions/0016-one-core-per-process.md), as when the Lambda layer's copy
 * is preloaded and the function's own starts too. Two would each trace every request: two
 * SERVER and two CLIENT spans a call, in two traces, and the downstream's parent only the
 * CLIENT span whose `traceparent` was written last.
 */
function findOtherCopyTracing(): string | undefined {
  for (const key of Object.getOwnPropertySymbols(globalThis)) {
    // Each build's core.js registers its core under `lookout.core/<version>` (scripts/build.mjs).
    const name = key.description ?? '';
    if (!name.startsWith('lookout.core/') || name === `lookout.core/${VERSION}`) continue;
    try {
      // Its getLookout() handle, if it started, lists what it traces; any other shape throws.
      if ((globalThis as Record<symbol, OtherCore>)[key]!.getLookout().active.instrumentations.length > 0)
        return name.slice(13);
    } catch {}
  }
  return undefined;
}

/** What findOtherCopyTracing reads of another copy's core. */
type OtherCore = { getLookout(): { active: { instrumentations: unknown[] } } };

function startPart<T>(name: string, start: () => T): T | undefined {
  try {
    return start();
  } catch (error) {
    diagnostics.error(
      ERROR_CODES.START_FAILED,
      `Lookout ${name} failed to start and is off: ${describeError(error)}`,
    );
    return undefined;
  }
}

/**
 * Runs `action` on every part within `timeoutMs`. A timeout is reported (unless
 * `reportTimeout` is false) naming `deadlineMs`: the deadline the app set, of which `timeoutMs`
 * may be only what is left.
 */
async function settleAll(
  parts: readonly Part[],
  action: 'forceFlush' | 'shutdown',
  timeoutMs: number,
  reportTimeout = true,
  deadlineMs = timeoutMs,
): Promise<void> {
  // Held open until the parts are done or the deadline comes: a process ending on its own waits
  // for its last export (and a retry of it) this long, and no longer.
  const outcome = await withDeadline(
    Promise.allSettled(parts.map((part) => part[action]())),
    timeoutMs,
    true,
  );
  if (outcome.status === 'timeout' && reportTimeout) {
    diagnostics.warnOnce(
      `deadline:${action}`,
      ERROR_CODES.FLUSH_TIMEOUT,
      `${action === 'shutdown' ? 'Shutdown' : 'Flush'} did not finish within ${deadlineMs} ms; telemetry still queued was dropped.`,
    );
  }
}

/**
 * While the app stops on its own terms (its signal handler closes the server, then exits),
 * everything recorded is exported at once instead of on the batch timer: whatever the app
 * answers before it exits has the best chance to leave (docs/decisions/0017-shutdown.md).
 * Returns a function that stops it.
 */
function exportEagerly(flush: () => Promise<void>, stopped: () => boolean): () => void {
  let flushing = false;
  let again = false;
  const run = async () => {
    do {
      again = false;
      await flush();
    } while (again && !stopped());
    flushing = false;
  };
  return onTelemetry(() => {
    if (flushing) {
      again = true;
      return;
    }
    flushing = true;
    setImmediate(() => void run());
  });
}

function createHandle(
  config: Config,
  tracing: TracingHandle | undefined,
  parts: readonly Part[],
  exporting: readonly Part[],
): { handle: LookoutHandle; flushExports: () => Promise<void> } {
  const timeoutMs = config.shutdown.timeoutMs;
  let shuttingDown: Promise<void> | undefined;
  const cleanups: Array<() => void> = [];
  const cleanUp = () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
  const flush = () => settleAll(parts, 'forceFlush', timeoutMs);
  const handle: LookoutHandle = {
    config,
    forceFlush: () => (shuttingDown ? shuttingDown : flush()),
    shutdown: () => {
      shuttingDown ??= (async () => {
        cleanUp();
        // What requests record while the flush runs is flushed too, until a flush finds nothing
        // new; then the parts stop, within what is left of the deadline.
        // A drain cut short by the deadline is reported once, by the shutdown step after it.
        const started = Date.now();
        await flushUntilQuiet(() => settleAll(parts, 'forceFlush', timeoutMs, false), timeoutMs);
        await settleAll(parts, 'shutdown', Math.max(0, timeoutMs - (Date.now() - started)), true, timeoutMs);
        // An export still waiting to retry, or for an answer, past the deadline would hold the
        // process on.
        giveUpExports();
      })();
      return shuttingDown;
    },
    stats: () => ({ ...(tracing?.counters ?? { exportedSpans: 0, failedSpans: 0, failedExports: 0 }) }),
    active: { exporters: tracing?.exporters ?? [], instrumentations: tracing?.instrumentations ?? [] },
  };
  if (config.shutdown.handleSignals && parts.length > 0) {
    cleanups.push(
      installSignalHandlers({
        // The app decides when to exit: flush now, keep recording, and export what it still
        // records at once. process.exit() then writes the metrics (synchronously); spans
        // already exported are safe, spans ended in the last instant are not.
        appHandles: () => {
          cleanups.push(exportEagerly(flush, () => shuttingDown !== undefined));
          void flush();
        },
        // Lookout owns the exit: stop taking new requests, flush until a flush finds nothing
        // new (requests answered meanwhile included), then the signal is raised again, in the
        // same turn, so nothing answered after the last flush can slip in.
        lookoutHandles: async () => {
          cleanups.push(stopAcceptingRequests());
          await flushUntilQuiet(flush, timeoutMs);
        },
      }),
    );
    // A process that ends because it has nothing left to do (a script, a server closed by its
    // own signal handler) exports what it recorded since the last flush before it goes.
    let flushedCount = telemetryCount();
    let flushingOnExit = false;
    const onBeforeExit = () => {
      if (shuttingDown !== undefined || flushingOnExit || telemetryCount() === flushedCount) return;
      flushingOnExit = true;
      flushedCount = telemetryCount();
      void flushUntilQuiet(flush, timeoutMs).finally(() => {
        flushingOnExit = false;
        flushedCount = telemetryCount();
        // An export still waiting to retry once the flush is over (it gave up at its deadline)
        // would hold the process on through every retry within its own timeout, and one still
        // waiting for a collector's answer until its request's timeout: they end now, and the
        // process with them.
        giveUpExports();
      });
    };
    process.on('beforeExit', onBeforeExit);
    cleanups.push(() => process.removeListener('beforeExit', onBeforeExit));
  }
  // No deadline and no settling over the parts here: the Lambda delivery, its only caller, waits
  // with a deadline of its own (docs/decisions/0059-lambda-span-processor.md).
  const flushExports = (): Promise<void> => {
    if (shuttingDown !== undefined) return shuttingDown;
    if (exporting.length === 1) return exporting[0]!.forceFlush();
    return Promise.allSettled(exporting.map((part) => part.forceFlush())).then(() => {});
  };
  return { handle, flushExports };
}

/**
 * Starts Lookout: resolves configuration, then starts tracing (and the other parts) once.
 * Later calls return the same handle and warn once if their options differ. An invalid
 * option throws `LookoutConfigError`; anything that fails after that degrades to a no-op
 * with one diagnostic, and the app keeps running (docs/design.md decision 4).
 *
 * For CommonJS apps call it on the first line of the entry file; ES module apps use
 * `node --import lookout/register` so the instrumentations load before the app's imports.
 *
 * @example
 * require('lookout').init({ serviceName: 'orders-api' });
 * const express = require('express');
 */
export function init(options?: LookoutOptions): LookoutHandle {
  const optionsKey = getOptionsKey(options);
  if (current !== undefined) {
    if (optionsKey === undefined || optionsKey !== current.optionsKey) {
      diagnostics.warnOnce(
        'init-repeated',
        ERROR_CODES.INIT_REPEATED,
        "init() was called again with different options; the first call's configuration stays in force.",
      );
    }
    return current.handle;
  }

  const { config, warnings } = resolveConfig({ options, env: getProcessEnv() });
  // From here on every part and adapter reads this configuration (src/config/current-config.ts).
  setConfig(config);
  diagnostics.setLevel(config.diagnostics.level);
  for (const warning of warnings)
    diagnostics.warnOnce(`env:${warning.variable}`, ERROR_CODES.ENV_INVALID, warning.message);

  const parts: Part[] = [];
  // Logging is configured even when Lookout is off, so that the exported logger goes quiet
  // instead of keeping its pre-init defaults. OTEL_SDK_DISABLED turns tracing off, not this.
  const logging = startPart('logging', () => startLogging(config));
  if (logging !== undefined && config.enabled) parts.push({ name: 'logging', ...logging });
  // The parts that export asynchronously: log lines and EMF documents are written to stdout as
  // they come, spans and OpenTelemetry logs and metrics leave by their exporters.
  const exporting: Part[] = [];
  if (logging?.exports && config.enabled) exporting.push({ name: 'logging', ...logging });
  let tracing: TracingHandle | undefined;
  const otherCopy = config.enabled ? findOtherCopyTracing() : undefined;
  if (otherCopy !== undefined)
    diagnostics.warnOnce(
      'init-other-copy',
      ERROR_CODES.INIT_REPEATED,
      `Another copy of Lookout (${otherCopy}) traces this process; this one (${VERSION}) does not.`,
    );
  else if (config.enabled) {
    registerXRaySpanExporter();
    tracing = startPart('tracing', () => startTracing(config));
    if (tracing !== undefined) {
      const part = { name: 'tracing', forceFlush: tracing.forceFlush, shutdown: tracing.shutdown };
      parts.push(part);
      exporting.push(part);
    }
  }
  // Started even when Lookout is off: it then switches the `metrics` object off too.
  const metricsPart = startPart('metrics', () => startMetrics(config));
  if (metricsPart !== undefined) {
    const part = { name: 'metrics', forceFlush: metricsPart.forceFlush, shutdown: metricsPart.shutdown };
    parts.push(part);
    if (metricsPart.exporters.length > 0) exporting.push(part);
  }
  const { handle, flushExports } = createHandle(config, tracing, parts, exporting);
  current = { handle, optionsKey, flushExports };
  return handle;
}

/**
 * Flushes and stops everything `init()` started, within the configured deadline (default
 * 5 s). Resolves even when the collector is unreachable; does nothing before `init()`.
 *
 * @example
 * process.on('SIGTERM', async () => { await shutdown(); server.close(); });
 */
export async function shutdown(): Promise<void> {
  await current?.handle.shutdown();
}

/**
 * Flushes what leaves the process through exporters (spans; logs and metrics over OTLP when
 * configured), for the Lambda delivery after each invocation, which has written the invocation's
 * EMF document just before; log lines are written to stdout as they come. Unlike the handle's
 * `forceFlush`, no deadline of its own: the caller bounds the wait. May reject when an exporter's
 * flush does; resolves at once before `init()`.
 *
 * @example
 * const outcome = await withDeadline(flushExports(), budgetMs);
 */
export function flushExports(): Promise<void> {
  return current === undefined ? Promise.resolve() : current.flushExports();
}

/** The handle of the running instance, if `init()` has been called. */
export function getLookout(): LookoutHandle | undefined {
  return current?.handle;
}
