import { estimateRecordBytes } from './record-bytes.js';
import { RingBuffer } from './ring-buffer.js';
import { TraceStore, type TraceStoreCounts } from './trace-store.js';
import type { ViewerAudit, ViewerLog, ViewerMetricPoint, ViewerSpan } from './viewer-records.js';

/** How much the viewer keeps in memory; older records are dropped and counted. */
export interface StoreLimits {
  /** @default 1000 */
  readonly maxTraces: number;
  /** @default 20000 */
  readonly maxSpans: number;
  /** @default 10000 */
  readonly maxLogs: number;
  /** @default 20000 */
  readonly maxMetricPoints: number;
  /** @default 2000 */
  readonly maxAuditEntries: number;
  /** Estimated bytes of spans kept. @default 128 MiB */
  readonly maxSpanBytes: number;
  /** Estimated bytes of log lines kept. @default 64 MiB */
  readonly maxLogBytes: number;
  /** Estimated bytes of metric points kept. @default 32 MiB */
  readonly maxMetricBytes: number;
  /** Estimated bytes of audit entries kept. @default 32 MiB */
  readonly maxAuditBytes: number;
}

const MIB = 1024 * 1024;

/** What `lookout dev` holds for records by default, in MiB, over every kind. */
export const DEFAULT_MEMORY_MIB = 256;

/**
 * How a memory budget is shared: half for spans (a trace is many spans, and what the viewer is
 * mostly for), a quarter for log lines, an eighth each for metric points and audit entries.
 * Each kind has its own share, so that a flood of one cannot evict the others.
 */
const MEMORY_SHARES = {
  maxSpanBytes: 1 / 2,
  maxLogBytes: 1 / 4,
  maxMetricBytes: 1 / 8,
  maxAuditBytes: 1 / 8,
} as const;

/**
 * The per-kind byte limits for a memory budget of `mib` MiB.
 *
 * @example
 * byteLimitsOf(256); // { maxSpanBytes: 128 MiB, maxLogBytes: 64 MiB, … }
 */
export function byteLimitsOf(
  mib: number,
): Pick<StoreLimits, 'maxSpanBytes' | 'maxLogBytes' | 'maxMetricBytes' | 'maxAuditBytes'> {
  const share = (key: keyof typeof MEMORY_SHARES) => Math.floor(mib * MIB * MEMORY_SHARES[key]);
  return {
    maxSpanBytes: share('maxSpanBytes'),
    maxLogBytes: share('maxLogBytes'),
    maxMetricBytes: share('maxMetricBytes'),
    maxAuditBytes: share('maxAuditBytes'),
  };
}

export const DEFAULT_STORE_LIMITS: StoreLimits = Object.freeze({
  maxTraces: 1000,
  maxSpans: 20_000,
  maxLogs: 10_000,
  maxMetricPoints: 20_000,
  maxAuditEntries: 2000,
  ...byteLimitsOf(DEFAULT_MEMORY_MIB),
});

export interface BufferCounts {
  /** Received since start. */
  readonly received: number;
  /** Held now. */
  readonly kept: number;
  /** Dropped to stay within the limits. */
  readonly dropped: number;
  readonly limit: number;
  /** Estimated bytes held now. */
  readonly bytes: number;
  readonly byteLimit: number;
}

export interface StoreStats {
  readonly traces: TraceStoreCounts & {
    readonly receivedSpans: number;
    readonly limit: number;
    readonly spanLimit: number;
    readonly byteLimit: number;
  };
  readonly logs: BufferCounts;
  readonly metrics: BufferCounts;
  readonly audit: BufferCounts;
  /** Datagrams, requests or lines that could not be read, by receiver. */
  readonly rejected: Readonly<Record<string, number>>;
  /** Incremented on every change; the page refreshes when it moves. */
  readonly version: number;
}

/**
 * Everything the viewer received, bounded: traces by trace and span count, logs, metric
 * points and audit entries in ring buffers, each kind also by the estimated bytes of its
 * records (`estimateRecordBytes`). Listeners hear about every change.
 *
 * @example
 * const store = new TelemetryStore();
 * store.onChange(() => notifyPages());
 */
export class TelemetryStore {
  readonly limits: StoreLimits;
  readonly traces: TraceStore;
  readonly logs: RingBuffer<ViewerLog>;
  readonly metrics: RingBuffer<ViewerMetricPoint>;
  readonly audit: RingBuffer<ViewerAudit>;
  #seq = 0;
  #version = 0;
  #receivedSpans = 0;
  #received = { logs: 0, metrics: 0, audit: 0 };
  #rejected: Record<string, number> = {};
  #listeners = new Set<() => void>();

  constructor(limits: Partial<StoreLimits> = {}) {
    this.limits = { ...DEFAULT_STORE_LIMITS, ...limits };
    this.traces = new TraceStore({
      maxTraces: this.limits.maxTraces,
      maxSpans: this.limits.maxSpans,
      maxBytes: this.limits.maxSpanBytes,
    });
    this.logs = new RingBuffer(this.limits.maxLogs, this.limits.maxLogBytes);
    this.metrics = new RingBuffer(this.limits.maxMetricPoints, this.limits.maxMetricBytes);
    this.audit = new RingBuffer(this.limits.maxAuditEntries, this.limits.maxAuditBytes);
  }

  /** A sequence number for a new record (logs, audit entries and metric points share it). */
  readonly nextSeq = (): number => {
    this.#seq += 1;
    return this.#seq;
  };

  addSpans(spans: readonly ViewerSpan[]): void {
    for (const span of spans) {
      this.#receivedSpans += 1;
      this.traces.add(span);
    }
    this.#changed(spans.length);
  }

  addLogs(logs: readonly ViewerLog[]): void {
    for (const log of logs) this.logs.push(log, estimateRecordBytes(log));
    this.#received.logs += logs.length;
    this.#changed(logs.length);
  }

  addMetricPoints(points: readonly ViewerMetricPoint[]): void {
    for (const point of points) this.metrics.push(point, estimateRecordBytes(point));
    this.#received.metrics += points.length;
    this.#changed(points.length);
  }

  addAudit(entry: ViewerAudit): void {
    this.audit.push(entry, estimateRecordBytes(entry));
    this.#received.audit += 1;
    this.#changed(1);
  }

  /** Counts something a receiver could not read (a bad datagram, a malformed request). */
  reject(receiver: string): void {
    this.#rejected[receiver] = (this.#rejected[receiver] ?? 0) + 1;
    this.#changed(1);
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  stats(): StoreStats {
    const buffer = <T>(ring: RingBuffer<T>, received: number): BufferCounts => ({
      received,
      kept: ring.size,
      dropped: ring.dropped,
      limit: ring.capacity,
      bytes: ring.bytes,
      byteLimit: ring.maxBytes,
    });
    return {
      traces: {
        ...this.traces.counts(),
        receivedSpans: this.#receivedSpans,
        limit: this.limits.maxTraces,
        spanLimit: this.limits.maxSpans,
        byteLimit: this.limits.maxSpanBytes,
      },
      logs: buffer(this.logs, this.#received.logs),
      metrics: buffer(this.metrics, this.#received.metrics),
      audit: buffer(this.audit, this.#received.audit),
      rejected: { ...this.#rejected },
      version: this.#version,
    };
  }

  #changed(count: number): void {
    if (count === 0) return;
    this.#version += 1;
    for (const listener of this.#listeners) listener();
  }
}
