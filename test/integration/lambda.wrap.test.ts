// Real processes through a real Lambda runtime: the runtime interface client (aws-lambda-ric)
// loads the handler fixtures and polls the Runtime API emulator, which stands in for the Lambda
// service. Spans arrive at a real OTLP/HTTP receiver, EMF and log lines on the function's stdout.
// The same behaviours are checked through `wrap()` and through the middy middleware.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readEmf } from '../helpers/emf-reader.js';
import { jsonLogLines, type LambdaFunction } from '../helpers/lambda-function.js';
import { useLambdaSandbox } from '../helpers/lambda-sandbox.js';
import { newLambdaTraceHeader } from '../helpers/lambda-trace-header.js';
import { fixture } from '../helpers/node-process.js';
import { startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { assembleTraces, startXRayDaemon } from '../helpers/xray-daemon.js';

const sandbox = useLambdaSandbox();
/** The function the current test started last (the sandbox kills it after the test). */
let fn: LambdaFunction | undefined;

/** A trace header as the Lambda service sets it (AWS is not here: the test makes it up). */
const traceHeader = newLambdaTraceHeader;

async function start(module: string, handler: string, env: Record<string, string | undefined> = {}) {
  fn = await sandbox.startFunction({
    taskRoot: fixture('lambda'),
    handler: `${module}.${handler}`,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url, LOOKOUT_SERVICE_NAME: 'orders-fn', ...env },
  });
  return fn;
}

/** Resolves once `check` passes against the function's output (stdout is read asynchronously). */
async function eventually<T>(read: () => T, check: (value: T) => boolean, what: string): Promise<T> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const value = read();
    if (check(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(
    `timed out waiting for ${what}:\n${fn?.stdoutLines().join('\n')}\n${fn?.stderrLines().join('\n')}`,
  );
}

const emfDocuments = () => readEmf(fn?.stdoutLines().join('\n') ?? '');

const FORMS = [
  ['wrap()', 'handlers'],
  ['middy()', 'middy-handlers'],
] as const;

describe.each(FORMS)('Lambda invocations through %s', (_form, module) => {
  it('parents the span to the trace header, marks only the first invocation cold, and flushes EMF once per invocation', async () => {
    // Prepare
    await start(module, 'echo');
    const first = traceHeader();
    const second = traceHeader();

    // Act
    const one = await sandbox.api.invoke({ event: { order: 1 }, traceHeader: first.header });
    const two = await sandbox.api.invoke({ event: { order: 2 }, traceHeader: second.header });
    const spans = await sandbox.receiver.waitForSpans((span) => span.kind === 'SERVER', { count: 2 });
    const emf = await eventually(emfDocuments, (read) => read.documents.length >= 3, 'three EMF documents');

    // Assess: responses unchanged
    expect(one.status).toBe('success');
    expect(one.response).toEqual({ received: { order: 1 }, requestId: one.requestId });
    expect(two.response).toEqual({ received: { order: 2 }, requestId: two.requestId });

    // spans: parent is the header's Parent, in the header's trace
    const byInvocation = new Map(spans.map((span) => [span.attributes['faas.invocation_id'], span]));
    const span1 = byInvocation.get(one.requestId);
    const span2 = byInvocation.get(two.requestId);
    expect(span1).toMatchObject({ traceId: first.traceId, parentSpanId: first.parent, name: 'lookout-test' });
    expect(span2).toMatchObject({ traceId: second.traceId, parentSpanId: second.parent });
    expect(span1?.attributes).toMatchObject({
      'faas.trigger': 'other',
      'faas.coldstart': true,
      'cloud.account.id': '123456789012',
      'aws.lambda.invoked_arn': 'arn:aws:lambda:eu-west-1:123456789012:function:lookout-test',
    });
    expect(span2?.attributes['faas.coldstart']).toBe(false);
    const child = sandbox.receiver
      .spans()
      .find((span) => span.name === 'child-work' && span.traceId === first.traceId);
    expect(child?.parentSpanId).toBe(span1?.spanId);

    // logs: the invocation's keys on the handler's line
    const handling = jsonLogLines(fn!).filter((line) => line.message === 'handling');
    expect(handling).toHaveLength(2);
    expect(handling[0]).toMatchObject({
      function_name: 'lookout-test',
      function_request_id: one.requestId,
      cold_start: true,
      xray_trace_id: first.root,
      trace_id: first.traceId,
    });
    expect(handling[1]).toMatchObject({
      function_request_id: two.requestId,
      cold_start: false,
      xray_trace_id: second.root,
    });

    // EMF: valid documents, one ColdStart, and each flush holds exactly one invocation
    expect(emf.invalid).toEqual([]);
    const coldStarts = emf.documents.filter((document) => 'ColdStart' in document.root);
    const invocations = emf.documents.filter((document) => 'Invocations' in document.root);
    expect(coldStarts.map((document) => document.root.ColdStart)).toEqual([1]);
    expect(invocations.map((document) => document.root.Invocations)).toEqual([1, 1]);
    expect(invocations[0]?.root).toMatchObject({ Service: 'orders-fn', Operation: 'Invoke', Fault: 0 });
  });

  it('rethrows the handler error unchanged, and still records, logs and flushes it', async () => {
    await start(module, 'fail');
    const { header, traceId } = traceHeader();

    const outcome = await sandbox.api.invoke({ event: {}, traceHeader: header });
    const [span] = await sandbox.receiver.waitForSpans((candidate) => candidate.kind === 'SERVER');
    const emf = await eventually(
      emfDocuments,
      (read) => read.documents.some((document) => 'Invocations' in document.root),
      'the invocation metrics',
    );

    expect(outcome.status).toBe('error');
    expect(outcome.error).toMatchObject({
      errorType: 'OrderRejectedError',
      errorMessage: 'order 42 rejected',
    });
    expect(span).toMatchObject({ traceId, status: { code: 'ERROR', message: 'order 42 rejected' } });
    expect(span?.events.map((event) => [event.name, event.attributes['exception.type']])).toEqual([
      ['exception', 'OrderRejectedError'],
    ]);
    const failure = jsonLogLines(fn!).find((line) => line.level === 'ERROR');
    expect(failure).toMatchObject({
      message: 'Lambda invocation failed',
      function_request_id: outcome.requestId,
      error: { name: 'OrderRejectedError', message: 'order 42 rejected' },
    });
    const invocation = emf.documents.find((document) => 'Invocations' in document.root);
    expect(invocation?.root).toMatchObject({ Invocations: 1, Fault: 1 });
  });

  it("writes an invocation's metric without the dimensions and metadata an earlier invocation left unused", async () => {
    // Prepare
    await start(module, 'tenantOrder');

    // Act: the first invocation tags its tenant but places no order; the second places one.
    await sandbox.api.invoke({ event: { tenant: 'alpha', reference: 'ref-1', placed: false } });
    await sandbox.api.invoke({ event: { placed: true } });
    const emf = await eventually(
      emfDocuments,
      (read) => read.documents.some((document) => 'OrderPlaced' in document.root),
      'the OrderPlaced metric',
    );

    // Assess
    expect(emf.invalid).toEqual([]);
    const placed = emf.documents.filter((document) => 'OrderPlaced' in document.root);
    expect(placed).toHaveLength(1);
    expect(placed[0]?.root).not.toHaveProperty('Tenant');
    expect(placed[0]?.root).not.toHaveProperty('orderReference');
    expect(placed[0]?.root).toMatchObject({ Service: 'orders-fn', OrderPlaced: 1 });
  });

  it('answers before the deadline when the collector hangs, cutting the flush short', async () => {
    // A collector that accepts the connection and never answers in time.
    sandbox.receiver.respondWith({ delayMs: 60_000 });
    await start(module, 'nearDeadline');

    // The handler works until 1.5 s are left; an unbounded 2 s flush would run past the deadline.
    const outcome = await sandbox.api.invoke({
      event: { leaveMs: 1500 },
      timeoutMs: 4000,
      traceHeader: traceHeader().header,
    });

    expect(outcome.status).toBe('success');
    expect(outcome.response).toEqual({ answered: true });
  });
});

describe('Lambda invocations through wrap() only', () => {
  it('answers callback-style handlers through the callback, and their errors unchanged', async () => {
    await start('handlers', 'callback');
    const ok = await sandbox.api.invoke({ event: { n: 3 }, traceHeader: traceHeader().header });
    await sandbox.receiver.waitForSpans((span) => span.kind === 'SERVER');
    await fn?.kill();

    await start('handlers', 'callbackError');
    const failed = await sandbox.api.invoke({ event: {}, traceHeader: traceHeader().header });

    expect(ok.status).toBe('success');
    expect(ok.response).toEqual({ via: 'callback', n: 3 });
    expect(failed.status).toBe('error');
    expect(failed.error).toMatchObject({
      errorType: 'OrderRejectedError',
      errorMessage: 'rejected through the callback',
    });
  });

  it('warns on the span and in the logs when the invocation is about to time out', async () => {
    await start('handlers', 'nearDeadline', { LOOKOUT_LAMBDA_DEADLINE_MARGIN_MS: '2500' });

    // The warning is due 2.5 s before the deadline; the handler answers 1.5 s before it.
    const outcome = await sandbox.api.invoke({
      event: { leaveMs: 1500 },
      timeoutMs: 5000,
      traceHeader: traceHeader().header,
    });
    const [span] = await sandbox.receiver.waitForSpans((candidate) => candidate.kind === 'SERVER');

    expect(outcome.status).toBe('success');
    const warning = jsonLogLines(fn!).find((line) => line.level === 'WARN');
    expect(warning).toMatchObject({
      message: 'Lambda invocation is about to time out',
      remaining_ms: 2500,
      function_request_id: outcome.requestId,
    });
    expect(span?.events.map((event) => event.name)).toContain('lookout.lambda.timeout_warning');
  });

  it('changes nothing for the function when the collector is down', async () => {
    const down = await startOtlpReceiver();
    const url = down.url;
    await down.close();
    await start('handlers', 'echo', { OTEL_EXPORTER_OTLP_ENDPOINT: url });

    const outcomes = [];
    for (const order of [1, 2, 3])
      outcomes.push(await sandbox.api.invoke({ event: { order }, traceHeader: traceHeader().header }));

    expect(outcomes.map((outcome) => [outcome.status, outcome.response])).toEqual(
      outcomes.map((outcome, index) => [
        'success',
        { received: { order: index + 1 }, requestId: outcome.requestId },
      ]),
    );
    const exportFailures = fn!.stderrLines().filter((line) => line.includes('LOOKOUT_EXPORT_FAILED'));
    expect(exportFailures.length).toBeLessThanOrEqual(1);
  });

  it('links an SQS batch span to each message trace', async () => {
    await start('handlers', 'batch');
    const producers = [traceHeader(), traceHeader(), traceHeader()];
    const queue = 'arn:aws:sqs:eu-west-1:123456789012:orders';
    const event = {
      Records: [
        ...producers.map((producer, index) => ({
          messageId: `m${index}`,
          eventSource: 'aws:sqs',
          eventSourceARN: queue,
          body: '{}',
          attributes: { AWSTraceHeader: producer.header },
        })),
        { messageId: 'm3', eventSource: 'aws:sqs', eventSourceARN: queue, body: '{}', attributes: {} },
      ],
    };

    const outcome = await sandbox.api.invoke({ event, traceHeader: traceHeader().header });
    const [span] = await sandbox.receiver.waitForSpans((candidate) => candidate.kind === 'SERVER');

    expect(outcome.response).toEqual({ processed: 4 });
    expect(span?.attributes).toMatchObject({
      'faas.trigger': 'pubsub',
      'messaging.system': 'aws_sqs',
      'messaging.destination.name': 'orders',
      'messaging.batch.message_count': 4,
    });
    expect(
      span?.links.map((link) => [link.traceId, link.spanId, link.attributes['messaging.message.id']]),
    ).toEqual(producers.map((producer, index) => [producer.traceId, producer.parent, `m${index}`]));
  });

  it.each([
    ['128 (lean spans, the default limits)', {}, 128],
    ['OTEL_SPAN_LINK_COUNT_LIMIT (the SDK span)', { OTEL_SPAN_LINK_COUNT_LIMIT: '5' }, 5],
  ])(
    'links a batch of 10,000 messages to the last message traces its span keeps: %s',
    async (_limit, env, kept) => {
      // Prepare: one message in ten carries no trace, one in ten a header that is none
      await start('handlers', 'batch', env);
      const queue = 'arn:aws:sqs:eu-west-1:123456789012:orders';
      const producers = Array.from({ length: 10_000 }, (_, index) =>
        index % 10 === 0 ? undefined : index % 10 === 5 ? 'Root=garbage' : traceHeader(),
      );
      const event = {
        Records: producers.map((producer, index) => ({
          messageId: `m${index}`,
          eventSource: 'aws:sqs',
          eventSourceARN: queue,
          body: '{}',
          attributes:
            producer === undefined
              ? {}
              : { AWSTraceHeader: typeof producer === 'string' ? producer : producer.header },
        })),
      };
      const traced = producers.flatMap((producer, index) =>
        producer === undefined || typeof producer === 'string'
          ? []
          : [[producer.traceId, producer.parent, `m${index}`]],
      );

      // Act
      const outcome = await sandbox.api.invoke({ event, traceHeader: traceHeader().header });
      const [span] = await sandbox.receiver.waitForSpans((candidate) => candidate.kind === 'SERVER');

      // Assess
      expect(outcome.response).toEqual({ processed: 10_000 });
      expect(span?.attributes['messaging.batch.message_count']).toBe(10_000);
      expect(
        span?.links.map((link) => [link.traceId, link.spanId, link.attributes['messaging.message.id']]),
      ).toEqual(traced.slice(-kept));
    },
  );

  it('continues the caller trace from the request headers when traceContext is http', async () => {
    await start('handlers', 'httpCaller');
    const lambda = traceHeader();
    const callerTrace = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const event = {
      version: '2.0',
      routeKey: 'POST /orders',
      rawPath: '/orders',
      headers: { traceparent: `00-${callerTrace}-${callerSpan}-01`, host: 'sandbox.api.example.com' },
      requestContext: {
        domainName: 'sandbox.api.example.com',
        http: { method: 'POST', path: '/orders', sourceIp: '203.0.113.9', userAgent: 'curl/8' },
      },
    };

    const outcome = await sandbox.api.invoke({ event, traceHeader: lambda.header });
    const [span] = await sandbox.receiver.waitForSpans((candidate) => candidate.kind === 'SERVER');
    const emf = await eventually(
      emfDocuments,
      (read) => read.documents.some((document) => 'Invocations' in document.root),
      'the invocation metrics',
    );

    expect(outcome.response).toMatchObject({ statusCode: 201 });
    expect(span).toMatchObject({ traceId: callerTrace, parentSpanId: callerSpan, name: 'POST /orders' });
    expect(span?.attributes).toMatchObject({
      'faas.trigger': 'http',
      'http.request.method': 'POST',
      'http.route': '/orders',
      'http.response.status_code': 201,
      'client.address': '203.0.113.9',
    });
    expect(span?.links.map((link) => [link.traceId, link.spanId, link.attributes.source])).toEqual([
      [lambda.traceId, lambda.parent, 'x-ray-env'],
    ]);
    expect(emf.documents.find((document) => 'Invocations' in document.root)?.root.Operation).toBe(
      'POST /orders',
    );
  });

  it('starts its own trace, linked to the Lambda header, when the header is not sampled', async () => {
    await start('handlers', 'echo');
    const unsampled = traceHeader(0);

    await sandbox.api.invoke({ event: {}, traceHeader: unsampled.header });
    const [span] = await sandbox.receiver.waitForSpans((candidate) => candidate.kind === 'SERVER');

    expect(span?.traceId).not.toBe(unsampled.traceId);
    expect(span?.parentSpanId).toBeUndefined();
    expect(span?.links.map((link) => [link.traceId, link.attributes.source])).toEqual([
      [unsampled.traceId, 'x-ray-env'],
    ]);
  });

  it('keeps the link to the Lambda header when a batch of 200 messages all carry trace headers', async () => {
    await start('handlers', 'echo');
    const unsampled = traceHeader(0);
    const producers = Array.from({ length: 200 }, () => traceHeader());
    const event = {
      Records: producers.map((producer, index) => ({
        eventSource: 'aws:sqs',
        messageId: `m${index}`,
        eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:orders',
        body: '{}',
        attributes: { AWSTraceHeader: producer.header },
      })),
    };

    await sandbox.api.invoke({ event, traceHeader: unsampled.header });
    const [span] = await sandbox.receiver.waitForSpans((candidate) => candidate.kind === 'SERVER');

    // The span keeps 128 links: the invocation's own trace first, then the last 127 messages'.
    expect(span?.links).toHaveLength(128);
    expect(span?.links.map((link) => [link.traceId, link.attributes.source])[0]).toEqual([
      unsampled.traceId,
      'x-ray-env',
    ]);
    expect(
      span?.links.slice(1).map((link) => [link.traceId, link.attributes['messaging.message.id']]),
    ).toEqual(producers.slice(73).map((producer, offset) => [producer.traceId, `m${73 + offset}`]));
  });

  it('instruments a handler whose response-streaming mark is null, as the runtime does not stream it', async () => {
    fn = await sandbox.startFunction({
      taskRoot: fixture('lambda'),
      handler: 'handlers.nullStreamingMark',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sandbox.receiver.url, LOOKOUT_SERVICE_NAME: 'orders-fn' },
    });
    const { header, traceId } = traceHeader();

    const outcome = await sandbox.api.invoke({ event: { order: 14 }, traceHeader: header });
    const [span] = await sandbox.receiver.waitForSpans((candidate) => candidate.kind === 'SERVER');

    expect(outcome.response).toEqual({ received: { order: 14 } });
    expect(span?.traceId).toBe(traceId);
    expect(fn.stderrLines().filter((line) => line.includes('LOOKOUT_START_FAILED'))).toEqual([]);
  });

  it('runs a CommonJS handler the same way', async () => {
    await start('commonjs-handlers', 'echo');
    const { header, traceId, parent } = traceHeader();

    const outcome = await sandbox.api.invoke({ event: { order: 7 }, traceHeader: header });
    const [span] = await sandbox.receiver.waitForSpans((candidate) => candidate.kind === 'SERVER');

    expect(outcome.response).toEqual({ received: { order: 7 }, requestId: outcome.requestId });
    expect(span).toMatchObject({ traceId, parentSpanId: parent });
    expect(jsonLogLines(fn!).find((line) => line.message === 'handling')).toMatchObject({
      function_request_id: outcome.requestId,
      cold_start: true,
    });
  });

  it('sends the invocation to the X-Ray daemon under the function segment when no collector is configured', async () => {
    const daemon = await startXRayDaemon();
    try {
      // No OTLP endpoint and no collector layer: Lambda's default is the direct X-Ray exporter.
      await start('handlers', 'echo', {
        OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
        AWS_XRAY_DAEMON_ADDRESS: daemon.address,
      });
      const { header, root, parent } = traceHeader();

      const outcome = await sandbox.api.invoke({ event: { order: 3 }, traceHeader: header });
      await daemon.waitForDocuments((datagrams) =>
        datagrams.some((entry) => entry.document.trace_id === root),
      );

      expect(outcome.status).toBe('success');
      expect(daemon.problems()).toEqual([]);
      const trace = assembleTraces(daemon.documents()).get(root);
      expect(trace?.roots).toHaveLength(1);
      const invocation = trace!.roots[0]!;
      expect(invocation.document).toMatchObject({
        name: 'lookout-test',
        type: 'subsegment',
        parent_id: parent,
      });
      expect(invocation.document.metadata?.default?.['faas.invocation_id']).toBe(outcome.requestId);
      expect(invocation.children.map((node) => node.document.name)).toEqual(['child-work']);
    } finally {
      await daemon.close();
    }
  });
});
