import { describe, expect, it } from 'vitest';
import { parseXRayDatagram, spansFromXRayDocument } from '../../../src/cli/dev/from-xray.js';

const HEADER = '{"format":"json","version":1}\n';

describe('parseXRayDatagram', () => {
  it('reads the header line and the document', () => {
    const parsed = parseXRayDatagram(Buffer.from(`${HEADER}{"name":"api"}`));

    expect(parsed).toEqual({ documents: [{ name: 'api' }] });
  });

  it('reads an array of separately sent subsegments as its documents', () => {
    const parsed = parseXRayDatagram(
      Buffer.from(`${HEADER}[{"name":"a","type":"subsegment"},{"name":"b","type":"subsegment"}]`),
    );

    expect(parsed).toEqual({
      documents: [
        { name: 'a', type: 'subsegment' },
        { name: 'b', type: 'subsegment' },
      ],
    });
  });

  it.each([
    ['{"name":"api"}', 'no header line'],
    ['{"format":"xml","version":1}\n{}', 'the header is not {"format":"json","version":1}'],
    [`${HEADER}{oops`, 'the document is not JSON'],
    [`${HEADER}[1]`, 'the document is not a JSON object or an array of them'],
    [`${HEADER}[]`, 'the document is not a JSON object or an array of them'],
    [`${HEADER}1`, 'the document is not a JSON object or an array of them'],
  ])('refuses %s', (text, problem) => {
    expect(parseXRayDatagram(Buffer.from(text))).toEqual({ problem });
  });
});

describe('spansFromXRayDocument', () => {
  it('maps a segment and its nested subsegments to spans parented as in the document', () => {
    const spans = spansFromXRayDocument({
      name: 'orders-api',
      id: '70de5b6f19ff9a0a',
      trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      start_time: 1_700_000_000.1,
      end_time: 1_700_000_000.25,
      http: { request: { method: 'GET', url: 'http://127.0.0.1/orders/1' }, response: { status: 500 } },
      fault: true,
      metadata: { default: { 'http.route': '/orders/:id' } },
      cause: { exceptions: [{ id: '0123456789abcdef', type: 'Error', message: 'boom' }] },
      subsegments: [
        {
          name: 'inventory',
          id: '1111111111111111',
          namespace: 'remote',
          start_time: 1_700_000_000.12,
          end_time: 1_700_000_000.2,
        },
      ],
    });

    expect(spans).toHaveLength(2);
    expect(spans[0]).toMatchObject({
      traceId: '5759e988bd862e3fe1be46a994272793',
      spanId: '70de5b6f19ff9a0a',
      parentSpanId: undefined,
      name: 'GET /orders/:id',
      kind: 'SERVER',
      service: 'orders-api',
      status: 'ERROR',
      attributes: {
        'http.request.method': 'GET',
        'http.response.status_code': 500,
        'http.route': '/orders/:id',
        'xray.fault': true,
      },
      events: [{ name: 'exception', attributes: { 'exception.type': 'Error', 'exception.message': 'boom' } }],
      source: 'xray',
    });
    expect(spans[0]?.startMs).toBeCloseTo(1_700_000_000_100, 3);
    expect(spans[0]?.durationMs).toBeCloseTo(150, 3);
    expect(spans[1]).toMatchObject({
      spanId: '1111111111111111',
      parentSpanId: '70de5b6f19ff9a0a',
      kind: 'CLIENT',
      name: 'inventory',
      status: 'UNSET',
    });
  });

  it('parents a separately sent subsegment to its parent_id and skips in-progress documents', () => {
    const sent = spansFromXRayDocument({
      type: 'subsegment',
      name: 'db',
      id: '2222222222222222',
      parent_id: '70de5b6f19ff9a0a',
      trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      start_time: 1,
      end_time: 2,
    });
    const inProgress = spansFromXRayDocument({
      name: 'api',
      id: '3333333333333333',
      trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      start_time: 1,
      in_progress: true,
    });

    expect(sent).toMatchObject([{ parentSpanId: '70de5b6f19ff9a0a', kind: 'INTERNAL', service: undefined }]);
    expect(inProgress).toEqual([]);
  });
});
