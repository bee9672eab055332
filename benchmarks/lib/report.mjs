// Builds docs/benchmarks.md and its charts from the raw results files. `renderReport` is pure
// (results in, markdown and SVG text out) and unit-tested; `writeReport` reads and writes.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { formatDelta, formatRange, formatRatio, formatValue } from './format.mjs';
import { evaluateGoal, GOALS } from './goals.mjs';
import { loadScenarios } from './scenario.mjs';
import { summarize, summarizeVariant, valuesByRound } from './stats.mjs';
import { renderChart } from './svg-chart.mjs';

/**
 * One results file, as benchmarks/run.mjs writes it.
 * @typedef {object} ResultsFile
 * @property {string} scenario   the scenario id
 * @property {string} letter
 * @property {string} title
 * @property {boolean} quick
 * @property {string} command
 * @property {string} commit
 * @property {string} node
 * @property {ReturnType<typeof import('./context.mjs').describeMachine>} machine
 * @property {Record<string, string>} packages
 * @property {string} startedAt  ISO time
 * @property {string} finishedAt ISO time
 * @property {{ start: number[], end: number[] }} loadAverage
 * @property {string} [derivedFrom]
 * @property {string} baseline
 * @property {number} rounds
 * @property {ResultVariant[]} variants
 * @property {import('./scenario.mjs').Metric[]} metrics
 * @property {ResultRun[]} runs
 */

/**
 * @typedef {object} ResultVariant
 * @property {string} name
 * @property {string} label
 * @property {string} description
 * @property {string[]} nodeArgs
 * @property {Record<string, string>} [env]
 * @property {string} [inProcess]
 * @property {string[]} [lookoutParts]
 */

/**
 * A run, with what reached each loopback sink (sink name → counter → count) when it was measured.
 * @typedef {import('./stats.mjs').Run & { sinks?: Record<string, Record<string, number>> }} ResultRun
 */

/** @typedef {ReturnType<typeof summarizeVariant>} VariantSummary */

/** The issue's scenarios, so the report lists the ones with no results yet. */
export const PLANNED_SCENARIOS = [
  { letter: 'a', title: 'Server cold start' },
  { letter: 'b', title: 'Server steady state' },
  { letter: 'c', title: 'Lambda init' },
  { letter: 'd', title: 'Lambda per-invocation overhead' },
  { letter: 'e', title: 'Memory' },
  { letter: 'f', title: 'Logging throughput and metrics cost' },
  { letter: 'g', title: 'Footprint' },
];

/** @param {unknown} text */
const cell = (text) => String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');

/**
 * @param {readonly unknown[]} header
 * @param {readonly (readonly unknown[])[]} rows
 */
function table(header, rows) {
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

/**
 * @param {string} variant
 * @param {string} baseline
 * @returns {'baseline' | 'lookout' | 'peer'}
 */
function kindOf(variant, baseline) {
  if (variant === baseline) return 'baseline';
  return variant.startsWith('lookout') ? 'lookout' : 'peer';
}

/** @param {readonly unknown[]} values */
function unique(values) {
  return [...new Set(values.filter((value) => value !== undefined && value !== ''))];
}

/** @param {ResultsFile['machine']} machine */
function describeMachine(machine) {
  return `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, ${machine.os}`;
}

/**
 * Column heading: the metric's label, or the column's own.
 * @param {import('./scenario.mjs').Column} column
 * @param {import('./scenario.mjs').Metric} metric
 * @param {string | undefined} baseline
 */
function heading(column, metric, baseline) {
  if (column.label) return column.label;
  if (column.show === 'ratio') return `${metric.label} × ${baseline}`;
  if (column.show === 'delta') return `${metric.label} vs ${baseline}`;
  return metric.label;
}

/**
 * @param {import('./scenario.mjs').Column} column
 * @param {import('./scenario.mjs').Metric} metric
 * @param {VariantSummary} summary
 * @param {boolean} isBaseline
 */
function renderCell(column, metric, summary, isBaseline) {
  if (column.show === 'value') {
    const { median, min, max, count } = summary.value;
    if (count === 0) return '–';
    const value = formatValue(median, metric);
    return count > 1 ? `**${value}** (${formatRange(min, max, metric)})` : `**${value}**`;
  }
  if (isBaseline) return column.show === 'ratio' ? '1.00x' : '–';
  if (column.show === 'ratio') {
    const { median, min, max, count } = summary.ratio;
    if (count === 0) return '–';
    return count > 1
      ? `${formatRatio(median)} (${formatRatio(min)}–${formatRatio(max)})`
      : formatRatio(median);
  }
  const { median, min, max, count } = summary.delta;
  if (count === 0) return '–';
  return count > 1
    ? `${formatDelta(median, metric)} (${formatDelta(min, metric)} to ${formatDelta(max, metric)})`
    : formatDelta(median, metric);
}

/**
 * @param {ResultsFile} result one results file
 * @param {import('./scenario.mjs').Scenario | undefined} scenario its module, when present
 * @param {string} chartLink path of its chart relative to the report
 */
function renderScenario(result, scenario, chartLink) {
  const metrics = result.metrics;
  const byKey = new Map(metrics.map((metric) => [metric.key, metric]));
  // A results file written before a column's metric was declared shows the other columns.
  /** @type {import('./scenario.mjs').Column[]} */
  const declared =
    scenario?.columns ??
    metrics.flatMap((metric) => [
      { metric: metric.key, show: 'value' },
      { metric: metric.key, show: 'ratio' },
    ]);
  const columns = declared.filter((column) => byKey.has(column.metric));
  // Only columns whose metric is in the file are left.
  const metricOf = (/** @type {import('./scenario.mjs').Column} */ column) =>
    /** @type {import('./scenario.mjs').Metric} */ (byKey.get(column.metric));
  const labelOf = new Map(result.variants.map((variant) => [variant.name, variant.label]));
  const lines = [`## ${result.letter}. ${result.title}`, ''];
  if (scenario?.summary) lines.push(scenario.summary, '');
  const plural = (/** @type {number} */ count, /** @type {string} */ noun) =>
    `${count} ${noun}${count === 1 ? '' : 's'}`;
  const when = result.derivedFrom
    ? `Re-reads \`${result.derivedFrom}\` (${plural(result.rounds, 'round')}).`
    : result.rounds === 1
      ? `One run per variant (${plural(result.variants.length, 'variant')}).`
      : `${plural(result.rounds, 'round')} of ${plural(result.variants.length, 'variant')}, alternated.`;
  lines.push(
    `${when} Measured ${result.startedAt.slice(0, 16).replace('T', ' ')} UTC, load average ${result.loadAverage.start.join(' / ')} at the start; \`${result.command}\` at commit \`${result.commit}\`.${result.quick ? ' **Quick smoke run: these figures prove the scenario runs and mean nothing.**' : ''}`,
    '',
  );

  const rows = result.variants.map((variant) => {
    const isBaseline = variant.name === result.baseline;
    return [
      isBaseline ? `${variant.label} (baseline)` : variant.label,
      ...columns.map((column) =>
        renderCell(
          column,
          metricOf(column),
          summarizeVariant(result.runs, variant.name, result.baseline, column.metric),
          isBaseline,
        ),
      ),
    ];
  });
  lines.push(
    table(
      [
        'variant',
        ...columns.map((column) => heading(column, metricOf(column), labelOf.get(result.baseline))),
      ],
      rows,
    ),
    '',
  );

  /** @type {string[]} */
  const failures = [];
  for (const variant of result.variants) {
    const failed = result.runs.flatMap((run) =>
      run.variant === variant.name && run.error !== undefined ? [run.error] : [],
    );
    const [firstError] = failed;
    if (firstError === undefined) continue;
    const total = result.runs.filter((run) => run.variant === variant.name).length;
    const reason = firstError.split('\n').find((line) => line.trim() !== '') ?? 'unknown error';
    failures.push(
      `- **${variant.label}** failed ${failed.length} of ${total} runs: ${reason.trim().slice(0, 300)}`,
    );
  }
  if (failures.length > 0) lines.push('Failed runs (left out of the figures above):', '', ...failures, '');

  const received = renderSinkTable(result);
  if (received) lines.push(received, '');

  // A note is a paragraph; the rows of a table written one note each stay together.
  const notes = (scenario?.notes ?? []).filter((note) => note !== '');
  notes.forEach((note, index) => {
    const tableContinues = note.startsWith('|') && notes[index + 1]?.startsWith('|');
    lines.push(...(tableContinues ? [note] : [note, '']));
  });
  lines.push(`![${result.title} chart](${chartLink})`, '');
  return lines.join('\n');
}

/**
 * What reached the loopback sinks per run: evidence that each variant's exporters worked.
 * @param {ResultsFile} result
 */
function renderSinkTable(result) {
  /** @type {[sink: string, key: string, label: string][]} */
  const fields = [
    ['otlp', 'requests', 'OTLP requests'],
    ['otlp', 'spans', 'spans'],
    ['otlp', 'logRecords', 'OTLP log records'],
    ['otlp', 'metrics', 'OTLP metrics'],
    ['xray', 'segments', 'X-Ray segments'],
    ['datadog', 'traces', 'Datadog traces'],
    ['otlp', 'rejected', 'rejected'],
  ];
  const runs = result.runs.flatMap((run) =>
    run.sinks !== undefined && run.error === undefined ? [{ variant: run.variant, sinks: run.sinks }] : [],
  );
  const used = fields.filter(([sink, key]) => runs.some((run) => (run.sinks[sink]?.[key] ?? 0) > 0));
  if (!used.some(([, key]) => key !== 'rejected')) return '';
  const rows = result.variants.map((variant) => [
    variant.label,
    ...used.map(([sink, key]) => {
      const values = runs
        .filter((run) => run.variant === variant.name)
        .map((run) => run.sinks[sink]?.[key] ?? 0);
      return values.length === 0 ? '–' : formatValue(summarize(values).median, {});
    }),
  ]);
  return [
    'Received at the loopback sinks per run (median). A run ends with SIGKILL, so what is still batched in the app at that moment is not counted:',
    '',
    table(['variant', ...used.map(([, , label]) => label)], rows),
  ].join('\n');
}

/**
 * @param {ResultsFile} result
 * @param {import('./scenario.mjs').Scenario | undefined} scenario
 */
function chartFor(result, scenario) {
  const keys = scenario?.chart ?? result.metrics.slice(0, 1).map((metric) => metric.key);
  const byKey = new Map(result.metrics.map((metric) => [metric.key, metric]));
  return renderChart({
    title: `${result.letter}. ${result.title}`,
    // A scenario charts only metrics it declares, and a results file holds the scenario's metrics.
    panels: keys.map((key) => ({
      metric: /** @type {import('./scenario.mjs').Metric} */ (byKey.get(key)),
      rows: result.variants.map((variant) => {
        const { median, min, max } = summarize([...valuesByRound(result.runs, variant.name, key).values()]);
        return { label: variant.label, kind: kindOf(variant.name, result.baseline), median, min, max };
      }),
    })),
  });
}

/**
 * A goal's text; a goal measured again in another window is labelled as the additional
 * measurement it is, so that it never reads as the goal's own figure.
 * @param {import('./goals.mjs').Goal} goal
 */
function labelGoal(goal) {
  if (goal.additional === undefined) return goal.text;
  return `_Additional measurement (${goal.additional}), not the goal's figure:_ ${goal.text}`;
}

/** @param {Map<string, ResultsFile>} resultsById */
function renderGoals(resultsById) {
  const evaluations = GOALS.map((goal) => evaluateGoal(goal, resultsById));
  const status = (/** @type {ReturnType<typeof evaluateGoal>} */ evaluation) =>
    evaluation.status === 'met' || evaluation.status === 'missed'
      ? `**${evaluation.status}**`
      : evaluation.status;
  const lines = [
    '## Goals',
    '',
    "The goals the issues set for Lookout (benchmarks; logging for its throughput), against this report's figures (medians of per-round differences or ratios; range in brackets). Generated from the results; a goal without results says so, and a goal far below its scenario's noise is 'not resolved' unless every round is on one side of it.",
    '',
    table(
      ['goal', 'measured', 'target', 'result', 'margin'],
      evaluations.map((evaluation) => [
        labelGoal(evaluation.goal),
        evaluation.measured,
        evaluation.target,
        status(evaluation),
        evaluation.margin,
      ]),
    ),
    '',
  ];
  const steady = resultsById.get('server-steady-state') ?? resultsById.get('server-cold-start');
  const full = steady?.variants.find((variant) => variant.name === 'lookout-full');
  const fullParts = full?.lookoutParts;
  if (fullParts) {
    const missing = ['tracing', 'logging', 'metrics'].filter((part) => !fullParts.includes(part));
    lines.push(
      `"Lookout full" ran with: ${fullParts.join(', ')}${missing.length > 0 ? ` (${missing.join(' and ')} not in the measured build yet, so the goals that assume tracing + access log + metrics + redaction are measured on less than that)` : ''}.`,
      '',
    );
  }
  return lines.join('\n');
}

/**
 * Renders the report.
 * @param {ResultsFile[]} results the parsed results files
 * @param {readonly import('./scenario.mjs').Scenario[]} scenarios the scenario modules
 * @param {{ chartsPath?: string }} [options] charts directory relative to the report
 * @returns {{ markdown: string, charts: { file: string, svg: string }[] }}
 */
export function renderReport(results, scenarios, { chartsPath = 'benchmarks' } = {}) {
  const sorted = [...results].sort(
    (a, b) => a.letter.localeCompare(b.letter) || a.scenario.localeCompare(b.scenario),
  );
  const scenarioById = new Map(scenarios.map((scenario) => [scenario.id, scenario]));
  const resultsById = new Map(sorted.map((result) => [result.scenario, result]));
  const charts = sorted.map((result) => ({
    file: `${result.scenario}.svg`,
    svg: chartFor(result, scenarioById.get(result.scenario)),
  }));

  /** @type {Record<string, string>} */
  const packages = {};
  for (const result of sorted) Object.assign(packages, result.packages);
  /** @type {Map<string, ResultVariant>} */
  const variants = new Map();
  for (const result of sorted) for (const variant of result.variants) variants.set(variant.name, variant);
  // The 1-minute figure of each scenario's start.
  const loads = sorted.flatMap((result) => result.loadAverage.start.slice(0, 1));

  const lines = [
    '# Benchmarks',
    '',
    '<!-- Generated by `npm run bench:report` from benchmarks/results/*.json; do not edit by hand. -->',
    '',
    'What Lookout costs next to what users would pick instead, measured side by side: every variant runs the built package (`dist/`) in its own process, variants alternate round by round (A B C, A B C, …), tables give the median with the min–max range, and comparisons to the baseline are medians of per-round ratios or differences (a noisy round moves every variant in it). Exporters point at loopback sinks that decode and acknowledge what they receive (OTLP/HTTP; a UDP socket for the X-Ray daemon protocol); app stdout goes to `/dev/null`. Raw samples are in `benchmarks/results/`; how it works and how to add a scenario: [benchmarks/README.md](../benchmarks/README.md).',
    '',
    `> **Indicative figures.** These were measured on a small machine whose ${unique(sorted.map((result) => result.machine.cores)).join('/')} cores were shared with other work while the suite ran (1-minute load average ${loads.length > 0 ? `${Math.min(...loads)}–${Math.max(...loads)}` : 'unknown'} at the start of the scenarios), so absolute numbers are noisy; ratios within a round are the steadier figures. Re-run \`npm run bench\` on a quiet machine before quoting them.`,
    '',
    table(
      ['', ''],
      [
        ['Machine', unique(sorted.map((result) => describeMachine(result.machine))).join('; ')],
        ['Node', unique(sorted.map((result) => result.node)).join(', ')],
        ['Commit', unique(sorted.map((result) => `\`${result.commit}\``)).join(', ')],
        ['Command', unique(sorted.map((result) => `\`${result.command}\``)).join(', ')],
        [
          'Measured',
          sorted.length > 0
            ? `${
                /** @type {string} */ (sorted.map((result) => result.startedAt).sort()[0]) // not empty here
                  .slice(0, 16)
                  .replace('T', ' ')
              } to ${
                /** @type {string} */ (
                  sorted
                    .map((result) => result.finishedAt)
                    .sort()
                    .at(-1)
                )
                  .slice(0, 16)
                  .replace('T', ' ')
              } UTC`
            : '–',
        ],
      ],
    ),
    '',
    renderGoals(resultsById),
    '## Variants',
    '',
    table(
      ['variant', 'command', 'what it runs'],
      [...variants.values()].map((variant) => [
        `${variant.label} (\`${variant.name}\`)`,
        variant.inProcess
          ? `in-process: \`${variant.inProcess}\``
          : `\`node ${[...variant.nodeArgs, '<app>'].join(' ')}\`${
              Object.keys(variant.env ?? {}).length > 0
                ? ` with ${Object.entries(variant.env ?? {})
                    .map(([key, value]) => `\`${key}=${value}\``)
                    .join(' ')}`
                : ''
            }`,
        variant.description,
      ]),
    ),
    '',
    "Every variant that starts an app gets the same environment besides: `NODE_ENV=production`, `OTEL_SERVICE_NAME` / `POWERTOOLS_SERVICE_NAME`, `OTEL_EXPORTER_OTLP_ENDPOINT` (the loopback OTLP sink, `http/protobuf`), `OTEL_TRACES_SAMPLER=parentbased_always_on` (100 % sampling), `AWS_XRAY_DAEMON_ADDRESS` (the loopback UDP sink). The OpenTelemetry and ADOT variants load with `--require`, as their documentation says; on an ES module app (both apps here are `.mjs`) that instruments `http` and Express 5's `router` package, but not the `express` module itself, which only an ES module loader hook would reach.",
    '',
    '## Package versions',
    '',
    table(
      ['package', 'version'],
      Object.entries(packages)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, version]) => [`\`${name.replace('>', ' → ')}\``, version]),
    ),
    '',
  ];
  for (const [index, result] of sorted.entries())
    lines.push(
      renderScenario(result, scenarioById.get(result.scenario), `${chartsPath}/${charts[index]?.file}`),
    );

  const measuredLetters = new Set(sorted.map((result) => result.letter));
  const missing = PLANNED_SCENARIOS.filter((planned) => !measuredLetters.has(planned.letter));
  if (missing.length > 0)
    lines.push(
      '## Not measured yet',
      '',
      ...missing.map((planned) => `- ${planned.letter}. ${planned.title}`),
      '',
    );
  return { markdown: `${lines.join('\n').trimEnd()}\n`, charts };
}

/**
 * Reads every results file in a directory.
 * @param {string} resultsDir
 * @returns {ResultsFile[]}
 */
export function readResults(resultsDir) {
  /** @type {string[]} */
  let files = [];
  try {
    files = readdirSync(resultsDir).filter((name) => name.endsWith('.json') && !name.endsWith('.tmp.json'));
  } catch {
    return [];
  }
  return files.map((name) => JSON.parse(readFileSync(join(resultsDir, name), 'utf8')));
}

/**
 * Regenerates the report and its charts from a results directory.
 * @param {{ resultsDir: string, reportFile: string, chartsDir: string }} paths
 */
export async function writeReport({ resultsDir, reportFile, chartsDir }) {
  const results = readResults(resultsDir);
  if (results.length === 0) throw new Error(`no results in ${resultsDir}; run \`npm run bench\` first`);
  const scenarios = await loadScenarios();
  const { markdown, charts } = renderReport(results, scenarios, {
    chartsPath: relative(dirname(reportFile), chartsDir) || '.',
  });
  mkdirSync(dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, markdown);
  mkdirSync(chartsDir, { recursive: true });
  // Charts of scenarios that no longer have results go too; nothing else lives there.
  for (const name of readdirSync(chartsDir)) if (name.endsWith('.svg')) rmSync(join(chartsDir, name));
  for (const chart of charts) writeFileSync(join(chartsDir, chart.file), chart.svg);
  return { reportFile, charts: charts.map((chart) => join(chartsDir, chart.file)) };
}
