import { context, ROOT_CONTEXT, TraceFlags } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { BATCH_SPAN_PROCESSOR_VARIABLES, readBatchBound } from '../config/index.js';
import { diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';
import { type Env, LONGEST_TIMER_DELAY_MS, readEnv } from '../runtime/index.js';

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

const SUPPRESSED = suppressTracing(ROOT_CONTEXT);
const RESOLVED = Promise.resolve();

function isSampled(span: ReadableSpan): boolean {
  return (span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0;
}

function hasPendingResource(span: ReadableSpan): boolean {
  return span.resource.asyncAttributesPending === true;
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
  /** Settled when no export is in flight; made only when a flush has to wait. */
  #idle: { readonly promise: Promise<void>; readonly settle: () => void } | undefined;
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
      diagnostics.warnOnce(
        'spans-dropped',
        ERROR_CODES.EXPORT_FAILED,
        `More than ${this.#maxQueueSize} ended spans were waiting for export or being exported (OTEL_BSP_MAX_QUEUE_SIZE); the spans past it are dropped and counted.`,
      );
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
    if (this.#exporting === 0) return RESOLVED;
    if (this.#idle === undefined) {
      let settle = () => {};
      const promise = new Promise<void>((resolve) => {
        settle = resolve;
      });
      this.#idle = { promise, settle };
    }
    return this.#idle.promise;
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
    // The resource waits for attributes read asynchronously (ECS task metadata): never on
    // Lambda, but the batch processor waits for them too.
    const pending = spans.find(hasPendingResource);
    if (pending?.resource.waitForAsyncAttributes !== undefined) {
      pending.resource.waitForAsyncAttributes().then(
        () => this.#send(spans),
        () => this.#send(spans),
      );
      return;
    }
    this.#send(spans);
  }

  #send(spans: ReadableSpan[]): void {
    let settled = false;
    const done = (): void => {
      if (settled) return;
      settled = true;
      this.#exported(spans.length);
    };
    try {
      // Tracing suppressed, as the batch processor does: the export's own requests are no spans
      // (docs/design.md decision 7). A context made once, not one per export, and a function
      // made once (a `thisArg` would be bound per call).
      context.with(SUPPRESSED, this.#exportSuppressed, undefined, spans, done);
    } catch {
      // The exporter (Lookout's reporting wrapper) reports its failures; a throw still ends it.
      done();
    }
  }

  readonly #exportSuppressed = (spans: ReadableSpan[], done: () => void): void => {
    this.#exporter.export(spans, done);
  };

  #exported(spanCount: number): void {
    this.#exporting -= 1;
    this.#exportingSpans -= spanCount;
    if (this.#exporting > 0 || this.#idle === undefined) return;
    const idle = this.#idle;
    this.#idle = undefined;
    idle.settle();
  }
}
