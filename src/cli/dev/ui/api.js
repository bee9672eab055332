// The viewer's JSON API (same origin). What it answers is typed by the server's own types
// (src/cli/dev/viewer-api.ts builds the answers); tsconfig.ui.json checks the page against them.

/**
 * @typedef {import('../viewer-records.js').ViewerLog} ViewerLog
 * @typedef {import('../viewer-records.js').ViewerAudit} ViewerAudit
 * @typedef {import('../summarize-trace.js').TraceSummary} TraceSummary
 * @typedef {import('../summarize-trace.js').RouteLatency} RouteLatency
 * @typedef {import('../trace-detail.js').WaterfallSpan} WaterfallSpan
 * @typedef {import('../summarize-metrics.js').MetricsSummary} MetricsSummary
 * @typedef {import('../summarize-metrics.js').SeriesPoint} SeriesPoint
 * @typedef {import('../telemetry-store.js').StoreStats & {
 *   app?: import('../start-dev.js').AppState,
 *   redaction?: { censor: string },
 * }} StatsAnswer `api/stats` and every live update.
 * @typedef {{
 *   traces: TraceSummary[],
 *   matching: number,
 *   truncated: boolean,
 *   routes: string[],
 *   latency: { bucketsMs: number[], routes: RouteLatency[] },
 * }} TracesAnswer `api/traces`.
 * @typedef {import('../trace-detail.js').TraceDetail & {
 *   logs: ViewerLog[],
 *   audit: ViewerAudit[],
 *   truncated: boolean,
 * }} TraceAnswer
 *   `api/traces/<trace id>`.
 * @typedef {{ logs: ViewerLog[], levels: string[], truncated: boolean, nextBefore?: number }} LogsAnswer
 *   `api/logs`.
 * @typedef {{ audit: ViewerAudit[], truncated: boolean, nextBefore?: number }} AuditAnswer `api/audit`.
 */

/**
 * GETs a path of the API; the caller names the answer's type.
 *
 * @template Answer
 * @param {string} path
 * @param {Record<string, string>} [query] parameters; empty ones are left out
 * @returns {Promise<Answer>}
 */
export async function getJson(path, query = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const search = params.toString();
  const response = await fetch(search ? `${path}?${search}` : path, {
    headers: { accept: 'application/json' },
  });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  }
  return response.json();
}

/**
 * Tells whether a view's answer differs from the one it drew last (compared as JSON). Views
 * refresh on every live update, and a redraw replaces their rows, which takes the reader's text
 * selection (a stack being copied) and the focus with it: an answer that did not change is not
 * drawn again.
 *
 * @returns {(answer: unknown) => boolean}
 */
export function changeTracker() {
  /** @type {string | undefined} */
  let drawn;
  return (answer) => {
    const text = JSON.stringify(answer);
    if (text === drawn) return false;
    drawn = text;
    return true;
  };
}

/**
 * Opens the live event stream; `onUpdate(stats)` runs on every update.
 *
 * @param {(stats: StatsAnswer) => void} onUpdate
 * @param {(connected: boolean) => void} onState
 * @returns {{ close(): void }} the stream, to close it (named structurally: Node's types declare an
 *   EventSource of their own beside the DOM's)
 */
export function subscribe(onUpdate, onState) {
  const source = new EventSource('api/events');
  source.addEventListener('update', (event) => onUpdate(JSON.parse(event.data)));
  source.addEventListener('open', () => onState(true));
  source.addEventListener('error', () => onState(false));
  return source;
}
