import { getProcessEnv, readEnv, readField } from '../core.js';
import type { LambdaContext } from './types.js';

/**
 * A non-empty string field of the context. Read with `readField`: a getter or a Proxy trap of a
 * hand-made context may throw, and the facts are read as the invocation starts, where a throw
 * would leave the whole invocation untraced.
 */
function stringField(context: unknown, key: string): string | undefined {
  const value = readField(context, key);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** What Lookout reads from the context object Lambda passes; any field may be missing or unreadable. */
export interface InvocationFacts {
  readonly requestId: string | undefined;
  readonly functionName: string | undefined;
  readonly invokedArn: string | undefined;
  /** The invocation's X-Ray trace header. */
  readonly traceHeader: string | undefined;
}

/**
 * Reads the invocation's facts. The trace header comes from the context when the runtime puts
 * it there (newer runtimes, where invocations may share a process), else from
 * `_X_AMZN_TRACE_ID`, which the runtime sets before each invocation.
 */
export function readInvocationFacts(context: unknown): InvocationFacts {
  return {
    requestId: stringField(context, 'awsRequestId'),
    functionName: stringField(context, 'functionName'),
    invokedArn: stringField(context, 'invokedFunctionArn'),
    traceHeader: stringField(context, 'xRayTraceId') ?? readEnv(getProcessEnv(), '_X_AMZN_TRACE_ID'),
  };
}

/** Milliseconds left in the invocation, or undefined when the context cannot say. Never throws. */
export function remainingTimeMs(context: unknown): number | undefined {
  try {
    const read = (context as LambdaContext | undefined)?.getRemainingTimeInMillis;
    if (typeof read !== 'function') return undefined;
    const remaining = read.call(context);
    return typeof remaining === 'number' && Number.isFinite(remaining) ? remaining : undefined;
  } catch {
    return undefined;
  }
}
