// A log line with an integer past the int64 range (2^64, a 64-bit hash read with parseInt) must
// not cost the log records exported with it: written as an OTLP intValue, it makes a collector
// refuse the whole request over JSON (docs/design.md decision 4). Over JSON it is written as its
// decimal text, as the line on stdout shows it; over protobuf it stays a number.
import { expect, it } from 'vitest';
import { describeOverOtlpProtocols, runExportingFixture } from '../helpers/otlp-fixture-run.js';

/** The fixture's 64-bit hash. */
const HASH = 'f3a9c2d4e5b6a798';

describeOverOtlpProtocols('log records with integers past int64 over %s', (protocol, receiver) => {
  it('are exported with their values, and the rest of the batch with them', async () => {
    // Act
    await runExportingFixture(receiver(), 'test/fixtures/hostile-numbers.mjs', protocol, {
      OTEL_SERVICE_NAME: 'hostile-numbers',
      LOOKOUT_LOGS_EXPORTER: 'otlp',
    });

    // Assess
    const logs = receiver().logs();
    expect(logs.map((log) => log.body)).toEqual(['before', 'large', 'after']);
    const sent = (value: number) => (protocol === 'http/json' ? String(value) : value);
    expect(logs[1]?.attributes).toMatchObject({
      hash: sent(Number.parseInt(HASH, 16)),
      nested: { list: [1, sent(2 ** 70)] },
    });
    expect(Number(logs[1]?.attributes.edge)).toBe(2 ** 63 - 1024);
  });
});
