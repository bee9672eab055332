import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPropagator } from '../../../src/tracing/create-propagator.js';

const propagator = createPropagator(['tracecontext', 'baggage', 'xray']);
// The spec's rule, written independently of the parser: version 00 exactly, or a higher
// version (not ff) whose version 00 prefix is followed by the end or a dash.
const VALID_TRACEPARENT =
  /^(?:00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}|(?!ff|00)[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(?:-.*)?)$/s;

function extract(headers: Record<string, string>) {
  return trace.getSpanContext(
    propagator.extract(ROOT_CONTEXT, headers, { get: (c, k) => c[k], keys: Object.keys }),
  );
}

describe('trace header extraction', () => {
  it('continues a valid traceparent', () => {
    const extracted = extract({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });

    expect(extracted?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(extracted?.spanId).toBe('b7ad6b7169203331');
    expect(extracted?.isRemote).toBe(true);
  });

  it('continues a valid X-Amzn-Trace-Id and honours Sampled=0', () => {
    const extracted = extract({
      'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0',
    });

    expect(extracted?.traceId).toBe('5759e988bd862e3fe1be46a994272793');
    expect(extracted?.spanId).toBe('53995c3f42cd8ad8');
    expect(extracted?.traceFlags).toBe(0);
  });

  it('never throws on malformed headers and yields no parent unless the value is valid', () => {
    const header = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.stringMatching(/^[0-9a-f-]{0,60}$/),
      fc
        .tuple(
          fc.stringMatching(/^[0-9a-z]{0,3}$/),
          fc.stringMatching(/^[0-9a-fA-F]{0,33}$/),
          fc.stringMatching(/^[0-9a-f]{0,17}$/),
        )
        .map(([version, traceId, spanId]) => `${version}-${traceId}-${spanId}-01`),
      fc
        .tuple(fc.string({ maxLength: 40 }), fc.string({ maxLength: 20 }))
        .map(([root, parent]) => `Root=${root};Parent=${parent};Sampled=1`),
    );
    fc.assert(
      fc.property(header, header, (traceparent, amzn) => {
        const extracted = extract({ traceparent, 'x-amzn-trace-id': amzn });
        if (extracted === undefined) return;
        // Anything extracted must have come from a well-formed header.
        const fromW3C =
          VALID_TRACEPARENT.test(traceparent.replace(/^[ \t]+|[ \t]+$/g, '')) &&
          traceparent.includes(extracted.traceId);
        const fromXRay = amzn.includes(extracted.spanId);
        expect(fromW3C || fromXRay).toBe(true);
        expect(extracted.traceId).toMatch(/^[0-9a-f]{32}$/);
        expect(extracted.traceId).not.toBe('0'.repeat(32));
        expect(extracted.spanId).toMatch(/^[0-9a-f]{16}$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('injects both traceparent and X-Amzn-Trace-Id', () => {
    const spanContext = {
      traceId: '5759e988bd862e3fe1be46a994272793',
      spanId: '53995c3f42cd8ad8',
      traceFlags: 1,
    };
    const carrier: Record<string, string> = {};
    propagator.inject(trace.setSpanContext(context.active(), spanContext), carrier, {
      set: (c, k, v) => {
        c[k] = v;
      },
    });

    expect(carrier.traceparent).toBe('00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01');
    expect(carrier['x-amzn-trace-id']).toBe(
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    );
  });
});
