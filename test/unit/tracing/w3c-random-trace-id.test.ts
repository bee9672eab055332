import { type Context, createTraceState, ROOT_CONTEXT, type Span, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import type { SamplerName } from '../../../src/config/index.js';
import { createSampler } from '../../../src/tracing/create-sampler.js';
import { LookoutTraceContextPropagator } from '../../../src/tracing/w3c/trace-context-propagator.js';
import { XRayIdGenerator } from '../../../src/tracing/xray-id-generator.js';

const propagator = new LookoutTraceContextPropagator();
const getter = { get: (carrier: Record<string, string>, key: string) => carrier[key], keys: Object.keys };
const setter = {
  set: (carrier: Record<string, string>, key: string, value: string) => (carrier[key] = value),
};
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

function tracerWith(sampler: SamplerName, ratio = 1) {
  // The real SDK tracer, with the id generator and sampler Lookout gives it (start-tracing.ts).
  const provider = new BasicTracerProvider({
    idGenerator: new XRayIdGenerator(),
    sampler: createSampler(sampler, ratio),
  });
  return provider.getTracer('test');
}

function outgoing(span: Span, parent: Context = ROOT_CONTEXT): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagator.inject(trace.setSpan(parent, span), carrier, setter);
  return carrier;
}

function flagsOf(carrier: Record<string, string>): string | undefined {
  return carrier.traceparent?.slice(53);
}

function extracted(headers: Record<string, string>): Context {
  return propagator.extract(ROOT_CONTEXT, headers, getter);
}

describe('the random-trace-id flag on outgoing calls', () => {
  it.each([
    { sampler: 'parentbased_always_on', flags: '03' },
    { sampler: 'always_on', flags: '03' },
    { sampler: 'always_off', flags: '02' },
    { sampler: 'parentbased_always_off', flags: '02' },
  ] as const)('sets it on a trace id Lookout generated ($sampler)', ({ sampler, flags }) => {
    const root = tracerWith(sampler).startSpan('root', {}, ROOT_CONTEXT);

    expect(flagsOf(outgoing(root))).toBe(flags);
  });

  it('sets it on every span under a generated root, recorded or not', () => {
    const tracer = tracerWith('traceidratio', 0);
    const root = tracer.startSpan('root', {}, ROOT_CONTEXT);
    const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root));

    expect(root.isRecording()).toBe(false);
    expect(flagsOf(outgoing(child))).toBe('02');
  });

  it.each([
    { incoming: '00', flags: '00' },
    { incoming: '01', flags: '01' },
    { incoming: '02', flags: '02' },
    { incoming: '03', flags: '03' },
  ])('keeps the caller flags $incoming on a continued trace', ({ incoming, flags }) => {
    const parent = extracted({ traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-${incoming}` });
    const server = tracerWith('parentbased_always_on').startSpan('server', {}, parent);
    const client = tracerWith('parentbased_always_on').startSpan('client', {}, trace.setSpan(parent, server));

    const carrier = outgoing(client);

    expect(carrier.traceparent?.slice(0, 36)).toBe(`00-${TRACE_ID}-`);
    expect(flagsOf(carrier)).toBe(flags);
  });

  it('does not claim a trace id from an X-Ray header is random', () => {
    const parent = new AWSXRayPropagator().extract(
      ROOT_CONTEXT,
      { 'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' },
      getter,
    );
    const span = tracerWith('parentbased_always_on').startSpan('server', {}, parent);

    expect(outgoing(span).traceparent).toMatch(/^00-5759e988bd862e3fe1be46a994272793-[0-9a-f]{16}-01$/);
  });

  it("keeps another library's trace state on the way through", () => {
    const parent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: TRACE_ID,
      spanId: '00f067aa0ba902b7',
      traceFlags: 3,
      isRemote: true,
      traceState: createTraceState('congo=t61rcWkgMzE'),
    });
    const span = tracerWith('parentbased_always_on').startSpan('server', {}, parent);

    const carrier = outgoing(span);

    expect(flagsOf(carrier)).toBe('03');
    expect(carrier.tracestate).toBe('congo=t61rcWkgMzE');
  });

  it('writes nothing for an invalid span context, or with tracing suppressed', () => {
    const invalid: Record<string, string> = {};
    const suppressed: Record<string, string> = {};
    const span = tracerWith('always_on').startSpan('root', {}, ROOT_CONTEXT);

    propagator.inject(
      trace.setSpanContext(ROOT_CONTEXT, { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 }),
      invalid,
      setter,
    );
    propagator.inject(suppressTracing(trace.setSpan(ROOT_CONTEXT, span)), suppressed, setter);

    expect(invalid).toEqual({});
    expect(suppressed).toEqual({});
  });
});

describe('extraction', () => {
  it('reads several tracestate fields as one list and refuses two traceparent fields', () => {
    const arrays = {
      get: (carrier: Record<string, string[]>, key: string) => carrier[key],
      keys: Object.keys,
    };
    const traceparent = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

    const one = propagator.extract(
      ROOT_CONTEXT,
      { traceparent: [traceparent], tracestate: ['a=1', 'b=2'] },
      arrays,
    );
    const two = propagator.extract(ROOT_CONTEXT, { traceparent: [traceparent, traceparent] }, arrays);

    expect(trace.getSpanContext(one)?.traceState?.serialize()).toBe('a=1,b=2');
    expect(trace.getSpanContext(two)).toBeUndefined();
  });

  it('marks the extracted context remote and keeps the known flags only', () => {
    const spanContext = trace.getSpanContext(
      extracted({ traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-07` }),
    );

    expect(spanContext).toMatchObject({
      traceId: TRACE_ID,
      spanId: '00f067aa0ba902b7',
      traceFlags: 3,
      isRemote: true,
    });
  });

  it('names its fields', () => {
    expect(propagator.fields()).toEqual(['traceparent', 'tracestate']);
  });
});
