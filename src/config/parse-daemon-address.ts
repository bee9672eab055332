/** One endpoint of the X-Ray daemon. */
export interface DaemonEndpoint {
  readonly host: string;
  readonly port: number;
}

/** Where the daemon listens: segments go to `udp`; `tcp` serves the sampling API. */
export interface DaemonAddress {
  readonly udp: DaemonEndpoint;
  readonly tcp: DaemonEndpoint;
}

export type DaemonAddressResult =
  | { readonly ok: true; readonly address: DaemonAddress }
  | { readonly ok: false; readonly reason: string };

/** The daemon's default address, as every X-Ray SDK assumes it. */
export const DEFAULT_DAEMON_ADDRESS = '127.0.0.1:2000';

/** What `AWS_XRAY_DAEMON_ADDRESS` accepts, in words. */
export const DAEMON_ADDRESS_FORMS = '`host:port`, or `udp:host:port tcp:host:port` (either order)';

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65_535 ? port : undefined;
}

function parseHostPort(text: string): DaemonEndpoint | string {
  // `[v6]:port` as URLs write it; the SDK itself has no IPv6 form.
  const bracketed = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(text);
  const colon = text.lastIndexOf(':');
  const host = bracketed ? bracketed[1] : text.slice(0, colon);
  const portText = bracketed ? bracketed[2] : text.slice(colon + 1);
  if (colon < 0) return 'no port';
  if (host === undefined || host === '' || (!bracketed && host.includes(':'))) return 'no valid host';
  const port = parsePort(portText ?? '');
  return port === undefined ? `port "${portText}" is not a number from 1 to 65535` : { host, port };
}

/**
 * Parses `AWS_XRAY_DAEMON_ADDRESS` in the two forms the X-Ray SDKs accept: `host:port` (UDP and
 * TCP on the same address) and `udp:host:port tcp:host:port` (in either order).
 *
 * aws-xray-sdk-core's own parser (`daemon_config.js`) is not reused, on purpose: it runs when
 * the module is first required, reads `process.env` itself and throws from `require()` on a
 * bad value, keeps the result in a process-wide object shared with any X-Ray SDK code the app
 * runs, cannot be given an address from `init()` options while the variable is set, and takes
 * any text as a port. This function accepts the same valid forms (a unit test runs both on the
 * same inputs), validates ports, never throws, and is pure, so the settings table can use it.
 *
 * @example
 * parseDaemonAddress('udp:10.0.0.1:2000 tcp:10.0.0.1:2001');
 * // { ok: true, address: { udp: { host: '10.0.0.1', port: 2000 }, tcp: { host: '10.0.0.1', port: 2001 } } }
 */
export function parseDaemonAddress(raw: string): DaemonAddressResult {
  const parts = raw.trim().split(/\s+/);
  if (parts.length === 1) {
    const text = parts[0] ?? '';
    if (/^(udp|tcp):/i.test(text)) return { ok: false, reason: 'give both udp: and tcp: addresses' };
    const endpoint = parseHostPort(text);
    return typeof endpoint === 'string'
      ? { ok: false, reason: endpoint }
      : { ok: true, address: { udp: endpoint, tcp: endpoint } };
  }
  if (parts.length !== 2) return { ok: false, reason: 'expected at most two addresses' };
  const byProtocol = new Map<string, DaemonEndpoint>();
  for (const part of parts) {
    const match = /^(udp|tcp):(.+)$/i.exec(part);
    if (!match) return { ok: false, reason: `"${part.slice(0, 40)}" does not start with udp: or tcp:` };
    const endpoint = parseHostPort(match[2] ?? '');
    if (typeof endpoint === 'string') return { ok: false, reason: endpoint };
    byProtocol.set((match[1] ?? '').toLowerCase(), endpoint);
  }
  const udp = byProtocol.get('udp');
  const tcp = byProtocol.get('tcp');
  if (udp === undefined || tcp === undefined)
    return { ok: false, reason: 'give one udp: and one tcp: address' };
  return { ok: true, address: { udp, tcp } };
}
