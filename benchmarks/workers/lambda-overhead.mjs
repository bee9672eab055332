// Scenario d, one sample: per-invocation time of a warm Lambda function under one variant.
//
//   node benchmarks/workers/lambda-overhead.mjs --variant <name> --result <file> [--quick]
//
// After the cold invocation and a warm-up, invocations run one after another (as Lambda sends
// them to one execution environment). Metrics (microseconds, per invocation):
//   callerUs  median of delivery by GET /next -> the response POST: what the caller waits for;
//   p90Us     its 90th percentile;
//   billedUs  median of delivery -> the runtime and every extension back on /next (Lambda's
//             freeze): what Lambda bills, telemetry delivered after the response included;
//   cpuUs     CPU time of the function's process and of any external extension's (user +
//             system, /proc) over the measured invocations, divided by their number: all the
//             work, before or after the response.

import { useInfrastructure } from '../lib/infrastructure.mjs';
import { HTTP_EVENT, newTraceHeader, startLambdaFunction } from '../lib/lambda-function.mjs';
import { readCpuMs } from '../lib/server-process.mjs';
import { percentile } from '../lib/stats.mjs';
import { parseWorkerArgs, runWorker, writeResult } from '../lib/worker.mjs';
import { startLambdaRuntimeApi } from '../sinks/lambda-runtime-api.mjs';

/** CPU milliseconds of the function's process and its external extensions' processes. */
const cpuOf = (fn) => fn.pids().reduce((sum, pid) => sum + readCpuMs(pid), 0);

const COUNTS = { full: { warmup: 200, measured: 1000 }, quick: { warmup: 5, measured: 20 } };

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
    const caller = [];
    const billed = [];
    let cpuBefore = 0;
    for (let index = 0; index < 1 + counts.warmup + counts.measured; index++) {
      if (index === 1 + counts.warmup) cpuBefore = cpuOf(fn);
      const outcome = await api.invoke(HTTP_EVENT, { traceHeader: newTraceHeader() });
      if (outcome.status !== 'response')
        throw new Error(`invocation ${index} failed: ${outcome.body}\n${fn.stderr()}`);
      if (index > counts.warmup) {
        caller.push(outcome.durationMs * 1000);
        billed.push(outcome.billedMs * 1000);
      }
    }
    const cpuUs = ((cpuOf(fn) - cpuBefore) * 1000) / counts.measured;
    writeResult(result, {
      metrics: {
        callerUs: percentile(caller, 50),
        p90Us: percentile(caller, 90),
        billedUs: percentile(billed, 50),
        cpuUs,
      },
      details: {
        launch: fn.env,
        extensions: api.extensions(),
        invocations: caller.length,
        warmup: counts.warmup,
        stderr: fn.stderr(),
      },
    });
  } finally {
    await fn.stop();
    await api.close();
    await infrastructure.close();
  }
});
