import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { InstrumentationName } from '../config/index.js';
import { describeError, diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';
import { getResponseContentLength, RESPONSE_BODY_SIZE_ATTRIBUTE } from './response-content-length.js';

/** What the instrumentations need to know to leave Lookout's own traffic alone. */
export interface InstrumentationContext {
  /** True for request paths excluded from telemetry (health checks; DESIGN decision 7). */
  readonly isExcludedPath: (url: string | undefined) => boolean;
  /** URLs Lookout exports to; requests to them create no spans. */
  readonly exporterUrls: readonly string[];
}

interface OutgoingRequestLike {
  hostname?: string | null | undefined;
  host?: string | null | undefined;
  port?: string | number | null | undefined;
  path?: string | null | undefined;
}

function createExporterRequestMatcher(urls: readonly string[]) {
  const targets = urls.flatMap((raw) => {
    try {
      const url = new URL(raw);
      const port = url.port || (url.protocol === 'https:' ? '443' : '80');
      return [{ host: url.hostname, port, path: url.pathname }];
    } catch {
      return [];
    }
  });
  return (request: OutgoingRequestLike): boolean =>
    targets.some((target) => {
      const host = request.hostname ?? request.host?.split(':')[0];
      const port = request.port === undefined || request.port === null ? undefined : String(request.port);
      return (
        host === target.host &&
        (port === undefined || port === target.port) &&
        request.path?.startsWith(target.path) === true
      );
    });
}

// Every module is required only when its instrumentation is enabled (DESIGN decision 5).
// Instances are created enabled, as upstream expects: some (undici) read `config.enabled` on
// every request, so creating them disabled and enabling later would leave them ignoring all
// traffic. The ESM loader hook only consults its include list when a module is imported, so
// registering it after construction is still in time.
const FACTORIES: Record<InstrumentationName, (context: InstrumentationContext) => Instrumentation> = {
  http: (context) => {
    const { HttpInstrumentation } =
      require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
    const isExporterRequest = createExporterRequestMatcher(context.exporterUrls);
    return new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => context.isExcludedPath(request.url),
      ignoreOutgoingRequestHook: (request) => isExporterRequest(request),
      // The response's declared size, for X-Ray's content_length (response-content-length.ts).
      applyCustomAttributesOnSpan: (span, _request, response) => {
        const size = getResponseContentLength(response);
        if (size !== undefined) span.setAttribute(RESPONSE_BODY_SIZE_ATTRIBUTE, size);
      },
    });
  },
  express: () => {
    const { ExpressInstrumentation } =
      require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
    return new ExpressInstrumentation();
  },
  undici: (context) => {
    const { UndiciInstrumentation } =
      require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
    const isExporterRequest = createExporterRequestMatcher(context.exporterUrls);
    return new UndiciInstrumentation({
      ignoreRequestHook: (request) => {
        try {
          const url = new URL(request.path, request.origin);
          return isExporterRequest({
            hostname: url.hostname,
            port: url.port || (url.protocol === 'https:' ? 443 : 80),
            path: url.pathname,
          });
        } catch {
          return false;
        }
      },
    });
  },
  'aws-sdk': () => {
    const { AwsInstrumentation } =
      require('@opentelemetry/instrumentation-aws-sdk') as typeof import('@opentelemetry/instrumentation-aws-sdk');
    return new AwsInstrumentation({ suppressInternalInstrumentation: true });
  },
};

/**
 * Creates the enabled instrumentations. One that fails to load is reported and skipped:
 * the app keeps running without it (DESIGN decision 4).
 */
export function createInstrumentations(
  names: readonly InstrumentationName[],
  context: InstrumentationContext,
): Instrumentation[] {
  const created: Instrumentation[] = [];
  for (const name of names) {
    try {
      created.push(FACTORIES[name](context));
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
