import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { spawnApp } from '../helpers/spawn-app.js';

// Lookout and the app share one @opentelemetry/api (docs/decisions/0002): a tracer the app
// takes before Lookout starts must still record once it has started.
describe('the app and Lookout share @opentelemetry/api', () => {
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('exports spans from a tracer the app took before init() ran', async () => {
    // Prepare
    const app = await spawnApp({
      args: ['test/fixtures/early-tracer.mjs'],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
      readyPattern: null,
    });

    // Act
    const exit = await app.exited;

    // Assess
    expect(exit.code).toBe(0);
    const spans = receiver.spans().filter((span) => span.name === 'early work');
    expect(spans).toHaveLength(1);
    expect(spans[0]!.scope.name).toBe('early-work');
    expect(spans[0]!.resource['service.name']).toBe('early-tracer');
  });
});
