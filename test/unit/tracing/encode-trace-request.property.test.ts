// Lookout's span encoder must write the bytes OpenTelemetry's OTLP transformer writes for the
// same spans (docs/decisions/0066-own-otlp-span-encoder.md): any span the SDK can make, with any
// attribute values, events, links, trace state, parent, status and scope.
import { type AttributeValue, type Context, createTraceState, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeTraceRequest } from '../../../src/tracing/otlp/encode-trace-request.js';

const hex = (length: number) =>
  fc
    .array(fc.constantFrom(...'0123456789abcdef'), { minLength: length, maxLength: length })
    .map((chars) => chars.join(''));

const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  // Latin-1 and a little beyond: one UTF-16 unit each, two UTF-8 bytes.
  fc.string({
    unit: fc.integer({ min: 0, max: 0x17f }).map((code) => String.fromCharCode(code)),
    maxLength: 30,
  }),
  fc.string({ minLength: 120, maxLength: 300 }),
  fc.constantFrom('', 'GET /orders/:id', 'é ü 日本 🙂', '\u0000', 'x'.repeat(127), 'x'.repeat(128)),
);
const number = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    0,
    -1,
    127,
    128,
    2 ** 31,
    2 ** 32,
    2 ** 53,
    -(2 ** 63),
    2 ** 63,
    2 ** 62 + 2 ** 40,
    -0,
    Number.NaN,
  ),
  fc.maxSafeInteger(),
);
const primitive: fc.Arbitrary<AttributeValue> = fc.oneof(text, number, fc.boolean());
const value: fc.Arbitrary<AttributeValue> = fc.oneof(
  primitive,
  fc.array(text, { maxLength: 4 }),
  fc.array(number, { maxLength: 4 }),
  fc.array(fc.boolean(), { maxLength: 3 }),
  fc.array(fc.oneof(text, fc.constant(null), fc.constant(undefined)), {
    maxLength: 3,
  }) as fc.Arbitrary<AttributeValue>,
);
const attributes = fc.dictionary(fc.string({ maxLength: 24 }), value, { maxKeys: 8 });
const spanContext = fc.record({
  traceId: hex(32),
  spanId: hex(16),
  traceFlags: fc.constantFrom(0, 1),
  isRemote: fc.option(fc.boolean(), { nil: undefined }),
  traceState: fc.option(fc.constantFrom('vendor=a', 'a=1,b=2', 'rojo=00f067aa0ba902b7'), { nil: undefined }),
});
const spanInput = fc.record({
  name: text,
  kind: fc.integer({ min: 0, max: 4 }),
  attributes,
  parent: fc.option(spanContext, { nil: undefined }),
  links: fc.array(
    fc.record({ context: spanContext, attributes: fc.option(attributes, { nil: undefined }) }),
    {
      maxLength: 3,
    },
  ),
  events: fc.array(fc.record({ name: text, attributes: fc.option(attributes, { nil: undefined }) }), {
    maxLength: 3,
  }),
  status: fc.option(
    fc.record({ code: fc.constantFrom(0, 1, 2), message: fc.option(text, { nil: undefined }) }),
    { nil: undefined },
  ),
  scope: fc.constantFrom(0, 1, 2),
});
type SpanInput = typeof spanInput extends fc.Arbitrary<infer T> ? T : never;

function toApiContext(context: NonNullable<SpanInput['parent']>) {
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    traceFlags: context.traceFlags,
    ...(context.isRemote === undefined ? {} : { isRemote: context.isRemote }),
    ...(context.traceState === undefined ? {} : { traceState: createTraceState(context.traceState) }),
  };
}

/** The SDK's finished spans for the inputs, from one provider with three scopes. */
function finishedSpans(inputs: SpanInput[], resourceAttributes: Record<string, AttributeValue>) {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resourceAttributes),
    spanProcessors: [new SimpleSpanProcessor(memory)],
    // Low limits, so that spans, events and links carry dropped counts too.
    spanLimits: {
      attributeCountLimit: 6,
      eventCountLimit: 2,
      linkCountLimit: 2,
      attributePerEventCountLimit: 3,
      attributePerLinkCountLimit: 3,
    },
  });
  const tracers = [
    provider.getTracer('lookout', '1.0.0'),
    provider.getTracer('other'),
    provider.getTracer('schema', '2.0.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' }),
  ];
  for (const input of inputs) {
    const parent: Context =
      input.parent === undefined
        ? ROOT_CONTEXT
        : trace.setSpanContext(ROOT_CONTEXT, toApiContext(input.parent));
    const span = (tracers[input.scope] ?? tracers[0])!.startSpan(
      input.name,
      {
        kind: input.kind,
        attributes: input.attributes,
        links: input.links.map((link) => ({
          context: toApiContext(link.context),
          ...(link.attributes === undefined ? {} : { attributes: link.attributes }),
        })),
      },
      parent,
    );
    for (const event of input.events) span.addEvent(event.name, event.attributes);
    if (input.status !== undefined)
      span.setStatus({
        code: input.status.code,
        ...(input.status.message === undefined ? {} : { message: input.status.message }),
      });
    span.end();
  }
  return memory.getFinishedSpans();
}

describe('encodeTraceRequest', () => {
  it("writes the OTLP transformer's bytes for any spans", () => {
    fc.assert(
      fc.property(fc.array(spanInput, { minLength: 1, maxLength: 6 }), attributes, (inputs, resource) => {
        const spans = finishedSpans(inputs, { 'service.name': 'test', ...resource });
        const expected = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) ?? new Uint8Array());
        expect(Buffer.from(encodeTraceRequest(spans)).equals(expected)).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('returns bytes of its own: a later call does not change an earlier result', () => {
    const first = finishedSpans(
      [
        {
          name: 'a',
          kind: 1,
          attributes: { k: 'v' },
          parent: undefined,
          links: [],
          events: [],
          status: undefined,
          scope: 0,
        },
      ],
      { 'service.name': 'test' },
    );
    const second = finishedSpans(
      [
        {
          name: 'b'.repeat(500),
          kind: 2,
          attributes: {},
          parent: undefined,
          links: [],
          events: [],
          status: undefined,
          scope: 1,
        },
      ],
      { 'service.name': 'other' },
    );
    const kept = encodeTraceRequest(first);
    const copy = Buffer.from(kept);
    encodeTraceRequest(second);
    expect(Buffer.from(kept).equals(copy)).toBe(true);
  });
});
