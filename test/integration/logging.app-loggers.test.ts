// Trace ids in the lines of the app's own pino and winston loggers, with the loggers and their
// formats as the app configured them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { spawnApp } from '../helpers/spawn-app.js';

const VARIANTS = [
  {
    name: 'CommonJS, --require lookout/register',
    args: ['--require', 'lookout/register', 'test/fixtures/app-loggers/app.cjs'],
  },
  {
    name: 'ES module, --import lookout/register',
    args: ['--import', 'lookout/register', 'test/fixtures/app-loggers/app.mjs'],
  },
];

function jsonLines(lines: readonly string[]): Record<string, unknown>[] {
  return lines.flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

describe.each(VARIANTS)('pino and winston lines of an app started with $name', ({ args }) => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('carry the request span ids, keeping the app logger fields and format', async () => {
    // Prepare
    const app = await spawnApp({ args, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });

    // Act
    await request(`${app.url}/orders/7`);
    const [server] = await receiver.waitForSpans((span) => span.kind === 'SERVER');
    // pino writes asynchronously in some set-ups: wait for the last line of each logger.
    await Promise.all([
      app.waitForLine(/"source":"winston-child"/),
      app.waitForLine(/"source":"pino-own-ids"/),
    ]);
    await app.stop();

    // Assess
    const lines = jsonLines(app.stdoutLines());
    const bySource = (source: string) => lines.filter((line) => line.source === source);
    const xrayTraceId = `1-${server?.traceId.slice(0, 8)}-${server?.traceId.slice(8)}`;
    const ids = { trace_id: server?.traceId, span_id: server?.spanId, xray_trace_id: xrayTraceId };
    expect(bySource('pino')).toEqual([
      expect.not.objectContaining({ trace_id: expect.anything() }),
      expect.objectContaining({
        ...ids,
        msg: 'order read',
        app: 'orders',
        mixed: 'by-app',
        id: '7',
        level: 30,
      }),
    ]);
    expect(bySource('pino')[0]).toMatchObject({ msg: 'outside a request', mixed: 'by-app' });
    expect(bySource('pino-child')).toEqual([expect.objectContaining({ ...ids, component: 'child' })]);
    expect(bySource('pino-own-ids')).toEqual([
      expect.objectContaining({ trace_id: 'mine', span_id: server?.spanId }),
    ]);
    expect(bySource('winston')).toEqual([
      expect.not.objectContaining({ trace_id: expect.anything() }),
      expect.objectContaining({ ...ids, message: 'order read', level: 'info', app: 'orders', id: '7' }),
    ]);
    expect(bySource('winston')[1]?.timestamp).toEqual(expect.any(String));
    expect(bySource('winston-child')).toEqual([
      expect.objectContaining({ ...ids, component: 'child', level: 'warn' }),
    ]);
    expect(app.stderrLines().filter((line) => line.startsWith('lookout'))).toEqual([]);
  });

  it('carry each request its own ids when winston logs the same object in both', async () => {
    // Prepare
    receiver.clear();
    const app = await spawnApp({ args, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
    const reusedLines = () => jsonLines(app.stdoutLines()).filter((line) => line.source === 'winston-reused');

    // Act: two requests, one after the other, each logging the same object.
    await request(`${app.url}/orders/21`);
    await request(`${app.url}/orders/22`);
    const servers = await receiver.waitForSpans((span) => span.kind === 'SERVER', { count: 2 });
    for (let attempt = 0; attempt < 250 && reusedLines().length < 2; attempt++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await app.stop();

    // Assess
    const traceIds = reusedLines().map((line) => line.trace_id);
    expect(traceIds).toHaveLength(2);
    expect(new Set(traceIds)).toEqual(new Set(servers.map((span) => span.traceId)));
  });

  it('are left as they are with LOOKOUT_LOG_CORRELATION=none', async () => {
    // Prepare
    const app = await spawnApp({
      args,
      env: { OTEL_TRACES_EXPORTER: 'none', LOOKOUT_LOG_CORRELATION: 'none' },
    });

    // Act
    await request(`${app.url}/orders/8`);
    // pino writes asynchronously in some set-ups: wait for the last line of each logger.
    await Promise.all([
      app.waitForLine(/"source":"winston-child"/),
      app.waitForLine(/"source":"pino-own-ids"/),
    ]);
    await app.stop();

    // Assess
    const lines = jsonLines(app.stdoutLines()).filter((line) => typeof line.source === 'string');
    expect(lines).toHaveLength(8);
    expect(lines.filter((line) => line.trace_id !== undefined && line.trace_id !== 'mine')).toEqual([]);
    expect(lines.filter((line) => line.span_id !== undefined)).toEqual([]);
  });
});
