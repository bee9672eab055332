import type { SpanPlacement } from './map-span.js';
import type { XRayDocument } from './xray-document.js';

/** A mapped span with its placement, before nesting. */
export interface PlacedDocument {
  readonly document: XRayDocument;
  readonly role: SpanPlacement['role'];
}

function key(traceId: string | undefined, id: string | undefined): string {
  return `${traceId ?? ''}/${id ?? ''}`;
}

/**
 * Nests subsegments under their parent when the parent is in the same batch, and returns the
 * documents to send: every segment, and every subsegment whose parent is elsewhere (sent on its
 * own, marked `type: 'subsegment'` with its `trace_id` and `parent_id`). Nested subsegments lose
 * those three fields: X-Ray takes them from the enclosing document.
 *
 * @example
 * assembleDocuments([{ document: segment, role: 'segment' }, { document: child, role: 'subsegment' }]);
 * // [{ ...segment, subsegments: [{ ...child without trace_id, parent_id }] }]
 */
export function assembleDocuments(placed: readonly PlacedDocument[]): XRayDocument[] {
  const byKey = new Map<string, XRayDocument>();
  for (const { document } of placed) byKey.set(key(document.trace_id, document.id), document);

  const roots: XRayDocument[] = [];
  for (const { document, role } of placed) {
    const parent =
      role === 'subsegment' && document.parent_id !== undefined
        ? byKey.get(key(document.trace_id, document.parent_id))
        : undefined;
    if (parent !== undefined && parent !== document) {
      // Mutated in place: its own children, nested later or earlier, hold this same object.
      delete document.trace_id;
      delete document.parent_id;
      parent.subsegments ??= [];
      parent.subsegments.push(document);
      continue;
    }
    // A subsegment with no parent at all cannot be placed; X-Ray takes it as a segment.
    if (role === 'subsegment' && document.parent_id !== undefined) document.type = 'subsegment';
    roots.push(document);
  }
  for (const document of byKey.values()) document.subsegments?.sort((a, b) => a.start_time - b.start_time);
  return roots;
}
