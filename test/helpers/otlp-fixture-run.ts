// Runs a fixture that exports over OTLP once per protocol, against a loopback receiver of its
// own: the shared set-up of the tests that feed Lookout hostile telemetry (numbers past int64,
// malformed links, invalid times) and check that a collector takes the whole batch.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { runScript } from './node-process.js';
import { type OtlpReceiver, startOtlpReceiver } from './otlp-receiver.js';

/** The OTLP/HTTP protocols Lookout exports over. */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/**
 * `describe.each` over the OTLP protocols (`title` may name the protocol with `%s`), with a
 * receiver started before the block's tests and closed after them; `receiver()` gives it.
 *
 * @example
 * describeOverOtlpProtocols('spans over %s', (protocol, receiver) => {
 *   it('…', async () => { await runExportingFixture(receiver(), 'test/fixtures/x.mjs', protocol); });
 * });
 */
export function describeOverOtlpProtocols(
  title: string,
  body: (protocol: OtlpProtocol, receiver: () => OtlpReceiver) => void,
): void {
  describe.each(OTLP_PROTOCOLS)(title, (protocol) => {
    let current: OtlpReceiver | undefined;
    beforeAll(async () => {
      current = await startOtlpReceiver();
    });
    afterAll(async () => {
      await current?.close();
    });
    body(protocol, () => {
      if (current === undefined) throw new Error('the receiver exists only while the block runs');
      return current;
    });
  });
}

/**
 * Runs `fixture` (a script that prints `done` on stderr once its telemetry is out) under
 * `node --import lookout/register`, exporting to `receiver` over `protocol`, and checks that it
 * finished and that the receiver accepted every request it got: one value a collector refuses
 * costs the whole request.
 */
export async function runExportingFixture(
  receiver: OtlpReceiver,
  fixture: string,
  protocol: OtlpProtocol,
  env: Record<string, string> = {},
): Promise<void> {
  const { code, stderr } = await runScript(['--import', 'lookout/register', fixture], {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    ...env,
  });
  expect(stderr).toContain('done');
  expect(code).toBe(0);
  const refused = receiver.requests().filter((request) => request.status !== 200);
  expect(refused.map((request) => request.error ?? request.status)).toEqual([]);
  expect(receiver.requests().length).toBeGreaterThan(0);
}
