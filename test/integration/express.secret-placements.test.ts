// One redaction policy for every place a secret can leave the process (issue "Never break,
// never leak", point 2), proved through a real app: test/fixtures/secret-placements.mjs puts a
// distinct secret in each place an app, a library or a request can put one, and nothing that
// leaves the process (stdout, stderr, the collector's or the X-Ray daemon's input) may hold
// any of them, on the OTLP path and on the X-Ray path.
import { afterEach, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { spawnApp } from '../helpers/spawn-app.js';
import { startXRayDaemon, type XRayDaemon } from '../helpers/xray-daemon.js';

interface Placement {
  readonly name: string;
  readonly secret: string;
}

// Secrets the request itself carries: a percent-encoded e-mail in the path (access log,
// url.path, the audit entry's path) and a token in the query (url.query, url.full).
const REQUEST_PLACEMENTS: readonly Placement[] = [
  { name: 'percent-encoded e-mail in the request path', secret: 'leakpath.person' },
  { name: 'token in the request query', secret: 'querytok556677' },
];
const REQUEST_PATH = `/users/${encodeURIComponent('leakpath.person@example.com')}/orders?token=querytok556677&page=2`;

let receiver: OtlpReceiver | undefined;
let daemon: XRayDaemon | undefined;
afterEach(async () => {
  await receiver?.close();
  await daemon?.close();
  receiver = undefined;
  daemon = undefined;
});

/** Which placements' secrets appear in `output`. */
function leaked(placements: readonly Placement[], output: string): string[] {
  return placements.filter(({ secret }) => output.includes(secret)).map(({ name }) => name);
}

describe('no secret leaves the process, wherever the app puts it', () => {
  it('on the OTLP path: logs, audit entries, EMF and spans', async () => {
    // Prepare
    receiver = await startOtlpReceiver();
    const app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/secret-placements.mjs'],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'placements' },
    });

    // Act
    const response = await request(`${app.url}/placements`);
    const pathResponse = await request(`${app.url}${REQUEST_PATH}`);
    await app.stop('SIGTERM');

    // Assess
    expect([response.status, pathResponse.status]).toEqual([200, 200]);
    const placements = [...(JSON.parse(response.body) as Placement[]), ...REQUEST_PLACEMENTS];
    const exported = JSON.stringify(receiver.requests().map((exportRequest) => exportRequest.decoded));
    // Every span of the route reached the collector, so an absent secret was redacted, not lost.
    expect(receiver.spans().map((span) => span.name)).toEqual(
      expect.arrayContaining([
        'attr',
        'attr-url',
        'attr-userinfo',
        'attr-array',
        'linked',
        'event-name',
        'status',
      ]),
    );
    const output = [app.stdoutLines().join('\n'), app.stderrLines().join('\n'), exported].join('\n');
    expect(placements.length).toBeGreaterThanOrEqual(35);
    expect(leaked(placements, output)).toEqual([]);
  });

  it('on the X-Ray path: segment documents sent to the daemon', async () => {
    // Prepare
    daemon = await startXRayDaemon();
    const app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/secret-placements.mjs'],
      env: {
        OTEL_TRACES_EXPORTER: 'xray',
        AWS_XRAY_DAEMON_ADDRESS: daemon.address,
        OTEL_SERVICE_NAME: 'placements',
      },
    });

    // Act
    const response = await request(`${app.url}/placements`);
    const pathResponse = await request(`${app.url}${REQUEST_PATH}`);
    await app.stop('SIGTERM');

    // Assess
    expect([response.status, pathResponse.status]).toEqual([200, 200]);
    const placements = [...(JSON.parse(response.body) as Placement[]), ...REQUEST_PLACEMENTS];
    const documents = JSON.stringify(daemon.documents());
    expect(documents).toContain('event-name');
    expect(daemon.problems()).toEqual([]);
    expect(leaked(placements, documents)).toEqual([]);
  });
});
