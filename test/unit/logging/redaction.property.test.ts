import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogLinesForTesting, logger } from '../../../src/logging/index.js';
import { DEFAULT_SENSITIVE_KEYS, SENSITIVE_KEY_SUFFIXES } from '../../../src/logging/redaction/index.js';

// Property (issue "Logging", point 4): for random JSON-like objects with secrets placed at
// random paths, under sensitive keys in random casings and separators, and embedded inside
// longer strings, the written line is valid JSON, contains none of the secret values, and keeps
// every non-sensitive leaf unchanged.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

// Leaves are drawn from characters that cannot form any secret shape (no digits, '@' or '.'),
// so that "unchanged" is a fair expectation for every one of them; JSON escaping is exercised
// with quotes, backslashes, control and non-ASCII characters.
const SAFE_CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ -_:/,;!?()"\\\n\té日😀\u2028'];
const safeText = fc.string({ unit: fc.constantFrom(...SAFE_CHARS), maxLength: 24 });
const WORD_CHARS = [...'abcdefghijklmnopqrstuvwxyz'];
const word = fc.string({ unit: fc.constantFrom(...WORD_CHARS), minLength: 1, maxLength: 8 });

// An independent reading of "sensitive key": lower case, letters and digits only.
const normalize = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');
const isSensitive = (key: string) => {
  const normalized = normalize(key);
  return (
    DEFAULT_SENSITIVE_KEYS.includes(normalized) ||
    SENSITIVE_KEY_SUFFIXES.some((suffix) => normalized.endsWith(suffix))
  );
};
const safeKey = fc
  .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: 1, maxLength: 9 })
  .filter((key) => !isSensitive(key) && key !== '__proto__');

const leaf: fc.Arbitrary<Json> = fc.oneof(safeText, fc.integer(), fc.boolean(), fc.constant(null));
const { tree } = fc.letrec<{ tree: Json; node: Json }>((tie) => ({
  tree: fc.dictionary(safeKey, tie('node'), { maxKeys: 5 }),
  node: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(safeKey, tie('node'), { maxKeys: 4 }),
  ),
}));

// Sensitive keys as words, spelled with random casing and separators.
const SENSITIVE_WORDS = [
  ['password'],
  ['passwd'],
  ['secret'],
  ['token'],
  ['access', 'token'],
  ['refresh', 'token'],
  ['id', 'token'],
  ['authorization'],
  ['proxy', 'authorization'],
  ['cookie'],
  ['set', 'cookie'],
  ['x', 'api', 'key'],
  ['api', 'key'],
  ['client', 'secret'],
  ['private', 'key'],
  ['ssn'],
  ['card', 'number'],
  ['cvv'],
  ['cvc'],
  ['pin'],
  ['new', 'password'],
];
const sensitiveKey = fc
  .record({
    words: fc.constantFrom(...SENSITIVE_WORDS),
    separator: fc.constantFrom('', '-', '_', '.', ' '),
    casing: fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
  })
  .map(({ words, separator, casing }) =>
    [...words.join(separator)].map((char, index) => (casing[index] ? char.toUpperCase() : char)).join(''),
  );

const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
const fromAlphabet = (alphabet: string, minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });

function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let index = 0; index < body.length; index += 1) {
    let digit = Number(body[body.length - 1 - index]);
    if (index % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

const cardNumber = fc
  .record({
    first: fc.constantFrom('4', '5'),
    body: fromAlphabet('0123456789', 14, 14),
    separator: fc.constantFrom('', ' ', '-'),
  })
  .map(({ first, body, separator }) => {
    const digits = `${first}${body}${luhnCheckDigit(`${first}${body}`)}`;
    return digits.match(/.{4}/g)?.join(separator) ?? digits;
  });
const base64url = (value: string) => Buffer.from(value).toString('base64url');
const jwt = fc
  .record({
    subject: word,
    issuer: word,
    signature: fromAlphabet('abcdefghijklmnopqrstuvwxyz0123456789', 20, 43),
  })
  .map(
    ({ subject, issuer, signature }) =>
      `${base64url('{"alg":"HS256","typ":"JWT"}')}.${base64url(JSON.stringify({ sub: subject, iss: issuer }))}.${signature}`,
  );
const bearerToken = fromAlphabet(
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~',
  20,
  40,
);
const awsAccessKeyId = fromAlphabet('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16, 16).map((rest) => `AKIA${rest}`);
const awsSecretKey = fromAlphabet(
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+',
  40,
  40,
).filter((key) => /[A-Z]/.test(key) && /[a-z]/.test(key) && /[0-9/+]/.test(key));
const email = fc
  .record({ local: fromAlphabet('abcdefghijklmnopqrstuvwxyz0123456789', 3, 12), host: word, tld: word })
  .filter(({ tld }) => tld.length >= 2)
  .map(({ local, host, tld }) => `${local}@${host}.${tld}`);

/** A secret embedded in a longer string: the text written, and the secret it must not show. */
const embedded = fc
  .record({
    prefix: safeText,
    suffix: safeText,
    secret: fc.oneof(
      cardNumber.map((secret) => ({ secret, text: secret })),
      jwt.map((secret) => ({ secret, text: secret })),
      bearerToken.map((secret) => ({ secret, text: `Bearer ${secret}` })),
      awsAccessKeyId.map((secret) => ({ secret, text: secret })),
      awsSecretKey.map((secret) => ({ secret, text: secret })),
      email.map((secret) => ({ secret, text: secret })),
    ),
  })
  .map(({ prefix, suffix, secret }) => ({
    secret: secret.secret,
    text: `${prefix} ${secret.text} ${suffix}`,
  }));

/** A value under a sensitive key: any shape, holding a distinctive marker. */
const keyedSecret = fc
  .record({ key: sensitiveKey, marker: hex(16), shape: fc.constantFrom('string', 'object', 'array') })
  .map(({ key, marker, shape }) => {
    const secret = `S3cr3t${marker}`;
    const value: Json =
      shape === 'string' ? secret : shape === 'object' ? { inner: secret } : [secret, 'other'];
    return { key, secret, value };
  });

function objectNodes(value: Json, path: Path = [], found: Array<{ node: { [key: string]: Json } }> = []) {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      objectNodes(item, [...path, index], found);
    });
  } else if (value !== null && typeof value === 'object') {
    found.push({ node: value });
    for (const [key, child] of Object.entries(value)) objectNodes(child, [...path, key], found);
  }
  return found;
}

function leaves(value: Json, path: Path = [], found: Array<{ path: Path; value: Json }> = []) {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      leaves(item, [...path, index], found);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) leaves(child, [...path, key], found);
  } else found.push({ path, value });
  return found;
}

function at(value: unknown, path: Path): unknown {
  let current = value;
  for (const step of path) current = (current as Record<string | number, unknown> | undefined)?.[step];
  return current;
}

const scenario = fc.record({
  base: tree,
  keyed: fc.array(fc.record({ secret: keyedSecret, where: fc.nat() }), { maxLength: 4 }),
  embedded: fc.array(fc.record({ secret: embedded, where: fc.nat() }), { maxLength: 4 }),
  message: fc.option(embedded, { nil: undefined }),
});

let lines: string[] = [];
let restore: () => void = () => {};

beforeAll(() => {
  restore = captureLogLinesForTesting((line) => lines.push(line));
});

afterAll(() => {
  restore();
});

describe('redaction (property)', () => {
  it('writes valid JSON without any secret and with every other leaf unchanged', () => {
    fc.assert(
      fc.property(scenario, ({ base, keyed, embedded: inStrings, message }) => {
        const originalLeaves = leaves(base);
        const input = structuredClone(base) as { [key: string]: Json };
        const nodes = objectNodes(input);
        const secrets: string[] = [];
        for (const { secret, where } of keyed) {
          const target = nodes[where % nodes.length]?.node ?? input;
          target[secret.key] = secret.value;
          secrets.push(secret.secret);
        }
        inStrings.forEach(({ secret, where }, index) => {
          const target = nodes[where % nodes.length]?.node ?? input;
          target[`embedded_${index}`] = secret.text;
          secrets.push(secret.secret);
        });
        if (message !== undefined) secrets.push(message.secret);
        const before = JSON.stringify(input);

        lines = [];
        logger.info(message?.text ?? 'property', { payload: input });

        expect(lines).toHaveLength(1);
        const line = lines[0] ?? '';
        const written = JSON.parse(line) as { payload: unknown };
        for (const secret of secrets) expect(line).not.toContain(secret);
        for (const { path, value } of originalLeaves) expect(at(written.payload, path)).toEqual(value);
        // The caller's object is untouched.
        expect(JSON.stringify(input)).toBe(before);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves UUIDs and hex identifiers as they are, though their digit runs may pass the Luhn check', () => {
    // 1 in 10 digit runs passes the card check by chance; inside an identifier it is no card.
    fc.assert(
      fc.property(fc.uuid(), fc.stringMatching(/^[0-9a-f]{32}$/), (uuid, hex) => {
        lines = [];
        logger.info('ids', { request_id: uuid, trace: hex, in_text: `order ${uuid} done` });

        const written = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
        expect([written.request_id, written.trace, written.in_text]).toEqual([
          uuid,
          hex,
          `order ${uuid} done`,
        ]);
      }),
      { numRuns: 2000 },
    );
  });
});
