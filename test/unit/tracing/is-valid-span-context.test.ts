import { INVALID_SPAN_CONTEXT, isSpanContextValid, type SpanContext } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { isValidSpanContext } from '../../../src/context/is-valid-span-context.js';

const valid: SpanContext = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 };
const badTrace: SpanContext = { traceId: 'z'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 };
const badSpan: SpanContext = { traceId: 'a'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 };

describe('isValidSpanContext', () => {
  it('answers as the api does, for the same span context asked again and for others in between', () => {
    const asked = [valid, valid, badTrace, valid, badSpan, badSpan, INVALID_SPAN_CONTEXT, valid, badTrace];

    expect(asked.map(isValidSpanContext)).toEqual(asked.map(isSpanContextValid));
  });

  it('does not take an invalid span context for the valid one it follows', () => {
    expect(isValidSpanContext(valid)).toBe(true);

    expect(isValidSpanContext({ ...valid, spanId: '0'.repeat(16) })).toBe(false);
  });
});
