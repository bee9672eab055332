// Scenario f (logging issue): log lines per second, Lookout's logger against plain
// Powertools and pino with an equivalent redact configuration.
import { defineScenario } from '../lib/scenario.mjs';

export default defineScenario({
  id: 'logging-throughput',
  letter: 'f',
  title: 'Logging throughput',
  summary:
    'Lines per second written by one logger in the worker process, stdout to `/dev/null`, every variant logging the same three objects in turn (an order with a customer, an HTTP request with headers, a login event) and writing synchronously to fd 1, so the figures compare the cost of building a line rather than I/O strategies. 20,000 lines of warm-up, then 3 s measured. **Powertools Logger** is `@aws-lambda-powertools/logger` plain (no correlation, no redaction); **Lookout logger** logs inside an active span and a request context (trace and request ids on every line) with the default redaction (it censors the card number, the Authorization header and the password, and masks the e-mail address); **pino + redact** has `redact` paths for the same four values and a censor function masking the e-mail (pino has no value patterns).',
  worker: 'logging-throughput',
  variants: ['powertools-logger', 'lookout-logger', 'pino-redact'],
  baseline: 'powertools-logger',
  rounds: { full: 7, quick: 1 },
  timeoutMs: 60_000,
  metrics: [{ key: 'linesPerSecond', label: 'lines/s', unit: 'lines/s', better: 'higher' }],
  columns: [
    { metric: 'linesPerSecond', show: 'value' },
    { metric: 'linesPerSecond', show: 'ratio', label: '× Powertools' },
  ],
  chart: ['linesPerSecond'],
});
