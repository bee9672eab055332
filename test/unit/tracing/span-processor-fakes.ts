// Fakes for the unit tests of Lookout's span processors (server-span-processor.test.ts,
// invocation-span-processor.test.ts, span-processor-steps.test.ts): ended spans as a processor
// reads them, and an exporter that records what it is given.
import { context, TraceFlags } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode, isTracingSuppressed } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

let ids = 0;

/** An ended span with a new span id, sampled or not, with the given resource and attributes. */
export function endedSpan(
  sampled = true,
  resource: object = {},
  attributes: Record<string, unknown> = {},
): ReadableSpan {
  ids += 1;
  const spanContext = {
    traceId: '6650f3a0aabbccddeeff001122334455',
    spanId: ids.toString(16).padStart(16, '0'),
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
  };
  return {
    name: `span ${ids}`,
    spanContext: () => spanContext,
    resource,
    attributes,
  } as unknown as ReadableSpan;
}

/** An exporter that records each export and answers when told to (or at once). */
export function recordingExporter(answerAtOnce = true) {
  const exports: ReadableSpan[][] = [];
  const pending: Array<(result: ExportResult) => void> = [];
  const suppressed: boolean[] = [];
  let shutDown = 0;
  const exporter: SpanExporter = {
    export(spans, callback) {
      exports.push(spans);
      suppressed.push(isTracingSuppressed(context.active()));
      if (answerAtOnce) callback({ code: ExportResultCode.SUCCESS });
      else pending.push(callback);
    },
    async shutdown() {
      shutDown += 1;
    },
  };
  return {
    exporter,
    exports,
    suppressed,
    pending: () => pending.length,
    answerAll: () => {
      for (const callback of pending.splice(0)) callback({ code: ExportResultCode.SUCCESS });
    },
    shutDown: () => shutDown,
  };
}

/** Whether `promise` has settled once queued callbacks ran. */
export async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}
