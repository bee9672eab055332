// Express on Lambda: an Express 5 app behind API Gateway (REST payload events), served through
// @codegenie/serverless-express and wrapped by Lookout, run by the real runtime interface client
// against the Runtime API emulator (the stand-in for the Lambda service). Lookout is preloaded
// with NODE_OPTIONS=--import lookout/register, as the layer's exec wrapper does, so Express is
// instrumented before the app loads.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEmf } from '../helpers/emf-reader.js';
import { jsonLogLines, type LambdaFunction, startLambdaFunction } from '../helpers/lambda-function.js';
import { type LambdaRuntimeApi, startLambdaRuntimeApi } from '../helpers/lambda-runtime-api.js';
import { fixture } from '../helpers/node-process.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';

let api: LambdaRuntimeApi;
let receiver: OtlpReceiver;
let fn: LambdaFunction | undefined;

beforeEach(async () => {
  api = await startLambdaRuntimeApi();
  receiver = await startOtlpReceiver();
  fn = await startLambdaFunction({
    api,
    taskRoot: fixture('lambda'),
    handler: 'express-handlers.handler',
    env: {
      NODE_OPTIONS: '--import lookout/register',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      LOOKOUT_SERVICE_NAME: 'orders-api',
      // Middleware spans are a debugging option (one span per request by default); asked for
      // here to prove that they nest under the invocation's span on Lambda.
      LOOKOUT_EXPRESS_MIDDLEWARE_SPANS: 'true',
    },
  });
});
afterEach(async () => {
  await fn?.kill();
  await api.close();
  await receiver.close();
});

/** An API Gateway REST (payload 1.0) proxy event, as API Gateway sends it. */
function restEvent(method: string, resource: string, path: string, body?: unknown) {
  return {
    resource,
    path,
    httpMethod: method,
    headers: { Host: 'abc.execute-api.eu-west-1.amazonaws.com', 'Content-Type': 'application/json' },
    multiValueHeaders: {
      Host: ['abc.execute-api.eu-west-1.amazonaws.com'],
      'Content-Type': ['application/json'],
    },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    requestContext: {
      apiId: 'abc',
      stage: 'prod',
      resourcePath: resource,
      httpMethod: method,
      path: `/prod${path}`,
      domainName: 'abc.execute-api.eu-west-1.amazonaws.com',
      identity: { sourceIp: '198.51.100.7', userAgent: 'curl/8.0' },
    },
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
  };
}

function traceHeader() {
  const root = `1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
  const parent = randomBytes(8).toString('hex');
  return {
    traceId: root.slice(2).replace('-', ''),
    parent,
    header: `Root=${root};Parent=${parent};Sampled=1`,
  };
}

describe('Express on Lambda through serverless-express and wrap()', () => {
  it('gives each request one trace with the Express spans under the invocation, and the same log keys', async () => {
    const first = traceHeader();
    const second = traceHeader();

    const get = await api.invoke({
      event: restEvent('GET', '/orders/{id}', '/orders/42'),
      traceHeader: first.header,
    });
    const post = await api.invoke({
      event: restEvent('POST', '/orders', '/orders', { item: 'book' }),
      traceHeader: second.header,
    });
    await receiver.waitForSpans((span) => span.kind === 'SERVER', { count: 2 });
    // Express's spans arrive in the same flushes, its request-handler spans too: they end on
    // the response's 'close', which serverless-express's response never emits, so Lookout ends
    // them with the invocation (docs/lambda.md).
    await receiver.waitForSpans((span) => span.attributes['express.type'] === 'middleware', { count: 2 });
    const handlers = await receiver.waitForSpans(
      (span) => span.attributes['express.type'] === 'request_handler',
      { count: 2 },
    );
    expect(handlers.map((span) => span.attributes['http.route']).sort()).toEqual(['/orders', '/orders/:id']);

    expect(get.response).toMatchObject({ statusCode: 200 });
    expect(JSON.parse((get.response as { body: string }).body)).toEqual({ id: '42', status: 'shipped' });
    expect(post.response).toMatchObject({ statusCode: 201 });

    for (const [request, outcome, route] of [
      [first, get, 'GET /orders/{id}'],
      [second, post, 'POST /orders'],
    ] as const) {
      const trace = receiver.spans().filter((span) => span.traceId === request.traceId);
      const server = trace.filter((span) => span.kind === 'SERVER');
      expect(server).toHaveLength(1);
      expect(server[0]).toMatchObject({ name: route, parentSpanId: request.parent });
      expect(server[0]?.attributes).toMatchObject({
        'faas.trigger': 'http',
        'faas.invocation_id': outcome.requestId,
        'http.response.status_code': outcome === get ? 200 : 201,
      });
      const express = trace.filter((span) => span.kind !== 'SERVER');
      expect(express.length).toBeGreaterThan(0);
      expect(express.every((span) => span.scope.name.includes('express'))).toBe(true);
      expect(express.every((span) => span.parentSpanId === server[0]?.spanId)).toBe(true);
      expect(express.every((span) => span.parentSpanId === server[0]?.spanId)).toBe(true);
    }

    const lines = jsonLogLines(fn!);
    expect(lines.find((line) => line.message === 'order fetched')).toMatchObject({
      orderId: '42',
      function_request_id: get.requestId,
      cold_start: true,
      trace_id: first.traceId,
      service: 'orders-api',
    });
    expect(lines.find((line) => line.message === 'order created')).toMatchObject({
      item: 'book',
      function_request_id: post.requestId,
      cold_start: false,
      trace_id: second.traceId,
    });
  });

  it('records invocation metrics per API Gateway route, and a 500 from Express as a fault', async () => {
    await api.invoke({
      event: restEvent('GET', '/orders/{id}', '/orders/1'),
      traceHeader: traceHeader().header,
    });
    const boom = await api.invoke({
      event: restEvent('GET', '/boom', '/boom'),
      traceHeader: traceHeader().header,
    });
    await receiver.waitForSpans((span) => span.kind === 'SERVER', { count: 2 });

    expect(boom.response).toMatchObject({ statusCode: 500 });
    const emf = readEmf(fn!.stdoutLines().join('\n'));
    expect(emf.invalid).toEqual([]);
    const invocations = emf.documents
      .filter((document) => 'Invocations' in document.root)
      .map((document) => [document.root.Operation, document.root.Invocations, document.root.Fault]);
    expect(invocations).toEqual([
      ['GET /orders/{id}', 1, 0],
      ['GET /boom', 1, 1],
    ]);
    const server = receiver.spans().find((span) => span.kind === 'SERVER' && span.name === 'GET /boom');
    expect(server?.status.code).toBe('ERROR');
  });
});
