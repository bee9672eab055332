import { isValidSpanId, isValidTraceId } from '@opentelemetry/api';
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { XRayIdGenerator } from '../../../src/tracing/xray-id-generator.js';

const generator = new XRayIdGenerator();
const COUNT = 4000;

/** How many different hex digits each position of the ids holds. */
function digitsPerPosition(ids: readonly string[]): number[] {
  const length = ids[0]?.length ?? 0;
  return Array.from({ length }, (_, position) => new Set(ids.map((id) => id[position])).size);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('XRayIdGenerator', () => {
  it('starts a trace id with the current epoch seconds, as X-Ray requires', () => {
    const before = Math.floor(Date.now() / 1000);
    const traceId = generator.generateTraceId();
    const after = Math.floor(Date.now() / 1000);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const epoch = Number.parseInt(traceId.slice(0, 8), 16);
    expect(epoch).toBeGreaterThanOrEqual(before);
    expect(epoch).toBeLessThanOrEqual(after);
  });

  it('makes valid, different ids whose random digits all vary', () => {
    const traceIds = Array.from({ length: COUNT }, () => generator.generateTraceId());
    const spanIds = Array.from({ length: COUNT }, () => generator.generateSpanId());
    expect(traceIds.every(isValidTraceId)).toBe(true);
    expect(spanIds.every(isValidSpanId)).toBe(true);
    expect(spanIds.every((id) => /^[0-9a-f]{16}$/.test(id))).toBe(true);
    expect(new Set(traceIds).size).toBe(COUNT);
    expect(new Set(spanIds).size).toBe(COUNT);
    // All 16 digits appear at every random position (a stuck byte or a lost shift would not).
    expect(digitsPerPosition(traceIds.map((id) => id.slice(8)))).toEqual(Array(24).fill(16));
    expect(digitsPerPosition(spanIds)).toEqual(Array(16).fill(16));
  });

  it('spells the random bits the way the OpenTelemetry X-Ray generator does', () => {
    // Both draw from Math.random 32 bits at a time: the same draws give the same ids.
    const draws = [0, 0.5, 0.999_999_999, 0.123_456_789, 0.25, 0.75, 0.1, 0.9];
    const replay = () => {
      let next = 0;
      vi.spyOn(Math, 'random').mockImplementation(() => draws[next++ % draws.length]!);
    };
    replay();
    const ours = [generator.generateSpanId(), generator.generateTraceId().slice(8)];
    vi.restoreAllMocks();
    replay();
    const theirs = new AWSXRayIdGenerator();
    expect(ours).toEqual([theirs.generateSpanId(), theirs.generateTraceId().slice(8)]);
  });

  it('never returns the invalid all-zero span id', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(generator.generateSpanId()).toBe('0000000000000001');
    expect(isValidSpanId(generator.generateSpanId())).toBe(true);
  });
});
