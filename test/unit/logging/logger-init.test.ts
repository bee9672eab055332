import { afterEach, describe, expect, it, vi } from 'vitest';

// Each test loads a fresh copy of the core, as a new process would.
afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

async function loadFresh() {
  const logging = await import('../../../src/logging/index.js');
  const { init } = await import('../../../src/init.js');
  const { diagnostics } = await import('../../../src/diag/index.js');
  const lines: string[] = [];
  const restore = logging.captureLogLinesForTesting((line) => lines.push(line));
  const diagnosticsOutput: string[] = [];
  const restoreDiagnostics = diagnostics.captureForTesting((line) => diagnosticsOutput.push(line));
  return {
    ...logging,
    init,
    lines,
    diagnosticsOutput,
    parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => {
      restore();
      restoreDiagnostics();
    },
  };
}

describe('logger before init()', () => {
  it('works with settings from the environment alone', async () => {
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'from-env');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'WARN');
    vi.stubEnv('LOOKOUT_LOG_REDACT_KEYS', 'envSecret');
    const { logger, parsed, restore } = await loadFresh();
    try {
      logger.info('below the level');
      logger.warn('before init', { envSecret: 'x', password: 'y', contact: 'jane@example.com' });
      expect(parsed()).toEqual([
        expect.objectContaining({
          level: 'WARN',
          message: 'before init',
          service: 'from-env',
          envSecret: '[REDACTED]',
          password: '[REDACTED]',
          contact: 'ja***@example.com',
        }),
      ]);
    } finally {
      restore();
    }
  });
});

describe('logger after init()', () => {
  it('takes init() options on the same object, and on children made before', async () => {
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'from-env');
    const { logger, init, parsed, restore } = await loadFresh();
    try {
      const early = logger.createChild({ persistentKeys: { component: 'early' } });
      logger.info('before');
      init({
        serviceName: 'from-options',
        tracing: { enabled: false },
        shutdown: { handleSignals: false },
        logging: { level: 'DEBUG', redaction: { patterns: [/ORD-\d{4}/], paths: ['order.meta.*'] } },
      });
      logger.debug('after', { note: 'ref ORD-1234', order: { meta: { a: 1 } } });
      early.debug('child after');
      const [before, after, child] = parsed();
      expect(before?.service).toBe('from-env');
      expect(after).toMatchObject({
        service: 'from-options',
        note: 'ref [REDACTED]',
        order: { meta: { a: '[REDACTED]' } },
      });
      expect(child).toMatchObject({ service: 'from-options', component: 'early', level: 'DEBUG' });
    } finally {
      restore();
    }
  });

  it('throws LookoutConfigError from init() for an invalid pattern, naming the option', async () => {
    const { init, restore } = await loadFresh();
    const { LookoutConfigError } = await import('../../../src/errors/index.js');
    try {
      expect(() => init({ logging: { redaction: { patterns: ['x' as never] } } })).toThrow(
        LookoutConfigError,
      );
      expect(() => init({ logging: { redaction: { patterns: ['x' as never] } } })).toThrow(
        /logging\.redaction\.patterns\[0\]/,
      );
    } finally {
      restore();
    }
  });

  it('goes quiet when Lookout is disabled, and keeps writing when only OTEL_SDK_DISABLED is set', async () => {
    const quiet = await loadFresh();
    try {
      quiet.init({ enabled: false });
      quiet.logger.error('not written');
      expect(quiet.lines).toEqual([]);
    } finally {
      quiet.restore();
    }
    vi.resetModules();
    vi.stubEnv('OTEL_SDK_DISABLED', 'true');
    const loud = await loadFresh();
    try {
      const handle = loud.init({ shutdown: { handleSignals: false } });
      loud.logger.info('written');
      expect(loud.parsed()[0]?.message).toBe('written');
      await expect(handle.forceFlush()).resolves.toBeUndefined();
    } finally {
      loud.restore();
    }
  });

  it('warns once when the level is raised to Lambda log-level filter', async () => {
    vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', 'ERROR');
    const { init, diagnosticsOutput, restore } = await loadFresh();
    try {
      init({ tracing: { enabled: false }, logging: { level: 'DEBUG' } });
      expect(diagnosticsOutput.filter((line) => line.includes('LOOKOUT_LOG_LEVEL_FILTERED'))).toHaveLength(1);
    } finally {
      restore();
    }
  });
});

describe('the level a logger filters at', () => {
  /** Records which environment variables are read while `run` runs. */
  function environmentReads(run: () => void): string[] {
    const reads: string[] = [];
    const original = process.env;
    process.env = new Proxy(original, {
      get(target, key, receiver) {
        if (typeof key === 'string') reads.push(key);
        return Reflect.get(target, key, receiver);
      },
    });
    try {
      run();
    } finally {
      process.env = original;
    }
    return reads;
  }

  it('is kept between the calls that change it, so reading it reads no environment', async () => {
    const { logger, init, lines, restore } = await loadFresh();
    try {
      // Read (and kept) before init(), then init() changes it.
      expect(logger.level).toBe(12);
      init({ logging: { level: 'DEBUG' } });
      expect(logger.level).toBe(8);

      const reads = environmentReads(() => {
        for (let i = 0; i < 3; i++) expect(logger.level).toBe(8);
      });
      expect(reads).toEqual([]);

      logger.setLogLevel('ERROR');
      expect(logger.level).toBe(20);
      logger.warn('below the new level');
      expect(lines).toEqual([]);
    } finally {
      restore();
    }
  });

  it('is read from Powertools every time when Lambda runs invocations concurrently', async () => {
    // The InvokeStore the Lambda runtime sets up for concurrent invocations, from the package the
    // runtime and Powertools use (Lambda itself cannot run here).
    vi.stubEnv('AWS_LAMBDA_MAX_CONCURRENCY', '4');
    const { InvokeStore, InvokeStoreBase } = await import('@aws/lambda-invoke-store');
    const store = await InvokeStore.getInstanceAsync();
    const { logger, restore } = await loadFresh();
    try {
      expect(logger.level).toBe(12);
      const reads = environmentReads(() => {
        expect(logger.level).toBe(12);
        expect(logger.level).toBe(12);
      });
      expect(reads.filter((name) => name === 'AWS_LAMBDA_MAX_CONCURRENCY')).toHaveLength(2);

      // A level set inside one invocation stays in it.
      await store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: 'one' }, () => {
        logger.setLogLevel('ERROR');
        expect(logger.level).toBe(20);
      });
      expect(logger.level).toBe(12);
    } finally {
      restore();
      delete (globalThis as { awslambda?: { InvokeStore?: unknown } }).awslambda?.InvokeStore;
    }
  });
});
