import { context as otelContext, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  describeError,
  diagnostics,
  ERROR_CODES,
  getLookout,
  type LambdaSettings,
  logger,
  type RequestContext,
  recordInvocation,
  runWithRequestContext,
  setInvocationContext,
  setInvocationRequestContext,
  takeColdStart,
  VERSION,
} from '../core.js';
import { createInvocationAttributes } from './create-invocation-attributes.js';
import { detectEventSource, type EventSourceInfo } from './event-source/index.js';
import { flushTelemetry } from './flush-telemetry.js';
import { logInvocationEvent } from './log-invocation-event.js';
import { readInvocationFacts, remainingTimeMs } from './read-lambda-context.js';
import { resolveTraceParent, xrayRootOf } from './resolve-trace-parent.js';
import { scheduleTimeoutWarning } from './schedule-timeout-warning.js';

/** How an invocation ended: the handler's result, or what it threw. */
export type InvocationOutcome = { readonly result: unknown } | { readonly error: unknown };

/**
 * One invocation in progress: the before / after / error steps `wrap()` and `middy()` share.
 * Created by `startInvocation()` (before); `end()` (after or error) runs once.
 */
export interface Invocation {
  /** Runs `fn` inside the invocation: its span is active and its keys are on every log line. */
  run<T>(fn: () => T): T;
  /**
   * Ends the span, logs and records an error, records the invocation's metrics and flushes
   * everything within the deadline. Never rejects; a second call returns the first's promise.
   */
  end(outcome: InvocationOutcome): Promise<void>;
}

const PASS_THROUGH: Invocation = { run: (fn) => fn(), end: async () => {} };

/** The response status of an HTTP event's invocation, as the caller will see it. */
function statusCodeOf(event: EventSourceInfo, result: unknown): number | undefined {
  if (event.trigger !== 'http') return undefined;
  const statusCode = (result as { statusCode?: unknown } | null | undefined)?.statusCode;
  if (typeof statusCode === 'number' && Number.isInteger(statusCode)) return statusCode;
  // An HTTP API takes any other result as a 200 with that body; REST and ALB reject it (502).
  return event.source === 'aws:apigateway:http' || event.source === 'aws:lambda:url' ? 200 : undefined;
}

function recordError(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  else span.recordException(typeof error === 'string' ? error : describeError(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : describeError(error),
  });
}

function logError(error: unknown): void {
  if (error instanceof Error) logger.error('Lambda invocation failed', error);
  else logger.error('Lambda invocation failed', { error: describeError(error) });
}

function begin(event: unknown, lambdaContext: unknown, settings: LambdaSettings): Invocation {
  const started = performance.now();
  const coldStart = takeColdStart();
  const facts = readInvocationFacts(lambdaContext);
  const source = detectEventSource(event);
  const parent = resolveTraceParent(facts.traceHeader, settings.traceContext, source);
  const functionName = facts.functionName ?? getLookout()?.config.runtime.lambda?.functionName ?? 'handler';

  // Asked for per invocation, not once at load: this entry may carry its own copy of the api,
  // and a tracer taken before init() registered the provider would stay a no-op.
  const span = trace.getTracer('lookout/lambda', VERSION).startSpan(
    source.operation ?? functionName,
    {
      kind: SpanKind.SERVER,
      attributes: createInvocationAttributes({ ...facts, coldStart }, source),
      links: parent.links,
    },
    parent.context,
  );
  const activeContext = trace.setSpan(parent.context, span);
  const requestContext: RequestContext = { function_name: functionName, cold_start: coldStart };
  if (facts.requestId !== undefined) requestContext.function_request_id = facts.requestId;
  const xrayTraceId = xrayRootOf(facts.traceHeader);
  if (xrayTraceId !== undefined) requestContext.xray_trace_id = xrayTraceId;

  // Fallbacks for code that runs outside run() (middy calls the handler itself).
  setInvocationContext(activeContext);
  setInvocationRequestContext(requestContext);
  const run = <T>(fn: () => T): T =>
    runWithRequestContext(requestContext, () => otelContext.with(activeContext, fn));

  const cancelWarning = scheduleTimeoutWarning(
    remainingTimeMs(lambdaContext),
    settings.deadlineMarginMs,
    (left) =>
      run(() => {
        span.addEvent('lookout.lambda.timeout_warning', { 'lookout.lambda.remaining_ms': left });
        logger.warn('Lambda invocation is about to time out', { remaining_ms: left });
      }),
  );

  const finish = async (outcome: InvocationOutcome): Promise<void> => {
    cancelWarning();
    const failed = 'error' in outcome;
    let statusCode: number | undefined;
    try {
      if (failed) {
        recordError(span, outcome.error);
        run(() => logError(outcome.error));
      } else {
        statusCode = statusCodeOf(source, outcome.result);
        if (statusCode !== undefined) {
          span.setAttribute('http.response.status_code', statusCode);
          if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        }
      }
      span.end();
    } finally {
      setInvocationContext(undefined);
      setInvocationRequestContext(undefined);
    }
    recordInvocation({
      operation: source.operation,
      durationMs: performance.now() - started,
      coldStart,
      failed,
      statusCode,
    });
    const remaining = remainingTimeMs(lambdaContext);
    const budget =
      remaining === undefined
        ? settings.flushTimeoutMs
        : Math.min(settings.flushTimeoutMs, remaining - settings.deadlineMarginMs);
    await flushTelemetry(budget, settings.flushTimeoutMs > 0);
  };

  let ending: Promise<void> | undefined;
  return {
    run,
    end: (outcome) => {
      ending ??= finish(outcome).catch((error: unknown) => {
        diagnostics.errorOnce(
          'lambda-end',
          ERROR_CODES.INTERNAL,
          `Ending a Lambda invocation failed: ${describeError(error)}`,
        );
      });
      return ending;
    },
  };
}

/**
 * Starts an invocation (the shared "before" step of `wrap()` and `middy()`): takes the cold
 * start, recognises the event source, starts the SERVER span under the right parent, and sets
 * the logger's invocation keys. Never throws: if anything fails, the handler runs untraced.
 *
 * @example
 * const invocation = startInvocation(event, context, settings);
 * try { result = await invocation.run(() => handler(event, context)); }
 * catch (error) { await invocation.end({ error }); throw error; }
 * await invocation.end({ result });
 */
export function startInvocation(
  event: unknown,
  lambdaContext: unknown,
  settings: LambdaSettings,
): Invocation {
  let invocation: Invocation;
  try {
    invocation = begin(event, lambdaContext, settings);
  } catch (error) {
    diagnostics.errorOnce(
      'lambda-start',
      ERROR_CODES.INTERNAL,
      `A Lambda invocation could not be instrumented and runs without Lookout: ${describeError(error)}`,
    );
    return PASS_THROUGH;
  }
  logInvocationEvent(invocation, event);
  return invocation;
}
