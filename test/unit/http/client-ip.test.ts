import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { checkTrustedProxy, compileTrustedProxies } from '../../../src/config/trusted-proxies.js';
import { resolveClientIp } from '../../../src/http/client-ip.js';

// A full collection on demand: the flag takes effect for the contexts made after it is set.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

describe('trusted proxies', () => {
  it.each([
    ['loopback', ['127.0.0.1', '127.9.9.9', '::1'], ['10.0.0.1', '::2']],
    [
      'uniquelocal',
      ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', 'fd12::1', '::ffff:10.0.0.1'],
      ['172.32.0.1', '8.8.8.8'],
    ],
    ['linklocal', ['169.254.169.254', 'fe80::1'], ['169.255.0.1']],
    ['203.0.113.0/24', ['203.0.113.1', '203.0.113.255'], ['203.0.114.1']],
    ['2001:db8::/32', ['2001:db8::1'], ['2001:db9::1']],
    ['198.51.100.7', ['198.51.100.7'], ['198.51.100.8']],
  ])('%s trusts exactly its addresses', (entry, trusted, untrusted) => {
    const isTrusted = compileTrustedProxies([entry]);

    for (const address of trusted) expect(isTrusted(address), address).toBe(true);
    for (const address of untrusted) expect(isTrusted(address), address).toBe(false);
    expect(isTrusted('not an address')).toBe(false);
  });

  it.each([['10.0.0.0/33'], ['10.0.0.0/x'], ['example.com'], ['*'], ['::/129'], ['']])(
    'rejects %j',
    (entry) => {
      expect(checkTrustedProxy(entry)).toBeDefined();
    },
  );
});

describe('resolveClientIp', () => {
  const req = (remoteAddress: string | undefined, forwardedFor?: string, ip?: string) => ({
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
    socket: { remoteAddress },
    ...(ip === undefined ? {} : { ip }),
  });
  const loopbackAndLb = compileTrustedProxies(['loopback', '10.0.0.0/8']);

  it("uses Express's req.ip, then the socket address, when no proxy is trusted", () => {
    expect(resolveClientIp(req('127.0.0.1', '203.0.113.7'), undefined)).toBe('127.0.0.1');
    expect(resolveClientIp(req('127.0.0.1', '203.0.113.7', '203.0.113.7'), undefined)).toBe('203.0.113.7');
    expect(resolveClientIp(req('::ffff:192.0.2.1'), undefined)).toBe('192.0.2.1');
    expect(resolveClientIp({ headers: {} }, undefined)).toBeUndefined();
  });

  it('reads req.ip only when the Express app trusts a proxy (its getter parses X-Forwarded-For)', () => {
    let ipReads = 0;
    const expressReq = (trustProxy: unknown) => ({
      headers: { 'x-forwarded-for': '203.0.113.7' },
      socket: { remoteAddress: '::ffff:127.0.0.1' },
      app: { settings: { 'trust proxy': trustProxy } },
      get ip() {
        ipReads++;
        return '203.0.113.7';
      },
    });

    expect(resolveClientIp(expressReq(false), undefined)).toBe('127.0.0.1');
    expect(ipReads).toBe(0);
    expect(resolveClientIp(expressReq('loopback'), undefined)).toBe('203.0.113.7');
    expect(ipReads).toBe(1);
  });

  it.each([
    ['a direct client, header ignored', '198.51.100.9', '203.0.113.7', '198.51.100.9'],
    ['one trusted hop', '127.0.0.1', '203.0.113.7', '203.0.113.7'],
    ['two trusted hops', '127.0.0.1', '203.0.113.7, 10.0.3.4', '203.0.113.7'],
    [
      'a forged entry before the first untrusted hop',
      '127.0.0.1',
      '6.6.6.6, 203.0.113.7, 10.0.3.4',
      '203.0.113.7',
    ],
    ['every hop trusted', '127.0.0.1', '10.0.0.1, 10.0.0.2', '10.0.0.1'],
    ['no header from a trusted proxy', '10.0.0.9', undefined, '10.0.0.9'],
    ['garbage in the header', '127.0.0.1', 'not-an-ip, 10.0.0.2', '10.0.0.2'],
    ['an IPv4-mapped socket address', '::ffff:10.0.0.5', '203.0.113.7', '203.0.113.7'],
    ['empty entries between hops', '127.0.0.1', ',203.0.113.7,, 10.0.0.2,', '203.0.113.7'],
    ['an empty header', '127.0.0.1', '', '127.0.0.1'],
  ])('%s', (_name, socket, forwardedFor, expected) => {
    expect(resolveClientIp(req(socket, forwardedFor), loopbackAndLb)).toBe(expected);
  });
});

// A Lambda ALB event is whatever the caller sent, and its X-Forwarded-For was split whole:
// megabytes of commas were an array of millions of strings. The walk from the nearest hop reads
// the header in place.
describe('resolveClientIp with a hostile X-Forwarded-For', () => {
  it('walks megabytes of empty entries without copying them into parts', () => {
    // Prepare
    const isTrusted = compileTrustedProxies(['loopback']);
    const request = {
      headers: { 'x-forwarded-for': `203.0.113.7${','.repeat(6 * 1024 * 1024)}` },
      socket: { remoteAddress: '127.0.0.1' },
    };
    resolveClientIp(request, isTrusted);
    collectGarbage();
    const before = process.memoryUsage().heapUsed;

    // Act
    const client = resolveClientIp(request, isTrusted);

    // Assess
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(8 * 1024 * 1024);
    expect(client).toBe('203.0.113.7');
  });
});
