import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { InstrumentationName } from '../config/index.js';
import { describeError, diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';

/** A request's destination, as the exporter matcher compares it. */
export interface RequestTarget {
  readonly host: string;
  readonly port: string;
  readonly path: string;
}

/** A test for requests to the endpoints Lookout exports to (docs/design.md decision 7). */
export function createExporterRequestMatcher(urls: readonly string[]): (target: RequestTarget) => boolean {
  const targets = urls.flatMap((raw) => {
    try {
      const url = new URL(raw);
      const port = url.port || (url.protocol === 'https:' ? '443' : '80');
      return [{ host: url.hostname, port, path: url.pathname }];
    } catch {
      return [];
    }
  });
  return (request) =>
    targets.some(
      (target) =>
        request.host === target.host && request.port === target.port && request.path.startsWith(target.path),
    );
}

/** Instrumentations Lookout implements itself, from Node's diagnostics channels. */
export const OWN_INSTRUMENTATIONS: ReadonlySet<InstrumentationName> = new Set(['http', 'undici', 'express']);

// The OpenTelemetry instrumentations Lookout loads, each required only when enabled (docs/design.md
// decision 5). `http`, `undici` and the Express route template are Lookout's own, from Node's
// diagnostics channels (docs/decisions/0005-request-path-from-diagnostics-channels.md); the
// upstream Express instrumentation is loaded only for its per-middleware spans, on request.
const FACTORIES: Partial<Record<InstrumentationName, () => Instrumentation>> = {
  express: () => {
    const { ExpressInstrumentation } =
      require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
    return new ExpressInstrumentation();
  },
  'aws-sdk': () => {
    const { AwsInstrumentation } =
      require('@opentelemetry/instrumentation-aws-sdk') as typeof import('@opentelemetry/instrumentation-aws-sdk');
    return new AwsInstrumentation({ suppressInternalInstrumentation: true });
  },
};

/**
 * Creates the enabled instrumentations. One that fails to load is reported and skipped:
 * the app keeps running without it (docs/design.md decision 4).
 */
export function createInstrumentations(
  names: readonly InstrumentationName[],
  options: { readonly expressMiddlewareSpans: boolean },
): Instrumentation[] {
  const created: Instrumentation[] = [];
  for (const name of names) {
    if (name === 'express' && !options.expressMiddlewareSpans) continue;
    const factory = FACTORIES[name];
    if (factory === undefined) continue;
    try {
      created.push(factory());
    } catch (error) {
      diagnostics.warn(
        ERROR_CODES.INSTRUMENTATION_FAILED,
        `The ${name} instrumentation could not be loaded and is off: ${describeError(error)}`,
      );
    }
  }
  return created;
}

/** Module names the instrumentations hook, for the ESM loader's include list. */
export function getHookedModuleNames(instrumentations: readonly Instrumentation[]): string[] {
  const names = new Set<string>();
  for (const instrumentation of instrumentations) {
    const definitions =
      (
        instrumentation as { getModuleDefinitions?: () => Array<{ name: string }> }
      ).getModuleDefinitions?.() ?? [];
    for (const definition of definitions) names.add(definition.name);
  }
  return [...names];
}
