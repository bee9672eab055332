// The headers every OTLP exporter sends are the ones Lookout resolved: LOOKOUT_OTLP_HEADERS in
// place of OTEL_EXPORTER_OTLP_HEADERS, the signal's own standard variable on top, and no header
// HTTP cannot carry. OpenTelemetry's export delegate would read the OTEL_ variables itself and
// merge them under Lookout's; each exporter is proved here against the real receiver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { otlpSignalApps } from '../helpers/otlp-signal-apps.js';
import { spawnApp } from '../helpers/spawn-app.js';

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver.close();
});

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
    const { path, variablePart, env, args, readyPattern, send, arrived } = otlpSignalApps(
      receiver,
      'headers',
    )[signal];
    const variable = `OTEL_EXPORTER_OTLP_${variablePart}_HEADERS`;
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
