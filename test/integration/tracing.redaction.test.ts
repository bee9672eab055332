import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { spawnApp } from '../helpers/spawn-app.js';

// Spans leave the process with the same redaction as log lines (docs/logging.md, "redact()").
describe('span redaction in a real app', () => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('censors sensitive query parameters and secret-shaped values before export', async () => {
    // Prepare
    const app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/traced-app.mjs'],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'redaction-app' },
    });

    // Act
    const response = await request(
      `${app.url}/orders/7?access_token=sup3rs3cr3tvalue&page=2&note=${encodeURIComponent('mail jane@example.com')}`,
    );
    const [server] = await receiver.waitForSpans((span) => span.kind === 'SERVER');
    await app.stop('SIGTERM');

    // Assess
    expect(response.status).toBe(200);
    const exported = JSON.stringify(receiver.spans().map((span) => span.attributes));
    expect(exported).not.toContain('sup3rs3cr3tvalue');
    expect(exported).not.toContain('jane@example.com');
    const query = String(server!.attributes['url.query'] ?? server!.attributes['http.target']);
    expect(query).toContain('access_token=%5BREDACTED%5D');
    expect(query).toContain('page=2');
    expect(server!.attributes['http.route']).toBe('/orders/:id');
  });
});
