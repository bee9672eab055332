// A span link the app got wrong must not cost the spans exported with it: a collector refuses a
// whole request in which one id has the wrong length, and an exporter that throws on one span
// loses its whole batch (docs/design.md decision 4).
import { expect, it } from 'vitest';
import { describeOverOtlpProtocols, runExportingFixture } from '../helpers/otlp-fixture-run.js';

describeOverOtlpProtocols('spans with malformed links over %s', (protocol, receiver) => {
  it('are exported with the links a collector can take, and the rest of the batch with them', async () => {
    // Act
    await runExportingFixture(receiver(), 'test/fixtures/hostile-links.mjs', protocol, {
      OTEL_SERVICE_NAME: 'hostile-links',
    });

    // Assess
    const spans = receiver().spans();
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
