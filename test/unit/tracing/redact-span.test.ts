import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { createRedactionPolicy } from '../../../src/logging/index.js';
import {
  RepeatedValueRedaction,
  redactAttributes,
  redactQueryParameters,
  redactSpan,
} from '../../../src/tracing/redact-span.js';

const policy = createRedactionPolicy();
const CENSOR = policy.censor;

describe('redactQueryParameters', () => {
  it('censors sensitive parameters by name and keeps the others and the fragment', () => {
    expect(redactQueryParameters('/orders?access_token=abc&page=2#top', policy)).toBe(
      `/orders?access_token=${encodeURIComponent(CENSOR)}&page=2#top`,
    );
    expect(redactQueryParameters('Password=hunter2&q=shoes', policy)).toBe(
      `Password=${encodeURIComponent(CENSOR)}&q=shoes`,
    );
  });

  it('returns the text itself when nothing is sensitive or there is no query', () => {
    const plain = 'https://example.com/orders?page=2&sort=asc';

    expect(redactQueryParameters(plain, policy)).toBe(plain);
    expect(redactQueryParameters('/orders/42', policy)).toBe('/orders/42');
  });

  it('judges percent-encoded and malformed names without throwing', () => {
    expect(redactQueryParameters('?api%5Fkey=1', policy)).toBe(`?api%5Fkey=${encodeURIComponent(CENSOR)}`);
    expect(redactQueryParameters('?%E0%A4%A=1&token=2', policy)).toBe(
      `?%E0%A4%A=1&token=${encodeURIComponent(CENSOR)}`,
    );
  });
});

describe('redactAttributes', () => {
  it('censors sensitive names, query strings and secret-shaped values, and keeps the rest', () => {
    const attributes = {
      'url.query': 'token=t0k3n&page=1',
      'url.full': 'http://127.0.0.1/orders?client_secret=s&x=1',
      'http.request.header.authorization': ['Bearer abc.def'],
      'enduser.id': 'jane.doe@example.com',
      'http.route': '/orders/:id',
      'http.response.status_code': 200,
      'app.note': 'card 4111 1111 1111 1111 used',
    };

    const redacted = redactAttributes(attributes, policy);

    expect(redacted).toEqual({
      'url.query': `token=${encodeURIComponent(CENSOR)}&page=1`,
      'url.full': `http://127.0.0.1/orders?client_secret=${encodeURIComponent(CENSOR)}&x=1`,
      'http.request.header.authorization': CENSOR,
      'enduser.id': 'ja***@example.com',
      'http.route': '/orders/:id',
      'http.response.status_code': 200,
      'app.note': `card ${CENSOR} used`,
    });
    expect(attributes['url.query']).toBe('token=t0k3n&page=1');
  });

  it('returns the same object when nothing changes', () => {
    const attributes = { 'http.route': '/orders/:id', 'http.request.method': 'GET', count: 3 };

    expect(redactAttributes(attributes, policy)).toBe(attributes);
  });

  it('cuts an array after the items whose lengths add up to maxStringLength, numbers counting 8', () => {
    // Prepare
    const short = createRedactionPolicy({ maxStringLength: 100 });
    const attributes = {
      'app.ids': Array.from({ length: 50 }, (_, index) => `id-${String(index).padStart(6, '0')}`),
      'app.scores': Array.from({ length: 50 }, (_, index) => index),
      'app.one': ['x'.repeat(500)],
    };

    // Act
    const redacted = redactAttributes(attributes, short);

    // Assess: eleven ids of 9 characters (99), twelve numbers (96); one item is always kept
    expect(redacted['app.ids']).toEqual(attributes['app.ids'].slice(0, 11));
    expect(redacted['app.scores']).toEqual(attributes['app.scores'].slice(0, 12));
    expect(redacted['app.one']).toHaveLength(1);
  });

  it('keeps an array that fits as the same array', () => {
    // Prepare
    const attributes = { 'app.tags': ['a', 'b'], 'app.scores': [1, 2, 3] };

    // Act
    const redacted = redactAttributes(attributes, policy);

    // Assess
    expect(redacted).toBe(attributes);
  });

  it('gives the same result with the memo of names the exporter keeps, call after call', () => {
    const attributes = {
      'http.request.header.authorization': 'Bearer abc.def',
      'http.request.header.x-api-key': 'k-123',
      'enduser.password': 'hunter2',
      'app.session_token': 'abc',
      'http.request.method': 'GET',
      'http.route': '/orders/:id',
      'user_agent.original': 'curl/8.0',
      Password: 'x',
    };
    const repeated = new RepeatedValueRedaction(policy);
    const expected = redactAttributes(attributes, policy);

    for (let call = 0; call < 3; call++)
      expect(redactAttributes(attributes, policy, repeated)).toEqual(expected);
    expect(expected['http.request.header.authorization']).toBe(CENSOR);
    expect(expected['enduser.password']).toBe(CENSOR);
    expect(expected['http.request.method']).toBe('GET');
  });
});

describe('redactSpan', () => {
  function fakeSpan(overrides: Partial<ReadableSpan>): ReadableSpan {
    // A stand-in with the fields the redaction reads; real spans are covered end to end in
    // test/integration/tracing.redaction.test.ts.
    const span = {
      name: 'GET /orders/:id',
      attributes: {},
      events: [],
      links: [],
      droppedLinksCount: 0,
      startTime: [1_700_000_000, 0],
      endTime: [1_700_000_001, 0],
      status: { code: 0 },
      spanContext: () => ({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 }),
      ...overrides,
    };
    return span as unknown as ReadableSpan;
  }

  it.each([
    [undefined, 'undefined'],
    [null, 'null'],
    [42, '42'],
    [Object.create(null), ''],
  ])('gives a span named %s by plain JavaScript the name %j, with or without the memo', (given, expected) => {
    // Prepare
    const span = fakeSpan({ name: given as unknown as string });

    // Act
    const once = redactSpan(span, policy);
    const memoized = redactSpan(span, policy, new RepeatedValueRedaction(policy));

    // Assess
    expect(once.name).toBe(expected);
    expect(memoized.name).toBe(expected);
  });

  it.each([
    [undefined, 'undefined'],
    [42, '42'],
    [Object.create(null), ''],
  ])('gives an event named %s by plain JavaScript the name %j, as it does a span', (given, expected) => {
    // Prepare: `span.addEvent(error.code)` keeps whatever it was given.
    const span = fakeSpan({ events: [{ name: given as unknown as string, time: [0, 0] }] });

    // Act
    const view = redactSpan(span, policy);

    // Assess
    expect(view.events[0]!.name).toBe(expected);
  });

  it('returns a view whose attributes, events and status message are redacted, delegating the rest', () => {
    const span = fakeSpan({
      attributes: { 'url.query': 'password=p' },
      events: [
        {
          name: 'exception',
          time: [0, 0],
          attributes: { 'exception.message': 'bad Bearer 9f8e7d6c5b4a39281706' },
        },
      ],
      status: { code: 2, message: 'login for jane@example.com failed' },
    });

    const view = redactSpan(span, policy);

    expect(view).not.toBe(span);
    expect(view.attributes['url.query']).toBe(`password=${encodeURIComponent(CENSOR)}`);
    expect(view.events[0]!.attributes!['exception.message']).toBe(`bad Bearer ${CENSOR}`);
    expect(view.status).toEqual({ code: 2, message: 'login for ja***@example.com failed' });
    expect(view.name).toBe('GET /orders/:id');
    expect(view.spanContext().spanId).toBe('b'.repeat(16));
    expect(span.attributes['url.query']).toBe('password=p');
  });

  it('redacts the name, event names, link attributes and status message the app set', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJlLXZhbHVl';
    const span = fakeSpan({
      name: `verify ${jwt}`,
      events: [{ name: 'retry for jane.doe@example.com', time: [0, 0] }],
      links: [
        {
          context: { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: 1 },
          attributes: { 'app.api_key': 'k-123', 'app.callback': 'https://x.test/cb?token=zzz&ok=1' },
        },
      ],
      status: { code: 2, message: `token ${jwt} rejected` },
    });

    const view = redactSpan(span, policy);
    const text = JSON.stringify({
      name: view.name,
      events: view.events,
      links: view.links,
      status: view.status,
    });

    expect(view.name).toBe(`verify ${CENSOR}`);
    expect(view.events[0]!.name).toBe('retry for ja***@example.com');
    expect(view.links[0]!.attributes).toEqual({
      'app.api_key': CENSOR,
      'app.callback': `https://x.test/cb?token=${CENSOR}&ok=1`,
    });
    expect(text).not.toContain(jwt);
    expect(text).not.toContain('zzz');
    expect(view.links[0]!.context.spanId).toBe('d'.repeat(16));
  });

  it('censors a percent-encoded e-mail in url.path', () => {
    const view = redactSpan(
      fakeSpan({ attributes: { 'url.path': '/users/jane.doe%40example.com' } }),
      policy,
    );

    expect(String(view.attributes['url.path'])).not.toContain('jane.doe');
  });

  it('returns the span itself when nothing needs redacting', () => {
    const span = fakeSpan({ attributes: { 'http.route': '/orders/:id' } });

    expect(redactSpan(span, policy)).toBe(span);
  });
});

describe('RepeatedValueRedaction', () => {
  it('redacts each repeating value once, as the policy does, and everything else every time', () => {
    const calls: string[] = [];
    const counting = {
      ...policy,
      redactString: (text: string) => {
        calls.push(text);
        return policy.redactString(text);
      },
    };
    const repeated = new RepeatedValueRedaction(counting);
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJlLXZhbHVl';
    const attributes = {
      'http.route': '/orders/:id',
      'user_agent.original': `curl/8.5 Bearer ${jwt}`,
      'app.note': 'mail jane@example.com',
    };

    const first = redactAttributes(attributes, counting, repeated);
    const second = redactAttributes(attributes, counting, repeated);

    expect(second).toEqual(first);
    expect(first).toEqual(redactAttributes(attributes, policy));
    expect(String(first['user_agent.original'])).not.toContain(jwt);
    expect(calls.filter((text) => text === '/orders/:id')).toHaveLength(1);
    expect(calls.filter((text) => text.startsWith('curl/'))).toHaveLength(1);
    expect(calls.filter((text) => text === 'mail jane@example.com')).toHaveLength(2);
  });

  it('stays bounded: values past its limit are still redacted', () => {
    const repeated = new RepeatedValueRedaction(policy);
    for (let index = 0; index < 2000; index++) repeated.redactString(`agent-${index} jane@example.com`);

    expect(repeated.redactString('agent-7 jane@example.com')).toBe('agent-7 ja***@example.com');
  });

  it('judges attribute names as the policy judges their last segment, past its limit too', () => {
    const repeated = new RepeatedValueRedaction(policy);
    const names = Array.from({ length: 1200 }, (_, index) =>
      index % 3 === 0 ? `app.item${index}.password` : index % 3 === 1 ? `app.item${index}` : `token`,
    );
    for (const name of [...names, ...names])
      expect(repeated.isSensitiveAttribute(name)).toBe(
        policy.isSensitiveKey(name.slice(name.lastIndexOf('.') + 1)),
      );
  });
});
