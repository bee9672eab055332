// Metrics from EMF documents and OTLP: request rate, latency p50/p99, Error/Fault counts, and
// one chart per custom metric.
import { answerReader } from './api.js';
import { chart } from './chart.js';
import { h, replace } from './dom.js';

/**
 * @param {readonly import('./api.js').SeriesPoint[]} points
 * @param {number} bucketMs
 */
function perSecond(points, bucketMs) {
  return points.map((point) => ({ t: point.t, value: point.value / (bucketMs / 1000) }));
}

/** @param {HTMLElement} container */
export function renderMetrics(container) {
  const read = answerReader();
  async function refresh() {
    const summary = /** @type {import('./api.js').MetricsSummary | undefined} */ (await read('api/metrics'));
    if (summary === undefined) return;
    const seconds = summary.bucketMs / 1000;
    const source = { emf: 'from EMF', otlp: 'from OTLP', none: 'no request metrics yet' }[
      summary.requestSource
    ];
    replace(
      container,
      h('p', { class: 'muted' }, `${source} · ${seconds} s buckets`),
      h(
        'div',
        { class: 'charts', id: 'charts' },
        chart({
          bucketMs: summary.bucketMs,
          title: 'Request rate',
          unit: 'req/s',
          kind: 'bar',
          series: [{ name: 'requests', points: perSecond(summary.requests, summary.bucketMs) }],
        }),
        chart({
          bucketMs: summary.bucketMs,
          title: 'Latency',
          unit: 'ms',
          series: [
            { name: 'p50', points: summary.latency.map((point) => ({ t: point.t, value: point.p50 })) },
            { name: 'p99', points: summary.latency.map((point) => ({ t: point.t, value: point.p99 })) },
          ],
        }),
        chart({
          bucketMs: summary.bucketMs,
          title: 'Error (4xx) and Fault (5xx)',
          unit: 'count',
          kind: 'bar',
          series: [
            { name: 'Error', points: summary.errors.map((point) => ({ t: point.t, value: point.error })) },
            { name: 'Fault', points: summary.errors.map((point) => ({ t: point.t, value: point.fault })) },
          ],
        }),
      ),
      h('h2', {}, `Custom metrics (${summary.custom.length})`),
      h(
        'div',
        { class: 'charts', id: 'custom-charts' },
        summary.custom.map((series) =>
          chart({
            bucketMs: summary.bucketMs,
            title: series.name,
            unit: [series.unit, `, ${series.aggregation} per ${seconds} s, ${series.source}`],
            kind: series.aggregation === 'sum' ? 'bar' : 'line',
            series: [{ name: series.name, points: series.points }],
          }),
        ),
      ),
    );
  }
  return { refresh };
}
