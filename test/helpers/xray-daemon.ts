// A stand-in for the AWS X-Ray daemon: a UDP receiver on 127.0.0.1 that parses every datagram
// the way the daemon does (header line, newline, one JSON document), checks each document
// against the X-Ray segment document rules and AWS's published segment document schema
// (xray-segment-schema.ts), and keeps what it received for assertions.
import { createSocket, type Socket } from 'node:dgram';
import { checkSegmentDocumentSchema } from './xray-segment-schema.js';

/** A segment or subsegment document as received (loosely typed: it is validated, not trusted). */
export interface ReceivedDocument {
  name?: unknown;
  id?: unknown;
  trace_id?: unknown;
  parent_id?: unknown;
  type?: unknown;
  start_time?: unknown;
  end_time?: unknown;
  in_progress?: unknown;
  namespace?: unknown;
  http?: { request?: Record<string, unknown>; response?: Record<string, unknown> };
  aws?: Record<string, unknown>;
  error?: unknown;
  throttle?: unknown;
  fault?: unknown;
  cause?: { exceptions?: Array<Record<string, unknown>> };
  annotations?: Record<string, unknown>;
  metadata?: Record<string, Record<string, unknown>>;
  subsegments?: ReceivedDocument[];
  [field: string]: unknown;
}

export interface ReceivedDatagram {
  readonly bytes: number;
  readonly document: ReceivedDocument;
}

/** The daemon's limit per datagram: 64 KiB. */
export const DAEMON_MAX_DATAGRAM_BYTES = 64 * 1024;

const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const SEGMENT_ID = /^[0-9a-f]{16}$/;
const NAME_CHARACTERS = /^[\p{L}\p{N}\s_.:/%&#=+\\\-@]+$/u;
const ANNOTATION_KEY = /^[A-Za-z0-9_]+$/;

/** Problems with one document (and its nested subsegments), as readable sentences. */
export function validateDocument(input: object, nested = false): string[] {
  const document = input as ReceivedDocument;
  const problems: string[] = [];
  const where = `document ${String(document.id)} (${String(document.name)})`;
  if (typeof document.name !== 'string' || document.name === '') problems.push(`${where}: no name`);
  else {
    if (Array.from(document.name).length > 200) problems.push(`${where}: name over 200 characters`);
    if (!NAME_CHARACTERS.test(document.name)) problems.push(`${where}: name has characters X-Ray refuses`);
  }
  if (typeof document.id !== 'string' || !SEGMENT_ID.test(document.id))
    problems.push(`${where}: id is not 16 hex`);
  if (!nested) {
    if (typeof document.trace_id !== 'string' || !TRACE_ID.test(document.trace_id))
      problems.push(`${where}: trace_id is not 1-<8 hex>-<24 hex>`);
    if (
      document.type === 'subsegment' &&
      (typeof document.parent_id !== 'string' || !SEGMENT_ID.test(document.parent_id))
    )
      problems.push(`${where}: a separately sent subsegment needs a 16-hex parent_id`);
    if (document.type !== undefined && document.type !== 'subsegment')
      problems.push(`${where}: unknown type`);
  } else if (
    document.trace_id !== undefined ||
    document.parent_id !== undefined ||
    document.type !== undefined
  ) {
    problems.push(`${where}: a nested subsegment carries trace_id, parent_id or type`);
  }
  if (
    document.parent_id !== undefined &&
    (typeof document.parent_id !== 'string' || !SEGMENT_ID.test(document.parent_id))
  )
    problems.push(`${where}: parent_id is not 16 hex`);
  if (typeof document.start_time !== 'number' || !Number.isFinite(document.start_time))
    problems.push(`${where}: start_time is not a number`);
  if (document.in_progress === true) {
    if (document.end_time !== undefined) problems.push(`${where}: in progress but has an end_time`);
  } else if (typeof document.end_time !== 'number' || !Number.isFinite(document.end_time)) {
    problems.push(`${where}: no numeric end_time and not in progress`);
  } else if (typeof document.start_time === 'number' && document.end_time < document.start_time) {
    problems.push(`${where}: end_time before start_time`);
  }
  if (document.namespace !== undefined && document.namespace !== 'aws' && document.namespace !== 'remote')
    problems.push(`${where}: namespace is neither aws nor remote`);
  const annotations = document.annotations ?? {};
  const keys = Object.keys(annotations);
  if (keys.length > 50) problems.push(`${where}: more than 50 annotations`);
  for (const key of keys) {
    if (!ANNOTATION_KEY.test(key) || key.length > 500)
      problems.push(`${where}: annotation key "${key}" breaks the key rules`);
    const value = annotations[key];
    if (!['string', 'number', 'boolean'].includes(typeof value))
      problems.push(`${where}: annotation "${key}" is not a string, number or boolean`);
  }
  for (const [namespace, values] of Object.entries(document.metadata ?? {})) {
    if (namespace.startsWith('AWS.')) problems.push(`${where}: metadata namespace ${namespace} is reserved`);
    if (values === null || typeof values !== 'object')
      problems.push(`${where}: metadata.${namespace} is not an object`);
  }
  for (const exception of document.cause?.exceptions ?? []) {
    if (typeof exception.id !== 'string' || !SEGMENT_ID.test(exception.id))
      problems.push(`${where}: exception id is not 16 hex`);
  }
  for (const child of document.subsegments ?? []) problems.push(...validateDocument(child, true));
  // Every document sent on its own is also checked against AWS's published schema (which
  // checks the nested subsegments through its definitions).
  if (!nested)
    problems.push(...checkSegmentDocumentSchema(document).map((problem) => `${where}: ${problem}`));
  return problems;
}

/**
 * Parses one datagram as the daemon does; returns its documents or why it would be dropped. The
 * body is one document, or an array of separately sent subsegments (PutTraceSegments, where the
 * daemon forwards it, takes "an array of subsegments" as one segment document).
 */
export function parseDatagram(datagram: Buffer): { documents: ReceivedDocument[] } | { problem: string } {
  const text = datagram.toString('utf8');
  const newline = text.indexOf('\n');
  if (newline < 0) return { problem: 'no header line' };
  let header: unknown;
  try {
    header = JSON.parse(text.slice(0, newline));
  } catch {
    return { problem: 'header is not JSON' };
  }
  const { format, version } = (header ?? {}) as { format?: unknown; version?: unknown };
  if (format !== 'json' || version !== 1) return { problem: 'header is not {"format":"json","version":1}' };
  let body: unknown;
  try {
    body = JSON.parse(text.slice(newline + 1));
  } catch {
    return { problem: 'document is not JSON' };
  }
  if (Array.isArray(body)) {
    if (body.length === 0) return { problem: 'an empty array of subsegments' };
    for (const item of body)
      if (item === null || typeof item !== 'object' || (item as ReceivedDocument).type !== 'subsegment')
        return { problem: 'an array holds something other than separately sent subsegments' };
    return { documents: body as ReceivedDocument[] };
  }
  if (body === null || typeof body !== 'object') return { problem: 'document is not a JSON object' };
  return { documents: [body as ReceivedDocument] };
}

type Predicate = (datagrams: readonly ReceivedDatagram[]) => boolean;

export interface XRayDaemon {
  readonly port: number;
  /** The value for AWS_XRAY_DAEMON_ADDRESS. */
  readonly address: string;
  /** Every valid document received so far, with the size of the datagram that carried it. */
  datagrams(): ReceivedDatagram[];
  /** How many valid datagrams arrived (a datagram may carry several subsegments). */
  datagramCount(): number;
  /** Top-level documents (segments and separately sent subsegments). */
  documents(): ReceivedDocument[];
  /** Top-level documents that are segments. */
  segments(): ReceivedDocument[];
  /** Everything the daemon would reject, plus per-trace rule breaches; empty when all is well. */
  problems(): string[];
  /** Largest datagram received, in bytes. */
  largestDatagram(): number;
  /** Resolves once `count` datagrams arrived or `predicate` holds; rejects after `timeoutMs`. */
  waitForDocuments(
    predicateOrCount: number | Predicate,
    options?: { timeoutMs?: number },
  ): Promise<ReceivedDatagram[]>;
  /** Stops listening; rejects when any document received was invalid (see `problems()`). */
  close(): Promise<void>;
}

/**
 * Starts a daemon stand-in on 127.0.0.1 and an ephemeral port.
 *
 * @example
 * const daemon = await startXRayDaemon();
 * // run the app with AWS_XRAY_DAEMON_ADDRESS=daemon.address
 * await daemon.waitForDocuments(2);
 */
export async function startXRayDaemon(
  options: {
    /**
     * The socket's receive buffer. The default is large, so that a stand-in busy with the test
     * drops nothing; `'system'` keeps the kernel's default (208 KiB on Linux), as the daemon has.
     * @default 8 MiB
     */
    readonly recvBufferSize?: number | 'system';
  } = {},
): Promise<XRayDaemon> {
  const recvBufferSize = options.recvBufferSize ?? 8 * 1024 * 1024;
  const socket: Socket = createSocket(
    recvBufferSize === 'system' ? { type: 'udp4' } : { type: 'udp4', recvBufferSize },
  );
  let datagramCount = 0;
  const received: ReceivedDatagram[] = [];
  const problems: string[] = [];
  const annotationKeysByTrace = new Map<string, Set<string>>();
  let largest = 0;
  const waiters = new Set<() => void>();

  const collectAnnotationKeys = (document: ReceivedDocument, traceId: string) => {
    const keys = annotationKeysByTrace.get(traceId) ?? new Set<string>();
    annotationKeysByTrace.set(traceId, keys);
    for (const key of Object.keys(document.annotations ?? {})) keys.add(key);
    for (const child of document.subsegments ?? []) collectAnnotationKeys(child, traceId);
    if (keys.size > 50) problems.push(`trace ${traceId}: more than 50 annotations in the trace`);
  };

  socket.on('message', (datagram) => {
    largest = Math.max(largest, datagram.length);
    if (datagram.length > DAEMON_MAX_DATAGRAM_BYTES) {
      problems.push(`a datagram of ${datagram.length} bytes exceeds 64 KiB`);
      return;
    }
    const parsed = parseDatagram(datagram);
    if ('problem' in parsed) {
      problems.push(parsed.problem);
      return;
    }
    datagramCount += 1;
    for (const document of parsed.documents) {
      problems.push(...validateDocument(document));
      if (typeof document.trace_id === 'string') collectAnnotationKeys(document, document.trace_id);
      received.push({ bytes: datagram.length, document });
    }
    for (const wake of waiters) wake();
  });

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const port = socket.address().port;

  return {
    port,
    address: `127.0.0.1:${port}`,
    datagrams: () => [...received],
    datagramCount: () => datagramCount,
    documents: () => received.map((entry) => entry.document),
    segments: () =>
      received.map((entry) => entry.document).filter((document) => document.type !== 'subsegment'),
    problems: () => [...problems],
    largestDatagram: () => largest,
    waitForDocuments(predicateOrCount, options = {}) {
      const timeoutMs = options.timeoutMs ?? 15_000;
      const satisfied =
        typeof predicateOrCount === 'number'
          ? () => received.length >= predicateOrCount
          : () => predicateOrCount(received);
      if (satisfied()) return Promise.resolve([...received]);
      return new Promise((resolve, reject) => {
        const wake = () => {
          if (!satisfied()) return;
          cleanup();
          resolve([...received]);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `the X-Ray daemon stand-in did not get what was awaited within ${timeoutMs} ms; ` +
                `received ${received.length} datagrams: ${received.map((entry) => String(entry.document.name)).join(', ')}`,
            ),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        waiters.add(wake);
      });
    },
    // A test that never looked at problems() still fails on a document X-Ray would refuse:
    // every document any test sends here is checked.
    close: () =>
      new Promise<void>((resolve, reject) => {
        socket.close(() =>
          problems.length === 0
            ? resolve()
            : reject(
                new Error(`the X-Ray daemon stand-in received invalid documents:\n${problems.join('\n')}`),
              ),
        );
      }),
  };
}

/** One segment or subsegment in an assembled trace. */
export interface TraceNode {
  readonly document: ReceivedDocument;
  readonly traceId: string;
  /** The id of the parent document, whether it was nested in it or named it in parent_id. */
  readonly parentId: string | undefined;
  readonly children: TraceNode[];
}

export interface AssembledTrace {
  readonly traceId: string;
  /** Every document by id. */
  readonly nodes: ReadonlyMap<string, TraceNode>;
  /** Nodes whose parent is not among the documents received (an upstream caller, a Lambda facade). */
  readonly roots: TraceNode[];
}

/**
 * Assembles received documents into trees, one per trace, the way X-Ray joins segments,
 * nested subsegments and separately sent subsegments (by `parent_id`).
 *
 * @example
 * const [trace] = assembleTraces(daemon.documents()).values();
 */
export function assembleTraces(documents: readonly ReceivedDocument[]): Map<string, AssembledTrace> {
  const flat: Array<{ document: ReceivedDocument; traceId: string; parentId: string | undefined }> = [];
  const walk = (document: ReceivedDocument, traceId: string, parentId: string | undefined) => {
    flat.push({ document, traceId, parentId });
    for (const child of document.subsegments ?? []) walk(child, traceId, String(document.id));
  };
  for (const document of documents) {
    walk(
      document,
      String(document.trace_id),
      typeof document.parent_id === 'string' ? document.parent_id : undefined,
    );
  }
  const traces = new Map<string, { nodes: Map<string, TraceNode>; roots: TraceNode[] }>();
  for (const entry of flat) {
    const trace = traces.get(entry.traceId) ?? { nodes: new Map(), roots: [] };
    traces.set(entry.traceId, trace);
    trace.nodes.set(String(entry.document.id), { ...entry, children: [] });
  }
  for (const trace of traces.values()) {
    for (const node of trace.nodes.values()) {
      const parent = node.parentId === undefined ? undefined : trace.nodes.get(node.parentId);
      if (parent === undefined) trace.roots.push(node);
      else parent.children.push(node);
    }
  }
  return new Map(
    [...traces].map(([traceId, trace]) => [traceId, { traceId, nodes: trace.nodes, roots: trace.roots }]),
  );
}
