// SIGTERM while requests keep arriving (issue "Never break, never leak", point 4): every
// request the app answered must be in the telemetry, whoever decides when the process exits.
// A load of kept-alive clients runs before, during and after the signal; the collector answers
// slowly (as a real one can), so the flush takes long enough for requests to finish during it.
import { Agent, request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findSum, readEmf, sumEmf } from '../helpers/emf-reader.js';
import { readLookoutOutput } from '../helpers/lookout-output.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { type SpawnedApp, spawnApp } from '../helpers/spawn-app.js';

const ARGS = ['--import', 'lookout/register', 'test/fixtures/draining-app.mjs'];
const CLIENTS = 8;

interface Load {
  /** Ids of the requests the app answered (200 with a body). */
  readonly answered: Set<string>;
  /** Resolves when every client has stopped. */
  readonly done: Promise<void>;
  /** Resolves once `count` requests have been answered. */
  answeredAtLeast(count: number): Promise<void>;
  /** Clients stop after their next answer (for apps that never refuse a kept-alive client). */
  stop(): void;
}

function get(url: string, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

/** Clients on kept-alive connections, each sending its next request as soon as one is answered. */
function startLoad(baseUrl: string): Load {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const answered = new Set<string>();
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let stopping = false;
  let next = 0;
  const client = async () => {
    while (!stopping) {
      next += 1;
      const id = `r${next}`;
      try {
        const { status, body } = await get(`${baseUrl}/orders/${id}`, agent);
        if (status === 200 && (JSON.parse(body) as { id: string }).id === id) answered.add(id);
      } catch {
        return; // refused or reset: the app no longer answers
      }
      for (const waiter of waiters.splice(0))
        if (answered.size >= waiter.count) waiter.resolve();
        else waiters.push(waiter);
    }
  };
  const done = Promise.all(Array.from({ length: CLIENTS }, client)).then(() => agent.destroy());
  return {
    answered,
    done,
    answeredAtLeast: (count) =>
      new Promise((resolve) => {
        if (answered.size >= count) resolve();
        else waiters.push({ count, resolve });
      }),
    stop: () => {
      stopping = true;
    },
  };
}

interface Recorded {
  readonly spans: Set<string>;
  readonly accessLog: Set<string>;
  readonly requestCount: number;
}

function recorded(app: SpawnedApp, receiver: OtlpReceiver): Recorded {
  const spans = new Set(
    receiver
      .spans()
      .filter((span) => span.kind === 'SERVER')
      .map((span) => String(span.attributes['url.path']).split('/').pop() ?? ''),
  );
  const accessLog = new Set(
    readLookoutOutput(app.stdoutLines())
      .logs.filter((line) => line.message === 'request completed')
      .map((line) => String(line.path).split('/').pop() ?? ''),
  );
  const { documents, invalid } = readEmf(app.stdoutLines().join('\n'));
  expect(invalid).toEqual([]);
  const requestCount =
    findSum(sumEmf(documents), 'RequestCount', {
      Service: 'draining-app',
      Environment: 'test',
      Operation: 'GET /orders/:id',
    })?.sum ?? 0;
  return { spans, accessLog, requestCount };
}

const missing = (answered: Set<string>, found: Set<string>) => [...answered].filter((id) => !found.has(id));

describe('SIGTERM under load', () => {
  let receiver: OtlpReceiver;
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
    receiver.respondWith({ delayMs: 200 });
  });
  afterEach(async () => {
    await receiver.close();
  });

  function start(mode: string | undefined): Promise<SpawnedApp> {
    return spawnApp({
      args: ARGS,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: 'draining-app',
        LOOKOUT_ENVIRONMENT: 'test',
        // Only flushes deliver spans: the batch timer never fires during the test.
        OTEL_BSP_SCHEDULE_DELAY: '600000',
        SHUTDOWN_MODE: mode,
      },
    });
  }

  it('records every request answered during the flush when Lookout owns the exit', async () => {
    // Prepare
    const app = await start(undefined);
    const load = startLoad(app.url);
    await load.answeredAtLeast(200);

    // Act: the signal arrives in the middle of the load; the clients go on until refused.
    const exit = await app.stop('SIGTERM');
    await load.done;

    // Assess
    expect(exit.signal).toBe('SIGTERM');
    const { spans, accessLog, requestCount } = recorded(app, receiver);
    expect(load.answered.size).toBeGreaterThanOrEqual(200);
    expect(missing(load.answered, spans)).toEqual([]);
    expect(missing(load.answered, accessLog)).toEqual([]);
    expect(requestCount).toBeGreaterThanOrEqual(load.answered.size);
  });

  it('records every request answered while the app closes its server itself', async () => {
    // Prepare
    const app = await start('close');
    const load = startLoad(app.url);
    await load.answeredAtLeast(200);

    // Act: the app keeps answering its kept-alive clients after the signal, until they leave
    // (the test stops them after 100 more answers) or until it closes their connections (its
    // server.close() closes the ones that are idle at that moment, which on a busy machine can
    // be all of them).
    const stopped = app.stop('SIGTERM');
    await app.waitForLine('app closing');
    await Promise.race([load.answeredAtLeast(load.answered.size + 100), load.done]);
    load.stop();
    await load.done;
    const exit = await stopped;

    // Assess
    expect(exit.code).toBe(0);
    const { spans, accessLog, requestCount } = recorded(app, receiver);
    expect(missing(load.answered, spans)).toEqual([]);
    expect(missing(load.answered, accessLog)).toEqual([]);
    expect(requestCount).toBeGreaterThanOrEqual(load.answered.size);
  });

  it('writes the metrics of every answered request when the app ends with process.exit()', async () => {
    // Prepare
    const app = await start('close-then-exit');
    const load = startLoad(app.url);
    await load.answeredAtLeast(200);

    // Act (as above: more answers after the signal, until the clients stop or are cut off)
    const stopped = app.stop('SIGTERM');
    await app.waitForLine('app closing');
    await Promise.race([load.answeredAtLeast(load.answered.size + 100), load.done]);
    load.stop();
    await load.done;
    const exit = await stopped;

    // Assess: metrics and log lines are written synchronously at exit; spans are network I/O
    // and cannot be (docs/metrics.md and docs/decisions/0017-shutdown.md say so).
    expect(exit.code).toBe(0);
    const { accessLog, requestCount } = recorded(app, receiver);
    expect(missing(load.answered, accessLog)).toEqual([]);
    expect(requestCount).toBeGreaterThanOrEqual(load.answered.size);
  });
});
