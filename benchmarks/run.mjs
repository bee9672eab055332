// `npm run bench`: runs every scenario against the built package, writes raw results to
// benchmarks/results/<scenario>.json and regenerates docs/benchmarks.md.
//
//   npm run bench                        every scenario, full counts (~15–20 minutes)
//   npm run bench -- --only a            one scenario, by letter or id (repeatable, or a,b)
//   npm run bench -- --quick             smoke mode: every scenario once, in well under a
//                                        minute; results and report go to a temp directory
//   npm run bench -- --no-write          measure without touching the repository (temp dir)
//   npm run bench -- --out <dir>         results in <dir>/results, report in <dir>/docs
//   npm run bench -- --rounds <n>        n rounds per scenario instead of the full count
//                                        (for a decision that needs more samples)
//
// Each run is a child process (`node benchmarks/workers/<worker>.mjs --variant <name>
// --result <file> [--quick]`); variants are alternated round by round (A B C, A B C, …).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildIfStale } from '../scripts/lib/build-if-stale.mjs';
import {
  currentLoad,
  describeCommand,
  describeCommit,
  describeMachine,
  describePackages,
} from './lib/context.mjs';
import { formatRange, formatValue } from './lib/format.mjs';
import { infrastructureEnv, startInfrastructure } from './lib/infrastructure.mjs';
import { CHARTS_DIR, REPORT_FILE, RESULTS_DIR, ROOT } from './lib/paths.mjs';
import { getPeer, loadPeerContext, lookoutParts } from './lib/peers.mjs';
import { createProgress } from './lib/progress.mjs';
import { writeReport } from './lib/report.mjs';
import { loadScenarios, selectScenarios } from './lib/scenario.mjs';
import { summarizeVariant } from './lib/stats.mjs';

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true, default: [] },
    'no-write': { type: 'boolean', default: false },
    out: { type: 'string' },
    rounds: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

if (options.help) {
  const header = readFileSync(new URL(import.meta.url), 'utf8').split('\nimport ')[0];
  process.stdout.write(`${header.replace(/^\/\/ ?/gm, '')}\n`);
  process.exit(0);
}

const quick = options.quick;
const only = options.only.flatMap((value) => value.split(',')).filter(Boolean);
const roundsOverride = options.rounds === undefined ? undefined : Number(options.rounds);
if (roundsOverride !== undefined && !(Number.isInteger(roundsOverride) && roundsOverride >= 1)) {
  process.stderr.write(`--rounds must be a whole number of at least 1, not "${options.rounds}"\n`);
  process.exit(2);
}

/** Where results and the report go: the repository, or a temp dir for --quick / --no-write. */
function outputs() {
  if (options.out) {
    return {
      results: join(options.out, 'results'),
      report: join(options.out, 'docs', 'benchmarks.md'),
      charts: join(options.out, 'docs', 'benchmarks'),
      temporary: false,
    };
  }
  if (quick || options['no-write']) {
    const dir = mkdtempSync(join(tmpdir(), 'lookout-bench-'));
    return {
      results: join(dir, 'results'),
      report: join(dir, 'docs', 'benchmarks.md'),
      charts: join(dir, 'docs', 'benchmarks'),
      temporary: dir,
    };
  }
  return { results: RESULTS_DIR, report: REPORT_FILE, charts: CHARTS_DIR, temporary: false };
}

/**
 * Runs one worker and reads its result.
 * @returns {Promise<{ metrics?: Record<string, number>, details?: Record<string, unknown>, error?: string }>}
 */
function runWorker(scenario, variant, resultFile, env) {
  const args = [
    join(ROOT, 'benchmarks', 'workers', `${scenario.worker}.mjs`),
    '--variant',
    variant,
    '--result',
    resultFile,
  ];
  if (quick) args.push('--quick');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-8192);
    });
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${scenario.timeoutMs} ms)`;
      child.kill('SIGKILL');
    }, scenario.timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        resolve({
          error: `worker exited with ${signal ?? code}: ${stderr.trim().split('\n').slice(-12).join('\n')}`,
        });
        return;
      }
      try {
        resolve(JSON.parse(readFileSync(resultFile, 'utf8')));
      } catch (error) {
        resolve({ error: `worker wrote no readable result: ${error.message}` });
      }
    });
  });
}

async function main() {
  const rebuilt = buildIfStale();
  const scenarios = selectScenarios(await loadScenarios(), only);
  const out = outputs();
  const peerContext = await loadPeerContext();
  const parts = lookoutParts(peerContext);
  const variantsOf = (scenario) =>
    quick ? (scenario.quickVariants ?? scenario.variants) : scenario.variants;
  const roundsOf = (scenario) => roundsOverride ?? (quick ? scenario.rounds.quick : scenario.rounds.full);
  const total = scenarios
    .filter((scenario) => scenario.worker)
    .reduce((sum, scenario) => sum + variantsOf(scenario).length * roundsOf(scenario), 0);

  const base = {
    quick,
    command: describeCommand(),
    commit: describeCommit(),
    node: process.version,
    machine: describeMachine(),
    packages: describePackages(),
  };

  const infrastructure = await startInfrastructure();
  const work = mkdtempSync(join(tmpdir(), 'lookout-bench-runs-'));
  const progress = createProgress({ total });
  progress.note(
    `lookout benchmarks${quick ? ' (quick smoke mode)' : ''}: ${scenarios.map((scenario) => scenario.letter).join(', ')}; ${total} runs; Lookout parts: ${parts.join(', ')}${rebuilt ? '; rebuilt dist/' : ''}`,
  );

  const results = new Map();
  let failures = 0;
  try {
    for (const scenario of scenarios) {
      const variants = variantsOf(scenario);
      const rounds = roundsOf(scenario);
      const startedAt = new Date().toISOString();
      const loadAtStart = currentLoad();
      let runs;
      if (scenario.derivedFrom) {
        const source = results.get(scenario.derivedFrom);
        const keys = scenario.metrics.map((metric) => metric.key);
        runs = source.runs.map((run) => ({
          round: run.round,
          variant: run.variant,
          ...(run.error === undefined
            ? { metrics: Object.fromEntries(keys.map((key) => [key, run.metrics[key]])) }
            : { error: run.error }),
        }));
      } else {
        progress.note(
          `${scenario.letter}. ${scenario.title}: ${variants.length} variants × ${rounds} rounds`,
        );
        runs = [];
        let sequence = 0;
        for (let round = 1; round <= rounds; round++) {
          for (const variant of variants) {
            const label = `${scenario.letter}. ${scenario.id} · round ${round}/${rounds} · ${variant}`;
            progress.start(label);
            infrastructure.reset();
            const resultFile = join(work, `${scenario.id}-${++sequence}.json`);
            const began = performance.now();
            const outcome = await runWorker(scenario, variant, resultFile, {
              ...process.env,
              ...infrastructureEnv(infrastructure),
            });
            const run = {
              round,
              variant,
              elapsedMs: Math.round(performance.now() - began),
              ...outcome,
              sinks: infrastructure.stats(),
            };
            runs.push(run);
            const headline = scenario.metrics.find((metric) => metric.key === scenario.columns[0].metric);
            if (run.error === undefined) {
              progress.finish(label, `${headline.label} ${formatValue(run.metrics[headline.key], headline)}`);
            } else {
              failures++;
              progress.finish(label, `FAILED\n${run.error}`);
            }
          }
        }
      }
      const result = {
        scenario: scenario.id,
        letter: scenario.letter,
        title: scenario.title,
        ...base,
        startedAt,
        finishedAt: new Date().toISOString(),
        loadAverage: { start: loadAtStart, end: currentLoad() },
        derivedFrom: scenario.derivedFrom,
        baseline: scenario.baseline,
        rounds,
        variants: variants.map((name) => {
          const peer = getPeer(name);
          return {
            name,
            label: peer.label,
            description: peer.description,
            nodeArgs: peer.nodeArgs,
            env: peer.env?.(peerContext) ?? {},
            ...(peer.inProcess ? { inProcess: peer.inProcess } : {}),
            // The parts the two whole-Lookout server variants ran with.
            ...(name === 'lookout-full' || name === 'lookout-tracing'
              ? { lookoutParts: name === 'lookout-tracing' ? ['tracing'] : parts }
              : {}),
          };
        }),
        metrics: scenario.metrics,
        runs,
      };
      results.set(scenario.id, result);
      mkdirSync(out.results, { recursive: true });
      writeFileSync(join(out.results, `${scenario.id}.json`), `${JSON.stringify(result, null, 2)}\n`);

      const headline = scenario.metrics.find((metric) => metric.key === scenario.columns[0].metric);
      const width = Math.max(...variants.map((variant) => variant.length));
      const lines = variants.map((variant) => {
        const summary = summarizeVariant(runs, variant, scenario.baseline, headline.key);
        const spread = `(${formatRange(summary.value.min, summary.value.max, headline)})`;
        const versus = Number.isFinite(summary.ratio.median)
          ? `${summary.ratio.median.toFixed(2)}x ${scenario.baseline}, ${summary.delta.median >= 0 ? '+' : ''}${formatValue(summary.delta.median, headline)} (per-round median)`
          : '';
        return `  ${variant.padEnd(width)} ${formatValue(summary.value.median, headline).padStart(14)} ${spread.padEnd(22)} ${versus}`;
      });
      progress.note(
        `${scenario.letter}. ${scenario.title} — ${headline.label} (median):\n${lines.join('\n')}`,
      );
    }
  } finally {
    progress.stop();
    await infrastructure.close();
    rmSync(work, { recursive: true, force: true });
  }

  const written = await writeReport({
    resultsDir: out.results,
    reportFile: out.report,
    chartsDir: out.charts,
  });
  if (options['no-write'] && out.temporary) {
    // The report was generated (which is what a smoke run proves); nothing needs keeping.
    rmSync(out.temporary, { recursive: true, force: true });
    process.stderr.write(`report generated (${written.charts.length} charts) and discarded: --no-write\n`);
  } else {
    process.stderr.write(
      `results: ${out.results}\nreport:  ${written.reportFile} (${written.charts.length} charts)${out.temporary ? '\n(a temporary directory: --quick leaves the repository untouched)' : ''}\n`,
    );
  }
  if (failures > 0) {
    process.stderr.write(`${failures} run(s) failed; see the errors above and in the results.\n`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
