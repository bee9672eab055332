// Handlers that end in hostile ways: thrown values whose every reading throws, return values
// whose `then` throws. Real processes: the runtime interface client runs the wrapped handler
// against the Runtime API emulator, with Lookout's internal extension registered, so the
// invocation's telemetry is delivered after the response and the emulator records when the
// environment froze. Whatever the handler ended with, the runtime reports it as it would
// without Lookout, the invocation's span and metrics still go out, and the environment freezes
// once they are out, not at the deadline.
import { describe, expect, it } from 'vitest';
import { readEmf } from '../helpers/emf-reader.js';
import { useLambdaSandbox } from '../helpers/lambda-sandbox.js';
import { newLambdaTraceHeader } from '../helpers/lambda-trace-header.js';
import { fixture } from '../helpers/node-process.js';

const sandbox = useLambdaSandbox();

/** Long enough that an environment held until the deadline margin is told from one let go at once. */
const TIMEOUT_MS = 8000;

/** What the handler does, its name, and the error message the runtime reports where it is certain. */
const CASES: ReadonlyArray<readonly [string, string, string | undefined]> = [
  ['throws a value with no prototype', 'throwsNullPrototype', undefined],
  ['throws an Error whose stack getter throws', 'throwsUnreadableStack', undefined],
  ['returns an object whose then getter throws', 'thenGetterThrows', 'the then getter throws'],
];

describe.each(CASES)('a wrapped handler that %s', (_what, handler, errorMessage) => {
  it('fails the invocation as the runtime would, delivers its span and metrics, and lets the environment freeze', async () => {
    // Prepare
    const fn = await sandbox.startFunction({
      taskRoot: fixture('lambda'),
      handler: `hostile-handlers.${handler}`,
      freeze: true,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url, LOOKOUT_SERVICE_NAME: 'hostile' },
    });
    const trace = newLambdaTraceHeader();

    // Act
    const outcome = await sandbox.api.invoke({ event: {}, timeoutMs: TIMEOUT_MS, traceHeader: trace.header });
    const freeze = await sandbox.api.frozen(outcome.requestId, TIMEOUT_MS + 2000);
    const [span] = await sandbox.receiver.waitForSpans(
      (candidate) => candidate.kind === 'SERVER' && candidate.traceId === trace.traceId,
    );
    const emfLine = await fn.waitForLine(/"Invocations"/);

    // Assess: the runtime reported the failure
    expect(outcome.status).toBe('error');
    if (errorMessage !== undefined) expect(outcome.error?.errorMessage).toBe(errorMessage);
    // the environment froze once the delivery was done, long before the deadline margin
    expect(freeze.cause).toBe('ready');
    expect(freeze.at - outcome.completedAt).toBeLessThan(TIMEOUT_MS / 4);
    // and the invocation's span and metrics say it failed
    expect(span?.attributes['faas.invocation_id']).toBe(outcome.requestId);
    expect(span?.status.code).toBe('ERROR');
    const [document] = readEmf(emfLine.input ?? '').documents;
    expect(document?.root).toMatchObject({ Invocations: 1, Fault: 1 });
  });
});

/** An API Gateway HTTP API (payload 2.0) event for GET /orders. */
const HTTP_API_EVENT: Record<string, unknown> = {
  version: '2.0',
  routeKey: 'GET /orders',
  rawPath: '/orders',
  headers: { host: 'abc123.execute-api.eu-west-1.amazonaws.com' },
  requestContext: {
    domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
    http: { method: 'GET', path: '/orders', sourceIp: '203.0.113.9' },
    requestId: 'r-1',
    routeKey: 'GET /orders',
  },
};

describe('a wrapped handler that answers an HTTP event with a result whose statusCode getter throws', () => {
  it('delivers its span and metrics, and lets the environment freeze', async () => {
    // Prepare
    const fn = await sandbox.startFunction({
      taskRoot: fixture('lambda'),
      handler: 'hostile-handlers.unreadableStatusCode',
      freeze: true,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url, LOOKOUT_SERVICE_NAME: 'hostile' },
    });
    const trace = newLambdaTraceHeader();
    const event = HTTP_API_EVENT;

    // Act
    const outcome = await sandbox.api.invoke({ event, timeoutMs: TIMEOUT_MS, traceHeader: trace.header });
    const freeze = await sandbox.api.frozen(outcome.requestId, TIMEOUT_MS + 2000);
    const [span] = await sandbox.receiver.waitForSpans(
      (candidate) => candidate.kind === 'SERVER' && candidate.traceId === trace.traceId,
    );
    const emfLine = await fn.waitForLine(/"Invocations"/);

    // Assess: the runtime could not serialise the result
    expect(outcome.status).toBe('error');
    // the environment froze once the delivery was done, long before the deadline margin
    expect(freeze.cause).toBe('ready');
    expect(freeze.at - outcome.completedAt).toBeLessThan(TIMEOUT_MS / 4);
    // and the invocation's span and metrics are out, with no status code read, and failed as
    // the runtime answered
    expect(span?.attributes['faas.invocation_id']).toBe(outcome.requestId);
    expect(span?.attributes['http.response.status_code']).toBeUndefined();
    expect(span?.status.code).toBe('ERROR');
    expect(readEmf(emfLine.input ?? '').documents[0]?.root).toMatchObject({ Invocations: 1, Fault: 1 });
  });
});

/** An HTTP event of each source whose result's status the caller gets from API Gateway or ALB. */
const HTTP_EVENTS: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
  ['an HTTP API (payload 2.0)', HTTP_API_EVENT],
  [
    'a REST API',
    {
      resource: '/orders',
      path: '/orders',
      httpMethod: 'GET',
      headers: { Host: 'abc123.execute-api.eu-west-1.amazonaws.com' },
      requestContext: {
        apiId: 'abc123',
        resourcePath: '/orders',
        httpMethod: 'GET',
        domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
        identity: { sourceIp: '203.0.113.9' },
        requestId: 'r-1',
      },
    },
  ],
  [
    'an ALB target group',
    {
      httpMethod: 'GET',
      path: '/orders',
      headers: { host: 'lb.example.com', 'x-forwarded-for': '203.0.113.9' },
      requestContext: {
        elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/t/1' },
      },
    },
  ],
];

describe.each(HTTP_EVENTS)('a wrapped handler that answers %s with a statusCode string', (_what, event) => {
  it('records the status the caller gets, a 5xx as a failure, on the span and in the metrics', async () => {
    // Prepare
    const fn = await sandbox.startFunction({
      taskRoot: fixture('lambda'),
      handler: 'hostile-handlers.stringStatusCode',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url, LOOKOUT_SERVICE_NAME: 'hostile' },
    });
    const trace = newLambdaTraceHeader();

    // Act
    const outcome = await sandbox.api.invoke({ event, timeoutMs: TIMEOUT_MS, traceHeader: trace.header });
    const [span] = await sandbox.receiver.waitForSpans(
      (candidate) => candidate.kind === 'SERVER' && candidate.traceId === trace.traceId,
    );
    const emfLine = await fn.waitForLine(/"Invocations"/);

    // Assess: the runtime answered the result as it was
    expect(outcome.response).toEqual({ statusCode: '503', body: 'unavailable' });
    // and the invocation is recorded with the 503 API Gateway or the load balancer answers
    expect(span?.attributes['http.response.status_code']).toBe(503);
    expect(span?.status.code).toBe('ERROR');
    expect(readEmf(emfLine.input ?? '').documents[0]?.root).toMatchObject({ Invocations: 1, Fault: 1 });
  });
});

describe('a wrapped handler that answers an HTTP event with a statusCode that is no HTTP status', () => {
  it('records the invocation in the metrics, with no status code on its span', async () => {
    // Prepare
    const fn = await sandbox.startFunction({
      taskRoot: fixture('lambda'),
      handler: 'hostile-handlers.outOfRangeStatusCode',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url, LOOKOUT_SERVICE_NAME: 'hostile' },
    });
    const trace = newLambdaTraceHeader();
    const [, event] = HTTP_EVENTS[0] ?? [];

    // Act
    const outcome = await sandbox.api.invoke({ event, timeoutMs: TIMEOUT_MS, traceHeader: trace.header });
    const [span] = await sandbox.receiver.waitForSpans(
      (candidate) => candidate.kind === 'SERVER' && candidate.traceId === trace.traceId,
    );
    const emfLine = await fn.waitForLine(/"Invocations"/);

    // Assess
    expect(outcome.response).toEqual({ statusCode: 600, body: 'odd' });
    expect(span?.attributes['faas.invocation_id']).toBe(outcome.requestId);
    expect(span?.attributes['http.response.status_code']).toBeUndefined();
    expect(readEmf(emfLine.input ?? '').documents[0]?.root).toMatchObject({ Invocations: 1 });
  });
});
