import type { TracesExporterName } from './options.js';

/** What the default choice of span exporter depends on. */
export interface TracesExporterFacts {
  /** `tracing.exporter` from options or a variable; undefined when nothing chose it. */
  readonly chosen: readonly TracesExporterName[] | undefined;
  readonly onLambda: boolean;
  /** `OPENTELEMETRY_COLLECTOR_CONFIG_URI`: the ADOT / OTel collector Lambda layer is configured. */
  readonly collectorConfigUri: string | undefined;
  /** Where `otlp.endpoint` came from (`default`, `option` or a variable name). */
  readonly otlpEndpointSource: string;
  /** Where `tracing.otlp.endpoint` came from. */
  readonly tracesEndpointSource: string;
}

/** The exporters to run and, when they were not chosen explicitly, why these. */
export interface TracesExporterDecision {
  readonly exporters: readonly TracesExporterName[];
  /** undefined when the exporters were chosen by an option or a variable. */
  readonly reason: string | undefined;
}

/**
 * Picks the span exporters. On Lambda with no collector configured, spans go straight to the
 * X-Ray daemon that Lambda runs for active tracing: a collector extension would cost cold-start
 * time and memory, and without one there is nothing listening for OTLP (docs/xray.md).
 *
 * 1. an explicit `tracing.exporter` (option, `LOOKOUT_TRACES_EXPORTER`, `OTEL_TRACES_EXPORTER`);
 * 2. not on Lambda: `otlp`;
 * 3. on Lambda with `OPENTELEMETRY_COLLECTOR_CONFIG_URI` set: `otlp` (a collector layer runs);
 * 4. on Lambda with an OTLP endpoint set in an option or a variable: `otlp`;
 * 5. otherwise, on Lambda: `xray`.
 *
 * @example
 * resolveTracesExporters({ chosen: undefined, onLambda: true, collectorConfigUri: undefined,
 *   otlpEndpointSource: 'default', tracesEndpointSource: 'default' });
 * // { exporters: ['xray'], reason: 'AWS Lambda with no collector configured' }
 */
export function resolveTracesExporters(facts: TracesExporterFacts): TracesExporterDecision {
  if (facts.chosen !== undefined) return { exporters: facts.chosen, reason: undefined };
  if (!facts.onLambda) return { exporters: ['otlp'], reason: 'not on AWS Lambda' };
  if (facts.collectorConfigUri !== undefined)
    return { exporters: ['otlp'], reason: 'collector configured by OPENTELEMETRY_COLLECTOR_CONFIG_URI' };
  for (const source of [facts.tracesEndpointSource, facts.otlpEndpointSource]) {
    if (source !== 'default') return { exporters: ['otlp'], reason: `OTLP endpoint set by ${source}` };
  }
  return { exporters: ['xray'], reason: 'AWS Lambda with no collector configured' };
}
