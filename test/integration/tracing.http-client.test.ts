// CLIENT spans of outgoing node:http requests whose answer is not an ordinary response. Node
// publishes `http.client.response.finish` only for ordinary responses: a 101 to an upgrade
// request and the answer to a CONNECT are handed to the app (or the socket is destroyed)
// without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { spawnApp } from '../helpers/spawn-app.js';

describe('CLIENT spans of upgrades and CONNECT tunnels', () => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('ends and exports each one with the status it was answered with', async () => {
    // Prepare
    const app = await spawnApp({
      args: ['--import', 'lookout/register', 'test/fixtures/upgrade-client.mjs'],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
      readyPattern: null,
    });

    // Act
    const exit = await app.exited;

    // Assess
    expect(exit.code, app.stderrLines().join('\n')).toBe(0);
    expect(app.stderrLines()).toContain('done');
    const clients = receiver
      .spans()
      .filter((span) => span.kind === 'CLIENT')
      .map((span) => [span.attributes['url.full'], span.attributes['http.response.status_code']]);
    expect(clients).toEqual([
      [expect.stringMatching(/\/socket$/), 101],
      [expect.stringMatching(/\/unheard$/), 101],
      [expect.stringMatching(/tunnel\.example:443$/), 200],
      [expect.stringMatching(/\/plain$/), 200],
    ]);
  });
});
