import { type Env, readEnv } from '../runtime/index.js';

// Powertools reads its booleans (POWERTOOLS_DEV, POWERTOOLS_METRICS_DISABLED, …) with "extended
// parsing"; these are its spellings, so that a Powertools user's setting keeps working unchanged.
// A contract test holds them to Powertools' own reading (test/unit/config/read-powertools-boolean.test.ts).
const POWERTOOLS_TRUE = new Set(['true', '1', 'yes', 'y', 'on', 't']);
const POWERTOOLS_FALSE = new Set(['false', '0', 'no', 'n', 'off', 'f']);

/**
 * A Powertools boolean variable as Powertools reads it: true or false for its spellings (any
 * case), undefined when unset or unusable (where Powertools throws or falls back).
 *
 * @example
 * readPowertoolsBoolean({ POWERTOOLS_DEV: 'yes' }, 'POWERTOOLS_DEV'); // true
 */
export function readPowertoolsBoolean(env: Env, name: string): boolean | undefined {
  const raw = readEnv(env, name)?.toLowerCase();
  if (raw === undefined) return undefined;
  if (POWERTOOLS_TRUE.has(raw)) return true;
  if (POWERTOOLS_FALSE.has(raw)) return false;
  return undefined;
}
