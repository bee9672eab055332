#!/usr/bin/env node
// `npm test`: every stage runs, whatever failed before it, so one run reports every failure.
// Stages: prerequisites, lint, types, build, env-doc, unit, integration, package, cdk, bench-smoke.
// The last line is the summary: "N passed, N failed, N skipped" over the tests of the vitest
// stages plus one check for each other stage.
//
//   node scripts/run-tests.mjs                  every stage
//   node scripts/run-tests.mjs unit integration the named stages only, in the order above
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTestPrerequisites } from './lib/test-prerequisites.mjs';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const NPX = 'npx';

/**
 * @typedef {{ passed: number, failed: number, skipped: number, detail: string, failures?: string[] }} StageResult
 * @typedef {{ name: string, run: () => StageResult }} Stage
 */

/**
 * One command as one check.
 *
 * @param {string} command
 * @param {readonly string[]} args
 * @returns {StageResult}
 */
function command(command, args) {
  console.log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: REPO_ROOT });
  const ok = result.status === 0;
  const why =
    result.error?.message ?? (result.signal ? `signal ${result.signal}` : `exit code ${result.status}`);
  return { passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0, detail: ok ? 'ok' : why };
}

/**
 * A vitest project, counted test by test from its JSON report.
 *
 * @param {string} project
 * @returns {StageResult}
 */
function vitest(project) {
  const directory = mkdtempSync(join(tmpdir(), 'lookout-test-'));
  const report = join(directory, 'report.json');
  try {
    const args = ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json'];
    console.log(`$ ${NPX} ${args.join(' ')}`);
    const result = spawnSync(NPX, [...args, `--outputFile.json=${report}`], {
      stdio: 'inherit',
      cwd: REPO_ROOT,
    });
    /** @type {VitestReport} */
    let counts;
    try {
      counts = JSON.parse(readFileSync(report, 'utf8'));
    } catch {
      return {
        passed: 0,
        failed: 1,
        skipped: 0,
        detail: `vitest wrote no report (exit code ${result.status})`,
      };
    }
    const skipped = counts.numPendingTests + counts.numTodoTests;
    // A file that fails to load (or a failing hook) fails the run without failing a counted test.
    const suiteFailures = counts.numFailedTests === 0 && result.status !== 0 ? 1 : 0;
    const failed = counts.numFailedTests + suiteFailures;
    // Per file: a file can fail (an import error, a failing hook) with no test failed in it.
    const failedFiles = counts.testResults.filter((file) => file.status === 'failed').length;
    const detail = `${counts.numPassedTests} passed, ${counts.numFailedTests} failed, ${skipped} skipped${
      failedFiles > 0 ? `, ${failedFiles} file(s) failed` : ''
    }`;
    return { passed: counts.numPassedTests, failed, skipped, detail, failures: describeFailures(counts) };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * @typedef {{ title: string, fullName: string, status: string, failureMessages: string[] }} VitestAssertion
 * @typedef {{ name: string, status: string, message?: string, assertionResults: VitestAssertion[] }} VitestFile
 * @typedef {{ numPassedTests: number, numFailedTests: number, numPendingTests: number, numTodoTests: number, testResults: VitestFile[] }} VitestReport
 */

/**
 * One line per failed test or failed file, repeated in the summary: CI often keeps only the tail
 * of a log, and the tail must say what failed, not only how many.
 *
 * @param {VitestReport} report
 * @returns {string[]}
 */
function describeFailures(report) {
  /** @type {string[]} */
  const lines = [];
  for (const file of report.testResults) {
    const where = file.name.startsWith(REPO_ROOT) ? file.name.slice(REPO_ROOT.length) : file.name;
    const failedTests = file.assertionResults.filter((test) => test.status === 'failed');
    for (const test of failedTests)
      lines.push(`${where} > ${test.fullName}: ${firstLine(test.failureMessages[0])}`);
    if (file.status === 'failed' && failedTests.length === 0)
      lines.push(`${where}: ${firstLine(file.message)}`);
  }
  return lines;
}

/**
 * @param {string | undefined} text
 * @returns {string}
 */
function firstLine(text) {
  const line = (text ?? 'no message').trim().split('\n', 1)[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** @returns {StageResult} */
function prerequisites() {
  const results = ensureTestPrerequisites();
  for (const result of results)
    console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${result.name}: ${result.detail}`);
  const failed = results.filter((result) => !result.ok);
  return {
    passed: results.length - failed.length,
    failed: failed.length,
    skipped: 0,
    detail:
      failed.length === 0 ? 'ok' : failed.map((result) => `${result.name}: ${result.detail}`).join('; '),
  };
}

/** @type {readonly Stage[]} */
const STAGES = [
  { name: 'prerequisites', run: prerequisites },
  { name: 'lint', run: () => command('npm', ['run', '--silent', 'lint']) },
  { name: 'types', run: () => command('npm', ['run', '--silent', 'typecheck']) },
  { name: 'build', run: () => command('npm', ['run', '--silent', 'build']) },
  { name: 'env-doc', run: () => command('npm', ['run', '--silent', 'docs:env', '--', '--check']) },
  { name: 'unit', run: () => vitest('unit') },
  { name: 'integration', run: () => vitest('integration') },
  { name: 'package', run: () => vitest('package') },
  { name: 'cdk', run: () => vitest('cdk') },
  { name: 'bench-smoke', run: () => command('npm', ['run', '--silent', 'test:bench']) },
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !STAGES.some((stage) => stage.name === name));
if (unknown.length > 0) {
  console.error(
    `run-tests: unknown stage ${unknown.join(', ')}; stages: ${STAGES.map((s) => s.name).join(', ')}`,
  );
  process.exit(2);
}
const selected = wanted.length === 0 ? STAGES : STAGES.filter((stage) => wanted.includes(stage.name));

/** @type {Array<StageResult & { name: string, seconds: number }>} */
const results = [];
for (const stage of selected) {
  console.log(`\n=== ${stage.name} ===`);
  const started = performance.now();
  let result;
  try {
    result = stage.run();
  } catch (error) {
    result = { passed: 0, failed: 1, skipped: 0, detail: /** @type {Error} */ (error).message };
  }
  results.push({ ...result, name: stage.name, seconds: (performance.now() - started) / 1000 });
}

const total = { passed: 0, failed: 0, skipped: 0 };
console.log('\n=== summary ===');
for (const result of results) {
  total.passed += result.passed;
  total.failed += result.failed;
  total.skipped += result.skipped;
  const status = result.failed > 0 ? 'FAIL' : 'ok  ';
  console.log(
    `${status} ${result.name.padEnd(14)} ${result.seconds.toFixed(1).padStart(6)} s  ${result.detail}`,
  );
  for (const failure of result.failures ?? []) console.log(`       ✗ ${failure}`);
}
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exitCode = total.failed > 0 ? 1 : 0;
