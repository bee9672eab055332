import { propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectEventSource } from '../../../src/lambda/event-source/index.js';
import { resolveTraceParent, xrayRootOf } from '../../../src/lambda/resolve-trace-parent.js';

const SAMPLED = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
const UNSAMPLED = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0';
const OTHER = detectEventSource({});
const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';
const HTTP = detectEventSource({
  version: '2.0',
  routeKey: 'GET /a',
  headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
  requestContext: { domainName: 'x.execute-api.eu-west-1.amazonaws.com', http: { method: 'GET' } },
});

beforeAll(() => {
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
afterAll(() => {
  propagation.disable();
});

describe('the parent of an invocation span', () => {
  it('is the Lambda header when it is sampled', () => {
    const parent = resolveTraceParent(SAMPLED, 'lambda', OTHER);

    expect(trace.getSpanContext(parent.context)).toMatchObject({
      traceId: '5759e988bd862e3fe1be46a994272793',
      spanId: '53995c3f42cd8ad8',
      isRemote: true,
    });
    expect(parent.links).toEqual([]);
  });

  it('is nothing, with the header as an x-ray-env link, when the header is not sampled', () => {
    const parent = resolveTraceParent(UNSAMPLED, 'lambda', OTHER);

    expect(parent.context).toBe(ROOT_CONTEXT);
    expect(parent.links.map((link) => [link.context.spanId, link.attributes])).toEqual([
      ['53995c3f42cd8ad8', { source: 'x-ray-env' }],
    ]);
  });

  it.each([
    ['missing', undefined],
    ['PassThrough (Root only)', 'Root=1-5759e988-bd862e3fe1be46a994272793'],
    ['malformed', 'Root=nope;Parent=zz'],
  ])('is nothing when the header is %s', (_name, header) => {
    expect(resolveTraceParent(header, 'lambda', OTHER)).toEqual({ context: ROOT_CONTEXT, links: [] });
  });

  it('is the caller from the request headers with traceContext http, the Lambda header becoming a link', () => {
    const parent = resolveTraceParent(SAMPLED, 'http', HTTP);

    expect(trace.getSpanContext(parent.context)).toMatchObject({
      traceId: CALLER_TRACE,
      spanId: CALLER_SPAN,
    });
    expect(parent.links.map((link) => link.context.traceId)).toEqual(['5759e988bd862e3fe1be46a994272793']);
  });

  it('falls back to the Lambda header with traceContext http when the request carries no trace', () => {
    const noHeaders = detectEventSource({
      ...HTTP,
      headers: {},
      version: '2.0',
      requestContext: { http: { method: 'GET' } },
    });
    const parent = resolveTraceParent(SAMPLED, 'http', noHeaders);

    expect(trace.getSpanContext(parent.context)?.spanId).toBe('53995c3f42cd8ad8');
  });

  it('ignores the request headers with traceContext lambda', () => {
    const parent = resolveTraceParent(SAMPLED, 'lambda', HTTP);

    expect(trace.getSpanContext(parent.context)?.traceId).toBe('5759e988bd862e3fe1be46a994272793');
  });

  it('links every SQS message that carries a valid AWSTraceHeader', () => {
    const event = detectEventSource({
      Records: [
        { eventSource: 'aws:sqs', messageId: 'm1', attributes: { AWSTraceHeader: SAMPLED } },
        { eventSource: 'aws:sqs', messageId: 'm2', attributes: { AWSTraceHeader: 'garbage' } },
        { eventSource: 'aws:sqs', messageId: 'm3', attributes: { AWSTraceHeader: UNSAMPLED } },
      ],
    });
    const parent = resolveTraceParent(undefined, 'lambda', event);

    expect(parent.links.map((link) => link.attributes?.['messaging.message.id'])).toEqual(['m1', 'm3']);
  });
});

/** An X-Ray trace header whose ids are made from `n` (valid for any n >= 0). */
function producerHeader(n: number): string {
  const hex = (n + 1).toString(16);
  return `Root=1-5759e988-${hex.padStart(24, '0')};Parent=${hex.padStart(16, '0')};Sampled=1`;
}

/** A batch of `size` SQS messages; every seventh carries a header that is no trace. */
function sqsBatch(size: number) {
  return Array.from({ length: size }, (_, index) => ({
    eventSource: 'aws:sqs',
    messageId: `m${index}`,
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:orders',
    attributes: { AWSTraceHeader: index % 7 === 3 ? 'Root=garbage' : producerHeader(index) },
  }));
}

/** The links an SDK span keeps (under the default limit of 128) when started with `links`. */
function keptLinks(parent: ReturnType<typeof resolveTraceParent>) {
  const tracer = new BasicTracerProvider().getTracer('test');
  const span = tracer.startSpan('batch', { links: parent.links }, parent.context);
  span.end();
  return (span as unknown as ReadableSpan).links.map((link) => [
    link.context.traceId,
    link.context.spanId,
    link.attributes,
  ]);
}

describe('the links of a large batch', () => {
  it('are the Lambda header and the last 127 messages, all kept by the span, for a batch of 10,000', () => {
    // Prepare
    const records = sqsBatch(10_000);
    const event = detectEventSource({ Records: records });

    // Act
    const limited = resolveTraceParent(UNSAMPLED, 'lambda', event, 128);
    const unlimited = resolveTraceParent(UNSAMPLED, 'lambda', event);

    // Assess
    // The Lambda header's link, then the last 127 messages' links: the span keeps all 128.
    expect(limited.links).toHaveLength(128);
    expect(limited.links[0]?.attributes).toEqual({ source: 'x-ray-env' });
    // m9999's header is no trace.
    expect(limited.links.at(-1)?.attributes?.['messaging.message.id']).toBe('m9998');
    expect(keptLinks(limited)).toHaveLength(128);
    expect(keptLinks(limited)[0]?.[2]).toEqual({ source: 'x-ray-env' });
    // Given every message, the span would drop the Lambda header's link, its first, to keep the
    // 128th message's.
    expect(keptLinks(limited).slice(1)).toEqual(keptLinks(unlimited).slice(1));
    expect(keptLinks(unlimited)[0]?.[2]).toEqual({ 'messaging.message.id': 'm9850' });
  });

  it('keep the link to an unsampled Lambda header, first, with 200 messages that carry trace headers', () => {
    // Prepare
    const records = sqsBatch(200).map((record, index) => ({
      ...record,
      attributes: { AWSTraceHeader: producerHeader(index) },
    }));
    const event = detectEventSource({ Records: records });

    // Act
    const parent = resolveTraceParent(UNSAMPLED, 'lambda', event, 128);

    // Assess
    const kept = keptLinks(parent);
    expect(kept).toHaveLength(128);
    expect(kept[0]).toEqual([
      '5759e988bd862e3fe1be46a994272793',
      '53995c3f42cd8ad8',
      { source: 'x-ray-env' },
    ]);
    expect(kept.slice(1).map((link) => link[2])).toEqual(
      records.slice(73).map((record) => ({ 'messaging.message.id': record.messageId })),
    );
  });

  it('reads the trace headers of the messages whose links are kept, and of no other', () => {
    // Prepare: the messages before the last 128 valid ones count how often their headers are
    // read, and the first one's throws when read
    const records: Record<string, unknown>[] = sqsBatch(10_000);
    // The last 128 valid headers span the last 150 messages (one in seven is not a trace).
    const firstKept = 10_000 - 150;
    let reads = 0;
    for (let index = 0; index < firstKept; index++) {
      const header = producerHeader(index);
      records[index] = {
        ...records[index],
        attributes: {
          get AWSTraceHeader() {
            reads++;
            if (index === 0) throw new Error('read the first message');
            return header;
          },
        },
      };
    }
    const event = detectEventSource({ Records: records });

    // Act
    const parent = resolveTraceParent(undefined, 'lambda', event, 128);

    // Assess
    expect(event.source).toBe('aws:sqs');
    expect(reads).toBe(0);
    expect(parent.links.map((link) => link.attributes?.['messaging.message.id'])).toEqual(
      records
        .slice(firstKept)
        .filter((_, offset) => (firstKept + offset) % 7 !== 3)
        .map((record) => record.messageId),
    );
  });

  it('skips a message whose header cannot be read and links the others', () => {
    // Prepare
    const records: Record<string, unknown>[] = sqsBatch(3);
    records[1] = {
      ...records[1],
      attributes: {
        get AWSTraceHeader() {
          throw new Error('unreadable');
        },
      },
    };
    const event = detectEventSource({ Records: records });

    // Act
    const parent = resolveTraceParent(undefined, 'lambda', event, 128);

    // Assess
    expect(parent.links.map((link) => link.attributes?.['messaging.message.id'])).toEqual(['m0', 'm2']);
  });
});

describe('the X-Ray root of a header', () => {
  it('is read from any position, lower-cased', () => {
    expect(xrayRootOf('Parent=53995c3f42cd8ad8;Root=1-5759E988-BD862E3FE1BE46A994272793;Sampled=1')).toBe(
      '1-5759e988-bd862e3fe1be46a994272793',
    );
    expect(xrayRootOf(undefined)).toBeUndefined();
    expect(xrayRootOf('Root=zz')).toBeUndefined();
  });
});
