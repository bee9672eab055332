import { describeError, diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';
import { noteTelemetry } from '../runtime/index.js';
import { metrics } from './lookout-metrics.js';
import type { InvocationRecord, MetricRecorder, RequestRecord } from './metric-recorder.js';
import { writeTogether } from './write-to-stdout.js';

// The recorder `init()` started, if any. Until then (and when metrics are off) every function
// below is a cheap no-op, so adapters can call them unconditionally.
let active: MetricRecorder | undefined;

// Runs once per recorded invocation (Lambda: that invocation's runtime metrics).
let onInvocation: (() => void) | undefined;

// Runs when an invocation starts (Lambda: resumes the runtime metrics' event-loop delay).
let onInvocationStart: (() => void) | undefined;

/** Installs (or removes) what runs when an invocation starts. @internal */
export function setOnInvocationStart(hook: (() => void) | undefined): void {
  onInvocationStart = hook;
}

/** Tells metrics an invocation starts: a no-op unless runtime metrics run on Lambda. @internal */
export function noteInvocationStart(): void {
  if (onInvocationStart !== undefined) guard('runtime', onInvocationStart);
}

/** Installs (or removes) what runs with every recorded invocation. @internal */
export function setOnInvocation(hook: (() => void) | undefined): void {
  onInvocation = hook;
}

/** Installs (or, with `undefined`, removes) the recorder the functions below feed. @internal */
export function setActiveRecorder(recorder: MetricRecorder | undefined): void {
  active = recorder;
}

function guard(what: string, work: () => void): void {
  try {
    work();
  } catch (error) {
    // Nothing in the recorder is expected to throw; if it does, the app must not notice
    // (docs/design.md decision 4).
    diagnostics.errorOnce(
      `metrics:internal:${what}`,
      ERROR_CODES.INTERNAL,
      `Metrics ${what} failed: ${describeError(error)}`,
    );
  }
}

/**
 * Records one finished HTTP request: `RequestCount` +1, `Error` +1 for 4xx, `Fault` +1 for
 * 5xx, and the duration as a `Latency` sample, under Service, Environment and
 * Operation = `METHOD route-template` (`GET /orders/:id`; `GET UNMATCHED` when no route
 * matched). For adapters (the Express `observe()` middleware), which call it once per
 * response after excluding health checks (`excludedPaths`). Never throws; a record with an
 * invalid status code or duration is dropped with one diagnostic.
 *
 * @example
 * res.on('finish', () =>
 *   recordRequest({ method: req.method, route: routeTemplate(req), statusCode: res.statusCode, durationMs }),
 * );
 */
export function recordRequest(record: RequestRecord): void {
  if (active === undefined) return;
  const recorder = active;
  guard('recordRequest', () => recorder.recordRequest(record));
  noteTelemetry();
}

/**
 * Records one Lambda invocation: `Invocations` +1, `Error`/`Fault` from the outcome, the
 * duration as a `Latency` sample, and `ColdStart` +1 when `coldStart` is true. For the Lambda
 * wrapper, which calls it once per invocation (also when the handler throws) and then
 * {@link flushInvocationMetrics}.
 *
 * Cold start has one owner: the wrapper calls `takeColdStart()` (src/runtime) exactly once per
 * invocation and passes the same boolean here and to the logger. Nothing in the metrics part
 * reads or consumes the cold-start state itself.
 *
 * @example
 * const coldStart = takeColdStart();
 * try { return await handler(event, context); }
 * catch (error) { failed = true; throw error; }
 * finally {
 *   recordInvocation({ durationMs: performance.now() - started, coldStart, failed });
 *   flushInvocationMetrics();
 * }
 */
export function recordInvocation(record: InvocationRecord): void {
  if (active === undefined) return;
  const recorder = active;
  guard('recordInvocation', () => recorder.recordInvocation(record));
  if (onInvocation !== undefined) guard('runtime', onInvocation);
  noteTelemetry();
}

/**
 * Adds `value` (default 1) to the count `name` under Service, Environment and `dimensions`.
 * For the audit and security code (`AuditEvents` by Action and Status, `SuspiciousRequest` by
 * Rule); dimension values must have bounded cardinality. Never throws; invalid input is
 * dropped with one diagnostic.
 *
 * @example
 * countMetric(METRIC_NAMES.auditEvents, { Action: 'user.login', Status: 'success' });
 */
export function countMetric(
  name: string,
  dimensions: Readonly<Record<string, string>> = {},
  value = 1,
): void {
  if (active === undefined) return;
  const recorder = active;
  guard('countMetric', () => recorder.count(name, dimensions, value));
  noteTelemetry();
}

/**
 * Writes everything buffered now: Lookout's aggregated metrics and whatever the app added to
 * `metrics`. Synchronous (stdout writes to a pipe or file are), never throws. The Lambda
 * wrapper calls it at the end of every invocation, in a `finally` so a throwing handler's
 * metrics are written too; the server flush timer and `shutdown()` call it as well.
 *
 * @example
 * try { return await handler(event, context); } finally { flushInvocationMetrics(); }
 */
export function flushInvocationMetrics(): void {
  const recorder = active;
  if (recorder !== undefined) guard('flush', () => recorder.flush());
  guard('publish', () => metrics.publishOrDiscard());
}

/**
 * Records one Lambda invocation and writes every metric buffered with it: what
 * `recordInvocation(record)` then `flushInvocationMetrics()` write, in one write to stdout, with
 * the invocation's own document written from its fixed text when nothing else is aggregated
 * (docs/decisions/0014-lambda-delivery-after-the-response.md). For the Lambda delivery, once
 * per invocation. Never throws.
 *
 * @example
 * recordAndFlushInvocation({ operation: 'GET /orders/{id}', durationMs: 12.5, coldStart: false, statusCode: 200 });
 */
export function recordAndFlushInvocation(record: InvocationRecord): void {
  try {
    writeTogether(publishInvocation.bind(undefined, record));
  } catch (error) {
    diagnostics.errorOnce(
      'metrics:internal:recordAndFlushInvocation',
      ERROR_CODES.INTERNAL,
      `Metrics recordAndFlushInvocation failed: ${describeError(error)}`,
    );
  }
}

function publishInvocation(record: InvocationRecord): void {
  const recorder = active;
  if (recorder !== undefined) {
    // The invocation's runtime sample (when on) goes into the same write as its own document.
    if (onInvocation !== undefined) guard('runtime', onInvocation);
    guard('recordInvocation', () => recorder.writeInvocation(record));
  }
  guard('publish', () => metrics.publishOrDiscard());
}
