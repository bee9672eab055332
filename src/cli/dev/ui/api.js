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
 * GETs a path of the API as the text the server sent; a failed request throws its error.
 *
 * @param {string} path
 * @param {Record<string, string>} query parameters; empty ones are left out
 * @returns {Promise<string>}
 */
async function getText(path, query) {
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
  return response.text();
}

/**
 * GETs a path of the API; the caller names the answer's type.
 *
 * @template Answer
 * @param {string} path
 * @param {Record<string, string>} [query] parameters; empty ones are left out
 * @returns {Promise<Answer>}
 */
export async function getJson(path, query = {}) {
  return JSON.parse(await getText(path, query));
}

/**
 * A view's reader of its answer, which tells whether it changed: `read(path, query, drawnWith)`
 * resolves to the answer, or to undefined when the server sent the same text as last time and
 * `drawnWith` (what else the view draws it with, e.g. its sort order) is the same. Views refresh
 * on every live update, and a redraw replaces their rows, which takes the reader's text selection
 * (a stack being copied) and the focus with it: an answer that did not change is not drawn again.
 * The text is compared as received: parsing every answer and serialising it again to compare it
 * did the work of the whole answer twice on every update, up to 16 MiB a list, while the page
 * could not be used.
 *
 * @returns {(path: string, query?: Record<string, string>, drawnWith?: string) => Promise<unknown>}
 */
export function answerReader() {
  /** @type {string | undefined} */
  let lastText;
  let lastWith = '';
  return async (path, query = {}, drawnWith = '') => {
    const text = await getText(path, query);
    if (text === lastText && drawnWith === lastWith) return undefined;
    lastText = text;
    lastWith = drawnWith;
    return JSON.parse(text);
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
