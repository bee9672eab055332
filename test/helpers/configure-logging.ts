// Configures Lookout's logging as init() would, from options and an environment, without
// starting anything else: for unit tests of what the logger (or a direct writer) prints.
import { type LookoutOptions, resolveConfig } from '../../src/config/index.js';
import { configureLogging } from '../../src/logging/index.js';
import { detectRuntime } from '../../src/runtime/index.js';

export function configureLoggingForTest(
  options: LookoutOptions = {},
  env: Record<string, string | undefined> = process.env,
): void {
  const { config } = resolveConfig({
    env,
    options,
    runtime: detectRuntime(env, () => undefined),
    appPackage: { name: 'unit-app', version: '1.0.0' },
  });
  configureLogging(config);
}
