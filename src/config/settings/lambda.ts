import { LAMBDA_TRACE_CONTEXTS } from '../options.js';
import { defineSettings } from '../setting.js';

/** Settings of the Lambda wrapper (`lookout/lambda`, the layer); `wrap()` options override them. */
export const LAMBDA_SETTINGS = defineSettings([
  {
    path: 'lambda.traceContext',
    env: 'LOOKOUT_LAMBDA_TRACE_CONTEXT',
    type: 'enum',
    values: LAMBDA_TRACE_CONTEXTS,
    default: 'lambda',
    defaultText: '`lambda`',
    description:
      "Which trace an invocation's span continues. `lambda`: the invocation's X-Ray trace header, set by Lambda (when the header is not sampled, as with active tracing off, it becomes a span link and the span starts its own trace). `http`: for API Gateway, ALB and function URL events, the caller's `traceparent` / `X-Amzn-Trace-Id` request headers (the Lambda header becomes a span link), falling back to `lambda` when the request carries none.",
  },
  {
    path: 'lambda.flushTimeoutMs',
    env: 'LOOKOUT_LAMBDA_FLUSH_TIMEOUT_MS',
    type: 'integer',
    min: 0,
    max: 900_000,
    default: 2000,
    defaultText: '`2000`',
    description:
      'Longest time the telemetry flush at the end of each invocation may take. It is also cut short `lambda.deadlineMarginMs` before the invocation deadline, so Lookout never makes a function time out; what is left is sent with the next flush.',
  },
  {
    path: 'lambda.deadlineMarginMs',
    env: 'LOOKOUT_LAMBDA_DEADLINE_MARGIN_MS',
    type: 'integer',
    min: 0,
    max: 900_000,
    default: 500,
    defaultText: '`500`',
    description:
      'Time kept free before the invocation deadline: a timeout warning is recorded on the span this long before it, and the end-of-invocation flush never runs into it.',
  },
  {
    path: 'lambda.deliverAfterResponse',
    env: 'LOOKOUT_LAMBDA_DELIVER_AFTER_RESPONSE',
    type: 'boolean',
    default: true,
    defaultText: '`true`',
    description:
      "Answer first, deliver after. Where Lambda's Extensions API is available (`AWS_LAMBDA_RUNTIME_API`), Lookout registers an internal extension in the init phase; each invocation's result then goes back at once, and its spans and metrics are delivered after the response, before the environment freezes, within the same flush budget. The caller no longer waits for telemetry; the billed duration still includes the delivery. `false` waits for the delivery before answering, as happens anyway without the Extensions API (a local run, a test).",
  },
  {
    path: 'lambda.logLinesAfterResponse',
    env: 'LOOKOUT_LAMBDA_LOG_LINES_AFTER_RESPONSE',
    type: 'boolean',
    default: false,
    defaultText: '`false`',
    description:
      "With answer first on (`lambda.deliverAfterResponse`) and the extension registered, Lookout's log lines are written at the end of the event loop turn they were logged in, each turn's lines in one write, so a line logged before the handler returns goes out after the response: the caller saves the write, about 7 µs a line in the benchmark's runtime once warm. The cost: a handler that blocks the event loop until Lambda stops it at the timeout (an endless loop, a runaway regular expression) loses the lines it logged in that last turn, which by default are already on stdout. Once on, it holds for every handler in the process.",
  },
]);
