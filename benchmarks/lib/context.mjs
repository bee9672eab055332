// What a results file records about where and how it was measured.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { ROOT } from './paths.mjs';
import { installedVersion, PEERS } from './peers.mjs';

/** @param {string[]} args */
function git(args) {
  try {
    return execFileSync('git', args, {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return '';
  }
}

/** The commit measured, with `-dirty` when the working tree had changes outside results and docs. */
export function describeCommit() {
  const commit = git(['rev-parse', '--short=12', 'HEAD']) || 'unknown';
  const changed = git([
    'status',
    '--porcelain',
    '--',
    '.',
    ':!benchmarks/results',
    ':!docs/benchmarks.md',
    ':!docs/benchmarks',
  ]);
  return changed === '' ? commit : `${commit}-dirty`;
}

/** CPU model and count, memory, kernel. */
export function describeMachine() {
  const processors = cpus();
  return {
    cpu: processors[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown',
    cores: processors.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${process.platform} ${release()} ${process.arch}`,
  };
}

export function currentLoad() {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}

/** Versions of every package a peer or the harness uses. */
export function describePackages(extra = ['autocannon']) {
  const names = new Set(PEERS.flatMap((peer) => peer.packages));
  for (const name of extra) names.add(name);
  return Object.fromEntries([...names].sort().map((name) => [name, installedVersion(name)]));
}

/** The command line that reproduces this run. */
export function describeCommand(argv = process.argv.slice(2), env = process.env) {
  const args = argv.join(' ');
  if (env.npm_lifecycle_event === 'bench') return args ? `npm run bench -- ${args}` : 'npm run bench';
  return `node benchmarks/run.mjs${args ? ` ${args}` : ''}`;
}
