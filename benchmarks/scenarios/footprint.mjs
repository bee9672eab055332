// Scenario g: the installed size each peer needs.
import { defineScenario } from '../lib/scenario.mjs';

export default defineScenario({
  id: 'footprint',
  letter: 'g',
  title: 'Footprint',
  summary:
    "Bytes on disk after `npm ci --offline` of what each peer needs, alone, into an empty directory, at the versions and in the layout this repository's package-lock.json holds (a lockfile cut from ours: benchmarks make no registry requests, and `npm ci` caches tarballs but not the registry metadata a fresh resolution needs). Lookout is the tarball `npm pack` makes of the built package; OpenTelemetry and ADOT include `@opentelemetry/api`. Install scripts off; the sum of every file's apparent size under `node_modules`. The app's own dependencies (Express) are not counted. Deterministic, so one round; results are cached by exact versions (and Lookout's tarball hash) in `node_modules/.cache/lookout-bench/`. `lookout-layer` is the Lambda layer instead: the zip `layer/build-layer.mjs` writes from `dist/` (what a layer version stores and the 2 MiB budget counts), and the size of what Lambda extracts into `/opt`.",
  worker: 'footprint',
  variants: [
    'lookout-full',
    'lookout-layer',
    'otel-auto',
    'adot',
    'powertools',
    'powertools-middy',
    'pino-http',
  ],
  quickVariants: ['lookout-full', 'lookout-layer'],
  baseline: 'lookout-full',
  rounds: { full: 1, quick: 1 },
  timeoutMs: 300_000,
  metrics: [
    { key: 'installedBytes', label: 'installed size', unit: 'MB', scale: 1e-6, digits: 2, better: 'lower' },
    { key: 'files', label: 'files', better: 'lower' },
    { key: 'packages', label: 'packages', better: 'lower' },
    { key: 'layerZipBytes', label: 'layer zip', unit: 'MiB', scale: 1 / 2 ** 20, digits: 2, better: 'lower' },
  ],
  columns: [
    { metric: 'installedBytes', show: 'value' },
    { metric: 'installedBytes', show: 'ratio', label: '× Lookout' },
    { metric: 'files', show: 'value' },
    { metric: 'packages', show: 'value' },
    { metric: 'layerZipBytes', show: 'value' },
  ],
  chart: ['installedBytes'],
  notes: [
    '`lookout-full` stands for the `lookout` package: every Lookout variant installs the same tarball.',
    '`powertools` is Logger and Metrics; `powertools-middy` the trio (Tracer, Logger, Metrics) with `@middy/core`: the Tracer brings `aws-xray-sdk-core` and its dependencies.',
    "A fresh online `npm install` of a peer resolves its ranges to the newest versions and may nest more copies than this repository's shared lockfile does: for plain OpenTelemetry, 66.6 MB in 218 packages online against 52.7 MB in 180 here (same 174 package names, 2026-12-05). The figures here are a lower bound for peers with many nested copies; Lookout's and Powertools' are the same either way.",
  ],
});
