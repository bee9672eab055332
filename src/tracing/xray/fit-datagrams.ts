import type { XRayDocument } from './xray-document.js';

/** The daemon protocol's header line, sent before every document. */
export const DAEMON_HEADER = '{"format":"json","version":1}\n';

/**
 * Largest datagram Lookout sends, header included. X-Ray documents may be up to 64 kB and a
 * UDP datagram over IPv4 carries at most 65,507 bytes; 64,000 stays under both readings of
 * "64 kB" (decimal and binary) with room to spare.
 */
export const MAX_DATAGRAM_BYTES = 64_000;

/** Appended to every value Lookout shortened to fit a document into one datagram. */
export const TRUNCATION_MARKER = '…[truncated by lookout]';

/** One document ready to send: its JSON text, which fits one datagram with the header. */
export interface FittedDocument {
  readonly text: string;
  readonly id: string;
  readonly traceId: string | undefined;
  readonly isSubsegment: boolean;
}

/** The outcome of fitting documents into datagrams. */
export interface FittedDatagrams {
  readonly documents: FittedDocument[];
  /** How many documents had values cut to fit. */
  readonly truncated: number;
}

const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');

// Each pass halves what one string or array may hold, from a generous start down to a stub.
const STRING_LIMITS = [8192, 2048, 512, 128, 32] as const;

function cutString(value: string, limit: number): string {
  return value.length <= limit ? value : `${value.slice(0, limit)}${TRUNCATION_MARKER}`;
}

function cutValue(value: unknown, limit: number): unknown {
  if (typeof value === 'string') return cutString(value, limit);
  if (Array.isArray(value)) {
    const items = Math.max(4, Math.floor(limit / 32));
    const kept = value.slice(0, items).map((item) => cutValue(item, limit));
    return value.length > items ? [...kept, `${TRUNCATION_MARKER} ${value.length - items} more items`] : kept;
  }
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) result[cutString(key, limit)] = cutValue(child, limit);
    return result;
  }
  return value;
}

/** The document with every free-form value cut to `limit` characters. */
function cutDocument(document: XRayDocument, limit: number): XRayDocument {
  const cut: XRayDocument = { ...document };
  if (cut.metadata !== undefined)
    cut.metadata = cutValue(cut.metadata, limit) as NonNullable<XRayDocument['metadata']>;
  if (cut.annotations !== undefined)
    cut.annotations = cutValue(cut.annotations, limit) as NonNullable<XRayDocument['annotations']>;
  if (cut.http !== undefined) cut.http = cutValue(cut.http, limit) as NonNullable<XRayDocument['http']>;
  if (cut.aws !== undefined) cut.aws = cutValue(cut.aws, limit) as NonNullable<XRayDocument['aws']>;
  if (cut.cause !== undefined) {
    cut.cause = {
      exceptions: cut.cause.exceptions.map((exception) => {
        const frames = Math.max(1, Math.floor(limit / 256));
        const copy = cutValue(exception, limit) as typeof exception;
        if (exception.stack !== undefined && exception.stack.length > frames) {
          copy.stack = copy.stack?.slice(0, frames) ?? [];
          copy.truncated = (exception.truncated ?? 0) + exception.stack.length - frames;
        }
        return copy;
      }),
    };
  }
  if (cut.user !== undefined) cut.user = cutString(cut.user, limit);
  return cut;
}

/** The fields X-Ray needs to place a document, and nothing free-form. */
function skeleton(document: XRayDocument): XRayDocument {
  const kept: XRayDocument = { name: document.name, id: document.id, start_time: document.start_time };
  for (const field of [
    'end_time',
    'in_progress',
    'trace_id',
    'parent_id',
    'type',
    'namespace',
    'origin',
  ] as const) {
    if (document[field] !== undefined) Object.assign(kept, { [field]: document[field] });
  }
  for (const flag of ['error', 'throttle', 'fault'] as const) if (document[flag]) kept[flag] = true;
  kept.metadata = { lookout: { truncated: 'document too large for one datagram; values dropped' } };
  return kept;
}

/**
 * Fits one document (without subsegments) into `budget` bytes of JSON: first as is, then with
 * free-form values cut shorter and shorter, then reduced to its skeleton, which always fits
 * (a name is at most 200 characters). Returns the text and whether anything was cut.
 */
function fitSingle(document: XRayDocument, budget: number): { text: string; truncated: boolean } {
  const whole = JSON.stringify(document);
  if (byteLength(whole) <= budget) return { text: whole, truncated: false };
  for (const limit of STRING_LIMITS) {
    const text = JSON.stringify(cutDocument(document, limit));
    if (byteLength(text) <= budget) return { text, truncated: true };
  }
  return { text: JSON.stringify(skeleton(cutDocument(document, 32))), truncated: true };
}

/**
 * One fitted document. A function of the module, not a closure in `place`: the build names a
 * closure with an `Object.defineProperty` each time it is made (decision 0057), once per
 * exported batch on Lambda.
 */
function fittedDocument(text: string, document: XRayDocument, traceId: string | undefined): FittedDocument {
  return { text, id: document.id, traceId, isSubsegment: document.type === 'subsegment' };
}

/**
 * Turns documents (segments and separately sent subsegments, with nested subsegments) into
 * JSON texts that each fit one datagram of `maxBytes` with the protocol header:
 *
 * 1. a document that fits is sent whole;
 * 2. otherwise its subsegments are nested smallest first while they fit, and the rest are sent
 *    as separate subsegment documents (`type`, `trace_id`, `parent_id`), each fitted the same way;
 * 3. a single document still too large has its values cut, marked with `TRUNCATION_MARKER`.
 *
 * @example
 * fitDatagrams([segmentWithManySubsegments]).documents.length; // > 1 when it exceeds 64,000 bytes
 */
export function fitDatagrams(
  documents: readonly XRayDocument[],
  maxBytes: number = MAX_DATAGRAM_BYTES,
): FittedDatagrams {
  const budget = maxBytes - byteLength(DAEMON_HEADER);
  const output: FittedDocument[] = [];
  let truncated = 0;

  const place = (document: XRayDocument, traceId: string | undefined): void => {
    const whole = JSON.stringify(document);
    if (byteLength(whole) <= budget) {
      output.push(fittedDocument(whole, document, traceId));
      return;
    }
    const { subsegments = [], ...own } = document;
    const fittedOwn = fitSingle(own, budget);
    if (fittedOwn.truncated) truncated += 1;
    const baseBytes = byteLength(fittedOwn.text);
    // JSON.stringify output is additive: `{…own…,"subsegments":[a,b]}` is own's bytes plus the
    // key, the brackets, the children and the commas between them.
    const wrapperBytes = byteLength(',"subsegments":[]');
    const sized = subsegments
      .map((child) => ({ child, text: JSON.stringify(child) }))
      .map((entry) => ({ ...entry, bytes: byteLength(entry.text) }))
      .sort((a, b) => a.bytes - b.bytes);
    const kept: string[] = [];
    const detached: XRayDocument[] = [];
    let used = baseBytes + wrapperBytes;
    for (const entry of sized) {
      const cost = entry.bytes + (kept.length > 0 ? 1 : 0);
      if (used + cost <= budget) {
        kept.push(entry.text);
        used += cost;
      } else {
        detached.push(entry.child);
      }
    }
    const text =
      kept.length === 0
        ? fittedOwn.text
        : `${fittedOwn.text.slice(0, -1)},"subsegments":[${kept.join(',')}]}`;
    output.push(fittedDocument(text, document, traceId));
    const childTrace = document.trace_id ?? traceId;
    for (const child of detached) {
      const independent: XRayDocument = { ...child, type: 'subsegment', parent_id: document.id };
      if (childTrace !== undefined) independent.trace_id = childTrace;
      place(independent, childTrace);
    }
  };

  for (const document of documents) place(document, document.trace_id);
  return { documents: output, truncated };
}

/**
 * Packs fitted documents into as few datagram bodies as fit under `maxBytes` with the protocol
 * header. A datagram carries one document, and PutTraceSegments, where the daemon forwards it,
 * takes "a completed segment, an in-progress segment, or an array of subsegments" as one: so
 * separately sent subsegments of a trace travel together as a JSON array, largest first into
 * the first datagram with room, while segments travel alone. Few large datagrams matter on
 * Linux: the daemon's 208 KiB receive buffer is charged well over a kilobyte per small
 * datagram, and a burst of hundreds overflows it (docs/decisions/0011).
 *
 * @example
 * packDatagrams(fitDatagrams(documents).documents);
 * // ['{"name":"api",…}', '[{"type":"subsegment",…},{"type":"subsegment",…}]']
 */
export function packDatagrams(
  documents: readonly FittedDocument[],
  maxBytes: number = MAX_DATAGRAM_BYTES,
): string[] {
  const budget = maxBytes - byteLength(DAEMON_HEADER);
  const bodies: string[] = [];
  const byTrace = new Map<string, Array<{ text: string; bytes: number }>>();
  for (const document of documents) {
    if (!document.isSubsegment || document.traceId === undefined) {
      bodies.push(document.text);
      continue;
    }
    const group = byTrace.get(document.traceId) ?? [];
    byTrace.set(document.traceId, group);
    group.push({ text: document.text, bytes: byteLength(document.text) });
  }
  for (const group of byTrace.values()) {
    if (group.length === 1) {
      bodies.push(group[0]!.text);
      continue;
    }
    // First fit, largest first: `[a,b]` is the texts, one comma between each, and two brackets.
    group.sort((a, b) => b.bytes - a.bytes);
    const bins: Array<{ texts: string[]; bytes: number }> = [];
    for (const entry of group) {
      const bin = bins.find((candidate) => candidate.bytes + 1 + entry.bytes <= budget);
      if (bin === undefined) bins.push({ texts: [entry.text], bytes: 2 + entry.bytes });
      else {
        bin.texts.push(entry.text);
        bin.bytes += 1 + entry.bytes;
      }
    }
    for (const bin of bins) bodies.push(bin.texts.length === 1 ? bin.texts[0]! : `[${bin.texts.join(',')}]`);
  }
  return bodies;
}
