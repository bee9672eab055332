// An https:// collector with a private CA, or one that asks for a client certificate (mutual
// TLS), is reached with the files of OTEL_EXPORTER_OTLP_CERTIFICATE, …_CLIENT_CERTIFICATE and
// …_CLIENT_KEY (or the signal's own), as the OpenTelemetry specification defines them. The CA
// and both certificates are made for the run by `openssl`; the receiver is a real HTTPS server
// on loopback that refuses a client without a certificate its CA signed.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { otlpSignalApps } from '../helpers/otlp-signal-apps.js';
import { spawnApp } from '../helpers/spawn-app.js';
import { createTestCertificates, type TestCertificates } from '../helpers/test-certificates.js';

let certificates: TestCertificates;
let receiver: OtlpReceiver;
beforeAll(async () => {
  certificates = createTestCertificates();
  receiver = await startOtlpReceiver({
    tls: {
      cert: certificates.read('serverCert'),
      key: certificates.read('serverKey'),
      ca: certificates.read('ca'),
    },
  });
});
afterAll(async () => {
  await receiver.close();
  certificates.remove();
});

describe('OTLP export over TLS with a private CA and a client certificate', () => {
  it.each([
    ['traces', 'http/protobuf', ''],
    ['traces', 'http/json', ''],
    ['metrics', 'http/protobuf', ''],
    ['logs', 'http/protobuf', ''],
    ['traces', 'http/protobuf', 'TRACES_'],
    ['metrics', 'http/json', 'METRICS_'],
    ['logs', 'http/json', 'LOGS_'],
  ] as const)(
    'sends the %s over %s with the files of OTEL_EXPORTER_OTLP_%sCERTIFICATE and the client pair',
    async (signal, protocol, infix) => {
      // Prepare
      receiver.clear();
      const { env, args, readyPattern, send, arrived } = otlpSignalApps(receiver, 'tls')[signal];
      const app = await spawnApp({
        args: [...args],
        env: {
          ...env,
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
          OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
          [`OTEL_EXPORTER_OTLP_${infix}CERTIFICATE`]: certificates.files.ca,
          [`OTEL_EXPORTER_OTLP_${infix}CLIENT_CERTIFICATE`]: certificates.files.clientCert,
          [`OTEL_EXPORTER_OTLP_${infix}CLIENT_KEY`]: certificates.files.clientKey,
        },
        ...(readyPattern === undefined ? {} : { readyPattern }),
      });

      // Act
      const response = await send(app.url);
      await arrived();
      await app.stop();

      // Assess
      expect(response.status).toBeLessThan(300);
      expect(receiver.requests().every((entry) => entry.status === 200)).toBe(true);
      expect(app.stderrLines().join('\n')).not.toMatch(/LOOKOUT_ENV_INVALID|LOOKOUT_EXPORT_FAILED/);
    },
  );

  it('says once which certificate file cannot be read, and the app serves on', async () => {
    // Prepare: the three signals share the one unreadable file.
    receiver.clear();
    const app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/metrics-express-app.mjs'],
      env: {
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_METRIC_EXPORT_INTERVAL: '100',
        LOOKOUT_LOGS_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_CERTIFICATE: `${certificates.dir}/missing-ca.pem`,
      },
    });

    // Act
    const first = await request(`${app.url}/otel`);
    const second = await request(`${app.url}/otel`);
    const exit = await app.stop();

    // Assess: the process was still serving, and ended by the test's signal alone.
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(exit.signal ?? 'SIGTERM').toBe('SIGTERM');
    const notices = app.stderrLines().filter((line) => line.includes('missing-ca.pem'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('[LOOKOUT_ENV_INVALID] OTEL_EXPORTER_OTLP_CERTIFICATE=');
    expect(notices[0]).toContain('cannot be read (ENOENT)');
  });

  // A named pipe nobody writes to (a `/dev/stdin` left open, a FIFO) would block the read for
  // ever, at start, before the app listens; `/dev/zero` or a huge file would fill the memory.
  it.each([
    ['a named pipe', () => makeFifo('ca.fifo'), 'is not a regular file'],
    ['a 5 MiB file', () => makeFile('huge-ca.pem', 5 * 1024 * 1024), 'is larger than 1 MiB'],
  ])('starts the app when the CA file is %s, and says why it is not used', async (_case, make, problem) => {
    // Prepare
    const path = make();
    const app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/traced-app.mjs'],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_CERTIFICATE: path },
      timeoutMs: 8000,
    });

    // Act
    const response = await request(`${app.url}/orders/tls-file`);
    await app.stop();

    // Assess
    expect(response.status).toBe(200);
    const notices = app.stderrLines().filter((line) => line.includes(path));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`the CA certificate file ${problem}`);
  });
});

function makeFifo(name: string): string {
  const path = join(certificates.dir, name);
  execFileSync('mkfifo', [path]);
  return path;
}

function makeFile(name: string, bytes: number): string {
  const path = join(certificates.dir, name);
  writeFileSync(path, Buffer.alloc(bytes, 0x41));
  return path;
}
