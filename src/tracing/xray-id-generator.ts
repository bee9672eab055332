import type { IdGenerator } from '@opentelemetry/sdk-trace-base';

// The two hex digits of every byte value. An id is drawn from Math.random 32 bits at a time and
// spelled through this table: plain string concatenation, where a Buffer filled and then read
// with toString('hex') (what @opentelemetry/id-generator-aws-xray does) calls into C++ for
// every id (docs/decisions/0070-ids-spelled-from-a-table.md).
const HEX_OF_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
  byte.toString(16).padStart(2, '0'),
);

/** Eight random lower-case hex digits (32 bits). */
function randomHex8(): string {
  const bits = (Math.random() * 0x1_0000_0000) >>> 0;
  return (
    HEX_OF_BYTE[bits >>> 24]! +
    HEX_OF_BYTE[(bits >>> 16) & 0xff]! +
    HEX_OF_BYTE[(bits >>> 8) & 0xff]! +
    HEX_OF_BYTE[bits & 0xff]!
  );
}

const INVALID_SPAN_ID = '0000000000000000';
// What the OpenTelemetry X-Ray generator returns in the 1-in-2^64 case of an all-zero draw.
const FALLBACK_SPAN_ID = '0000000000000001';

/**
 * Trace and span ids in X-Ray's form, as the OpenTelemetry X-Ray id generator makes them: a
 * trace id is the current time in epoch seconds (8 hex digits) followed by 96 random bits, so
 * X-Ray accepts it and can tell its age; a span id is 64 random bits, never all zero.
 *
 * @example
 * new XRayIdGenerator().generateTraceId(); // '6752c9a1' + 24 random hex digits
 */
export class XRayIdGenerator implements IdGenerator {
  generateTraceId(): string {
    // Epoch seconds take 8 hex digits until the year 2106.
    const epoch = Math.floor(Date.now() / 1000).toString(16);
    return epoch + randomHex8() + randomHex8() + randomHex8();
  }

  generateSpanId(): string {
    const spanId = randomHex8() + randomHex8();
    return spanId === INVALID_SPAN_ID ? FALLBACK_SPAN_ID : spanId;
  }
}
