import type { Attributes, AttributeValue, Link } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { isPastInt64 } from '../../logging/otlp/int64-range.js';

// OTLP/JSON writes every integral number as an `intValue`, an int64, whatever its size (a 64-bit
// hash read with parseInt is past 2^63), and a collector refuses the whole request when one is
// out of range: one such attribute cost every span of its batch. The protobuf encoder writes
// such a number as a double; OTLP/JSON, through the transformer, has no way to, so it is written
// as its decimal text, which keeps the number.

// NaN too (±Infinity are past int64): the transformer writes it as a `doubleValue`, and
// JSON.stringify that as `null`, which the collector refuses with the whole request. As text it
// keeps the value and the batch. An integer metric's point past this range is sent as a double
// (int64-safe-metric-exporter.ts).
export function isOutOfRange(value: unknown): value is number {
  return typeof value === 'number' && (isPastInt64(value) || Number.isNaN(value));
}

function fitValue(value: AttributeValue | undefined): AttributeValue | undefined {
  if (isOutOfRange(value)) return String(value);
  if (Array.isArray(value) && value.some(isOutOfRange))
    return value.map((item) => (isOutOfRange(item) ? String(item) : item)) as AttributeValue;
  return value;
}

/**
 * The attributes with out-of-range integers as text; the same object when there is none. Also
 * for metric data points' attributes (metrics/int64-safe-metric-exporter.ts).
 */
export function fitAttributes(attributes: Attributes | undefined): Attributes | undefined {
  if (attributes === undefined) return undefined;
  let copy: Attributes | undefined;
  for (const key in attributes) {
    const value = attributes[key];
    const fitted = fitValue(value);
    if (fitted === value) continue;
    copy ??= { ...attributes };
    copy[key] = fitted;
  }
  return copy ?? attributes;
}

function fitEach<T extends { attributes?: Attributes | undefined }>(items: readonly T[]): T[] | undefined {
  let copy: T[] | undefined;
  items.forEach((item, index) => {
    const attributes = fitAttributes(item.attributes);
    if (attributes === item.attributes) return;
    copy ??= [...items];
    copy[index] = { ...item, attributes };
  });
  return copy;
}

/**
 * A view of the span whose integer attributes (of the span, its events and links) past the
 * int64 range are their decimal text, or the span itself when it has none (the usual case).
 *
 * @example
 * withInt64Attributes(span).attributes['app.hash']; // '17557446313290811000' for 2^64-ish
 */
export function withInt64Attributes(span: ReadableSpan): ReadableSpan {
  const attributes = fitAttributes(span.attributes);
  const events = fitEach<TimedEvent>(span.events);
  const links = fitEach<Link>(span.links);
  if (attributes === span.attributes && events === undefined && links === undefined) return span;
  return Object.create(span, {
    attributes: { value: attributes, enumerable: true },
    events: { value: events ?? span.events, enumerable: true },
    links: { value: links ?? span.links, enumerable: true },
  }) as ReadableSpan;
}

/** Hands spans to the OTLP/JSON exporter with their out-of-range integers as text. */
export class Int64SafeSpanExporter implements SpanExporter {
  readonly #inner: SpanExporter;

  constructor(inner: SpanExporter) {
    this.#inner = inner;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.#inner.export(spans.map(withInt64Attributes), resultCallback);
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush?.() ?? Promise.resolve();
  }
}
