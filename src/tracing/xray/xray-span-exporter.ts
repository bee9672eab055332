import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { randomHex } from '../../runtime/random-ids.js';
import { assembleDocuments, type PlacedDocument } from './assemble-documents.js';
import type { DaemonSender } from './create-daemon-sender.js';
import { type FittedDocument, fitDatagrams, packDatagrams } from './fit-datagrams.js';
import type { LambdaTraceHeader } from './lambda-trace-header.js';
import { type MapSpanOptions, mapSpanToDocument } from './map-span.js';
import { planPlacements, type TraceMemory } from './plan-placements.js';
import type { XRaySpanInput } from './xray-document.js';

/** X-Ray indexes at most this many annotations per trace. */
export const MAX_ANNOTATIONS_PER_TRACE = 50;
/** Traces whose annotation keys and origin are remembered; older ones are forgotten first. */
const REMEMBERED_TRACES = 2048;

/** A first-in first-out bounded set: memory stays flat however many traces pass. */
class BoundedTraceSet implements TraceMemory {
  readonly #items = new Set<string>();
  has(traceId: string): boolean {
    return this.#items.has(traceId);
  }
  add(traceId: string): void {
    if (this.#items.has(traceId)) return;
    this.#items.add(traceId);
    if (this.#items.size > REMEMBERED_TRACES) {
      const oldest = this.#items.values().next().value;
      if (oldest !== undefined) this.#items.delete(oldest);
    }
  }
}

/** Grants annotation keys per trace, at most 50 distinct keys each, over bounded memory. */
export function createAnnotationBudget(
  limit: number = MAX_ANNOTATIONS_PER_TRACE,
): (traceId: string, key: string) => boolean {
  const keysByTrace = new Map<string, Set<string>>();
  return (traceId, key) => {
    let keys = keysByTrace.get(traceId);
    if (keys === undefined) {
      keys = new Set();
      keysByTrace.set(traceId, keys);
      if (keysByTrace.size > REMEMBERED_TRACES) {
        const oldest = keysByTrace.keys().next().value;
        if (oldest !== undefined) keysByTrace.delete(oldest);
      }
    }
    if (keys.has(key)) return true;
    if (keys.size >= limit) return false;
    keys.add(key);
    return true;
  };
}

export interface XRaySpanExporterOptions {
  readonly sender: DaemonSender;
  readonly annotationAttributes: readonly string[];
  /** On Lambda: reads the current invocation's trace header; undefined elsewhere. */
  readonly readLambdaTraceHeader?: (() => LambdaTraceHeader | undefined) | undefined;
  /**
   * Called for each batch in which a document had values cut to fit a datagram. The caller
   * reports it: this module holds no diagnostics of its own, because the CommonJS build loads
   * it from a file apart from the core (docs/decisions/0074-xray-exporter-loaded-when-chosen.md).
   */
  readonly reportTruncated?: (() => void) | undefined;
}

/** The documents for a batch of spans, and what had to be dropped or cut on the way. */
export interface EncodedBatch {
  readonly documents: readonly FittedDocument[];
  readonly truncated: number;
}

const newId = (): string => randomHex(8);

/**
 * Maps a batch of finished spans to fitted X-Ray documents: placement (segment or subsegment,
 * trace, parent), mapping, nesting within the batch, then fitting each into one datagram.
 */
export function encodeSpans(
  spans: readonly XRaySpanInput[],
  lambda: LambdaTraceHeader | undefined,
  foreignTraces: TraceMemory,
  options: MapSpanOptions,
): EncodedBatch {
  const placements = planPlacements(spans, lambda, foreignTraces);
  const placed: PlacedDocument[] = [];
  spans.forEach((span, index) => {
    const placement = placements[index];
    if (placement === undefined) return;
    placed.push({ document: mapSpanToDocument(span, placement, options), role: placement.role });
  });
  const fitted = fitDatagrams(assembleDocuments(placed));
  const documents = fitted.documents;
  return { documents, truncated: fitted.truncated };
}

/**
 * An OpenTelemetry span exporter that writes X-Ray segment documents to the X-Ray daemon over
 * UDP, with no collector in between (docs/xray.md). Failures come back as FAILED results, which
 * Lookout's ReportingSpanExporter counts and reports once; nothing is thrown.
 */
export class XRaySpanExporter implements SpanExporter {
  readonly #sender: DaemonSender;
  readonly #readLambdaTraceHeader: (() => LambdaTraceHeader | undefined) | undefined;
  readonly #reportTruncated: (() => void) | undefined;
  readonly #foreignTraces = new BoundedTraceSet();
  readonly #mapOptions: MapSpanOptions;
  #stopped = false;

  constructor(options: XRaySpanExporterOptions) {
    this.#sender = options.sender;
    this.#readLambdaTraceHeader = options.readLambdaTraceHeader;
    this.#reportTruncated = options.reportTruncated;
    this.#mapOptions = {
      annotationAttributes: [...options.annotationAttributes],
      admitAnnotation: createAnnotationBudget(),
      newId,
    };
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.#stopped) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('the X-Ray exporter is shut down') });
      return;
    }
    let batch: EncodedBatch;
    try {
      // Read per export: on Lambda each invocation has its own header (Lookout's Lambda wrapper
      // flushes before the invocation returns, so spans are exported within their invocation).
      const lambda = this.#readLambdaTraceHeader?.();
      batch = encodeSpans(spans, lambda, this.#foreignTraces, this.#mapOptions);
    } catch (error) {
      resultCallback({
        code: ExportResultCode.FAILED,
        error: error instanceof Error ? error : new Error(String(error)),
      });
      return;
    }
    if (batch.truncated > 0) this.#reportTruncated?.();
    this.#sender.send(packDatagrams(batch.documents)).then(
      (error) =>
        resultCallback(
          error === undefined ? { code: ExportResultCode.SUCCESS } : { code: ExportResultCode.FAILED, error },
        ),
      (error: unknown) =>
        resultCallback({
          code: ExportResultCode.FAILED,
          error: error instanceof Error ? error : new Error(String(error)),
        }),
    );
  }

  forceFlush(): Promise<void> {
    return this.#sender.flush();
  }

  async shutdown(): Promise<void> {
    this.#stopped = true;
    await this.#sender.close();
  }
}
