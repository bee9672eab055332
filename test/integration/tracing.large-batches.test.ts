// A batch of spans whose one request would pass what a collector accepts is sent as several
// requests, each within it, instead of being refused whole (the OpenTelemetry Collector's
// OTLP/HTTP receiver refuses a body over max_request_body_size, 20 MiB by default; the test
// receiver refuses one over 32 MiB). docs/decisions/0077-server-span-processor.md.
import { expect, it } from 'vitest';
import { describeOverOtlpProtocols, runExportingFixture } from '../helpers/otlp-fixture-run.js';

const FIXTURE_FILE = 'test/fixtures/large-span-batch.mjs';
/** The OpenTelemetry Collector's OTLP/HTTP receiver default request body limit. */
const COLLECTOR_BODY_LIMIT = 20 * 1024 * 1024;

describeOverOtlpProtocols('a batch of spans too large for one request over %s', (protocol, receiver) => {
  it('is exported as several requests, each within the collector default limit, every span delivered', async () => {
    // Act: 300 spans of 120,000 characters each, one batch (at most 512 spans)
    await runExportingFixture(receiver(), FIXTURE_FILE, protocol, { LOOKOUT_SHUTDOWN_TIMEOUT_MS: '30000' });

    // Assess
    const requests = receiver()
      .requests()
      .filter((request) => request.path === '/v1/traces');
    expect(requests.length).toBeGreaterThan(1);
    for (const request of requests) expect(request.bytes).toBeLessThan(COLLECTOR_BODY_LIMIT);
    const names = new Set(
      receiver()
        .spans()
        .map((span) => span.name),
    );
    expect(names.size).toBe(300);
    expect(names.has('large 0') && names.has('large 299')).toBe(true);
  });
});
