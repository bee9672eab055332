import { estimateRecordBytes } from './record-bytes.js';
import type { ViewerSpan } from './viewer-records.js';

/** The spans of one trace, in arrival order. */
export interface StoredTrace {
  readonly traceId: string;
  readonly spans: ViewerSpan[];
  /** Incremented on every span added, so a summary can be cached per version. */
  version: number;
}

export interface TraceStoreLimits {
  /** Traces kept; the least recently updated is dropped first. */
  readonly maxTraces: number;
  /** Spans kept over all traces (also the most one trace may hold). */
  readonly maxSpans: number;
  /**
   * Estimated bytes of spans kept over all traces (also the most one trace may hold).
   * @default unbounded
   */
  readonly maxBytes?: number;
}

export interface TraceStoreCounts {
  readonly traces: number;
  readonly spans: number;
  readonly droppedTraces: number;
  readonly droppedSpans: number;
  /** Estimated bytes of the spans held. */
  readonly bytes: number;
  /** Spans received twice (same trace and span id, e.g. exported both to OTLP and X-Ray). */
  readonly duplicateSpans: number;
}

/**
 * Spans grouped by trace, bounded by a number of traces, a number of spans and their estimated
 * bytes: when any limit is reached the least recently updated trace is dropped whole (a partial
 * trace would mislead), and counted. A trace that alone reaches `maxSpans` or `maxBytes` keeps
 * its first spans; a first span larger than `maxBytes` alone is kept alone.
 *
 * @example
 * const store = new TraceStore({ maxTraces: 1000, maxSpans: 20_000 });
 * store.add(span);
 */
export class TraceStore {
  readonly limits: TraceStoreLimits;
  // A Map iterates in insertion order; a trace is re-inserted when updated, so the first
  // entry is always the least recently updated one.
  #traces = new Map<string, StoredTrace & { spanIds: Set<string>; bytes: number }>();
  #maxBytes: number;
  #spans = 0;
  #bytes = 0;
  #droppedTraces = 0;
  #droppedSpans = 0;
  #duplicateSpans = 0;

  constructor(limits: TraceStoreLimits) {
    this.limits = limits;
    this.#maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
  }

  /**
   * Adds one span of `bytes` (its estimated size); returns false when it was not kept
   * (duplicate, or its trace is full).
   */
  add(span: ViewerSpan, bytes = estimateRecordBytes(span)): boolean {
    let trace = this.#traces.get(span.traceId);
    if (trace?.spanIds.has(span.spanId)) {
      this.#duplicateSpans += 1;
      return false;
    }
    if (
      trace !== undefined &&
      (trace.spans.length >= this.limits.maxSpans || trace.bytes + bytes > this.#maxBytes)
    ) {
      this.#droppedSpans += 1;
      return false;
    }
    if (trace === undefined) {
      trace = { traceId: span.traceId, spans: [], spanIds: new Set(), version: 0, bytes: 0 };
      if (this.#traces.size >= this.limits.maxTraces) this.#dropOldest();
    } else {
      this.#traces.delete(span.traceId);
    }
    this.#traces.set(span.traceId, trace);
    trace.spans.push(span);
    trace.spanIds.add(span.spanId);
    trace.version += 1;
    trace.bytes += bytes;
    this.#spans += 1;
    this.#bytes += bytes;
    while (this.#spans > this.limits.maxSpans) this.#dropOldest();
    // The trace just added is the newest and alone within the limits (or a first span over
    // them, kept alone): the older ones go first, and it is never dropped here.
    while (this.#bytes > this.#maxBytes && this.#traces.size > 1) this.#dropOldest();
    return true;
  }

  get(traceId: string): StoredTrace | undefined {
    return this.#traces.get(traceId);
  }

  /** Every trace, least recently updated first. */
  traces(): StoredTrace[] {
    return [...this.#traces.values()];
  }

  counts(): TraceStoreCounts {
    return {
      traces: this.#traces.size,
      spans: this.#spans,
      droppedTraces: this.#droppedTraces,
      droppedSpans: this.#droppedSpans,
      bytes: this.#bytes,
      duplicateSpans: this.#duplicateSpans,
    };
  }

  #dropOldest(): void {
    const oldest = this.#traces.values().next();
    if (oldest.done === true) return;
    this.#traces.delete(oldest.value.traceId);
    this.#spans -= oldest.value.spans.length;
    this.#bytes -= oldest.value.bytes;
    this.#droppedTraces += 1;
    this.#droppedSpans += oldest.value.spans.length;
  }
}
