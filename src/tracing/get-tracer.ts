import { type Tracer, trace } from '@opentelemetry/api';

/**
 * A tracer for the app's own spans. Spans made with it, or with `@opentelemetry/api`
 * directly, go through Lookout's provider once `init()` has run.
 *
 * @example
 * const span = getTracer().startSpan('charge-card');
 * try { await charge(); } finally { span.end(); }
 */
export function getTracer(name = 'app', version?: string): Tracer {
  return trace.getTracer(name, version);
}
