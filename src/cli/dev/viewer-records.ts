// The records the viewer keeps and serves: plain JSON values only (no bigint, no bytes), so the
// API can send them with JSON.stringify and the page can use them as they are.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Where a record came from. */
export const RECORD_SOURCES = ['otlp', 'xray', 'stdout', 'stderr'] as const;
export type RecordSource = (typeof RECORD_SOURCES)[number];

export interface ViewerSpanEvent {
  readonly name: string;
  readonly timeMs: number;
  readonly attributes: JsonObject;
}

/**
 * One span, from OTLP or from an X-Ray segment or subsegment. `startMs` and `durationMs` are
 * epoch milliseconds (fractional); `startNs` and `endNs` are the exact epoch nanoseconds as
 * decimal strings (JSON has no 64-bit integers), which offsets inside a trace are computed from.
 */
export interface ViewerSpan {
  /** 32 lowercase hex digits (an X-Ray trace id `1-xxxxxxxx-yyyy…` is converted). */
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  /** `SERVER`, `CLIENT`, `INTERNAL`, `PRODUCER`, `CONSUMER` or `UNSPECIFIED`. */
  readonly kind: string;
  /** `service.name` of the resource (OTLP) or the segment's name (X-Ray); undefined when unknown. */
  readonly service: string | undefined;
  readonly startMs: number;
  readonly durationMs: number;
  readonly startNs: string;
  readonly endNs: string;
  readonly status: 'UNSET' | 'OK' | 'ERROR';
  readonly statusMessage: string;
  readonly attributes: JsonObject;
  readonly events: readonly ViewerSpanEvent[];
  readonly source: 'otlp' | 'xray';
}

/** One log line: a Powertools JSON line, an OTLP log record, or a plain text line of the app. */
export interface ViewerLog {
  readonly seq: number;
  readonly timeMs: number;
  /** `INFO`, `ERROR`, … (a logger's number, as pino writes, by its name); undefined for a plain text line. */
  readonly level: string | undefined;
  readonly message: string;
  readonly service: string | undefined;
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
  readonly requestId: string | undefined;
  readonly source: RecordSource;
  /** Every field of a structured line (or the OTLP record's attributes); empty for text. */
  readonly fields: JsonObject;
}

/** One audit entry (a JSON line with `audit: true`). */
export interface ViewerAudit {
  readonly seq: number;
  readonly timeMs: number;
  readonly traceId: string | undefined;
  readonly userId: string | undefined;
  readonly action: string | undefined;
  readonly resource: string | undefined;
  readonly status: string | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;
  /** The whole entry as written. */
  readonly entry: JsonObject;
}

export interface ViewerHistogram {
  readonly count: number;
  readonly sum: number | undefined;
  /** Upper bounds of the buckets but the last (OTLP explicit bounds). */
  readonly bounds: readonly number[];
  readonly counts: readonly number[];
}

/** One metric point: one EMF metric of one document, or one OTLP data point. */
export interface ViewerMetricPoint {
  readonly seq: number;
  readonly timeMs: number;
  readonly name: string;
  readonly unit: string;
  readonly source: 'emf' | 'otlp';
  /** EMF dimensions, or OTLP attributes as strings. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** EMF values (one, or every sample of a value array); an OTLP gauge or sum value. */
  readonly values: readonly number[];
  /** OTLP only: `gauge`, `sum`, `histogram`, … */
  readonly type: string | undefined;
  /** OTLP sums and histograms: `DELTA` or `CUMULATIVE`. */
  readonly temporality: string | undefined;
  readonly histogram: ViewerHistogram | undefined;
  /** The resource's `service.name` (OTLP) or the `Service` dimension (EMF). */
  readonly service: string | undefined;
}
