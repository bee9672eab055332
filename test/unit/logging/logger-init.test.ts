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
