// The reading and checking of the TLS files, apart from the core: only a configuration that
// names one loads it (load-otlp-tls.ts). It holds no state; the caller reports what it finds.
import type { OtlpTarget, SettingFile } from './resolve-config.js';

/** What an `https.Agent` takes from the TLS files: absent keys keep Node's defaults. */
export interface OtlpTlsOptions {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

/** Reports a file that is left out: what is wrong with it, and what happens instead. */
export type TlsProblem = (file: SettingFile, problem: string, consequence: string, what: string) => void;

function errorText(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && code.startsWith('E') ? code : String(message ?? error);
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the endpoint';
  }
}

// A CA bundle of every public authority is about 220 KiB; a PEM file past this is not one.
const MAX_FILE_BYTES = 1024 * 1024;

function readFile(file: SettingFile, what: string, fallback: string, warn: TlsProblem): Buffer | undefined {
  const fs = require('node:fs') as typeof import('node:fs');
  const path = require('node:path') as typeof import('node:path');
  try {
    // Relative to the working directory, as OpenTelemetry's own exporters read it.
    const resolved = path.resolve(file.path);
    // Checked before reading, which runs at start: a named pipe nobody writes to (`/dev/stdin`
    // left open, a FIFO) would block the app for ever, and `/dev/zero` or a huge file would
    // fill its memory (docs/design.md decision 4).
    const stats = fs.statSync(resolved);
    const problem = !stats.isFile()
      ? 'is not a regular file'
      : stats.size > MAX_FILE_BYTES
        ? 'is larger than 1 MiB'
        : undefined;
    if (problem === undefined) return fs.readFileSync(resolved);
    warn(file, problem, `exports go ${fallback}`, what);
  } catch (error) {
    warn(file, `cannot be read (${errorText(error)})`, `exports go ${fallback}`, what);
  }
  return undefined;
}

/**
 * The target's CA and client certificate files, each read and checked as Node will use it;
 * a file that cannot be used is handed to `warn` and left out.
 */
export function readOtlpTlsFiles(target: OtlpTarget, warn: TlsProblem): OtlpTlsOptions {
  const { certificate, clientCertificate, clientKey } = target.tls;
  if (!target.url.toLowerCase().startsWith('https:')) {
    // The origin only: the URL's userinfo or query may hold a secret.
    for (const file of [certificate, clientCertificate, clientKey])
      if (file !== undefined)
        warn(file, `is not used for ${originOf(target.url)}`, 'it is not an https:// endpoint', 'TLS');
    return {};
  }
  const crypto = require('node:crypto') as typeof import('node:crypto');
  const tls = require('node:tls') as typeof import('node:tls');
  const options: { ca?: Buffer; cert?: Buffer; key?: Buffer } = {};

  if (certificate !== undefined) {
    const fallback = "to a collector Node's built-in CAs verify";
    const ca = readFile(certificate, 'CA certificate', fallback, warn);
    if (ca !== undefined) {
      try {
        // Node takes a file without one certificate in it and then trusts nothing: every
        // export would fail on the handshake.
        new crypto.X509Certificate(ca);
        options.ca = ca;
      } catch {
        warn(certificate, 'holds no PEM certificate', `exports go ${fallback}`, 'CA certificate');
      }
    }
  }

  if (clientCertificate !== undefined || clientKey !== undefined) {
    const fallback = 'without a client certificate';
    const lone = clientCertificate ?? clientKey;
    if (lone !== undefined && (clientCertificate === undefined || clientKey === undefined)) {
      const missing = clientCertificate === undefined ? 'client certificate' : 'client key';
      warn(lone, `has no ${missing} to go with it`, `exports go ${fallback}`, 'TLS');
    } else if (clientCertificate !== undefined && clientKey !== undefined) {
      const cert = readFile(clientCertificate, 'client certificate', fallback, warn);
      const key = readFile(clientKey, 'client key', fallback, warn);
      if (cert !== undefined && key !== undefined) {
        try {
          // A key Node cannot use (not PEM, encrypted, not the certificate's) would otherwise
          // fail every connection, each time.
          tls.createSecureContext({ cert, key });
          options.cert = cert;
          options.key = key;
        } catch (error) {
          warn(
            clientKey,
            `and ${clientCertificate.from} cannot be used together (${errorText(error)})`,
            `exports go ${fallback}`,
            'client key',
          );
        }
      }
    }
  }
  return Object.freeze(options);
}
