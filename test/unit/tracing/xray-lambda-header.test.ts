import { createRequire } from 'node:module';
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
