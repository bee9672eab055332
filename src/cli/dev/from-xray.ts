// X-Ray daemon datagrams to viewer spans. The daemon protocol is a header line
// `{"format":"json","version":1}`, a newline, and one segment document (X-Ray segment document
// schema), or an array of separately sent subsegments (PutTraceSegments takes either as one
// document; Lookout's exporter packs subsegments so); a subsegment sent on its own carries
// `type: "subsegment"`, `trace_id` and `parent_id`, and nested subsegments carry neither.
import { normalizeTraceId } from './normalize-trace-id.js';
import { toJsonValue } from './to-json-value.js';
import type { JsonObject, ViewerSpan, ViewerSpanEvent } from './viewer-records.js';

/** The daemon's own limit per datagram. */
export const MAX_XRAY_DATAGRAM_BYTES = 64 * 1024;

type XRayDocumentInput = Record<string, unknown>;

/**
 * The documents in one daemon datagram (one, or an array of subsegments), or why the daemon
 * would drop it.
 *
 * @example
 * parseXRayDatagram(Buffer.from('{"format":"json","version":1}\n{"name":"api",...}'));
 * // { documents: [{ name: 'api', … }] }
 */
export function parseXRayDatagram(
  datagram: Buffer,
): { documents: XRayDocumentInput[] } | { problem: string } {
  if (datagram.length > MAX_XRAY_DATAGRAM_BYTES) return { problem: 'datagram larger than 64 KiB' };
  const text = datagram.toString('utf8');
  const newline = text.indexOf('\n');
  if (newline < 0) return { problem: 'no header line' };
  let header: unknown;
  try {
    header = JSON.parse(text.slice(0, newline));
  } catch {
    return { problem: 'the header is not JSON' };
  }
  const { format, version } = (header ?? {}) as { format?: unknown; version?: unknown };
  if (format !== 'json' || version !== 1)
    return { problem: 'the header is not {"format":"json","version":1}' };
  let document: unknown;
  try {
    document = JSON.parse(text.slice(newline + 1));
  } catch {
    return { problem: 'the document is not JSON' };
  }
  const isObject = (value: unknown) => value !== null && typeof value === 'object' && !Array.isArray(value);
  if (Array.isArray(document)) {
    if (document.length === 0 || !document.every(isObject))
      return { problem: 'the document is not a JSON object or an array of them' };
    return { documents: document as XRayDocumentInput[] };
  }
  if (!isObject(document)) return { problem: 'the document is not a JSON object or an array of them' };
  return { documents: [document as XRayDocumentInput] };
}

const SEGMENT_ID = /^[0-9a-f]{16}$/;

/**
 * Epoch seconds (X-Ray writes them with microseconds) as exact nanoseconds: seconds × 10⁶ is
 * below 2⁵³, so rounding it to whole microseconds is exact.
 */
const secondsToNs = (seconds: number): string => (BigInt(Math.round(seconds * 1e6)) * 1000n).toString();

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/** Attributes in OpenTelemetry's names, so the waterfall reads the same whatever the source. */
function attributesOf(document: XRayDocumentInput): JsonObject {
  const attributes: JsonObject = {};
  const http = record(document.http);
  const request = record(http.request);
  const response = record(http.response);
  const put = (key: string, value: unknown) => {
    if (value !== undefined && value !== null) attributes[key] = toJsonValue(value);
  };
  put('http.request.method', request.method);
  put('url.full', request.url);
  put('user_agent.original', request.user_agent);
  put('client.address', request.client_ip);
  put('http.response.status_code', response.status);
  put('http.response.body.size', response.content_length);
  for (const [key, value] of Object.entries(record(document.annotations))) put(`annotation.${key}`, value);
  for (const [namespace, values] of Object.entries(record(document.metadata))) {
    for (const [key, value] of Object.entries(record(values)))
      put(namespace === 'default' ? key : `${namespace}.${key}`, value);
  }
  for (const [key, value] of Object.entries(record(document.aws))) put(`aws.${key}`, value);
  for (const flag of ['error', 'fault', 'throttle'] as const)
    if (document[flag] === true) attributes[`xray.${flag}`] = true;
  if (text(document.namespace) !== undefined) attributes['xray.namespace'] = text(document.namespace) ?? '';
  if (text(document.origin) !== undefined) attributes['xray.origin'] = text(document.origin) ?? '';
  return attributes;
}

function eventsOf(document: XRayDocumentInput, timeMs: number): ViewerSpanEvent[] {
  const exceptions = record(document.cause).exceptions;
  if (!Array.isArray(exceptions)) return [];
  return exceptions.map((exception) => {
    const { type, message, stack } = record(exception);
    const attributes: JsonObject = {};
    if (text(type) !== undefined) attributes['exception.type'] = toJsonValue(type);
    if (text(message) !== undefined) attributes['exception.message'] = toJsonValue(message);
    if (Array.isArray(stack)) {
      attributes['exception.stacktrace'] = stack
        .map((frame) => {
          const { label, path, line } = record(frame);
          return `    at ${String(label ?? '?')} (${String(path ?? '?')}:${String(line ?? '?')})`;
        })
        .join('\n');
    }
    return { name: 'exception', timeMs, attributes };
  });
}

function kindOf(document: XRayDocumentInput, isSegment: boolean): string {
  if (isSegment) return 'SERVER';
  return document.namespace === 'remote' || document.namespace === 'aws' ? 'CLIENT' : 'INTERNAL';
}

function operationOf(document: XRayDocumentInput, attributes: JsonObject, isSegment: boolean): string {
  const name = text(document.name) ?? '(unnamed)';
  if (!isSegment) return name;
  // A segment is named after the service; its operation is the method and route, as the
  // OpenTelemetry span was named before it was mapped.
  const method = text(attributes['http.request.method']);
  const route = text(attributes['http.route']);
  return method !== undefined && route !== undefined ? `${method} ${route}` : name;
}

/**
 * Every span in one X-Ray document: the segment (or separately sent subsegment) and its nested
 * subsegments, parented as in the document. In-progress documents are skipped: the finished
 * one follows.
 *
 * @example
 * const parsed = parseXRayDatagram(datagram);
 * if ('documents' in parsed) parsed.documents.flatMap(spansFromXRayDocument);
 */
export function spansFromXRayDocument(document: XRayDocumentInput): ViewerSpan[] {
  const traceId = normalizeTraceId(document.trace_id);
  if (traceId === undefined) return [];
  const isSegment = document.type !== 'subsegment';
  const spans: ViewerSpan[] = [];
  const service = isSegment ? text(document.name) : undefined;
  const visit = (
    node: XRayDocumentInput,
    parentSpanId: string | undefined,
    segment: boolean,
    depth: number,
  ) => {
    const id = text(node.id);
    const start = node.start_time;
    const end = node.end_time;
    // JSON reads a number past the double range (`1e400`) as Infinity, which has no nanoseconds:
    // such a document is skipped like one without times.
    if (id === undefined || !SEGMENT_ID.test(id) || !isFiniteNumber(start) || !isFiniteNumber(end)) return;
    const attributes = attributesOf(node);
    const failed = node.fault === true || record(node.cause).exceptions !== undefined;
    spans.push({
      traceId,
      spanId: id,
      parentSpanId,
      name: operationOf(node, attributes, segment),
      kind: kindOf(node, segment),
      service,
      startMs: start * 1000,
      durationMs: Math.max(0, (end - start) * 1000),
      startNs: secondsToNs(start),
      endNs: secondsToNs(Math.max(start, end)),
      status: failed ? 'ERROR' : 'UNSET',
      statusMessage: '',
      attributes,
      events: eventsOf(node, end * 1000),
      source: 'xray',
    });
    if (depth >= 64) return;
    const children = node.subsegments;
    if (Array.isArray(children)) for (const child of children) visit(record(child), id, false, depth + 1);
  };
  visit(document, text(document.parent_id), isSegment, 0);
  return spans;
}
