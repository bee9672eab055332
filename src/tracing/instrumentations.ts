import type { Instrumentation } from '@opentelemetry/instrumentation';
import {
  AUTO_INSTRUMENTATIONS,
  BUILT_IN_INSTRUMENTATION_NAMES,
  type BuiltInInstrumentationName,
  CONTRIB_INSTRUMENTATION_NAMES,
  CONTRIB_INSTRUMENTATIONS,
  type ContribInstrumentationName,
  type InstrumentationName,
} from '../config/index.js';
import { describeError, diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';
import { loadContribInstrumentation, resolveFromDirs } from './load-contrib-instrumentation.js';
import { readAppDependencies } from './read-app-dependencies.js';

/** A request's destination, as the exporter matcher compares it. */
export interface RequestTarget {
  readonly host: string;
  readonly port: string;
  readonly path: string;
}

/** A test for requests to the endpoints Lookout exports to (DESIGN decision 7). */
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

// The OpenTelemetry instrumentations Lookout ships, each required only when enabled (DESIGN
// decision 5). `http`, `undici` and the Express route template are Lookout's own, from Node's
// diagnostics channels (docs/decisions/0005-request-path-from-diagnostics-channels.md); the
// upstream Express instrumentation is loaded only for its per-middleware spans, on request.
// Contrib instrumentations are not shipped: they load from the app (load-contrib-instrumentation.ts).
const FACTORIES: Partial<Record<BuiltInInstrumentationName, () => Instrumentation>> = {
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

const BUILT_IN: ReadonlySet<string> = new Set(BUILT_IN_INSTRUMENTATION_NAMES);
const CONTRIB: ReadonlySet<string> = new Set(CONTRIB_INSTRUMENTATION_NAMES);

function isContrib(name: InstrumentationName): name is ContribInstrumentationName {
  return CONTRIB.has(name);
}

/**
 * The instrumentation names to start, with `auto` replaced by the built-ins and every contrib
 * instrumentation whose target package is among the app's dependencies and whose package is
 * installed where the app resolves packages (docs/decisions/0045-contrib-instrumentations-on-demand.md).
 * Disabled names are never added. A dependency whose instrumentation is not installed is
 * reported at info level, as a hint.
 */
export function expandInstrumentationNames(
  names: readonly InstrumentationName[],
  options: { readonly appDirs: readonly string[]; readonly disabled: readonly InstrumentationName[] },
): InstrumentationName[] {
  if (!names.includes(AUTO_INSTRUMENTATIONS)) return [...names];
  const disabled = new Set<string>(options.disabled);
  const expanded = new Set<InstrumentationName>(names.filter((name) => name !== AUTO_INSTRUMENTATIONS));
  for (const name of BUILT_IN_INSTRUMENTATION_NAMES) if (!disabled.has(name)) expanded.add(name);
  const dependencies =
    options.appDirs[0] === undefined ? new Set<string>() : readAppDependencies(options.appDirs[0]);
  for (const name of CONTRIB_INSTRUMENTATION_NAMES) {
    if (disabled.has(name) || expanded.has(name)) continue;
    const target = CONTRIB_INSTRUMENTATIONS[name].targets.find((pkg) => dependencies.has(pkg));
    if (target === undefined) continue;
    const pkg = CONTRIB_INSTRUMENTATIONS[name].package;
    let installed: boolean;
    try {
      installed = resolveFromDirs(pkg, options.appDirs) !== undefined;
    } catch {
      installed = false;
    }
    if (installed) expanded.add(name);
    else diagnostics.info(`The app depends on ${target}; npm install ${pkg} and "auto" traces it too.`);
  }
  return [...expanded];
}

/**
 * Creates the enabled instrumentations that are not Lookout's own: the shipped upstream ones
 * and the contrib ones, loaded from `appDirs`. One that is not installed or fails to load is
 * reported once and skipped: the app keeps running without it (DESIGN decision 4).
 */
export function createInstrumentations(
  names: readonly InstrumentationName[],
  options: { readonly expressMiddlewareSpans: boolean; readonly appDirs: readonly string[] },
): Instrumentation[] {
  const created: Instrumentation[] = [];
  for (const name of names) {
    if (name === 'express' && !options.expressMiddlewareSpans) continue;
    if (isContrib(name)) {
      const result = loadContribInstrumentation(name, options.appDirs);
      if (result.status === 'loaded') created.push(result.instrumentation);
      else if (result.status === 'missing')
        diagnostics.warnOnce(
          `instrumentation-missing:${name}`,
          ERROR_CODES.INSTRUMENTATION_MISSING,
          `The "${name}" instrumentation is enabled but ${result.package} is not installed in the app, so ${name} is not traced. Install it: npm install ${result.package}`,
        );
      else
        diagnostics.warnOnce(
          `instrumentation-failed:${name}`,
          ERROR_CODES.INSTRUMENTATION_FAILED,
          `The ${name} instrumentation (${result.package}) could not be loaded and is off: ${result.reason}`,
        );
      continue;
    }
    if (!BUILT_IN.has(name)) continue;
    const factory = FACTORIES[name as BuiltInInstrumentationName];
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

/** The modules each instrumentation hooks, in its own order (the main module first). */
export function getHookedModules(
  instrumentations: readonly Instrumentation[],
): { instrumentation: string; moduleNames: string[] }[] {
  return instrumentations.map((instrumentation) => {
    const definitions =
      (
        instrumentation as { getModuleDefinitions?: () => Array<{ name: string }> }
      ).getModuleDefinitions?.() ?? [];
    return {
      instrumentation: instrumentation.instrumentationName,
      moduleNames: [...new Set(definitions.map((definition) => definition.name))],
    };
  });
}

/** Module names the instrumentations hook, for the ESM loader's include list. */
export function getHookedModuleNames(instrumentations: readonly Instrumentation[]): string[] {
  return [...new Set(getHookedModules(instrumentations).flatMap((entry) => entry.moduleNames))];
}
