/**
 * `String(value)`, or '' when the value cannot be turned into text (no `toString`, a Proxy
 * whose trap throws): a value the app handed over, printed where a throw would cost the answer
 * or the telemetry (`next(42)` is `42`, a span named `undefined` is `undefined`).
 */
export function textOf(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '';
  }
}
