import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * Instrumentations whose spans end on the response's 'close' event. Behind
 * serverless-express on Lambda the response is not a socket's and never emits it, so without
 * help those spans would never end, and never be exported.
 */
const ENDED_ON_CLOSE = new Set(['@opentelemetry/instrumentation-express']);

/**
 * On Lambda, keeps the spans of the instrumentations above that are still open, by trace, so
 * that the invocation's end can end them: the invocation's end is the signal the response's
 * 'close' would have been (Express on Lambda, docs/lambda.md). Spans of anything else are left
 * to end as they do. What it holds drains as spans end; `endOpenSpans` clears a trace's.
 */
export class InvocationSpanCloser implements SpanProcessor {
  readonly #open = new Map<string, Set<Span>>();

  onStart(span: Span, _parentContext: Context): void {
    if (!ENDED_ON_CLOSE.has(span.instrumentationScope.name)) return;
    const traceId = span.spanContext().traceId;
    let spans = this.#open.get(traceId);
    if (spans === undefined) {
      spans = new Set();
      this.#open.set(traceId, spans);
    }
    spans.add(span);
  }

  onEnd(span: ReadableSpan): void {
    const traceId = span.spanContext().traceId;
    const spans = this.#open.get(traceId);
    if (spans === undefined) return;
    spans.delete(span as Span);
    if (spans.size === 0) this.#open.delete(traceId);
  }

  /**
   * Ends the spans of `traceId` still open (before the invocation's own span ends), at
   * `endTime` (a `performance.now()` time: when the invocation ended) or now.
   */
  endOpenSpans(traceId: string, endTime?: number): void {
    const spans = this.#open.get(traceId);
    if (spans === undefined) return;
    this.#open.delete(traceId);
    for (const span of spans) span.end(endTime);
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.#open.clear();
  }
}

let closer: InvocationSpanCloser | undefined;

/** The closer tracing runs with on Lambda (created by startTracing), if any. */
export function getInvocationSpanCloser(): InvocationSpanCloser {
  closer ??= new InvocationSpanCloser();
  return closer;
}

/**
 * Ends the spans that wait for a response 'close' in the invocation's trace: called by the
 * Lambda adapter as the invocation ends. Never throws.
 *
 * @example
 * endInvocationSpans(span.spanContext().traceId, performance.now());
 */
export function endInvocationSpans(traceId: string, endTime?: number): void {
  try {
    closer?.endOpenSpans(traceId, endTime);
  } catch {
    // A span that cannot be ended stays open; nothing may throw into the invocation.
  }
}
