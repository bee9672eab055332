// Scenario b: throughput and latency under load, hello route and realistic route.
import { STEADY_STATE_APP } from '../lib/paths.mjs';
import { defineScenario } from '../lib/scenario.mjs';

/** Load settings, read by the worker too. */
export const LOAD = {
  connections: 20,
  full: { warmupSeconds: 2, measureSeconds: 5 },
  // --quick only proves the scenario runs: a fixed number of requests per route rather than a
  // duration, so a loaded machine still completes some (a duration could end with none).
  // autocannon checks for the end of a run once per sample interval, hence 100 ms.
  quick: { warmupSeconds: 0, measureRequests: 60, sampleIntervalMs: 100 },
};

export default defineScenario({
  id: 'server-steady-state',
  letter: 'b',
  title: 'Server steady state',
  summary: `autocannon (in the worker process) against \`${STEADY_STATE_APP.path}\` (in its own process) with ${LOAD.connections} connections: for each route a ${LOAD.full.warmupSeconds} s warm-up that is dropped, then ${LOAD.full.measureSeconds} s measured. **hello** is \`GET /hello/:name\`; **realistic** is \`POST /orders\`: a ~300-byte JSON body parsed and validated, one \`fetch\` to a loopback inventory stub, one JSON log line, a 201 with JSON. Throughput counts 2xx responses per second; CPU per request is the app process's user + system CPU time (from /proc) over the measured run divided by the responses, the steadier figure on a shared machine; p50 and p99 are taken over every response's own latency. Any error or non-2xx fails the run. The inventory stub and the telemetry sinks run in the harness process, so a variant's exports cost CPU on the same 2 cores, as a collector sidecar would.`,
  worker: 'server-steady-state',
  variants: [
    'bare',
    'lookout-full',
    'lookout-tracing',
    'otel-auto',
    'otel-powertools',
    'dd-trace',
    'adot',
    'powertools',
    'pino-http',
  ],
  baseline: 'bare',
  rounds: { full: 3, quick: 1 },
  timeoutMs: 180_000,
  metrics: [
    { key: 'helloRps', label: 'hello throughput', unit: 'req/s', better: 'higher' },
    { key: 'helloCpuUs', label: 'hello CPU per request', unit: 'µs', better: 'lower' },
    { key: 'helloP50Ms', label: 'hello p50', unit: 'ms', digits: 1, better: 'lower' },
    { key: 'helloP99Ms', label: 'hello p99', unit: 'ms', digits: 1, better: 'lower' },
    { key: 'ordersRps', label: 'realistic throughput', unit: 'req/s', better: 'higher' },
    { key: 'ordersCpuUs', label: 'realistic CPU per request', unit: 'µs', better: 'lower' },
    { key: 'ordersP50Ms', label: 'realistic p50', unit: 'ms', digits: 1, better: 'lower' },
    { key: 'ordersP99Ms', label: 'realistic p99', unit: 'ms', digits: 1, better: 'lower' },
    { key: 'rssIdleMB', label: 'RSS before load', unit: 'MB', digits: 1, better: 'lower' },
    { key: 'rssAfterMB', label: 'RSS after load', unit: 'MB', digits: 1, better: 'lower' },
  ],
  columns: [
    { metric: 'helloRps', show: 'value' },
    { metric: 'helloRps', show: 'ratio', label: 'hello × bare' },
    { metric: 'helloCpuUs', show: 'value' },
    { metric: 'helloCpuUs', show: 'delta', label: 'hello CPU added' },
    { metric: 'helloP50Ms', show: 'value' },
    { metric: 'helloP99Ms', show: 'value' },
    { metric: 'ordersRps', show: 'value' },
    { metric: 'ordersRps', show: 'ratio', label: 'realistic × bare' },
    { metric: 'ordersCpuUs', show: 'value' },
    { metric: 'ordersCpuUs', show: 'delta', label: 'realistic CPU added' },
    { metric: 'ordersP50Ms', show: 'value' },
    { metric: 'ordersP99Ms', show: 'value' },
  ],
  chart: ['helloRps', 'ordersRps'],
});
