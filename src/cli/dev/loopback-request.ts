// `lookout dev` listens on 127.0.0.1 only, but a web page the developer opens can still reach
// loopback: through DNS rebinding (a hostile name that resolves to 127.0.0.1, so the request
// carries that name in Host) or as a cross-site request (which carries the page's Origin). Each
// of the viewer's servers answers only requests addressed to it by a loopback name, from no
// page or from a loopback page.
import type { IncomingMessage } from 'node:http';

const LOOPBACK_HOSTNAMES: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether a Host header names this server by a loopback name: `127.0.0.1:<port>` and the like. */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const lower = host.toLowerCase();
  for (const name of LOOPBACK_HOSTNAMES) if (lower === `${name}:${port}`) return true;
  return false;
}

/**
 * Whether an Origin header, when there is one, is a page served from loopback (any port: a
 * local front end may export to the viewer). `null` (sandboxed frames, files) is foreign.
 */
export function isLoopbackOrigin(origin: string | undefined): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTNAMES.has(url.hostname);
}

/** Why a request must be refused, or undefined when it comes from this machine, for this server. */
export function refuseForeignRequest(request: IncomingMessage, port: number): string | undefined {
  if (!isLoopbackHost(request.headers.host, port))
    return 'this server answers only to 127.0.0.1, localhost and [::1] with its own port';
  const origin = request.headers.origin;
  if (!isLoopbackOrigin(Array.isArray(origin) ? origin[0] : origin))
    return 'this server answers no request from a web page outside this machine';
  return undefined;
}
