import type { Config } from '../config/index.js';
import { describeError, diagnostics } from '../diag/index.js';
import { STORAGE_RESOLUTIONS } from '../emf/emf-limits.js';
import { DIMENSION_NAMES } from '../emf/metric-names.js';
import { ERROR_CODES } from '../errors/index.js';
import { metrics } from './lookout-metrics.js';
import { MetricRecorder, toDimensionValue } from './metric-recorder.js';
import {
  flushInvocationMetrics,
  setActiveRecorder,
  setOnInvocation,
  setOnInvocationStart,
} from './record-metrics.js';
import { RuntimeMetricsCollector } from './runtime-metrics-collector.js';
import { type OtelMetricsHandle, startOtelMetrics } from './start-otel-metrics.js';
import { writeToStdout } from './write-to-stdout.js';

/**
 * Most distinct dimension sets (one per Operation, per audit Action/Status pair, ...) held
 * between two flushes. With route templates a real API stays far below it; past it, values
 * for new sets are dropped with one `LOOKOUT_METRICS_LIMIT` diagnostic, which bounds both
 * memory and the CloudWatch bill (docs/design.md decisions 4 and 6).
 */
export const MAX_DIMENSION_SETS = 1000;

let exitListenerInstalled = false;

/**
 * Writes what is left at exit. After `shutdown()` the recorder is gone, but the app may still
 * add to `metrics` (a request that finishes while the server closes, a script's last line):
 * with no timer left, those values sat in the buffer and vanished at exit, unless they reached
 * Powertools' 100 and were written after all. The listener stays for the process's life, so
 * they are written too (docs/decisions/0017-shutdown.md: nothing the app recorded is lost).
 */
function onExit(): void {
  flushInvocationMetrics();
}

/** How often a server samples its runtime metrics: several samples per flush, for percentiles. */
export const RUNTIME_SAMPLE_INTERVAL_MS = 10_000;

/**
 * Whether this is the process's main thread. A worker thread inherits `--import lookout/register`
 * (a Worker's default execArgv) and starts Lookout too; its runtime metrics would describe its
 * own heap and event loop under the main thread's Service and Environment, mixing two threads'
 * values in one metric. Read only when runtime metrics are on, and on a server only at the first
 * sample: node:worker_threads and the worker internals it loads stay off the start-up
 * (docs/decisions/0068-builtins-loaded-on-first-use.md).
 */
function isMainThread(): boolean {
  return (require('node:worker_threads') as typeof import('node:worker_threads')).isMainThread;
}

/**
 * Starts the runtime metrics (docs/decisions/0047-runtime-metrics.md): on a server a sample
 * every 10 s (or every flush, when flushes are more frequent) on an unref'd timer; on Lambda a
 * sample with each invocation the wrapper records, flushed with its invocation metrics.
 */
function startRuntimeMetrics(
  config: Config,
  recorder: MetricRecorder,
): { collector: RuntimeMetricsCollector; timer: NodeJS.Timeout | undefined } | undefined {
  const onLambda = config.runtime.kind === 'lambda';
  // On Lambda the first sample comes with the first invocation: checked now, in the Init.
  if (onLambda && !isMainThread()) return undefined;
  let collector: RuntimeMetricsCollector;
  try {
    collector = new RuntimeMetricsCollector();
  } catch (error) {
    diagnostics.error(
      ERROR_CODES.START_FAILED,
      `Runtime metrics failed to start and are off: ${describeError(error)}`,
    );
    return undefined;
  }
  const sample = () => recorder.recordRuntime(collector.collect());
  if (onLambda) {
    // The delay histogram runs from the invocation's start to its sample, never across the
    // freeze between invocations (see RuntimeMetricsCollector.pauseDelay).
    collector.pauseDelay();
    setOnInvocationStart(() => collector.resumeDelay());
    setOnInvocation(() => {
      sample();
      collector.pauseDelay();
    });
    return { collector, timer: undefined };
  }
  // A worker thread stops at its first sample, before it has recorded anything (isMainThread).
  let checked = false;
  const sampleOnMainThread = (): void => {
    if (!checked) {
      checked = true;
      if (!isMainThread()) {
        clearInterval(timer);
        collector.stop();
        return;
      }
    }
    sample();
  };
  const timer = setInterval(
    sampleOnMainThread,
    Math.min(RUNTIME_SAMPLE_INTERVAL_MS, config.metrics.flushIntervalMs),
  );
  timer.unref();
  return { collector, timer };
}

/** The started metrics part, as `init()` holds on to it. */
export interface MetricsHandle {
  /** OpenTelemetry metric exporters running (empty unless OTEL_METRICS_EXPORTER asks for one). */
  readonly exporters: readonly string[];
  /** Writes everything aggregated and buffered now, then flushes OpenTelemetry metrics. */
  forceFlush(): Promise<void>;
  /** Stops the flush timer, writes what is left, stops OpenTelemetry metrics. */
  shutdown(): Promise<void>;
}

/**
 * Starts metrics from a resolved Config: configures the shared Powertools `metrics` instance
 * (namespace, Service and Environment default dimensions, resolution, on/off), starts the
 * recorder behind `recordRequest` / `recordInvocation` / `countMetric` with its unref'd flush
 * timer, and the OpenTelemetry metrics SDK when an exporter is configured. Returns undefined
 * when there is nothing to flush (Lookout or metrics off).
 *
 * The flush timer runs on Lambda too: the wrapper flushes at the end of every invocation, so
 * the timer finds nothing there, but it still writes values an app recorded without the wrapper.
 */
export function startMetrics(config: Config): MetricsHandle | undefined {
  const enabled = config.enabled && config.metrics.enabled;
  const service = toDimensionValue(config.serviceName);
  const environment = toDimensionValue(config.environment);
  const storageResolution = config.metrics.highResolution
    ? STORAGE_RESOLUTIONS.high
    : STORAGE_RESOLUTIONS.standard;
  metrics.configure({
    namespace: config.metrics.namespace,
    defaultDimensions: { [DIMENSION_NAMES.service]: service, [DIMENSION_NAMES.environment]: environment },
    disabled: !enabled,
    defaultResolution: storageResolution,
  });
  if (!config.enabled) return undefined;

  let timer: NodeJS.Timeout | undefined;
  let runtime: { collector: RuntimeMetricsCollector; timer: NodeJS.Timeout | undefined } | undefined;
  if (enabled) {
    const recorder = new MetricRecorder({
      namespace: config.metrics.namespace,
      service,
      environment,
      storageResolution,
      requestMetrics: config.metrics.requestMetrics,
      maxGroups: MAX_DIMENSION_SETS,
      write: writeToStdout,
    });
    setActiveRecorder(recorder);
    if (config.metrics.runtimeMetrics) runtime = startRuntimeMetrics(config, recorder);
    timer = setInterval(flushInvocationMetrics, config.metrics.flushIntervalMs);
    // The timer must never keep a process alive that would otherwise exit.
    timer.unref();
    // An app that calls process.exit() without shutdown() still gets what was aggregated and
    // what it added to `metrics`: 'exit' listeners run synchronously, and so do stdout writes
    // to a pipe or a file. (Spans cannot be: their export is network I/O; docs/metrics.md.)
    // Installed once per process and kept after shutdown(): see onExit.
    if (!exitListenerInstalled) {
      exitListenerInstalled = true;
      process.once('exit', onExit);
    }
  }

  let otel: OtelMetricsHandle | undefined;
  try {
    otel = startOtelMetrics(config);
  } catch (error) {
    diagnostics.error(
      ERROR_CODES.START_FAILED,
      `OpenTelemetry metrics failed to start and are off: ${describeError(error)}`,
    );
  }
  if (timer === undefined && otel === undefined) return undefined;

  let stopped = false;
  return {
    exporters: otel?.exporters ?? [],
    forceFlush: async () => {
      if (!stopped) flushInvocationMetrics();
      await otel?.forceFlush();
    },
    shutdown: async () => {
      if (!stopped) {
        stopped = true;
        clearInterval(timer);
        if (runtime !== undefined) {
          clearInterval(runtime.timer);
          setOnInvocation(undefined);
          setOnInvocationStart(undefined);
          runtime.collector.stop();
        }
        flushInvocationMetrics();
        // After shutdown nothing would flush again: record nothing more.
        setActiveRecorder(undefined);
      }
      await otel?.shutdown();
    },
  };
}
