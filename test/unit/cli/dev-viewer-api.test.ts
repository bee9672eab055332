// The viewer's JSON API served by the real viewer server on loopback, from a store this test
// fills: each answer is the JSON of what answerApi builds, byte for byte, and every record in a
// list is serialised once per answer. Records here count their serialisations with a toJSON
// (JSON.stringify calls it each time it writes the record, whether alone or inside a list).
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelemetryStore } from '../../../src/cli/dev/telemetry-store.js';
import { SerializedList, toJsonText } from '../../../src/cli/dev/to-json-text.js';
import { answerApi, MAX_LIST_BYTES } from '../../../src/cli/dev/viewer-api.js';
import type { ViewerAudit, ViewerLog, ViewerSpan } from '../../../src/cli/dev/viewer-records.js';
import { startViewerServer, type ViewerServer } from '../../../src/cli/dev/viewer-server.js';

const TRACE_ID = 'abcdef0123456789abcdef0123456789';
const UI_DIR = fileURLToPath(new URL('../../../src/cli/dev/ui/', import.meta.url));
/** Text JSON escapes (control characters, quotes, a lone surrogate) and text it does not. */
const AWKWARD = 'quote " backslash \\ nul \u0000 tab \t lone \ud800 emoji 🦊 bidi \u202e';

const serialisations = new Map<number, number>();

/** `record` with a toJSON, not enumerable, that counts its serialisations by `seq`. */
function counted<T extends { readonly seq: number }>(record: T): T {
  const plain = { ...record };
  Object.defineProperty(record, 'toJSON', {
    enumerable: false,
    value: () => {
      serialisations.set(record.seq, (serialisations.get(record.seq) ?? 0) + 1);
      return plain;
    },
  });
  return record;
}

function log(seq: number, message: string, fields: ViewerLog['fields']): ViewerLog {
  return counted({
    seq,
    timeMs: 1000 + seq,
    level: 'INFO',
    message,
    service: 'orders',
    traceId: TRACE_ID,
    spanId: undefined,
    requestId: `request-${seq}`,
    source: 'stdout',
    fields,
  });
}

function audit(seq: number): ViewerAudit {
  return counted({
    seq,
    timeMs: 1000 + seq,
    traceId: TRACE_ID,
    userId: AWKWARD,
    action: 'order.create',
    resource: 'orders/1',
    status: 'success',
    method: 'POST',
    path: '/orders',
    entry: { audit: true, user_id: AWKWARD },
  });
}

function span(index: number): ViewerSpan {
  return {
    traceId: TRACE_ID,
    spanId: `${index + 1}`.padStart(16, '0'),
    parentSpanId: index === 0 ? undefined : '0000000000000001',
    name: `${AWKWARD} ${index}`,
    kind: index === 0 ? 'SERVER' : 'INTERNAL',
    service: 'orders',
    startMs: 1000 + index,
    durationMs: 5,
    startNs: `${1000 + index}000000`,
    endNs: `${1005 + index}000000`,
    status: 'UNSET',
    statusMessage: '',
    attributes: { 'http.route': '/orders/:id', text: AWKWARD },
    events: [],
    source: 'otlp',
  };
}

const store = new TelemetryStore();
let viewer: ViewerServer;

beforeAll(async () => {
  store.addSpans([0, 1, 2].map(span));
  // Three lines of 6 MiB: the third passes MAX_LIST_BYTES, so /api/logs is cut after two.
  const big = 'x'.repeat(6 * 1024 * 1024);
  store.addLogs([
    log(1, `first ${AWKWARD}`, { nested: { text: AWKWARD } }),
    log(2, big, {}),
    log(3, big, {}),
    log(4, big, {}),
  ]);
  for (const seq of [5, 6, 7]) store.addAudit(audit(seq));
  viewer = await startViewerServer({
    store,
    port: 0,
    uiDir: UI_DIR,
    describe: () => ({}),
    stopApp: undefined,
  });
});

afterAll(async () => {
  await viewer?.close();
});

describe("the viewer's JSON API", () => {
  // The records measured: those sent, and the one a list was cut before (log 2).
  it.each([
    ['/api/logs', [2, 3, 4]],
    ['/api/logs?limit=2', [3, 4]],
    ['/api/audit', [5, 6, 7]],
    [`/api/traces/${TRACE_ID}`, [2, 3, 4, 5, 6, 7]],
    ['/api/traces', []],
    ['/api/metrics/points', []],
  ] as const)(
    'answers %s with the JSON of its answer, each record serialised once',
    async (path, measured) => {
      // Prepare
      serialisations.clear();

      // Act
      const response = await fetch(`http://127.0.0.1:${viewer.port}${path}`);
      const text = await response.text();
      const counts = Object.fromEntries(serialisations);
      const url = new URL(path, 'http://viewer.invalid');
      const expected = JSON.stringify(answerApi(store, url.pathname, url.searchParams, () => ({}))?.body);

      // Assess
      expect(response.status).toBe(200);
      expect(text).toBe(expected);
      expect(Buffer.byteLength(text)).toBe(Number(response.headers.get('content-length')));
      expect(counts).toEqual(Object.fromEntries(measured.map((seq) => [seq, 1])));
    },
  );

  it('cuts a list at MAX_LIST_BYTES and says so, as before', async () => {
    // Act
    const body = (await (await fetch(`http://127.0.0.1:${viewer.port}/api/logs`)).json()) as {
      logs: ViewerLog[];
      truncated: boolean;
      nextBefore?: number;
    };

    // Assess
    expect(body.logs.map((line) => line.seq)).toEqual([4, 3]);
    expect(body.truncated).toBe(true);
    expect(body.nextBefore).toBe(3);
    expect(JSON.stringify(body.logs).length).toBeLessThanOrEqual(MAX_LIST_BYTES);
  });

  it("sends a trace's spans the same on a later answer, from the kept waterfall", async () => {
    // Act
    const url = `http://127.0.0.1:${viewer.port}/api/traces/${TRACE_ID}`;
    const first = await (await fetch(url)).text();
    const second = await (await fetch(url)).text();

    // Assess
    expect(second).toBe(first);
    expect((JSON.parse(first) as { spans: unknown[] }).spans).toHaveLength(3);
  });
});

describe('toJsonText', () => {
  it('writes what JSON.stringify writes, undefined members left out and lists nested in a member included', () => {
    // Prepare
    const items = [{ a: AWKWARD }, { b: [1, null] }];
    const list = new SerializedList(
      items,
      items.map((item) => JSON.stringify(item)),
    );
    const body = { list, gone: undefined, nested: { list }, reversed: list.reversed(), [AWKWARD]: 1 };

    // Act
    const text = toJsonText(body);

    // Assess
    expect(text).toBe(JSON.stringify(body));
    expect(JSON.parse(text).reversed).toEqual([...items].reverse());
  });
});
