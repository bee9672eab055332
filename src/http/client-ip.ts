import { isIP } from 'node:net';
import { getConfig } from '../config/index.js';
import { compileTrustedProxies } from '../config/trusted-proxies.js';
import type { RequestLike } from './request-like.js';

const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** `::ffff:10.0.0.1` as `10.0.0.1`: the form people search their logs for. */
function normalizeAddress(address: string): string {
  // Most addresses are not IPv4-mapped: a first-character test spares them the regex.
  if (address.charCodeAt(0) !== 0x3a) return address;
  const mapped = IPV4_MAPPED.exec(address);
  return mapped?.[1] ?? address;
}

/**
 * Express's `req.ip`, without running its getter when the answer is known: an app whose
 * `trust proxy` setting is `false` (Express's default, inherited by mounted sub-apps) trusts no
 * proxy, so `req.ip` is the socket's address. The getter would parse `X-Forwarded-For` into an
 * array of every hop to return that same address, on every request.
 */
function expressIp(req: RequestLike): unknown {
  if (req.app?.settings?.['trust proxy'] === false) return req.socket?.remoteAddress;
  return req.ip;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

// Compiled once per configuration: the test runs on every request.
let compiledFor: readonly string[] | undefined;
let isTrusted: (address: string) => boolean = () => false;

function trustedProxies(): readonly string[] {
  return getConfig().http.trustedProxies;
}

/**
 * Walks `X-Forwarded-For` from the nearest hop outwards while each hop is a trusted proxy, and
 * returns the first address that is not: the address a trusted proxy says it received the
 * request from. Entries a client could have forged (those before the first untrusted hop) are
 * never used.
 */
function fromForwardedFor(
  socketAddress: string,
  forwardedFor: string | undefined,
  trusted: typeof isTrusted,
) {
  let client = socketAddress;
  if (!trusted(client) || forwardedFor === undefined) return client;
  // Hop by hop from the end with lastIndexOf, not a split: the header is the client's (a Lambda
  // event's has no size limit), and a split of megabytes of commas is millions of strings.
  let end = forwardedFor.length;
  for (;;) {
    const comma = end === 0 ? -1 : forwardedFor.lastIndexOf(',', end - 1);
    const hop = forwardedFor.slice(comma + 1, end).trim();
    if (hop !== '') {
      // Not an address (a client wrote garbage, or a port was appended): stop at the last known hop.
      if (isIP(hop) === 0) break;
      client = hop;
      if (!trusted(hop)) break;
    }
    if (comma === -1) break;
    end = comma;
  }
  return client;
}

/**
 * The client address of `req`, following `X-Forwarded-For` through the proxies `isTrusted`
 * accepts; without such a test, Express's `req.ip`, then the socket's address.
 *
 * @example
 * resolveClientIp(req, compileTrustedProxies(['loopback'])); // '203.0.113.7'
 */
export function resolveClientIp(
  req: RequestLike,
  isTrustedProxy: ((address: string) => boolean) | undefined,
): string | undefined {
  const socketAddress = req.socket?.remoteAddress;
  if (isTrustedProxy === undefined || socketAddress === undefined) {
    const ip = expressIp(req);
    const address = typeof ip === 'string' && ip !== '' ? ip : socketAddress;
    return address === undefined ? undefined : normalizeAddress(address);
  }
  const forwardedFor = headerValue(req.headers['x-forwarded-for']);
  return normalizeAddress(fromForwardedFor(socketAddress, forwardedFor, isTrustedProxy));
}

/**
 * The client's address for logs and audit entries. With `http.trustedProxies` set
 * (`LOOKOUT_TRUSTED_PROXIES`), `X-Forwarded-For` is followed through those proxies only;
 * otherwise Express's own `req.ip` (which honours the app's `trust proxy` setting) is used,
 * then the socket's address. Undefined when none is known.
 *
 * @example
 * getClientIp(req); // '203.0.113.7'
 */
export function getClientIp(req: RequestLike): string | undefined {
  const proxies = trustedProxies();
  if (proxies.length === 0) return resolveClientIp(req, undefined);
  if (compiledFor !== proxies) {
    isTrusted = compileTrustedProxies(proxies);
    compiledFor = proxies;
  }
  return resolveClientIp(req, isTrusted);
}
