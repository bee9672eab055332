// An OpenTelemetry metric declared as an integer whose value is past the int64 range (2^70, a
// 64-bit count read with parseInt) must not cost the metrics exported with it, nor be sent as a
// wrong number: OTLP/JSON wrote it as an `asInt` a collector refuses with the whole request, and
// protobuf as a 64-bit integer that wrapped around (docs/design.md decision 4). It is sent as a
// double, which keeps the number; an integer attribute past int64 goes over OTLP/JSON as its
// decimal text, as for spans.
import { expect, it } from 'vitest';
import { describeOverOtlpProtocols, runExportingFixture } from '../helpers/otlp-fixture-run.js';

describeOverOtlpProtocols('integer metrics past the int64 range over %s', (protocol, receiver) => {
  it('are exported with their values, and the other metrics with them', async () => {
    // Act
    await runExportingFixture(receiver(), 'test/fixtures/hostile-metric-numbers.mjs', protocol, {
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'otlp',
    });

    // Assess
    const values = new Map(
      receiver()
        .metrics()
        .flatMap((point) =>
          point.type === 'sum' || point.type === 'gauge' ? [[point.name, point.value]] : [],
        ),
    );
    expect(Object.fromEntries(values)).toEqual({
      'fixture.before': 3,
      'fixture.huge': 2 ** 70,
      'fixture.negative': -(2 ** 66),
      'fixture.gauge': 2 ** 64,
      'fixture.labelled': 1,
      'fixture.after': 1.5,
    });
    const labelled = receiver()
      .metrics()
      .find((point) => point.name === 'fixture.labelled');
    expect(labelled?.attributes['app.hash']).toBe(protocol === 'http/json' ? String(2 ** 64) : 2 ** 64);
  });
});

// NaN and ±Infinity (a ratio over a zero count) went over OTLP/JSON as `null`, JSON.stringify's
// rule: a collector refuses `null` for a double with the whole request ("unsupported value
// type"), and a cumulative sum that once took a NaN keeps it, so every later export was lost too.
// The protobuf JSON mapping writes them as the strings "NaN", "Infinity" and "-Infinity".
describeOverOtlpProtocols('metrics with NaN and infinite values over %s', (protocol, receiver) => {
  it('are exported with those values, and the other metrics with them', async () => {
    // Act
    await runExportingFixture(receiver(), 'test/fixtures/hostile-metric-nonfinite.mjs', protocol, {
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'otlp',
    });

    // Assess
    const points = new Map(
      receiver()
        .metrics()
        .map((point) => [point.name, point] as const),
    );
    const value = (name: string) => {
      const point = points.get(name);
      return point?.type === 'sum' || point?.type === 'gauge' ? point.value : undefined;
    };
    expect(value('fixture.before')).toBe(3);
    expect(value('fixture.nan')).toBeNaN();
    expect(value('fixture.infinity')).toBe(Number.POSITIVE_INFINITY);
    expect(value('fixture.minus-infinity')).toBe(Number.NEGATIVE_INFINITY);
    expect(value('fixture.after')).toBe(1.5);
    const histogram = points.get('fixture.histogram');
    expect(histogram?.type === 'histogram' ? [histogram.count, histogram.sum, histogram.max] : []).toEqual([
      1,
      Number.POSITIVE_INFINITY,
      Number.POSITIVE_INFINITY,
    ]);
    const ratio = points.get('fixture.labelled')?.attributes['app.ratio'];
    if (protocol === 'http/json') expect(ratio).toBe('NaN');
    else expect(ratio).toBeNaN();
    if (protocol === 'http/json') {
      const bodies = receiver()
        .requests()
        .map((request) => new TextDecoder().decode(request.payload));
      expect(bodies.join('\n')).not.toContain('null');
      expect(bodies.join('\n')).toContain('"asDouble":"NaN"');
      expect(bodies.join('\n')).toContain('"asDouble":"-Infinity"');
    }
  });
});
