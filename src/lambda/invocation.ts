import { type Context, context as otelContext, type Span, SpanStatusCode } from '@opentelemetry/api';
import {
  describeError,
  diagnostics,
  ERROR_CODES,
  endInvocationSpans,
  getInvocationLinkLimit,
  getLookout,
  type InvocationRecord,
  type LambdaSettings,
  logger,
  noteInvocationStart,
  type RequestContext,
  RequestScopeContext,
  recordAndFlushInvocation,
  recordThrownValue,
  setInvocationContext,
  setInvocationRequestContext,
  startInvocationSpan,
  takeColdStart,
  UNREADABLE_THROWN_VALUE,
  writeHeldLogLines,
} from '../core.js';
import { createInvocationAttributes } from './create-invocation-attributes.js';
import { detectEventSource, type EventSourceInfo } from './event-source/index.js';
import { getInternalExtension } from './extension/internal-extension.js';
import { flushTelemetry } from './flush-telemetry.js';
import { logInvocationEvent } from './log-invocation-event.js';
import { readInvocationFacts, remainingTimeMs } from './read-lambda-context.js';
import { resolveTraceParent, xrayRootOf } from './resolve-trace-parent.js';
import { cancelTimeoutWarning, scheduleTimeoutWarning } from './schedule-timeout-warning.js';
import type { HandlerSettings } from './types.js';

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
  /**
   * `end()` for a caller that can go on at once: undefined when nothing is left to wait for
   * (the delivery was handed over to the internal extension, or the invocation ended before),
   * else the delivery to wait for. Saves the answer the promise chain `end()` makes it wait on.
   */
  endNow(outcome: InvocationOutcome): Promise<void> | undefined;
  /**
   * The runtime refused the result the invocation ended with: it throws when it cannot serialise
   * it (a BigInt, a cycle) and reports that as the invocation's error. The invocation is then
   * recorded as failed with that error: span, log and metrics agree with the answer. Never throws.
   */
  refused(error: unknown): void;
  /**
   * The handler answered through the context (`fail`, `done`, `succeed`) before the invocation
   * ended: the runtime answers with that, ignores how the handler's promise settles and moves on
   * to the next invocation, so the invocation ends now, with that answer (the handler's promise
   * may never settle). Ignored once ended. Never throws.
   */
  answered(outcome: InvocationOutcome): void;
}

const DONE: Promise<void> = Promise.resolve();

function ignore(): void {}

const PASS_THROUGH: Invocation = {
  run: (fn) => fn(),
  end: () => DONE,
  endNow: () => undefined,
  refused: ignore,
  answered: ignore,
};

/**
 * The last invocation started, whose telemetry may not be out yet: a Lambda process runs one
 * invocation at a time. Read only when the process exits (`deliverAtExit()`).
 */
let latest: TracedInvocation | undefined;

/**
 * Delivers, synchronously, what the last invocation recorded and did not deliver yet, as the
 * process exits: 'exit' listeners run synchronously, and the runtime exits from its own
 * 'unhandledRejection' / 'uncaughtException' listener, with no turn of the event loop left. An
 * invocation still running is ended as failed with `reason`. Only what is written synchronously
 * gets out: the EMF document and the log lines (stdout is synchronous on Lambda, a pipe on
 * Linux), and the spans when they go to the X-Ray daemon (its sender hands a datagram to the OS
 * within the call); an OTLP export is started but cannot finish. Also called at SIGTERM, where
 * the shutdown flush that follows does finish it. Never throws.
 */
export function deliverAtExit(reason: unknown): void {
  const invocation = latest;
  latest = undefined;
  try {
    invocation?.deliverAtExit(reason);
  } catch (error) {
    reportEndFailure(error);
  }
}

function reportEndFailure(error: unknown): void {
  diagnostics.errorOnce(
    'lambda-end',
    ERROR_CODES.INTERNAL,
    `Ending a Lambda invocation failed: ${describeError(error)}`,
  );
}

/** The invocation's request id, read defensively (for an invocation that runs untraced). */
function requestIdOf(lambdaContext: unknown): string | undefined {
  const id = (lambdaContext as { awsRequestId?: unknown } | null | undefined)?.awsRequestId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Tells the internal extension, if any, that this invocation hands nothing over, so that it does
 * not hold the environment open for it. Never throws.
 */
export function releaseInvocation(lambdaContext: unknown): void {
  try {
    const requestId = requestIdOf(lambdaContext);
    if (requestId !== undefined) getInternalExtension()?.release(requestId);
  } catch {
    // Best effort: the extension stops waiting at the deadline margin anyway.
  }
}

/** The response status of an HTTP event's invocation, as the caller will see it. */
function statusCodeOf(
  trigger: EventSourceInfo['trigger'],
  source: EventSourceInfo['source'],
  result: unknown,
): number | undefined {
  if (trigger !== 'http') return undefined;
  let statusCode: unknown;
  try {
    statusCode = (result as { statusCode?: unknown } | null | undefined)?.statusCode;
  } catch {
    // A getter or a Proxy trap threw: the runtime cannot serialise the result either and
    // reports an error; the invocation's delivery must not be lost to it.
    return undefined;
  }
  if (typeof statusCode === 'number' && Number.isInteger(statusCode))
    return isHttpStatus(statusCode) ? statusCode : undefined;
  // API Gateway reads a string statusCode as the number it spells (`'503'` answers 503); any
  // other string is no status the caller gets, and what the gateway answers instead is unknown.
  if (typeof statusCode === 'string') return statusCodeFromText(statusCode);
  // An HTTP API takes any other result as a 200 with that body; REST and ALB reject it (502).
  return source === 'aws:apigateway:http' || source === 'aws:lambda:url' ? 200 : undefined;
}

/**
 * HTTP's status codes are 100 to 599 (RFC 9110): a result's 600 or 0 is not what the caller
 * gets, whatever it gets instead, and the metrics would drop the whole invocation for it.
 */
function isHttpStatus(code: number): boolean {
  return code >= 100 && code <= 599;
}

/** A status code written as text: three decimal digits, every HTTP status's form. */
const STATUS_CODE_TEXT = /^[0-9]{3}$/;

function statusCodeFromText(text: string): number | undefined {
  if (!STATUS_CODE_TEXT.test(text)) return undefined;
  const code = Number(text);
  return isHttpStatus(code) ? code : undefined;
}

/**
 * The most bytes a synchronous invocation's response may have: Lambda answers a larger one with
 * a `Function.ResponseSizeTooLarge` error, the caller gets no result (API Gateway answers 502).
 */
const MAX_RESPONSE_BYTES = 6_291_556;

/**
 * The error Lambda answers an HTTP event's result with when it is certainly over the response
 * limit, judged without serialising the result a second time: a string body with at least as
 * many characters as the limit has bytes (each is at least one byte of the JSON). Undefined
 * otherwise, also for a result too large in a way only its serialisation would show.
 */
function oversizeErrorOf(trigger: EventSourceInfo['trigger'], result: unknown): Error | undefined {
  if (trigger !== 'http' || typeof result !== 'object' || result === null) return undefined;
  let body: unknown;
  try {
    body = (result as { body?: unknown }).body;
  } catch {
    // A getter or a Proxy trap threw: the runtime cannot serialise the result (see refused()).
    return undefined;
  }
  if (typeof body !== 'string' || body.length < MAX_RESPONSE_BYTES) return undefined;
  const error = new Error(
    `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
  );
  error.name = 'Function.ResponseSizeTooLarge';
  return error;
}

function logError(error: unknown): void {
  try {
    if (error instanceof Error) logger.error('Lambda invocation failed', error);
    else logger.error('Lambda invocation failed', { error: describeError(error) });
  } catch {
    // The logger reads the error's fields before it writes: the line was not written.
    logger.error('Lambda invocation failed', { error: UNREADABLE_THROWN_VALUE });
  }
}

/**
 * One traced invocation. A class rather than closures: the invocation path runs per invocation
 * and every closure made there is an allocation (and, with the build's `keepNames`, a
 * `defineProperty` call); methods are made once (docs/decisions/0012-lambda-invocation-path.md).
 */
class TracedInvocation implements Invocation {
  readonly #settings: LambdaSettings;
  readonly #lambdaContext: unknown;
  readonly #started = performance.now();
  readonly #coldStart: boolean;
  readonly #requestId: string | undefined;
  // What the end reads of the event's source, not its description: a batch's holds the records,
  // for the trace headers read as the invocation starts, and an invocation is kept until the
  // next one starts (`latest`), so the event would be kept with it.
  readonly #source: EventSourceInfo['source'];
  readonly #trigger: EventSourceInfo['trigger'];
  readonly #operation: string | undefined;
  readonly #span: Span;
  /** The span and the log keys, in one context: the handler runs in one store's run. */
  readonly #runContext: Context;
  #ending: Promise<void> | undefined;
  /** The delivery of an invocation that ended with a result, until the runtime refuses that result. */
  #succeeded: Delivery | undefined;
  /** The delivery, once the invocation ended. */
  #delivery: Delivery | undefined;

  constructor(event: unknown, lambdaContext: unknown, settings: HandlerSettings) {
    this.#settings = settings;
    this.#lambdaContext = lambdaContext;
    noteInvocationStart();
    this.#coldStart = takeColdStart();
    const facts = readInvocationFacts(lambdaContext);
    this.#requestId = facts.requestId;
    const source = detectEventSource(event);
    this.#source = source.source;
    this.#trigger = source.trigger;
    this.#operation = source.operation;
    const parent = resolveTraceParent(
      facts.traceHeader,
      settings.traceContext,
      source,
      getInvocationLinkLimit(),
    );
    const functionName = facts.functionName ?? getLookout()?.config.runtime.lambda?.functionName ?? 'handler';

    // A lean span with tracing's parts, as a request's SERVER span is
    // (docs/decisions/0063-lean-invocation-spans.md).
    this.#span = startInvocationSpan(
      source.operation ?? functionName,
      createInvocationAttributes(facts, this.#coldStart, source),
      parent.links,
      parent.context,
    );
    const requestContext: RequestContext = { function_name: functionName, cold_start: this.#coldStart };
    if (facts.requestId !== undefined) requestContext.function_request_id = facts.requestId;
    const xrayTraceId = xrayRootOf(facts.traceHeader);
    if (xrayTraceId !== undefined) requestContext.xray_trace_id = xrayTraceId;
    // Powertools' key for the id `correlationIdPath` points at (wrap/middy option).
    const correlationId = settings.correlationIdOf?.(event);
    if (correlationId !== undefined) requestContext.correlation_id = correlationId;
    // The span and the keys in one context object (request-scope-context.ts).
    this.#runContext = new RequestScopeContext(parent.context, this.#span, undefined, requestContext);

    // Fallbacks for code that runs outside run() (middy calls the handler itself).
    setInvocationContext(this.#runContext);
    setInvocationRequestContext(requestContext);
    scheduleTimeoutWarning(remainingTimeMs(lambdaContext), settings.deadlineMarginMs, this);
    latest = this;
  }

  /** See `deliverAtExit()`. */
  deliverAtExit(reason: unknown): void {
    if (this.#ending === undefined) {
      // The runtime ends the process in the middle of the invocation: it failed, for `reason`.
      this.#ending = DONE;
      this.#delivery = this.#end({ error: reason });
    }
    this.#delivery?.deliverNow();
  }

  run<T>(fn: () => T): T {
    return otelContext.with(this.#runContext, fn);
  }

  /** Called by the timeout warning's timer, `marginMs` before the deadline. */
  warn(left: number): void {
    this.run(() => {
      this.#span.addEvent('lookout.lambda.timeout_warning', { 'lookout.lambda.remaining_ms': left });
      logger.warn('Lambda invocation is about to time out', { remaining_ms: left });
    });
  }

  end(outcome: InvocationOutcome): Promise<void> {
    if (this.#ending === undefined) this.endNow(outcome);
    return this.#ending ?? DONE;
  }

  endNow(outcome: InvocationOutcome): Promise<void> | undefined {
    if (this.#ending !== undefined) return this.#ending === DONE ? undefined : this.#ending;
    let delivering: Promise<void> | undefined;
    try {
      delivering = this.#finish(outcome);
    } catch (error) {
      reportEndFailure(error);
    }
    this.#ending = delivering === undefined ? DONE : delivering.catch(reportEndFailure);
    return delivering === undefined ? undefined : this.#ending;
  }

  refused(error: unknown): void {
    const delivery = this.#succeeded;
    // Not ended yet (the app's own call of `context.succeed`, whose throw the app gets) or ended
    // with an error already: the runtime's answer and the invocation's agree.
    if (delivery === undefined) return;
    this.#succeeded = undefined;
    try {
      this.run(() => logError(error));
      delivery.fail(error);
    } catch (failure) {
      reportEndFailure(failure);
    }
  }

  answered(outcome: InvocationOutcome): void {
    // Its delivery, if not handed over, is kept in #ending: the wrapper waits for it when the
    // handler's promise settles.
    if (this.#ending === undefined) this.endNow(outcome);
  }

  /** Ends the invocation; the delivery when it runs before the answer, undefined when handed over. */
  #finish(outcome: InvocationOutcome): Promise<void> | undefined {
    const delivery = this.#end(outcome);
    // Answer first, deliver after (docs/design.md decision 9, docs/decisions/0010): with the internal
    // extension registered, the span's end, the metrics and the flush run once the runtime has
    // posted the response, and the extension keeps the environment from freezing until they are done.
    const extension = this.#settings.deliverAfterResponse ? getInternalExtension() : undefined;
    if (extension?.state() === 'active' && this.#requestId !== undefined) {
      extension.handOver(this.#requestId, delivery.deliver);
      return undefined;
    }
    return delivery.deliver();
  }

  /** Records how the invocation ended (span status, error line) and makes its delivery. */
  #end(outcome: InvocationOutcome): Delivery {
    cancelTimeoutWarning(this);
    // The invocation ends now; its span is ended with this time by the delivery, which runs
    // after the response when the internal extension takes it (#finish), so ending the span and
    // the processors' work on it stay off the caller's path (docs/decisions/0071-invocation-span-ended-by-the-delivery.md).
    const endedAt = performance.now();
    let failed = 'error' in outcome;
    let statusCode: number | undefined;
    try {
      let error = 'error' in outcome ? outcome.error : undefined;
      if (!failed) {
        const result = (outcome as { readonly result: unknown }).result;
        // Lambda answers a result over its response limit with an error, and the runtime says
        // nothing of it to the handler: recorded as that error here.
        error = oversizeErrorOf(this.#trigger, result);
        failed = error !== undefined;
        if (!failed) statusCode = statusCodeOf(this.#trigger, this.#source, result);
      }
      if (failed) {
        recordThrownValue(this.#span, error);
        this.run(() => logError(error));
      }
    } finally {
      setInvocationContext(undefined);
      setInvocationRequestContext(undefined);
    }
    const settings = this.#settings;
    const delivery = new Delivery(
      this.#span,
      endedAt,
      {
        operation: this.#operation,
        durationMs: endedAt - this.#started,
        coldStart: this.#coldStart,
        failed,
        statusCode,
      },
      deliveryBudgetMs(settings, remainingTimeMs(this.#lambdaContext)),
      settings.flushTimeoutMs > 0,
    );
    if (!failed) this.#succeeded = delivery;
    this.#delivery = delivery;
    return delivery;
  }
}

/** Ends an invocation's span at `endedAt` (a `performance.now()` time), with its status code. */
function endInvocationSpan(span: Span, endedAt: number, statusCode: number | undefined): void {
  if (statusCode !== undefined) {
    span.setAttribute('http.response.status_code', statusCode);
    if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  }
  // Spans that end on the response's 'close' (Express behind serverless-express, whose
  // response never emits it) end with the invocation, before its own span.
  endInvocationSpans(span.spanContext().traceId, endedAt);
  span.end(endedAt);
}

/** How long an invocation's delivery may take: the flush timeout, cut at the deadline margin. */
function deliveryBudgetMs(settings: LambdaSettings, remaining: number | undefined): number {
  return remaining === undefined
    ? settings.flushTimeoutMs
    : Math.min(settings.flushTimeoutMs, remaining - settings.deadlineMarginMs);
}

/** An invocation's span end, metrics record and flush, run before or after the response. */
class Delivery {
  readonly #span: Span;
  readonly #endedAt: number;
  #record: InvocationRecord;
  readonly #budgetMs: number;
  readonly #wanted: boolean;
  #started = false;

  constructor(span: Span, endedAt: number, record: InvocationRecord, budgetMs: number, wanted: boolean) {
    this.#span = span;
    this.#endedAt = endedAt;
    this.#record = record;
    this.#budgetMs = budgetMs;
    this.#wanted = wanted;
  }

  /**
   * Ends the span, writes the invocation's metrics (with everything buffered, in one write) and
   * flushes the spans; never rejects. Bound: handed over as is.
   */
  readonly deliver = async (): Promise<void> => {
    if (this.#started) return;
    this.#begin();
    await flushTelemetry(this.#budgetMs, this.#wanted);
    // Lines held for the end of a turn (the app's, logged while the delivery ran) go out before
    // the extension returns to /next and the environment may freeze.
    writeHeldLogLines();
  };

  /** The delivery's synchronous part: the span's end and the metrics' write. */
  #begin(): void {
    this.#started = true;
    try {
      endInvocationSpan(this.#span, this.#endedAt, this.#record.statusCode);
    } catch (error) {
      reportEndFailure(error);
    }
    // Never throws (it reports through diagnostics).
    recordAndFlushInvocation(this.#record);
  }

  /**
   * The delivery as the process exits, synchronously: the span's end, the metrics and the held
   * log lines are written; the export is started, with nothing to wait for it. Nothing if the
   * delivery started before.
   */
  deliverNow(): void {
    if (this.#started) return;
    this.#begin();
    void flushTelemetry(0, false);
    writeHeldLogLines();
  }

  /**
   * Records the invocation as failed with `error`, if the delivery has not started: with the
   * internal extension it starts after the runtime answered, so the span and metrics agree with
   * the answer. Without it they went out before the answer and stay as they are (the log line
   * `refused()` writes is then the record).
   */
  fail(error: unknown): void {
    if (this.#started) return;
    recordThrownValue(this.#span, error);
    // The caller gets the runtime's error, not the result: no status code of the result's.
    this.#record = { ...this.#record, failed: true, statusCode: undefined };
  }
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
  settings: HandlerSettings,
): Invocation {
  let invocation: Invocation;
  try {
    invocation = new TracedInvocation(event, lambdaContext, settings);
  } catch (error) {
    releaseInvocation(lambdaContext);
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
