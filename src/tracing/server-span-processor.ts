import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';
import { estimateSpanBytes } from './estimate-span-bytes.js';
import type { InvocationSpanProcessorOptions } from './invocation-span-processor.js';
import {
  afterResourceAttributes,
  exportSuppressed,
  IdleSignal,
  isSampled,
  warnSpansDropped,
} from './span-processor-steps.js';

/** The server span processor's bounds: the batch span processor's, and a request's bytes. */
export interface ServerSpanProcessorOptions extends InvocationSpanProcessorOptions {
  /** Longest one export may take before its spans stop counting and the next one starts. @default 30000 */
  readonly exportTimeoutMillis?: number;
  /**
   * Estimated bytes of one export request at most (estimate-span-bytes.ts): a batch that would
   * be larger goes as several exports. A span larger on its own goes alone. @default 4194304
   */
  readonly maxExportBatchBytes?: number;
}

const DEFAULTS = {
  maxQueueSize: 2048,
  maxExportBatchSize: 512,
  scheduledDelayMillis: 5000,
  exportTimeoutMillis: 30_000,
  // 4 MiB estimated: a fifth of the OpenTelemetry Collector's OTLP/HTTP receiver default
  // (max_request_body_size, 20 MiB), room for text that is not ASCII (up to 3 bytes a character).
  maxExportBatchBytes: 4 * 1024 * 1024,
} as const;

/**
 * The span processor tracing runs with on servers, in place of OpenTelemetry's batch span
 * processor (docs/decisions/0077-server-span-processor.md). Ended, sampled spans wait in a queue
 * and leave in batches: a full batch on the next turn of the event loop, the rest `scheduledDelayMillis` after the first of
 * them ended, one export at a time; a flush exports everything at once. Unlike the batch
 * processor:
 *
 * - nothing it runs holds the process: its timers are unref'd, an export's included, and the
 *   OTLP exporter's sockets do not hold it either on servers (otlp/export-agent.ts), so a process
 *   whose last spans are being exported still ends, through its exit flush, which waits for that
 *   export up to the shutdown timeout and then gives it up;
 * - `forceFlush` (and so the exit flush and `shutdown`) waits for every export in flight, those
 *   the timer or a full batch started included; it never rejects;
 * - a batch whose request would pass `maxExportBatchBytes` goes as several exports;
 * - the spans of exports that have not answered count against `maxQueueSize`, as on Lambda
 *   (invocation-span-processor.ts): memory stays bounded while a collector is slow.
 *
 * The request's path runs `onEnd` only: a flag test, a length test, a push and, for the first
 * span after an export, arming the timer; a full batch is exported on the next turn of the event
 * loop, never inside the `end()` that filled it.
 */
export class ServerSpanProcessor implements SpanProcessor {
  readonly #exporter: SpanExporter;
  readonly #maxQueueSize: number;
  readonly #maxExportBatchSize: number;
  readonly #scheduledDelayMillis: number;
  readonly #exportTimeoutMillis: number;
  readonly #maxExportBatchBytes: number;
  #spans: ReadableSpan[] = [];
  #dropped = 0;
  #exporting = 0;
  /** Spans handed to exports that have not answered yet: they count against the queue size. */
  #exportingSpans = 0;
  /** Settles the flushes waiting for the exports in flight. */
  readonly #idle = new IdleSignal();
  #timer: NodeJS.Timeout | undefined;
  /** A full batch's export is scheduled for the next turn of the event loop. */
  #fullBatchDue = false;
  /** The flush that shutdown started: later flushes wait for it, and it never rejects. */
  #stopping: Promise<void> | undefined;
  #shutDown: Promise<void> | undefined;

  constructor(exporter: SpanExporter, options: ServerSpanProcessorOptions = {}) {
    this.#exporter = exporter;
    this.#maxQueueSize = options.maxQueueSize ?? DEFAULTS.maxQueueSize;
    this.#maxExportBatchSize = Math.min(
      this.#maxQueueSize,
      options.maxExportBatchSize ?? DEFAULTS.maxExportBatchSize,
    );
    this.#scheduledDelayMillis = options.scheduledDelayMillis ?? DEFAULTS.scheduledDelayMillis;
    this.#exportTimeoutMillis = options.exportTimeoutMillis ?? DEFAULTS.exportTimeoutMillis;
    this.#maxExportBatchBytes = options.maxExportBatchBytes ?? DEFAULTS.maxExportBatchBytes;
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (this.#stopping !== undefined || !isSampled(span)) return;
    const spans = this.#spans;
    if (spans.length + this.#exportingSpans >= this.#maxQueueSize) {
      this.#drop();
      return;
    }
    spans.push(span);
    if (spans.length >= this.#maxExportBatchSize) {
      // On the next turn of the event loop, not in the request that ended the span (the batch
      // processor exported inside its onEnd). One export at a time: a full batch waiting for
      // the one in flight leaves when it answers.
      if (this.#exporting === 0 && !this.#fullBatchDue) {
        this.#fullBatchDue = true;
        setImmediate(this.#onFullBatch);
      }
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(this.#onTimer, this.#scheduledDelayMillis);
      this.#timer.unref();
    }
  }

  /** Exports the kept spans; resolves when no export is in flight any more. Never rejects. */
  forceFlush(): Promise<void> {
    return this.#stopping ?? this.#flush();
  }

  /** Exports what is kept, then shuts the exporter down, once; spans ended later are dropped. */
  shutdown(): Promise<void> {
    if (this.#shutDown === undefined) {
      const stopping = this.#flush();
      this.#stopping = stopping;
      this.#shutDown = stopping.then(() => this.#exporter.shutdown());
    }
    return this.#shutDown;
  }

  /** Counted spans dropped past the queue size (tests, diagnostics). */
  get droppedSpans(): number {
    return this.#dropped;
  }

  #drop(): void {
    this.#dropped += 1;
    warnSpansDropped(this.#maxQueueSize);
  }

  #flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#spans.length > 0) this.#exportBatch();
    return this.#idle.wait(this.#exporting);
  }

  readonly #onFullBatch = (): void => {
    this.#fullBatchDue = false;
    if (this.#exporting === 0 && this.#spans.length > 0) this.#exportBatch();
  };

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    // An export in flight: what is queued leaves when it answers (#exported).
    if (this.#exporting === 0 && this.#spans.length > 0) this.#exportBatch();
  };

  /** The next batch: at most `maxExportBatchSize` spans, fewer when their bytes would pass the limit. */
  #takeBatch(): ReadableSpan[] {
    const spans = this.#spans;
    const most = Math.min(spans.length, this.#maxExportBatchSize);
    let count = 0;
    let bytes = 0;
    while (count < most) {
      bytes += this.#estimate(spans[count]!);
      // The first span goes whatever its size: alone, it cannot be split further.
      if (bytes > this.#maxExportBatchBytes && count > 0) break;
      count += 1;
    }
    if (count === spans.length) {
      this.#spans = [];
      return spans;
    }
    return spans.splice(0, count);
  }

  /** A span's estimated bytes; 0 for one whose reading throws (a getter), which never stops an export. */
  #estimate(span: ReadableSpan): number {
    try {
      return estimateSpanBytes(span);
    } catch {
      return 0;
    }
  }

  #exportBatch(): void {
    const spans = this.#takeBatch();
    this.#exporting += 1;
    this.#exportingSpans += spans.length;
    afterResourceAttributes(spans, this.#send);
  }

  readonly #send = (spans: ReadableSpan[]): void => {
    let settled = false;
    const done = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      this.#exported(spans.length);
    };
    // Unref'd: an export never holds the process; the exit flush holds it while it waits.
    const timeout = setTimeout(() => {
      if (settled) return;
      diagnostics.warnOnce(
        'span-export-timeout',
        ERROR_CODES.EXPORT_FAILED,
        `A span export did not finish within ${this.#exportTimeoutMillis} ms (OTEL_BSP_EXPORT_TIMEOUT); its spans no longer wait, and the next export starts.`,
      );
      done();
    }, this.#exportTimeoutMillis);
    timeout.unref();
    exportSuppressed(this.#exporter, spans, done);
  };

  #exported(spanCount: number): void {
    this.#exporting -= 1;
    this.#exportingSpans -= spanCount;
    if (this.#exporting > 0) return;
    this.#idle.settle();
    // What queued while the export ran: a full batch leaves now, the rest on the timer.
    if (this.#stopping !== undefined || this.#spans.length === 0) return;
    if (this.#spans.length >= this.#maxExportBatchSize) this.#exportBatch();
    else if (this.#timer === undefined) {
      this.#timer = setTimeout(this.#onTimer, this.#scheduledDelayMillis);
      this.#timer.unref();
    }
  }
}
