// A span link the app got wrong must not cost the spans exported with it: a collector refuses a
// whole request in which one id has the wrong length, and an exporter that throws on one span
// loses its whole batch (docs/design.md decision 4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../helpers/node-process.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';

describe.each(['http/protobuf', 'http/json'])('spans with malformed links over %s', (protocol) => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('are exported with the links a collector can take, and the rest of the batch with them', async () => {
    // Act
    const { code, stderr } = await runScript(
      ['--import', 'lookout/register', 'test/fixtures/hostile-links.mjs'],
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_SERVICE_NAME: 'hostile-links',
      },
    );

    // Assess
    expect(stderr).toContain('done');
    expect(code).toBe(0);
    expect(receiver.requests().map((request) => request.error ?? request.status)).toEqual([200]);
    const spans = receiver.spans();
    expect(spans.map((span) => span.name).sort()).toEqual(['after', 'before', 'linked']);
    const linked = spans.find((span) => span.name === 'linked');
    expect(linked?.links.map((link) => [link.traceId, link.traceState])).toEqual([
      ['5759e988bd862e3fe1be46a994272793', ''],
      ['6759e988bd862e3fe1be46a994272793', ''],
    ]);
    expect(linked?.links[0]?.attributes).toEqual({ kept: true });
    expect(linked?.droppedLinksCount).toBe(3);
  });
});
