// An integer attribute past the int64 range (2^64, a 64-bit hash read with parseInt) must not
// cost the spans exported with it: written as an OTLP intValue, it makes a collector refuse the
// whole request (docs/design.md decision 4). It is written as a double over protobuf, and as its
// decimal text over JSON, where the transformer writes every integral number as an intValue.
// NaN went over JSON as a `doubleValue` of `null` (JSON.stringify's rule), which a collector
// refuses for a double with the whole request: it is written as its text, as ±Infinity are.
import { expect, it } from 'vitest';
import { describeOverOtlpProtocols, runExportingFixture } from '../helpers/otlp-fixture-run.js';

/** The fixture's 64-bit hash. */
const HASH = 'f3a9c2d4e5b6a798';

describeOverOtlpProtocols('spans with integers past the int64 range over %s', (protocol, receiver) => {
  it('are exported with their values, and the rest of the batch with them', async () => {
    // Act
    await runExportingFixture(receiver(), 'test/fixtures/hostile-numbers.mjs', protocol, {
      OTEL_SERVICE_NAME: 'hostile-numbers',
    });

    // Assess
    const spans = receiver().spans();
    expect(spans.map((span) => span.name).sort()).toEqual(['after', 'before', 'large', 'non-finite']);
    const large = spans.find((span) => span.name === 'large');
    const sent = (value: number) => (protocol === 'http/json' ? String(value) : value);
    expect(large?.attributes).toMatchObject({
      'app.hash': sent(Number.parseInt(HASH, 16)),
      'app.max': sent(2 ** 64),
      'app.list': [1, sent(2 ** 70), sent(-(2 ** 63) - 4096)],
    });
    expect(Number(large?.attributes['app.edge'])).toBe(2 ** 63 - 1024);
    expect(spans.find((span) => span.name === 'non-finite')?.attributes).toEqual({
      'app.ratio': sent(Number.NaN),
      'app.rate': sent(Number.NEGATIVE_INFINITY),
      'app.list': [1.5, sent(Number.NaN), sent(Number.POSITIVE_INFINITY)],
    });
    if (protocol === 'http/json') {
      const bodies = receiver()
        .requests()
        .map((request) => new TextDecoder().decode(request.payload));
      expect(bodies.join('\n')).not.toContain('null');
    }
  });
});
