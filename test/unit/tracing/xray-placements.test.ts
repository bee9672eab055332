import { SpanKind } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { assembleDocuments } from '../../../src/tracing/xray/assemble-documents.js';
import { mapSpanToDocument } from '../../../src/tracing/xray/map-span.js';
import { planPlacements } from '../../../src/tracing/xray/plan-placements.js';
import { encodeSpans } from '../../../src/tracing/xray/xray-span-exporter.js';
import { assembleTraces, parseDatagram, validateDocument } from '../../helpers/xray-daemon.js';
import { makeSpan, mapOptions, TRACE_ID, XRAY_TRACE_ID } from './make-span.js';

const HEADER = { root: '1-6650f3a0-0123456789abcdef01234567', parent: 'facade00facade00', sampled: true };
const HEADER_TRACE = '6650f3a00123456789abcdef01234567';

describe('where spans go outside Lambda', () => {
  it('makes server spans and spans without a local parent segments, the rest subsegments', () => {
    // Prepare
    const server = makeSpan({
      kind: SpanKind.SERVER,
      parent: { spanId: 'cafe0000cafe0000', isRemote: true },
    });
    const internal = makeSpan({ parent: { spanId: server.spanContext().spanId } });
    const client = makeSpan({ kind: SpanKind.CLIENT, parent: { spanId: internal.spanContext().spanId } });
    const consumer = makeSpan({ kind: SpanKind.CONSUMER, parent: { spanId: internal.spanContext().spanId } });
    const orphan = makeSpan();

    // Act
    const placements = planPlacements([server, internal, client, consumer, orphan], undefined, new Set());

    // Assess
    expect(placements.map((placement) => placement?.role)).toEqual([
      'segment',
      'subsegment',
      'subsegment',
      'segment',
      'segment',
    ]);
    expect(placements[0]).toEqual({ role: 'segment', traceId: XRAY_TRACE_ID, parentId: 'cafe0000cafe0000' });
    expect(placements[4]?.parentId).toBeUndefined();
  });

  it('nests subsegments in the segment of the same batch and sends the others on their own', () => {
    const server = makeSpan({ kind: SpanKind.SERVER });
    const handler = makeSpan({ parent: { spanId: server.spanContext().spanId }, name: 'handler' });
    const call = makeSpan({
      kind: SpanKind.CLIENT,
      parent: { spanId: handler.spanContext().spanId },
      name: 'call',
    });
    const late = makeSpan({ parent: { spanId: 'beef0000beef0000' }, name: 'late' });
    const spans = [call, handler, late, server];
    const placements = planPlacements(spans, undefined, new Set());

    const roots = assembleDocuments(
      spans.map((span, i) => ({
        document: mapSpanToDocument(span, placements[i]!, mapOptions()),
        role: placements[i]!.role,
      })),
    );

    expect(roots.map((root) => root.name)).toEqual(['late', 'orders-api']);
    expect(roots[0]).toMatchObject({
      type: 'subsegment',
      parent_id: 'beef0000beef0000',
      trace_id: XRAY_TRACE_ID,
    });
    const segment = roots[1]!;
    expect(segment.subsegments?.map((s) => s.name)).toEqual(['handler']);
    expect(segment.subsegments?.[0]?.subsegments?.map((s) => s.name)).toEqual(['call']);
    for (const root of roots) expect(validateDocument({ ...root })).toEqual([]);
  });
});

describe('where spans go on Lambda', () => {
  it('parents a tree started with no parent to the facade segment of the invocation trace', () => {
    // Prepare: the OTel API used with no Lambda wrapper: a fresh trace id, no parent.
    const work = makeSpan({ name: 'work' });
    const step = makeSpan({ name: 'step', parent: { spanId: work.spanContext().spanId } });

    // Act
    const placements = planPlacements([step, work], HEADER, new Set());

    // Assess
    expect(placements).toEqual([
      { role: 'subsegment', traceId: HEADER.root, parentId: work.spanContext().spanId },
      { role: 'subsegment', traceId: HEADER.root, parentId: HEADER.parent },
    ]);
  });

  it('keeps spans already in the invocation trace under their parents, the top one under the facade', () => {
    const handler = makeSpan({
      kind: SpanKind.SERVER,
      traceId: HEADER_TRACE,
      parent: { spanId: HEADER.parent, isRemote: true },
    });
    const query = makeSpan({
      kind: SpanKind.CLIENT,
      traceId: HEADER_TRACE,
      parent: { spanId: handler.spanContext().spanId },
    });

    const placements = planPlacements([query, handler], HEADER, new Set());

    expect(placements.map((p) => [p?.role, p?.parentId])).toEqual([
      ['subsegment', handler.spanContext().spanId],
      ['subsegment', HEADER.parent],
    ]);
  });

  it('leaves a tree that continues another trace as a segment there, also for later batches', () => {
    const foreignRoot = makeSpan({
      kind: SpanKind.CONSUMER,
      parent: { spanId: 'a1a1a1a1a1a1a1a1', isRemote: true },
    });
    const foreignChild = makeSpan({ parent: { spanId: foreignRoot.spanContext().spanId } });
    const remembered = new Set<string>();

    const first = planPlacements([foreignRoot], HEADER, remembered);
    const later = planPlacements([foreignChild], HEADER, remembered);

    expect(first[0]).toEqual({ role: 'segment', traceId: XRAY_TRACE_ID, parentId: 'a1a1a1a1a1a1a1a1' });
    expect(later[0]).toEqual({
      role: 'subsegment',
      traceId: XRAY_TRACE_ID,
      parentId: foreignRoot.spanContext().spanId,
    });
    expect(remembered.has(TRACE_ID)).toBe(true);
  });

  it('sends nothing for an invocation Lambda does not sample', () => {
    const placements = planPlacements([makeSpan()], { ...HEADER, sampled: false }, new Set());

    expect(placements).toEqual([undefined]);
  });

  it('produces documents that assemble into one tree under the facade', () => {
    const work = makeSpan({ name: 'work' });
    const step = makeSpan({ name: 'step', parent: { spanId: work.spanContext().spanId } });

    const { documents } = encodeSpans([step, work], HEADER, new Set(), mapOptions());
    const received = documents.flatMap((document) => {
      const parsed = parseDatagram(Buffer.from(`{"format":"json","version":1}\n${document.text}`));
      if ('problem' in parsed) throw new Error(parsed.problem);
      return parsed.documents;
    });
    const trace = assembleTraces(received).get(HEADER.root);

    expect(received.every((document) => validateDocument(document).length === 0)).toBe(true);
    expect(trace?.roots.map((root) => [root.document.name, root.parentId, root.document.type])).toEqual([
      ['work', HEADER.parent, 'subsegment'],
    ]);
    expect(trace?.roots[0]?.children.map((node) => node.document.name)).toEqual(['step']);
  });
});
