// What one wrapped Lambda invocation costs in-process, split where the response goes back:
// the work before it (what the caller waits for) and the delivery after it. The handler is the
// benchmark's (benchmarks/apps/lambda/wrapped.mjs: one log line, one metric); the invocations
// are driven here, in one process, the way the runtime interface client drives them, with a
// stand-in for Lookout's internal extension that records each hand-over, so both halves can be
// timed apart and profiled (`node --cpu-prof …`). Spans go to an X-Ray daemon sink (UDP) or,
// with `--otlp`, to an OTLP sink on loopback. stdout (log lines, EMF) goes to /dev/null.
//
//   npm run build && node benchmarks/decisions/lambda-invocation-cost.mjs [--otlp] [--count 5000] [--split] > /dev/null
//
// Prints (stderr) the median and mean microseconds of each half, over `--count` invocations
// after `--warmup` (500) of warm-up, and the process's CPU time per measured invocation (every
// thread: the garbage collector's and the JIT compiler's helpers included), with the main
// thread's share (/proc, 10 ms ticks). V8 keeps compiling
// the path for a few thousand invocations: for the steady state, `--warmup 6000`
// (docs/decisions/0058-lambda-extension-off-the-invocation-path.md). `--handler bare` drives the same handler without Lookout
// (benchmarks/apps/lambda/bare.mjs), the floor the instruction counts are taken against
// (benchmarks/decisions/lambda-invocation-instructions.mjs).
// `--split` also times wrap()'s own part before the handler's body and from the body's return
// to the response (the same body as benchmarks/apps/lambda/wrapped.mjs, wrapped here).
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { HTTP_EVENT } from '../lib/lambda-function.mjs';
import { readStatCpuMs } from '../lib/server-process.mjs';
import { startOtlpSink } from '../sinks/otlp-sink.mjs';
import { startXRayUdpSink } from '../sinks/xray-udp-sink.mjs';

const { values } = parseArgs({
  options: {
    otlp: { type: 'boolean' },
    count: { type: 'string' },
    warmup: { type: 'string' },
    handler: { type: 'string' },
    // Also time the handler's own work apart: wrap()'s part before it and after it.
    split: { type: 'boolean' },
    // Used by lambda-invocation-allocation.mjs, which imports this driver and reads its profile.
    'no-exit': { type: 'boolean' },
  },
});
// Set by lambda-invocation-allocation.mjs: profile the measured invocations only.
const hooks = globalThis.__lookoutBenchHooks;
const count = Number(values.count ?? 5000);
const warmup = Number(values.warmup ?? 500);
const app = values.handler ?? 'wrapped';
const xray = await startXRayUdpSink();
const otlp = await startOtlpSink();

Object.assign(process.env, {
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
  AWS_REGION: 'eu-west-1',
  LAMBDA_TASK_ROOT: new URL('../apps/lambda/', import.meta.url).pathname,
  AWS_XRAY_DAEMON_ADDRESS: xray.address,
  OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
  LOOKOUT_TRACES_EXPORTER: values.otlp ? 'otlp' : 'xray',
});

// The extension's part, reduced to what the invocation asks of it: take the hand-over.
let handedOver;
globalThis[Symbol.for('lookout.lambda.internal-extension')] = {
  registration: Promise.resolve(true),
  accepted: Promise.resolve(true),
  state: () => 'active',
  offReason: () => undefined,
  arm: () => {},
  handOver: (_requestId, deliver) => {
    handedOver = deliver;
  },
  release: () => {},
};

const handlerModule = await import(`../apps/lambda/${app}.mjs`);
// With --split, the same handler body wrapped here, noting when it starts and returns.
let bodyStarted = 0;
let bodyReturned = 0;
const handler =
  values.split && app === 'wrapped'
    ? (await import('lookout/lambda')).wrap(async (event) => {
        bodyStarted = performance.now();
        const result = handlerModule.handleOrder(event);
        bodyReturned = performance.now();
        return result;
      })
    : handlerModule.handler;
if (values.split && app !== 'wrapped') throw new Error('--split times the wrapped handler only');
const event = HTTP_EVENT;

/**
 * The main thread's CPU milliseconds (user + system, 10 ms ticks, /proc), to tell its share of
 * the process's CPU from V8's helper threads' (garbage collection, compilation).
 */
function mainThreadCpuMs() {
  return readStatCpuMs(`/proc/self/task/${process.pid}/stat`);
}

const before = [];
const after = [];
const wrapBefore = [];
const wrapAfter = [];
let cpuAtWarmup = process.cpuUsage();
let mainCpuAtWarmup = mainThreadCpuMs();
for (let index = 0; index < count + warmup; index++) {
  if (index === warmup) {
    await hooks?.start();
    cpuAtWarmup = process.cpuUsage();
    mainCpuAtWarmup = mainThreadCpuMs();
  }
  const root = `1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
  process.env._X_AMZN_TRACE_ID = `Root=${root};Parent=${randomBytes(8).toString('hex')};Sampled=1`;
  const deadline = Date.now() + 30_000;
  const context = {
    awsRequestId: `bench-${index}`,
    functionName: 'bench',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:bench',
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
  const started = performance.now();
  await handler(event, context);
  const answered = performance.now();
  await handedOver?.();
  handedOver = undefined;
  const delivered = performance.now();
  if (index >= warmup) {
    before.push((answered - started) * 1000);
    after.push((delivered - answered) * 1000);
    if (values.split) {
      wrapBefore.push((bodyStarted - started) * 1000);
      wrapAfter.push((answered - bodyReturned) * 1000);
    }
  }
}
const cpu = process.cpuUsage(cpuAtWarmup);
const mainCpuPerInvocation = ((mainThreadCpuMs() - mainCpuAtWarmup) * 1000) / count;
await hooks?.stop();
const cpuPerInvocation = (cpu.user + cpu.system) / count;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
process.stderr.write(
  `${app} ${values.otlp ? 'otlp' : 'xray'}: before the response median ${median(before).toFixed(1)} µs (mean ${mean(before).toFixed(1)}), delivery median ${median(after).toFixed(1)} µs (mean ${mean(after).toFixed(1)}), CPU ${cpuPerInvocation.toFixed(1)} µs per invocation (the main thread ${mainCpuPerInvocation.toFixed(0)}, V8's helper threads the rest), ${count} invocations\n`,
);
if (values.split)
  process.stderr.write(
    `  of which wrap() before the handler's body median ${median(wrapBefore).toFixed(1)} µs, from the body's return to the response median ${median(wrapAfter).toFixed(1)} µs\n`,
  );
await xray.close();
await otlp.close();
if (!values['no-exit']) process.exit(0);
