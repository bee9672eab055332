import { describe, expect, it } from 'vitest';
import { resolveLambdaOptions } from '../../../src/config/index.js';
import { LookoutConfigError } from '../../../src/errors/index.js';

const BASE = {
  traceContext: 'lambda',
  flushTimeoutMs: 2000,
  deadlineMarginMs: 500,
  deliverAfterResponse: true,
  logLinesAfterResponse: false,
} as const;

describe('per-handler Lambda options', () => {
  it('keeps the resolved settings when no options are given', () => {
    expect(resolveLambdaOptions(BASE, undefined)).toBe(BASE);
    expect(resolveLambdaOptions(BASE, {})).toEqual(BASE);
  });

  it('lays the given options over the resolved settings', () => {
    expect(
      resolveLambdaOptions(BASE, {
        traceContext: 'http',
        flushTimeoutMs: 250,
        deliverAfterResponse: false,
        logLinesAfterResponse: true,
      }),
    ).toEqual({
      traceContext: 'http',
      flushTimeoutMs: 250,
      deadlineMarginMs: 500,
      deliverAfterResponse: false,
      logLinesAfterResponse: true,
    });
  });

  it.each([
    [{ traceContext: 'caller' }, 'lambda.traceContext'],
    [{ flushTimeoutMs: -1 }, 'lambda.flushTimeoutMs'],
    [{ deadlineMarginMs: 'soon' }, 'lambda.deadlineMarginMs'],
    [{ deliverAfterResponse: 'yes' }, 'lambda.deliverAfterResponse'],
    [{ logLinesAfterResponse: 1 }, 'lambda.logLinesAfterResponse'],
    [{ flushTimeout: 100 }, 'lambda.flushTimeout'],
  ])('throws LookoutConfigError naming the option for %j', (options, option) => {
    expect(() => resolveLambdaOptions(BASE, options as never)).toThrow(LookoutConfigError);
    try {
      resolveLambdaOptions(BASE, options as never);
    } catch (error) {
      expect((error as LookoutConfigError).option).toBe(option);
    }
  });

  it('throws for options that are not an object', () => {
    expect(() => resolveLambdaOptions(BASE, 'http' as never)).toThrow(LookoutConfigError);
  });
});
