// Scenario c, one sample: start a Lambda function under one variant and time its init phase.
//
//   node benchmarks/workers/lambda-init.mjs --variant <name> --result <file> [--quick]
//
// Metrics (milliseconds):
//   initMs             bootstrap spawned -> the runtime's first GET /next: what Lambda reports as
//                      Init Duration (runtime start, preloads, loading the handler module).
//   firstInvocationMs  the first invocation, delivered -> answered (the cold invocation, where
//                      lazily loaded code and the first export run).
import { useInfrastructure } from '../lib/infrastructure.mjs';
import { HTTP_EVENT, newTraceHeader, startLambdaFunction } from '../lib/lambda-function.mjs';
import { parseWorkerArgs, runWorker, writeResult } from '../lib/worker.mjs';
import { startLambdaRuntimeApi } from '../sinks/lambda-runtime-api.mjs';

runWorker(async () => {
  const { variant, result } = parseWorkerArgs();
  const infrastructure = await useInfrastructure();
  const api = await startLambdaRuntimeApi();
  const fn = await startLambdaFunction(variant, infrastructure, api);
  try {
    const initDoneAt = await Promise.race([
      api.firstNext,
      fn.exited.then(() => {
        throw new Error(`the function exited during init:\n${fn.stderr()}`);
      }),
    ]);
    const first = await api.invoke(HTTP_EVENT, { traceHeader: newTraceHeader() });
    if (first.status !== 'response')
      throw new Error(`the first invocation failed: ${first.body}\n${fn.stderr()}`);
    writeResult(result, {
      metrics: { initMs: initDoneAt - fn.spawnedAt, firstInvocationMs: first.durationMs },
      details: { launch: fn.env, stderr: fn.stderr() },
    });
  } finally {
    await fn.stop();
    await api.close();
    await infrastructure.close();
  }
});
