import type { Env, RuntimeInfo } from '../runtime/index.js';

/** What a setting's default may depend on. */
export interface DefaultContext {
  readonly env: Env;
  readonly runtime: RuntimeInfo;
}

/**
 * A standard variable that a setting aliases. `invert` reads a boolean the other way round
 * (OTEL_SDK_DISABLED=true means `tracing.enabled: false`).
 */
export type StandardVariable = string | { readonly name: string; readonly invert: true };

interface SettingBase<T> {
  /** Dotted path of the option in `init()` options, e.g. `tracing.sampler`. */
  readonly path: string;
  /** The Lookout variable, always `LOOKOUT_…`. */
  readonly env: `LOOKOUT_${string}`;
  /** Standard variables it aliases, highest precedence first (OTEL_* before POWERTOOLS_*). */
  readonly standard?: readonly StandardVariable[];
  /**
   * A fixed default, or one computed from the environment and runtime. `undefined` means the
   * value is derived from other settings after resolution (see resolve-config.ts).
   */
  readonly default: T | undefined | ((context: DefaultContext) => T | undefined);
  /** How the default reads in docs/environment-variables.md. */
  readonly defaultText: string;
  readonly description: string;
  /**
   * A rule beyond the type: returns why a parsed value is not accepted, or undefined when it
   * is. A variable that fails it is skipped with a warning; an option that fails it throws.
   */
  readonly check?: (value: T) => string | undefined;
  /** What is accepted, in words, when the type's own wording is not precise enough. */
  readonly acceptsText?: string;
}

export type Setting =
  | (SettingBase<string> & { readonly type: 'string' })
  | (SettingBase<string> & { readonly type: 'url' })
  | (SettingBase<boolean> & { readonly type: 'boolean' })
  | (SettingBase<number> & {
      readonly type: 'integer' | 'number';
      readonly min: number;
      readonly max: number;
    })
  | (SettingBase<string> & { readonly type: 'enum'; readonly values: readonly string[] })
  | (SettingBase<readonly string[]> & {
      readonly type: 'list';
      /** Accepted items; any string when absent. */
      readonly values?: readonly string[];
      /** Whether code may pass one string instead of an array. */
      readonly acceptsSingle?: boolean;
    })
  | (SettingBase<Readonly<Record<string, string>>> & {
      readonly type: 'map';
      /**
       * A rule for each pair: returns why it is not accepted. A variable's pair that fails it is
       * dropped with a warning naming its key (never its value, which may be a secret); an
       * option's throws.
       */
      readonly checkPair?: (key: string, value: string) => string | undefined;
    });

export type SettingType = Setting['type'];

/** Identity function that checks a table at compile time and keeps its literal types. */
export function defineSettings<const T extends readonly Setting[]>(settings: T): T {
  return settings;
}
