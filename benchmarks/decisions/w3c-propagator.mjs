// Measures what Lookout's own W3C Trace Context propagator costs per request against
// @opentelemetry/core's, for the decision to replace it
// (docs/decisions/0030-own-w3c-trace-context-propagator.md).
//
//   node benchmarks/decisions/w3c-propagator.mjs [--rounds 15] [--iterations 100000]
//
// Bundles src/tracing/w3c/ with esbuild (OpenTelemetry packages left external, the same copies
// the SDK uses) into .scratch/, then, per header shape, runs one server-side extract and one
// client-side inject per iteration, for each propagator in turn (alternated every round), and
// prints the median CPU time per request (process.cpuUsage, user + system) and the ratio.
// Then the same for the sampler wrapper that records the random-trace-id flag: one root span
// and one child per iteration from the SDK's tracer, with and without the wrapper.
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import { AlwaysOnSampler, BasicTracerProvider, ParentBasedSampler } from '@opentelemetry/sdk-trace-base';
import { median } from '../lib/stats.mjs';
import { bundleSource } from './lib/bundle-source.mjs';

const arg = (name, fallback) => Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
const rounds = arg('--rounds', 15);
const iterations = arg('--iterations', 100_000);

const outfile = await bundleSource('w3c-propagator', {
  'src/tracing/w3c/trace-context-propagator.ts': ['LookoutTraceContextPropagator'],
  'src/tracing/w3c/random-trace-id-sampler.ts': ['RandomTraceIdFlagSampler'],
});
const { LookoutTraceContextPropagator, RandomTraceIdFlagSampler } = await import(pathToFileURL(outfile).href);

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const member = (index) => `vendor${index}=${'v'.repeat(16)}`;
const SHAPES = {
  'no headers (new trace)': {},
  'traceparent only': { traceparent: TRACEPARENT },
  'traceparent + 3-member tracestate': {
    traceparent: TRACEPARENT,
    tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE,fw529a3039@dt=1',
  },
  'traceparent + 32-member tracestate': {
    traceparent: TRACEPARENT,
    tracestate: Array.from({ length: 32 }, (_, index) => member(index)).join(','),
  },
};

const getter = { get: (carrier, key) => carrier[key], keys: Object.keys };
const setter = { set: (carrier, key, value) => (carrier[key] = value) };
// A fixed child span context stands in for the span the tracer would start under the parent.
const CHILD_SPAN_ID = 'b7ad6b7169203331';
const NEW_TRACE = { traceId: '5759e988bd862e3fe1be46a994272793', spanId: CHILD_SPAN_ID, traceFlags: 1 };

function runOnce(propagator, headers) {
  const started = process.cpuUsage();
  let written = 0;
  for (let index = 0; index < iterations; index++) {
    const parent = propagator.extract(ROOT_CONTEXT, headers, getter);
    const parentContext = trace.getSpanContext(parent);
    const child =
      parentContext === undefined ? NEW_TRACE : { ...parentContext, spanId: CHILD_SPAN_ID, isRemote: false };
    const carrier = {};
    propagator.inject(trace.setSpanContext(parent, child), carrier, setter);
    written += carrier.traceparent.length;
  }
  const used = process.cpuUsage(started);
  if (written === 0) throw new Error('nothing injected');
  return ((used.user + used.system) / iterations).toFixed(3) * 1;
}

const variants = {
  '@opentelemetry/core': new W3CTraceContextPropagator(),
  lookout: new LookoutTraceContextPropagator(),
};

console.log(
  `${rounds} alternated rounds of ${iterations} requests, Node ${process.version}, load average ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`,
);
for (const [shape, headers] of Object.entries(SHAPES)) {
  const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    const names = Object.keys(variants);
    if (round % 2 === 1) names.reverse();
    for (const name of names) samples[name].push(runOnce(variants[name], headers));
  }
  const otel = median(samples['@opentelemetry/core']);
  const lookout = median(samples.lookout);
  console.log(
    `${shape.padEnd(36)} otel ${otel.toFixed(2).padStart(6)} µs   lookout ${lookout.toFixed(2).padStart(6)} µs   ratio ${(lookout / otel).toFixed(2)}`,
  );
}

function startSpans(tracer) {
  const started = process.cpuUsage();
  for (let index = 0; index < iterations; index++) {
    const root = tracer.startSpan('root', {}, ROOT_CONTEXT);
    tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root));
  }
  const used = process.cpuUsage(started);
  return (used.user + used.system) / iterations;
}

const tracerOf = (sampler) =>
  new BasicTracerProvider({ idGenerator: new AWSXRayIdGenerator(), sampler }).getTracer('bench');
const tracers = {
  parentbased_always_on: tracerOf(new ParentBasedSampler({ root: new AlwaysOnSampler() })),
  'with the random-trace-id flag': tracerOf(
    new RandomTraceIdFlagSampler(new ParentBasedSampler({ root: new AlwaysOnSampler() })),
  ),
};
const spanSamples = Object.fromEntries(Object.keys(tracers).map((name) => [name, []]));
for (let round = 0; round < rounds; round++) {
  const names = Object.keys(tracers);
  if (round % 2 === 1) names.reverse();
  for (const name of names) spanSamples[name].push(startSpans(tracers[name]));
}
const [plain, flagged] = Object.keys(tracers).map((name) => median(spanSamples[name]));
console.log(
  `root + child span starts                plain ${plain.toFixed(2).padStart(6)} µs   with flag ${flagged.toFixed(2).padStart(6)} µs   ratio ${(flagged / plain).toFixed(2)}`,
);
