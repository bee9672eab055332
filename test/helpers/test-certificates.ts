// A private certificate authority made for one test run with the `openssl` command: a CA, a
// server certificate for 127.0.0.1 and a client certificate, both signed by it. Nothing leaves
// the machine; the files live in a temporary directory the caller removes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM files of a test CA and what it signed, by path and by content. */
export interface TestCertificates {
  readonly dir: string;
  readonly files: {
    readonly ca: string;
    readonly serverCert: string;
    readonly serverKey: string;
    readonly clientCert: string;
    readonly clientKey: string;
  };
  /** Reads one of `files` as text. */
  read(name: keyof TestCertificates['files']): string;
  /** Removes the directory. */
  remove(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** openssl req's arguments for a new P-256 key, unencrypted, written to `<name>.key`. */
function newKey(name: string): string[] {
  return ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`];
}

/** Signs a new P-256 key's certificate with the CA in `dir`, with the extensions given. */
function issue(dir: string, name: string, subject: string, extensions: string): void {
  openssl(dir, ['req', ...newKey(name), '-out', `${name}.csr`, '-subj', subject]);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    `${name}.crt`,
    '-extfile',
    `${name}.ext`,
  ]);
}

/**
 * Makes a CA, a server certificate for 127.0.0.1 and a client certificate (needs `openssl`).
 *
 * @example
 * const certificates = createTestCertificates();
 * const receiver = await startOtlpReceiver({ tls: { cert: certificates.read('serverCert'), key: certificates.read('serverKey') } });
 */
export function createTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-tls-'));
  openssl(dir, [
    'req',
    '-x509',
    ...newKey('ca'),
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=Lookout test CA',
  ]);
  issue(dir, 'server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  issue(dir, 'client', '/CN=lookout-test-client', 'extendedKeyUsage=clientAuth\n');
  const files = {
    ca: join(dir, 'ca.crt'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.crt'),
    clientKey: join(dir, 'client.key'),
  };
  return {
    dir,
    files,
    read: (name) => readFileSync(files[name], 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
