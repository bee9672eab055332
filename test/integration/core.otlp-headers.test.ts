// The headers every OTLP exporter sends are the ones Lookout resolved: LOOKOUT_OTLP_HEADERS in
// place of OTEL_EXPORTER_OTLP_HEADERS, the signal's own standard variable on top, and no header
// HTTP cannot carry. OpenTelemetry's export delegate would read the OTEL_ variables itself and
// merge them under Lookout's; each exporter is proved here against the real receiver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { spawnApp } from '../helpers/spawn-app.js';

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver.close();
});

/** How each signal is turned on, made to export, and waited for. */
const SIGNALS = {
  traces: {
    path: '/v1/traces',
    variable: 'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
    env: { OTEL_BSP_SCHEDULE_DELAY: '100' },
    args: ['--import', 'lookout/register', 'test/fixtures/traced-app.mjs'],
    readyPattern: undefined,
    send: (app: string) => request(`${app}/orders/headers`),
    arrived: () => receiver.waitForSpans((span) => span.kind === 'SERVER'),
  },
  metrics: {
    path: '/v1/metrics',
    variable: 'OTEL_EXPORTER_OTLP_METRICS_HEADERS',
    env: { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'otlp', OTEL_METRIC_EXPORT_INTERVAL: '100' },
    args: ['--import', 'lookout/register', 'test/fixtures/metrics-express-app.mjs'],
    readyPattern: undefined,
    send: (app: string) => request(`${app}/otel`),
    arrived: () => receiver.waitForMetrics((point) => point.name === 'fixture.orders.created'),
  },
  logs: {
    path: '/v1/logs',
    variable: 'OTEL_EXPORTER_OTLP_LOGS_HEADERS',
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

describe('OTLP export headers', () => {
  it.each([
    ['traces', 'http/protobuf'],
    ['traces', 'http/json'],
    ['metrics', 'http/protobuf'],
    ['metrics', 'http/json'],
    ['logs', 'http/protobuf'],
    ['logs', 'http/json'],
  ] as const)('sends the %s over %s with exactly the headers Lookout resolved', async (signal, protocol) => {
    // Prepare
    receiver.clear();
    const { path, variable, env, args, readyPattern, send, arrived } = SIGNALS[signal];
    const app = await spawnApp({
      args: [...args],
      env: {
        ...env,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        LOOKOUT_OTLP_HEADERS: 'x-team=lookout',
        // Meant for another backend: LOOKOUT_OTLP_HEADERS takes its place.
        OTEL_EXPORTER_OTLP_HEADERS: 'x-team=otel,x-old-key=secret',
        // The signal's own standard variable, with one pair HTTP cannot carry (a line feed).
        [variable]: 'x-signal-key=kept,x-broken=a%0Ab',
      },
      ...(readyPattern === undefined ? {} : { readyPattern }),
    });

    // Act
    const response = await send(app.url);
    await arrived();
    await app.stop();

    // Assess
    expect(response.status).toBeLessThan(300);
    const exports = receiver.requests().filter((entry) => entry.path === path);
    expect(exports.length).toBeGreaterThan(0);
    for (const { headers, status } of exports) {
      expect(status).toBe(200);
      expect(headers['x-team']).toBe('lookout');
      expect(headers['x-signal-key']).toBe('kept');
      expect(headers['x-old-key']).toBeUndefined();
      expect(headers['x-broken']).toBeUndefined();
    }
    expect(app.stderrLines().join('\n')).toContain(`${variable}: ignored "x-broken"`);
  });
});
