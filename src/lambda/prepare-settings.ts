import {
  describeError,
  diagnostics,
  ERROR_CODES,
  getLookout,
  init,
  type LambdaSettings,
  resolveLambdaOptions,
  SETTINGS,
} from '../core.js';
import type { WrapOptions } from './types.js';

function tableDefault<T>(path: string): T {
  return SETTINGS.find((setting) => setting.path === path)?.default as T;
}

/**
 * Starts Lookout from the environment if nothing started it yet (a handler module that imports
 * `lookout/lambda` needs no `init()` call), then resolves the settings one handler runs with.
 * Runs when the handler is wrapped, in the function's init phase, so the first invocation pays
 * nothing for it. Invalid options throw `LookoutConfigError`; a failed start-up does not.
 */
export function prepareSettings(options: WrapOptions | undefined): LambdaSettings {
  let base: LambdaSettings | undefined;
  try {
    base = (getLookout() ?? init()).config.lambda;
  } catch (error) {
    diagnostics.error(
      ERROR_CODES.START_FAILED,
      `Lookout could not start for this Lambda handler, which runs without it: ${describeError(error)}`,
    );
  }
  return resolveLambdaOptions(
    base ?? {
      traceContext: tableDefault('lambda.traceContext'),
      flushTimeoutMs: tableDefault('lambda.flushTimeoutMs'),
      deadlineMarginMs: tableDefault('lambda.deadlineMarginMs'),
    },
    options,
  );
}
