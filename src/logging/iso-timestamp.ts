/** The minute last formatted (ms since the epoch, divided by 60,000) and its text up to the seconds. */
let cachedMinute = Number.NaN;
let cachedPrefix = '';

/** `SS.mmmZ`: what follows the minute in an ISO 8601 timestamp. */
const SECONDS_PART_LENGTH = 7;

/**
 * `date.toISOString()`, without V8's date formatting on every call: that costs about 0.7 µs here,
 * once per log line. The text up to the minute comes from `toISOString()` once per minute; the
 * seconds and milliseconds are written from the time value. Throws as `toISOString()` does for an
 * invalid date.
 *
 * @example
 * formatIsoTimestamp(new Date(Date.UTC(2026, 11, 6, 13, 4, 5, 67))); // '2026-12-06T13:04:05.067Z'
 */
export function formatIsoTimestamp(date: Date): string {
  const time = date.getTime();
  const minute = Math.floor(time / 60_000);
  if (minute !== cachedMinute) {
    const text = new Date(minute * 60_000).toISOString();
    cachedPrefix = text.slice(0, text.length - SECONDS_PART_LENGTH);
    cachedMinute = minute;
  }
  const withinMinute = time - minute * 60_000;
  const seconds = Math.floor(withinMinute / 1000);
  const millis = withinMinute - seconds * 1000;
  return `${cachedPrefix}${seconds < 10 ? '0' : ''}${seconds}.${millis < 100 ? (millis < 10 ? '00' : '0') : ''}${millis}Z`;
}
