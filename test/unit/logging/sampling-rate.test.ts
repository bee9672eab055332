import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LookoutOptions, resolveConfig } from '../../../src/config/index.js';
import {
  captureLogLinesForTesting,
  configureLogging,
  logger,
  resetLoggingForTesting,
} from '../../../src/logging/index.js';
import { detectRuntime } from '../../../src/runtime/index.js';

let lines: string[] = [];
let restoreCapture: () => void = () => {};

function configure(options: LookoutOptions): void {
  const { config } = resolveConfig({
    env: {},
    options,
    runtime: detectRuntime({}, () => undefined),
    appPackage: { name: 'unit-app', version: '1.0.0' },
  });
  configureLogging(config);
}

beforeEach(() => {
  lines = [];
  restoreCapture = captureLogLinesForTesting((line) => lines.push(line));
});

afterEach(() => {
  restoreCapture();
  resetLoggingForTesting();
});

describe('sampling_rate on log lines', () => {
  it('is left out when debug sampling is not configured', () => {
    configure({});
    logger.info('no sampling');

    const [line] = lines.map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(line).toMatchObject({ message: 'no sampling' });
    expect(line).not.toHaveProperty('sampling_rate');
  });

  it('carries the configured rate when debug sampling is on', () => {
    configure({ logging: { sampleRate: 0.25 } });
    logger.warn('sampling');

    const [line] = lines.map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(line).toMatchObject({ message: 'sampling', sampling_rate: 0.25 });
  });
});
