// The one module that reaches members Powertools Metrics marks private in its types
// (docs/decisions/0052-powertools-metrics-internals.md). Every other file uses the functions
// below; `npm run lint` fails when one names these members itself (scripts/lib/private-members.mjs).
// Each member has a contract test against the pinned version
// (test/unit/internals/powertools-metrics-internals.test.ts).
import { Metrics } from '@aws-lambda-powertools/metrics';

/** What Powertools writes each EMF document with: `log(text)`, one document per call. */
export interface MetricsConsole {
  log(text: string): void;
}

/** The members, as they are at runtime on the pinned version (plain properties and methods). */
interface MetricsInternals {
  namespace?: string | undefined;
  disabled: boolean;
  console: MetricsConsole;
}

interface MetricsPrototypeInternals {
  setEnvConfig(this: Metrics): void;
  setConsole(this: Metrics): void;
}

function internals(instance: Metrics): MetricsInternals {
  return instance as unknown as MetricsInternals;
}

/**
 * What `instance` writes its documents with (`console`): Powertools' own `Console` on
 * process.stdout, or the global console in POWERTOOLS_DEV mode.
 */
export function getMetricsConsole(instance: Metrics): MetricsConsole {
  return internals(instance).console;
}

/** Makes `instance` write its documents with `console`. */
export function setMetricsConsole(instance: Metrics, console: MetricsConsole): void {
  internals(instance).console = console;
}

/** The namespace `instance` writes its documents under (`namespace`), if one was set. */
export function getMetricsNamespace(instance: Metrics): string | undefined {
  return internals(instance).namespace;
}

/**
 * Sets the namespace of a `Metrics` that exists. Powertools' own setter (`setNamespace`) is
 * private too and falls back to its environment when given an empty namespace.
 */
export function setMetricsNamespace(instance: Metrics, namespace: string): void {
  internals(instance).namespace = namespace;
}

/**
 * Turns writing on or off for a `Metrics` that exists (`disabled`; read back through the
 * protected `isDisabled()`). Powertools decides it only from its environment, in its constructor.
 */
export function setMetricsDisabled(instance: Metrics, disabled: boolean): void {
  internals(instance).disabled = disabled;
}

/**
 * Wraps how instances of `target` (a subclass's prototype) read Powertools' environment
 * (`setEnvConfig`, run by the constructor): `onError` gets what it throws (a bad
 * POWERTOOLS_METRICS_DISABLED) instead of the caller, and construction goes on.
 */
export function guardEnvironmentReading(target: object, onError: (error: unknown) => void): void {
  const base = (Metrics.prototype as unknown as MetricsPrototypeInternals).setEnvConfig;
  Object.defineProperty(target, 'setEnvConfig', {
    configurable: true,
    writable: true,
    value: function setEnvConfig(this: Metrics): void {
      try {
        base.call(this);
      } catch (error) {
        onError(error);
      }
    },
  });
}

/**
 * Replaces how instances of `target` (a subclass's prototype) get their console (`setConsole`,
 * run by the constructor): `consoleFor()` instead of the `Console` on process.stdout and
 * process.stderr that Powertools builds for each instance, which a subclass writing its
 * documents elsewhere never uses (docs/decisions/0069-no-unused-powertools-consoles.md).
 */
export function replaceConsoleSetup(target: object, consoleFor: () => MetricsConsole): void {
  Object.defineProperty(target, 'setConsole', {
    configurable: true,
    writable: true,
    value: function setConsole(this: Metrics): void {
      internals(this).console = consoleFor();
    },
  });
}
