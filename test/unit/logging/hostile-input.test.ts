import { trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type LookoutOptions, resolveConfig } from '../../../src/config/index.js';
import { diagnostics } from '../../../src/diag/index.js';
import {
  captureLogLinesForTesting,
  configureLogging,
  createRedactionPolicy,
  logger,
  resetLoggingForTesting,
  runWithRequestContext,
} from '../../../src/logging/index.js';
import { MARKERS } from '../../../src/logging/redaction/index.js';
import { isDecodable } from '../../../src/logging/redaction/url-rules.js';
import { detectRuntime } from '../../../src/runtime/index.js';

// Findings of the adversarial review (issue "Never break, never leak"), one test each: every
// one failed before the fix it names.

const CENSOR = '[REDACTED]';

/** 200 objects, each linking to 10 of the others: what an ORM entity graph or `req` looks like. */
function sharedGraph(size = 200, links = 10): Array<{ id: number; peers: unknown[] }> {
  const nodes = Array.from({ length: size }, (_, id) => ({ id, peers: [] as unknown[] }));
  for (const [index, node] of nodes.entries()) {
    for (let link = 1; link <= links; link += 1) node.peers.push(nodes[(index * 7 + link * 13) % size]);
  }
  return nodes;
}

describe('redaction walk: bounded by the input, not by its shape', () => {
  it('writes each object of a shared-reference graph once, then a marker', () => {
    const policy = createRedactionPolicy();
    const nodes = sharedGraph();

    const out = policy.redact({ nodes }) as { nodes: Array<{ id: number; peers: unknown[] } | string> };
    const text = JSON.stringify(out);

    // 200 objects of ~10 links each: a few kilobytes, not the 10^16 paths of a depth-16 walk.
    expect(text.length).toBeLessThan(100_000);
    const written = out.nodes.filter((node) => typeof node === 'object');
    expect(written.length).toBeGreaterThan(0);
    expect(text).toContain(MARKERS.repeated);
    // Every id appears at most once as a written object.
    const ids = [...text.matchAll(/"id":(\d+)/g)].map((match) => match[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('still marks a reference to an ancestor as circular', () => {
    const policy = createRedactionPolicy();
    const value: Record<string, unknown> = { a: 1 };
    value.self = value;

    expect(policy.redact(value)).toEqual({ a: 1, self: MARKERS.circular });
  });

  it('cuts a line at the node budget and marks the cut', () => {
    const policy = createRedactionPolicy({ maxLineValues: 100 });
    const wide = Array.from({ length: 10_000 }, (_, index) => index);

    const out = policy.redact({ wide }) as { wide: unknown[] };

    expect(out.wide.length).toBeLessThanOrEqual(100);
    expect(out.wide.at(-1)).toBe(MARKERS.truncated);
  });

  it('cuts a line at the byte budget and marks the cut', () => {
    const policy = createRedactionPolicy({ maxLineBytes: 10_000 });
    const rows = Array.from({ length: 1000 }, (_, index) => ({ index, note: 'x'.repeat(50) }));

    const out = policy.redact({ rows });

    expect(Buffer.byteLength(JSON.stringify(out))).toBeLessThanOrEqual(10_000);
    expect(JSON.stringify(out)).toContain(MARKERS.truncated);
  });

  it('does not allocate for the length an array claims, only for what it writes', () => {
    const policy = createRedactionPolicy({ maxLineValues: 50 });
    const sparse = new Array(2 ** 31);

    const out = policy.redact({ sparse }) as { sparse: unknown[] };

    expect(out.sparse.length).toBeLessThanOrEqual(50);
  });

  it("does not list a String object's characters as keys, one string per character, to write it", () => {
    // Prepare: Object.keys() of a String object holds every index; for 4 MB of text it took
    // seconds and hundreds of MB before the line budget could stop anything.
    const policy = createRedactionPolicy();
    const text = new String(`token=${'x'.repeat(9000)}`);
    const listKeys = vi.spyOn(Object, 'keys');

    // Act
    const out = policy.redact({ text }) as { text: string };

    // Assess
    expect(listKeys.mock.calls.some(([listed]) => listed === text)).toBe(false);
    listKeys.mockRestore();
    expect(out.text).toBe('token=[REDACTED]');
  });
});

describe('redaction: Map and Set entries', () => {
  const policy = createRedactionPolicy();

  it('checks string keys of a Map written as pairs because another key is an object', () => {
    const map = new Map<unknown, unknown>([
      [{ kind: 'object key' }, 'kept'],
      ['apiKey', 'sk_live_0123456789'],
      [Symbol('password'), 'hunter2'],
    ]);

    const text = JSON.stringify(policy.redact({ map }));

    expect(text).not.toContain('sk_live_0123456789');
    expect(text).not.toContain('hunter2');
    expect(text).toContain('kept');
  });

  it('redacts the values inside a Set', () => {
    const text = JSON.stringify(policy.redact({ tokens: new Set([{ token: 'abc123' }, 'ok']) }));

    expect(text).not.toContain('abc123');
  });
});

describe('redaction: URLs in any field', () => {
  const policy = createRedactionPolicy();

  it.each([
    ['a query token', 'https://api.example.com/cb?token=t0k3nvalue&page=2', 't0k3nvalue', 'page=2'],
    [
      'api_key and client_secret',
      'https://api.example.com/x?api_key=AK123456&client_secret=cs-98765&q=shoes',
      'AK123456',
      'q=shoes',
    ],
    ['user:pass@host', 'postgres://app:s3cretpass@db:5432/orders', 's3cret', '@db:5432/orders'],
    [
      'a userinfo without a password',
      'https://ghp_0123456789abcdef@github.test/x.git',
      'ghp_',
      'github.test',
    ],
    ['a relative path with a query', '/login?password=hunter22&next=%2Fhome', 'hunter22', 'next='],
  ])('censors %s in a plain string field', (_name, url, secret, kept) => {
    const out = JSON.stringify(policy.redact({ target: url }));

    expect(out).not.toContain(secret);
    expect(out).toContain(kept);
  });

  it('censors all of a password holding an unencoded @, up to the host, as URL parsers read it', () => {
    // Prepare: WHATWG URL (and the drivers) take the userinfo up to the last @ before the host.
    const url = 'redis://app:p@ssw0rd!@cache.internal:6379/0';
    expect(new URL(url).password).toBe('p%40ssw0rd!');

    // Act
    const inString = policy.redactString(`cannot connect to ${url}: ECONNREFUSED`);
    const asUrl = policy.redactUrl(url);

    // Assess
    expect(inString).toBe(`cannot connect to redis://app:${CENSOR}@cache.internal:6379/0: ECONNREFUSED`);
    expect(asUrl).toBe(`redis://app:${CENSOR}@cache.internal:6379/0`);
  });

  it('censors the same parameters in a URL object', () => {
    const url = new URL('https://user:pa55word@example.com/x?access_token=zzz999&ok=1');

    const out = JSON.stringify(policy.redact({ url }));

    expect(out).not.toContain('zzz999');
    expect(out).not.toContain('pa5');
    expect(out).toContain('ok=1');
  });

  it('censors a sensitive name=value pair in prose', () => {
    expect(policy.redactString('login failed for jane with password=hunter22 from 10.0.0.1')).toBe(
      `login failed for jane with password=${CENSOR} from 10.0.0.1`,
    );
  });

  it.each([
    ['authorization=Bearer 9f8e7d6c5b4a3928 user=1', `authorization=${CENSOR} user=1`],
    ['Authorization=Basic dXNlcjpwYXNzd29yZA== next', `Authorization=${CENSOR} next`],
    ['upstream token=token ghp_0123456789abcdef', `upstream token=${CENSOR}`],
  ])('censors the credentials after the scheme of a sensitive name=value pair: %s', (text, expected) => {
    // The pair's value ends at the space after the scheme word, and the bearer rule, which runs
    // next, no longer sees a scheme before the token.
    expect(policy.redactString(text)).toBe(expected);
  });

  it.each([
    [
      "connection to server failed: host=db user=app password='s3cr3t pass' dbname=orders",
      `connection to server failed: host=db user=app password='${CENSOR}' dbname=orders`,
    ],
    [
      'level=warn msg="retry" token="t0k3n value" attempt=2',
      `level=warn msg="retry" token="${CENSOR}" attempt=2`,
    ],
    ['api_key="ab\\"cd" next', `api_key="${CENSOR}" next`],
    ['cut short password="hunter2 and more', `cut short password="${CENSOR}`],
    ['msg="retry with token=t0k3n" attempt=2', `msg="retry with token=${CENSOR}" attempt=2`],
    ['<a href="/cb?access_token=zzz999&ok=1">', `<a href="/cb?access_token=${CENSOR}&ok=1">`],
  ])('censors a quoted value of a sensitive name=value pair: %s', (text, expected) => {
    // libpq connection strings quote with ', logfmt with ": the quote ended the value before.
    const out = policy.redactString(text);

    expect(out).toBe(expected);
    expect(policy.redactString(out)).toBe(out);
  });

  it('leaves name=value pairs with ordinary names alone', () => {
    const text = 'GET /orders?page=2&sort=asc&limit=50';
    expect(policy.redactString(text)).toBe(text);
  });

  it('exposes URL and header redaction as small functions', () => {
    expect(policy.redactUrl('/orders?access_token=abc&page=2')).toBe(
      `/orders?access_token=${encodeURIComponent(CENSOR)}&page=2`,
    );
    // Part by part: the URL stays valid, a secret found decoded is re-encoded with its mask.
    expect(policy.redactUrl('/users/jane%40example.com?token=t&note=mail%20jo.doe%40example.com#x')).toBe(
      `/users/ja***%40example.com?token=${encodeURIComponent(CENSOR)}&note=mail%20jo***%40example.com#x`,
    );
    expect(policy.redactUrl('postgres://app:pw@db/orders')).toBe(`postgres://app:${CENSOR}@db/orders`);
    expect(policy.redactHeader('X-Api-Key', 'k-123')).toBe(CENSOR);
    expect(policy.redactHeader('accept', 'application/json')).toBe('application/json');
    expect(policy.redactHeader('referer', 'https://x.test/?token=abc')).not.toContain('abc');
  });
});

describe('redaction: percent-encoded values', () => {
  const policy = createRedactionPolicy();

  it.each([
    ['an e-mail in a path', '/users/jane.doe%40example.com/orders', 'jane.doe'],
    ['a double-encoded e-mail', '/users/jane.doe%2540example.com', 'jane.doe'],
    ['a card number with encoded spaces', 'card=4111%201111%201111%201111', '4111'],
    ['a bearer token', 'auth=Bearer%20abcdefghijklmnop', 'abcdefghijklmnop'],
  ])('finds %s', (_name, text, secret) => {
    expect(policy.redactString(text)).not.toContain(secret);
  });

  it('leaves escapes that are not UTF-8 as written without a thrown error for each', () => {
    // Prepare: Latin-1 escapes (`caf%e9`), as old clients send them and anyone can repeat; each
    // one made decodeURIComponent throw, and a thrown error costs microseconds: 10 KB of them
    // took 10 ms of the request's CPU in the access log, twice that in the span's url.path.
    const policy = createRedactionPolicy();
    const path = `/files/${'caf%e9-'.repeat(50)}%c0%80%ed%a0%80%f4%90%80%80?q=a%e9`;
    const decode = vi.spyOn(globalThis, 'decodeURIComponent');

    // Act
    const asText = policy.redactString(path);
    const asUrl = policy.redactUrl(path);

    // Assess
    const thrown = decode.mock.results.filter((result) => result.type === 'throw').length;
    decode.mockRestore();
    expect([asText, asUrl]).toEqual([path, path]);
    expect(thrown).toBe(0);
    expect(policy.redactString('/users/jane%40example.com%e9')).toBe('/users/ja***@example.com%e9');
  });

  it('tells decodable escapes from others exactly as decodeURIComponent does', () => {
    const hex = (byte: number) => `%${byte.toString(16).padStart(2, '0')}`;
    const decodes = (text: string) => {
      try {
        decodeURIComponent(text);
        return true;
      } catch {
        return false;
      }
    };
    const texts = ['%', '%4', '%4g', 'a%', '%F0%9F%98%80', '%F4%90%80%80', '%ED%A0%80', '%E0%9F%BF'];
    for (let first = 0; first < 256; first += 1) {
      for (let second = 0; second < 256; second += 1)
        texts.push(hex(first) + hex(second), `${hex(first)}x${hex(second)}`);
      for (const third of [0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc0])
        texts.push(hex(first) + hex(0x90) + hex(third) + hex(0x80));
    }

    expect(texts.filter((text) => isDecodable(text) !== decodes(text))).toEqual([]);
  });

  it('keeps a string without secrets exactly as it was, encoding included', () => {
    expect(policy.redactString('/search?q=caf%C3%A9%20au%20lait')).toBe('/search?q=caf%C3%A9%20au%20lait');
  });
});

describe('redaction: keys spelt with lookalike characters', () => {
  const policy = createRedactionPolicy();

  it.each([
    ['Cyrillic а in password', 'p\u0430ssword'],
    ['Cyrillic о and е in token', 't\u043ek\u0435n'],
    ['upper-case Cyrillic Р and А', '\u0420\u0410SSWORD'],
    ['Greek ο in token', 't\u03bfken'],
    ['fullwidth letters', '\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44'],
    ['a zero-width space', 'pass\u200bword'],
    ['a zero-width joiner', 'api\u200dKey'],
    ['a soft hyphen', 'sec\u00adret'],
    ['a trailing colon', 'password:'],
    ['a combining accent', 'pa\u0301ssword'],
    ['mathematical bold letters', '\u{1d429}\u{1d41a}\u{1d42c}\u{1d42c}\u{1d430}\u{1d428}\u{1d42b}\u{1d41d}'],
  ])('censors a value under %s', (_name, key) => {
    expect(policy.redact({ [key]: 'hunter2' })).toEqual({ [key]: CENSOR });
  });

  it('leaves ordinary non-Latin keys alone', () => {
    expect(policy.redact({ пароль_подсказка: 'кот', 名前: 'x' })).toEqual({
      пароль_подсказка: 'кот',
      名前: 'x',
    });
  });
});

describe('logger: lines under hostile input', () => {
  let lines: string[] = [];
  let restoreCapture: () => void = () => {};
  let restoreDiagnostics: () => void = () => {};
  const provider = new NodeTracerProvider();

  function configure(options: LookoutOptions = {}): void {
    const env = process.env;
    const { config } = resolveConfig({
      env,
      options,
      runtime: detectRuntime(env, () => undefined),
      appPackage: { name: 'unit-app', version: '1.0.0' },
    });
    configureLogging(config);
  }

  beforeAll(() => {
    provider.register();
  });
  afterAll(async () => {
    await provider.shutdown();
  });
  beforeEach(() => {
    lines = [];
    restoreCapture = captureLogLinesForTesting((line) => lines.push(line));
    restoreDiagnostics = diagnostics.captureForTesting(() => {});
    configure();
  });
  afterEach(() => {
    restoreCapture();
    restoreDiagnostics();
    resetLoggingForTesting();
  });

  it('logs the 200x10 shared-reference graph as one bounded line', () => {
    logger.info('graph', { nodes: sharedGraph() });

    expect(lines).toHaveLength(1);
    expect(Buffer.byteLength(lines[0] as string)).toBeLessThan(100_000);
    expect(JSON.parse(lines[0] as string).message).toBe('graph');
  });

  it('keeps every line within the byte budget, however large the input, and marks the cut', () => {
    configure({ logging: { maxLineBytes: 50_000 } });
    const chunks = Array.from({ length: 5000 }, (_, index) => `${index}:${'é'.repeat(900)}`);

    logger.info('big', { chunks, more: { a: 'x'.repeat(9000) } });

    const line = lines[0] as string;
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(50_000);
    const parsedLine = JSON.parse(line) as Record<string, unknown>;
    expect(parsedLine.message).toBe('big');
    expect(parsedLine.lookout_truncated).toEqual(expect.stringContaining('bytes'));
  });

  it('shares one visited set across the keys of a line', () => {
    const shared = { big: 'x'.repeat(100) };

    logger.info('twice', { first: shared, second: shared });

    const parsedLine = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(parsedLine.first).toEqual({ big: 'x'.repeat(100) });
    expect(parsedLine.second).toBe(MARKERS.repeated);
  });

  it('keeps the trace ids and request_id when a getter on the log argument throws', () => {
    const hostile = {
      orderId: 'o-1',
      get total(): number {
        throw new Error('lazy field failed');
      },
    };

    trace.getTracer('unit').startActiveSpan('work', (span) => {
      runWithRequestContext({ request_id: 'req-hostile-1' }, () => {
        logger.info('order', hostile);
      });
      span.end();
    });

    const parsedLine = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(parsedLine.message).toBe('order');
    expect(parsedLine.request_id).toBe('req-hostile-1');
    expect(parsedLine.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(parsedLine.orderId).toBe('o-1');
    expect(parsedLine.total).toBe(MARKERS.unreadable);
  });

  it('keeps the trace ids when the keys of the log argument cannot be listed', () => {
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap');
        },
      },
    );

    trace.getTracer('unit').startActiveSpan('work', (span) => {
      runWithRequestContext({ request_id: 'req-hostile-2' }, () => {
        logger.warn('proxy', proxy);
      });
      span.end();
    });

    const parsedLine = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(parsedLine.message).toBe('proxy');
    expect(parsedLine.level).toBe('WARN');
    expect(parsedLine.request_id).toBe('req-hostile-2');
    expect(parsedLine.trace_id).toMatch(/^[0-9a-f]{32}$/);
  });
});
