export type { SpanCorrelation } from './correlation.js';
export { getSpanCorrelation, putTraceCorrelation, TRACE_KEYS } from './correlation.js';
export { formatIsoTimestamp } from './iso-timestamp.js';
export { logger } from './logger.js';
export type { LoggingRuntime } from './logging-runtime.js';
export { configureLogging, getLoggingRuntime, resetLoggingForTesting } from './logging-runtime.js';
export { LookoutLogFormatter } from './lookout-log-formatter.js';
export { LookoutLogger } from './lookout-logger.js';
export { redact } from './redact.js';
export type { RedactionPolicy, RedactionPolicyOptions } from './redaction/index.js';
export { createRedactionPolicy } from './redaction/index.js';
export type { RequestContext } from './request-context.js';
export {
  getRequestContext,
  runWithRequestContext,
  setInvocationRequestContext,
  setRequestContextValues,
} from './request-context.js';
export type { LoggingHandle } from './start-logging.js';
export { startLogging } from './start-logging.js';
export {
  captureLogLinesForTesting,
  flushLogLines,
  holdLogLinesPerTurn,
  writeHeldLogLines,
  writeLogLine,
} from './write-log-line.js';
