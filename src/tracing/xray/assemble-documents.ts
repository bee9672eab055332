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
 * Levels of subsegments nested in one document at most. JSON.stringify recurses per level and
 * overflows the stack at about 2,000 (a traced recursion, exported in one batch), which failed
 * the export of the whole batch; a level past this one is sent as a separate subsegment.
 */
const MAX_NESTING_DEPTH = 100;

/** How deep each document sits under the top of its tree in the batch (0), walked without recursion. */
function nestingDepths(parents: ReadonlyMap<XRayDocument, XRayDocument>): Map<XRayDocument, number> {
  const depths = new Map<XRayDocument, number>();
  for (const start of parents.keys()) {
    // Up from `start` to the top of its tree, or to a document whose depth is known.
    const chain: XRayDocument[] = [];
    let current: XRayDocument | undefined = start;
    let depth = -1;
    while (current !== undefined && chain.length <= parents.size) {
      const known = depths.get(current);
      if (known !== undefined) {
        depth = known;
        break;
      }
      chain.push(current);
      current = parents.get(current);
    }
    for (let index = chain.length - 1; index >= 0; index--) depths.set(chain[index] as XRayDocument, ++depth);
  }
  return depths;
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
  const parents = new Map<XRayDocument, XRayDocument>();
  for (const { document, role } of placed) {
    const parent =
      role === 'subsegment' && document.parent_id !== undefined
        ? byKey.get(key(document.trace_id, document.parent_id))
        : undefined;
    if (parent !== undefined && parent !== document) parents.set(document, parent);
  }
  const depths = parents.size < MAX_NESTING_DEPTH ? undefined : nestingDepths(parents);

  const roots: XRayDocument[] = [];
  for (const { document, role } of placed) {
    const parent = parents.get(document);
    // Every MAX_NESTING_DEPTH-th level of a deeper tree is sent on its own, with its parent_id.
    if (parent !== undefined && (depths?.get(document) ?? 1) % MAX_NESTING_DEPTH !== 0) {
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
