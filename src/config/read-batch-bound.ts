import { diagnostics } from '../diag/index.js';
import { ERROR_CODES } from '../errors/index.js';

/**
 * A batch processor's bound from the environment (`OTEL_BSP_*`, `OTEL_BLRP_*`): a whole number
 * from `least` to `most`, or undefined when unset or invalid (said once) so that the default
 * applies. A delay or timeout passes `most` = the longest a Node timer waits: past it, Node
 * fires the timer after 1 ms.
 *
 * @example
 * readBatchBound('OTEL_BLRP_MAX_QUEUE_SIZE', readEnv(env, 'OTEL_BLRP_MAX_QUEUE_SIZE'), 1); // 4096 for "4096"
 */
export function readBatchBound(
  name: string,
  raw: string | undefined,
  least: number,
  most = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= least && value <= most) return value;
  diagnostics.warnOnce(
    `env:${name}`,
    ERROR_CODES.ENV_INVALID,
    most === Number.MAX_SAFE_INTEGER
      ? `${name}="${raw}" is not a whole number of at least ${least}; the default is used.`
      : `${name}="${raw}" is not a whole number from ${least} to ${most}; the default is used.`,
  );
  return undefined;
}
