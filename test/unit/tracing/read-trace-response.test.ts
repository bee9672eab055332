import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { readTraceExportResponse } from '../../../src/tracing/otlp/read-trace-response.js';

// ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1 { int64 rejected_spans = 1; string error_message = 2; } }
const message = Buffer.from('3 spans too old', 'utf8');
const partial = Buffer.concat([Buffer.from([0x08, 0x03, 0x12, message.length]), message]);
const response = Buffer.concat([Buffer.from([0x0a, partial.length]), partial]);

describe('readTraceExportResponse', () => {
  it('reads a partial success as the OTLP transformer reads it', () => {
    expect(readTraceExportResponse(response)).toEqual({
      partialSuccess: { rejectedSpans: 3, errorMessage: '3 spans too old' },
    });
    expect(ProtobufTraceSerializer.deserializeResponse(response)).toMatchObject({
      partialSuccess: { rejectedSpans: 3, errorMessage: '3 spans too old' },
    });
  });

  it('reads an empty answer, and one it cannot read, as full success', () => {
    expect(readTraceExportResponse(new Uint8Array())).toEqual({});
    expect(readTraceExportResponse(Buffer.from([0x0a, 0x7f, 0x08]))).toEqual({});
    expect(readTraceExportResponse(Buffer.from([0x0b]))).toEqual({});
  });

  it('skips fields it does not know', () => {
    const unknown = Buffer.from([0x10, 0x05, 0x1d, 1, 2, 3, 4]);
    expect(readTraceExportResponse(Buffer.concat([unknown, response]))).toEqual({
      partialSuccess: { rejectedSpans: 3, errorMessage: '3 spans too old' },
    });
  });
});
