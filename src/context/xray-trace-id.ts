const W3C_TRACE_ID = /^[0-9a-f]{32}$/;
const XRAY_TRACE_ID = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/;

/**
 * Formats a W3C trace id (32 hex digits) the way X-Ray writes it: `1-<8 hex epoch>-<24 hex>`.
 * Lookout's ids come from the X-Ray id generator, so the first 8 digits are the start time.
 *
 * @example
 * toXRayTraceId('5759e988bd862e3fe1be46a994272793'); // '1-5759e988-bd862e3fe1be46a994272793'
 */
export function toXRayTraceId(traceId: string): string | undefined {
  if (!W3C_TRACE_ID.test(traceId)) return undefined;
  return `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`;
}

/**
 * The inverse of `toXRayTraceId`.
 *
 * @example
 * fromXRayTraceId('1-5759e988-bd862e3fe1be46a994272793'); // '5759e988bd862e3fe1be46a994272793'
 */
export function fromXRayTraceId(xrayTraceId: string): string | undefined {
  const match = XRAY_TRACE_ID.exec(xrayTraceId);
  return match ? `${match[1]}${match[2]}` : undefined;
}
