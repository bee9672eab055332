import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAEMON_HEADER, fitDatagrams, MAX_DATAGRAM_BYTES } from '../../../src/tracing/xray/fit-datagrams.js';
import type { XRayDocument } from '../../../src/tracing/xray/xray-document.js';
import { assembleTraces, parseDatagram, validateDocument } from '../../helpers/xray-daemon.js';

const TRACE = '1-6650f3a0-aabbccddeeff001122334455';

const valueArbitrary = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 0, maxLength: 3000 }),
  // Large values, so that trees often need splitting and single documents cutting.
  fc.integer({ min: 1000, max: 120_000 }).map((length) => 'é'.repeat(length)),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 2000 }), { maxLength: 300 }),
);

// A tree of up to ~60 documents with random, sometimes huge, metadata values.
const treeArbitrary = fc.letrec<{ node: XRayDocument }>((tie) => ({
  node: fc.record({
    name: fc.constantFrom('segment', 'GET /orders', 'DynamoDB', 'child'),
    id: fc.stringMatching(/^[0-9a-f]{16}$/),
    start_time: fc.constant(1_700_000_000.5),
    end_time: fc.constant(1_700_000_001.5),
    metadata: fc.record({
      default: fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), valueArbitrary, { maxKeys: 6 }),
    }),
    subsegments: fc.oneof(
      { depthSize: 'small', maxDepth: 3 },
      fc.constant([]),
      fc.array(tie('node'), { maxLength: 5 }),
    ),
  }) as fc.Arbitrary<XRayDocument>,
}));

describe('fitting documents into datagrams, for any document', () => {
  it('never produces a datagram over the limit, and every document stays valid and in its tree', () => {
    fc.assert(
      fc.property(treeArbitrary.node, (root) => {
        // Prepare: unique ids, as span ids are.
        let next = 0;
        const renumber = (document: XRayDocument) => {
          next += 1;
          document.id = next.toString(16).padStart(16, '0');
          for (const child of document.subsegments ?? []) renumber(child);
        };
        renumber(root);
        const segment: XRayDocument = { ...root, trace_id: TRACE };

        // Act
        const { documents } = fitDatagrams([segment]);

        // Assess
        const received = documents.map(({ text }) => {
          const datagram = Buffer.from(`${DAEMON_HEADER}${text}`);
          expect(datagram.length).toBeLessThanOrEqual(MAX_DATAGRAM_BYTES);
          const parsed = parseDatagram(datagram);
          if ('problem' in parsed) throw new Error(parsed.problem);
          expect(parsed.documents).toHaveLength(1);
          expect(validateDocument(parsed.documents[0]!)).toEqual([]);
          return parsed.documents[0]!;
        });
        const trace = assembleTraces(received).get(TRACE);
        expect(trace?.nodes.size).toBe(next);
        expect(trace?.roots.map((node) => node.document.id)).toEqual([segment.id]);
      }),
      { numRuns: 60 },
    );
  });
});
