const W3C_TRACE_ID = /^[0-9a-f]{32}$/;
const XRAY_TRACE_ID = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/;

/**
 * One spelling for every trace id the viewer sees, so a log line, an audit entry, an OTLP span
 * and an X-Ray segment of the same trace meet: 32 lowercase hex digits. An X-Ray id
 * `1-5759e988-bd862e3fe1be46a994272793` becomes `5759e988bd862e3fe1be46a994272793` (the
 * same id Lookout's X-Ray id generator gives OpenTelemetry). Anything else is undefined.
 *
 * @example
 * normalizeTraceId('1-5759e988-bd862e3fe1be46a994272793'); // '5759e988bd862e3fe1be46a994272793'
 */
export function normalizeTraceId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.trim().toLowerCase();
  if (W3C_TRACE_ID.test(lower)) return lower === '0'.repeat(32) ? undefined : lower;
  const xray = XRAY_TRACE_ID.exec(lower);
  return xray === null ? undefined : `${xray[1]}${xray[2]}`;
}
