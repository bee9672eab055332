// One trace as its page shows it: the spans in waterfall order with their depth and their
// offset from the trace's start, computed from exact nanoseconds, and the span to select first.
import { byStart, extentNs, findRoot, nsToMs, summarizeTrace, type TraceSummary } from './summarize-trace.js';
import type { StoredTrace } from './trace-store.js';
import type { ViewerSpan } from './viewer-records.js';

/** A span in the waterfall. */
export interface WaterfallSpan extends ViewerSpan {
  /** Nesting under the trace's roots (0 for a root). */
  readonly depth: number;
  /** From the trace's earliest start to this span's start, in milliseconds, from nanoseconds. */
  readonly offsetMs: number;
  /** Its parent is named but was not received (the root of an incomplete trace, or a span whose parent was dropped). */
  readonly orphan: boolean;
}

export interface TraceDetail {
  readonly summary: TraceSummary;
  /** Depth first: each span after its parent, siblings by start. */
  readonly spans: readonly WaterfallSpan[];
  /**
   * The span to show first: where the first error began (the first failed span, in waterfall
   * order, none of whose descendants failed), or the root when nothing failed.
   */
  readonly selectedSpanId: string | undefined;
}

/** Spans nest at most this deep on the page; deeper ones are shown at this depth. */
const MAX_DEPTH = 50;

/**
 * The waterfall of a trace and the span to select first.
 *
 * @example
 * const detail = traceDetail(store.traces.get(traceId));
 * detail.spans[0].offsetMs; // 0
 */
export function traceDetail(trace: StoredTrace): TraceDetail {
  const spans = trace.spans;
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string, ViewerSpan[]>();
  const roots: ViewerSpan[] = [];
  for (const span of spans) {
    const parent = span.parentSpanId;
    if (parent === undefined || !ids.has(parent) || parent === span.spanId) {
      roots.push(span);
      continue;
    }
    const list = children.get(parent) ?? [];
    list.push(span);
    children.set(parent, list);
  }
  const root = findRoot(spans);
  // The root first, then other orphans by start.
  roots.sort((a, b) => (a === root ? -1 : b === root ? 1 : byStart(a, b)));
  const { startNs } = extentNs(spans);
  const ordered: WaterfallSpan[] = [];
  // Per entry of `ordered`: whether it failed, and whether any span below it failed.
  const failed: boolean[] = [];
  const failedBelow: boolean[] = [];
  const parentIndex: number[] = [];
  const visited = new Set<ViewerSpan>();
  // Depth first without recursion: a trace can be a chain of thousands of spans.
  const walk = (start: ViewerSpan) => {
    const stack: { span: ViewerSpan; depth: number; parent: number }[] = [
      { span: start, depth: 0, parent: -1 },
    ];
    while (stack.length > 0) {
      const { span, depth, parent } = stack.pop() as (typeof stack)[number];
      if (visited.has(span)) continue;
      visited.add(span);
      const index = ordered.length;
      ordered.push({
        ...span,
        depth: Math.min(depth, MAX_DEPTH),
        offsetMs: nsToMs(BigInt(span.startNs) - startNs),
        durationMs: Math.max(0, nsToMs(BigInt(span.endNs) - BigInt(span.startNs))),
        orphan: span.parentSpanId !== undefined && !ids.has(span.parentSpanId),
      });
      failed.push(span.status === 'ERROR');
      failedBelow.push(false);
      parentIndex.push(parent);
      const next = [...(children.get(span.spanId) ?? [])].sort(byStart).reverse();
      for (const child of next) stack.push({ span: child, depth: depth + 1, parent: index });
    }
  };
  for (const span of roots) walk(span);
  // Spans in a parent cycle are reachable from no root: shown last rather than lost.
  for (const span of spans) walk(span);
  // Children come after their parent: walking backwards marks every ancestor of a failure.
  for (let index = ordered.length - 1; index >= 0; index -= 1) {
    const parent = parentIndex[index] ?? -1;
    if (parent >= 0 && (failed[index] || failedBelow[index])) failedBelow[parent] = true;
  }
  const origin = ordered.find((_, index) => failed[index] && !failedBelow[index]);
  return {
    summary: summarizeTrace(trace),
    spans: ordered,
    selectedSpanId: origin?.spanId ?? ordered[0]?.spanId,
  };
}
