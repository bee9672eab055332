import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { BATCH_SPAN_PROCESSOR_VARIABLES, readBatchBound } from '../config/index.js';
import { type Env, LONGEST_TIMER_DELAY_MS, readEnv } from '../runtime/index.js';
import {
  afterResourceAttributes,
  exportSuppressed,
  IdleSignal,
  isSampled,
  warnSpansDropped,
} from './span-processor-steps.js';

/** The batch span processor's bounds, which this processor keeps (docs/design.md decision 4). */
export interface InvocationSpanProcessorOptions {
  /** Ended spans kept at most; more are dropped (and said once). @default 2048 */
  readonly maxQueueSize?: number;
  /** Spans per export; this many kept start an export at once. @default 512 */
  readonly maxExportBatchSize?: number;
  /** Spans kept with no flush are exported after this long at the latest. @default 5000 */
  readonly scheduledDelayMillis?: number;
}

const DEFAULTS = { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000 } as const;

/**
 * The batch span processor's bounds set in the environment (`OTEL_BSP_MAX_QUEUE_SIZE`,
 * `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`, `OTEL_BSP_SCHEDULE_DELAY`); unset or invalid ones are left
 * out (an invalid one is said once). `OTEL_BSP_EXPORT_TIMEOUT` is not among them: every flush on
 * Lambda is bounded by its caller (the invocation's delivery budget, the shutdown's).
 */
export function getBatchBoundsFromEnv(env: Env): InvocationSpanProcessorOptions {
  const [queue, batch, delay] = BATCH_SPAN_PROCESSOR_VARIABLES.map((name) => readEnv(env, name));
  const bounds: { -readonly [K in keyof InvocationSpanProcessorOptions]: number } = {};
  const maxQueueSize = readBatchBound('OTEL_BSP_MAX_QUEUE_SIZE', queue, 1);
  if (maxQueueSize !== undefined) bounds.maxQueueSize = maxQueueSize;
  const maxExportBatchSize = readBatchBound('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', batch, 1);
  if (maxExportBatchSize !== undefined) bounds.maxExportBatchSize = maxExportBatchSize;
  const scheduledDelayMillis = readBatchBound('OTEL_BSP_SCHEDULE_DELAY', delay, 0, LONGEST_TIMER_DELAY_MS);
  if (scheduledDelayMillis !== undefined) bounds.scheduledDelayMillis = scheduledDelayMillis;
  return bounds;
}

/**
 * `OTEL_BSP_EXPORT_TIMEOUT` for the servers' batch span processor, or undefined when unset or
 * invalid (said once). Read here rather than by the SDK, which would take a value past the
 * longest timer and then time every export out after 1 ms, reporting exports that succeed as failed.
 */
export function getBatchExportTimeoutFromEnv(env: Env): number | undefined {
  return readBatchBound(
    'OTEL_BSP_EXPORT_TIMEOUT',
    readEnv(env, 'OTEL_BSP_EXPORT_TIMEOUT'),
    1,
    LONGEST_TIMER_DELAY_MS,
  );
}

/**
 * The span processor tracing runs with on Lambda, in place of the batch span processor
 * (docs/decisions/0059-lambda-span-processor.md). It keeps the invocation's ended spans and
 * exports them when the invocation's delivery flushes: one export, one promise to wait on, no
 * export timeout timer and no batch timer per invocation; its caller's deadline bounds the wait.
 * Like the batch processor it exports a full batch at once, drops spans past its queue size
 * (counting those in exports that have not answered), and exports what no flush took within
 * `scheduledDelayMillis`, on one timer that serves many invocations: a span ended outside a wrapped invocation (init, a handler left unwrapped) still
 * leaves while the environment is not frozen. Its `forceFlush` waits for every export in
 * flight, those a full batch started included.
 */
export class InvocationSpanProcessor implements SpanProcessor {
  readonly #exporter: SpanExporter;
  readonly #maxQueueSize: number;
  readonly #maxExportBatchSize: number;
  readonly #scheduledDelayMillis: number;
  #spans: ReadableSpan[] = [];
  #dropped = 0;
  #exporting = 0;
  /** Spans handed to exports that have not answered yet: they count against the queue size. */
  #exportingSpans = 0;
  /** Settles the flushes waiting for the exports in flight. */
  readonly #idle = new IdleSignal();
  #timer: NodeJS.Timeout | undefined;
  /** The flush that shutdown started: later flushes wait for it, and it never rejects. */
  #stopping: Promise<void> | undefined;
  #shutDown: Promise<void> | undefined;

  constructor(exporter: SpanExporter, options: InvocationSpanProcessorOptions = {}) {
    this.#exporter = exporter;
    this.#maxQueueSize = options.maxQueueSize ?? DEFAULTS.maxQueueSize;
    this.#maxExportBatchSize = Math.min(
      this.#maxQueueSize,
      options.maxExportBatchSize ?? DEFAULTS.maxExportBatchSize,
    );
    this.#scheduledDelayMillis = options.scheduledDelayMillis ?? DEFAULTS.scheduledDelayMillis;
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (this.#stopping !== undefined || !isSampled(span)) return;
    if (this.#spans.length + this.#exportingSpans >= this.#maxQueueSize) {
      this.#dropped += 1;
      warnSpansDropped(this.#maxQueueSize);
      return;
    }
    this.#spans.push(span);
    if (this.#spans.length >= this.#maxExportBatchSize) this.#exportBatch();
    // Left pending when one is: it serves every invocation that ends within its delay, and most
    // of them take their spans away first (a flush per invocation), so firing finds nothing.
    else if (this.#timer === undefined) {
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
      this.#shutDown = stopping.then(() => {
        clearTimeout(this.#timer);
        return this.#exporter.shutdown();
      });
    }
    return this.#shutDown;
  }

  /** Counted spans dropped past the queue size (tests, diagnostics). */
  get droppedSpans(): number {
    return this.#dropped;
  }

  #flush(): Promise<void> {
    while (this.#spans.length > 0) this.#exportBatch();
    return this.#idle.wait(this.#exporting);
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    while (this.#spans.length > 0) this.#exportBatch();
  };

  #exportBatch(): void {
    let spans = this.#spans;
    if (spans.length <= this.#maxExportBatchSize) this.#spans = [];
    else spans = spans.splice(0, this.#maxExportBatchSize);
    this.#exporting += 1;
    this.#exportingSpans += spans.length;
    afterResourceAttributes(spans, this.#send);
  }

  readonly #send = (spans: ReadableSpan[]): void => {
    let settled = false;
    exportSuppressed(this.#exporter, spans, () => {
      if (settled) return;
      settled = true;
      this.#exported(spans.length);
    });
  };

  #exported(spanCount: number): void {
    this.#exporting -= 1;
    this.#exportingSpans -= spanCount;
    if (this.#exporting === 0) this.#idle.settle();
  }
}
