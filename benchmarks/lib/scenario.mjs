// What a scenario module declares, and how the harness finds them. Adding a scenario is one
// file in benchmarks/scenarios/ (plus its worker in benchmarks/workers/): see
// benchmarks/README.md.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './paths.mjs';
import { getPeer } from './peers.mjs';

/**
 * @typedef {object} Metric
 * @property {string} key           the name in the worker's `metrics` object
 * @property {string} label         column and chart heading
 * @property {string} [unit]        shown after values (`ms`, `MB`, `req/s`)
 * @property {number} [digits]      decimals shown
 * @property {number} [scale]       factor from raw value to shown value (bytes → MB: 1e-6)
 * @property {'lower' | 'higher'} better
 */

/**
 * @typedef {object} Column
 * @property {string} metric        a Metric key
 * @property {'value' | 'ratio' | 'delta'} show
 *   value: median (min–max) of the variant's samples;
 *   ratio: median (min–max) of per-round variant ÷ baseline;
 *   delta: median (min–max) of per-round variant − baseline
 * @property {string} [label]       heading; defaults from the metric
 */

/**
 * @typedef {object} Scenario
 * @property {string} id            file name without .mjs, and the results file name
 * @property {string} letter        the issue's scenario letter (orders the report)
 * @property {string} title
 * @property {string} summary       markdown paragraph: what is measured and how
 * @property {string} [worker]      benchmarks/workers/<worker>.mjs; absent when `derivedFrom` is set
 * @property {string} [derivedFrom] another scenario whose runs this one re-reads (no runs of its own)
 * @property {string[]} variants    peer names (benchmarks/lib/peers.mjs), in run order
 * @property {string[]} [quickVariants] the variants --quick runs (default: all)
 * @property {string} baseline      the variant ratios and deltas are taken against
 * @property {{ full: number, quick: number }} rounds  runs per variant
 * @property {number} timeoutMs     longest one worker run may take
 * @property {Metric[]} metrics
 * @property {Column[]} columns     the table, one row per variant
 * @property {string[]} chart       metric keys charted (one panel each)
 * @property {string[]} [notes]     markdown lines under the table
 */

/**
 * Checks a scenario's declaration, so a mistake fails at load time with its file named.
 * @param {Scenario} scenario
 * @returns {Scenario}
 */
export function defineScenario(scenario) {
  const problems = [];
  const keys = new Set(scenario.metrics.map((metric) => metric.key));
  if (!/^[a-z][a-z0-9-]*$/.test(scenario.id)) problems.push(`id "${scenario.id}" must be kebab-case`);
  if ((scenario.worker === undefined) === (scenario.derivedFrom === undefined))
    problems.push('exactly one of worker and derivedFrom must be set');
  for (const name of [...scenario.variants, ...(scenario.quickVariants ?? [])]) {
    try {
      getPeer(name);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (!scenario.variants.includes(scenario.baseline))
    problems.push(`baseline ${scenario.baseline} is not a variant`);
  for (const name of scenario.quickVariants ?? [])
    if (!scenario.variants.includes(name)) problems.push(`quick variant ${name} is not a variant`);
  for (const column of scenario.columns)
    if (!keys.has(column.metric)) problems.push(`column metric ${column.metric} is not declared`);
  for (const key of scenario.chart) if (!keys.has(key)) problems.push(`chart metric ${key} is not declared`);
  if (!(scenario.rounds.full >= 1 && scenario.rounds.quick >= 1)) problems.push('rounds must be at least 1');
  if (problems.length > 0) throw new Error(`scenario ${scenario.id}: ${problems.join('; ')}`);
  return scenario;
}

/** The scenario modules in benchmarks/scenarios/, ordered by letter then id. */
export async function loadScenarios(dir = join(ROOT, 'benchmarks', 'scenarios')) {
  const scenarios = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.mjs'))) {
    const module = await import(pathToFileURL(join(dir, file)).href);
    const scenario = module.default;
    if (scenario?.id !== file.replace(/\.mjs$/, ''))
      throw new Error(
        `benchmarks/scenarios/${file} must default-export a scenario whose id is its file name`,
      );
    scenarios.push(scenario);
  }
  return scenarios.sort((a, b) => a.letter.localeCompare(b.letter) || a.id.localeCompare(b.id));
}

/**
 * The scenarios a command line asks for: every one, or those named by id or letter in
 * `--only`, plus the scenarios they are derived from.
 * @param {readonly Scenario[]} all
 * @param {readonly string[]} only
 */
export function selectScenarios(all, only) {
  if (only.length === 0) return [...all];
  const wanted = new Set();
  for (const name of only) {
    const found = all.filter((scenario) => scenario.id === name || scenario.letter === name);
    if (found.length === 0)
      throw new Error(
        `no scenario "${name}"; known: ${all.map((scenario) => `${scenario.id} (${scenario.letter})`).join(', ')}`,
      );
    for (const scenario of found) {
      wanted.add(scenario.id);
      if (scenario.derivedFrom) wanted.add(scenario.derivedFrom);
    }
  }
  return all.filter((scenario) => wanted.has(scenario.id));
}
