// Scenario d, one sample: per-invocation time of a warm Lambda function under one variant.
//
//   node benchmarks/workers/lambda-overhead.mjs --variant <name> --result <file> [--quick]
//
// After the cold invocation and a warm-up, invocations run one after another (as Lambda sends
// them to one execution environment). Two windows of that one sequence are measured:
//   the fresh window, invocations 201-1,200: an environment that has served a few hundred
//     invocations, V8 still compiling the path (docs/decisions/0058-lambda-extension-off-the-invocation-path.md);
//   the warm window, 1,000 invocations after the function has served WARM_FROM: the steady
//     state, where the per-invocation cost has stopped falling (WARM_FROM chosen by measuring
//     CPU per block of 1,000 invocations, `cpuUsPerBlock` in the details).
// Metrics (microseconds, per invocation), each in both windows (warm ones prefixed `warm`):
//   callerUs  median of delivery by GET /next -> the response POST: what the caller waits for;
//   p90Us     its 90th percentile;
//   billedUs  median of delivery -> the runtime and every extension back on /next (Lambda's
//             freeze): what Lambda bills, telemetry delivered after the response included;
//   cpuUs     CPU time of the function's process and of any external extension's (user +
//             system, /proc) over the window's invocations, divided by their number: all the
//             work, before or after the response.

import { useInfrastructure } from '../lib/infrastructure.mjs';
import { HTTP_EVENT, newTraceHeader, startLambdaFunction } from '../lib/lambda-function.mjs';
import { readCpuMs } from '../lib/server-process.mjs';
import { percentile } from '../lib/stats.mjs';
import { parseWorkerArgs, runWorker, writeResult } from '../lib/worker.mjs';
import { startLambdaRuntimeApi } from '../sinks/lambda-runtime-api.mjs';

/** CPU milliseconds of the function's process and its external extensions' processes. */
const cpuOf = (fn) => fn.pids().reduce((sum, pid) => sum + readCpuMs(pid), 0);

// Invocations are counted from 1 (the cold one). The fresh window is today's and stays as it
// is, so its figures and the goals that read it remain comparable with earlier results. The
// warm window starts after `warmFrom` invocations served (the scenario's note, the README and
// the warm goals in lib/goals.mjs name the figure); quick mode only checks that it runs.
const COUNTS = {
  full: { warmup: 200, measured: 1000, warmFrom: 8000, blockSize: 1000 },
  quick: { warmup: 5, measured: 20, warmFrom: 100, blockSize: 20 },
};

/**
 * Collects one window's timings and the CPU spent over it.
 * @param {number} first the window's first invocation (counted from 1)
 * @param {number} count how many invocations it holds
 */
function newWindow(first, count) {
  /** @type {number[]} */
  const caller = [];
  /** @type {number[]} */
  const billed = [];
  return { first, last: first + count - 1, count, caller, billed, cpuBefore: 0, cpuUs: 0 };
}

/** @param {ReturnType<typeof newWindow>} measured */
const metricsOf = (measured) => ({
  callerUs: percentile(measured.caller, 50),
  p90Us: percentile(measured.caller, 90),
  billedUs: percentile(measured.billed, 50),
  cpuUs: measured.cpuUs,
});

runWorker(async () => {
  const { variant, result, quick } = parseWorkerArgs();
  const counts = quick ? COUNTS.quick : COUNTS.full;
  const infrastructure = await useInfrastructure();
  const api = await startLambdaRuntimeApi();
  const fn = await startLambdaFunction(variant, infrastructure, api);
  try {
    await Promise.race([
      api.firstNext,
      fn.exited.then(() => {
        throw new Error(`the function exited during init:\n${fn.stderr()}`);
      }),
    ]);
    const fresh = newWindow(2 + counts.warmup, counts.measured);
    const warm = newWindow(counts.warmFrom + 1, counts.measured);
    const windows = [fresh, warm];
    // CPU per invocation in consecutive blocks from the first warm invocation on: where it
    // stops falling is where the warm window may start.
    /** @type {{ first: number, last: number, cpuUs: number }[]} */
    const cpuUsPerBlock = [];
    let blockStart = { invocation: 2, cpuMs: 0 };
    for (let invocation = 1; invocation <= warm.last; invocation++) {
      if (invocation === 2) blockStart = { invocation, cpuMs: cpuOf(fn) };
      for (const measured of windows) if (invocation === measured.first) measured.cpuBefore = cpuOf(fn);
      const outcome = await api.invoke(HTTP_EVENT, { traceHeader: newTraceHeader() });
      if (outcome.status !== 'response')
        throw new Error(`invocation ${invocation} failed: ${outcome.body}\n${fn.stderr()}`);
      for (const measured of windows) {
        if (invocation < measured.first || invocation > measured.last) continue;
        measured.caller.push(outcome.durationMs * 1000);
        measured.billed.push(outcome.billedMs * 1000);
        if (invocation === measured.last)
          measured.cpuUs = ((cpuOf(fn) - measured.cpuBefore) * 1000) / measured.count;
      }
      if (invocation > 1 && (invocation - 1) % counts.blockSize === 0) {
        const cpuMs = cpuOf(fn);
        cpuUsPerBlock.push({
          first: blockStart.invocation,
          last: invocation,
          cpuUs: ((cpuMs - blockStart.cpuMs) * 1000) / (invocation - blockStart.invocation + 1),
        });
        blockStart = { invocation: invocation + 1, cpuMs };
      }
    }
    const warmMetrics = metricsOf(warm);
    writeResult(result, {
      metrics: {
        ...metricsOf(fresh),
        warmCallerUs: warmMetrics.callerUs,
        warmP90Us: warmMetrics.p90Us,
        warmBilledUs: warmMetrics.billedUs,
        warmCpuUs: warmMetrics.cpuUs,
      },
      details: {
        launch: fn.env,
        extensions: api.extensions(),
        invocations: fresh.caller.length,
        warmup: counts.warmup,
        windows: {
          fresh: { first: fresh.first, last: fresh.last },
          warm: { first: warm.first, last: warm.last },
        },
        cpuUsPerBlock,
        stderr: fn.stderr(),
      },
    });
  } finally {
    await fn.stop();
    await api.close();
    await infrastructure.close();
  }
});
