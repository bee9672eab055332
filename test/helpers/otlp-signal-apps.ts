// The three OTLP signals, each as an app that exports it: how it is turned on, made to export,
// and waited for at a receiver. For the tests that prove every exporter alike (the headers it
// sends, the TLS files it uses).
import { request } from './http.js';
import type { OtlpReceiver } from './otlp-receiver.js';

/**
 * Each signal's app, its receiver path and the part of its standard variables' names
 * (`OTEL_EXPORTER_OTLP_<part>_HEADERS`). `send` takes the app's URL, or for logs the port its
 * `readyPattern` captured; traces are sent to `/orders/<route>`.
 *
 * @example
 * const { env, args, readyPattern, send, arrived } = otlpSignalApps(receiver, 'tls').traces;
 */
export function otlpSignalApps(receiver: OtlpReceiver, route: string) {
  return {
    traces: {
      path: '/v1/traces',
      variablePart: 'TRACES',
      env: { OTEL_BSP_SCHEDULE_DELAY: '100' },
      args: ['--import', 'lookout/register', 'test/fixtures/traced-app.mjs'],
      readyPattern: undefined,
      send: (app: string) => request(`${app}/orders/${route}`),
      arrived: () => receiver.waitForSpans((span) => span.kind === 'SERVER'),
    },
    metrics: {
      path: '/v1/metrics',
      variablePart: 'METRICS',
      env: {
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_METRIC_EXPORT_INTERVAL: '100',
      },
      args: ['--import', 'lookout/register', 'test/fixtures/metrics-express-app.mjs'],
      readyPattern: undefined,
      send: (app: string) => request(`${app}/otel`),
      arrived: () => receiver.waitForMetrics((point) => point.name === 'fixture.orders.created'),
    },
    logs: {
      path: '/v1/logs',
      variablePart: 'LOGS',
      env: { OTEL_TRACES_EXPORTER: 'none', LOOKOUT_LOGS_EXPORTER: 'otlp' },
      args: ['--import', 'lookout/register', 'test/fixtures/logging-express-app.mjs'],
      readyPattern: /"message":"listening".*"port":(\d+)/,
      send: (port: string) =>
        request(`http://127.0.0.1:${port}/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }),
      arrived: () => receiver.waitForLogs((record) => record.body === 'order validated'),
    },
  } as const;
}
