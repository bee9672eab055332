// Findings of the adversarial review seen through real processes (issue "Never break, never
// leak"): the shared-reference graph that exhausted the heap, diagnostics printed while
// `lookout` is imported, and two Lookout instances in one process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../helpers/node-process.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';

describe('a shared-reference graph in a log call', () => {
  it('is logged as one bounded line and the process exits normally', async () => {
    // The review saw the heap exhausted (SIGABRT) at the default heap size; a 128 MB heap makes
    // the same failure quick to see, and is far more than one bounded line needs.
    const { code, stdout, stderr } = await runScript(
      ['--max-old-space-size=128', 'test/fixtures/shared-graph-log.mjs'],
      { OTEL_TRACES_EXPORTER: 'none' },
    );

    expect(code).toBe(0);
    const lines = stdout.split('\n').filter((line) => line.startsWith('{'));
    expect(lines).toHaveLength(1);
    expect(Buffer.byteLength(lines[0] as string)).toBeLessThanOrEqual(256_000);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ message: 'graph' });
    expect(stderr).toMatch(/^logged in [\d.]+ ms \(cpu [\d.]+ ms\)\n$/);
  });
});

describe('diagnostics while lookout is imported', () => {
  // An invalid variable seen by the logger created at import, and one Powertools Metrics reads
  // in its constructor: both are reported before init() could set the level.
  const INVALID = { LOOKOUT_LOG_LEVEL: 'bogus', POWERTOOLS_METRICS_DISABLED: 'maybe' };
  const LOADS = [
    ['require', ['-e', "require('lookout')"]],
    ['--import lookout/register', ['--import', 'lookout/register', '-e', '']],
  ] as const;

  it.each(LOADS)('are printed at the default level (%s)', async (_name, args) => {
    const { stderr } = await runScript(args, { ...INVALID, OTEL_TRACES_EXPORTER: 'none' });

    expect(stderr).toContain('LOOKOUT_ENV_INVALID');
  });

  it.each([
    ['OTEL_LOG_LEVEL=none', { OTEL_LOG_LEVEL: 'none' }],
    ['OTEL_LOG_LEVEL=error', { OTEL_LOG_LEVEL: 'error' }],
    ['OTEL_LOG_LEVEL=ERROR', { OTEL_LOG_LEVEL: 'ERROR' }],
    ['LOOKOUT_DIAGNOSTICS_LEVEL=none', { LOOKOUT_DIAGNOSTICS_LEVEL: 'none' }],
  ])('honour %s from the first line', async (_name, level) => {
    for (const [, args] of LOADS) {
      const { code, stderr } = await runScript(args, { ...INVALID, ...level, OTEL_TRACES_EXPORTER: 'none' });

      expect(code).toBe(0);
      expect(stderr).toBe('');
    }
  });

  it('lets LOOKOUT_DIAGNOSTICS_LEVEL win over OTEL_LOG_LEVEL', async () => {
    const { stderr } = await runScript(['-e', "require('lookout')"], {
      ...INVALID,
      OTEL_LOG_LEVEL: 'none',
      LOOKOUT_DIAGNOSTICS_LEVEL: 'warn',
      OTEL_TRACES_EXPORTER: 'none',
    });

    expect(stderr).toContain('LOOKOUT_ENV_INVALID');
  });
});

describe('one Lookout instance per process', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  it.each([
    [
      'a CommonJS app with --import lookout/register',
      ['--import', 'lookout/register', 'test/fixtures/dual-load.cjs'],
    ],
    [
      'an ES module app with --require lookout/register',
      ['--require', 'lookout/register', 'test/fixtures/dual-load.mjs'],
    ],
  ])('shares one instance between the builds in %s', async (_name, args) => {
    // Prepare
    receiver.clear();

    // Act
    const { code, stdout, stderr } = await runScript(args, {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'dual-load',
    });

    // Assess: no second tracer provider, one export of the span, the log line correlated.
    expect(code).toBe(0);
    expect(stderr).not.toContain('duplicate registration');
    expect(stderr).toBe('');
    expect(stdout).toContain('done');
    const spans = receiver.spans().filter((span) => span.name === 'dual work');
    expect(spans).toHaveLength(1);
    const line = stdout
      .split('\n')
      .filter((text) => text.startsWith('{"level"'))
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((entry) => entry.message === 'inside dual work');
    expect(line?.trace_id).toBe(spans[0]?.traceId);
  });
});
