// `lookout dev` as a real process: the built bin on free loopback ports, real apps under it
// (after `--`) exporting with the real OpenTelemetry exporters and the X-Ray exporter, and
// the viewer's own JSON API read back.
import { afterEach, describe, expect, it } from 'vitest';
import { type LookoutDev, startLookoutDev } from '../helpers/lookout-dev.js';
import { sendRaw } from '../helpers/raw-http.js';

interface TraceRow {
  traceId: string;
  operation: string;
  status: string;
  errorCount: number;
  httpStatus?: number;
  service?: string;
}
interface Stats {
  traces: {
    traces: number;
    spans: number;
    receivedSpans: number;
    droppedSpans: number;
    droppedTraces: number;
  };
  logs: { received: number; kept: number; dropped: number };
  metrics: { received: number };
  audit: { received: number };
  app: { running: boolean; exit?: { code: number | null } } | null;
}
interface TraceDetail {
  spans: Array<{
    kind: string;
    name: string;
    source: string;
    status: string;
    events: Array<{ name: string }>;
  }>;
  logs: Array<{ message: string; level?: string; requestId?: string; traceId?: string }>;
  audit: Array<{ action?: string; status?: string; userId?: string }>;
}
interface Points {
  points: Array<{ name: string; source: string; values: number[]; dimensions: Record<string, string> }>;
}

const APP = [process.execPath, '--import', 'lookout/register', 'test/fixtures/dev-app.mjs'];

let dev: LookoutDev | undefined;
afterEach(async () => {
  await dev?.stop();
  dev = undefined;
});

async function post(url: string, body: unknown): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

async function startWithApp(env: Record<string, string>): Promise<{ dev: LookoutDev; app: string }> {
  const started = await startLookoutDev({ command: APP, env: { OTEL_SERVICE_NAME: 'dev-fixture', ...env } });
  dev = started;
  // The app's ready line reaches the test through lookout dev's own stdout: the echo.
  const [, app = ''] = await started.process.waitForLine(/listening on (http:\/\/\S+)/);
  return { dev: started, app };
}

const byOperation = (operation: string) => (body: { traces: TraceRow[] }) =>
  body.traces.some((trace) => trace.operation === operation);

describe('lookout dev receiving from an app it runs', () => {
  it.each(['http/protobuf', 'http/json'])(
    'gets traces and OTLP metrics (%s), log lines, EMF metrics and audit entries, and echoes the output',
    async (protocol) => {
      // Prepare
      const { dev, app } = await startWithApp({
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_METRICS_EXPORTER: 'otlp',
      });

      // Act
      expect(await post(`${app}/orders`, { item: 'book' })).toBe(201);
      expect(await post(`${app}/login`, { user: 'mallory', password: 'guess' })).toBe(401);
      expect((await fetch(`${app}/boom`)).status).toBe(500);

      // Assess: traces
      const { traces } = await dev.waitFor<{ traces: TraceRow[] }>('/api/traces', (body) =>
        ['POST /orders', 'POST /login', 'GET /boom'].every((operation) => byOperation(operation)(body)),
      );
      const boom = traces.find((trace) => trace.operation === 'GET /boom');
      expect(boom).toMatchObject({ status: 'error', httpStatus: 500, service: 'dev-fixture' });
      expect(boom?.errorCount).toBeGreaterThan(0);
      const orderTrace = traces.find((trace) => trace.operation === 'POST /orders');
      expect(orderTrace).toMatchObject({ status: 'ok', httpStatus: 201 });
      const errors = await dev.api<{ traces: TraceRow[] }>('/api/traces?status=error');
      expect(errors.traces.map((trace) => trace.operation)).toEqual(['GET /boom']);

      // Assess: the order's trace with its spans, correlated log line and audit entry
      const detail = await dev.api<TraceDetail>(`/api/traces/${orderTrace?.traceId}`);
      expect(detail.spans.some((span) => span.kind === 'SERVER' && span.source === 'otlp')).toBe(true);
      expect(detail.logs).toEqual([
        expect.objectContaining({ message: 'order created', level: 'INFO', traceId: orderTrace?.traceId }),
      ]);
      expect(detail.logs[0]?.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(detail.audit).toEqual([expect.objectContaining({ action: 'CREATE', status: 'SUCCESS' })]);
      const login = await dev.api<TraceDetail>(
        `/api/traces/${traces.find((trace) => trace.operation === 'POST /login')?.traceId}`,
      );
      expect(login.audit).toEqual([
        expect.objectContaining({ action: 'LOGIN', status: 'FAILED', userId: 'mallory' }),
      ]);

      // Assess: EMF request metrics from stdout and the OpenTelemetry counter over OTLP
      const emf = await dev.waitFor<Points>('/api/metrics/points?name=RequestCount', (body) => {
        const total = body.points.reduce((sum, point) => sum + (point.values[0] ?? 0), 0);
        return total >= 3;
      });
      expect(
        emf.points.every((point) => point.source === 'emf' && point.dimensions.Service === 'dev-fixture'),
      ).toBe(true);
      const otlp = await dev.waitFor<Points>(
        '/api/metrics/points?name=orders.created',
        (body) => body.points.length > 0,
      );
      expect(otlp.points[0]).toMatchObject({ source: 'otlp', values: [1], dimensions: { channel: 'web' } });
      const summary = await dev.api<{ requestSource: string; requests: Array<{ value: number }> }>(
        '/api/metrics',
      );
      expect(summary.requestSource).toBe('emf');
      expect(summary.requests.reduce((sum, point) => sum + point.value, 0)).toBeGreaterThanOrEqual(3);

      // Assess: the app's log lines are still printed; its EMF documents and audit entries, by
      // now in the viewer, are not (they would bury the app's own output)
      const printed = dev.process.stdoutLines();
      expect(printed.some((line) => line.includes('"message":"order created"'))).toBe(true);
      expect(printed.filter((line) => line.includes('"audit":true') || line.includes('"_aws"'))).toEqual([]);
      const stats = await dev.api<Stats>('/api/stats');
      expect(stats.audit.received).toBe(2);
      expect(stats.app?.running).toBe(true);
    },
  );

  it('prints EMF documents and audit entries too with --show-telemetry', async () => {
    dev = await startLookoutDev({
      options: ['--show-telemetry'],
      command: APP,
      env: { OTEL_SERVICE_NAME: 'dev-fixture' },
    });
    const [, app = ''] = await dev.process.waitForLine(/listening on (http:\/\/\S+)/);

    expect(await post(`${app}/orders`, { item: 'book' })).toBe(201);

    await dev.process.waitForLine(/"audit":true/);
    await dev.process.waitForLine(/"_aws":/);
  });

  it('gets traces from the X-Ray exporter over UDP and correlates them with log lines', async () => {
    const { dev, app } = await startWithApp({ OTEL_TRACES_EXPORTER: 'xray' });

    expect(await post(`${app}/orders`, { item: 'lamp' })).toBe(201);
    expect((await fetch(`${app}/boom`)).status).toBe(500);

    const { traces } = await dev.waitFor<{ traces: TraceRow[] }>(
      '/api/traces',
      (body) => byOperation('POST /orders')(body) && byOperation('GET /boom')(body),
    );
    const order = traces.find((trace) => trace.operation === 'POST /orders');
    const detail = await dev.api<TraceDetail>(`/api/traces/${order?.traceId}`);
    expect(detail.spans.every((span) => span.source === 'xray')).toBe(true);
    expect(detail.spans[0]).toMatchObject({ kind: 'SERVER', name: 'POST /orders' });
    expect(detail.logs.map((log) => log.message)).toEqual(['order created']);
    const boom = await dev.api<TraceDetail>(
      `/api/traces/${traces.find((trace) => trace.operation === 'GET /boom')?.traceId}`,
    );
    expect(
      boom.spans.some(
        (span) => span.status === 'ERROR' && span.events.some((event) => event.name === 'exception'),
      ),
    ).toBe(true);
    const stats = await dev.api<Stats & { rejected: Record<string, number> }>('/api/stats');
    expect(stats.rejected).toEqual({});
  });

  it('gets log records from the OTLP log exporter, and keeps serving after the app exits', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    dev = await startLookoutDev({
      command: [process.execPath, 'test/fixtures/dev-otlp-logs.mjs'],
      env: { TEST_TRACE_ID: traceId },
    });

    const stats = await dev.waitFor<Stats>('/api/stats', (body) => body.app?.running === false);
    const { logs } = await dev.api<{ logs: Array<Record<string, unknown>> }>('/api/logs?level=WARN');

    expect(stats.app?.exit?.code).toBe(0);
    expect(logs).toEqual([
      expect.objectContaining({
        source: 'otlp',
        level: 'WARN',
        message: 'payment retried',
        traceId,
        spanId: '00f067aa0ba902b7',
        requestId: 'req-otlp-1',
        service: 'otlp-logs',
      }),
    ]);
    const errors = await dev.api<{ logs: Array<Record<string, unknown>> }>('/api/logs?level=ERROR');
    expect(errors.logs).toEqual([
      expect.objectContaining({ source: 'otlp', message: '{"event":"structured body"}' }),
    ]);
    expect(dev.process.stdoutLines()).toContain('sent');
  });
});

describe('lookout dev bounded memory', () => {
  it('keeps the default limits under a flood of 100,000 spans of 2 KB, counts what it dropped, and stays under 256 MB', async () => {
    // Prepare: 100 OTLP/JSON requests of 1000 spans each (100 traces of 10 spans per request).
    // With the default limits (1000 traces, 20,000 spans) the process measured 170-190 MB RSS
    // after this flood; the same flood with no effective limit measured 340 MB.
    dev = await startLookoutDev();
    const started = BigInt(Date.now()) * 1_000_000n;
    const request = (batch: number) => ({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'flood' } }] },
          scopeSpans: [
            {
              scope: { name: 'flood' },
              spans: Array.from({ length: 1000 }, (_, i) => ({
                traceId: (batch * 100 + Math.floor(i / 10) + 1).toString(16).padStart(32, '0'),
                spanId: (i + 1).toString(16).padStart(16, '0'),
                name: `GET /flood/${i % 10}`,
                kind: 2,
                startTimeUnixNano: String(started + BigInt(i)),
                endTimeUnixNano: String(started + BigInt(i) + 1_000_000n),
                attributes: [
                  { key: 'http.route', value: { stringValue: '/flood/:id' } },
                  { key: 'payload', value: { stringValue: 'x'.repeat(2000) } },
                ],
              })),
            },
          ],
        },
      ],
    });

    // Act
    for (let batch = 0; batch < 100; batch += 1) {
      const response = await fetch(`${dev.otlpUrl}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request(batch)),
      });
      expect(response.status).toBe(200);
    }

    // Assess
    const stats = await dev.api<Stats & { memory: { rss: number; heapUsed: number } }>('/api/stats');
    expect(stats.traces.receivedSpans).toBe(100_000);
    expect(stats.traces.spans).toBe(10_000);
    expect(stats.traces.traces).toBe(1000);
    expect(stats.traces.droppedSpans).toBe(90_000);
    expect(stats.traces.droppedTraces).toBe(9000);
    expect(stats.memory.rss).toBeLessThan(256 * 1024 * 1024);
    const list = await dev.api<{ traces: TraceRow[] }>('/api/traces?limit=5000');
    expect(list.traces).toHaveLength(1000);
  });

  it('keeps the last log lines of a chatty app and counts the dropped ones', async () => {
    dev = await startLookoutDev({
      options: ['--max-logs', '100'],
      command: [
        process.execPath,
        '-e',
        "for (let i = 1; i <= 5000; i++) console.log(JSON.stringify({ level: 'INFO', message: 'line ' + i }))",
      ],
    });

    const stats = await dev.waitFor<Stats>('/api/stats', (body) => body.app?.running === false);
    const { logs } = await dev.api<{ logs: Array<{ message: string }> }>('/api/logs?limit=1000');

    expect(stats.logs).toMatchObject({ received: 5000, kept: 100, dropped: 4900 });
    expect(logs).toHaveLength(100);
    expect(logs[0]?.message).toBe('line 5000');
    expect(logs.at(-1)?.message).toBe('line 4901');
  });

  it('bounds log lines and audit entries of 1 MiB by bytes: the API answers, the newest are kept, the oldest dropped', async () => {
    // Prepare: 16 MiB for records: 4 MiB of log lines, 2 MiB of audit entries. The app writes
    // 40 text lines and 500 audit entries of about 1 MiB each: 540 MiB, which the counts alone
    // (10,000 lines, 2000 entries) would all have kept. Audit entries are not echoed, so the
    // bulk of it does not pass through this test's own memory.
    const app = [
      // Just under the longest line lookout dev reads whole (1 MiB).
      "const pad = 'x'.repeat(1024 * 1024 - 100);",
      "for (let i = 1; i <= 500; i++) console.log(JSON.stringify({ audit: true, action: 'bulk', resource: String(i), pad }));",
      "for (let i = 1; i <= 40; i++) console.log('line ' + i + ' ' + pad);",
    ].join('\n');
    dev = await startLookoutDev({ options: ['--max-memory', '16'], command: [process.execPath, '-e', app] });

    // Act
    const stats = await dev.waitFor<
      Stats & { memory: { rss: number }; audit: { kept: number; dropped: number; bytes: number } }
    >('/api/stats', (body) => body.app?.running === false, 60_000);
    const { logs } = await dev.api<{ logs: Array<{ message: string }> }>('/api/logs?limit=1000');
    const { audit } = await dev.api<{ audit: Array<{ resource?: string }> }>('/api/audit?limit=1000');

    // Assess: a few of the newest of each are kept, in order, and the rest counted as dropped.
    const logStats = stats.logs as Stats['logs'] & { bytes: number; byteLimit: number };
    expect(logStats.received).toBe(40);
    expect(logStats.kept).toBeGreaterThanOrEqual(1);
    expect(logStats.kept).toBeLessThan(4);
    expect(logStats.dropped).toBe(40 - logStats.kept);
    expect(logStats.byteLimit).toBe(4 * 1024 * 1024);
    expect(logStats.bytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(logs.map((log) => log.message.split(' ', 2).join(' '))).toEqual(
      Array.from({ length: logStats.kept }, (_, i) => `line ${40 - i}`),
    );
    expect(stats.audit.received).toBe(500);
    expect(stats.audit.kept).toBeGreaterThanOrEqual(1);
    expect(stats.audit.kept).toBeLessThanOrEqual(2);
    expect(stats.audit.dropped).toBe(500 - stats.audit.kept);
    expect(audit.map((entry) => entry.resource)).toEqual(
      Array.from({ length: stats.audit.kept }, (_, i) => String(500 - i)),
    );
    expect((await fetch(`${dev.url}/api/traces`)).status).toBe(200);
    // Measured on a 2-core machine: 130-190 MB RSS (what is held is about 6 MiB; the rest is the
    // process's own and the garbage of reading 540 MiB), and 760 MB with no effective byte limit
    // (--max-memory 65536).
    expect(stats.memory.rss).toBeLessThan(320 * 1024 * 1024);
  });

  it('keeps a log line larger than all the bytes for log lines alone, the newest', async () => {
    // Prepare: 1 MiB for records, 256 KiB of it for log lines; each line is 512 KiB.
    dev = await startLookoutDev({
      options: ['--max-memory', '1'],
      command: [
        process.execPath,
        '-e',
        "for (let i = 1; i <= 3; i++) console.log('line ' + i + ' ' + 'x'.repeat(512 * 1024))",
      ],
    });

    // Act
    const stats = await dev.waitFor<Stats>('/api/stats', (body) => body.app?.running === false);
    const { logs } = await dev.api<{ logs: Array<{ message: string }> }>('/api/logs');

    // Assess
    expect(stats.logs).toMatchObject({ received: 3, kept: 1, dropped: 2 });
    expect(logs).toHaveLength(1);
    expect(logs[0]?.message.startsWith('line 3 ')).toBe(true);
    expect(logs[0]?.message).toHaveLength('line 3 '.length + 512 * 1024);
  });
});

describe('lookout dev refuses requests from web pages', () => {
  /** One span in OTLP/JSON, named so the test can tell which request got through. */
  function traceBody(name: string): string {
    const id = Buffer.from(name).toString('hex').padEnd(32, '0').slice(0, 32);
    return JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'forged' } }] },
          scopeSpans: [
            {
              scope: { name: 'test' },
              spans: [
                {
                  traceId: id,
                  spanId: id.slice(0, 16),
                  name,
                  kind: 2,
                  startTimeUnixNano: String(Date.now() * 1e6),
                  endTimeUnixNano: String(Date.now() * 1e6 + 1e6),
                },
              ],
            },
          ],
        },
      ],
    });
  }

  function rawPost(url: string, host: string, body: string, extraHeaders = ''): Promise<number> {
    const request =
      `POST /v1/traces HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n${extraHeaders}Connection: close\r\n\r\n${body}`;
    return sendRaw(url, request).then((response) => response.status);
  }

  it('answers OTLP only to its loopback name and to no foreign page, and the viewer likewise', async () => {
    // Prepare
    dev = await startLookoutDev();
    const otlpPort = new URL(dev.otlpUrl).port;
    const viewerPort = new URL(dev.url).port;

    // Act: DNS rebinding (a foreign name in Host), a cross-site POST (a foreign Origin), a
    // sandboxed page (Origin null), then the exporter's own request.
    const rebound = await rawPost(dev.otlpUrl, `attacker.example:${otlpPort}`, traceBody('rebound'));
    const crossSite = await rawPost(
      dev.otlpUrl,
      `127.0.0.1:${otlpPort}`,
      traceBody('cross-site'),
      'Origin: http://attacker.example\r\n',
    );
    const sandboxed = await rawPost(
      dev.otlpUrl,
      `127.0.0.1:${otlpPort}`,
      traceBody('sandboxed'),
      'Origin: null\r\n',
    );
    const local = await rawPost(
      dev.otlpUrl,
      `localhost:${otlpPort}`,
      traceBody('local-page'),
      'Origin: http://localhost:5173\r\n',
    );
    const exporter = await rawPost(dev.otlpUrl, `127.0.0.1:${otlpPort}`, traceBody('exporter'));
    const viewerRebound = await sendRaw(
      dev.url,
      `GET /api/traces HTTP/1.1\r\nHost: attacker.example:${viewerPort}\r\nConnection: close\r\n\r\n`,
    );
    const viewerCrossSite = await sendRaw(
      dev.url,
      `GET /api/traces HTTP/1.1\r\nHost: 127.0.0.1:${viewerPort}\r\nOrigin: https://attacker.example\r\nConnection: close\r\n\r\n`,
    );

    // Assess
    expect([rebound, crossSite, sandboxed]).toEqual([403, 403, 403]);
    expect([local, exporter]).toEqual([200, 200]);
    expect([viewerRebound.status, viewerCrossSite.status]).toEqual([403, 403]);
    const { traces } = await dev.waitFor<{ traces: TraceRow[] }>(
      '/api/traces',
      (body) => body.traces.length >= 2,
    );
    expect(traces.map((trace) => trace.operation).sort()).toEqual(['exporter', 'local-page']);
  });
});

describe("lookout dev's reading of the app's redaction censor", () => {
  it.each([
    ['padded with spaces', ' <hidden> ', '<hidden>'],
    ['blank', '   ', '[REDACTED]'],
  ])(
    'tells the page the censor the app writes when LOOKOUT_LOG_REDACT_CENSOR is %s',
    async (_what, value, censor) => {
      // Prepare: Lookout in the app reads its variables trimmed, a blank one as unset
      dev = await startLookoutDev({ env: { LOOKOUT_LOG_REDACT_CENSOR: value } });

      // Act
      const stats = await dev.api<{ redaction: { censor: string } }>('/api/stats');

      // Assess: the page marks what the app's redaction wrote
      expect(stats.redaction.censor).toBe(censor);
    },
  );
});
