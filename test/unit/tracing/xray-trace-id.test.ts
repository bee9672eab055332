import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromXRayTraceId, toXRayTraceId } from '../../../src/context/xray-trace-id.js';

describe('X-Ray trace id formatting', () => {
  it('splits the W3C id after the 8 epoch digits', () => {
    expect(toXRayTraceId('5759e988bd862e3fe1be46a994272793')).toBe('1-5759e988-bd862e3fe1be46a994272793');
  });

  it('rejects ids that are not 32 lowercase hex digits', () => {
    expect(toXRayTraceId('5759E988BD862E3FE1BE46A994272793')).toBeUndefined();
    expect(toXRayTraceId('abc')).toBeUndefined();
    expect(fromXRayTraceId('1-5759e988-bd862e3f')).toBeUndefined();
    expect(fromXRayTraceId('2-5759e988-bd862e3fe1be46a994272793')).toBeUndefined();
  });

  it('round-trips every valid id', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{32}$/), (traceId) => {
        const xray = toXRayTraceId(traceId);
        expect(xray).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
        expect(fromXRayTraceId(xray as string)).toBe(traceId);
      }),
    );
  });
});
