// One span attribute of megabytes (a whole payload, every id a request touched) must not cost
// the spans exported with it: a collector refuses a request past its body limit (4 MiB for
// gRPC, which the ADOT collector forwards through), and every span in the batch is lost with
// it. Strings are cut at logging.maxStringLength (10,000 characters) on the way out; an array
// is cut to the items that fit in as much (docs/logging.md, "redact()").
import { expect, it } from 'vitest';
import { describeOverOtlpProtocols, runExportingFixture } from '../helpers/otlp-fixture-run.js';

const FIXTURE_FILE = 'test/fixtures/hostile-attribute-sizes.mjs';
/** The most bytes one span of the fixture may take on the wire, its cut values included. */
const SPAN_BUDGET_BYTES = 256 * 1024;

describeOverOtlpProtocols('spans with attribute values of megabytes over %s', (protocol, receiver) => {
  it('are exported with their values cut, and the rest of the batch with them', async () => {
    // Act
    await runExportingFixture(receiver(), FIXTURE_FILE, protocol, { OTEL_SERVICE_NAME: 'hostile-sizes' });

    // Assess
    const spans = receiver().spans();
    expect(spans.map((span) => span.name).sort()).toEqual(['after', 'before', 'huge']);
    const bytes = receiver()
      .requests()
      .reduce((sum, request) => sum + request.bytes, 0);
    expect(bytes).toBeLessThan(SPAN_BUDGET_BYTES);
    const huge = spans.find((span) => span.name === 'huge');
    const payload = String(huge?.attributes['app.payload']);
    expect(payload.startsWith('word word')).toBe(true);
    expect(payload.endsWith('…[truncated, 5000000 chars]')).toBe(true);
    const ids = (huge?.attributes['app.ids'] ?? []) as string[];
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThan(50_000);
    expect(ids[0]).toBe(`id-0-${'y'.repeat(90)}`);
    const scores = (huge?.attributes['app.scores'] ?? []) as number[];
    expect(scores.slice(0, 2)).toEqual([0.5, 1.5]);
    expect(scores.length).toBeLessThan(1_000_000);
    expect(huge?.attributes['app.tags']).toEqual(['a', 'b']);
    const keys = (huge?.events[0]?.attributes['app.keys'] ?? []) as string[];
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.length).toBeLessThan(50_000);
  });

  it.each(['OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT'])(
    'cut each string at %s, as the OpenTelemetry SDK does',
    async (variable) => {
      // Prepare
      receiver().clear();

      // Act
      await runExportingFixture(receiver(), FIXTURE_FILE, protocol, { [variable]: '16' });

      // Assess
      const huge = receiver()
        .spans()
        .find((span) => span.name === 'huge');
      expect(huge?.attributes['app.payload']).toBe('word word word w');
      const ids = (huge?.attributes['app.ids'] ?? []) as string[];
      expect(ids[0]).toBe('id-0-yyyyyyyyyyy');
    },
  );
});
