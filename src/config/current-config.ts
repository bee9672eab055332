// The one configuration every part and adapter reads. Before `init()` it is resolved lazily
// from the environment alone; `init()` replaces it with the configuration resolved from its
// options. Nothing else resolves a configuration, so code that runs before `init()` (a logger
// made at import time, middleware mounted before it) and code that runs after agree on every
// setting.
import { diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';
import { detectRuntime, getProcessEnv } from '../runtime/index.js';
import { type Config, resolveConfig } from './resolve-config.js';

let current: Config | undefined;
let generation = 0;

/**
 * The configuration used before `init()`: the environment alone, read without any I/O (no
 * system files, no package.json), so that importing `lookout` stays cheap.
 */
function configFromEnvironment(): Config {
  const env = getProcessEnv();
  const appPackage = { name: undefined, version: undefined };
  let resolved: ReturnType<typeof resolveConfig>;
  try {
    resolved = resolveConfig({ env, runtime: detectRuntime(env, () => undefined), appPackage });
  } catch {
    // Without options nothing should throw; if something does, Lookout still works on defaults.
    resolved = resolveConfig({ env: {}, runtime: detectRuntime({}, () => undefined), appPackage });
  }
  const { config, warnings } = resolved;
  // The same keys init() uses, so a bad variable is reported once whichever comes first.
  for (const warning of warnings)
    diagnostics.warnOnce(`env:${warning.variable}`, ERROR_CODES.ENV_INVALID, warning.message);
  return config;
}

/**
 * The configuration in force: the one `init()` installed, or before it the one resolved from the
 * environment on first use.
 *
 * @example
 * getConfig().excludedPaths; // ['/health', ...]
 */
export function getConfig(): Config {
  current ??= configFromEnvironment();
  return current;
}

/** Increases each time the configuration is replaced: a cheap staleness check for what derives from it. */
export function getConfigGeneration(): number {
  return generation;
}

/** Installs the configuration `init()` resolved; everything reads it from the next call on. */
export function setConfig(config: Config): void {
  generation += 1;
  current = config;
}

/** Forgets the configuration (tests): the next read resolves it from the environment again. */
export function resetConfigForTesting(): void {
  generation += 1;
  current = undefined;
}
