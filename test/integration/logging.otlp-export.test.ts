// Logs over OTLP (LOOKOUT_LOGS_EXPORTER=otlp): every line Lookout writes also reaches the
// collector's logs pipeline as a log record with the line's trace context; stdout is unchanged.
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

const jsonLines = (lines: readonly string[]) =>
  lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);

describe.each(['http/protobuf', 'http/json'])('LOOKOUT_LOGS_EXPORTER=otlp over %s', (protocol) => {
  it('sends each log line as a record with its trace context, severity and keys, redacted as on stdout', async () => {
    // Prepare
    receiver.clear();
    const app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/logging-express-app.mjs'],
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_SERVICE_NAME: 'orders-logs',
        LOOKOUT_LOGS_EXPORTER: 'otlp',
      },
      readyPattern: /"message":"listening".*"port":(\d+)/,
    });
    const port = app.url;

    // Act
    const response = await request(`http://127.0.0.1:${port}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer abc.def.ghi' },
      body: JSON.stringify({ customer: 'ada@example.com' }),
    });
    const [server] = await receiver.waitForSpans((span) => span.kind === 'SERVER');
    const records = await receiver.waitForLogs((record) => record.traceId === server?.traceId, { count: 4 });
    await app.stop();

    // Assess
    expect(response.status).toBe(200);
    const byBody = new Map(records.map((record) => [record.body, record]));
    const validated = byBody.get('order validated');
    expect(validated).toMatchObject({ severityText: 'INFO', severityNumber: 9, spanId: server?.spanId });
    expect(validated?.attributes).toMatchObject({ service: 'orders-logs', step: 2 });
    const stdout = jsonLines(app.stdoutLines()).find((line) => line.message === 'order validated');
    // The same redaction as the line on stdout: the header and the e-mail address are censored.
    expect(JSON.stringify(validated?.attributes)).not.toContain('abc.def.ghi');
    expect(JSON.stringify(validated?.attributes)).not.toContain('ada@example.com');
    expect(validated?.attributes.headers).toEqual(stdout?.headers);
    expect(byBody.get('order stored')).toMatchObject({ severityText: 'WARN', severityNumber: 13 });
    expect(byBody.get('order stored')?.attributes.component).toBe('audit');
    expect(
      records.some((record) => record.attributes.method === 'POST' && record.attributes.status === 200),
    ).toBe(true);
    expect(validated?.resource['service.name']).toBe('orders-logs');
    // In integers: nanoseconds since 1970 are beyond a double's exact range.
    expect(validated?.timeUnixNano).toBe(BigInt(Date.parse(String(stdout?.timestamp))) * 1_000_000n);
  });
});

describe('without LOOKOUT_LOGS_EXPORTER', () => {
  it('sends no log records', async () => {
    // Prepare
    receiver.clear();
    const app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/logging-express-app.mjs'],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
      readyPattern: /"message":"listening".*"port":(\d+)/,
    });

    // Act
    await request(`http://127.0.0.1:${app.url}/orders`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    await receiver.waitForSpans((span) => span.kind === 'SERVER');
    await app.stop();

    // Assess
    expect(receiver.logs()).toEqual([]);
    expect(receiver.requests().filter((entry) => entry.path === '/v1/logs')).toEqual([]);
  });
});

describe('the logs-only OTLP variables', () => {
  it('sends log records in the format of OTEL_EXPORTER_OTLP_LOGS_PROTOCOL, spans in the shared one', async () => {
    // Prepare
    receiver.clear();
    const app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/logging-express-app.mjs'],
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        LOOKOUT_LOGS_EXPORTER: 'otlp',
      },
      readyPattern: /"message":"listening".*"port":(\d+)/,
    });

    // Act
    const response = await request(`http://127.0.0.1:${app.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    await receiver.waitForSpans((span) => span.kind === 'SERVER');
    await receiver.waitForLogs((record) => record.body === 'order validated');
    await app.stop();

    // Assess
    expect(response.status).toBe(200);
    const formats = (path: string) =>
      new Set(receiver.requests().flatMap((entry) => (entry.path === path ? [entry.contentType] : [])));
    expect(formats('/v1/logs')).toEqual(new Set(['application/json']));
    expect(formats('/v1/traces')).toEqual(new Set(['application/x-protobuf']));
  });
});

describe('the batch log record processor variables', () => {
  it('exports at most OTEL_BLRP_MAX_EXPORT_BATCH_SIZE records a request, and says once which value it cannot use', async () => {
    // Prepare
    receiver.clear();
    const app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/logging-express-app.mjs'],
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_TRACES_EXPORTER: 'none',
        LOOKOUT_LOGS_EXPORTER: 'otlp',
        OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '1',
        OTEL_BLRP_SCHEDULE_DELAY: 'soon',
      },
      readyPattern: /"message":"listening".*"port":(\d+)/,
    });

    // Act: one request writes several lines at once.
    const response = await request(`http://127.0.0.1:${app.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    await receiver.waitForLogs((record) => record.body === 'order stored');
    await app.stop();

    // Assess
    expect(response.status).toBe(200);
    const perRequest = receiver
      .requests()
      .filter((entry) => entry.path === '/v1/logs')
      .map((entry) => JSON.stringify(entry.decoded).match(/"severityNumber"/g)?.length ?? 0);
    expect(perRequest.length).toBeGreaterThanOrEqual(3);
    expect(new Set(perRequest)).toEqual(new Set([1]));
    const warnings = app.stderrLines().filter((line) => line.includes('OTEL_BLRP_SCHEDULE_DELAY'));
    expect(warnings).toEqual([
      expect.stringContaining('OTEL_BLRP_SCHEDULE_DELAY="soon" is not a whole number'),
    ]);
  });
});
