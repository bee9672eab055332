import { type Config, type LoggingConfig, resolveConfig } from '../config/index.js';
import { diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';
import { detectRuntime, getProcessEnv, readEnv } from '../runtime/index.js';
import { createRedactionPolicy, type RedactionPolicy } from './redaction/index.js';

/** What every Lookout logger reads: the configuration in force and its compiled policy. */
export interface LoggingRuntime {
  /** Increases each time `init()` configures logging; loggers re-apply when it changes. */
  readonly generation: number;
  readonly serviceName: string;
  readonly environment: string;
  readonly logging: LoggingConfig;
  /** Compiled on first use: a process that never logs never compiles it. */
  readonly policy: RedactionPolicy;
  /** Whether timestamps are plain UTC ISO strings (TZ unset or UTC), decided once. */
  readonly utcTimestamps: boolean;
}

function createRuntime(config: Config, generation: number): LoggingRuntime {
  let policy: RedactionPolicy | undefined;
  const { logging } = config;
  const tz = readEnv(getProcessEnv(), 'TZ');
  return {
    generation,
    serviceName: config.serviceName,
    environment: config.environment,
    logging,
    get policy() {
      policy ??= createRedactionPolicy({
        ...logging.redaction,
        maxDepth: logging.maxDepth,
        maxStringLength: logging.maxStringLength,
        maxLineValues: logging.maxLineValues,
        maxLineBytes: logging.maxLineBytes,
        stackAsLines: logging.pretty,
      });
      return policy;
    },
    // Powertools formats local time only when TZ names a zone other than UTC.
    utcTimestamps: tz === undefined || tz.includes('UTC'),
  };
}

/**
 * The configuration used before `init()`: the environment alone, read without any I/O (no
 * system files, no package.json), so that importing `lookout` stays cheap. `init()` then
 * replaces it with the full configuration.
 */
function configFromEnvironment(): Config {
  const env = getProcessEnv();
  const appPackage = { name: undefined, version: undefined };
  let resolved: ReturnType<typeof resolveConfig>;
  try {
    resolved = resolveConfig({ env, runtime: detectRuntime(env, () => undefined), appPackage });
  } catch {
    // Without options nothing should throw; if something does, logging still works on defaults.
    resolved = resolveConfig({ env: {}, runtime: detectRuntime({}, () => undefined), appPackage });
  }
  const { config, warnings } = resolved;
  // The same keys init() uses, so a bad variable is reported once whichever comes first.
  for (const warning of warnings)
    diagnostics.warnOnce(`env:${warning.variable}`, ERROR_CODES.ENV_INVALID, warning.message);
  return config;
}

let current: LoggingRuntime | undefined;
let generation = 0;

/** The logging runtime in force; before `init()`, the one built from the environment. */
export function getLoggingRuntime(): LoggingRuntime {
  current ??= createRuntime(configFromEnvironment(), generation);
  return current;
}

/** The current generation, for a cheap staleness check on every log call. */
export function getLoggingGeneration(): number {
  return generation;
}

/** Installs `config` as the logging configuration; every logger picks it up on its next call. */
export function configureLogging(config: Config): LoggingRuntime {
  generation += 1;
  current = createRuntime(config, generation);
  return current;
}

/** Forgets the configuration (tests): the next read rebuilds it from the environment. */
export function resetLoggingForTesting(): void {
  generation += 1;
  current = undefined;
}
