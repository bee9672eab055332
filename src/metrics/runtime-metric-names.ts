import type { EmfUnit } from './emf-limits.js';

/**
 * The runtime metrics Lookout writes, named as the OpenTelemetry semantic conventions name
 * them for Node.js (`nodejs.*`, `v8js.*`) and processes (`process.*`), so a dashboard built on
 * either works with both (docs/decisions/0047-runtime-metrics.md). Every value is one sample per
 * collection window (10 s on servers, one invocation on Lambda), published as EMF value arrays
 * under Service and Environment, so CloudWatch's percentiles and Maximum are exact.
 *
 * @example
 * new cloudwatch.Metric({ namespace: 'Lookout', metricName: RUNTIME_METRICS.eventLoopDelayP99.name, statistic: 'Maximum' });
 */
export const RUNTIME_METRICS = {
  /** Median event-loop delay over the window, in seconds. */
  eventLoopDelayP50: { name: 'nodejs.eventloop.delay.p50', unit: 'Seconds' },
  /** 99th percentile event-loop delay over the window, in seconds. */
  eventLoopDelayP99: { name: 'nodejs.eventloop.delay.p99', unit: 'Seconds' },
  /** Share of the window the event loop was busy, 0 to 1. */
  eventLoopUtilization: { name: 'nodejs.eventloop.utilization', unit: 'None' },
  /** Garbage-collection pause time in the window, per `v8js.gc.type` (major, minor, incremental, weakcb). */
  gcDuration: { name: 'v8js.gc.duration', unit: 'Seconds' },
  /** V8 heap in use, in bytes. */
  heapUsed: { name: 'v8js.memory.heap.used', unit: 'Bytes' },
  /** V8 heap size limit, in bytes. */
  heapLimit: { name: 'v8js.memory.heap.limit', unit: 'Bytes' },
  /** Resident set size of the process, in bytes. */
  memoryUsage: { name: 'process.memory.usage', unit: 'Bytes' },
  /** Handles and requests keeping the event loop alive (sockets, timers, ...). */
  activeResources: { name: 'v8js.resource.active', unit: 'Count' },
} as const satisfies Record<string, { name: string; unit: EmfUnit }>;

/** The dimension that splits `v8js.gc.duration` by kind of collection. */
export const GC_TYPE_DIMENSION = 'v8js.gc.type';

/** The kinds of collection, as `v8js.gc.type` names them. */
export const GC_TYPES = ['major', 'minor', 'incremental', 'weakcb'] as const;
export type GcType = (typeof GC_TYPES)[number];
