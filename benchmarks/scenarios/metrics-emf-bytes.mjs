// Scenario f (metrics issue): EMF bytes written per 10,000 requests, Lookout's aggregation
// against Powertools publishing after every request.
import { defineScenario } from '../lib/scenario.mjs';

export default defineScenario({
  id: 'metrics-emf-bytes',
  letter: 'f',
  title: 'Metrics EMF bytes',
  summary:
    'Bytes of EMF written to stdout (what CloudWatch Logs ingests and bills) for the same 10,000 requests: a fixed pseudo-random mix of 5 routes, GET and POST, 90 % 2xx / 7 % 4xx / 3 % 5xx, latencies 1–81 ms, each recorded as RequestCount, Error, Fault and Latency with Service, Environment and Operation dimensions. Powertools `Metrics` publishes after every request (what a per-request flush does on a server); Lookout aggregates per operation and writes when a metric reaches 100 values, with all 10,000 requests in one flush interval (a busy server) or with a flush every 100 requests (a quiet server). Every document is parsed back, and the run fails unless RequestCount sums to 10,000 and there are 10,000 Latency samples. Recorded in the worker process (no server), so the figures are deterministic: one round.',
  worker: 'metrics-cost',
  variants: ['emf-bytes-powertools', 'emf-bytes-lookout', 'emf-bytes-lookout-sparse'],
  baseline: 'emf-bytes-powertools',
  rounds: { full: 1, quick: 1 },
  timeoutMs: 120_000,
  metrics: [
    {
      key: 'emfBytes',
      label: 'EMF per 10,000 requests',
      unit: 'kB',
      scale: 1e-3,
      digits: 1,
      better: 'lower',
    },
    { key: 'emfDocuments', label: 'documents', better: 'lower' },
    { key: 'bytesPerRequest', label: 'bytes per request', unit: 'B', digits: 1, better: 'lower' },
  ],
  columns: [
    { metric: 'emfBytes', show: 'value' },
    { metric: 'emfBytes', show: 'ratio', label: '× Powertools' },
    { metric: 'emfDocuments', show: 'value' },
    { metric: 'bytesPerRequest', show: 'value' },
  ],
  chart: ['emfBytes'],
  notes: [
    "Lookout's documents also carry a service-level dimension set (`[Service, Environment]` next to `[Service, Environment, Operation]`), which the Powertools variant does not: Lookout's figure includes that extra information.",
  ],
});
