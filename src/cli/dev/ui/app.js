// The viewer's page: a hash router over four views, refreshed on every live update.
import { subscribe } from './api.js';
import { renderAudit } from './audit.js';
import { h, replace } from './dom.js';
import { renderLogs } from './logs.js';
import { renderMetrics } from './metrics.js';
import { renderTrace } from './trace.js';
import { renderTraces } from './traces.js';

const VIEWS = {
  traces: renderTraces,
  trace: renderTrace,
  logs: renderLogs,
  metrics: renderMetrics,
  audit: renderAudit,
};

const container = document.getElementById('view');
let current = { refresh: () => {} };
let refreshing = false;
let refreshAgain = false;

function route() {
  const [, name = 'traces', ...rest] = location.hash.split('/');
  const view = VIEWS[name] ? name : 'traces';
  for (const link of document.querySelectorAll('nav a')) {
    link.classList.toggle('active', link.dataset.view === (view === 'trace' ? 'traces' : view));
  }
  replace(container);
  current = VIEWS[view](container, decodeURIComponent(rest.join('/')));
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
    await current.refresh();
  } catch (error) {
    replace(container, h('div', { class: 'empty' }, `Could not load: ${error.message}`));
  } finally {
    refreshing = false;
    if (refreshAgain) {
      refreshAgain = false;
      refresh();
    }
  }
}

function showStats(stats) {
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
  const app = stats.app;
  replace(
    document.getElementById('stats'),
    item('traces', stats.traces.traces, stats.traces.droppedTraces, `limit ${stats.traces.limit}`),
    item('spans', stats.traces.spans, stats.traces.droppedSpans, `limit ${stats.traces.spanLimit}`),
    item('logs', stats.logs.kept, stats.logs.dropped, `limit ${stats.logs.limit}`),
    item('metrics', stats.metrics.kept, stats.metrics.dropped, `limit ${stats.metrics.limit}`),
    item('audit', stats.audit.kept, stats.audit.dropped, `limit ${stats.audit.limit}`),
    app ? h('span', { title: app.command.join(' ') }, app.running ? 'app running' : 'app exited') : null,
  );
}

function setLive(on) {
  const live = document.getElementById('live');
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
