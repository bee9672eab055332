/**
 * Milliseconds to the microsecond: finer than any latency alarm or reader can use, and a few
 * bytes in a log line or EMF document instead of up to 20.
 *
 * @example
 * roundMs(12.3456789); // 12.346
 */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
