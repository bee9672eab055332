import { spawnSync } from 'node:child_process';

/** What a registration got back: the extension's identifier, or why there is none. */
export type Registration =
  | { readonly ok: true; readonly identifier: string }
  | { readonly ok: false; readonly reason: string };

/** The register request, read by bash from its arguments: host, port, name, body. */
const REGISTER_SCRIPT = `exec 3<>"/dev/tcp/$1/$2" || exit 3
printf 'POST /2020-01-01/extension/register HTTP/1.1\\r\\nHost: %s:%s\\r\\nLambda-Extension-Name: %s\\r\\nContent-Type: application/json\\r\\nContent-Length: %s\\r\\nConnection: close\\r\\n\\r\\n%s' "$1" "$2" "$3" "\${#4}" "$4" >&3
while IFS= read -r -u 3 line || [ -n "$line" ]; do printf '%s\\n' "$line"; line=; done`;

/** Reads the status and the identifier out of the raw response bash printed. */
export function parseRegistrationResponse(raw: string): Registration {
  const [statusLine = '', ...rest] = raw.split(/\r?\n/);
  const status = Number.parseInt(statusLine.split(' ')[1] ?? '', 10);
  const identifier = rest
    .find((line) => line.toLowerCase().startsWith('lambda-extension-identifier:'))
    ?.slice('lambda-extension-identifier:'.length)
    .trim();
  if (status === 200 && identifier !== undefined && identifier !== '') return { ok: true, identifier };
  return {
    ok: false,
    reason: `registration answered ${statusLine.trim() || 'nothing'}: ${rest.at(-1) ?? ''}`,
  };
}

/**
 * Registers an extension and waits for the answer before returning, for the one case where
 * nothing else can make the registration come before the runtime's first /next: a CommonJS
 * handler that calls `wrap()` while it loads (docs/decisions/0010). Node.js has no synchronous
 * socket, so the request is made by bash (its /dev/tcp redirection: no program is downloaded or
 * required beyond the shell the Node.js runtimes run their bootstrap with). Costs one short-lived
 * process at init, a few milliseconds; never throws.
 *
 * @example
 * registerSynchronously('127.0.0.1', 9001, 'lookout', '{"events":["INVOKE"]}');
 * // { ok: true, identifier: '0b4c…' }
 */
export function registerSynchronously(host: string, port: number, name: string, body: string): Registration {
  try {
    const result = spawnSync(
      '/bin/bash',
      ['-c', REGISTER_SCRIPT, 'lookout-register', host, String(port), name, body],
      {
        encoding: 'utf8',
        timeout: 2000,
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    if (result.error !== undefined)
      return { ok: false, reason: `bash could not register: ${result.error.message}` };
    if (result.status !== 0)
      return { ok: false, reason: `bash could not register (exit ${String(result.status)})` };
    return parseRegistrationResponse(result.stdout);
  } catch (error) {
    return {
      ok: false,
      reason: `bash could not register: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
