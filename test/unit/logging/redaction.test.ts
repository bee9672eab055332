import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createRedactionPolicy, MARKERS } from '../../../src/logging/redaction/create-redaction-policy.js';
import { isCardNumber, isLuhnValid } from '../../../src/logging/redaction/luhn.js';

const CENSOR = '[REDACTED]';

describe('redaction: sensitive keys', () => {
  const policy = createRedactionPolicy();

  it.each([
    'password',
    'Password',
    'PASSWORD',
    'api_key',
    'apiKey',
    'API-KEY',
    'x-api-key',
    'X_Api_Key',
    'Authorization',
    'proxy-authorization',
    'Set-Cookie',
    'access_token',
    'refreshToken',
    'id.token',
    'client secret',
    'card_number',
    'CardNumber',
    'cvv',
    'PIN',
    'ssn',
    'private_key',
  ])('censors the value under %j whatever its case and separators', (key) => {
    expect(policy.redact({ [key]: 'sensitive-value' })).toEqual({ [key]: CENSOR });
  });

  it.each(['newPassword', 'confirm_password', 'csrfToken', 'stripe-api-key', 'webhookSecret'])(
    'censors compound keys ending in a sensitive word (%s)',
    (key) => {
      expect(policy.isSensitiveKey(key)).toBe(true);
    },
  );

  it.each(['shipping', 'spinner', 'tokens', 'tokenCount', 'passwordPolicy', 'author', 'cookies_enabled'])(
    'leaves %j alone',
    (key) => {
      expect(policy.redact({ [key]: 'visible' })).toEqual({ [key]: 'visible' });
    },
  );

  it('censors at any depth, inside arrays, whatever the value type', () => {
    const input = {
      a: { b: [{ c: { password: { nested: 'x' } } }, { token: 123 }] },
      headers: { cookie: ['a=1', 'b=2'] },
    };
    expect(policy.redact(input)).toEqual({
      a: { b: [{ c: { password: CENSOR } }, { token: CENSOR }] },
      headers: { cookie: CENSOR },
    });
  });

  it('adds user keys, matched the same way', () => {
    const custom = createRedactionPolicy({ keys: ['x-session-id', 'tenantSecretCode'] });
    expect(
      custom.redact({ xSessionId: 'a', X_SESSION_ID: 'b', 'tenant-secret-code': 'c', other: 'd' }),
    ).toEqual({
      xSessionId: CENSOR,
      X_SESSION_ID: CENSOR,
      'tenant-secret-code': CENSOR,
      other: 'd',
    });
  });

  it('exempts keep-listed keys from the default list only', () => {
    const custom = createRedactionPolicy({ keepKeys: ['nextToken', 'pin'], keys: ['extra'] });
    expect(custom.redact({ NextToken: 'page-2', pin: 'map-pin', password: 'p', extra: 'e' })).toEqual({
      NextToken: 'page-2',
      pin: 'map-pin',
      password: CENSOR,
      extra: CENSOR,
    });
  });

  it('turns the key list off with disabledRules, keeping user keys', () => {
    const custom = createRedactionPolicy({ disabledRules: ['sensitive-keys'], keys: ['mine'] });
    expect(custom.redact({ password: 'p', mine: 'm' })).toEqual({ password: 'p', mine: CENSOR });
  });

  it('uses the configured censor text, even one that looks like a replacement pattern', () => {
    const custom = createRedactionPolicy({ censor: '$& ***' });
    expect(custom.redact({ password: 'p', note: 'Bearer abcdefghijklmnop' })).toEqual({
      password: '$& ***',
      note: 'Bearer $& ***',
    });
  });
});

describe('redaction: paths', () => {
  it('censors a wildcard path one level deep', () => {
    const policy = createRedactionPolicy({ paths: ['user.*.ssn'] });
    expect(
      policy.redact({ user: { a: { ssn: '1', name: 'x' }, b: { ssn: '2' } }, ssnless: { ssn: 'kept?' } }),
    ).toEqual({ user: { a: { ssn: CENSOR, name: 'x' }, b: { ssn: CENSOR } }, ssnless: { ssn: CENSOR } });
  });

  it('matches a path only where it leads', () => {
    const policy = createRedactionPolicy({ paths: ['user.*.nickname'], disabledRules: ['sensitive-keys'] });
    expect(
      policy.redact({ user: { a: { nickname: 'n' } }, nickname: 'top', other: { a: { nickname: 'o' } } }),
    ).toEqual({ user: { a: { nickname: CENSOR } }, nickname: 'top', other: { a: { nickname: 'o' } } });
  });

  it('reads bracket keys, indexes and array wildcards', () => {
    const policy = createRedactionPolicy({
      paths: ['headers["x-session"]', 'items[1].sku', 'rows[*].value', "meta['a.b']"],
    });
    expect(
      policy.redact({
        headers: { 'x-session': 's', accept: 'a' },
        items: [{ sku: 'one' }, { sku: 'two' }],
        rows: [{ value: 1 }, { value: 2 }],
        meta: { 'a.b': 'dotted', a: { b: 'nested' } },
      }),
    ).toEqual({
      headers: { 'x-session': CENSOR, accept: 'a' },
      items: [{ sku: 'one' }, { sku: CENSOR }],
      rows: [{ value: CENSOR }, { value: CENSOR }],
      meta: { 'a.b': CENSOR, a: { b: 'nested' } },
    });
  });

  it('censors whole subtrees named by a path, and top-level entries of a line', () => {
    const policy = createRedactionPolicy({ paths: ['profile', 'deep.*'] });
    const line: Record<string, unknown> = {};
    policy.putEntry(line, 'profile', { name: 'x' });
    policy.putEntry(line, 'deep', { a: 1, b: { c: 2 } });
    expect(line).toEqual({ profile: CENSOR, deep: { a: CENSOR, b: CENSOR } });
  });

  it('follows paths through Maps and error fields', () => {
    const policy = createRedactionPolicy({ paths: ['m.k', 'err.config.data'] });
    const error = Object.assign(new Error('x'), { config: { data: 'body', url: '/u' } });
    const out = policy.redact({ m: new Map([['k', 'v']]), err: error }) as {
      m: unknown;
      err: { config: unknown };
    };
    expect(out.m).toEqual({ k: CENSOR });
    expect(out.err.config).toEqual({ data: CENSOR, url: '/u' });
  });
});

describe('redaction: values inside strings', () => {
  const policy = createRedactionPolicy();

  it.each([
    ['4111111111111111'],
    ['4111 1111 1111 1111'],
    ['4111-1111-1111-1111'],
    ['5500 0000 0000 0004'],
    ['3782 822463 10005'],
    ['6011-0009-9013-9424'],
  ])('censors the Luhn-valid card number %j inside a sentence', (card) => {
    const out = policy.redactString(`paid with ${card}, thanks`);
    expect(out).toBe(`paid with ${CENSOR}, thanks`);
  });

  it('censors the values of sensitive names in JSON text, as an API Gateway body carries it', () => {
    // Prepare: the body of a Lambda proxy event is the request's JSON as a string.
    const body = JSON.stringify({
      username: 'ada',
      password: 'hunter2',
      card: { cvv: 123, note: 'say "hi"' },
      clientSecret: 'cs-\\"quoted\\"-tail',
      token: '',
    });
    const pretty = JSON.stringify({ user: 'ada', newPassword: 'n3w-pass' }, null, 2);

    // Act
    const out = policy.redactString(body);

    // Assess: the other values stay, and so does the JSON.
    expect(JSON.parse(out)).toEqual({
      username: 'ada',
      password: CENSOR,
      card: { cvv: CENSOR, note: 'say "hi"' },
      clientSecret: CENSOR,
      token: '',
    });
    expect(JSON.parse(policy.redactString(pretty))).toEqual({ user: 'ada', newPassword: CENSOR });
    expect(policy.redactString(out)).toBe(out);
  });

  it('censors a card glued to an expiry by the same separator', () => {
    expect(policy.redactString('4111 1111 1111 1111 2030')).toBe(`${CENSOR} 2030`);
  });

  it('leaves digit runs alone that are not card numbers', () => {
    for (const text of [
      '4111 1111 1111 1112', // Luhn fails
      'ts 1712345678901', // millisecond timestamp, starts with 1
      'id 1789012345678901234', // snowflake id
      'order 12345',
      'phone +1 555 0100',
    ]) {
      expect(policy.redactString(text)).toBe(text);
    }
  });

  it('censors a card number stored as a number, not other large integers', () => {
    expect(policy.redact({ n: 4111111111111111, m: 4111111111111112, t: 1712345678901 })).toEqual({
      n: CENSOR,
      m: 4111111111111112,
      t: 1712345678901,
    });
  });

  it('censors JWTs, even without their signature', () => {
    const jwt =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
    expect(policy.redactString(`token=${jwt}; path=/`)).toBe(`token=${CENSOR}; path=/`);
    expect(policy.redactString(`t ${jwt.split('.').slice(0, 2).join('.')} end`)).toBe(`t ${CENSOR} end`);
  });

  it('censors Bearer tokens and keeps the scheme', () => {
    expect(policy.redactString('Authorization: Bearer abc.DEF-123_xyz~+/=')).toBe(
      `Authorization: Bearer ${CENSOR}`,
    );
    expect(policy.redactString('header bearer 0123456789abcdef')).toBe(`header bearer ${CENSOR}`);
    expect(policy.redactString('bearer bonds are old')).toBe('bearer bonds are old');
  });

  it('censors AWS access key ids and secret access keys', () => {
    expect(policy.redactString('key AKIAIOSFODNN7EXAMPLE used')).toBe(`key ${CENSOR} used`);
    expect(policy.redactString('temp ASIAY34FZKBOKMUTVV7A')).toBe(`temp ${CENSOR}`);
    expect(policy.redactString('aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe(
      `aws_secret_access_key=${CENSOR}`,
    );
  });

  it('leaves 40-character hex digests and identifiers alone', () => {
    const sha = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
    expect(policy.redactString(`commit ${sha}`)).toBe(`commit ${sha}`);
    const camel = 'ThisIsAVeryLongCamelCaseIdentifierNameXy';
    expect(policy.redactString(camel)).toBe(camel);
  });

  it('masks e-mail addresses, keeping two characters and the domain', () => {
    expect(policy.redactString('contact john.doe@example.com now')).toBe('contact jo***@example.com now');
    expect(policy.redactString('jo@example.co.uk')).toBe('j***@example.co.uk');
    expect(policy.redactString('a@b.io')).toBe('***@b.io');
    expect(policy.redactString('user@localhost')).toBe('user@localhost');
  });

  it('rewrites keys that hold secrets, such as maps keyed by e-mail', () => {
    expect(policy.redact({ 'jane.roe@example.com': 'active' })).toEqual({ 'ja***@example.com': 'active' });
  });

  it('applies user patterns to every string, including keys of nothing else', () => {
    const custom = createRedactionPolicy({ patterns: [{ source: 'ORD-\\d{6}', flags: 'i' }] });
    expect(custom.redact({ note: 'order ord-123456 shipped', list: ['ORD-654321'] })).toEqual({
      note: `order ${CENSOR} shipped`,
      list: [CENSOR],
    });
  });

  it('turns each default value rule off by name', () => {
    const custom = createRedactionPolicy({
      disabledRules: [
        'card-number',
        'jwt',
        'bearer-token',
        'aws-access-key-id',
        'aws-secret-access-key',
        'email',
      ],
    });
    const text =
      '4111 1111 1111 1111 eyJhbGciOi.eyJzdWIiOi.sig Bearer abcdefghijkl AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY a.b@example.com';
    expect(custom.redactString(text)).toBe(text);
  });

  it('cuts long strings, marks them, and does not show half a secret at the cut', () => {
    const custom = createRedactionPolicy({ maxStringLength: 100 });
    // The key id straddles nothing here, but the run of y's is cut at 100: the cut token goes.
    const out = custom.redactString(`${'x'.repeat(60)} AKIAIOSFODNN7EXAMPLE ${'y'.repeat(500)}`);
    expect(out).toBe(`${'x'.repeat(60)} ${CENSOR} …[truncated, 582 chars]`);
    // A secret straddling the limit is recognised whole inside the scan margin.
    const straddling = custom.redactString(`${'x'.repeat(90)} AKIAIOSFODNN7EXAMPLE tail`);
    expect(straddling).not.toContain('AKIA');
    const long = createRedactionPolicy({ maxStringLength: 100 }).redactString(
      `${'a '.repeat(48)}SECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRETSECRET`,
    );
    expect(long).toBe(`${'a '.repeat(48)}…[truncated, 156 chars]`);
  });

  it('scans the message of errors and their stacks', () => {
    const out = policy.redact(new Error('login failed for jane@example.com')) as {
      message: string;
      stack: string;
    };
    expect(out.message).toBe('login failed for ja***@example.com');
    expect(out.stack).toContain('ja***@example.com');
    expect(out.stack).not.toContain('jane@example.com');
  });
});

describe('redaction: any value serialises', () => {
  const policy = createRedactionPolicy();

  it('marks circular references, and writes a shared object once and a marker after', () => {
    const shared = { v: 1 };
    const value: Record<string, unknown> = { a: shared, b: shared };
    value.self = value;
    expect(policy.redact(value)).toEqual({ a: { v: 1 }, b: MARKERS.repeated, self: MARKERS.circular });
  });

  it('turns errors into name, location, message, stack, cause and own fields', () => {
    const cause = new TypeError('inner');
    const error = Object.assign(new Error('outer', { cause }), {
      code: 'E_FAIL',
      password: 'p',
      statusCode: 500,
    });
    const out = policy.redact(error) as Record<string, unknown>;
    expect(out).toMatchObject({
      name: 'Error',
      message: 'outer',
      code: 'E_FAIL',
      password: CENSOR,
      statusCode: 500,
      cause: { name: 'TypeError', message: 'inner' },
    });
    expect(typeof out.stack).toBe('string');
    expect(out.location).toMatch(/:\d+$/);
  });

  it('lists the errors of an AggregateError', () => {
    const out = policy.redact(new AggregateError([new Error('a'), new Error('b')], 'both')) as {
      errors: Array<{ message: string }>;
    };
    expect(out.errors.map((error) => error.message)).toEqual(['a', 'b']);
  });

  it('writes an Error of another realm (a vm context) as an error, not as {}', () => {
    // Prepare: not `instanceof Error` here, and its message and stack are not enumerable.
    const error = runInNewContext('new RangeError("limit token=abc")') as Error;

    // Act
    const out = policy.redact({ error }) as { error: Record<string, unknown> };

    // Assess
    expect(out.error).toMatchObject({ name: 'RangeError', message: `limit token=${CENSOR}` });
    expect(out.error.stack).toEqual(expect.stringContaining('RangeError: limit token='));
  });

  it('writes an own errors field that is not a list, as a validation error carries it', () => {
    // Prepare: the shape of a Mongoose ValidationError, whose errors map paths to errors.
    class ValidatorError extends Error {
      constructor(
        readonly path: string,
        readonly kind: string,
      ) {
        super(`Path \`${path}\` is ${kind}.`);
      }
    }
    const error = Object.assign(new Error('User validation failed'), {
      errors: {
        email: new ValidatorError('email', 'required'),
        password: new ValidatorError('password', 'minlength'),
      },
    });

    // Act
    const out = policy.redact(error) as { errors: Record<string, { message: string; kind: string }> };

    // Assess
    expect(out.errors.email).toMatchObject({ message: 'Path `email` is required.', kind: 'required' });
    expect(out.errors.password).toBe(CENSOR);
  });

  it('writes Maps as objects (or pairs), Sets as arrays, BigInts and Dates as strings', () => {
    expect(
      policy.redact({
        map: new Map<unknown, unknown>([
          ['a', 1],
          [2, 'two'],
        ]),
        objectKeys: new Map([[{ k: 1 }, 'v']]),
        set: new Set(['x', 'y']),
        big: 12345678901234567890n,
        date: new Date('2024-01-02T03:04:05.000Z'),
        bad: new Date('nope'),
      }),
    ).toEqual({
      map: { a: 1, 2: 'two' },
      objectKeys: [[{ k: 1 }, 'v']],
      set: ['x', 'y'],
      big: '12345678901234567890',
      date: '2024-01-02T03:04:05.000Z',
      bad: 'Invalid Date',
    });
  });

  it('writes String, Number and Boolean objects as their values, as JSON does, and redacts them', () => {
    // Walked as objects, a String's characters were written one key each, out of the rules' reach.
    expect(
      policy.redact({
        note: new String('password=hunter2 for jane@example.com'),
        card: new Number(4111111111111111),
        count: new Number(3),
        flag: new Boolean(false),
        big: Object(12345678901234567890n),
      }),
    ).toEqual({
      note: `password=${CENSOR} for ja***@example.com`,
      card: CENSOR,
      count: 3,
      flag: false,
      big: '12345678901234567890',
    });
  });

  it('summarises binary data', () => {
    expect(
      policy.redact({ buffer: Buffer.from('secret'), bytes: new Uint8Array(4), raw: new ArrayBuffer(8) }),
    ).toEqual({ buffer: '[Buffer: 6 bytes]', bytes: '[Uint8Array: 4 bytes]', raw: '[ArrayBuffer: 8 bytes]' });
  });

  it('drops what JSON drops and writes null in arrays', () => {
    expect(
      policy.redact({ f: () => 1, s: Symbol('x'), u: undefined, list: [undefined, () => 1, 1] }),
    ).toEqual({
      list: [null, null, 1],
    });
  });

  it('marks nesting deeper than the limit', () => {
    const custom = createRedactionPolicy({ maxDepth: 3 });
    expect(custom.redact({ a: { b: { c: { d: 1 } } } })).toEqual({ a: { b: { c: MARKERS.maxDepth } } });
    let deep: Record<string, unknown> = { end: true };
    for (let index = 0; index < 10_000; index += 1) deep = { next: deep };
    expect(() => JSON.stringify(policy.redact(deep))).not.toThrow();
  });

  it("keeps an error's name, stack and cause when its message cannot be made a string", () => {
    // Prepare: a message copied from parsed JSON whose toString is no function.
    const error = new TypeError('placeholder', { cause: new Error('token=abc') });
    (error as { message: unknown }).message = JSON.parse('{"toString":1}');
    (error as { message: unknown; stack: string }).stack =
      'TypeError: lost\n    at handler (/app/src/orders.js:12:7)';

    // Act
    const out = policy.redact({ error }) as { error: Record<string, unknown> };

    // Assess
    expect(out.error).toMatchObject({
      name: 'TypeError',
      location: '/app/src/orders.js:12',
      message: MARKERS.unreadable,
      cause: { message: `token=${CENSOR}` },
    });
  });

  it('survives getters, proxies and toJSON methods that throw', () => {
    const hostile = {
      ok: 1,
      get bad() {
        throw new Error('getter');
      },
    };
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('trap');
        },
      },
    );
    const badJson = {
      toJSON() {
        throw new Error('toJSON');
      },
    };
    expect(policy.redact({ hostile, proxy, badJson })).toEqual({
      hostile: { ok: 1, bad: MARKERS.unreadable },
      proxy: MARKERS.unreadable,
      badJson: MARKERS.unreadable,
    });
  });

  it('uses toJSON results and redacts them too', () => {
    const value = { toJSON: () => ({ password: 'p', url: 'https://x.test' }) };
    expect(policy.redact({ value, url: new URL('https://a.test/?q=1') })).toEqual({
      value: { password: CENSOR, url: 'https://x.test' },
      url: 'https://a.test/?q=1',
    });
  });

  it('keeps a __proto__ key as data', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as unknown;
    const out = policy.redact(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(out))).toEqual(input);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never changes the value it is given', () => {
    const input = { password: 'p', nested: { email: 'john@example.com', list: [1, { token: 't' }] } };
    const before = structuredClone(input);
    policy.redact(input);
    expect(input).toEqual(before);
  });

  it('returns strings as strings', () => {
    expect(policy.redact('Bearer 0123456789abcdef')).toBe(`Bearer ${CENSOR}`);
  });
});

describe('Luhn check', () => {
  it('accepts valid card numbers and rejects others', () => {
    expect(isLuhnValid('79927398713')).toBe(true);
    expect(isLuhnValid('79927398710')).toBe(false);
    expect(isLuhnValid('')).toBe(false);
    expect(isCardNumber('4012888888881881')).toBe(true);
    expect(isCardNumber('1012888888881881')).toBe(false);
    expect(isCardNumber('401288888888')).toBe(false);
  });
});
