// Decodes the binary protobuf bodies of OTLP/HTTP export requests (what `http/protobuf`
// exporters POST to /v1/traces, /v1/metrics and /v1/logs) into OTLP/JSON-shaped objects, by the
// message tables of each signal.
import { EXPORT_LOGS_SERVICE_REQUEST, type OtlpLogsRequest } from './logs-schema.js';
import { EXPORT_METRICS_SERVICE_REQUEST, type OtlpMetricsRequest } from './metrics-schema.js';
import { type DecodeLimits, OtlpDecodeError } from './otlp-decode-error.js';
import { EXPORT_REQUESTS, type OtlpRequestBySignal, type OtlpSignal } from './otlp-signals.js';
import { readProtobuf } from './read-protobuf.js';
import { EXPORT_TRACE_SERVICE_REQUEST, type OtlpTraceRequest } from './traces-schema.js';

/**
 * Decodes a protobuf `ExportTraceServiceRequest` (the body of `POST /v1/traces` with
 * `Content-Type: application/x-protobuf`).
 *
 * @throws {OtlpDecodeError} when the bytes are not a well-formed request.
 * @example
 * const request = decodeTraceRequest(body);
 * for (const span of flattenSpans(request)) console.log(span.name);
 */
export function decodeTraceRequest(bytes: Uint8Array, limits?: DecodeLimits): OtlpTraceRequest {
  return readProtobuf(EXPORT_TRACE_SERVICE_REQUEST, bytes, limits);
}

/**
 * Decodes a protobuf `ExportMetricsServiceRequest` (the body of `POST /v1/metrics`).
 *
 * @throws {OtlpDecodeError} when the bytes are not a well-formed request.
 * @example
 * const points = flattenMetrics(decodeMetricsRequest(body));
 */
export function decodeMetricsRequest(bytes: Uint8Array, limits?: DecodeLimits): OtlpMetricsRequest {
  return readProtobuf(EXPORT_METRICS_SERVICE_REQUEST, bytes, limits);
}

/**
 * Decodes a protobuf `ExportLogsServiceRequest` (the body of `POST /v1/logs`).
 *
 * @throws {OtlpDecodeError} when the bytes are not a well-formed request.
 * @example
 * const records = flattenLogs(decodeLogsRequest(body));
 */
export function decodeLogsRequest(bytes: Uint8Array, limits?: DecodeLimits): OtlpLogsRequest {
  return readProtobuf(EXPORT_LOGS_SERVICE_REQUEST, bytes, limits);
}

/**
 * Decodes the protobuf body of an OTLP/HTTP export request for the given signal.
 *
 * @throws {OtlpDecodeError} when the bytes are not a well-formed request, or the signal is unknown.
 * @example
 * const request = decodeOtlpProtobuf(body, 'traces');
 */
export function decodeOtlpProtobuf<S extends OtlpSignal>(
  bytes: Uint8Array,
  signal: S,
  limits?: DecodeLimits,
): OtlpRequestBySignal[S] {
  const request = Object.hasOwn(EXPORT_REQUESTS, signal) ? EXPORT_REQUESTS[signal] : undefined;
  if (request === undefined) throw new OtlpDecodeError(`unknown OTLP signal ${JSON.stringify(signal)}`);
  return readProtobuf(request, bytes, limits);
}
