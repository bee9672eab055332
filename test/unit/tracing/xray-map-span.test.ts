import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { parseV8Stack } from '../../../src/tracing/xray/map-cause.js';
import { mapHttp } from '../../../src/tracing/xray/map-http.js';
import { mapSpanToDocument as mapSpan, type SpanPlacement } from '../../../src/tracing/xray/map-span.js';
import { toAnnotationKey, toSegmentName } from '../../../src/tracing/xray/sanitize-names.js';
import { createAnnotationBudget } from '../../../src/tracing/xray/xray-span-exporter.js';
import { validateDocument } from '../../helpers/xray-daemon.js';
import { EPOCH, makeSpan, mapOptions, XRAY_TRACE_ID } from './make-span.js';

// Every document this file makes is also checked, after each test, against the daemon's rules
// and AWS's published segment document schema (test/helpers/xray-daemon.ts).
const produced: Array<ReturnType<typeof mapSpan>> = [];
const mapSpanToDocument: typeof mapSpan = (...args) => {
  const document = mapSpan(...args);
  produced.push(document);
  return document;
};
afterEach(() => {
  const documents = produced.splice(0);
  for (const document of documents) {
    const separate = document.parent_id === undefined ? document : { ...document, type: 'subsegment' };
    expect(validateDocument({ ...separate })).toEqual([]);
  }
});

const SEGMENT: SpanPlacement = { role: 'segment', traceId: XRAY_TRACE_ID, parentId: undefined };
const child = (parentId: string): SpanPlacement => ({ role: 'subsegment', traceId: XRAY_TRACE_ID, parentId });

describe('segment and subsegment documents', () => {
  it('names a segment after the service and keeps ids and times from the span', () => {
    // Prepare
    const span = makeSpan({
      kind: SpanKind.SERVER,
      spanId: '53995c3f42cd8ad8',
      start: EPOCH + 5,
      durationMs: 1500,
    });

    // Act
    const document = mapSpanToDocument(span, SEGMENT, mapOptions());

    // Assess
    expect(document).toMatchObject({
      name: 'orders-api',
      id: '53995c3f42cd8ad8',
      trace_id: XRAY_TRACE_ID,
      start_time: EPOCH + 5.25,
      end_time: EPOCH + 6.75,
    });
    expect(document.parent_id).toBeUndefined();
    expect(validateDocument({ ...document })).toEqual([]);
  });

  it('names an outgoing HTTP call after the host it calls, in the remote namespace', () => {
    const span = makeSpan({
      kind: SpanKind.CLIENT,
      name: 'GET',
      attributes: {
        'http.request.method': 'GET',
        'url.full': 'http://inventory.internal:8080/items/7',
        'server.address': 'inventory.internal',
      },
    });

    const document = mapSpanToDocument(span, child('53995c3f42cd8ad8'), mapOptions());

    expect(document).toMatchObject({
      name: 'inventory.internal',
      namespace: 'remote',
      parent_id: '53995c3f42cd8ad8',
    });
    expect(document.http?.request).toEqual({ method: 'GET', url: 'http://inventory.internal:8080/items/7' });
  });

  it('records an AWS SDK call in the aws namespace with operation, region and request id', () => {
    const span = makeSpan({
      kind: SpanKind.CLIENT,
      name: 'DynamoDB.GetItem',
      attributes: {
        'rpc.system': 'aws-api',
        'rpc.service': 'DynamoDB',
        'rpc.method': 'GetItem',
        'cloud.region': 'eu-west-1',
        'aws.request.id': 'R3QU35T',
        'aws.dynamodb.table_names': ['orders'],
        'http.response.status_code': 200,
      },
      resource: { 'service.name': 'orders-api', 'cloud.account.id': '123456789012' },
    });

    const document = mapSpanToDocument(span, child('53995c3f42cd8ad8'), mapOptions());

    expect(document.name).toBe('DynamoDB');
    expect(document.namespace).toBe('aws');
    expect(document.aws).toEqual({
      operation: 'GetItem',
      region: 'eu-west-1',
      request_id: 'R3QU35T',
      table_name: 'orders',
      account_id: '123456789012',
    });
    expect(document.metadata?.default?.['rpc.method']).toBeUndefined();
  });

  it('uses the span name for an internal subsegment and makes it a valid X-Ray name', () => {
    const span = makeSpan({ name: 'middleware - {query} <parser>' });

    const document = mapSpanToDocument(span, child('53995c3f42cd8ad8'), mapOptions());

    expect(document.name).toBe('middleware - query parser');
    expect(document.namespace).toBeUndefined();
  });

  it('gives a segment its origin, service version and user from the resource and attributes', () => {
    const span = makeSpan({
      kind: SpanKind.SERVER,
      attributes: { 'enduser.id': 'user-42' },
      resource: {
        'service.name': 'orders-api',
        'service.version': '1.4.0',
        'cloud.platform': 'aws_ecs',
        'aws.ecs.launchtype': 'fargate',
        'container.id': 'abc123',
      },
    });

    const document = mapSpanToDocument(span, SEGMENT, mapOptions());

    expect(document).toMatchObject({
      origin: 'AWS::ECS::Fargate',
      service: { version: '1.4.0' },
      user: 'user-42',
      aws: { ecs: { container_id: 'abc123' } },
    });
    expect(document.metadata?.default?.['otel.resource.service.version']).toBe('1.4.0');
  });

  it('never lets a span end before it starts', () => {
    const span = { ...makeSpan(), endTime: [EPOCH, 0] as [number, number] };

    const document = mapSpanToDocument(span, SEGMENT, mapOptions());

    expect(document.end_time).toBe(document.start_time);
  });
});

describe('HTTP fields in both generations of the semantic conventions', () => {
  it.each([
    {
      generation: 'current (http.request.method, url.path, server.address)',
      attributes: {
        'http.request.method': 'post',
        'url.scheme': 'https',
        'server.address': 'api.example.com',
        'server.port': 443,
        'url.path': '/orders',
        'url.query': 'dry=1',
        'http.response.status_code': 201,
        'user_agent.original': 'curl/8',
        'client.address': '203.0.113.9',
        'network.peer.address': '10.0.0.5',
        'http.response.body.size': 88,
      },
    },
    {
      generation: 'older (http.method, http.target, http.host)',
      attributes: {
        'http.method': 'POST',
        'http.scheme': 'https',
        'http.host': 'api.example.com',
        'http.target': '/orders?dry=1',
        'http.status_code': 201,
        'http.user_agent': 'curl/8',
        'http.client_ip': '203.0.113.9',
        'net.sock.peer.addr': '10.0.0.5',
        'http.response_content_length': 88,
      },
    },
  ])('maps the $generation names', ({ attributes }) => {
    const http = mapHttp({ kind: SpanKind.SERVER, attributes });

    expect(http).toEqual({
      request: {
        method: 'POST',
        url: 'https://api.example.com/orders?dry=1',
        user_agent: 'curl/8',
        client_ip: '203.0.113.9',
        x_forwarded_for: true,
      },
      response: { status: 201, content_length: 88 },
    });
  });

  it('takes url.full / http.url as is for a client span', () => {
    expect(
      mapHttp({ kind: SpanKind.CLIENT, attributes: { 'http.method': 'GET', 'http.url': 'http://a.test/x' } }),
    ).toEqual({
      request: { method: 'GET', url: 'http://a.test/x' },
    });
  });

  it('records the socket address without x_forwarded_for when no proxy header named the client', () => {
    const http = mapHttp({
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': 'GET', 'network.peer.address': '10.1.2.3' },
    });

    expect(http?.request).toMatchObject({ client_ip: '10.1.2.3' });
    expect(http?.request?.x_forwarded_for).toBeUndefined();
  });

  it('leaves http out of a span that is not an HTTP span', () => {
    expect(mapHttp({ kind: SpanKind.INTERNAL, attributes: { 'server.address': 'x' } })).toBeUndefined();
  });
});

describe('error, throttle and fault', () => {
  it.each([
    { status: 404, flags: { error: true } },
    { status: 429, flags: { error: true, throttle: true } },
    { status: 503, flags: { fault: true } },
    { status: 200, flags: {} },
  ])('flags HTTP status $status as $flags', ({ status, flags }) => {
    const span = makeSpan({
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': 'GET', 'http.response.status_code': status },
    });

    const document = mapSpanToDocument(span, SEGMENT, mapOptions());

    expect({ error: document.error, throttle: document.throttle, fault: document.fault }).toEqual({
      error: undefined,
      throttle: undefined,
      fault: undefined,
      ...flags,
    });
  });

  it('marks a span with an ERROR status and no HTTP status as a fault, with its message as the cause', () => {
    const span = makeSpan({ status: { code: SpanStatusCode.ERROR, message: 'queue unavailable' } });

    const document = mapSpanToDocument(span, SEGMENT, mapOptions());

    expect(document.fault).toBe(true);
    expect(document.cause).toEqual({
      exceptions: [{ id: '0000000000000001', message: 'queue unavailable' }],
    });
  });

  it('records exception events with type, message and the parsed stack', () => {
    const stack = [
      'TypeError: cannot read properties of undefined',
      '    at loadOrder (/app/src/orders.js:42:13)',
      '    at async handler (/app/src/index.js:10:5)',
      '    at node:internal/process/task_queues:95:5',
    ].join('\n');
    const span = makeSpan({
      kind: SpanKind.CLIENT,
      status: { code: SpanStatusCode.ERROR },
      events: [
        {
          name: 'exception',
          attributes: {
            'exception.type': 'TypeError',
            'exception.message': 'cannot read properties of undefined',
            'exception.stacktrace': stack,
          },
        },
      ],
    });

    const document = mapSpanToDocument(span, child('53995c3f42cd8ad8'), mapOptions());

    expect(document.cause?.exceptions).toEqual([
      {
        id: '0000000000000001',
        type: 'TypeError',
        message: 'cannot read properties of undefined',
        remote: true,
        stack: [
          { path: '/app/src/orders.js', line: 42, label: 'loadOrder' },
          { path: '/app/src/index.js', line: 10, label: 'handler' },
          { path: 'node:internal/process/task_queues', line: 95 },
        ],
      },
    ]);
  });

  it('keeps at most 50 stack frames and counts the rest as truncated', () => {
    const stack = [
      'Error: deep',
      ...Array.from({ length: 70 }, (_, i) => `    at f${i} (/app/a.js:${i + 1}:1)`),
    ].join('\n');

    const parsed = parseV8Stack(stack);

    expect(parsed.frames).toHaveLength(50);
    expect(parsed.truncated).toBe(20);
  });

  it('reads a frame line that opens parentheses and never closes them as an unlabelled frame, at once', () => {
    // An error message is part of the stack, and can carry text from a request: a line such as
    // `    at a (a (a (…` with no `)` at its end made the labelled pattern backtrack over every
    // pair of its ` (` (most of a minute for this line, tens of milliseconds of the event loop for
    // one of 10,000 characters, the longest a span attribute is by default).
    const line = `    at ${'a ('.repeat(150_000)}`;

    const parsed = parseV8Stack(`Error: x\n${line}\n    at handler (/app/index.js:10:5)`);

    expect(parsed.frames).toEqual([
      { path: line.trim().slice('at '.length) },
      { path: '/app/index.js', line: 10, label: 'handler' },
    ]);
  });
});

describe('annotations and metadata', () => {
  it('records configured attributes as annotations with X-Ray keys and every other attribute as metadata', () => {
    const span = makeSpan({
      kind: SpanKind.SERVER,
      attributes: {
        'http.route': '/orders/:id',
        'tenant.id': 't-9',
        'order.count': 3,
        'feature.flags': ['a', 'b'],
      },
      resource: { 'service.name': 'orders-api', 'deployment.environment.name': 'prod' },
    });

    const document = mapSpanToDocument(
      span,
      SEGMENT,
      mapOptions(['http.route', 'tenant.id', 'deployment.environment.name', 'absent']),
    );

    expect(document.annotations).toEqual({
      http_route: '/orders/:id',
      tenant_id: 't-9',
      deployment_environment_name: 'prod',
    });
    expect(document.metadata?.default).toMatchObject({ 'order.count': 3, 'feature.flags': ['a', 'b'] });
    expect(document.metadata?.default?.['http.route']).toBeUndefined();
  });

  it('keeps annotations to 50 distinct keys per trace and moves the others to metadata', () => {
    // Prepare: 60 attributes to annotate on one span, under one trace-wide budget.
    const names = Array.from({ length: 60 }, (_, i) => `attr.${i}`);
    const attributes = Object.fromEntries(names.map((name, i) => [name, i]));
    const options = { ...mapOptions(names), admitAnnotation: createAnnotationBudget() };

    // Act
    const first = mapSpanToDocument(makeSpan({ attributes }), SEGMENT, options);
    const second = mapSpanToDocument(
      makeSpan({ attributes: { 'attr.0': 'again', 'attr.59': 'late' } }),
      child(first.id),
      options,
    );

    // Assess
    expect(Object.keys(first.annotations ?? {})).toHaveLength(50);
    expect(first.metadata?.default?.['attr.55']).toBe(55);
    expect(second.annotations).toEqual({ attr_0: 'again' });
    expect(second.metadata?.default?.['attr.59']).toBe('late');
  });

  it('cuts annotation values to 1000 characters', () => {
    const span = makeSpan({ attributes: { note: 'x'.repeat(5000) } });

    const document = mapSpanToDocument(span, SEGMENT, mapOptions(['note']));

    expect(String(document.annotations?.note)).toHaveLength(1000);
  });
});

describe('X-Ray name and key rules', () => {
  it.each([
    ['GET /orders/{id}', 'GET /orders/id'],
    ['résumé café 東京', 'résumé café 東京'],
    ['a;b|c*d', 'abcd'],
    ['***', 'span'],
    ['n'.repeat(300), 'n'.repeat(200)],
    ['orders\tapi\nv2', 'orders api v2'],
    ['C:\\orders', 'C:orders'],
    ['ნ\u10d0 Ა', 'ნა'],
  ])('turns %j into %j', (input, expected) => {
    expect(toSegmentName(input)).toBe(expected);
  });

  it.each([
    ['http.route', 'http_route'],
    ['tenant-id', 'tenant_id'],
    ['ok_Key9', 'ok_Key9'],
  ])('turns attribute %j into annotation key %j', (input, expected) => {
    expect(toAnnotationKey(input)).toBe(expected);
  });
});
