import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseLambdaTraceHeader,
  splitTraceHeader,
  type TraceDataParser,
} from '../../../src/tracing/xray/lambda-trace-header.js';

// aws-xray-sdk-core's own parser: Lookout's must split every header the same way.
const { processTraceData } = createRequire(import.meta.url)('aws-xray-sdk-core/dist/lib/utils') as {
  processTraceData: TraceDataParser;
};

describe("the trace header split (contract with aws-xray-sdk-core's processTraceData)", () => {
  it.each([
    'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:0',
    'sampled=0; parent=53995c3f42cd8ad8; root=1-5759e988-bd862e3fe1be46a994272793',
    'Root=1-5759e988-bd862e3fe1be46a994272793',
    'Root=;Parent=53995c3f42cd8ad8;;=x;Self=1-abc',
    ' Root = 1-5759e988-bd862e3fe1be46a994272793 ;Sampled=?',
    'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1; parent= ',
    'Root=1-5759e988-bd862e3fe1be46a994272793=x;Parent=53995c3f42cd8ad8=;Sampled=1',
    '',
  ])('reads Root, Parent and Sampled from %j as the SDK does', (header) => {
    const fields = (parsed: Record<string, unknown>) => ({
      root: parsed.root,
      parent: parsed.parent,
      sampled: parsed.sampled,
    });
    expect(fields(splitTraceHeader(header))).toEqual(fields(processTraceData(header)));
  });
});

describe('the Lambda trace header', () => {
  it('reads the trace, the facade segment and the sampling decision', () => {
    const header =
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:0';

    expect(parseLambdaTraceHeader(header)).toEqual({
      root: '1-5759e988-bd862e3fe1be46a994272793',
      parent: '53995c3f42cd8ad8',
      sampled: true,
    });
  });

  it('reads Sampled=0 as not sampled, keys in any case and order', () => {
    const header = 'sampled=0; parent=53995c3f42cd8ad8; root=1-5759e988-bd862e3fe1be46a994272793';

    expect(parseLambdaTraceHeader(header)?.sampled).toBe(false);
  });

  it.each([
    ['PassThrough mode: a Root and nothing else', 'Root=1-5759e988-bd862e3fe1be46a994272793'],
    ['a malformed root', 'Root=1-xyz;Parent=53995c3f42cd8ad8;Sampled=1'],
    ['a malformed parent', 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=nothex;Sampled=1'],
    ['an empty header', ''],
  ])('gives no facade to attach to for %s', (_case, header) => {
    expect(parseLambdaTraceHeader(header)).toBeUndefined();
  });
});

describe('the Lambda trace header laid out as Lambda writes it', () => {
  const hex = (length: number, alphabet = '0123456789abcdef') =>
    fc
      .array(fc.constantFrom(...alphabet), { minLength: length, maxLength: length })
      .map((chars) => chars.join(''));
  const root = fc.oneof(
    fc.tuple(hex(8), hex(24)).map(([epoch, unique]) => `1-${epoch}-${unique}`),
    fc.tuple(hex(8, '0123456789ABCDEF'), hex(24)).map(([epoch, unique]) => `1-${epoch}-${unique}`),
    fc.tuple(hex(8), hex(24, '0123456789abcdefxyz')).map(([epoch, unique]) => `1-${epoch}-${unique}`),
    fc.string({ minLength: 35, maxLength: 35 }).map((value) => `1-${value.slice(2)}`),
  );
  const parent = fc.oneof(hex(16), hex(16, '0123456789ABCDEF'), fc.string({ minLength: 16, maxLength: 16 }));
  const rest = fc.array(
    fc.oneof(
      fc.constantFrom(
        'Lineage=a87bd80c:1|68fd508a:5',
        'root=1-5759e988-bd862e3fe1be46a994272793',
        'SAMPLED=0',
        '',
      ),
      fc
        .constantFrom('Parent', ' parent', 'Self')
        .chain((key) => fc.string({ maxLength: 20 }).map((value) => `${key}=${value}`)),
      fc.string({ maxLength: 20 }),
    ),
    { maxLength: 3 },
  );
  const header = fc
    .tuple(root, parent, fc.constantFrom('0', '1', '2', '9'), rest)
    .map(
      ([rootValue, parentValue, sampled, parts]) =>
        `Root=${rootValue};Parent=${parentValue};Sampled=${sampled}${parts.map((part) => `;${part}`).join('')}`,
    );

  it("reads it as the SDK's own split of the header gives it", () => {
    fc.assert(
      fc.property(header, (value) => {
        expect(parseLambdaTraceHeader(value)).toEqual(parseLambdaTraceHeader(value, processTraceData));
      }),
      { numRuns: 5000 },
    );
  });
});
