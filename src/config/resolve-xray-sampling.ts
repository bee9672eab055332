import { type Env, readEnv } from '../runtime/index.js';

/** Where and how often the X-Ray sampler polls (`OTEL_TRACES_SAMPLER=xray`). */
export interface XRaySamplingConfig {
  /** The daemon's or collector's sampling proxy. */
  readonly endpoint: string;
  readonly rulesIntervalMs: number;
  readonly targetsIntervalMs: number;
}

/** ADOT's defaults: the daemon's port, rules every 5 minutes, targets every 10 seconds. */
export const XRAY_SAMPLING_DEFAULTS: XRaySamplingConfig = {
  endpoint: 'http://localhost:2000',
  rulesIntervalMs: 300_000,
  targetsIntervalMs: 10_000,
};

const ARG_VARIABLES = ['LOOKOUT_TRACES_SAMPLER_ARG', 'OTEL_TRACES_SAMPLER_ARG'] as const;

/** The variables that hold the sampler argument, highest precedence first. */
export const SAMPLER_ARG_VARIABLES: readonly string[] = ARG_VARIABLES;

function seconds(raw: string, min: number, max: number): number | undefined {
  const value = Number(raw);
  return Number.isFinite(value) && value >= min && value <= max ? Math.round(value * 1000) : undefined;
}

/**
 * Reads the X-Ray sampler's argument as ADOT does: `endpoint=<url>,polling_interval=<seconds>`
 * (the rules), plus Lookout's `targets_interval=<seconds>` (the first statistics report; later
 * ones follow the interval X-Ray returns). Unusable items are warned about and left at their
 * defaults; never throws.
 *
 * @example
 * resolveXRaySampling({ OTEL_TRACES_SAMPLER_ARG: 'endpoint=http://collector:2000' }, warn);
 */
export function resolveXRaySampling(
  env: Env,
  warn: (variable: string, message: string) => void,
): XRaySamplingConfig {
  let variable: string | undefined;
  let raw: string | undefined;
  for (const name of ARG_VARIABLES) {
    raw = readEnv(env, name);
    if (raw !== undefined) {
      variable = name;
      break;
    }
  }
  const resolved = { ...XRAY_SAMPLING_DEFAULTS };
  if (raw === undefined || variable === undefined) return resolved;
  for (const item of raw.split(',')) {
    const trimmed = item.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    const key = eq > 0 ? trimmed.slice(0, eq).trim() : trimmed;
    const value = eq > 0 ? trimmed.slice(eq + 1).trim() : '';
    let accepted = false;
    if (key === 'endpoint') {
      try {
        const url = new URL(value);
        if (url.protocol === 'http:' || url.protocol === 'https:') {
          resolved.endpoint = value.replace(/\/+$/, '');
          accepted = true;
        }
      } catch {
        accepted = false;
      }
    } else if (key === 'polling_interval') {
      const ms = seconds(value, 1, 86_400);
      if (ms !== undefined) {
        resolved.rulesIntervalMs = ms;
        accepted = true;
      }
    } else if (key === 'targets_interval') {
      const ms = seconds(value, 1, 3600);
      if (ms !== undefined) {
        resolved.targetsIntervalMs = ms;
        accepted = true;
      }
    }
    if (!accepted)
      warn(
        variable,
        `${variable}: ignored "${trimmed.slice(0, 60)}" for the xray sampler (expected endpoint=<http(s) URL>, polling_interval=<seconds, 1-86400>, targets_interval=<seconds, 1-3600>).`,
      );
  }
  return resolved;
}
