// A fake exporter (not a protocol peer: those are in test/helpers/) for the unit tests of
// Lookout's log record processor and metric reader (the span processors' fakes are in
// test/unit/tracing): it records each export and answers only when told to, so a test can look
// at the process while an export is under way.
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';

/** Records each export of `T` and holds its answer until `answerAll()`. */
export function heldExporter<T>() {
  const exports: T[] = [];
  const pending: Array<(result: ExportResult) => void> = [];
  const exporter = {
    export: (item: T, done: (result: ExportResult) => void) => {
      exports.push(item);
      pending.push(done);
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const answerAll = () => {
    for (const done of pending.splice(0)) done({ code: ExportResultCode.SUCCESS });
  };
  return { exporter, exports, answerAll };
}

/** How many timers hold the process now (an unref'd timer is not listed). */
export function refdTimerCount(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}
