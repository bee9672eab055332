import { runInNewContext } from 'node:vm';
import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LookoutOptions } from '../../../src/config/index.js';
import { diagnostics } from '../../../src/diag/index.js';
import {
  captureLogLinesForTesting,
  LookoutLogger,
  logger,
  redact,
  resetLoggingForTesting,
  runWithRequestContext,
  setRequestContextValues,
} from '../../../src/logging/index.js';
import { configureLoggingForTest } from '../../helpers/configure-logging.js';

type Line = Record<string, unknown>;

let lines: string[] = [];
let restoreCapture: () => void = () => {};
let diagnosticsOutput: string[] = [];
let restoreDiagnostics: () => void = () => {};

function parsed(): Line[] {
  return lines.map((line) => JSON.parse(line) as Line);
}

/** Configures logging as init() would, from options and the (stubbed) environment. */
function configure(options: LookoutOptions = {}): void {
  configureLoggingForTest(options, process.env);
}

const provider = new NodeTracerProvider();

beforeAll(() => {
  provider.register();
});

afterAll(async () => {
  await provider.shutdown();
});

beforeEach(() => {
  lines = [];
  restoreCapture = captureLogLinesForTesting((line) => lines.push(line));
  diagnosticsOutput = [];
  restoreDiagnostics = diagnostics.captureForTesting((line) => diagnosticsOutput.push(line));
  configure();
});

afterEach(() => {
  restoreCapture();
  restoreDiagnostics();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  resetLoggingForTesting();
});

describe('logger: a Powertools Logger', () => {
  it('is an instance of @aws-lambda-powertools/logger Logger, and so are its children', () => {
    const child = logger.createChild({ persistentKeys: { component: 'orders' } });
    expect(logger).toBeInstanceOf(Logger);
    expect(child).toBeInstanceOf(Logger);
    expect(child).toBeInstanceOf(LookoutLogger);
  });

  it('writes level, message, timestamp, service, environment and the call keys', () => {
    configure({ serviceName: 'orders-api', environment: 'staging' });
    logger.info('order created', { orderId: 42 });
    const [line] = parsed();
    expect(line).toMatchObject({
      level: 'INFO',
      message: 'order created',
      service: 'orders-api',
      environment: 'staging',
      orderId: 42,
    });
    expect(Date.parse(String(line?.timestamp))).not.toBeNaN();
  });

  it('keeps persistent and temporary keys, and redacts them too', () => {
    logger.appendPersistentKeys({ region: 'eu-west-1', apiKey: 'persistent-secret' });
    logger.appendKeys({ tenant: 't1', sessionToken: 'temp-secret' });
    try {
      logger.info('with keys');
      expect(parsed()[0]).toMatchObject({
        region: 'eu-west-1',
        apiKey: '[REDACTED]',
        tenant: 't1',
        sessionToken: '[REDACTED]',
      });
    } finally {
      logger.removePersistentKeys(['region', 'apiKey']);
      logger.resetKeys();
    }
  });

  it('keeps the keys it can read when a key given to appendKeys cannot be read, and never throws', () => {
    // A revoked proxy (an Immer draft after produce(), say) and a getter that throws: Powertools
    // reads every key, nested ones too, when the keys are given.
    const { proxy: revoked, revoke } = Proxy.revocable({ id: 1 }, {});
    revoke();
    const keys = {
      tenant: 't1',
      draft: { revoked },
      get user(): string {
        throw new Error('session closed');
      },
    };
    const child = logger.createChild();
    try {
      expect(() => logger.appendKeys(keys)).not.toThrow();
      expect(() => logger.appendPersistentKeys({ region: 'eu', draft: { revoked } })).not.toThrow();
      expect(() => child.appendKeys(keys)).not.toThrow();
      const keyed = logger.createChild({ persistentKeys: { component: 'orders', user: keys } });
      logger.info('with keys');
      child.info('child with keys');
      keyed.info('child made with keys');
      expect(parsed()).toMatchObject([
        { message: 'with keys', tenant: 't1', user: '[Unreadable]', region: 'eu' },
        { message: 'child with keys', tenant: 't1', user: '[Unreadable]' },
        { message: 'child made with keys', component: 'orders', user: '[Unreadable]' },
      ]);
      expect(diagnosticsOutput.join('\n')).toContain('LOOKOUT_INTERNAL');
    } finally {
      logger.removePersistentKeys(['region', 'draft']);
      logger.resetKeys();
    }
  });

  it.each([
    [
      'appendKeys',
      (keys: Line) => {
        logger.appendKeys(keys);
        return logger;
      },
    ],
    [
      'appendPersistentKeys',
      (keys: Line) => {
        logger.appendPersistentKeys(keys);
        return logger;
      },
    ],
    ['createChild', (keys: Line) => logger.createChild({ persistentKeys: keys })],
  ])('reads no more items of an array given to %s than a line can write', (_, give) => {
    // Prepare: a sparse array claims a length it does not hold (`slots[index] = id`, with the
    // index from a request). Powertools copies keys item by item up to the length: at the
    // largest index (2 ** 32 - 2) that ran for seconds, then aborted the process.
    configure({ logging: { maxLineValues: 100 } });
    const sparse: string[] = [];
    sparse[0] = 'first';
    sparse[99_999] = 'last';
    let reads = 0;
    const slots = new Proxy(sparse, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads += 1;
        return Reflect.get(target, key, receiver);
      },
    });

    try {
      // Act
      give({ slots }).info('slots');

      // Assess: what the line writes is what it wrote before, cut at its value budget.
      expect(reads).toBeLessThanOrEqual(101);
      const [line] = parsed();
      expect(line?.slots).toEqual(expect.arrayContaining(['first']));
      expect(line?.lookout_truncated).toBe('cut after 100 values');
    } finally {
      logger.removePersistentKeys(['slots']);
      logger.resetKeys();
    }
  });

  it('gives children their own keys and options', () => {
    const child = logger.createChild({
      persistentKeys: { component: 'billing' },
      serviceName: 'billing-svc',
    });
    child.info('from child');
    logger.info('from parent');
    const [fromChild, fromParent] = parsed();
    expect(fromChild).toMatchObject({ component: 'billing', service: 'billing-svc' });
    expect(fromParent).not.toHaveProperty('component');
  });

  it('writes errors with their cause, redacted', () => {
    logger.error(
      'charge failed',
      new Error('card 4111 1111 1111 1111 declined', { cause: new Error('gateway') }),
    );
    const [line] = parsed();
    expect(line?.error).toMatchObject({
      name: 'Error',
      message: 'card [REDACTED] declined',
      cause: { message: 'gateway' },
    });
    expect(lines[0]).not.toContain('4111');
  });

  it('redacts the message, the extra string and every key', () => {
    logger.info('login by jane@example.com', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig');
    logger.info({ message: 'object form', password: 'x' });
    const [first, second] = parsed();
    expect(first).toMatchObject({ message: 'login by ja***@example.com', extra: 'token [REDACTED]' });
    expect(second).toMatchObject({ message: 'object form', password: '[REDACTED]' });
  });

  it('writes a message that is not a string as Powertools does, as it is, redacted', () => {
    // Powertools writes `{ message: { … } }` as a nested object; `String()` of it lost the data.
    const cyclic: Record<string, unknown> = { orderId: 'o-1', password: 'hunter2' };
    cyclic.self = cyclic;
    logger.info({ message: cyclic as unknown as string, extra: 1 });
    logger.info({ message: 42 as unknown as string });
    logger.info({ message: 4111111111111111 as unknown as string });
    logger.info({ message: null as unknown as string, k: 1 });
    const [object, number, card, nothing] = parsed();
    expect(Object.keys(object ?? {}).slice(0, 2)).toEqual(['level', 'message']);
    expect(object?.message).toEqual({ orderId: 'o-1', password: '[REDACTED]', self: '[Circular]' });
    expect(object?.extra).toBe(1);
    expect(number?.message).toBe(42);
    expect(card?.message).toBe('[REDACTED]');
    expect(nothing?.message).toBe('');
  });

  it('applies the configured level, and debug sampling', () => {
    configure({ logging: { level: 'WARN' } });
    logger.info('hidden');
    logger.warn('shown');
    configure({ logging: { level: 'ERROR', sampleRate: 1 } });
    logger.debug('sampled in');
    const messages = parsed().map((line) => line.message);
    expect(messages).not.toContain('hidden');
    expect(messages).toContain('shown');
    expect(messages).toContain('sampled in');
  });

  it('writes nothing when logging is turned off', () => {
    configure({ logging: { enabled: false } });
    logger.critical('nothing');
    logger.error('nothing');
    configure({ enabled: false });
    logger.error('nothing either');
    expect(lines).toEqual([]);
  });

  it('keeps logging when OTEL_SDK_DISABLED turns tracing off', () => {
    vi.stubEnv('OTEL_SDK_DISABLED', 'true');
    configure();
    logger.info('still here');
    expect(parsed()[0]?.message).toBe('still here');
  });

  it('prints indented JSON when pretty output is on', () => {
    configure({ logging: { pretty: true } });
    logger.info('pretty');
    expect(lines[0]).toContain('\n    "message": "pretty"');
  });

  // Powertools keeps the filter level it saw in a logger for good, so each of these tests makes
  // its own loggers after stubbing AWS_LAMBDA_LOG_LEVEL instead of using the shared `logger`.
  it('uses AWS_LAMBDA_LOG_LEVEL over a less verbose option, as Powertools does', () => {
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'DEBUG');
    configure({ logging: { level: 'ERROR' } });
    const filtered = new LookoutLogger();
    filtered.debug('at the filter level');
    filtered.error('at the option level');
    expect(parsed().map((line) => line.message)).toEqual(['at the filter level', 'at the option level']);
  });

  it('raises a level below AWS_LAMBDA_LOG_LEVEL to it, since Lambda would drop those lines', () => {
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'WARN');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    configure();
    const filtered = new LookoutLogger();
    filtered.info('dropped');
    filtered.warn('kept');
    expect(parsed().map((line) => line.message)).toEqual(['kept']);
  });

  it('keeps the filter level for children and for setLogLevel(), as Powertools does', () => {
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'WARN');
    configure();
    const child = new LookoutLogger().createChild({ logLevel: 'DEBUG' });
    child.setLogLevel('DEBUG');
    child.info('dropped');
    child.warn('kept');
    expect(child.getLevelName()).toBe('WARN');
    expect(parsed().map((line) => line.message)).toContain('kept');
    expect(parsed().map((line) => line.message)).not.toContain('dropped');
  });

  it('stays silent with logging off, whatever AWS_LAMBDA_LOG_LEVEL says', () => {
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'DEBUG');
    configure({ logging: { enabled: false } });
    new LookoutLogger().error('not written');
    expect(lines).toEqual([]);
  });

  // The same variables given to plain Powertools and to Lookout give the same level.
  it.each([
    [{ AWS_LAMBDA_LOG_LEVEL: 'DEBUG', POWERTOOLS_LOG_LEVEL: 'ERROR' }, undefined],
    [{ AWS_LAMBDA_LOG_LEVEL: 'ERROR', POWERTOOLS_LOG_LEVEL: 'DEBUG' }, undefined],
    [{ AWS_LAMBDA_LOG_LEVEL: 'FATAL', LOG_LEVEL: 'INFO' }, undefined],
    [{ AWS_LAMBDA_LOG_LEVEL: 'INFO' }, 'ERROR'],
    [{ AWS_LAMBDA_LOG_LEVEL: 'ERROR' }, 'TRACE'],
    [{ POWERTOOLS_LOG_LEVEL: 'WARN', LOG_LEVEL: 'DEBUG' }, undefined],
    [{ LOG_LEVEL: 'DEBUG' }, undefined],
    [{ POWERTOOLS_LOG_LEVEL: 'WARN' }, 'DEBUG'],
    [{}, undefined],
  ] as const)('resolves %j with level option %s to the level Powertools uses', (env, option) => {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const powertools = new Logger(option === undefined ? {} : { logLevel: option });
    configure(option === undefined ? {} : { logging: { level: option } });

    expect(new LookoutLogger().getLevelName()).toBe(powertools.getLevelName());
  });

  it('flushes Powertools log buffers through the same stdout writer', () => {
    vi.stubEnv(
      '_X_AMZN_TRACE_ID',
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    );
    const buffered = logger.createChild({ logLevel: 'DEBUG', logBufferOptions: { enabled: true } });
    buffered.debug('buffered debug, card 4111111111111111');
    expect(lines).toEqual([]);
    buffered.error('boom');
    expect(parsed().map((line) => line.message)).toEqual(['buffered debug, card [REDACTED]', 'boom']);
  });
});

describe('logger: output goes to stdout directly', () => {
  it('calls process.stdout.write for every level and never the global console', () => {
    restoreCapture();
    vi.stubEnv('POWERTOOLS_DEV', 'true');
    configure({ logging: { level: 'TRACE' } });
    const writes: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    const consoleMethods = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(() => {}),
    );
    logger.trace('t');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    logger.critical('c');
    vi.mocked(process.stdout.write).mockRestore();
    expect(writes.map((chunk) => (JSON.parse(chunk) as Line).level)).toEqual([
      'TRACE',
      'DEBUG',
      'INFO',
      'WARN',
      'ERROR',
      'CRITICAL',
    ]);
    expect(writes.every((chunk) => chunk.endsWith('}\n'))).toBe(true);
    for (const spy of consoleMethods) expect(spy).not.toHaveBeenCalled();
  });
});

describe('logger: trace correlation', () => {
  it('writes trace_id, span_id and xray_trace_id of the active span', () => {
    const tracer = trace.getTracer('unit');
    tracer.startActiveSpan('work', (span) => {
      logger.info('inside');
      span.end();
    });
    logger.info('outside');
    const [inside, outside] = parsed();
    const { traceId, spanId } = (() => {
      const match = /^([0-9a-f]{32})$/.exec(String(inside?.trace_id));
      return { traceId: match?.[1], spanId: inside?.span_id };
    })();
    expect(traceId).toBeDefined();
    expect(spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(inside?.xray_trace_id).toBe(`1-${traceId?.slice(0, 8)}-${traceId?.slice(8)}`);
    expect(outside).not.toHaveProperty('trace_id');
    expect(outside).not.toHaveProperty('span_id');
    expect(outside).not.toHaveProperty('xray_trace_id');
  });

  it('does not let a logger key replace the ids of the active span', () => {
    logger.appendKeys({ trace_id: 'stale' });
    try {
      trace.getTracer('unit').startActiveSpan('work', (span) => {
        logger.info('inside');
        span.end();
      });
      expect(parsed()[0]?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      logger.resetKeys();
    }
  });
});

describe('logger: request context', () => {
  it('keeps each concurrent request on its own lines', async () => {
    const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await Promise.all(
      Array.from({ length: 50 }, (_unused, index) =>
        runWithRequestContext({ request_id: `req-${index}` }, async () => {
          await delay((index * 7) % 5);
          logger.info('first', { index });
          await delay((index * 3) % 4);
          setRequestContextValues({ user_id: `user-${index}` });
          logger.info('second', { index });
        }),
      ),
    );
    const all = parsed();
    expect(all).toHaveLength(100);
    for (const line of all) expect(line.request_id).toBe(`req-${line.index}`);
    for (const line of all.filter((entry) => entry.message === 'second'))
      expect(line.user_id).toBe(`user-${line.index}`);
  });

  it('writes the context keys instead of stale logger keys of the same name', () => {
    logger.appendKeys({ request_id: 'left-over' });
    try {
      runWithRequestContext({ request_id: 'current' }, () => logger.info('in request'));
      logger.info('outside');
      const [inside, outside] = parsed();
      expect(inside?.request_id).toBe('current');
      expect(outside?.request_id).toBe('left-over');
    } finally {
      logger.resetKeys();
    }
  });

  it('redacts what the context holds, and ignores changes outside a request', () => {
    expect(setRequestContextValues({ user_id: 'nobody' })).toBe(false);
    runWithRequestContext({ request_id: 'r', user_email: 'jane@example.com' }, () => logger.info('x'));
    expect(parsed()[0]).toMatchObject({ request_id: 'r', user_email: 'ja***@example.com' });
  });
});

describe('logger: configuration applied after creation', () => {
  it('applies a new configuration to loggers and children created before it', () => {
    const before = logger.createChild({ persistentKeys: { component: 'early' } });
    const pinned = logger.createChild({ serviceName: 'pinned' });
    configure({
      serviceName: 'configured-later',
      logging: { level: 'DEBUG', redaction: { keys: ['internalCode'] } },
    });
    logger.debug('root', { internalCode: 'x' });
    before.debug('child');
    pinned.debug('pinned child');
    const [root, child, pinnedLine] = parsed();
    expect(root).toMatchObject({ service: 'configured-later', internalCode: '[REDACTED]' });
    expect(child).toMatchObject({ service: 'configured-later', component: 'early' });
    expect(pinnedLine?.service).toBe('pinned');
    expect(logger.getLevelName()).toBe('DEBUG');
  });

  it('keeps a level set after the configuration changed', () => {
    configure({ logging: { level: 'ERROR' } });
    logger.setLogLevel('DEBUG');
    logger.debug('visible');
    expect(parsed()[0]?.message).toBe('visible');
  });

  it('redacts a message logged again under the policy in force, not the one it was first redacted by', () => {
    configure({ logging: { redaction: { patterns: [/order-\d+/] } } });
    logger.info('paid order-42');
    logger.info('paid order-42');
    configure({ logging: { redaction: { censor: '###', patterns: [/paid/] } } });
    logger.info('paid order-42');
    configure();
    logger.info('paid order-42');
    expect(parsed().map((line) => line.message)).toEqual([
      'paid [REDACTED]',
      'paid [REDACTED]',
      '### order-42',
      'paid order-42',
    ]);
  });

  it('redact() applies the configured policy', () => {
    configure({ logging: { redaction: { censor: '###', paths: ['user.*.ssn'] } } });
    expect(redact({ user: { a: { ssn: '1' } }, password: 'p' })).toEqual({
      user: { a: { ssn: '###' } },
      password: '###',
    });
  });
});

describe('logger: never throws into the app', () => {
  it('writes a minimal line and one diagnostic when the input cannot be formatted', () => {
    expect(() => logger.info(null as never)).not.toThrow();
    expect(() => logger.info(undefined as never)).not.toThrow();
    const [line] = parsed();
    expect(line).toMatchObject({ level: 'INFO', message: '[log line could not be formatted]' });
    expect(String(line?.lookout_error)).toContain('TypeError');
    expect(diagnosticsOutput.filter((entry) => entry.includes('LOOKOUT_INTERNAL'))).toHaveLength(1);
  });

  it('writes a minimal line, redacted, when a custom replacer throws', () => {
    const child = logger.createChild({
      jsonReplacerFn: () => {
        throw new Error('replacer failed for jane@example.com');
      },
    });
    expect(() => child.warn('message with card 4111111111111111')).not.toThrow();
    const [line] = parsed();
    expect(line).toMatchObject({ level: 'WARN', message: 'message with card [REDACTED]' });
    expect(lines[0]).not.toContain('jane@example.com');
  });

  it('serialises hostile values', () => {
    const circular: Record<string, unknown> = { big: 1n };
    circular.self = circular;
    const hostile = {
      get boom() {
        throw new Error('getter');
      },
    };
    logger.info('hostile', {
      circular,
      hostile,
      map: new Map([['k', new Set([1])]]),
      huge: 'x'.repeat(50_000),
    });
    const [line] = parsed();
    expect(line).toMatchObject({
      circular: { big: '1', self: '[Circular]' },
      hostile: { boom: '[Unreadable]' },
      map: { k: [1] },
    });
    expect(String(line?.huge).length).toBeLessThan(10_100);
  });

  it('takes a String object given as message or extra argument as its string, redacted', () => {
    // Spread into the line as Powertools spreads objects, its characters were one key each.
    const secret = new String('token=sup3rs3cr3t');
    logger.info(secret as unknown as string);
    logger.info('message', secret as unknown as string);
    logger.info('message', { key: 1 }, secret as unknown as Record<string, unknown>);
    expect(parsed()).toMatchObject([
      { message: 'token=[REDACTED]' },
      { message: 'message', extra: 'token=[REDACTED]' },
      { message: 'message', key: 1, extra: 'token=[REDACTED]' },
    ]);
    expect(lines.join('\n')).not.toContain('"0":');
  });

  it('summarises binary data given as message or extra argument, as it does inside a line', () => {
    // Prepare: a raw request body, as express.raw() hands it over.
    const body = Buffer.from('password=hunter2&user=bob');
    const large = new Uint8Array(1_000_000);

    // Act
    logger.info('raw body', body as unknown as Record<string, unknown>);
    logger.info('raw body', { key: 1 }, large as unknown as Record<string, unknown>);
    logger.info(body as unknown as string);
    logger
      .createChild({ persistentKeys: { component: 'ingest' } })
      .info('raw', body.buffer as unknown as string);

    // Assess: the bytes are not spread one key each, out of the rules' reach.
    expect(parsed()).toMatchObject([
      { message: 'raw body', extra: `[Buffer: ${body.length} bytes]` },
      { message: 'raw body', key: 1, extra: '[Uint8Array: 1000000 bytes]' },
      { message: `[Buffer: ${body.length} bytes]` },
      { message: 'raw', component: 'ingest', extra: `[ArrayBuffer: ${body.buffer.byteLength} bytes]` },
    ]);
    expect(lines.join('\n')).not.toContain('"0":');
  });

  it('writes an Error of another realm given as extra argument under error, as Powertools does an Error', () => {
    // Prepare: an error thrown by code run in a vm context is no `instanceof Error` here.
    const error = runInNewContext('new TypeError("bad input")') as Error;

    // Act
    logger.error('render failed', error as unknown as Record<string, unknown>);

    // Assess
    expect(parsed()[0]).toMatchObject({
      message: 'render failed',
      error: { name: 'TypeError', message: 'bad input', stack: expect.stringContaining('TypeError') },
    });
  });

  it('writes a Map or Set given as extra argument under extra, as it writes them inside a line', () => {
    // Prepare
    const totals = new Map<string, unknown>([
      ['orders', 3],
      ['apiKey', 'k-123'],
    ]);
    const tags = new Set(['vip', 'jane@example.com']);

    // Act
    logger.info('totals', totals as unknown as Record<string, unknown>);
    logger.createChild({ persistentKeys: { component: 'c' } }).info('tags', tags as unknown as string);

    // Assess: Powertools spread their own keys, of which they have none, and wrote nothing.
    expect(parsed()).toMatchObject([
      { message: 'totals', extra: { orders: 3, apiKey: '[REDACTED]' } },
      { message: 'tags', component: 'c', extra: ['vip', 'ja***@example.com'] },
    ]);
  });

  it.each([
    ['the plain logger', () => logger],
    ['a logger with keys', () => logger.createChild({ persistentKeys: { component: 'auth' } })],
    [
      'a custom formatter',
      () => {
        class LevelFirstFormatter extends LogFormatter {
          override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
            return new LogItem({
              attributes: { level: attributes.logLevel, message: attributes.message, ...additional },
            });
          }
        }
        return logger.createChild({ logFormatter: new LevelFirstFormatter() });
      },
    ],
  ])(
    "writes a logged __proto__ key as data, which cannot rewrite the line's fields, through %s",
    (_, make) => {
      // Prepare: a parsed request body can hold a `__proto__` key.
      const body = JSON.parse(
        '{"user":"bob","__proto__":{"level":"DEBUG","message":"login ok","trace_id":"forged","password":"p"}}',
      ) as Record<string, unknown>;
      const child = make();

      // Act
      trace.getTracer('unit').startActiveSpan('login', (span) => {
        child.warn('login failed', body);
        span.end();
      });

      // Assess
      const [line] = parsed();
      expect(line).toMatchObject({ level: 'WARN', message: 'login failed', user: 'bob' });
      expect(line?.trace_id).toMatch(/^[0-9a-f]{32}$/);
      // Read as the own entry it is: JSON.parse keeps a `__proto__` key as data.
      expect(Object.getOwnPropertyDescriptor(line, '__proto__')?.value).toEqual({
        level: 'DEBUG',
        message: 'login ok',
        trace_id: 'forged',
        password: '[REDACTED]',
      });
      expect(({} as Record<string, unknown>).password).toBeUndefined();
    },
  );

  it('redacts the output of a custom formatter and passes it the correlation keys', () => {
    class PlainFormatter extends LogFormatter {
      override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
        return new LogItem({
          attributes: { lvl: attributes.logLevel, msg: attributes.message, ...additional },
        });
      }
    }
    const custom = logger.createChild({ logFormatter: new PlainFormatter() });
    runWithRequestContext({ request_id: 'r-1' }, () =>
      custom.info('pay 4111 1111 1111 1111', { password: 'p' }),
    );
    expect(parsed()[0]).toEqual({
      lvl: 'INFO',
      msg: 'pay [REDACTED]',
      request_id: 'r-1',
      password: '[REDACTED]',
    });
  });
});

describe('logger: Powertools internals it replaces', () => {
  it("names every level as Powertools' own getLogLevelNameFromNumber does", () => {
    type Named = { getLogLevelNameFromNumber(level: number): string | undefined };
    const own = (Logger.prototype as unknown as Named).getLogLevelNameFromNumber;
    const replaced = (LookoutLogger.prototype as unknown as Named).getLogLevelNameFromNumber;
    expect(replaced).not.toBe(own);

    for (let level = 0; level <= 30; level += 1)
      expect(replaced.call(logger, level)).toBe(own.call(logger, level));
  });
});
