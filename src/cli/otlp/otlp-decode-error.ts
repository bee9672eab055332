// What decoding an OTLP payload accepts (its limits) and how it fails, for both encodings.

/** Default cap on message nesting; OTLP itself nests ~8 deep, AnyValue bodies a little more. */
export const DEFAULT_MAX_DEPTH = 100;
/**
 * Default cap on the number of messages decoded from one payload. It bounds memory: a hostile
 * payload can encode a message in 2 bytes, real exporters spend about 20 or more, so 2 million
 * lets through any real payload up to ~32 MiB while capping what tiny messages can allocate.
 */
export const DEFAULT_MAX_MESSAGES = 2_000_000;

/**
 * Thrown for any payload that is not a well-formed OTLP message: truncated, a bad wire type, a
 * varint longer than 10 bytes, a length past the end, invalid UTF-8, nesting or size past the
 * limits, or (for OTLP/JSON) a value of the wrong type.
 *
 * @example
 * try { decodeTraceRequest(body); }
 * catch (error) { if (error instanceof OtlpDecodeError) respond(400, error.message); }
 */
export class OtlpDecodeError extends Error {
  /** Byte offset in the payload where decoding failed, when known. */
  readonly offset: number | undefined;

  constructor(message: string, options?: { offset?: number; cause?: unknown }) {
    super(
      options?.offset === undefined ? message : `${message} (at byte ${options.offset})`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'OtlpDecodeError';
    this.offset = options?.offset;
  }
}

/** Limits applied while decoding one payload. */
export interface DecodeLimits {
  /**
   * Deepest message nesting accepted.
   * @default 100
   */
  readonly maxDepth?: number;
  /**
   * Most messages (spans, attributes, values, data points, ...) decoded from one payload.
   * @default 2000000
   */
  readonly maxMessages?: number;
}
