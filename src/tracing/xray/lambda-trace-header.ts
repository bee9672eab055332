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
    // As the SDK: the text between the first and the second `=` is the value, and a key or
    // value is judged present before it is trimmed (`Parent= ` gives an empty parent).
    const [key, value] = pair.split('=');
    if (key === undefined || key === '' || value === undefined || value === '') continue;
    fields[key.trim().toLowerCase()] = value.trim();
  }
  return fields;
}

const ROOT = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const SEGMENT_ID = /^[0-9a-f]{16}$/;

/**
 * Where the fields sit in the header as Lambda writes it:
 * `Root=1-<8>-<24>;Parent=<16>;Sampled=<digit>`, then optionally `;` and more parts (`Lineage`).
 */
export const CANONICAL_LAYOUT = {
  root: [5, 40],
  parentKey: 40,
  parent: [48, 64],
  sampledKey: 64,
  sampled: 73,
  length: 74,
} as const;

/**
 * True when `header` is laid out as Lambda writes it and nothing after the three fields can
 * change how a parser reads them (no later part names one of them again, in any case). The
 * general parsers give such a header the fields at their places; the fast paths read them there.
 */
export function hasCanonicalLayout(header: string): boolean {
  const { parentKey, sampledKey, sampled, length } = CANONICAL_LAYOUT;
  if (header.length < length) return false;
  if (!header.startsWith('Root=1-') || !header.startsWith(';Parent=', parentKey)) return false;
  if (!header.startsWith(';Sampled=', sampledKey)) return false;
  const digit = header.charCodeAt(sampled);
  if (digit < 0x30 || digit > 0x39) return false;
  if (header.length === length) return true;
  if (header.charCodeAt(length) !== 0x3b /* ; */) return false;
  const rest = header.slice(length + 1).toLowerCase();
  return !rest.includes('root') && !rest.includes('parent') && !rest.includes('sampled');
}

/** The fields of a header with the canonical layout, read in place; undefined if not valid. */
function parseCanonical(header: string): LambdaTraceHeader | undefined {
  const { root: rootAt, parent: parentAt, sampled } = CANONICAL_LAYOUT;
  const root = header.slice(rootAt[0], rootAt[1]);
  const parent = header.slice(parentAt[0], parentAt[1]);
  // Upper-case hex is valid once lower-cased: left to the general path.
  if (!ROOT.test(root) || !SEGMENT_ID.test(parent)) return undefined;
  return { root, parent, sampled: header.charCodeAt(sampled) !== 0x30 /* 0 */ };
}

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
  // The header as Lambda writes it, read in place: one invocation's export reads it, and the
  // split below costs about 2 µs (docs/decisions/0065-trace-headers-read-in-place.md).
  if (parse === splitTraceHeader && hasCanonicalLayout(raw)) {
    const canonical = parseCanonical(raw);
    if (canonical !== undefined) return canonical;
  }
  const data = parse(raw);
  const root = typeof data.root === 'string' ? data.root.toLowerCase() : undefined;
  const parent = typeof data.parent === 'string' ? data.parent.toLowerCase() : undefined;
  if (root === undefined || parent === undefined || !ROOT.test(root) || !SEGMENT_ID.test(parent))
    return undefined;
  // The SDK itself treats anything that does not parse as a non-zero integer as not sampled.
  const sampled = Number.parseInt(String(data.sampled ?? ''), 10);
  return { root, parent, sampled: Number.isFinite(sampled) && sampled !== 0 };
}
