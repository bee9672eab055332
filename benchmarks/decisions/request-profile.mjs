// Where the CPU time of one request goes: runs the steady-state bench app under one variant
// with `node --cpu-prof`, sends a fixed number of requests to one route, and prints the app's
// CPU time per request by owner (Lookout, OpenTelemetry, Express and its router, Node's own
// http, GC, …) and the functions that cost most. The breakdown in docs/benchmarks.md
// (scenario b) comes from it.
//
//   node benchmarks/decisions/request-profile.mjs --variant lookout-full [--route hello|orders]
//        [--requests 20000] [--top 25]
//
// Idle time is left out, and so is everything outside the measured requests (start-up, the
// 2,000 warm-up requests, exit); "per request" divides the samples' time by the responses.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { useInfrastructure } from '../lib/infrastructure.mjs';
import { runLoad } from '../lib/load.mjs';
import { STEADY_STATE_APP } from '../lib/paths.mjs';
import { describeLaunch, getFreePort, spawnApp } from '../lib/server-process.mjs';
import { steadyStateRoute, waitForSteadyStateApp } from '../lib/steady-state-routes.mjs';

const { values: options } = parseArgs({
  options: {
    variant: { type: 'string', default: 'lookout-full' },
    route: { type: 'string', default: 'hello' },
    requests: { type: 'string', default: '20000' },
    top: { type: 'string', default: '25' },
  },
});
const route = steadyStateRoute(options.route);

const profileDir = mkdtempSync(join(tmpdir(), 'lookout-profile-'));
console.log(`profile: ${profileDir}`);
const infrastructure = await useInfrastructure();
const port = await getFreePort();
const launch = await describeLaunch(options.variant, STEADY_STATE_APP.path, infrastructure, port);
// --cpu-prof writes its file on a normal exit: the app is made to exit on SIGINT.
launch.args.splice(
  launch.args.length - 1,
  0,
  '--require',
  './benchmarks/lib/exit-on-sigint.cjs',
  '--cpu-prof',
  `--cpu-prof-dir=${profileDir}`,
);
const app = spawnApp(launch);
const load = [loadavg().map((value) => value.toFixed(2))];
let responses;
// The measured requests' window. A CPU profile's sample times are microseconds of the
// system's monotonic clock, the one process.hrtime reads here: only the samples inside the
// window are counted, so start-up and the warm-up requests do not land on the measured ones.
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);
const measured = { from: 0, to: 0 };
try {
  await waitForSteadyStateApp(app, port, route);
  await runLoad(port, route, { connections: 20, amount: 2000 });
  measured.from = monotonicMicros();
  ({ requests: responses } = await runLoad(port, route, {
    connections: 20,
    amount: Number(options.requests),
  }));
  measured.to = monotonicMicros();
} finally {
  load.push(loadavg().map((value) => value.toFixed(2)));
  app.child.kill('SIGINT');
  await app.exited;
  await infrastructure.close();
}
const files = readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile'));
if (files.length !== 1)
  throw new Error(`expected one profile in ${profileDir}, found ${files.length}: ${app.stderr()}`);
const profile = JSON.parse(readFileSync(join(profileDir, files[0]), 'utf8'));

function ownerOf(callFrame) {
  const url = callFrame.url;
  if (url === '') return callFrame.functionName.startsWith('(') ? callFrame.functionName : '(native)';
  if (url.includes('/dist/')) return 'lookout';
  const modules = url.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    const name = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
    if (name.startsWith('@opentelemetry/')) return 'opentelemetry';
    if (name === 'express' || name === 'router') return 'express + router';
    return name;
  }
  // Node 20's AsyncLocalStorage propagates through async hooks (promise hooks included): the
  // price of any context store, paid per async resource a request creates.
  if (url.startsWith('node:internal/async_hooks') || url.startsWith('node:internal/async_local_storage'))
    return 'async context propagation (AsyncLocalStorage hooks)';
  if (url.startsWith('node:')) return 'node (http, streams, timers, …)';
  return 'app';
}

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const owners = new Map();
const functions = new Map();
let sampledAt = profile.startTime;
let leftOut = 0;
for (let index = 0; index < profile.samples.length; index++) {
  const time = profile.timeDeltas[index] ?? 0;
  sampledAt += time;
  const { callFrame } = nodes.get(profile.samples[index]);
  if (callFrame.functionName === '(idle)') continue;
  if (sampledAt < measured.from || sampledAt > measured.to) {
    leftOut += time;
    continue;
  }
  const owner = ownerOf(callFrame);
  owners.set(owner, (owners.get(owner) ?? 0) + time);
  const name = `${callFrame.functionName || '(anonymous)'} [${owner}]`;
  functions.set(name, (functions.get(name) ?? 0) + time);
}
const perRequest = (micros) => (micros / responses).toFixed(1).padStart(7);
const total = [...owners.values()].reduce((sum, value) => sum + value, 0);
console.log(
  `${options.variant}, ${route.method} ${route.path}: ${responses} responses, ${perRequest(total).trim()} µs of CPU per request (profiled)`,
);
console.log(`load average before ${load[0].join(' ')}, after ${load[1].join(' ')}`);
console.log(
  `left out: ${(leftOut / 1000).toFixed(0)} ms of CPU outside the measured requests (start-up, warm-up, exit)`,
);
console.log('\nby owner (µs per request)');
for (const [owner, micros] of [...owners].sort((a, b) => b[1] - a[1]))
  console.log(`${perRequest(micros)}  ${owner}`);
console.log(`\ntop ${options.top} functions (self time, µs per request)`);
for (const [name, micros] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, Number(options.top)))
  console.log(`${perRequest(micros)}  ${name}`);
