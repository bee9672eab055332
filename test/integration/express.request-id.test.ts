// Hostile request ids against a real app: raw bytes over a TCP socket (no client library would
// send most of these), the response's headers read back as received, stdout read line by line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLookoutOutput } from '../helpers/lookout-output.js';
import { type RawResponse, sendRaw } from '../helpers/raw-http.js';
import { type SpawnedApp, spawnApp } from '../helpers/spawn-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function rawGet(headerLines: string): Buffer {
  return Buffer.from(
    `GET /api/orders/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n${headerLines}Connection: close\r\n\r\n`,
    'utf8',
  );
}

function header(response: RawResponse, name: string): string[] {
  return response.headers.filter(([key]) => key === name).map(([, value]) => value);
}

const TEN_KB = 'a'.repeat(10 * 1024);

describe('hostile request ids', () => {
  let app: SpawnedApp;
  const responses = new Map<string, RawResponse>();

  // Each case: the request's extra header lines, and strings that must never appear in a
  // response header or on stdout.
  const CASES: Array<{ name: string; headers: string; never: string[] }> = [
    {
      name: 'percent-encoded CRLF with a Set-Cookie',
      headers: 'X-Request-ID: abc%0d%0aSet-Cookie:%20pwned=1\r\n',
      never: ['%0d%0aSet-Cookie', 'pwned'],
    },
    { name: 'a 10 KB id', headers: `X-Request-ID: ${TEN_KB}\r\n`, never: [TEN_KB.slice(0, 129)] },
    {
      name: 'unicode',
      headers: 'X-Request-ID: req-✓-ünïcödé-ид\r\n',
      never: ['ünïcödé', 'Ã¼nÃ¯cÃ¶dÃ©', '✓'],
    },
    {
      name: 'quotes and JSON breaking characters',
      headers: 'X-Request-ID: a","level":"CRITICAL","x":"\r\n',
      never: ['"level":"CRITICAL","x"'],
    },
    { name: 'spaces and a tab', headers: 'X-Request-ID: a b\tc\r\n', never: ['a b\tc'] },
    {
      name: 'an invalid X-Request-ID and an invalid x-amzn-requestid',
      headers: 'X-Request-ID: <script>\r\nx-amzn-requestid: ../../etc\r\n',
      never: ['<script>', '../../etc'],
    },
  ];

  beforeAll(async () => {
    app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/observed-app.mjs'],
      env: { OTEL_TRACES_EXPORTER: 'none', OTEL_SERVICE_NAME: 'request-ids' },
    });
    for (const testCase of CASES)
      responses.set(testCase.name, await sendRaw(app.url, rawGet(testCase.headers)));
    // Header values with a bare CR or LF inside: Node's parser refuses the request itself.
    responses.set('bare CR', await sendRaw(app.url, rawGet('X-Request-ID: abc\rSet-Cookie: bare=1\r\n')));
    responses.set('valid', await sendRaw(app.url, rawGet('X-Request-ID: Req_1.2:3-4\r\n')));
    responses.set(
      'amzn fallback',
      await sendRaw(
        app.url,
        rawGet('X-Request-ID: not valid\r\nx-amzn-requestid: c6af9ac6-7b61-11e6-9a41-93e8deadbeef\r\n'),
      ),
    );
    await app.stop();
  });
  afterAll(async () => {
    await app.stop();
  });

  it.each(CASES.map((testCase) => [testCase.name, testCase] as const))(
    'replaces %s with a generated id, in the response header and on every log line',
    (name, testCase) => {
      const response = responses.get(name) as RawResponse;

      expect(response.status).toBe(200);
      const ids = header(response, 'x-request-id');
      expect(ids).toHaveLength(1);
      expect(ids[0]).toMatch(UUID);
      expect(header(response, 'set-cookie')).toEqual([]);
      const headerBlock = response.raw.slice(0, response.raw.indexOf('\r\n\r\n'));
      const stdout = app.stdoutLines().join('\n');
      for (const text of testCase.never) {
        expect(headerBlock).not.toContain(text);
        expect(stdout).not.toContain(text);
      }
      const lines = readLookoutOutput(app.stdoutLines()).logs.filter((line) => line.request_id === ids[0]);
      expect(lines.length).toBeGreaterThan(0);
    },
  );

  it('keeps a valid id as sent, and takes x-amzn-requestid when X-Request-ID is not valid', () => {
    expect(header(responses.get('valid') as RawResponse, 'x-request-id')).toEqual(['Req_1.2:3-4']);
    expect(header(responses.get('amzn fallback') as RawResponse, 'x-request-id')).toEqual([
      'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    ]);
  });

  it('lets Node refuse a header value holding a bare CR, and keeps serving', () => {
    const refused = responses.get('bare CR') as RawResponse;

    expect(refused.status).toBe(400);
    expect(header(refused, 'set-cookie')).toEqual([]);
    // The requests after it were served.
    expect((responses.get('valid') as RawResponse).status).toBe(200);
    expect(app.stdoutLines().join('\n')).not.toContain('bare=1');
  });

  it('writes only valid JSON lines, each request id 1 to 128 safe characters', () => {
    const { logs, other } = readLookoutOutput(app.stdoutLines());

    expect(other).toEqual([]);
    for (const line of logs)
      if (line.request_id !== undefined) expect(line.request_id).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  });
});
