import type { HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';

// The SDK takes any number or Date as a span's or an event's time, so `end(Date.parse(text))`
// that failed gives a time of NaN. Exported as it is, the OTLP/JSON encoder throws on the whole
// batch, the protobuf encoder writes 1970, and an X-Ray document without numeric times is refused.

/** The times of a span as they can be exported. */
export interface ExportableTimes {
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly duration: HrTime;
}

function isValidTime(time: HrTime | undefined): time is HrTime {
  return time !== undefined && Number.isFinite(time[0]) && Number.isFinite(time[1]);
}

/**
 * The span's times, an invalid one replaced by the other (a span of no duration), both by now
 * when neither is valid; undefined when both are valid (the usual case: nothing is allocated).
 *
 * @example
 * exportableTimes(span); // span.end(Number.NaN) -> { startTime, endTime: startTime, duration: [0, 0] }
 */
export function exportableTimes(span: ReadableSpan): ExportableTimes | undefined {
  const { startTime, endTime } = span;
  const startValid = isValidTime(startTime);
  const endValid = isValidTime(endTime);
  if (startValid && endValid) return undefined;
  const known = startValid ? startTime : endValid ? endTime : millisToHrTime(Date.now());
  return { startTime: known, endTime: known, duration: [0, 0] };
}

/**
 * The events, one at an invalid time placed at `fallback` (the span's start), or undefined when
 * every time is valid.
 */
export function exportableEvents(events: readonly TimedEvent[], fallback: HrTime): TimedEvent[] | undefined {
  let copy: TimedEvent[] | undefined;
  events.forEach((event, index) => {
    if (isValidTime(event.time)) return;
    copy ??= [...events];
    copy[index] = { ...event, time: fallback };
  });
  return copy;
}
