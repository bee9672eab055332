// The viewer's page: a hash router over four views, refreshed on every live update.
import { subscribe } from './api.js';
import { renderAudit } from './audit.js';
import { h, replace } from './dom.js';
import { renderLogs } from './logs.js';
import { renderMetrics } from './metrics.js';
import { renderTrace } from './trace.js';
import { renderTraces } from './traces.js';

/** @typedef {(container: HTMLElement, argument: string) => { refresh: () => Promise<void> }} View */

/** @type {{ readonly [name in 'traces' | 'trace' | 'logs' | 'metrics' | 'audit']: View }} */
const VIEWS = {
  traces: renderTraces,
  trace: renderTrace,
  logs: renderLogs,
  metrics: renderMetrics,
  audit: renderAudit,
};

/** @param {string} name @returns {name is keyof typeof VIEWS} */
const isView = (name) => Object.hasOwn(VIEWS, name);

/**
 * An element of index.html, which the page cannot work without.
 *
 * @param {string} id
 */
function byId(id) {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`index.html has no #${id}`);
  return element;
}

const container = byId('view');
let current = { refresh: () => {} };
let refreshing = false;
let refreshAgain = false;
/** The last refresh failed and its message took the view's place. */
let failed = false;

/** Builds the view the address names, empty: its refresh fills it. */
function mount() {
  const [, name = '', ...rest] = location.hash.split('/');
  // No view named (the page's own address, `#/`) is the traces; a name of no view is not: a
  // mistyped `#/log` showed the traces as if they were what was asked for.
  const view = name === '' ? 'traces' : name;
  const argument = decodeArgument(rest.join('/'));
  for (const link of document.querySelectorAll('nav a')) {
    if (!(link instanceof HTMLElement)) continue;
    link.classList.toggle('active', link.dataset.view === (view === 'trace' ? 'traces' : view));
  }
  replace(container);
  if (!isView(view) || argument === undefined) {
    replace(container, notFound());
    current = { refresh: async () => {} };
    return;
  }
  current = VIEWS[view](container, argument);
}

/**
 * The view's argument as written in the address, or undefined when it does not decode: a typed
 * or pasted `#/trace/%E0` made decodeURIComponent throw out of the router, and the page stayed
 * blank.
 *
 * @param {string} encoded
 */
function decodeArgument(encoded) {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

/** What the page shows for an address it cannot read, in place of a view. */
function notFound() {
  return h(
    'div',
    { class: 'empty', id: 'not-found' },
    // The address is the reader's text: shown as text, like telemetry (dom.js).
    'Not found: the address ',
    h('span', { class: 'mono' }, location.hash),
    ' names nothing the viewer can show. ',
    h('a', { href: '#/traces' }, 'Show the traces'),
    '.',
  );
}

function route() {
  failed = false;
  mount();
  refresh();
}

/** Refreshes the current view; a refresh asked for while one runs runs once after it. */
async function refresh() {
  if (refreshing) {
    refreshAgain = true;
    return;
  }
  refreshing = true;
  try {
    // The failure's message replaced the view, filters and all: it is built again. A view
    // draws only answers that changed, so the one it drew before the failure would not be.
    if (failed) mount();
    failed = false;
    await current.refresh();
  } catch (error) {
    failed = true;
    const reason = error instanceof Error ? error.message : String(error);
    replace(container, h('div', { class: 'empty' }, `Could not load: ${reason}`));
  } finally {
    refreshing = false;
    if (refreshAgain) {
      refreshAgain = false;
      refresh();
    }
  }
}

/** @param {number} bytes */
const mib = (bytes) => (bytes / (1024 * 1024)).toFixed(1);

/** @param {import('./api.js').StatsAnswer} stats */
function showStats(stats) {
  /**
   * @param {string} label
   * @param {number} value
   * @param {number} dropped
   * @param {string} title
   */
  const item = (label, value, dropped, title) => [
    h('span', { title }, `${label} `, h('b', {}, value)),
    dropped > 0
      ? h(
          'span',
          { class: 'dropped', title: `${label}: dropped to stay within the limit` },
          `${dropped} dropped`,
        )
      : null,
  ];
  /**
   * @param {number} limit
   * @param {number} bytes
   * @param {number} byteLimit
   */
  const held = (limit, bytes, byteLimit) =>
    `limit ${limit}; ${mib(bytes)} of ${mib(byteLimit)} MiB held (estimated)`;
  /**
   * One store's figures: what it keeps, what it dropped, and its limits.
   * @param {string} label
   * @param {{ kept: number, dropped: number, limit: number, bytes: number, byteLimit: number }} store
   */
  const stored = (label, store) =>
    item(label, store.kept, store.dropped, held(store.limit, store.bytes, store.byteLimit));
  const app = stats.app;
  replace(
    byId('stats'),
    item('traces', stats.traces.traces, stats.traces.droppedTraces, `limit ${stats.traces.limit}`),
    item(
      'spans',
      stats.traces.spans,
      stats.traces.droppedSpans,
      held(stats.traces.spanLimit, stats.traces.bytes, stats.traces.byteLimit),
    ),
    stored('logs', stats.logs),
    stored('metrics', stats.metrics),
    stored('audit', stats.audit),
    app ? h('span', { title: app.command.join(' ') }, app.running ? 'app running' : 'app exited') : null,
  );
}

/** @param {boolean} on */
function setLive(on) {
  const live = byId('live');
  live.classList.toggle('on', on);
  live.classList.toggle('off', !on);
  live.textContent = on ? 'live' : 'offline';
}

window.addEventListener('hashchange', route);
subscribe((stats) => {
  showStats(stats);
  refresh();
}, setLive);
route();
