// The steps Lookout's two span processors share: the Lambda one (invocation-span-processor.ts)
// and the servers' (server-span-processor.ts). They differ in when a batch leaves and how long an
// export may take; what they keep, drop, and how they hand a batch to the exporter is the same.
import { context, ROOT_CONTEXT, TraceFlags } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';

const SUPPRESSED = suppressTracing(ROOT_CONTEXT);
const RESOLVED = Promise.resolve();

/** Whether `span` was sampled: only those are kept for export. */
export function isSampled(span: ReadableSpan): boolean {
  return (span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0;
}

/** Says once that spans past `maxQueueSize` are being dropped (each is counted by its processor). */
export function warnSpansDropped(maxQueueSize: number): void {
  diagnostics.warnOnce(
    'spans-dropped',
    ERROR_CODES.EXPORT_FAILED,
    `More than ${maxQueueSize} ended spans were waiting for export or being exported (OTEL_BSP_MAX_QUEUE_SIZE); the spans past it are dropped and counted.`,
  );
}

function hasPendingResource(span: ReadableSpan): boolean {
  return span.resource.asyncAttributesPending === true;
}

/**
 * Runs `send(spans)` once the spans' resource has the attributes it reads asynchronously (ECS task
 * metadata), as the SDK's batch processor waits for them; at once when it has them (always on
 * Lambda).
 *
 * @example
 * afterResourceAttributes(spans, (ready) => exportSuppressed(exporter, ready, done));
 */
export function afterResourceAttributes(spans: ReadableSpan[], send: (spans: ReadableSpan[]) => void): void {
  const pending = spans.find(hasPendingResource);
  if (pending?.resource.waitForAsyncAttributes === undefined) {
    send(spans);
    return;
  }
  pending.resource.waitForAsyncAttributes().then(
    () => send(spans),
    () => send(spans),
  );
}

function callExport(exporter: SpanExporter, spans: ReadableSpan[], done: () => void): void {
  exporter.export(spans, done);
}

/**
 * Hands `spans` to `exporter` with tracing suppressed, as the batch processor does: the export's
 * own requests are no spans (docs/design.md decision 7). A context made once and a function made
 * once, not one of each per export. An exporter that throws has still ended: `done` is called
 * (Lookout's reporting wrapper reports the failure).
 */
export function exportSuppressed(exporter: SpanExporter, spans: ReadableSpan[], done: () => void): void {
  try {
    context.with(SUPPRESSED, callExport, undefined, exporter, spans, done);
  } catch {
    done();
  }
}

/** A promise that settles when a processor has no export in flight; made only when a flush waits. */
export class IdleSignal {
  #waiting: { readonly promise: Promise<void>; readonly settle: () => void } | undefined;

  /** Resolved at once when nothing is in flight; else settles at the next `settle()`. */
  wait(exporting: number): Promise<void> {
    if (exporting === 0) return RESOLVED;
    if (this.#waiting === undefined) {
      let settle = () => {};
      const promise = new Promise<void>((resolve) => {
        settle = resolve;
      });
      this.#waiting = { promise, settle };
    }
    return this.#waiting.promise;
  }

  /** Settles the waiting flushes, if any: the last export in flight answered. */
  settle(): void {
    const waiting = this.#waiting;
    if (waiting === undefined) return;
    this.#waiting = undefined;
    waiting.settle();
  }
}
