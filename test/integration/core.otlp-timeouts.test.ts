// The time an OpenTelemetry metrics export may take is OTEL_METRIC_EXPORT_TIMEOUT's, as the
// specification defines it: a collector slower than that fails the export (said once, as a
// failed export, LOOKOUT_EXPORT_FAILED), whatever
// the OTLP request timeout and the interval allow. The receiver is a real OTLP/HTTP peer that
// answers late.
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

describe('OTEL_METRIC_EXPORT_TIMEOUT', () => {
  it('fails a metrics export that takes longer, and says so once', async () => {
    // Prepare: the collector answers after 1.5 s, inside the interval and the OTLP timeout.
    receiver.clear();
    receiver.respondWith({ delayMs: 1500 });
    const app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/metrics-express-app.mjs'],
      env: {
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_METRIC_EXPORT_INTERVAL: '3000',
        OTEL_METRIC_EXPORT_TIMEOUT: '200',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      },
    });

    // Act
    const response = await request(`${app.url}/otel`);
    await app.waitForLine(/metrics export timed out after 200ms/, 10_000);
    await app.stop();
    receiver.respondWith();

    // Assess
    expect(response.status).toBe(200);
    const notices = app.stderrLines().filter((line) => line.includes('metrics export timed out'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^lookout ERROR \[LOOKOUT_EXPORT_FAILED\] /);
  });
});
