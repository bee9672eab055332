import { describe, expect, it } from 'vitest';
import { type LookoutOptions, resolveConfig } from '../../../src/config/index.js';
import { LookoutConfigError } from '../../../src/errors/index.js';
import { detectRuntime, type Env } from '../../../src/runtime/index.js';

function resolve(env: Env, options?: LookoutOptions) {
  return resolveConfig({
    env,
    options,
    runtime: detectRuntime(env, () => undefined),
    appPackage: { name: 'app', version: '1.0.0' },
  });
}

describe('logging configuration', () => {
  it('defaults to INFO, no sampling, compact output and the default redaction', () => {
    const { logging } = resolve({}).config;
    expect(logging).toEqual({
      enabled: true,
      level: 'INFO',
      requestedLevel: 'INFO',
      lambdaLogLevel: undefined,
      levelPerInvocation: false,
      sampleRate: 0,
      pretty: false,
      logEvent: false,
      maxDepth: 16,
      maxStringLength: 10_000,
      maxLineValues: 20_000,
      maxLineBytes: 256_000,
      redaction: { censor: '[REDACTED]', disabledRules: [], keys: [], keepKeys: [], paths: [], patterns: [] },
      correlation: ['pino', 'winston'],
    });
  });

  it.each([
    [{ LOOKOUT_LOG_LEVEL: 'error', POWERTOOLS_LOG_LEVEL: 'DEBUG', AWS_LAMBDA_LOG_LEVEL: 'WARN' }, 'WARN'],
    [{ POWERTOOLS_LOG_LEVEL: 'warn', LOG_LEVEL: 'debug', AWS_LAMBDA_LOG_LEVEL: 'ERROR' }, 'ERROR'],
    [{ POWERTOOLS_LOG_LEVEL: 'ERROR', AWS_LAMBDA_LOG_LEVEL: 'DEBUG' }, 'DEBUG'],
    [{ POWERTOOLS_LOG_LEVEL: 'ERROR', LOG_LEVEL: 'debug' }, 'ERROR'],
    [{ LOG_LEVEL: 'debug' }, 'DEBUG'],
    [{ AWS_LAMBDA_LOG_LEVEL: 'WARN' }, 'WARN'],
    [{ AWS_LAMBDA_LOG_LEVEL: 'FATAL' }, 'CRITICAL'],
  ])('takes the level from %j as %s', (env, level) => {
    expect(resolve(env).config.logging.level).toBe(level);
  });

  it('raises a level more verbose than Lambda filter to the filter level, keeping what was asked', () => {
    const { logging } = resolve({ LOOKOUT_LOG_LEVEL: 'DEBUG', AWS_LAMBDA_LOG_LEVEL: 'WARN' }).config;
    expect(logging).toMatchObject({ level: 'WARN', requestedLevel: 'DEBUG', lambdaLogLevel: 'WARN' });
  });

  it('lets the option win over every variable but the Lambda filter', () => {
    const { logging } = resolve({ LOOKOUT_LOG_LEVEL: 'ERROR' }, { logging: { level: 'TRACE' } }).config;
    expect(logging.level).toBe('TRACE');
    const filtered = resolve({ AWS_LAMBDA_LOG_LEVEL: 'INFO' }, { logging: { level: 'ERROR' } }).config;
    expect(filtered.logging).toMatchObject({
      level: 'INFO',
      requestedLevel: 'ERROR',
      lambdaLogLevel: 'INFO',
    });
  });

  it('reads POWERTOOLS_LOGGER_LOG_EVENT as Powertools does, without throwing on a bad value', () => {
    expect(resolve({ POWERTOOLS_LOGGER_LOG_EVENT: 'TRUE' }).config.logging.logEvent).toBe(true);
    expect(
      resolve({ POWERTOOLS_LOGGER_LOG_EVENT: 'true', LOOKOUT_LOG_EVENT: 'false' }).config.logging.logEvent,
    ).toBe(false);
    const invalid = resolve({ POWERTOOLS_LOGGER_LOG_EVENT: 'yes' });
    expect(invalid.config.logging.logEvent).toBe(false);
    expect(invalid.warnings.map((warning) => warning.variable)).toEqual(['POWERTOOLS_LOGGER_LOG_EVENT']);
  });

  it('reads the sample rate and POWERTOOLS_DEV the way Powertools does', () => {
    expect(resolve({ POWERTOOLS_LOGGER_SAMPLE_RATE: '0.25' }).config.logging.sampleRate).toBe(0.25);
    for (const value of ['true', '1', 'yes', 'ON']) {
      expect(resolve({ POWERTOOLS_DEV: value }).config.logging.pretty).toBe(true);
    }
    expect(resolve({ POWERTOOLS_DEV: 'false' }).config.logging.pretty).toBe(false);
    expect(resolve({ POWERTOOLS_DEV: 'true', LOOKOUT_LOG_PRETTY: 'false' }).config.logging.pretty).toBe(
      false,
    );
  });

  it('warns about an invalid variable and falls back', () => {
    const { config, warnings } = resolve({
      POWERTOOLS_LOG_LEVEL: 'loud',
      POWERTOOLS_LOGGER_SAMPLE_RATE: '2',
    });
    expect(config.logging.level).toBe('INFO');
    expect(config.logging.sampleRate).toBe(0);
    expect(warnings.map((warning) => warning.variable)).toEqual(
      expect.arrayContaining(['POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_LOGGER_SAMPLE_RATE']),
    );
  });

  it('turns logging off with enabled: false or logging.enabled: false, not with OTEL_SDK_DISABLED', () => {
    expect(resolve({ OTEL_SDK_DISABLED: 'true' }).config.logging.enabled).toBe(true);
    expect(resolve({}, { enabled: false }).config.logging.enabled).toBe(false);
    expect(resolve({ LOOKOUT_LOGGING_ENABLED: 'false' }).config.logging.enabled).toBe(false);
  });

  it('reads redaction lists from the environment', () => {
    const { redaction } = resolve({
      LOOKOUT_LOG_REDACT_KEYS: 'x-session,tenantCode',
      LOOKOUT_LOG_REDACT_DISABLED_RULES: 'email,jwt',
      LOOKOUT_LOG_REDACT_PATHS: 'user.*.ssn,headers["x-a"]',
      LOOKOUT_LOG_REDACT_CENSOR: '***',
    }).config.logging;
    expect(redaction).toMatchObject({
      keys: ['x-session', 'tenantCode'],
      disabledRules: ['email', 'jwt'],
      paths: ['user.*.ssn', 'headers["x-a"]'],
      censor: '***',
    });
  });

  it('drops a malformed path from the environment with a warning', () => {
    const { config, warnings } = resolve({ LOOKOUT_LOG_REDACT_PATHS: 'good.path,bad..path' });
    expect(config.logging.redaction.paths).toEqual(['good.path']);
    expect(warnings.some((warning) => warning.message.includes('bad..path'))).toBe(true);
  });

  it('throws LookoutConfigError for a malformed path option', () => {
    expect(() => resolve({}, { logging: { redaction: { paths: ['a[x]'] } } })).toThrow(LookoutConfigError);
    try {
      resolve({}, { logging: { redaction: { paths: ['a[x]'] } } });
    } catch (error) {
      expect((error as LookoutConfigError).option).toBe('logging.redaction.paths');
    }
  });

  it('keeps RegExp patterns as source and flags, without freezing the caller RegExp', () => {
    const pattern = /ord-\d+/gi;
    const { config } = resolve({}, { logging: { redaction: { patterns: [pattern] } } });
    expect(config.logging.redaction.patterns).toEqual([{ source: 'ord-\\d+', flags: 'gi' }]);
    expect(Object.isFrozen(pattern)).toBe(false);
    expect('ord-1 ord-2'.replace(pattern, 'x')).toBe('x x');
  });

  it.each([
    [{ patterns: 'ord-\\d+' }, 'logging.redaction.patterns'],
    [{ patterns: ['ord-\\d+'] }, 'logging.redaction.patterns[0]'],
    [{ patterns: [/ok/, /a*/] }, 'logging.redaction.patterns[1]'],
  ])('rejects %j naming the option', (redaction, option) => {
    let caught: unknown;
    try {
      resolve({}, { logging: { redaction: redaction as never } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LookoutConfigError);
    expect((caught as LookoutConfigError).option).toBe(option);
  });

  it('rejects an unknown rule name or level in code', () => {
    expect(() => resolve({}, { logging: { redaction: { disabledRules: ['nope' as never] } } })).toThrow(
      /logging\.redaction\.disabledRules/,
    );
    expect(() => resolve({}, { logging: { level: 'debug' as never } })).toThrow(/logging\.level/);
    expect(() => resolve({}, { logging: { colour: true } as never })).toThrow(/logging\.colour/);
  });
});
