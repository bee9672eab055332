// Scenario f, logging (benchmarks/scenarios/logging-throughput.mjs): log lines per second for
// one logger variant, writing to stdout (the harness sends stdout to /dev/null). By hand:
//
//   node benchmarks/workers/logging-throughput.mjs --variant lookout-logger --result /tmp/r.json >/dev/null
//
// Variants, all logging the same objects with the same messages:
//   powertools-logger  @aws-lambda-powertools/logger Logger, plain (the baseline)
//   lookout-logger     Lookout's logger: correlation with an active span and a request context,
//                      default redaction (keys and value patterns)
//   pino-redact        pino with a `redact` configuration censoring the same keys (pino has no
//                      value patterns; a censor function masks the e-mail as Lookout does)
//
// Every variant writes synchronously to fd 1, one line per entry, so the figures compare the
// cost of building the line, not different I/O strategies.
import { parseWorkerArgs, runWorker, writeResult } from '../lib/worker.mjs';

const VARIANTS = ['powertools-logger', 'lookout-logger', 'pino-redact'];
const values = parseWorkerArgs();
if (!VARIANTS.includes(values.variant))
  throw new Error(`unknown variant ${values.variant}; known: ${VARIANTS.join(', ')}`);

const WARMUP_LINES = values.quick ? 2_000 : 20_000;
const MEASURE_MS = values.quick ? 300 : 3_000;
const CHECK_EVERY = 256;

const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const ENTRIES = [
  {
    message: 'order created',
    data: {
      orderId: 'ord-1001',
      customer: {
        id: 'c-17',
        name: 'Jane Roe',
        email: 'jane.roe@example.com',
        cardNumber: '4111 1111 1111 1111',
      },
      items: [
        { sku: 'A-1', qty: 2, price: 9.99 },
        { sku: 'B-7', qty: 1, price: 24.5 },
      ],
      total: 44.48,
      currency: 'EUR',
    },
  },
  {
    message: 'request finished',
    data: {
      method: 'GET',
      path: '/orders/1001',
      status: 200,
      durationMs: 12.4,
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${JWT}`,
        'user-agent': 'curl/8.5.0',
        'x-request-id': 'r-1',
      },
    },
  },
  {
    message: 'user login',
    data: { event: 'login', userId: 'u-42', password: 'hunter2', ip: '203.0.113.7', success: true },
  },
];

async function createLogFunction(variant) {
  if (variant === 'powertools-logger') {
    const { Logger } = await import('@aws-lambda-powertools/logger');
    const logger = new Logger({ serviceName: 'bench' });
    return { log: (entry) => logger.info(entry.message, entry.data), wrap: (run) => run() };
  }
  if (variant === 'lookout-logger') {
    const { init, logger } = await import('lookout');
    // The request-context API is the core's (the Express and Lambda adapters use it); this is
    // the same module instance `lookout` loads.
    const { runWithRequestContext } = await import('../../dist/esm/core.js');
    const { trace } = await import('@opentelemetry/api');
    init({
      serviceName: 'bench',
      tracing: { exporter: 'none', instrumentations: [] },
      shutdown: { handleSignals: false },
    });
    const tracer = trace.getTracer('bench');
    return {
      log: (entry) => logger.info(entry.message, entry.data),
      wrap: (run) =>
        tracer.startActiveSpan('bench', (span) =>
          runWithRequestContext({ request_id: 'req-bench-1' }, async () => {
            try {
              return await run();
            } finally {
              span.end();
            }
          }),
        ),
    };
  }
  const { default: pino } = await import('pino');
  const EMAIL = /([A-Za-z0-9._%+-]{1,64})@([A-Za-z0-9.-]+)/;
  const logger = pino(
    {
      base: { service: 'bench' },
      redact: {
        paths: ['customer.cardNumber', 'customer.email', 'headers.authorization', 'password'],
        censor: (value, path) => {
          if (path.at(-1) === 'email' && typeof value === 'string') {
            const match = EMAIL.exec(value);
            if (match) return `${match[1].slice(0, 2)}***@${match[2]}`;
          }
          return '[REDACTED]';
        },
      },
    },
    pino.destination({ dest: 1, sync: true }),
  );
  return { log: (entry) => logger.info(entry.data, entry.message), wrap: (run) => run() };
}

runWorker(async () => {
  const { log, wrap } = await createLogFunction(values.variant);
  const measured = await wrap(async () => {
    for (let index = 0; index < WARMUP_LINES; index += 1) log(ENTRIES[index % ENTRIES.length]);
    let lines = 0;
    const started = performance.now();
    let elapsed = 0;
    // Check the clock every CHECK_EVERY lines, not every line, to keep it out of the figure.
    while (elapsed < MEASURE_MS) {
      for (let index = 0; index < CHECK_EVERY; index += 1) log(ENTRIES[(lines + index) % ENTRIES.length]);
      lines += CHECK_EVERY;
      elapsed = performance.now() - started;
    }
    return { lines, durationMs: elapsed };
  });
  writeResult(values.result, {
    metrics: { linesPerSecond: (measured.lines / measured.durationMs) * 1000 },
    details: { warmupLines: WARMUP_LINES, ...measured },
  });
});
