import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetConfigForTesting } from '../../../src/config/index.js';
import { detectEventSource } from '../../../src/lambda/event-source/index.js';

// A full collection on demand: the flag takes effect for the contexts made after it is set.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

afterEach(() => {
  vi.unstubAllEnvs();
  resetConfigForTesting();
});

// Event shapes follow the examples in the Lambda developer guide for each integration.
const restEvent = {
  resource: '/orders/{id}',
  path: '/orders/42',
  httpMethod: 'GET',
  headers: { Host: 'abc.execute-api.eu-west-1.amazonaws.com', 'X-Forwarded-Proto': 'https' },
  multiValueHeaders: { 'User-Agent': ['curl/8.0'] },
  requestContext: {
    apiId: 'abc',
    stage: 'prod',
    domainName: 'abc.execute-api.eu-west-1.amazonaws.com',
    identity: { sourceIp: '198.51.100.7', userAgent: 'curl/8.0' },
  },
};

const httpApiEvent = {
  version: '2.0',
  routeKey: 'POST /orders',
  rawPath: '/orders',
  headers: { 'user-agent': 'k6' },
  requestContext: {
    apiId: 'def',
    domainName: 'def.execute-api.eu-west-1.amazonaws.com',
    http: { method: 'POST', path: '/orders', sourceIp: '203.0.113.9', userAgent: 'k6' },
  },
};

const functionUrlEvent = {
  ...httpApiEvent,
  routeKey: '$default',
  rawPath: '/anything/12',
  requestContext: {
    ...httpApiEvent.requestContext,
    domainName: 'xyz.lambda-url.eu-west-1.on.aws',
    http: { method: 'GET', path: '/anything/12', sourceIp: '203.0.113.9', userAgent: 'k6' },
  },
};

const albEvent = {
  requestContext: {
    elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/t/1' },
  },
  httpMethod: 'GET',
  path: '/health/deep',
  headers: {
    host: 'alb.example.com',
    'x-forwarded-for': '192.0.2.10, 10.0.0.1',
    'x-forwarded-proto': 'http',
  },
};

describe('event source detection: HTTP', () => {
  it('reads an API Gateway REST event: route template, method, path, client, and an operation', () => {
    const info = detectEventSource(restEvent);

    expect(info).toMatchObject({
      source: 'aws:apigateway:rest',
      trigger: 'http',
      operation: 'GET /orders/{id}',
    });
    expect(info.attributes).toEqual({
      'lookout.lambda.event_source': 'aws:apigateway:rest',
      'url.scheme': 'https',
      'http.request.method': 'GET',
      'url.path': '/orders/42',
      'http.route': '/orders/{id}',
      'server.address': 'abc.execute-api.eu-west-1.amazonaws.com',
      'user_agent.original': 'curl/8.0',
      'client.address': '198.51.100.7',
    });
    expect(info.headers).toMatchObject({
      host: 'abc.execute-api.eu-west-1.amazonaws.com',
      'user-agent': 'curl/8.0',
    });
  });

  it('reads an HTTP API event: the route from the route key', () => {
    const info = detectEventSource(httpApiEvent);

    expect(info).toMatchObject({ source: 'aws:apigateway:http', trigger: 'http', operation: 'POST /orders' });
    expect(info.attributes).toMatchObject({ 'http.route': '/orders', 'client.address': '203.0.113.9' });
  });

  it('tells a function URL from an HTTP API by its domain, and gives it no route (no template to bound it)', () => {
    const info = detectEventSource(functionUrlEvent);

    expect(info).toMatchObject({ source: 'aws:lambda:url', trigger: 'http', operation: undefined });
    expect(info.attributes['http.route']).toBeUndefined();
    expect(info.attributes['url.path']).toBe('/anything/12');
  });

  it('reads an ALB event, taking the client from X-Forwarded-For: the address the load balancer appended', () => {
    const info = detectEventSource(albEvent);

    expect(info).toMatchObject({ source: 'aws:elb', trigger: 'http', operation: undefined });
    expect(info.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'client.address': '10.0.0.1',
      'server.address': 'alb.example.com',
    });
  });

  it('does not take an ALB event’s client from the X-Forwarded-For entries the client wrote', () => {
    // Prepare: the client sent its own X-Forwarded-For; the load balancer appended the address
    // the request came from
    const forged = {
      ...albEvent,
      headers: { ...albEvent.headers, 'x-forwarded-for': '127.0.0.1, 10.9.9.9 ,203.0.113.7' },
    };

    // Act
    const info = detectEventSource(forged);

    // Assess
    expect(info.attributes['client.address']).toBe('203.0.113.7');
  });

  it('walks an ALB event’s X-Forwarded-For back through the trusted proxies (a CDN before the load balancer)', () => {
    // Prepare
    vi.stubEnv('LOOKOUT_TRUSTED_PROXIES', '198.51.100.0/24');
    resetConfigForTesting();
    const behindCdn = {
      ...albEvent,
      headers: { ...albEvent.headers, 'x-forwarded-for': '127.0.0.1, 203.0.113.7, 198.51.100.20' },
    };

    // Act
    const info = detectEventSource(behindCdn);

    // Assess
    expect(info.attributes['client.address']).toBe('203.0.113.7');
  });

  it('gives an HTTP API $default route no template', () => {
    expect(detectEventSource({ ...httpApiEvent, routeKey: '$default' }).operation).toBeUndefined();
  });
});

describe('event source detection: records and events', () => {
  it('reads an SQS batch: queue, count, and each message trace header', () => {
    const info = detectEventSource({
      Records: [
        {
          messageId: 'a',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:orders',
          attributes: { AWSTraceHeader: 'Root=1-x' },
        },
        {
          messageId: 'b',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:orders',
          attributes: {},
        },
      ],
    });

    expect(info).toMatchObject({ source: 'aws:sqs', trigger: 'pubsub' });
    expect(info.attributes).toEqual({
      'lookout.lambda.event_source': 'aws:sqs',
      'lookout.lambda.record_count': 2,
      'messaging.system': 'aws_sqs',
      'messaging.operation.type': 'process',
      'messaging.batch.message_count': 2,
      'messaging.destination.name': 'orders',
    });
    expect(info.messageTraceHeaders.count).toBe(2);
    expect(info.messageTraceHeaders.at(0)).toEqual({ header: 'Root=1-x', messageId: 'a' });
    expect(info.messageTraceHeaders.at(1)).toBeUndefined();
  });

  it('leaves the queue out of a batch from several queues, and names the message of a batch of one', () => {
    const mixed = detectEventSource({
      Records: [
        { eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:a' },
        { eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:b' },
      ],
    });
    const single = detectEventSource({ Records: [{ eventSource: 'aws:sqs', messageId: 'only' }] });

    expect(mixed.attributes['messaging.destination.name']).toBeUndefined();
    expect(single.attributes['messaging.message.id']).toBe('only');
  });

  it('reads an SNS notification', () => {
    const info = detectEventSource({
      Records: [
        {
          EventSource: 'aws:sns',
          Sns: { MessageId: 'n1', TopicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts' },
        },
      ],
    });

    expect(info).toMatchObject({ source: 'aws:sns', trigger: 'pubsub' });
    expect(info.attributes).toMatchObject({
      'messaging.system': 'aws.sns',
      'aws.sns.topic.arn': 'arn:aws:sns:eu-west-1:123456789012:alerts',
      'messaging.destination.name': 'alerts',
      'messaging.message.id': 'n1',
    });
  });

  it('reads DynamoDB and Kinesis stream batches', () => {
    const dynamo = detectEventSource({
      Records: [
        {
          eventSource: 'aws:dynamodb',
          eventName: 'MODIFY',
          eventSourceARN:
            'arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/stream/2026-01-01T00:00:00.000',
        },
      ],
    });
    const kinesis = detectEventSource({
      Records: [
        {
          eventSource: 'aws:kinesis',
          eventSourceARN: 'arn:aws:kinesis:eu-west-1:123456789012:stream/clicks',
        },
        {
          eventSource: 'aws:kinesis',
          eventSourceARN: 'arn:aws:kinesis:eu-west-1:123456789012:stream/clicks',
        },
      ],
    });

    expect(dynamo).toMatchObject({ source: 'aws:dynamodb', trigger: 'datasource' });
    expect(dynamo.attributes).toMatchObject({
      'faas.document.collection': 'Orders',
      'faas.document.operation': 'edit',
      'aws.dynamodb.table_names': ['Orders'],
    });
    expect(kinesis).toMatchObject({ source: 'aws:kinesis', trigger: 'pubsub' });
    expect(kinesis.attributes).toMatchObject({
      'aws.kinesis.stream_name': 'clicks',
      'messaging.batch.message_count': 2,
    });
  });

  it('reads an S3 notification', () => {
    const info = detectEventSource({
      Records: [
        {
          eventSource: 'aws:s3',
          eventName: 'ObjectCreated:Put',
          eventTime: '2026-01-01T00:00:00.000Z',
          s3: { bucket: { name: 'invoices' }, object: { key: '2026/01/a.pdf' } },
        },
      ],
    });

    expect(info).toMatchObject({ source: 'aws:s3', trigger: 'datasource' });
    expect(info.attributes).toMatchObject({
      'faas.document.collection': 'invoices',
      'faas.document.operation': 'insert',
      'faas.document.name': '2026/01/a.pdf',
      'faas.document.time': '2026-01-01T00:00:00.000Z',
    });
  });

  it('reads EventBridge events, and scheduled ones as timers', () => {
    const custom = detectEventSource({
      id: 'e1',
      source: 'orders',
      'detail-type': 'OrderPlaced',
      detail: {},
    });
    const scheduled = detectEventSource({
      id: 'e2',
      source: 'aws.events',
      'detail-type': 'Scheduled Event',
      time: '2026-01-01T00:00:00Z',
      detail: {},
    });

    expect(custom).toMatchObject({ source: 'aws:events', trigger: 'pubsub' });
    expect(custom.attributes).toMatchObject({
      'cloudevents.event_type': 'OrderPlaced',
      'cloudevents.event_id': 'e1',
    });
    expect(scheduled).toMatchObject({ trigger: 'timer' });
    expect(scheduled.attributes['faas.time']).toBe('2026-01-01T00:00:00Z');
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'hello'],
    ['an array', [1, 2]],
    ['an empty object', {}],
    ['records of an unknown source', { Records: [{ eventSource: 'aws:mq' }] }],
    ['an empty batch', { Records: [] }],
  ])('treats %s as other', (_name, event) => {
    expect(detectEventSource(event)).toMatchObject({ source: 'other', trigger: 'other', attributes: {} });
  });

  it('treats an event whose properties throw as other', () => {
    const hostile = {
      get requestContext(): never {
        throw new Error('boom');
      },
    };

    expect(detectEventSource(hostile).source).toBe('other');
  });

  it('reads no record past the first of a large event whose records come from no source it knows', () => {
    // Prepare: three million records, as many as a 6 MB event of `{"Records":[0,0,…]}` holds
    const records = new Array<unknown>(3_000_000).fill(0);
    let reads = 0;
    const counted = new Proxy(records, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });

    // Act
    const info = detectEventSource({ Records: counted });

    // Assess
    expect(info.source).toBe('other');
    expect(reads).toBe(1);
  });

  it('reads records that are no objects as records without fields', () => {
    // Act
    const info = detectEventSource({
      Records: [
        { eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:orders' },
        0,
        null,
        ['aws:sqs'],
      ],
    });

    // Assess
    expect(info.source).toBe('aws:sqs');
    expect(info.attributes['lookout.lambda.record_count']).toBe(4);
    expect(info.attributes['messaging.destination.name']).toBeUndefined();
    expect([0, 1, 2, 3].map((index) => info.messageTraceHeaders.at(index))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

// An event is whatever the caller sent: an `eventSourceARN` of 6 MB of colons (or of slashes
// after the account) was split whole, an array of millions of strings (~50 MB, and as much again
// for its slice) held for a moment per invocation. An ARN has six parts: the work and memory
// are bounded by the parts read.
describe('event sources with hostile ARNs', () => {
  const MEGABYTES = 6 * 1024 * 1024;
  const ARNS = {
    'aws:sqs': `arn:aws:sqs:eu-west-1:123456789012:${':'.repeat(MEGABYTES)}`,
    'aws:kinesis': `arn:aws:kinesis:eu-west-1:123456789012:stream${'/'.repeat(MEGABYTES)}`,
    'aws:dynamodb': `arn:aws:dynamodb:eu-west-1:123456789012:table${'/'.repeat(MEGABYTES)}`,
  } as const;

  it.each(Object.keys(ARNS) as (keyof typeof ARNS)[])(
    'reads a %s batch whose ARN holds megabytes of separators without copying it into parts',
    (eventSource) => {
      // Prepare
      const event = { Records: [{ eventSource, eventSourceARN: ARNS[eventSource] }] };
      detectEventSource(event);
      collectGarbage();
      const before = process.memoryUsage().heapUsed;

      // Act
      const info = detectEventSource(event);

      // Assess
      const grown = process.memoryUsage().heapUsed - before;
      expect(grown).toBeLessThan(8 * 1024 * 1024);
      expect(info.source).toBe(eventSource);
      if (eventSource === 'aws:sqs')
        expect(info.attributes['messaging.destination.name']).toBe(':'.repeat(MEGABYTES));
      else {
        expect(info.attributes['aws.kinesis.stream_name']).toBeUndefined();
        expect(info.attributes['faas.document.collection']).toBeUndefined();
      }
    },
  );

  it.each([
    ['arn:aws:sqs:eu-west-1:123456789012:orders', 'orders'],
    ['arn:aws:sqs:eu-west-1:123456789012:a:b:c', 'a:b:c'],
    ['arn:aws:sqs:eu-west-1:123456789012:', undefined],
    ['arn:aws:sqs:eu-west-1:123456789012', undefined],
    ['orders', undefined],
  ])('names the destination of an SQS batch from %j as %j', (arn, name) => {
    // Act
    const info = detectEventSource({ Records: [{ eventSource: 'aws:sqs', eventSourceARN: arn }] });

    // Assess
    expect(info.attributes['messaging.destination.name']).toBe(name);
  });
});

// An HTTP API event without a source address (a direct invocation sends any JSON) took the
// client from X-Forwarded-For split whole: megabytes of commas were millions of strings.
describe('HTTP events with a hostile X-Forwarded-For', () => {
  it('takes the client from the first entry without splitting the rest', () => {
    // Prepare
    const forwardedFor = `203.0.113.9${','.repeat(6 * 1024 * 1024)}`;
    const event = {
      ...httpApiEvent,
      headers: { 'x-forwarded-for': forwardedFor },
      requestContext: { ...httpApiEvent.requestContext, http: { method: 'POST', path: '/orders' } },
    };
    detectEventSource(event);
    collectGarbage();
    const before = process.memoryUsage().heapUsed;

    // Act
    const info = detectEventSource(event);

    // Assess
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(8 * 1024 * 1024);
    expect(info.attributes['client.address']).toBe('203.0.113.9');
  });
});
