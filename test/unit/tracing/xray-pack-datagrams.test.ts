import { describe, expect, it } from 'vitest';
import {
  DAEMON_HEADER,
  type FittedDocument,
  packDatagrams,
} from '../../../src/tracing/xray/fit-datagrams.js';
import { parseDatagram } from '../../helpers/xray-daemon.js';

const TRACE_A = '1-5759e988-bd862e3fe1be46a994272793';
const TRACE_B = '1-5759e988-00000000000000000000000b';

function subsegment(id: number, traceId: string, bytes: number): FittedDocument {
  const base = {
    name: `s${id}`,
    id: id.toString(16).padStart(16, '0'),
    start_time: 1,
    end_time: 2,
    type: 'subsegment',
    trace_id: traceId,
    parent_id: '53995c3f42cd8ad8',
  };
  const padding = bytes - JSON.stringify({ ...base, metadata: { default: { pad: '' } } }).length;
  const text = JSON.stringify({ ...base, metadata: { default: { pad: 'x'.repeat(Math.max(0, padding)) } } });
  return { text, id: base.id, traceId, isSubsegment: true };
}

describe('packing X-Ray documents into datagrams', () => {
  it('sends the subsegments of a trace together as arrays, each within one datagram, and segments alone', () => {
    // Prepare: 300 subsegments of ~600 bytes in one trace, 2 in another, one segment
    const documents: FittedDocument[] = [];
    for (let id = 1; id <= 300; id++) documents.push(subsegment(id, TRACE_A, 600));
    documents.push(subsegment(1001, TRACE_B, 600), subsegment(1002, TRACE_B, 600));
    const segment = {
      text: JSON.stringify({
        name: 'api',
        id: 'aaaaaaaaaaaaaaaa',
        trace_id: TRACE_A,
        start_time: 1,
        end_time: 2,
      }),
      id: 'aaaaaaaaaaaaaaaa',
      traceId: TRACE_A,
      isSubsegment: false,
    };
    documents.push(segment);

    // Act
    const bodies = packDatagrams(documents);

    // Assess: 300 × 600 bytes need 3 datagrams of 64,000; one more for trace B, one for the segment
    expect(bodies).toHaveLength(5);
    const received = bodies.map((body) => {
      const datagram = Buffer.from(`${DAEMON_HEADER}${body}`);
      expect(datagram.length).toBeLessThanOrEqual(64_000);
      const parsed = parseDatagram(datagram);
      if ('problem' in parsed) throw new Error(parsed.problem);
      expect(new Set(parsed.documents.map((document) => document.trace_id)).size).toBe(1);
      return parsed.documents;
    });
    expect(
      received
        .flat()
        .map((document) => document.id)
        .sort(),
    ).toEqual(documents.map((document) => document.id).sort());
    expect(bodies).toContain(segment.text);
  });

  it('sends a lone subsegment as a document, not as an array of one', () => {
    const lone = subsegment(7, TRACE_A, 300);
    expect(packDatagrams([lone])).toEqual([lone.text]);
  });
});
