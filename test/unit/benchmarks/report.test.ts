import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ResultsFile, renderReport, writeReport } from '../../../benchmarks/lib/report.mjs';
import { loadScenarios } from '../../../benchmarks/lib/scenario.mjs';
import { renderChart } from '../../../benchmarks/lib/svg-chart.mjs';
import lambdaOverhead from '../../../benchmarks/scenarios/lambda-overhead.mjs';

const context = {
  quick: false,
  command: 'npm run bench',
  commit: 'abc123def456',
  node: 'v20.20.2',
  machine: { cpu: 'Test CPU 3000', cores: 2, memoryGiB: 8, os: 'linux 6.1 x64' },
  packages: { express: '5.1.0', lookout: '0.1.0' },
  startedAt: '2026-01-02T03:04:05.000Z',
  finishedAt: '2026-01-02T03:14:05.000Z',
  loadAverage: { start: [1.5, 1, 0.5], end: [1, 1, 1] },
};

const variant = (name: string, label: string) => ({
  name,
  label,
  description: `${label} does things`,
  nodeArgs: [],
  env: {},
});

function coldStartResult(): ResultsFile {
  const samples: Record<string, number[]> = {
    bare: [200, 210, 190],
    'lookout-full': [250, 260, 240],
    'otel-auto': [900, 1000, 950],
  };
  return {
    ...context,
    scenario: 'server-cold-start',
    letter: 'a',
    title: 'Server cold start',
    baseline: 'bare',
    rounds: 3,
    variants: [
      variant('bare', 'bare'),
      { ...variant('lookout-full', 'Lookout full'), lookoutParts: ['tracing'] },
      variant('otel-auto', 'OTel <auto> & co'),
    ],
    metrics: [
      { key: 'firstResponseMs', label: 'spawn → first 200', unit: 'ms', better: 'lower' },
      { key: 'firstConnectMs', label: 'spawn → listening', unit: 'ms', better: 'lower' },
      { key: 'firstRequestMs', label: 'first request', unit: 'ms', digits: 1, better: 'lower' },
      { key: 'rssAtFirstResponseMB', label: 'RSS at first 200', unit: 'MB', digits: 1, better: 'lower' },
    ],
    runs: [0, 1, 2].flatMap((index) =>
      Object.entries(samples).map(([name, values]) => ({
        round: index + 1,
        variant: name,
        metrics: {
          firstResponseMs: values[index]!,
          firstConnectMs: 1,
          firstRequestMs: 2,
          rssAtFirstResponseMB: 60,
        },
      })),
    ),
  };
}

function footprintResult(): ResultsFile {
  return {
    ...context,
    scenario: 'footprint',
    letter: 'g',
    title: 'Footprint',
    baseline: 'lookout-full',
    rounds: 1,
    variants: [variant('lookout-full', 'Lookout full'), variant('adot', 'AWS ADOT')],
    metrics: [
      { key: 'installedBytes', label: 'installed size', unit: 'MB', scale: 1e-6, digits: 2, better: 'lower' },
      { key: 'files', label: 'files', better: 'lower' },
      { key: 'packages', label: 'packages', better: 'lower' },
    ],
    runs: [
      { round: 1, variant: 'lookout-full', metrics: { installedBytes: 2_500_000, files: 10, packages: 3 } },
      { round: 1, variant: 'adot', error: 'worker exited with 1: npm ERR! offline cache miss\nmore' },
    ],
  };
}

function lambdaOverheadResult(): ResultsFile {
  const figures = (callerUs: number, warmCallerUs: number) => ({
    callerUs,
    p90Us: callerUs * 2,
    billedUs: callerUs * 3,
    cpuUs: callerUs * 4,
    warmCallerUs,
    warmP90Us: warmCallerUs * 2,
    warmBilledUs: warmCallerUs * 3,
    warmCpuUs: warmCallerUs * 4,
  });
  return {
    ...context,
    scenario: 'lambda-overhead',
    letter: 'd',
    title: 'Lambda per-invocation overhead',
    baseline: 'bare',
    rounds: 1,
    variants: [variant('bare', 'bare'), variant('lookout-wrap-xray', 'Lookout wrap(), X-Ray')],
    // the scenario's own metric list, as a results file records it
    metrics: [...lambdaOverhead.metrics],
    runs: [
      { round: 1, variant: 'bare', metrics: figures(200, 100) },
      { round: 1, variant: 'lookout-wrap-xray', metrics: figures(500, 130) },
    ],
  };
}

describe('benchmark report', async () => {
  const scenarios = await loadScenarios();

  it('renders one table per scenario with medians, ranges and per-round comparisons', () => {
    const { markdown } = renderReport([coldStartResult()], scenarios);
    expect(markdown).toContain('## a. Server cold start');
    const row = markdown.split('\n').find((line) => line.startsWith('| Lookout full |'));
    expect(row).toContain('**250 ms** (240–260 ms)');
    expect(row).toContain('+50 ms (+50 ms to +50 ms)');
    expect(row).toContain('1.25x (1.24x–1.26x)');
    expect(markdown).toContain('| bare (baseline) | **200 ms** (190–210 ms) | – | 1.00x |');
  });

  it("keeps a note's table rows together, so the table renders as one", () => {
    const { markdown } = renderReport([coldStartResult()], scenarios);
    const lines = markdown.split('\n');
    const header = lines.findIndex((line) => line.startsWith('| phase |'));

    expect(header).toBeGreaterThan(-1);
    expect(lines[header + 1]).toMatch(/^\| --- \|/);
    expect(lines[header + 2]).toMatch(/^\| `node -e 1` \|/);
    expect(lines[header - 1]).toBe('');
  });

  it('states the machine, Node version, commit, command and package versions', () => {
    const { markdown } = renderReport([coldStartResult()], scenarios);
    expect(markdown).toContain('| Machine | Test CPU 3000, 2 cores, 8 GiB RAM, linux 6.1 x64 |');
    expect(markdown).toContain('| Node | v20.20.2 |');
    expect(markdown).toContain('`abc123def456`');
    expect(markdown).toContain('`npm run bench`');
    expect(markdown).toContain('| `express` | 5.1.0 |');
  });

  it('judges the goals from the data and lists scenarios with no results', () => {
    const { markdown } = renderReport([coldStartResult()], scenarios);
    const goal = markdown
      .split('\n')
      .find((line) => line.startsWith('| Server cold start: Lookout full adds'));
    expect(goal).toContain('+50 ms');
    expect(goal).toContain('**missed**');
    expect(goal).toContain('over by 20 ms');
    expect(markdown).toMatch(/Lambda init: .*not measured/);
    expect(markdown).toContain(
      '"Lookout full" ran with: tracing (logging and metrics not in the measured build yet',
    );
    const notMeasured = markdown.slice(markdown.indexOf('## Not measured yet'));
    expect(notMeasured).toContain('c. Lambda init');
    expect(notMeasured).not.toContain('a. Server cold start');
  });

  it('scales values for display and lists failed runs instead of hiding them', () => {
    const { markdown } = renderReport([footprintResult()], scenarios);
    expect(markdown).toContain('| Lookout full (baseline) | **2.50 MB** | 1.00x | **10** | **3** |');
    expect(markdown).toContain('| AWS ADOT | – | – | – | – |');
    expect(markdown).toContain(
      '**AWS ADOT** failed 1 of 1 runs: worker exited with 1: npm ERR! offline cache miss',
    );
  });

  it('shows what reached the sinks, so a variant that exported nothing is visible', () => {
    const result = coldStartResult();
    for (const run of result.runs as Record<string, unknown>[]) {
      const spans = run.variant === 'lookout-full' ? 1000 + Number(run.round) : 0;
      run.sinks = { otlp: { requests: spans > 0 ? 2 : 0, spans, rejected: 0 }, xray: { segments: 0 } };
    }
    const { markdown } = renderReport([result], scenarios);
    expect(markdown).toContain('| variant | OTLP requests | spans |');
    expect(markdown).toContain('| Lookout full | 2 | 1,002 |');
    expect(markdown).toContain('| OTel <auto> & co | 0 | 0 |');
    expect(renderReport([coldStartResult()], scenarios).markdown).not.toContain(
      'Received at the loopback sinks',
    );
  });

  it('names what an in-process variant runs instead of an app command, and judges the logging goal', () => {
    const linesPerSecond: Record<string, number[]> = {
      'powertools-logger': [100_000, 50_000],
      'lookout-logger': [70_000, 25_000],
    };
    const result: ResultsFile = {
      ...context,
      scenario: 'logging-throughput',
      letter: 'f',
      title: 'Logging throughput',
      baseline: 'powertools-logger',
      rounds: 2,
      variants: [
        { ...variant('powertools-logger', 'Powertools Logger'), inProcess: 'benchmarks/workers/x.mjs' },
        { ...variant('lookout-logger', 'Lookout logger'), inProcess: 'benchmarks/workers/x.mjs' },
      ],
      metrics: [{ key: 'linesPerSecond', label: 'lines/s', unit: 'lines/s', better: 'higher' }],
      runs: [0, 1].flatMap((index) =>
        Object.entries(linesPerSecond).map(([name, values]) => ({
          round: index + 1,
          variant: name,
          metrics: { linesPerSecond: values[index]! },
        })),
      ),
    };
    const { markdown } = renderReport([result], scenarios);
    expect(markdown).toContain(
      '| Lookout logger (`lookout-logger`) | in-process: `benchmarks/workers/x.mjs` |',
    );
    const goal = markdown.split('\n').find((line) => line.startsWith('| Logging throughput: '));
    // Per-round ratios 0.70x and 0.50x: median 0.60x, exactly the target.
    expect(goal).toContain('0.60x (0.50x–0.70x)');
    expect(goal).toContain('**met**');
  });

  it("shows scenario d's fresh and warm windows side by side, with what each means", () => {
    const { markdown } = renderReport([lambdaOverheadResult()], scenarios);
    const lines = markdown.split('\n');
    const header = lines.find((line) => line.startsWith('| variant | caller (median) |'));
    expect(header).toContain('| caller added to bare |');
    expect(header).toContain('| warm: caller (median) | warm: caller added to bare |');
    expect(header).toContain('| warm: CPU per invocation | warm: CPU added to bare |');
    const row = lines.find((line) => line.startsWith('| Lookout wrap(), X-Ray |'));
    // fresh: caller 500 (+300), billed 1,500 (+900), CPU 2,000 (+1,200);
    // warm: caller 130 (+30), billed 390 (+90), CPU 520 (+120).
    expect(row).toMatch(/\*\*500 µs\*\* \| \+300 µs \|.*\*\*130 µs\*\* \| \+30 µs \|/);
    expect(row).toMatch(/\*\*520 µs\*\* \| \+120 µs \|$/);
    expect(markdown).toContain('**Two windows of one run.**');
    expect(markdown).toMatch(/freshly started environment/);
    expect(markdown).toMatch(/a warm environment/);
  });

  it('labels a goal measured again in the warm window as an additional measurement', () => {
    const { markdown } = renderReport([lambdaOverheadResult()], scenarios);
    const goals = markdown.split('\n').filter((line) => line.includes('X-Ray UDP adds at most 50 µs of CPU'));
    expect(goals).toHaveLength(2);
    const [fresh, warm] = goals;
    expect(fresh).toMatch(/^\| Lambda, in-process: .*\| \+1,200(\.0)? µs \|.*\*\*missed\*\*/);
    expect(warm).toMatch(
      /^\| _Additional measurement \(warm window[^)]*\), not the goal's figure:_ Lambda, in-process/,
    );
    expect(warm).toMatch(/\| \+120(\.0)? µs \|.*\*\*missed\*\*/);
  });

  it('marks quick smoke results as meaningless', () => {
    const { markdown } = renderReport([{ ...coldStartResult(), quick: true }], scenarios);
    expect(markdown).toContain('Quick smoke run');
  });

  it('draws a chart per scenario with a bar, a whisker and the figures for every variant', () => {
    const { charts, markdown } = renderReport([coldStartResult(), footprintResult()], scenarios);
    expect(charts.map((chart) => chart.file)).toEqual(['server-cold-start.svg', 'footprint.svg']);
    const svg = charts[0]!.svg;
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<rect x="150"/g)).toHaveLength(3);
    expect(svg.match(/class="whisker"/g)).toHaveLength(3);
    expect(svg).toContain('250 ms (240–260 ms)');
    expect(svg).toContain('OTel &lt;auto&gt; &amp; co');
    expect(svg).not.toContain('<auto>');
    expect(charts[1]!.svg).toContain('no data');
    expect(markdown).toContain('![Server cold start chart](benchmarks/server-cold-start.svg)');
  });

  it('scales bars to the largest value', () => {
    const svg = renderChart({
      title: 't',
      panels: [
        {
          metric: { key: 'x', label: 'x', better: 'higher' },
          rows: [
            { label: 'a', kind: 'baseline', median: 100, min: 100, max: 100 },
            { label: 'b', kind: 'peer', median: 50, min: 50, max: 50 },
          ],
        },
      ],
    });
    const widths = [...svg.matchAll(/<rect x="150" y="[\d.]+" width="([\d.]+)"/g)].map((match) =>
      Number(match[1]),
    );
    expect(widths).toHaveLength(2);
    expect(widths[1]! / widths[0]!).toBeCloseTo(0.5, 5);
  });
});

describe('writeReport', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('regenerates the markdown and the charts from the results files, removing stale charts', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lookout-report-test-'));
    const results = join(dir, 'results');
    const charts = join(dir, 'docs', 'benchmarks');
    mkdirSync(results, { recursive: true });
    mkdirSync(charts, { recursive: true });
    writeFileSync(join(results, 'server-cold-start.json'), JSON.stringify(coldStartResult()));
    writeFileSync(join(results, 'ignored.tmp.json'), '{not json');
    writeFileSync(join(charts, 'old-scenario.svg'), '<svg/>');

    const written = await writeReport({
      resultsDir: results,
      reportFile: join(dir, 'docs', 'benchmarks.md'),
      chartsDir: charts,
    });

    expect(readdirSync(charts)).toEqual(['server-cold-start.svg']);
    expect(written.charts).toHaveLength(1);
    expect(readFileSync(join(dir, 'docs', 'benchmarks.md'), 'utf8')).toContain('## a. Server cold start');
  });

  it('refuses to write a report from no results', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lookout-report-test-'));
    await expect(
      writeReport({
        resultsDir: join(dir, 'none'),
        reportFile: join(dir, 'r.md'),
        chartsDir: join(dir, 'c'),
      }),
    ).rejects.toThrow('no results');
  });
});
