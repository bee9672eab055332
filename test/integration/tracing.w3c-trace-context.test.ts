// W3C Trace Context, levels 1 and 2, through a real server and real outgoing calls. The service
// (test/fixtures/trace-context-service.mjs, started with --import lookout/register) is the one
// the W3C test suite drives: it calls back each URL it is given, and these tests read the
// headers of those callbacks. Each row is one rule of the specification; together they cover
// every case of the W3C suite (test/test.py in w3c/trace-context) and the rules it leaves out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordedRequest, startHeaderRecorder } from '../helpers/header-recorder.js';
import { sendRawAwaitingResponse } from '../helpers/raw-http.js';
import { type SpawnedApp, spawnApp } from '../helpers/spawn-app.js';

const TRACE_ID = '12345678901234567890123456789012';
const PARENT_ID = '1234567890123456';
const tp = (flags: string) => `00-${TRACE_ID}-${PARENT_ID}-${flags}`;
const OUTGOING_TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[0-3])$/;

type Header = readonly [name: string, value: string];

interface Expectation {
  /** `continued`: the caller's trace id; `new`: a trace id found in no incoming header. */
  readonly trace: 'continued' | 'new';
  /** The outgoing flags, exactly. */
  readonly flags: string;
  /** The outgoing tracestate, exactly; null when none may be sent. */
  readonly tracestate?: string | null;
}

interface Row {
  readonly rule: string;
  readonly headers: readonly Header[];
  readonly expected: Expectation;
}

const NEW_TRACE: Expectation = { trace: 'new', flags: '03', tracestate: null };
const WITH_STATE = (state: string): Header[] => [
  ['traceparent', tp('00')],
  ['tracestate', state],
];
const STATE_KEPT = (state: string): Expectation => ({ trace: 'continued', flags: '00', tracestate: state });
const STATE_DISCARDED: Expectation = { trace: 'continued', flags: '00', tracestate: null };
const members = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => {
    const n = String(from + index).padStart(2, '0');
    return `bar${n}=${n}`;
  }).join(',');
const ALL_KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/';
const ALL_VALUE_CHARS = Array.from({ length: 0x7e - 0x20 + 1 }, (_, index) =>
  String.fromCharCode(0x20 + index),
)
  .filter((char) => char !== ',' && char !== '=')
  .join('');

const TRACEPARENT_ROWS: readonly Row[] = [
  { rule: 'no traceparent: a new trace, its id random', headers: [], expected: NEW_TRACE },
  {
    rule: 'a valid traceparent: same trace, new parent-id, sampled kept',
    headers: [['traceparent', tp('01')]],
    expected: { trace: 'continued', flags: '01' },
  },
  {
    rule: 'the random flag is kept when continuing (level 2)',
    headers: [['traceparent', tp('02')]],
    expected: { trace: 'continued', flags: '02' },
  },
  {
    rule: 'sampled and random together are kept',
    headers: [['traceparent', tp('03')]],
    expected: { trace: 'continued', flags: '03' },
  },
  {
    rule: 'no random flag in, none out for the same trace id',
    headers: [['traceparent', tp('00')]],
    expected: { trace: 'continued', flags: '00' },
  },
  {
    rule: 'reserved flags are sent as zero',
    headers: [['traceparent', tp('fc')]],
    expected: { trace: 'continued', flags: '00' },
  },
  {
    rule: 'every flag set: only the known ones go out',
    headers: [['traceparent', tp('ff')]],
    expected: { trace: 'continued', flags: '03' },
  },
  {
    rule: 'header name is case-insensitive (TraceParent)',
    headers: [['TraceParent', tp('01')]],
    expected: { trace: 'continued', flags: '01' },
  },
  {
    rule: 'header name is case-insensitive (TRACEPARENT)',
    headers: [['TRACEPARENT', tp('01')]],
    expected: { trace: 'continued', flags: '01' },
  },
  { rule: 'trace-parent is not the header', headers: [['trace-parent', tp('01')]], expected: NEW_TRACE },
  { rule: 'trace.parent is not the header', headers: [['trace.parent', tp('01')]], expected: NEW_TRACE },
  {
    rule: 'two traceparent headers: a new trace',
    headers: [
      ['traceparent', `00-12345678901234567890123456789011-${PARENT_ID}-01`],
      ['traceparent', tp('01')],
    ],
    expected: NEW_TRACE,
  },
  {
    rule: 'leading and trailing spaces and tabs are ignored',
    headers: [['traceparent', `\t ${tp('01')} \t`]],
    expected: { trace: 'continued', flags: '01' },
  },
  {
    rule: 'version 00 with a trailing character',
    headers: [['traceparent', `${tp('01')}.`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'version 00 with an extra field',
    headers: [['traceparent', `${tp('01')}-what-the-future-will-be-like`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'a higher version is parsed by the version 00 prefix',
    headers: [['traceparent', `cc-${TRACE_ID}-${PARENT_ID}-01`]],
    expected: { trace: 'continued', flags: '01' },
  },
  {
    rule: 'a higher version with more fields after a dash',
    headers: [['traceparent', `cc-${TRACE_ID}-${PARENT_ID}-01-what-the-future-will-be-like`]],
    expected: { trace: 'continued', flags: '01' },
  },
  {
    rule: "a higher version's flags not followed by a dash",
    headers: [['traceparent', `cc-${TRACE_ID}-${PARENT_ID}-01.what-the-future-will-be-like`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'a higher version keeps only the flags this version knows',
    headers: [['traceparent', `cc-${TRACE_ID}-${PARENT_ID}-ff-00`]],
    expected: { trace: 'continued', flags: '03' },
  },
  {
    rule: 'a higher version shorter than 55 characters',
    headers: [['traceparent', `cc-${TRACE_ID}-${PARENT_ID}-1`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'version ff is invalid',
    headers: [['traceparent', `ff-${TRACE_ID}-${PARENT_ID}-01`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'version with a non-hex character',
    headers: [['traceparent', `.0-${TRACE_ID}-${PARENT_ID}-01`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'version with a non-hex second character',
    headers: [['traceparent', `0.-${TRACE_ID}-${PARENT_ID}-01`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'version in uppercase hex',
    headers: [['traceparent', `CC-${TRACE_ID}-${PARENT_ID}-01`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'version of 3 digits',
    headers: [['traceparent', `000-${TRACE_ID}-${PARENT_ID}-01`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'version of 4 digits',
    headers: [['traceparent', `0000-${TRACE_ID}-${PARENT_ID}-01`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'version of 1 digit',
    headers: [['traceparent', `0-${TRACE_ID}-${PARENT_ID}-01`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'trace-id all zeros',
    headers: [['traceparent', `00-${'0'.repeat(32)}-${PARENT_ID}-01`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'trace-id starting with a non-hex character',
    headers: [['traceparent', `00-.${TRACE_ID.slice(1)}-${PARENT_ID}-01`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'trace-id ending with a non-hex character',
    headers: [['traceparent', `00-${TRACE_ID.slice(0, 31)}.-${PARENT_ID}-01`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'trace-id in uppercase hex',
    headers: [['traceparent', `00-${'ABCDEF'.repeat(5)}AB-${PARENT_ID}-01`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'trace-id of 33 digits',
    headers: [['traceparent', `00-${TRACE_ID}3-${PARENT_ID}-01`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'trace-id of 31 digits',
    headers: [['traceparent', `00-${TRACE_ID.slice(0, 31)}-${PARENT_ID}-01`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'parent-id all zeros',
    headers: [['traceparent', `00-${TRACE_ID}-${'0'.repeat(16)}-01`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'parent-id starting with a non-hex character',
    headers: [['traceparent', `00-${TRACE_ID}-.${PARENT_ID.slice(1)}-01`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'parent-id ending with a non-hex character',
    headers: [['traceparent', `00-${TRACE_ID}-${PARENT_ID.slice(0, 15)}.-01`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'parent-id of 17 digits',
    headers: [['traceparent', `00-${TRACE_ID}-${PARENT_ID}7-01`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'parent-id of 15 digits',
    headers: [['traceparent', `00-${TRACE_ID}-${PARENT_ID.slice(0, 15)}-01`]],
    expected: NEW_TRACE,
  },
  {
    rule: 'flags starting with a non-hex character',
    headers: [['traceparent', tp('.0')]],
    expected: NEW_TRACE,
  },
  {
    rule: 'flags ending with a non-hex character',
    headers: [['traceparent', tp('0.')]],
    expected: NEW_TRACE,
  },
  { rule: 'flags in uppercase hex', headers: [['traceparent', tp('0A')]], expected: NEW_TRACE },
  { rule: 'flags of 3 digits', headers: [['traceparent', tp('001')]], expected: NEW_TRACE },
  { rule: 'flags of 1 digit', headers: [['traceparent', tp('1')]], expected: NEW_TRACE },
];

const TRACESTATE_ROWS: readonly Row[] = [
  {
    rule: 'tracestate is carried over with the traceparent',
    headers: WITH_STATE('foo=1,bar=2'),
    expected: STATE_KEPT('foo=1,bar=2'),
  },
  {
    rule: 'tracestate without traceparent is discarded',
    headers: [['tracestate', 'foo=1,bar=2']],
    expected: NEW_TRACE,
  },
  {
    rule: 'tracestate with an invalid traceparent is discarded',
    headers: [
      ['traceparent', `00-${'0'.repeat(32)}-${PARENT_ID}-01`],
      ['tracestate', 'foo=1'],
    ],
    expected: NEW_TRACE,
  },
  {
    rule: 'tracestate header name is case-insensitive',
    headers: [
      ['traceparent', tp('00')],
      ['TrAcEsTaTe', 'foo=1'],
    ],
    expected: STATE_KEPT('foo=1'),
  },
  {
    rule: 'trace-state is not the header',
    headers: [
      ['traceparent', tp('00')],
      ['trace-state', 'foo=1'],
    ],
    expected: STATE_DISCARDED,
  },
  {
    rule: 'several tracestate headers are one list, in order',
    headers: [
      ['traceparent', tp('00')],
      ['tracestate', 'foo=1,bar=2'],
      ['tracestate', 'rojo=1,congo=2'],
      ['tracestate', 'baz=3'],
    ],
    expected: STATE_KEPT('foo=1,bar=2,rojo=1,congo=2,baz=3'),
  },
  {
    rule: 'an empty tracestate is accepted and not sent',
    headers: WITH_STATE(''),
    expected: STATE_DISCARDED,
  },
  {
    rule: 'an empty tracestate header next to a valid one',
    headers: [
      ['traceparent', tp('00')],
      ['tracestate', ''],
      ['tracestate', 'foo=1'],
    ],
    expected: STATE_KEPT('foo=1'),
  },
  {
    rule: 'empty list members are allowed',
    headers: WITH_STATE('foo=1,,  ,bar=2,'),
    expected: STATE_KEPT('foo=1,bar=2'),
  },
  {
    rule: 'spaces and tabs around members are ignored',
    headers: WITH_STATE('foo=1 \t , \t bar=2, \t baz=3'),
    expected: STATE_KEPT('foo=1,bar=2,baz=3'),
  },
  {
    rule: "a value's leading spaces are kept",
    headers: WITH_STATE('foo=  1,bar=2'),
    expected: STATE_KEPT('foo=  1,bar=2'),
  },
  {
    rule: '32 list members are kept',
    headers: WITH_STATE(members(1, 32)),
    expected: STATE_KEPT(members(1, 32)),
  },
  {
    rule: '33 list members discard the whole header',
    headers: WITH_STATE(members(1, 33)),
    expected: STATE_DISCARDED,
  },
  {
    rule: '33 list members over several headers discard the whole header',
    headers: [
      ['traceparent', tp('00')],
      ['tracestate', members(1, 20)],
      ['tracestate', members(21, 33)],
    ],
    expected: STATE_DISCARDED,
  },
  {
    rule: 'an uppercase key discards the whole header',
    headers: WITH_STATE('foo=1,FOO=2'),
    expected: STATE_DISCARDED,
  },
  { rule: 'a space inside a key', headers: WITH_STATE('foo =1,bar=2'), expected: STATE_DISCARDED },
  { rule: 'a dot in a key', headers: WITH_STATE('foo.bar=1,bar=2'), expected: STATE_DISCARDED },
  { rule: 'a key starting with @', headers: WITH_STATE('@foo=1,bar=2'), expected: STATE_DISCARDED },
  { rule: 'a key starting with _', headers: WITH_STATE('_foo=1,bar=2'), expected: STATE_DISCARDED },
  {
    rule: 'a key may start with a digit',
    headers: WITH_STATE('1foo=1,bar=2'),
    expected: STATE_KEPT('1foo=1,bar=2'),
  },
  {
    rule: 'a key with every allowed character',
    headers: WITH_STATE(`${ALL_KEY_CHARS}=1`),
    expected: STATE_KEPT(`${ALL_KEY_CHARS}=1`),
  },
  {
    rule: 'a tenant@system key with every allowed character',
    headers: WITH_STATE(`${ALL_KEY_CHARS}@a-z0-9_-*/=1`),
    expected: STATE_KEPT(`${ALL_KEY_CHARS}@a-z0-9_-*/=1`),
  },
  {
    rule: 'tenant@system at the level 1 limits (241 + @ + 14)',
    headers: WITH_STATE(`foo=1,${'t'.repeat(241)}@${'v'.repeat(14)}=1`),
    expected: STATE_KEPT(`foo=1,${'t'.repeat(241)}@${'v'.repeat(14)}=1`),
  },
  {
    rule: 'tenant@system beyond level 1, within 256 characters (level 2)',
    headers: WITH_STATE(`foo=1,${'t'.repeat(242)}@v=1,t@${'v'.repeat(15)}=2`),
    expected: STATE_KEPT(`foo=1,${'t'.repeat(242)}@v=1,t@${'v'.repeat(15)}=2`),
  },
  {
    rule: 'keys ending with @ or with several @ (level 2)',
    headers: WITH_STATE('foo@=1,foo@@bar=2,foo@bar@baz=3,bar=4'),
    expected: STATE_KEPT('foo@=1,foo@@bar=2,foo@bar@baz=3,bar=4'),
  },
  {
    rule: 'a key of 256 characters',
    headers: WITH_STATE(`foo=1,${'z'.repeat(256)}=1`),
    expected: STATE_KEPT(`foo=1,${'z'.repeat(256)}=1`),
  },
  {
    rule: 'a key of 257 characters',
    headers: WITH_STATE(`foo=1,${'z'.repeat(257)}=1`),
    expected: STATE_DISCARDED,
  },
  {
    rule: 'a value with every allowed character',
    headers: WITH_STATE(`foo=${ALL_VALUE_CHARS}`),
    expected: STATE_KEPT(`foo=${ALL_VALUE_CHARS}`),
  },
  {
    rule: 'a value of 256 characters',
    headers: WITH_STATE(`foo=${'v'.repeat(256)}`),
    expected: STATE_KEPT(`foo=${'v'.repeat(256)}`),
  },
  {
    rule: 'a value of 257 characters',
    headers: WITH_STATE(`foo=${'v'.repeat(257)},bar=2`),
    expected: STATE_DISCARDED,
  },
  { rule: 'an = in a value', headers: WITH_STATE('foo=bar=baz,bar=2'), expected: STATE_DISCARDED },
  { rule: 'an empty value', headers: WITH_STATE('foo=,bar=3'), expected: STATE_DISCARDED },
  { rule: 'a member without =', headers: WITH_STATE('foo,bar=3'), expected: STATE_DISCARDED },
  { rule: 'a tab inside a value', headers: WITH_STATE('foo=a\tb,bar=3'), expected: STATE_DISCARDED },
  {
    rule: 'a non-ASCII character in a value',
    headers: WITH_STATE('foo=caf\u00e9,bar=3'),
    expected: STATE_DISCARDED,
  },
  {
    rule: 'a repeated key keeps the left-most entry',
    headers: WITH_STATE('foo=1,bar=2,foo=3'),
    expected: STATE_KEPT('foo=1,bar=2'),
  },
  {
    rule: 'a key repeated in another header keeps the first',
    headers: [
      ['traceparent', tp('00')],
      ['tracestate', 'foo=1'],
      ['tracestate', 'foo=2'],
    ],
    expected: STATE_KEPT('foo=1'),
  },
];

const LATIN1 = (text: string) => Buffer.from(text, 'latin1');

function rawRequest(service: URL, headers: readonly Header[], callbacks: readonly string[]): Buffer {
  const body = JSON.stringify(callbacks.map((url) => ({ url, arguments: [] })));
  const lines = [
    `POST ${service.pathname} HTTP/1.1`,
    `Host: ${service.host}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...headers.map(([name, value]) => `${name}: ${value}`),
  ];
  return Buffer.concat([LATIN1(`${lines.join('\r\n')}\r\n\r\n`), Buffer.from(body)]);
}

function headerValues(request: RecordedRequest, name: string): string[] {
  return request.rawHeaders.filter(([key]) => key.toLowerCase() === name).map(([, value]) => value);
}

interface Callback {
  readonly traceId: string;
  readonly spanId: string;
  readonly flags: string;
  readonly tracestate: string | null;
}

function readCallback(request: RecordedRequest): Callback {
  const traceparents = headerValues(request, 'traceparent');
  expect(traceparents, 'exactly one traceparent on the outgoing call').toHaveLength(1);
  const match = OUTGOING_TRACEPARENT.exec(traceparents[0]!);
  expect(match, `outgoing traceparent ${traceparents[0]}`).not.toBeNull();
  const [, traceId, spanId, flags] = match!;
  expect(spanId).not.toBe('0'.repeat(16));
  const tracestates = headerValues(request, 'tracestate');
  expect(tracestates.length, 'at most one tracestate field').toBeLessThanOrEqual(1);
  return { traceId: traceId!, spanId: spanId!, flags: flags!, tracestate: tracestates[0] ?? null };
}

function startTraceContextService(sampler: string): Promise<SpawnedApp> {
  return spawnApp({
    args: ['--import', 'lookout/register', 'test/fixtures/trace-context-service.mjs'],
    env: {
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_TRACES_SAMPLER: sampler,
      OTEL_SERVICE_NAME: 'trace-context-service',
    },
  });
}

describe('W3C Trace Context through a real server and its outgoing calls', () => {
  let service: SpawnedApp;
  let unsampledService: SpawnedApp;
  let harness: Awaited<ReturnType<typeof startHeaderRecorder>>;
  let nextScope = 0;

  /** Sends one request with `headers` and returns what the service's `count` callbacks carried. */
  async function call(app: SpawnedApp, headers: readonly Header[], count = 1, extra: readonly Header[] = []) {
    const scope = `scope-${nextScope++}`;
    const callbacks = Array.from({ length: count }, (_, index) => `${harness.url}/${scope}/${index}`);
    const response = await sendRawAwaitingResponse(
      app.url,
      rawRequest(new URL(app.url), [...headers, ...extra], callbacks),
    );
    expect(response.status).toBe(200);
    const received = harness.received().filter((request) => request.path.startsWith(`/${scope}/`));
    expect(received).toHaveLength(count);
    return received.map(readCallback);
  }

  beforeAll(async () => {
    harness = await startHeaderRecorder();
    [service, unsampledService] = await Promise.all([
      startTraceContextService('parentbased_always_on'),
      startTraceContextService('always_off'),
    ]);
  });
  afterAll(async () => {
    await Promise.all([service?.stop(), unsampledService?.stop(), harness?.close()]);
  });

  describe.each([
    ['traceparent', TRACEPARENT_ROWS],
    ['tracestate', TRACESTATE_ROWS],
  ] as const)('%s', (_, rows) => {
    it.each(rows)('$rule', async ({ headers, expected }) => {
      // Act
      const [callback] = await call(service, headers);

      // Assess
      const incoming = headers.map(([, value]) => value).join('\n');
      if (expected.trace === 'continued') {
        expect(callback!.traceId).toBe(TRACE_ID);
        expect(callback!.spanId).not.toBe(PARENT_ID);
      } else {
        expect(incoming).not.toContain(callback!.traceId);
      }
      expect(callback!.flags).toBe(expected.flags);
      if (expected.tracestate !== undefined) expect(callback!.tracestate).toBe(expected.tracestate);
    });
  });

  it('continues one trace over several outgoing calls, each with its own parent-id', async () => {
    const callbacks = await call(service, [['traceparent', tp('01')]], 3);

    expect(new Set(callbacks.map((callback) => callback.traceId))).toEqual(new Set([TRACE_ID]));
    expect(new Set(callbacks.map((callback) => callback.spanId)).size).toBe(3);
  });

  it('starts one new trace for several outgoing calls when the traceparent is invalid', async () => {
    const callbacks = await call(service, [['traceparent', `00-${'0'.repeat(32)}-${PARENT_ID}-01`]], 3);

    expect(new Set(callbacks.map((callback) => callback.traceId)).size).toBe(1);
    expect(callbacks[0]!.traceId).not.toBe('0'.repeat(32));
    expect(new Set(callbacks.map((callback) => callback.spanId)).size).toBe(3);
    expect(callbacks.map((callback) => callback.flags)).toEqual(['03', '03', '03']);
  });

  it('moves an entry the service updates to the front, without a duplicate', async () => {
    const [callback] = await call(service, WITH_STATE('congo=1,lookout=old,rojo=2'), 1, [
      ['x-set-tracestate', 'lookout=new'],
    ]);

    expect(callback!.tracestate).toBe('lookout=new,congo=1,rojo=2');
  });

  it('adds an entry to a full list by dropping the right-most member', async () => {
    const [callback] = await call(service, WITH_STATE(members(1, 32)), 1, [
      ['x-set-tracestate', 'lookout=new'],
    ]);

    expect(callback!.tracestate).toBe(`lookout=new,${members(1, 31)}`);
  });

  it('refuses an update that would make the list invalid', async () => {
    const [callback] = await call(service, WITH_STATE('congo=1'), 1, [['x-set-tracestate', 'Lookout=new']]);

    expect(callback!.tracestate).toBe('congo=1');
  });

  it.each([
    {
      rule: 'drops a tracestate whose trace X-Ray overrides',
      root: '1-5759e988-bd862e3fe1be46a994272793',
      tracestate: null,
    },
    {
      rule: 'keeps a tracestate of the X-Ray trace',
      root: `1-${TRACE_ID.slice(0, 8)}-${TRACE_ID.slice(8)}`,
      tracestate: 'congo=1',
    },
  ])('$rule', async ({ root, tracestate }) => {
    // Act
    const [callback] = await call(service, [
      ...WITH_STATE('congo=1'),
      ['X-Amzn-Trace-Id', `Root=${root};Parent=53995c3f42cd8ad8;Sampled=1`],
    ]);

    // Assess: X-Ray's header is the later propagator, so its trace is the one continued.
    expect(callback!.traceId).toBe(root.replaceAll('-', '').slice(1));
    expect(callback!.tracestate).toBe(tracestate);
  });

  describe('on spans that are not recorded (always_off)', () => {
    it.each([
      { rule: 'a new trace still says its id is random', headers: [] as Header[], trace: 'new', flags: '02' },
      {
        rule: 'a continued random trace keeps the flag',
        headers: [['traceparent', tp('03')]] as Header[],
        trace: 'continued',
        flags: '02',
      },
      {
        rule: 'a continued trace without it stays without',
        headers: [['traceparent', tp('01')]] as Header[],
        trace: 'continued',
        flags: '00',
      },
    ])('$rule', async ({ headers, trace, flags }) => {
      const [callback] = await call(unsampledService, headers);

      if (trace === 'continued') expect(callback!.traceId).toBe(TRACE_ID);
      else expect(callback!.traceId).not.toBe(TRACE_ID);
      expect(callback!.flags).toBe(flags);
    });
  });
});
