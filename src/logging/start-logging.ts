import { type Config, LOG_LEVEL_ORDER } from '../config/index.js';
import { diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';
import { configureLogging } from './logging-runtime.js';
import { startOtlpLogs } from './otlp/start-otlp-logs.js';
import { flushLogLines } from './write-log-line.js';

/** The logging part as init() holds it. */
export interface LoggingHandle {
  /** Whether log records are exported (over OTLP), besides the lines on stdout. */
  readonly exports: boolean;
  /** Resolves once every line written so far has left the process (stdout drained). */
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Applies the resolved configuration to every Lookout logger, including `logger` and the
 * children created before `init()` (each picks it up on its next call). Also called when
 * Lookout is disabled, so that the logger goes quiet instead of keeping its defaults.
 */
export function startLogging(config: Config): LoggingHandle {
  const { logging } = config;
  // Powertools warns in the same case (a level more verbose than the filter): those lines
  // would be lost. A less verbose request simply gives way to the filter, as in Powertools.
  const filter = logging.lambdaLogLevel;
  if (
    logging.enabled &&
    filter !== undefined &&
    LOG_LEVEL_ORDER[logging.requestedLevel] < LOG_LEVEL_ORDER[filter]
  ) {
    diagnostics.warnOnce(
      'log-level-filtered',
      ERROR_CODES.LOG_LEVEL_FILTERED,
      `Log level ${logging.requestedLevel} is more verbose than this function's log-level filter (AWS_LAMBDA_LOG_LEVEL=${filter}); Lambda would drop the extra lines, so ${logging.level} is used.`,
    );
  }
  configureLogging(config);
  // Lines are written synchronously into process.stdout, so there is nothing of Lookout's own
  // to flush; what can still be pending is Node's buffer in front of a slow pipe, and, when
  // logs go over OTLP too, the log records' batch.
  const otlp = startOtlpLogs(config);
  if (otlp === undefined) return { exports: false, forceFlush: flushLogLines, shutdown: flushLogLines };
  return {
    exports: true,
    forceFlush: async () => {
      await Promise.all([flushLogLines(), otlp.forceFlush()]);
    },
    shutdown: async () => {
      await Promise.all([flushLogLines(), otlp.shutdown()]);
    },
  };
}
