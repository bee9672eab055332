// A plain logger writes its lines without Powertools' per-line machinery
// (docs/decisions/0013-lambda-invocation-before-the-response.md); these tests prove every line it
// writes byte for byte identical to the line Powertools' own path writes for the same call, with
// the same span, request keys, environment and configuration, for arbitrary messages and
// attributes.
import { Logger } from '@aws-lambda-powertools/logger';
import { context as otelContext, ROOT_CONTEXT, type Span, TraceFlags, trace } from '@opentelemetry/api';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LookoutOptions } from '../../../src/config/index.js';
import {
  captureLogLinesForTesting,
  LookoutLogger,
  type RequestContext,
  resetLoggingForTesting,
} from '../../../src/logging/index.js';
import { REQUEST_CONTEXT_KEY } from '../../../src/logging/request-context.js';
import { runInContext } from '../../../src/tracing/context-storage.js';
import { InvocationContextManager } from '../../../src/tracing/invocation-context.js';
import { configureLoggingForTest } from '../../helpers/configure-logging.js';

type Level = 'debug' | 'info' | 'warn' | 'error' | 'critical';

const TRACE_HEADER = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
const SPAN = trace.wrapSpanContext({
  traceId: '6a1b2c3d9e8f70615243342516071809',
  spanId: 'a1b2c3d4e5f60718',
  traceFlags: TraceFlags.SAMPLED,
});

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
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  resetLoggingForTesting();
});

/** The two loggers compared: one writes directly, the other (which was given keys, none) through Powertools. */
function createLoggers(): { direct: LookoutLogger; powertools: LookoutLogger } {
  const direct = new LookoutLogger();
  const powertools = new LookoutLogger();
  powertools.appendKeys({});
  // Apply the configuration now: with debug sampling, applying it announces itself in a line.
  const restore = captureLogLinesForTesting(() => {});
  try {
    void direct.level;
    void powertools.level;
  } finally {
    restore();
  }
  return { direct, powertools };
}

interface Call {
  readonly level: Level;
  readonly message: unknown;
  readonly extra: readonly unknown[];
}

/** The lines `logger` writes for `call`, with `span` active and `keys` as the request context. */
function linesOf(
  logger: LookoutLogger,
  call: Call,
  span: Span | undefined,
  keys: RequestContext | undefined,
): string[] {
  const written: string[] = [];
  const restore = captureLogLinesForTesting((line) => written.push(line));
  try {
    let active = span === undefined ? ROOT_CONTEXT : trace.setSpan(ROOT_CONTEXT, span);
    if (keys !== undefined) active = active.setValue(REQUEST_CONTEXT_KEY, { ...keys });
    const log = logger[call.level] as (message: unknown, ...extra: unknown[]) => void;
    runInContext(active, () => log.call(logger, call.message, ...call.extra));
  } finally {
    restore();
  }
  return written;
}

// Strings with the shapes the redaction rules look for, quotes, control and astral characters.
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    'jane.doe@example.com',
    'Bearer abcdefghijklmnop',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
    'AKIAIOSFODNN7EXAMPLE',
    '4111 1111 1111 1111',
    'quote " backslash \\ newline \n tab \t',
    '',
  ),
);
const key = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.constantFrom(
    'path',
    'orderId',
    'password',
    'authorization',
    'email',
    'error',
    'extra',
    'trace_id',
    'span_id',
    'xray_trace_id',
    'function_request_id',
    'cold_start',
    'level',
    'message',
    'service',
    'timestamp',
    'sampling_rate',
    'environment',
  ),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.integer(),
    fc.double(),
    fc.constant(4111111111111111),
    fc.boolean(),
    fc.constantFrom(null, undefined),
    fc.bigInt(),
    fc.date({ noInvalidDate: true }),
    fc.constant(new TypeError('bad input for jane.doe@example.com')),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(key, tie('value'), { maxKeys: 3 }),
  ),
})).value;
const attributes = fc.dictionary(key, value, { maxKeys: 6 });

const call: fc.Arbitrary<Call> = fc.record({
  level: fc.constantFrom<Level>('debug', 'info', 'warn', 'error', 'critical'),
  message: fc.oneof({ weight: 4, arbitrary: text }, { weight: 1, arbitrary: fc.record({ message: text }) }),
  extra: fc.oneof(
    { weight: 2, arbitrary: fc.constant([]) },
    { weight: 6, arbitrary: attributes.map((one) => [one]) },
    { weight: 1, arbitrary: fc.tuple(attributes, attributes) },
    { weight: 1, arbitrary: fc.constantFrom([new Error('failed for jane.doe@example.com')], ['plain text']) },
  ),
});

const keys = fc.option(
  fc.record(
    {
      function_request_id: fc.uuid(),
      function_name: fc.constantFrom('orders', 'x'),
      cold_start: fc.boolean(),
      xray_trace_id: fc.constant('1-5759e988-bd862e3fe1be46a994272793'),
      tenant: text,
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

const LAMBDA_ENV = {
  AWS_LAMBDA_FUNCTION_NAME: 'orders',
  AWS_REGION: 'eu-west-1',
  _X_AMZN_TRACE_ID: TRACE_HEADER,
};

describe('the direct log line', () => {
  it.each([
    { name: 'the defaults', options: {}, env: {} },
    {
      name: 'a service and environment',
      options: { serviceName: 'orders "api"', environment: 'prod' },
      env: {},
    },
    {
      name: "the app's own pattern and a short length limit",
      options: { logging: { maxStringLength: 64, redaction: { patterns: [/jane|GET/] } } },
      env: {},
    },
    {
      name: 'extra sensitive keys',
      options: { logging: { redaction: { keys: ['tenant', 'orderId'] } } },
      env: {},
    },
    { name: 'debug sampling', options: {}, env: { POWERTOOLS_LOGGER_SAMPLE_RATE: '1' } },
    {
      name: 'the DEBUG level and pretty lines',
      options: { logging: { level: 'DEBUG', pretty: true } },
      env: {},
    },
    { name: 'a local time zone', options: {}, env: { TZ: 'Europe/Paris' } },
    { name: 'a Lambda invocation', options: {}, env: LAMBDA_ENV },
  ])('is identical to the Powertools line for any call, span and keys, with $name', ({ options, env }) => {
    for (const [name, variable] of Object.entries(env)) vi.stubEnv(name, variable);
    configureLoggingForTest(options as LookoutOptions, { ...process.env, ...env });
    const { direct, powertools } = createLoggers();
    fc.assert(
      fc.property(call, fc.boolean(), keys, (made, traced, requestKeys) => {
        const span = traced ? SPAN : undefined;

        expect(linesOf(direct, made, span, requestKeys)).toEqual(
          linesOf(powertools, made, span, requestKeys),
        );
      }),
      { numRuns: 400 },
    );
  });

  it('writes an invocation line without Powertools, identical to its line', () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', TRACE_HEADER);
    configureLoggingForTest({ serviceName: 'orders' });
    const { direct, powertools } = createLoggers();
    const processLogItem = vi.spyOn(
      Logger.prototype as unknown as { processLogItem(): void },
      'processLogItem',
    );
    const made: Call = { level: 'info', message: 'order handled', extra: [{ path: '/items/7' }] };
    const keys = { function_request_id: 'r-1', function_name: 'orders', cold_start: false };

    const line = linesOf(direct, made, SPAN, keys);
    expect(processLogItem).not.toHaveBeenCalled();
    expect(line).toEqual(linesOf(powertools, made, SPAN, keys));
    expect(processLogItem).toHaveBeenCalledTimes(1);
    expect(JSON.parse(line[0] as string)).toMatchObject({
      message: 'order handled',
      service: 'orders',
      trace_id: '6a1b2c3d9e8f70615243342516071809',
      function_request_id: 'r-1',
      path: '/items/7',
    });
  });

  it("leaves to Powertools a line that needs the environment's X-Ray id", () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', TRACE_HEADER);
    configureLoggingForTest({});
    const { direct } = createLoggers();
    const processLogItem = vi.spyOn(
      Logger.prototype as unknown as { processLogItem(): void },
      'processLogItem',
    );

    const line = linesOf(
      direct,
      { level: 'info', message: 'outside any invocation', extra: [] },
      undefined,
      undefined,
    );

    expect(processLogItem).toHaveBeenCalledTimes(1);
    expect(JSON.parse(line[0] as string)).toMatchObject({
      xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793',
    });
  });
});
