// Counts the instructions an app process spends serving requests, with valgrind's cachegrind.
// The app runs under valgrind; the client runs here, in another process, so that its own
// requests (and the CLIENT spans an instrumented client would make) are not counted. One run
// of the app serves `warmup` requests and exits, another `warmup + requests`; the difference
// divided by `requests` is the cost of one request, start-up, warm-up and exit cancelling out.
// Each run ends with SIGTERM, which every telemetry variant handles by exporting what it still
// holds, so the exports of every request are counted too when an exporter is on.
//
// Instruction counts hold still when other work shares the machine, unlike time; JIT and GC
// timing still move them by a few per cent between runs.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { waitForFirst200 } from '../../lib/server-process.mjs';

/**
 * @typedef {object} RequestShape
 * @property {string} method
 * @property {string} path
 * @property {number} expected
 * @property {string} [body]
 * @property {Record<string, string>} [headers]
 */

function send(agent, port, route) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: route.method,
        path: route.path,
        agent,
        headers: route.headers ?? {},
      },
      (response) => {
        response.resume();
        response.on('end', () => {
          if (response.statusCode === route.expected) resolve();
          else reject(new Error(`${route.method} ${route.path} answered ${response.statusCode}`));
        });
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(route.body);
  });
}

/**
 * Runs the app once under valgrind, sends `count` requests over one keep-alive connection,
 * one at a time, then stops it with SIGTERM and returns the instructions valgrind counted.
 * @param {{ args: string[], env: NodeJS.ProcessEnv, cwd: string, port: number, route: RequestShape, count: number, ready: RequestShape }} run
 */
async function instructionsFor({ args, env, cwd, port, route, count, ready }) {
  const child = spawn(
    'valgrind',
    ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', process.execPath, ...args],
    { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    // The readiness probe is one request on its own connection, in every run alike.
    await waitForFirst200({
      port,
      method: ready.method,
      path: ready.path,
      body: ready.body,
      deadlineMs: 600_000,
      exited,
      stderr: () => stderr.slice(-4000),
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let index = 0; index < count; index++) await send(agent, port, route);
    agent.destroy();
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  const total = /I\s+refs:\s+([\d,]+)/.exec(stderr)?.[1];
  if (total === undefined) throw new Error(`valgrind gave no instruction count:\n${stderr.slice(-3000)}`);
  return Number(total.replaceAll(',', ''));
}

/**
 * Thousands of instructions one request costs the app, once it is warm: `warmup` requests
 * let V8 optimise the request path first (compiling is a one-off that a short run would
 * count as per-request cost), then `requests` more are counted. The two runs go side by side.
 * `beforeRuns` is called before they start, `afterRuns` with the requests both runs sent once
 * both apps have exited (to check what reached a sink, for instance).
 * @param {{ args: string[], env: NodeJS.ProcessEnv, cwd: string, getPort: () => Promise<number>, route: RequestShape, ready?: RequestShape, warmup?: number, requests?: number, beforeRuns?: () => void, afterRuns?: (requests: number) => void }} options
 */
export async function countRequestInstructions({
  args,
  env,
  cwd,
  getPort,
  route,
  ready = route,
  warmup = 3000,
  requests = 2000,
  beforeRuns = () => {},
  afterRuns = () => {},
}) {
  const run = async (count) => {
    const port = await getPort();
    return instructionsFor({ args, env: { ...env, PORT: String(port) }, cwd, port, route, count, ready });
  };
  beforeRuns();
  const [few, many] = await Promise.all([run(warmup), run(warmup + requests)]);
  afterRuns(2 * warmup + requests);
  return (many - few) / requests / 1000;
}
