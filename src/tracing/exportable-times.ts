import type { HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';

// The SDK takes any number or Date as a span's or an event's time, so `end(Date.parse(text))`
// that failed gives a time of NaN, `end(1e20)` (a time in microseconds or nanoseconds taken for
// milliseconds) one 3 billion years away, and a large negative number one before 1970. Exported
// as they are, the OTLP/JSON encoder throws on the whole batch (NaN) or writes nanoseconds past
// the int64 a collector reads (and refuses the whole request), the protobuf encoder throws on
// the whole batch (before 1970) or writes 1970, and the X-Ray daemon's service refuses the
// document.

/**
 * The last second a time can be in: OTLP carries times as nanoseconds since 1970 in 64 bits,
 * which consumers read as int64 too (the OpenTelemetry collector, Go's time), so up to 2^63 - 1
 * nanoseconds, in April 2262.
 */
const LAST_EXPORTABLE_SECOND = 9_223_372_035;

/** The times of a span as they can be exported. */
export interface ExportableTimes {
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly duration: HrTime;
}

/** Whether a time is one every exporter can write: from 1970 to 2262, whole (NaN fails each test). */
function isValidTime(time: HrTime | undefined): time is HrTime {
  return (
    time !== undefined && time[0] >= 0 && time[0] <= LAST_EXPORTABLE_SECOND && time[1] >= 0 && time[1] < 1e9
  );
}

/** Says once that a time was replaced, with the first such value, so the app's call can be found. */
function reportReplaced(what: string, time: HrTime | undefined): void {
  diagnostics.warnOnce(
    'span-time-invalid',
    ERROR_CODES.SPAN_TIME_INVALID,
    `A ${what} time no exporter can write (${describeTime(time)}; times must fall from 1970 to 2262) was replaced: a span's by its other time (now when neither is valid), an event's by its span's start. The span is exported. end() and addEvent() take milliseconds since 1970, a Date or an HrTime. Further cases are not reported.`,
  );
}

function describeTime(time: HrTime | undefined): string {
  if (!Array.isArray(time)) return String(time);
  return `[${String(time[0])}, ${String(time[1])}]`;
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
  reportReplaced(startValid ? 'span end' : 'span start', startValid ? endTime : startTime);
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
    reportReplaced('span event', event.time);
    copy ??= [...events];
    copy[index] = { ...event, time: fallback };
  });
  return copy;
}
