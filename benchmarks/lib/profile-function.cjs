// For profiling a Lambda variant by hand (benchmarks/lib/lambda-function.mjs): a preload that
// starts a CPU profile through the inspector and, on SIGUSR2, writes it to
// $BENCH_PROFILE_DIR/function.cpuprofile and exits (--cpu-prof is refused in NODE_OPTIONS, and
// the benchmark otherwise ends functions with SIGKILL). BENCH_PROFILE_INTERVAL_US sets the sampling
// interval (V8's default: 1,000 µs), for a timeline of one invocation.
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const session = new Session();
session.connect();
const interval = Number(process.env.BENCH_PROFILE_INTERVAL_US);
session.post('Profiler.enable', () => {
  if (interval > 0) session.post('Profiler.setSamplingInterval', { interval });
  session.post('Profiler.start');
});
process.on('SIGUSR2', () => {
  session.post('Profiler.stop', (error, result) => {
    if (!error)
      writeFileSync(
        join(process.env.BENCH_PROFILE_DIR ?? '.', 'function.cpuprofile'),
        JSON.stringify(result.profile),
      );
    process.exit(0);
  });
});
