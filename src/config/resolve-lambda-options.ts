import { LookoutConfigError } from '../errors/index.js';
import type { LambdaOptions, LambdaTraceContext } from './options.js';
import { validateOptionValue } from './parse-setting.js';
import type { Config } from './resolve-config.js';
import { LAMBDA_SETTINGS } from './settings/lambda.js';

/** The Lambda settings one wrapped handler runs with. */
export type LambdaSettings = Config['lambda'];

const KEYS = new Map(LAMBDA_SETTINGS.map((setting) => [setting.path.slice('lambda.'.length), setting]));

/**
 * Lays the options given to one `wrap()` / `middy()` call over the resolved `lambda.*` settings,
 * validating each with the same rules as `init({ lambda })`: an unknown key or an invalid value
 * throws `LookoutConfigError` (options in code are fixed at deploy time, docs/design.md decision 4).
 *
 * 1. the option passed to `wrap(handler, options)` / `middy(options)`;
 * 2. the resolved configuration (`init({ lambda })`, `LOOKOUT_LAMBDA_*`, defaults).
 *
 * @example
 * resolveLambdaOptions(config.lambda, { traceContext: 'http' });
 * // { traceContext: 'http', flushTimeoutMs: 2000, deadlineMarginMs: 500, deliverAfterResponse: true, logLinesAfterResponse: false }
 */
export function resolveLambdaOptions(
  base: LambdaSettings,
  options: LambdaOptions | undefined,
): LambdaSettings {
  if (options === undefined) return base;
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new LookoutConfigError({ option: 'lambda', value: options, accepted: 'an object or undefined' });
  const resolved: { -readonly [K in keyof LambdaSettings]: LambdaSettings[K] } = { ...base };
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const setting = KEYS.get(key);
    if (setting === undefined)
      throw new LookoutConfigError({
        option: `lambda.${key}`,
        value,
        accepted: `one of the Lambda options: ${[...KEYS.keys()].join(', ')}`,
      });
    const validated = validateOptionValue(setting, value);
    if (key === 'traceContext') resolved.traceContext = validated as LambdaTraceContext;
    else if (key === 'flushTimeoutMs') resolved.flushTimeoutMs = validated as number;
    else if (key === 'deadlineMarginMs') resolved.deadlineMarginMs = validated as number;
    else if (key === 'deliverAfterResponse') resolved.deliverAfterResponse = validated as boolean;
    else if (key === 'logLinesAfterResponse') resolved.logLinesAfterResponse = validated as boolean;
  }
  return resolved;
}
