/** The parts of a Lambda invocation's X-Ray trace header that place spans in its trace. */
export interface LambdaTraceHeader {
  /** The trace, `1-<8 hex>-<24 hex>`. */
  readonly root: string;
  /** The function's facade segment: the parent of the function's own subsegments. */
  readonly parent: string;
  /** Whether Lambda records this invocation; unsampled invocations have no facade segment. */
  readonly sampled: boolean;
}

/** Splits a trace header into its fields, keys lower-cased (as aws-xray-sdk-core's `processTraceData`). */
export type TraceDataParser = (header: string) => Record<string, unknown>;

/**
 * Splits `Key=Value;Key=Value` into lower-cased keys with trimmed values, as aws-xray-sdk-core's
 * `utils.processTraceData` does (a contract test holds the two to the same output), without
 * loading the SDK: the one thing the Lambda path took from it besides the emitter
 * (docs/decisions/0011-xray-sender-without-sdk-emitter.md).
 *
 * @example
 * splitTraceHeader('Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1');
 * // { root: '1-5759e988-bd862e3fe1be46a994272793', sampled: '1' }
 */
export function splitTraceHeader(header: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0) continue;
    const key = pair.slice(0, separator).trim().toLowerCase();
    const value = pair.slice(separator + 1).trim();
    if (key !== '' && value !== '') fields[key] = value;
  }
  return fields;
}

const ROOT = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const SEGMENT_ID = /^[0-9a-f]{16}$/;

/**
 * Reads a Lambda trace header (`Root=1-…;Parent=…;Sampled=1`) and keeps it only when it names a trace and a facade segment. A header with only a Root is
 * Lambda's PassThrough mode (active tracing off): there is no facade segment to attach to.
 *
 * @example
 * parseLambdaTraceHeader('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1');
 * // { root: '1-5759e988-bd862e3fe1be46a994272793', parent: '53995c3f42cd8ad8', sampled: true }
 */
export function parseLambdaTraceHeader(
  raw: string | undefined,
  parse: TraceDataParser = splitTraceHeader,
): LambdaTraceHeader | undefined {
  if (raw === undefined || raw === '') return undefined;
  const data = parse(raw);
  const root = typeof data.root === 'string' ? data.root.toLowerCase() : undefined;
  const parent = typeof data.parent === 'string' ? data.parent.toLowerCase() : undefined;
  if (root === undefined || parent === undefined || !ROOT.test(root) || !SEGMENT_ID.test(parent))
    return undefined;
  // The SDK itself treats anything that does not parse as a non-zero integer as not sampled.
  const sampled = Number.parseInt(String(data.sampled ?? ''), 10);
  return { root, parent, sampled: Number.isFinite(sampled) && sampled !== 0 };
}
