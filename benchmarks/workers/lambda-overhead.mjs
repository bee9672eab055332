// Scenario d, one sample: per-invocation time of a warm Lambda function under one variant.
//
//   node benchmarks/workers/lambda-overhead.mjs --variant <name> --result <file> [--quick]
//
// After the cold invocation and a warm-up, invocations run one after another (as Lambda sends
// them to one execution environment); each is timed from delivery by GET /next to the response
// POST, in this process. Metrics (microseconds): perInvocationUs, the median; p90Us.

import { useInfrastructure } from '../lib/infrastructure.mjs';
import { HTTP_EVENT, newTraceHeader, startLambdaFunction } from '../lib/lambda-function.mjs';
import { percentile } from '../lib/stats.mjs';
import { parseWorkerArgs, runWorker, writeResult } from '../lib/worker.mjs';
import { startLambdaRuntimeApi } from '../sinks/lambda-runtime-api.mjs';

const COUNTS = { full: { warmup: 200, measured: 1000 }, quick: { warmup: 5, measured: 20 } };

runWorker(async () => {
  const { variant, result, quick } = parseWorkerArgs();
  const counts = quick ? COUNTS.quick : COUNTS.full;
  const infrastructure = await useInfrastructure();
  const api = await startLambdaRuntimeApi();
  const fn = await startLambdaFunction(variant, infrastructure, api.address);
  try {
    await Promise.race([
      api.firstNext,
      fn.exited.then(() => {
        throw new Error(`the function exited during init:\n${fn.stderr()}`);
      }),
    ]);
    const durations = [];
    for (let index = 0; index < 1 + counts.warmup + counts.measured; index++) {
      const outcome = await api.invoke(HTTP_EVENT, { traceHeader: newTraceHeader() });
      if (outcome.status !== 'response')
        throw new Error(`invocation ${index} failed: ${outcome.body}\n${fn.stderr()}`);
      if (index > counts.warmup) durations.push(outcome.durationMs * 1000);
    }
    writeResult(result, {
      metrics: { perInvocationUs: percentile(durations, 50), p90Us: percentile(durations, 90) },
      details: { launch: fn.env, invocations: durations.length, warmup: counts.warmup, stderr: fn.stderr() },
    });
  } finally {
    await fn.stop();
    await api.close();
    await infrastructure.close();
  }
});
