import { type Span, SpanStatusCode } from '@opentelemetry/api';
import { describeError } from '../diag/index.js';

/**
 * What is said of a thrown value that cannot be read. Work may throw anything: a value with no
 * prototype (no `toString`), an Error whose getters throw, a revoked Proxy. Reading it must cost
 * neither the span its end nor the caller what it threw.
 */
export const UNREADABLE_THROWN_VALUE = 'a thrown value that could not be read';

/** The error's message for the span status, or UNREADABLE_THROWN_VALUE when reading it throws. */
function statusMessageOf(error: unknown): string {
  try {
    return error instanceof Error ? error.message : describeError(error);
  } catch {
    return UNREADABLE_THROWN_VALUE;
  }
}

/**
 * Records what a piece of work threw on its span: the ERROR status with the error's message, and
 * an `exception` event (the Error, a thrown string as it is, anything else described). Never
 * throws: a value that cannot be read is recorded as such. Used by `traced()` and by a Lambda
 * invocation's span.
 *
 * @example
 * try { work(); } catch (error) { recordThrownValue(span, error); throw error; }
 */
export function recordThrownValue(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: statusMessageOf(error) });
  try {
    if (error instanceof Error) span.recordException(error);
    else span.recordException(typeof error === 'string' ? error : describeError(error));
  } catch {
    // The span reads every field of the error before it adds the event: nothing was recorded yet.
    span.recordException(UNREADABLE_THROWN_VALUE);
  }
}
