import { SpanKind } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import {
  DAEMON_HEADER,
  type FittedDocument,
  fitDatagrams,
  MAX_DATAGRAM_BYTES,
  TRUNCATION_MARKER,
} from '../../../src/tracing/xray/fit-datagrams.js';
import type { XRayDocument } from '../../../src/tracing/xray/xray-document.js';
import { encodeSpans } from '../../../src/tracing/xray/xray-span-exporter.js';
import {
  assembleTraces,
  parseDatagram,
  type ReceivedDocument,
  validateDocument,
} from '../../helpers/xray-daemon.js';
import { makeSpan, mapOptions, XRAY_TRACE_ID } from './make-span.js';

function receive(documents: ReadonlyArray<FittedDocument | string>): ReceivedDocument[] {
  return documents.map((entry) => {
    const text = typeof entry === 'string' ? entry : entry.text;
    const datagram = Buffer.from(`${DAEMON_HEADER}${text}`);
    expect(datagram.length).toBeLessThanOrEqual(MAX_DATAGRAM_BYTES);
    const parsed = parseDatagram(datagram);
    if ('problem' in parsed) throw new Error(parsed.problem);
    expect(parsed.documents).toHaveLength(1);
    const document = parsed.documents[0]!;
    expect(validateDocument(document)).toEqual([]);
    if (typeof entry !== 'string') {
      // What the sender is told matches what it sends.
      expect({ id: entry.id, traceId: entry.traceId, isSubsegment: entry.isSubsegment }).toEqual({
        id: document.id,
        traceId: document.trace_id,
        isSubsegment: document.type === 'subsegment',
      });
    }
    return document;
  });
}

function segmentWithChildren(count: number, childBytes: number): XRayDocument {
  return {
    name: 'orders-api',
    id: 'aaaaaaaaaaaaaaaa',
    trace_id: XRAY_TRACE_ID,
    start_time: 1,
    end_time: 2,
    subsegments: Array.from({ length: count }, (_, i) => ({
      name: `child ${i}`,
      id: (i + 1).toString(16).padStart(16, 'b'),
      start_time: 1 + i / 1000,
      end_time: 2,
      metadata: { default: { payload: 'p'.repeat(childBytes) } },
    })),
  };
}

describe('fitting documents into datagrams', () => {
  it('sends a document that fits whole, as one datagram', () => {
    const { documents, truncated } = fitDatagrams([segmentWithChildren(3, 100)]);

    expect(documents).toHaveLength(1);
    expect(truncated).toBe(0);
    expect(receive(documents)[0]?.subsegments).toHaveLength(3);
  });

  it('splits a large segment into separately sent subsegments that keep their parent and trace', () => {
    // Prepare: 40 subsegments of ~4 KB: ~160 KB in all, too much for one datagram.
    const segment = segmentWithChildren(40, 4000);

    // Act
    const { documents, truncated } = fitDatagrams([segment]);
    const received = receive(documents);

    // Assess
    expect(truncated).toBe(0);
    expect(documents.length).toBeGreaterThan(1);
    const detached = received.filter((document) => document.type === 'subsegment');
    expect(detached.length).toBeGreaterThan(0);
    for (const document of detached)
      expect(document).toMatchObject({ parent_id: 'aaaaaaaaaaaaaaaa', trace_id: XRAY_TRACE_ID });
    const trace = assembleTraces(received).get(XRAY_TRACE_ID);
    expect(trace?.roots.map((root) => root.document.id)).toEqual(['aaaaaaaaaaaaaaaa']);
    expect(trace?.roots[0]?.children).toHaveLength(40);
  });

  it('splits deeper levels too: a detached subsegment too large with its own children is split again', () => {
    const { trace_id: _nestedHaveNoTrace, ...inner } = segmentWithChildren(30, 4000);
    const root: XRayDocument = {
      name: 'root',
      id: 'cccccccccccccccc',
      trace_id: XRAY_TRACE_ID,
      start_time: 1,
      end_time: 2,
      subsegments: [inner],
    };

    const received = receive(fitDatagrams([root]).documents);
    const trace = assembleTraces(received).get(XRAY_TRACE_ID);

    expect(trace?.roots.map((node) => node.document.id)).toEqual(['cccccccccccccccc']);
    expect(trace?.nodes.get('aaaaaaaaaaaaaaaa')?.children).toHaveLength(30);
  });

  it('cuts a 1 MB attribute with a marker and never produces a datagram over the limit', () => {
    // Prepare
    const span = makeSpan({
      kind: SpanKind.SERVER,
      attributes: { 'big.value': 'x'.repeat(1024 * 1024), small: 'kept' },
    });

    // Act
    const { documents, truncated } = encodeSpans([span], undefined, new Set(), mapOptions());
    const [received] = receive(documents.map((document) => document.text));

    // Assess
    expect(truncated).toBe(1);
    expect(documents).toHaveLength(1);
    const big = String(received?.metadata?.default?.['big.value']);
    expect(big.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(big.length).toBeLessThan(10_000);
    expect(received?.metadata?.default?.small).toBe('kept');
  });

  it('cuts many medium values, arrays and exception stacks until the document fits', () => {
    const attributes = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`value.${i}`, 'v'.repeat(6000)]),
    );
    const stack = [
      'Error: x',
      ...Array.from({ length: 50 }, (_, i) => `    at f${i} (/app/${'d/'.repeat(200)}a.js:${i}:1)`),
    ].join('\n');
    const span = makeSpan({
      attributes: { ...attributes, list: Array.from({ length: 5000 }, (_, i) => `item-${i}`) },
      events: [
        {
          name: 'exception',
          attributes: {
            'exception.type': 'Error',
            'exception.message': 'm'.repeat(200_000),
            'exception.stacktrace': stack,
          },
        },
      ],
    });

    const { documents } = encodeSpans([span], undefined, new Set(), mapOptions());
    const [received] = receive(documents.map((document) => document.text));

    expect(documents).toHaveLength(1);
    expect(received?.cause?.exceptions?.[0]?.type).toBe('Error');
    expect(Buffer.byteLength(documents[0]!.text)).toBeLessThanOrEqual(
      MAX_DATAGRAM_BYTES - DAEMON_HEADER.length,
    );
  });

  it('falls back to the ids, times and flags alone when even short values do not fit', () => {
    const attributes = Object.fromEntries(
      Array.from({ length: 5000 }, (_, i) => [`k${i}`.padEnd(40, 'k'), i]),
    );
    const span = makeSpan({ attributes, status: { code: 2, message: 'failed' } });

    const { documents, truncated } = encodeSpans([span], undefined, new Set(), mapOptions());
    const [received] = receive(documents.map((document) => document.text));

    expect(truncated).toBe(1);
    expect(received).toMatchObject({ id: span.spanContext().spanId, fault: true, metadata: { lookout: {} } });
  });
});
