// The three OTLP signals and the export request each one's endpoint receives.
import { EXPORT_LOGS_SERVICE_REQUEST, type OtlpLogsRequest } from './logs-schema.js';
import type { MessageSpec } from './message-schema.js';
import { EXPORT_METRICS_SERVICE_REQUEST, type OtlpMetricsRequest } from './metrics-schema.js';
import { EXPORT_TRACE_SERVICE_REQUEST, type OtlpTraceRequest } from './traces-schema.js';

/** The three OTLP signals, named as in their OTLP/HTTP paths (`/v1/<signal>`). */
export const OTLP_SIGNALS = ['traces', 'metrics', 'logs'] as const;
export type OtlpSignal = (typeof OTLP_SIGNALS)[number];

/** The decoded request type of each signal. */
export interface OtlpRequestBySignal {
  readonly traces: OtlpTraceRequest;
  readonly metrics: OtlpMetricsRequest;
  readonly logs: OtlpLogsRequest;
}

/** The message each signal's endpoint receives. */
export const EXPORT_REQUESTS: { readonly [S in OtlpSignal]: MessageSpec<OtlpRequestBySignal[S]> } = {
  traces: EXPORT_TRACE_SERVICE_REQUEST,
  metrics: EXPORT_METRICS_SERVICE_REQUEST,
  logs: EXPORT_LOGS_SERVICE_REQUEST,
};
