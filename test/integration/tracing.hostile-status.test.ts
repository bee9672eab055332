// A span status whose code is not one of the API's three (plain JavaScript passes the name,
// `setStatus({ code: 'ERROR' })`, or any number) must not cost the spans exported with it, nor
// lose that the span failed: OTLP/JSON wrote it as an enum a collector refuses with the whole
// request, protobuf as UNSET (docs/design.md decision 4).
import { expect, it } from 'vitest';
import { describeOverOtlpProtocols, runExportingFixture } from '../helpers/otlp-fixture-run.js';

describeOverOtlpProtocols('spans with status codes that are not codes over %s', (protocol, receiver) => {
  it('are exported, a code named by its name as that code and any other as UNSET', async () => {
    // Act
    await runExportingFixture(receiver(), 'test/fixtures/hostile-status.mjs', protocol);

    // Assess
    const codes = Object.fromEntries(
      receiver()
        .spans()
        .map((span) => [span.name, span.status.code]),
    );
    expect(codes).toEqual({
      before: 'UNSET',
      'named-ERROR': 'ERROR',
      'named-error': 'ERROR',
      'named-STATUS_CODE_OK': 'OK',
      'named-constructor': 'UNSET',
      nan: 'UNSET',
      fraction: 'UNSET',
      seven: 'UNSET',
      error: 'ERROR',
      after: 'UNSET',
    });
  });
});
