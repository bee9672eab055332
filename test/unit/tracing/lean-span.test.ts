import {
  type Attributes,
  type Context,
  type Link,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  type IdGenerator,
  InMemorySpanExporter,
  type ReadableSpan,
  type Sampler,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { createRedactionPolicy } from '../../../src/logging/index.js';
import { LeanSpan, type LeanSpanPipeline, startLeanSpan } from '../../../src/tracing/lean-span.js';
import { UNREADABLE_THROWN_VALUE } from '../../../src/tracing/record-thrown-value.js';
import { redactSpan } from '../../../src/tracing/redact-span.js';

/** Ids in a fixed sequence, so the SDK span and the lean span get the same ones. */
function sequentialIds(): IdGenerator {
  let next = 0;
  return {
    generateTraceId: () => (++next).toString(16).padStart(32, '0'),
    generateSpanId: () => (++next).toString(16).padStart(16, '0'),
  };
}

const resource = resourceFromAttributes({ 'service.name': 'orders' });
const scope = { name: 'lookout', version: '1.0.0' };

/** An SDK tracer and a lean pipeline built from the same parts, each exporting to memory. */
function pair(sampler: Sampler = new AlwaysOnSampler()) {
  const sdkExporter = new InMemorySpanExporter();
  const sdkProvider = new BasicTracerProvider({
    resource,
    sampler,
    idGenerator: sequentialIds(),
    spanProcessors: [new SimpleSpanProcessor(sdkExporter)],
  });
  const leanExporter = new InMemorySpanExporter();
  const pipeline: LeanSpanPipeline = {
    sampler,
    idGenerator: sequentialIds(),
    resource,
    scope,
    processors: [new SimpleSpanProcessor(leanExporter)],
  };
  const tracer = sdkProvider.getTracer(scope.name, scope.version);
  return {
    sdk: (attributes: Attributes, parent: Context, links?: Link[]) =>
      tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes, ...(links && { links }) }, parent),
    lean: (attributes: Attributes, parent: Context, links?: Link[]) =>
      startLeanSpan(pipeline, 'GET', SpanKind.SERVER, attributes, parent, links),
    sdkSpans: () => sdkExporter.getFinishedSpans(),
    leanSpans: () => leanExporter.getFinishedSpans(),
  };
}

/** What an exporter reads from a span, less the clock. */
function exported(span: ReadableSpan) {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    status: span.status,
    attributes: span.attributes,
    links: span.links,
    events: span.events.map(({ name, attributes, droppedAttributesCount }) => ({
      name,
      attributes,
      droppedAttributesCount,
    })),
    ended: span.ended,
    resource: span.resource,
    scope: { name: span.instrumentationScope.name, version: span.instrumentationScope.version },
    dropped: [span.droppedAttributesCount, span.droppedEventsCount, span.droppedLinksCount],
  };
}

function serverAttributes(): Attributes {
  return {
    'http.request.method': 'GET',
    'url.scheme': 'http',
    'url.path': '/orders/42',
    'network.protocol.version': '1.1',
    'client.address': '127.0.0.1',
  };
}

// One error for both spans: its stack names the line that made it.
const ERROR = new Error('boom');

function exercise(span: Span): void {
  span.setAttribute('http.route', '/orders/:id');
  span.setAttributes({ 'http.response.status_code': 500, 'app.tags': ['a', 'b'], 'app.bad': {} as never });
  span.setAttribute('', 'no key');
  span.updateName('GET /orders/:id');
  span.recordException(ERROR);
  span.recordException({ code: 'E_FAIL', message: 'failed' });
  span.addEvent('cache.miss', { 'cache.key': 'orders:42', 'app.bad': {} as never });
  span.addLink({ context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 } });
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
  span.end();
  // Ignored once ended, by both.
  span.setAttribute('late', true);
  span.updateName('late');
  span.setStatus({ code: SpanStatusCode.OK });
}

describe('LeanSpan', () => {
  it('exports what the SDK span exports for the same calls', () => {
    const { sdk, lean, sdkSpans, leanSpans } = pair();

    exercise(sdk(serverAttributes(), ROOT_CONTEXT));
    exercise(lean(serverAttributes(), ROOT_CONTEXT));

    expect(leanSpans()).toHaveLength(1);
    expect(exported(leanSpans()[0] as ReadableSpan)).toEqual(exported(sdkSpans()[0] as ReadableSpan));
  });

  it('shows the links it is started with to the sampler and keeps them, as the SDK span does', () => {
    const seen: Array<readonly unknown[]> = [];
    const sampler: Sampler = {
      shouldSample: (_context, _traceId, _name, _kind, _attributes, links) => {
        seen.push(links);
        return new AlwaysOnSampler().shouldSample();
      },
      toString: () => 'recording',
    };
    const { sdk, lean, sdkSpans, leanSpans } = pair(sampler);
    const links = [
      { context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 } },
      {
        context: { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: 0 },
        attributes: { source: 'x-ray-env' },
      },
    ];

    sdk({}, ROOT_CONTEXT, links).end();
    lean({}, ROOT_CONTEXT, links).end();

    // The SDK shows copies with sanitized attributes; the same links either way.
    const contexts = links.map((link) => link.context);
    expect(seen.map((given) => given.map((link) => (link as { context: unknown }).context))).toEqual([
      contexts,
      contexts,
    ]);
    const [sdkSpan] = sdkSpans();
    const [leanSpan] = leanSpans();
    expect(leanSpan?.links).toHaveLength(2);
    expect(exported(leanSpan as ReadableSpan)).toEqual(exported(sdkSpan as ReadableSpan));
  });

  it('continues a remote parent: its trace, its span as parent, its trace state', () => {
    const { sdk, lean, sdkSpans, leanSpans } = pair();
    const parent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: 'c'.repeat(32),
      spanId: 'd'.repeat(16),
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
      traceState: new TraceState('vendor=1'),
    });

    sdk(serverAttributes(), parent).end();
    lean(serverAttributes(), parent).end();

    const leanSpan = leanSpans()[0] as ReadableSpan;
    expect(leanSpan.spanContext().traceId).toBe('c'.repeat(32));
    expect(leanSpan.parentSpanContext?.spanId).toBe('d'.repeat(16));
    expect(leanSpan.spanContext().traceState?.serialize()).toBe('vendor=1');
    expect(exported(leanSpan)).toEqual(exported(sdkSpans()[0] as ReadableSpan));
  });

  it('is a non-recording span carrying the ids when the sampler drops it, and reaches no processor', () => {
    const { lean, leanSpans } = pair(new AlwaysOffSampler());

    const span = lean(serverAttributes(), ROOT_CONTEXT);
    span.end();

    expect(span).not.toBeInstanceOf(LeanSpan);
    expect(span.isRecording()).toBe(false);
    expect(trace.isSpanContextValid(span.spanContext())).toBe(true);
    expect(span.spanContext().traceFlags).toBe(TraceFlags.NONE);
    expect(leanSpans()).toHaveLength(0);
  });

  it('keeps at most 128 attributes and counts the dropped ones, as the SDK span does by default', () => {
    const { sdk, lean, sdkSpans, leanSpans } = pair();
    const fill = (span: Span) => {
      for (let index = 0; index < 140; index++) span.setAttribute(`app.key${index}`, index);
      span.end();
    };

    fill(sdk(serverAttributes(), ROOT_CONTEXT));
    fill(lean(serverAttributes(), ROOT_CONTEXT));

    const leanSpan = leanSpans()[0] as ReadableSpan;
    expect(Object.keys(leanSpan.attributes)).toHaveLength(128);
    expect(leanSpan.droppedAttributesCount).toBe(17);
    expect(exported(leanSpan)).toEqual(exported(sdkSpans()[0] as ReadableSpan));
  });

  it('tells every processor at start, with the parent context, and at end, once', () => {
    const calls: string[] = [];
    const processor: SpanProcessor = {
      onStart: (span, parent) => calls.push(`start ${span.name} ${parent === ROOT_CONTEXT}`),
      onEnd: (span) => calls.push(`end ${span.name} ${span.ended}`),
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    const pipeline: LeanSpanPipeline = {
      sampler: new AlwaysOnSampler(),
      idGenerator: sequentialIds(),
      resource,
      scope,
      processors: [processor, processor],
    };

    const span = startLeanSpan(pipeline, 'GET', SpanKind.SERVER, serverAttributes(), ROOT_CONTEXT);
    span.updateName('GET /orders/:id');
    span.end();
    span.end();

    expect(calls).toEqual([
      'start GET true',
      'start GET true',
      'end GET /orders/:id true',
      'end GET /orders/:id true',
    ]);
  });

  // span.recordException(error) runs in the app's catch block: a throw there would replace the
  // app's own error (docs/design.md decision 4). What can be read is recorded.
  it.each([
    [
      'a code without toString',
      { code: Object.create(null), name: 'OddError', message: 'odd' },
      'OddError',
      'odd',
    ],
    ['a code whose toString is not a function', { code: { toString: 5 }, message: 'odd' }, undefined, 'odd'],
    [
      'a code whose toString throws',
      {
        code: {
          toString() {
            throw new Error('no');
          },
        },
        message: 'odd',
      },
      undefined,
      'odd',
    ],
    [
      'getters that throw',
      Object.defineProperties(
        {},
        {
          code: {
            get() {
              throw new Error('no');
            },
          },
          message: { value: 'kept' },
          stack: {
            get() {
              throw new Error('no');
            },
          },
        },
      ),
      undefined,
      'kept',
    ],
    [
      'a Proxy whose every trap throws',
      new Proxy(
        {},
        {
          get() {
            throw new Error('no');
          },
        },
      ),
      undefined,
      UNREADABLE_THROWN_VALUE,
    ],
  ])('records an exception with %s without throwing', (_case, exception, type, message) => {
    // Prepare
    const { lean, leanSpans } = pair();
    const span = lean(serverAttributes(), ROOT_CONTEXT);

    // Act
    span.recordException(exception as never);
    span.end();

    // Assess
    const [event] = (leanSpans()[0] as ReadableSpan).events;
    expect(event?.name).toBe('exception');
    expect(event?.attributes?.['exception.type']).toBe(type);
    expect(event?.attributes?.['exception.message']).toBe(message);
  });

  it('records nothing, and does not throw, for an exception with nothing to say and no toString', () => {
    // Prepare
    const { lean, leanSpans } = pair();
    const span = lean(serverAttributes(), ROOT_CONTEXT);

    // Act
    span.recordException(Object.create(null));
    span.end();

    // Assess
    expect((leanSpans()[0] as ReadableSpan).events).toEqual([]);
  });

  it('is the parent of spans started in a context it is set in', () => {
    const { lean } = pair();
    const child = new BasicTracerProvider({ sampler: new AlwaysOnSampler() }).getTracer('app');

    const server = lean(serverAttributes(), ROOT_CONTEXT);
    const span = child.startSpan(
      'db.query',
      {},
      trace.setSpan(ROOT_CONTEXT, server),
    ) as unknown as ReadableSpan;

    expect(span.spanContext().traceId).toBe(server.spanContext().traceId);
    expect(span.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
  });

  it("is read through the redacting exporter's view of it: ids, times and redacted attributes", () => {
    const { lean, leanSpans } = pair();

    lean({ ...serverAttributes(), 'url.query': 'token=query-secret-7&page=2' }, ROOT_CONTEXT).end();
    const span = leanSpans()[0] as ReadableSpan;
    const view = redactSpan(span, createRedactionPolicy());

    expect(view).not.toBe(span);
    expect(view.spanContext()).toEqual(span.spanContext());
    expect(view.endTime).toEqual(span.endTime);
    expect(String(view.attributes['url.query'])).toContain('page=2');
    expect(String(view.attributes['url.query'])).not.toContain('query-secret-7');
  });

  it('ends no earlier than it started, and at a time given to end()', () => {
    const { lean, leanSpans } = pair();

    lean(serverAttributes(), ROOT_CONTEXT).end();
    const given = new Date(Date.now() + 5000);
    lean(serverAttributes(), ROOT_CONTEXT).end(given);

    const [first, second] = leanSpans() as [ReadableSpan, ReadableSpan];
    expect(first.duration[0]).toBeGreaterThanOrEqual(0);
    expect(first.endTime[0] * 1e9 + first.endTime[1]).toBeGreaterThanOrEqual(
      first.startTime[0] * 1e9 + first.startTime[1],
    );
    expect(second.endTime[0]).toBe(Math.trunc(given.getTime() / 1000));
  });
});
