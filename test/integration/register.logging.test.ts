import { afterEach, describe, expect, it } from 'vitest';
import { type SpawnedApp, spawnApp } from '../helpers/spawn-app-for-logging.js';

// Real processes against the built package: init() in code, `--require lookout/register`,
// and a reader that closes stdout.

type Line = Record<string, unknown>;

let app: SpawnedApp | undefined;

afterEach(async () => {
  await app?.stop('SIGKILL');
  app = undefined;
});

function run(args: string[], env: Record<string, string> = {}): SpawnedApp {
  app = spawnApp({ args, env: { OTEL_TRACES_EXPORTER: 'none', ...env } });
  return app;
}

const parse = (lines: readonly string[]) =>
  lines.filter((line) => line !== '').map((line) => JSON.parse(line) as Line);

describe('logger and init()', () => {
  it('reconfigures the logger imported before init(), and its children', async () => {
    const running = run(['test/fixtures/logging-init-in-code.mjs'], { OTEL_SERVICE_NAME: 'from-env' });
    const exit = await running.exited();
    expect(exit.code).toBe(0);
    const [before, after, child] = parse(running.stdoutLines);
    expect(before).toMatchObject({
      message: 'before init',
      service: 'from-env',
      secretCode: 'sc-before',
      password: '[REDACTED]',
    });
    expect(after).toMatchObject({
      level: 'DEBUG',
      message: 'after init',
      service: 'configured-in-code',
      secretCode: '[REDACTED]',
      ref: 'order [REDACTED]',
    });
    expect(child).toMatchObject({ level: 'DEBUG', service: 'configured-in-code', component: 'early' });
    expect(running.stdoutLines.join('\n')).not.toContain('pw-before');
  });

  it('works from CommonJS with --require lookout/register, correlated with the active span', async () => {
    const running = run(['--require', 'lookout/register', 'test/fixtures/logging-require.cjs']);
    const exit = await running.exited();
    expect(exit.code).toBe(0);
    const [line] = parse(running.stdoutLines);
    expect(line).toMatchObject({ message: 'in span from commonjs', apiKey: '[REDACTED]' });
    expect(line?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(line?.xray_trace_id).toBe(
      `1-${String(line?.trace_id).slice(0, 8)}-${String(line?.trace_id).slice(8)}`,
    );
  });
});

// Each writer of telemetry to stdout, with the fixture that keeps writing after the reader
// closed it, a line that shows it wrote, and the code its failure is reported under.
const STDOUT_WRITERS = [
  ['logger', 'test/fixtures/logging-stdout-closed.mjs', '"message":"tick"', /LOOKOUT_LOG_WRITE_FAILED/g],
  [
    'metrics',
    'test/fixtures/metrics-stdout-closed.mjs',
    '"CloudWatchMetrics"',
    /LOOKOUT_METRICS_WRITE_FAILED/g,
  ],
] as const;

describe.each(STDOUT_WRITERS)('%s when stdout is closed', (_writer, fixture, written, failure) => {
  it('keeps the app running and reports the failure once', async () => {
    const running = run([fixture]);
    await running.waitForLine((line) => line.includes(written));
    running.child.stdout?.destroy();
    const exit = await running.exited();
    expect(exit.code).toBe(0);
    expect(running.stderr()).toContain('still running after stdout closed');
    expect(running.stderr().match(failure)).toHaveLength(1);
  });
});

// Node holds what is written to a pipe in memory until its reader takes it: a reader that stalls
// (a blocked log driver, a paused pipe) would have every line held, for as long as it stalls.
const BACKLOG_LIMIT_CHARS = 16 * 1024 * 1024;

/** Resolves with the match of `pattern` in what the app wrote to stderr, once it is there. */
async function stderrMatch(
  running: SpawnedApp,
  pattern: RegExp,
  timeoutMs: number,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(running.stderr());
    if (match !== null) return match;
    if (Date.now() > deadline || running.child.exitCode !== null)
      throw new Error(`no ${String(pattern)} on stderr; stderr:\n${running.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(STDOUT_WRITERS)(
  '%s when the reader of stdout stalls',
  (writer, _fixture, _written, failure) => {
    it('holds at most 16 MiB of text, reports the dropped rest once, and writes again once the reader catches up', async () => {
      // Prepare
      const running = run(['--expose-gc', 'test/fixtures/stdout-stalled.mjs', writer]);
      running.child.stdout?.pause();

      // Act: 64 MiB written while nothing is read, then the reader catches up.
      const stalled = await stderrMatch(running, /stalled: (\d+) chars unwritten, heap (\d+) bytes/, 25_000);
      running.child.stdout?.resume();
      await running.waitForLine((line) => line.includes('caught up'), 25_000);
      await running.exited();

      // Assess
      const unwritten = Number(stalled[1]);
      expect(unwritten).toBeGreaterThan(0);
      // The limit, plus the one write that crossed it.
      expect(unwritten).toBeLessThan(BACKLOG_LIMIT_CHARS + 64 * 1024);
      expect(Number(stalled[2])).toBeLessThan(48 * 1024 * 1024);
      expect(running.stderr().match(failure)).toHaveLength(1);
      expect(running.stderr()).toContain('more than 16 MiB behind');
    });
  },
);

describe('logger when stdout and stderr are closed', () => {
  it('keeps the app running, its diagnostic dropped with nowhere to go', async () => {
    const running = run(['test/fixtures/logging-stdio-closed.mjs']);
    await running.waitForLine((line) => line.includes('"message":"tick"'));
    running.child.stdout?.destroy();
    running.child.stderr?.destroy();
    // The fixture logs for 400 ms more, then exits on its own: 0 only if nothing crashed it.
    const exit = await running.exited();
    expect(exit).toEqual({ code: 0, signal: null });
  });
});
