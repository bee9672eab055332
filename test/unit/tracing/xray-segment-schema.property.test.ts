// Every document the X-Ray mapping can make is valid against AWS's published segment document
// schema (test/helpers/xray-segmentdocument-schema-v1.0.0.json), whatever the span holds.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapSpanToDocument } from '../../../src/tracing/xray/map-span.js';
import { SEGMENT_NAME_CHARACTER_CLASS } from '../../../src/tracing/xray/segment-name-characters.js';
import { validateDocument } from '../../helpers/xray-daemon.js';
import { checkSegmentDocumentSchema } from '../../helpers/xray-segment-schema.js';
import schema from '../../helpers/xray-segmentdocument-schema-v1.0.0.json' with { type: 'json' };
import { makeSpan, mapOptions, XRAY_TRACE_ID } from './make-span.js';

const anyText = fc.string({ unit: 'grapheme', maxLength: 400 });
const longText = fc.oneof(anyText, fc.string({ unit: 'binary', minLength: 240, maxLength: 700 }));

const span = fc.record({
  name: anyText,
  serviceName: anyText,
  kind: fc.constantFrom(SpanKind.SERVER, SpanKind.CLIENT, SpanKind.INTERNAL, SpanKind.PRODUCER),
  method: fc.oneof(fc.constantFrom('GET', 'POST', 'DELETE'), longText),
  path: longText.map((path) => `/${path}`),
  query: longText,
  userAgent: longText,
  clientAddress: longText,
  status: fc.integer({ min: 100, max: 599 }),
  user: longText,
  size: fc.nat(),
  failed: fc.boolean(),
  exceptionMessage: longText,
  annotated: longText,
});

describe('X-Ray documents against the published segment document schema (property)', () => {
  it('maps any span to a segment and to a separately sent subsegment the schema accepts', () => {
    fc.assert(
      fc.property(span, (input) => {
        const finished = makeSpan({
          name: input.name,
          kind: input.kind,
          status: { code: input.failed ? SpanStatusCode.ERROR : SpanStatusCode.UNSET },
          attributes: {
            'http.request.method': input.method,
            'url.scheme': 'https',
            'server.address': 'api.example.com',
            'url.path': input.path,
            'url.query': input.query,
            'user_agent.original': input.userAgent,
            'client.address': input.clientAddress,
            'http.response.status_code': input.status,
            'http.response.body.size': input.size,
            'enduser.id': input.user,
            'app.note': input.annotated,
          },
          events: input.failed
            ? [
                {
                  name: 'exception',
                  attributes: { 'exception.type': 'Error', 'exception.message': input.exceptionMessage },
                },
              ]
            : [],
          resource: { 'service.name': input.serviceName },
        });

        for (const placement of [
          { role: 'segment', traceId: XRAY_TRACE_ID, parentId: undefined },
          { role: 'subsegment', traceId: XRAY_TRACE_ID, parentId: '53995c3f42cd8ad8' },
        ] as const) {
          const document = { ...mapSpanToDocument(finished, placement, mapOptions(['app.note'])) };
          if (placement.role === 'subsegment') Object.assign(document, { type: 'subsegment' });

          expect(checkSegmentDocumentSchema(document)).toEqual([]);
          expect(validateDocument(document)).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the segment name characters', () => {
  it("are the published schema's, exactly", () => {
    const pattern = schema.properties.name.pattern;

    expect(`^[${SEGMENT_NAME_CHARACTER_CLASS}]{1,200}$`).toBe(pattern);
  });
});
