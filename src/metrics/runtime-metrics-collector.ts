import {
  constants,
  type EventLoopUtilization,
  type IntervalHistogram,
  monitorEventLoopDelay,
  PerformanceObserver,
  performance,
} from 'node:perf_hooks';
import { heapSizeLimitBytes } from '../runtime/index.js';
import type { GcType } from './runtime-metric-names.js';

/** One collection window's values, in the units RUNTIME_METRICS gives. */
export interface RuntimeSample {
  readonly eventLoopDelayP50: number;
  readonly eventLoopDelayP99: number;
  readonly eventLoopUtilization: number;
  readonly heapUsed: number;
  readonly heapLimit: number;
  readonly memoryUsage: number;
  readonly activeResources: number;
  /** Pause seconds per kind of collection; only kinds that ran in the window. */
  readonly gcDuration: Readonly<Partial<Record<GcType, number>>>;
}

// node:perf_hooks reports a GC's kind as one of these flags.
const GC_KIND_NAMES: ReadonlyMap<number, GcType> = new Map([
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weakcb'],
]);

/**
 * The event-loop delay histogram's sampling period. Each tick wakes an idle loop: measured at
 * about 50 µs of CPU per wake-up on a loaded 2-core machine (5.0 ms a second at 10 ms, 2.2 at
 * 20, 1.2 at 50; docs/decisions/0047-runtime-metrics.md). A stall still delays the tick after it
 * by its full length, so 50 ms keeps every stall in the histogram with 200 samples per 10 s
 * window for the percentiles.
 */
const DELAY_RESOLUTION_MS = 50;
const NS_PER_S = 1e9;

/**
 * Measures the runtime between two `collect()` calls: the event-loop delay histogram
 * (`monitorEventLoopDelay`, a libuv timer), event-loop utilization, GC pauses (a `gc`
 * performance observer, summed per kind), and at each collection the heap, RSS and active
 * handles. Nothing runs per request (docs/decisions/0047-runtime-metrics.md).
 */
export class RuntimeMetricsCollector {
  readonly #delay: IntervalHistogram;
  readonly #resolutionNs: number;
  readonly #gc: PerformanceObserver;
  #gcSeconds: Partial<Record<GcType, number>> = {};
  #utilization: EventLoopUtilization;

  constructor(options: { readonly delayResolutionMs?: number } = {}) {
    const resolutionMs = options.delayResolutionMs ?? DELAY_RESOLUTION_MS;
    this.#resolutionNs = resolutionMs * 1e6;
    this.#delay = monitorEventLoopDelay({ resolution: resolutionMs });
    this.#delay.enable();
    this.#utilization = performance.eventLoopUtilization();
    this.#gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = GC_KIND_NAMES.get((entry as { detail?: { kind?: number } }).detail?.kind ?? -1);
        if (kind === undefined) continue;
        this.#gcSeconds[kind] = (this.#gcSeconds[kind] ?? 0) + entry.duration / 1000;
      }
    });
    this.#gc.observe({ entryTypes: ['gc'] });
  }

  /** The window's values; starts the next window. */
  collect(): RuntimeSample {
    const utilization = performance.eventLoopUtilization(this.#utilization);
    this.#utilization = performance.eventLoopUtilization();
    // An empty histogram (a window shorter than its resolution) reads 0, not NaN. The histogram
    // records the time between two ticks of its timer, the sampling period included (an idle
    // loop reads 50 ms): the delay is what exceeds the period.
    const p50 = this.#delay.count > 0 ? this.#delayOf(this.#delay.percentile(50)) : 0;
    const p99 = this.#delay.count > 0 ? this.#delayOf(this.#delay.percentile(99)) : 0;
    this.#delay.reset();
    const gcDuration = this.#gcSeconds;
    this.#gcSeconds = {};
    const memory = process.memoryUsage();
    return {
      eventLoopDelayP50: p50,
      eventLoopDelayP99: p99,
      eventLoopUtilization: Number.isFinite(utilization.utilization) ? utilization.utilization : 0,
      heapUsed: memory.heapUsed,
      heapLimit: heapSizeLimitBytes(),
      memoryUsage: memory.rss,
      activeResources: process.getActiveResourcesInfo().length,
      gcDuration,
    };
  }

  /**
   * Stops the delay histogram until `resumeDelay()`. On Lambda the environment is frozen
   * between invocations, and the histogram's first tick after the thaw would read the whole
   * freeze as one event-loop delay: it measures during invocations only.
   */
  pauseDelay(): void {
    this.#delay.disable();
    this.#delay.reset();
  }

  resumeDelay(): void {
    this.#delay.enable();
  }

  #delayOf(betweenTicksNs: number): number {
    return Math.max(0, betweenTicksNs - this.#resolutionNs) / NS_PER_S;
  }

  stop(): void {
    this.#delay.disable();
    this.#gc.disconnect();
  }
}
