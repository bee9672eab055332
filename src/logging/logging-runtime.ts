import {
  type Config,
  getConfig,
  getConfigGeneration,
  type LoggingConfig,
  resetConfigForTesting,
  setConfig,
} from '../config/index.js';
import { getProcessEnv, readEnv } from '../runtime/index.js';
import { createRedactionPolicy, type RedactionPolicy } from './redaction/index.js';

/** What every Lookout logger reads: the configuration in force and its compiled policy. */
export interface LoggingRuntime {
  /** The configuration's generation; loggers re-apply when it changes. */
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

let current: LoggingRuntime | undefined;

/**
 * The logging runtime of the configuration in force (src/config/current-config.ts); before
 * `init()`, of the one resolved from the environment. Rebuilt when the configuration is replaced.
 */
export function getLoggingRuntime(): LoggingRuntime {
  const config = getConfig();
  const generation = getConfigGeneration();
  if (current === undefined || current.generation !== generation) current = createRuntime(config, generation);
  return current;
}

/** The configuration's generation, for a cheap staleness check on every log call. */
export function getLoggingGeneration(): number {
  return getConfigGeneration();
}

/**
 * Installs `config` as the configuration in force (as `init()` does); every logger picks it up on
 * its next call.
 */
export function configureLogging(config: Config): LoggingRuntime {
  setConfig(config);
  return getLoggingRuntime();
}

/** Forgets the configuration (tests): the next read resolves it from the environment again. */
export function resetLoggingForTesting(): void {
  resetConfigForTesting();
}
