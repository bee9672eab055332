// The invocation's X-Ray trace header is read by Lookout's own reader on the caller's path
// (docs/decisions/0013-lambda-invocation-before-the-response.md); these tests hold it to the
// span context Lookout's X-Ray propagator gives for the same header, for arbitrary headers.
import { isSpanContextValid, ROOT_CONTEXT, type SpanContext, TraceFlags, trace } from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spanContextFromXRayHeader } from '../../../src/lambda/resolve-trace-parent.js';
import { LookoutXRayPropagator } from '../../../src/tracing/xray-propagator.js';

const propagator = new LookoutXRayPropagator();

/** What the propagator extracts from `header` as the only header of a carrier, if valid. */
function throughPropagator(header: string): SpanContext | undefined {
  const carrier = { 'x-amzn-trace-id': header };
  const extracted = propagator.extract(ROOT_CONTEXT, carrier, {
    keys: (value) => Object.keys(value),
    get: (value, key) => value[key.toLowerCase() as keyof typeof value],
  });
  const spanContext = trace.getSpanContext(extracted);
  return spanContext !== undefined && isSpanContextValid(spanContext) ? spanContext : undefined;
}

const hex = (length: number, upper = false) =>
  fc
    .array(fc.constantFrom(...(upper ? '0123456789abcdefABCDEF' : '0123456789abcdef')), {
      minLength: length,
      maxLength: length,
    })
    .map((chars) => chars.join(''));

const root = fc.oneof(
  fc.tuple(hex(8), hex(24)).map(([epoch, unique]) => `1-${epoch}-${unique}`),
  fc.tuple(hex(8, true), hex(24, true)).map(([epoch, unique]) => `1-${epoch}-${unique}`),
  fc.constant('1-00000000-000000000000000000000000'),
  fc.tuple(hex(8), hex(23)).map(([epoch, unique]) => `1-${epoch}-${unique}`),
  fc.tuple(hex(8), hex(24)).map(([epoch, unique]) => `2-${epoch}-${unique}`),
  fc.tuple(hex(8), hex(24)).map(([epoch, unique]) => `1_${epoch}-${unique}`),
  fc.string({ maxLength: 40 }),
);
const parent = fc.oneof(
  hex(16),
  hex(16, true),
  fc.constant('0000000000000000'),
  hex(15),
  fc.string({ maxLength: 20 }),
);
const sampled = fc.constantFrom('1', '0', '', '2', ' 1', '01', 'true', '?');
const space = fc.constantFrom('', ' ', '  ', '\t');

const part = fc.oneof(
  fc.tuple(space, root, space).map(([before, value, after]) => `${before}Root=${value}${after}`),
  fc.tuple(space, parent, space).map(([before, value, after]) => `${before}Parent=${value}${after}`),
  fc.tuple(space, sampled, space).map(([before, value, after]) => `${before}Sampled=${value}${after}`),
  fc.constantFrom('Lineage=a87bd80c:1|68fd508a:5', 'Self=1-5759e988-bd862e3fe1be46a994272793', 'root=x', ''),
  fc
    .tuple(fc.constantFrom('Root', 'Parent', 'Sampled'), fc.string({ maxLength: 12 }))
    .map(([key, rest]) => `${key}${rest}`),
  fc.string({ maxLength: 30 }),
);
const header = fc.array(part, { maxLength: 6 }).map((parts) => parts.join(';'));

// The layout Lambda writes (`Root=…;Parent=…;Sampled=…`, then other parts), which the reader
// takes a shorter way through: every value at its place, valid or not, and any parts after.
const canonicalHeader = fc
  .tuple(
    root.filter((value) => value.length === 35),
    parent.filter((value) => value.length === 16),
    fc.constantFrom('0', '1', '2', '9'),
    fc.array(part, { maxLength: 3 }),
  )
  .map(
    ([rootValue, parentValue, sampledValue, rest]) =>
      `Root=${rootValue};Parent=${parentValue};Sampled=${sampledValue}${rest.map((value) => `;${value}`).join('')}`,
  );

describe('the X-Ray trace header reader', () => {
  it('gives the span context the X-Ray propagator extracts, for any header', () => {
    fc.assert(
      fc.property(header, (value) => {
        expect(spanContextFromXRayHeader(value)).toEqual(throughPropagator(value));
      }),
      { numRuns: 5000 },
    );
  });

  it('gives the span context the X-Ray propagator extracts, for headers laid out as Lambda writes them', () => {
    fc.assert(
      fc.property(canonicalHeader, (value) => {
        expect(spanContextFromXRayHeader(value)).toEqual(throughPropagator(value));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads the header Lambda sets, remote and sampled', () => {
    expect(
      spanContextFromXRayHeader('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1'),
    ).toEqual({
      traceId: '5759e988bd862e3fe1be46a994272793',
      spanId: '53995c3f42cd8ad8',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
  });

  it('reads upper-case hex in lower case, as the propagator does', () => {
    const value = 'Root=1-5759E988-BD862E3FE1BE46A994272793;Parent=53995C3F42CD8AD8;Sampled=1';
    const expected = {
      traceId: '5759e988bd862e3fe1be46a994272793',
      spanId: '53995c3f42cd8ad8',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    };

    expect(throughPropagator(value)).toMatchObject(expected);
    expect(spanContextFromXRayHeader(value)).toEqual(expected);
    expect(spanContextFromXRayHeader(`${value};Lineage=a87bd80c:1`)).toEqual(expected);
  });

  it('refuses a header without a sampling decision, as the propagator does', () => {
    const value = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8';

    expect(throughPropagator(value)).toBeUndefined();
    expect(spanContextFromXRayHeader(value)).toBeUndefined();
  });
});
