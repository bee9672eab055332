import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { getLoggingRuntime } from '../logging/index.js';
import { RepeatedValueRedaction, redactSpan } from './redact-span.js';

/**
 * Applies the logging redaction policy to every span before it leaves the process, so a
 * secret censored in the logs is censored in traces too: query strings, captured headers,
 * user ids, exception messages (docs/logging.md, "redact()"). It runs in the batch export,
 * off the request path.
 */
export class RedactingSpanExporter implements SpanExporter {
  readonly #inner: SpanExporter;
  #repeated: RepeatedValueRedaction | undefined;

  constructor(inner: SpanExporter) {
    this.#inner = inner;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const { policy } = getLoggingRuntime();
    // Made again when the configuration (and so the policy) changed.
    if (this.#repeated?.policy !== policy) this.#repeated = new RepeatedValueRedaction(policy);
    const repeated = this.#repeated;
    this.#inner.export(
      spans.map((span) => redactSpan(span, policy, repeated)),
      resultCallback,
    );
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush?.() ?? Promise.resolve();
  }
}
