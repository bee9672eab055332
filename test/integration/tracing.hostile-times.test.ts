// A span the app ended at an invalid time (NaN milliseconds from a failed Date.parse, an invalid
// Date) must not cost the spans exported with it, nor be refused itself: the JSON encoder throws
// on the whole batch, the X-Ray daemon's service refuses a document without numeric times
// (docs/design.md decision 4).
import { describe, expect, it } from 'vitest';
import { runScript } from '../helpers/node-process.js';
import { describeOverOtlpProtocols, runExportingFixture } from '../helpers/otlp-fixture-run.js';
import { startXRayDaemon } from '../helpers/xray-daemon.js';

const FIXTURE_FILE = 'test/fixtures/hostile-times.mjs';
const NAMES = [
  'after',
  'before',
  'both-hrtime-past-2262',
  'both-invalid',
  'end-1e20',
  'end-max-value',
  'end-nan',
  'event-1e20',
  'event-nan',
  'start-1e20',
  'start-before-1970',
  'start-invalid-date',
];
/** 2262-04-11 in nanoseconds, about 2^63: past it OTLP's int64 nanoseconds overflow. */
const INT64_NS = 9_223_372_036_854_775_807n;
/** 2020-01-01 in nanoseconds: any time before it is not the time the span ran. */
const RECENT_NS = 1_577_836_800_000_000_000n;

describeOverOtlpProtocols('spans with invalid times over %s', (protocol, receiver) => {
  it('are exported, with times of the span, and the rest of the batch with them', async () => {
    // Act
    await runExportingFixture(receiver(), FIXTURE_FILE, protocol, { OTEL_SERVICE_NAME: 'hostile-times' });

    // Assess
    const spans = receiver().spans();
    expect(spans.map((span) => span.name).sort()).toEqual(NAMES);
    for (const span of spans) {
      expect(span.startTimeUnixNano).toBeGreaterThan(RECENT_NS);
      expect(span.endTimeUnixNano).toBeGreaterThanOrEqual(span.startTimeUnixNano);
      expect(span.endTimeUnixNano).toBeLessThan(INT64_NS);
      for (const event of span.events) {
        expect(event.timeUnixNano).toBeGreaterThan(RECENT_NS);
        expect(event.timeUnixNano).toBeLessThan(INT64_NS);
      }
    }
  });
});

describe('spans with invalid times to the X-Ray daemon', () => {
  it('are sent as documents the daemon takes', async () => {
    // Prepare
    const daemon = await startXRayDaemon();

    // Act
    const { code, stderr } = await runScript(['--import', 'lookout/register', FIXTURE_FILE], {
      AWS_XRAY_DAEMON_ADDRESS: daemon.address,
      OTEL_TRACES_EXPORTER: 'xray',
      OTEL_SERVICE_NAME: 'hostile-times',
    });
    await daemon.waitForDocuments(NAMES.length);

    // Assess
    expect(stderr).toContain('done');
    expect(code).toBe(0);
    expect(stderr.match(/LOOKOUT_SPAN_TIME_INVALID/g)).toHaveLength(1);
    expect(daemon.problems()).toEqual([]);
    expect(daemon.segments()).toHaveLength(NAMES.length);
    await daemon.close();
  });
});
