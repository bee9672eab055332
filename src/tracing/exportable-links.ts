import type { Link } from '@opentelemetry/api';

// A link's context comes from the app as it is (neither the API nor the SDK checks it), but the
// collector takes only ids of 16 and 8 bytes and refuses the whole request otherwise, and the
// encoders throw on a missing context or a trace state without `serialize()`: one such link would
// cost every span of its batch.
const TRACE_ID = /^[0-9a-fA-F]{32}$/;
const SPAN_ID = /^[0-9a-fA-F]{16}$/;

/**
 * The link as it can be exported: undefined when its ids cannot be (missing, not hex, another
 * length, such as an X-Ray `1-…-…` trace id), without its trace state when that is not a
 * TraceState (the header's text, say), else the link itself.
 */
function exportableLink(link: Link | undefined): Link | undefined {
  const context = link?.context;
  if (context == null || !TRACE_ID.test(context.traceId) || !SPAN_ID.test(context.spanId)) return undefined;
  const traceState = context.traceState;
  if (traceState == null || typeof traceState.serialize === 'function') return link;
  const { traceState: _unusable, ...rest } = context;
  return { ...link, context: rest };
}

/**
 * The links every exporter can write, or the same array when all of them can (the usual case:
 * nothing is allocated). Links left out are to be counted as dropped.
 *
 * @example
 * exportableLinks([{ context: { traceId: '1-5759e988-bd862e3fe1be46a994272793', spanId, traceFlags: 1 } }]); // []
 */
export function exportableLinks(links: readonly Link[]): readonly Link[] {
  let kept: Link[] | undefined;
  links.forEach((link, index) => {
    const exportable = exportableLink(link);
    if (exportable === link && kept === undefined) return;
    kept ??= links.slice(0, index);
    if (exportable !== undefined) kept.push(exportable);
  });
  return kept ?? links;
}
