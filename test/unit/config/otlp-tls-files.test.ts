import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/index.js';
import { readOtlpTlsFiles } from '../../../src/config/read-otlp-tls-files.js';
import type { OtlpTarget } from '../../../src/config/resolve-config.js';
import { detectRuntime } from '../../../src/runtime/index.js';
import { createTestCertificates, type TestCertificates } from '../../helpers/test-certificates.js';

const APP = { name: 'shop-api', version: '1.0.0' };

function resolve(
  env: Record<string, string> = {},
  options: Parameters<typeof resolveConfig>[0]['options'] = {},
) {
  return resolveConfig({ env, options, appPackage: APP, runtime: detectRuntime(env, () => undefined) })
    .config;
}

let certificates: TestCertificates;
let lines: string[];
beforeAll(() => {
  certificates = createTestCertificates();
});
afterAll(() => {
  certificates.remove();
});
beforeEach(() => {
  lines = [];
});

/** Reads a target's files as the exporters' start does, keeping what it reports. */
function load(target: OtlpTarget) {
  return readOtlpTlsFiles(target, (file, problem, consequence, what) =>
    lines.push(`${file.from}=${JSON.stringify(file.path)}: the ${what} file ${problem}; ${consequence}.`),
  );
}

// One warning per file however many signals share it, with its code, is proved end to end in
// test/integration/core.otlp-tls.test.ts.
describe('OTLP TLS files', () => {
  it('takes the signal’s own file over the shared one, and LOOKOUT_ variables over OTEL_ ones', () => {
    // Prepare
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4318',
      OTEL_EXPORTER_OTLP_CERTIFICATE: '/etc/otel/ca.pem',
      OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE: '/etc/otel/traces-ca.pem',
      OTEL_EXPORTER_OTLP_CLIENT_KEY: '/etc/otel/otel.key',
      LOOKOUT_OTLP_CLIENT_KEY: '/etc/lookout/client.key',
    };

    // Act
    const config = resolve(env, { metrics: { otlp: { clientCertificate: 'client.pem' } } });

    // Assess
    expect(config.tracing.otlp.tls).toEqual({
      certificate: { path: '/etc/otel/traces-ca.pem', from: 'OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE' },
      clientKey: { path: '/etc/lookout/client.key', from: 'LOOKOUT_OTLP_CLIENT_KEY' },
    });
    expect(config.metrics.otlp.tls).toEqual({
      certificate: { path: '/etc/otel/ca.pem', from: 'OTEL_EXPORTER_OTLP_CERTIFICATE' },
      clientCertificate: { path: 'client.pem', from: 'option metrics.otlp.clientCertificate' },
      clientKey: { path: '/etc/lookout/client.key', from: 'LOOKOUT_OTLP_CLIENT_KEY' },
    });
  });

  it('reads the CA and the client pair, for an https endpoint', () => {
    // Prepare
    const config = resolve({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://127.0.0.1:4318',
      OTEL_EXPORTER_OTLP_CERTIFICATE: certificates.files.ca,
      OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: certificates.files.clientCert,
      OTEL_EXPORTER_OTLP_CLIENT_KEY: certificates.files.clientKey,
    });

    // Act
    const options = load(config.tracing.otlp);

    // Assess
    expect(options.ca?.toString()).toBe(certificates.read('ca'));
    expect(options.cert?.toString()).toBe(certificates.read('clientCert'));
    expect(options.key?.toString()).toBe(certificates.read('clientKey'));
    expect(lines).toEqual([]);
  });

  it.each([
    [
      'a CA file with no certificate in it',
      () => ({ OTEL_EXPORTER_OTLP_CERTIFICATE: writeFile('empty.pem', 'not a certificate\n') }),
      { ca: false, client: true },
      /OTEL_EXPORTER_OTLP_CERTIFICATE=".*empty\.pem": the CA certificate file holds no PEM certificate/,
    ],
    [
      'a client certificate without its key',
      () => ({ OTEL_EXPORTER_OTLP_CLIENT_KEY: '' }),
      { ca: true, client: false },
      /OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE=".*client\.crt": the TLS file has no client key to go with it/,
    ],
    [
      'a client key that is not the certificate’s',
      () => ({ OTEL_EXPORTER_OTLP_CLIENT_KEY: certificates.files.serverKey }),
      { ca: true, client: false },
      /OTEL_EXPORTER_OTLP_CLIENT_KEY=".*server\.key": the client key file and OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE cannot be used together/,
    ],
  ])('leaves out %s with one warning, and keeps the rest', (_case, change, kept, warning) => {
    // Prepare
    const config = resolve({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://127.0.0.1:4318',
      OTEL_EXPORTER_OTLP_CERTIFICATE: certificates.files.ca,
      OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: certificates.files.clientCert,
      OTEL_EXPORTER_OTLP_CLIENT_KEY: certificates.files.clientKey,
      ...change(),
    });

    // Act
    const options = load(config.tracing.otlp);

    // Assess
    expect(options.ca !== undefined).toBe(kept.ca);
    expect(options.cert !== undefined && options.key !== undefined).toBe(kept.client);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(warning);
  });

  it('reads nothing for an http endpoint, and says the files are not used', () => {
    // Prepare
    const config = resolve({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://user:s3cret@collector:4318/otlp?key=s3cret',
      OTEL_EXPORTER_OTLP_CERTIFICATE: '/nowhere/ca.pem',
    });

    // Act
    const options = load(config.tracing.otlp);

    // Assess
    expect(options).toEqual({});
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('is not used for http://collector:4318');
    expect(lines[0]).not.toContain('s3cret');
  });
});

function writeFile(name: string, text: string): string {
  const path = join(certificates.dir, name);
  writeFileSync(path, text);
  return path;
}
