import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/index.js';
import { LookoutConfigError } from '../../../src/errors/index.js';
import { detectRuntime } from '../../../src/runtime/index.js';

function resolve(logging: Record<string, unknown>) {
  return resolveConfig({ env: {}, options: { logging }, runtime: detectRuntime({}, () => undefined) }).config
    .logging.logBuffer;
}

describe('logging.logBufferOptions', () => {
  it('passes Powertools log buffering options through, under either name', () => {
    expect(
      resolve({ logBufferOptions: { maxBytes: 4096, bufferAtVerbosity: 'info', flushOnErrorLog: false } }),
    ).toEqual({
      maxBytes: 4096,
      bufferAtVerbosity: 'INFO',
      flushOnErrorLog: false,
    });
    expect(resolve({ logBufferingOptions: {} })).toEqual({});
    expect(resolve({})).toBeUndefined();
    expect(resolve({ logBufferOptions: { enabled: false } })).toBeUndefined();
  });

  it.each([
    [{ logBufferOptions: 'on' }, 'logging.logBufferOptions'],
    [{ logBufferOptions: { maxBytes: 0 } }, 'logging.logBufferOptions.maxBytes'],
    [{ logBufferOptions: { bufferAtVerbosity: 'ERROR' } }, 'logging.logBufferOptions.bufferAtVerbosity'],
    [{ logBufferOptions: { flush: true } }, 'logging.logBufferOptions.flush'],
    [{ logBufferingOptions: { enabled: 'yes' } }, 'logging.logBufferingOptions.enabled'],
    [{ logBufferOptions: {}, logBufferingOptions: {} }, 'logging.logBufferingOptions'],
  ])('refuses %j, naming %s', (logging, option) => {
    expect(() => resolve(logging)).toThrow(LookoutConfigError);
    try {
      resolve(logging);
    } catch (error) {
      expect((error as LookoutConfigError).option).toBe(option);
    }
  });
});
