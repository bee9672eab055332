import type { Setting } from '../setting.js';
import { CORE_SETTINGS } from './core.js';
import { HTTP_SETTINGS } from './http.js';
import { LAMBDA_SETTINGS } from './lambda.js';
import { LOGGING_SETTINGS } from './logging.js';
import { LOGS_SETTINGS } from './logs.js';
import { METRICS_SETTINGS } from './metrics.js';
import { OTLP_SETTINGS } from './otlp.js';
import { TRACING_SETTINGS } from './tracing.js';
import { XRAY_SETTINGS } from './xray.js';

/** Every row of the table, with its literal path, type and accepted values. */
export type TableSetting =
  | (typeof CORE_SETTINGS)[number]
  | (typeof OTLP_SETTINGS)[number]
  | (typeof TRACING_SETTINGS)[number]
  | (typeof LAMBDA_SETTINGS)[number]
  | (typeof METRICS_SETTINGS)[number]
  | (typeof XRAY_SETTINGS)[number]
  | (typeof LOGGING_SETTINGS)[number]
  | (typeof LOGS_SETTINGS)[number]
  | (typeof HTTP_SETTINGS)[number];

/** The path of every setting: `tracing.sampler`, `logging.level`, … */
export type SettingPath = TableSetting['path'];

type Accepted<Row> = Row extends { readonly values: readonly (infer Value)[] } ? Value : string;

/** What a row parses to, by its type. */
type ParsedValue<Row> = Row extends { readonly type: 'boolean' }
  ? boolean
  : Row extends { readonly type: 'integer' | 'number' }
    ? number
    : Row extends { readonly type: 'enum' }
      ? Accepted<Row>
      : Row extends { readonly type: 'list' }
        ? readonly Accepted<Row>[]
        : Row extends { readonly type: 'map' }
          ? Readonly<Record<string, string>>
          : string;

/** A row's default, computed or fixed; `undefined` when its value is derived after resolution. */
type DefaultOf<Row> = Row extends { readonly default: infer Default }
  ? Default extends (...args: never[]) => infer Computed
    ? Computed
    : Default
  : undefined;

/**
 * The value a setting resolves to, by its path in the table: its parsed type, and `undefined`
 * when nothing set it and it has no default.
 *
 * @example
 * type Sampler = SettingValue<'tracing.sampler'>; // 'always_on' | 'always_off' | …
 */
export type SettingValue<Path extends SettingPath> = TableSetting extends infer Row
  ? Row extends { readonly path: Path }
    ? ParsedValue<Row> | (undefined extends DefaultOf<Row> ? undefined : never)
    : never
  : never;

/**
 * The one table of settings (docs/contributing.md): it drives environment parsing, option validation and
 * the generated docs/environment-variables.md. Each area keeps its rows in its own file.
 */
export const SETTINGS: readonly Setting[] = [
  ...CORE_SETTINGS,
  ...OTLP_SETTINGS,
  ...TRACING_SETTINGS,
  ...LAMBDA_SETTINGS,
  ...METRICS_SETTINGS,
  ...XRAY_SETTINGS,
  ...LOGGING_SETTINGS,
  ...LOGS_SETTINGS,
  ...HTTP_SETTINGS,
];
