// The access-log line is written directly on the request path (docs/decisions/0007); these
// tests prove it byte for byte identical to the line the Powertools logger writes for the same
// fields, span and request keys, across arbitrary values and configurations.
import { context as otelContext, ROOT_CONTEXT, type Span, TraceFlags, trace } from '@opentelemetry/api';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LookoutOptions } from '../../../src/config/index.js';
import { runInContext } from '../../../src/context/context-storage.js';
import { type AccessLogFields, formatAccessLogLine } from '../../../src/express/access-log.js';
import {
  captureLogLinesForTesting,
  logger,
  type RequestContext,
  resetLoggingForTesting,
} from '../../../src/logging/index.js';
import { REQUEST_CONTEXT_KEY } from '../../../src/logging/request-context.js';
import { InvocationContextManager } from '../../../src/tracing/invocation-context.js';
import { configureLoggingForTest } from '../../helpers/configure-logging.js';

type Level = 'INFO' | 'WARN' | 'ERROR';

function configure(options: LookoutOptions, env: Record<string, string> = {}): void {
  configureLoggingForTest(options, env);
}

/** The line the Powertools logger writes for `fields` with `span` active and `keys` in force. */
function throughLogger(
  level: Level,
  fields: AccessLogFields,
  span: Span | undefined,
  keys: RequestContext | undefined,
) {
  const written: string[] = [];
  const restore = captureLogLinesForTesting((line) => written.push(line));
  try {
    let active = span === undefined ? ROOT_CONTEXT : trace.setSpan(ROOT_CONTEXT, span);
    if (keys !== undefined) active = active.setValue(REQUEST_CONTEXT_KEY, keys);
    const attributes = fields as unknown as Record<string, unknown>;
    runInContext(active, () => {
      if (level === 'ERROR') logger.error('request completed', attributes);
      else if (level === 'WARN') logger.warn('request completed', attributes);
      else logger.info('request completed', attributes);
    });
  } finally {
    restore();
  }
  // Debug sampling announces itself once, on the first line after configuration.
  const lines = written.filter((line) => line.includes('"message":"request completed"'));
  expect(lines).toHaveLength(1);
  return lines[0];
}

const manager = new InvocationContextManager();

beforeAll(() => {
  otelContext.setGlobalContextManager(manager);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-03-04T05:06:07.089Z'));
});
afterAll(() => {
  vi.useRealTimers();
  otelContext.disable();
});
afterEach(() => {
  resetLoggingForTesting();
});

const SPAN = trace.wrapSpanContext({
  traceId: '5759e988bd862e3fe1be46a994272793',
  spanId: '53995c3f42cd8ad8',
  traceFlags: TraceFlags.SAMPLED,
});

// Strings a client controls, with the shapes the redaction rules look for mixed in.
const clientText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ minLength: 60, maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom(
    '/users/jane.doe@example.com/orders',
    '/reset/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
    'Bearer abcdefghijklmnop',
    '/keys/AKIAIOSFODNN7EXAMPLE',
    '/cards/4111 1111 1111 1111',
    'quote " backslash \\ newline \n tab \t',
    '',
  ),
);

const fieldsArbitrary = fc.record({
  method: fc.constantFrom('GET', 'POST', 'DELETE', 'PATCH', 'HEAD'),
  route: fc.option(fc.constantFrom('/orders/:id', '/api/users/:email', '/', '/files/*'), { nil: undefined }),
  path: clientText,
  status: fc.constantFrom(200, 201, 204, 301, 400, 404, 499, 500, 503),
  duration_ms: fc.double({ min: 0, max: 60_000, noNaN: true }),
  response_bytes: fc.nat({ max: 10_000_000 }),
  user_agent: fc.option(clientText, { nil: undefined }),
  client_ip: fc.option(fc.constantFrom('127.0.0.1', '203.0.113.7', '::1', '2001:db8::1'), { nil: undefined }),
  aborted: fc.option(fc.constant(true as const), { nil: undefined }),
});

const keysArbitrary = fc.option(
  fc.record(
    {
      request_id: fc.oneof(fc.uuid(), fc.stringMatching(/^[A-Za-z0-9._@-]{1,40}$/)),
      tenant: fc.string({ maxLength: 20 }),
      user_email: fc.constantFrom('jane.doe@example.com', 'x'),
      password: fc.string({ maxLength: 10 }),
      attempt: fc.integer(),
    },
    { requiredKeys: ['request_id'] },
  ),
  { nil: undefined },
);

function levelOf(status: number): Level {
  return status >= 500 ? 'ERROR' : status >= 400 ? 'WARN' : 'INFO';
}

function withoutUndefined(fields: AccessLogFields): AccessLogFields {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) copy[key] = value;
  return copy as unknown as AccessLogFields;
}

/** The fewest fields a line has: no route, user agent or client address. */
const MINIMAL_FIELDS: AccessLogFields = withoutUndefined({
  method: 'GET',
  route: undefined,
  path: '/',
  status: 200,
  duration_ms: 1,
  response_bytes: 0,
  user_agent: undefined,
  client_ip: undefined,
});

describe('the direct access-log line', () => {
  it.each([
    { name: 'the defaults', options: {}, env: {} },
    {
      name: 'a service and environment',
      options: { serviceName: 'orders "api"', environment: 'prod' },
      env: {},
    },
    {
      name: "the app's own pattern and a short length limit",
      options: { logging: { maxStringLength: 64, redaction: { patterns: [/127\.0\.0\.1|GET/] } } },
      env: {},
    },
    { name: 'extra sensitive keys', options: { logging: { redaction: { keys: ['tenant'] } } }, env: {} },
    { name: 'debug sampling', options: {}, env: { POWERTOOLS_LOGGER_SAMPLE_RATE: '0.5' } },
  ])('is identical to the logger line for any fields, span and keys, with $name', ({ options, env }) => {
    configure(options as LookoutOptions, env);
    fc.assert(
      fc.property(fieldsArbitrary, fc.boolean(), keysArbitrary, (raw, traced, keys) => {
        const fields = withoutUndefined(raw as AccessLogFields);
        const span = traced ? SPAN : undefined;
        const level = levelOf(fields.status);

        const direct = formatAccessLogLine(level, fields, span, keys, new Date());
        const expected = throughLogger(level, fields, span, keys);

        // Undefined means "use the logger": allowed only for what the direct line cannot hold.
        if (direct === undefined) return;
        expect(direct).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('writes the common line directly, not through the logger', () => {
    configure({ serviceName: 'orders' });
    const fields: AccessLogFields = {
      method: 'GET',
      route: '/orders/:id',
      path: '/orders/7',
      status: 200,
      duration_ms: 1.25,
      response_bytes: 17,
      user_agent: 'curl/8.5.0',
      client_ip: '127.0.0.1',
    };

    const direct = formatAccessLogLine('INFO', fields, SPAN, { request_id: 'req-1' }, new Date());

    expect(direct).toBe(throughLogger('INFO', fields, SPAN, { request_id: 'req-1' }));
    expect(JSON.parse(direct as string)).toMatchObject({
      trace_id: SPAN.spanContext().traceId,
      request_id: 'req-1',
    });
  });

  it('writes a repeated user agent as the logger does each time, a secret in it censored', () => {
    configure({});
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    const agents = ['Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0', `client/1.0 token ${token}`];

    for (const userAgent of [...agents, ...agents]) {
      const fields: AccessLogFields = { ...MINIMAL_FIELDS, user_agent: userAgent };
      const direct = formatAccessLogLine('INFO', fields, undefined, undefined, new Date());

      expect(direct).toBe(throughLogger('INFO', fields, undefined, undefined));
      expect(direct).not.toContain(token);
    }
  });

  it('hands the line to the logger when a request key takes the name of a field', () => {
    configure({});
    const fields = MINIMAL_FIELDS;

    expect(
      formatAccessLogLine('INFO', fields, undefined, { request_id: 'r', status: 'x' }, new Date()),
    ).toBeUndefined();
  });

  it('hands the line to the logger for pretty lines and local-time timestamps', () => {
    configure({ logging: { pretty: true } });
    const fields = MINIMAL_FIELDS;

    expect(formatAccessLogLine('INFO', fields, undefined, undefined, new Date())).toBeUndefined();
  });
});
