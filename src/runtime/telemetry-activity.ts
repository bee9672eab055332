// A count of telemetry recorded in this process (a span ended, a metric value recorded, a log
// line written), so that shutdown can tell whether anything new arrived while it was flushing:
// requests keep completing during a flush, and what they record must be flushed too. One
// increment per record on the hot path; a listener is set only while the process is stopping.

let recorded = 0;
let listener: (() => void) | undefined;

/** Counts one record of telemetry. Called by the parts as they record. */
export function noteTelemetry(): void {
  recorded += 1;
  if (listener !== undefined) listener();
}

/** How many records of telemetry the process has made so far. */
export function telemetryCount(): number {
  return recorded;
}

/**
 * Calls `onRecord` after every record from now on (shutdown uses it to export at once while the
 * process stops); returns a function that removes it.
 */
export function onTelemetry(onRecord: () => void): () => void {
  listener = onRecord;
  return () => {
    if (listener === onRecord) listener = undefined;
  };
}
