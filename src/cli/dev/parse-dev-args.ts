import { parseCommandArgs, UsageError } from '../parse-command-args.js';
import { byteLimitsOf, DEFAULT_STORE_LIMITS, type StoreLimits } from './telemetry-store.js';

/** Most MiB `--max-memory` takes: 64 GiB, far past what a development machine gives a viewer. */
const MAX_MEMORY_MIB = 65_536;

/** Where `lookout dev` listens unless told otherwise (OTLP/HTTP's and the X-Ray daemon's own ports). */
export const DEFAULT_DEV_PORTS = Object.freeze({ ui: 4319, otlp: 4318, xray: 2000 });

export interface DevArgs {
  readonly uiPort: number;
  readonly otlpPort: number;
  readonly xrayPort: number;
  readonly limits: StoreLimits;
  /** The app to run, from after `--`; empty when there is none. */
  readonly command: readonly string[];
  /** Also print the app's EMF documents and audit entries, which otherwise go to the viewer only. */
  readonly showTelemetry: boolean;
  readonly help: boolean;
}

const PORT_OPTIONS = { port: 'uiPort', 'otlp-port': 'otlpPort', 'xray-port': 'xrayPort' } as const;
const LIMIT_OPTIONS = {
  'max-traces': 'maxTraces',
  'max-spans': 'maxSpans',
  'max-logs': 'maxLogs',
  'max-metrics': 'maxMetricPoints',
  'max-audit': 'maxAuditEntries',
} as const;

const OPTIONS = {
  port: { type: 'string' },
  'otlp-port': { type: 'string' },
  'xray-port': { type: 'string' },
  'max-traces': { type: 'string' },
  'max-spans': { type: 'string' },
  'max-logs': { type: 'string' },
  'max-metrics': { type: 'string' },
  'max-audit': { type: 'string' },
  'max-memory': { type: 'string' },
  'show-telemetry': { type: 'boolean' },
} as const;

function integer(option: string, raw: string, min: number, max: number): number {
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new UsageError(`--${option} needs a whole number from ${min} to ${max}, not "${raw}"`);
  return value;
}

/**
 * Parses `lookout dev` arguments; throws UsageError on a mistake.
 *
 * @example
 * parseDevArgs(['--port', '0', '--', 'node', 'app.mjs']);
 */
export function parseDevArgs(args: readonly string[]): DevArgs {
  const { values, positionals, afterTerminator, help } = parseCommandArgs(args, OPTIONS);
  const ports: Record<'uiPort' | 'otlpPort' | 'xrayPort', number> = {
    uiPort: DEFAULT_DEV_PORTS.ui,
    otlpPort: DEFAULT_DEV_PORTS.otlp,
    xrayPort: DEFAULT_DEV_PORTS.xray,
  };
  const limits: Record<keyof StoreLimits, number> = { ...DEFAULT_STORE_LIMITS };
  const base = { command: afterTerminator, showTelemetry: values['show-telemetry'] === true };
  if (help) return { ...ports, limits, ...base, help };
  if (positionals[0] !== undefined)
    throw new UsageError(`unexpected argument "${positionals[0]}" (put the app's command after --)`);
  for (const [option, key] of Object.entries(PORT_OPTIONS)) {
    const raw = values[option as keyof typeof PORT_OPTIONS];
    if (raw !== undefined) ports[key] = integer(option, raw, 0, 65_535);
  }
  // Both listen on TCP: one port for both would fail at start as 'already in use', naming a flag
  // the user may never have given (`--port 4318` meets the OTLP default). UDP (X-Ray) can share.
  if (ports.uiPort !== 0 && ports.uiPort === ports.otlpPort)
    throw new UsageError(
      `--port and --otlp-port are both ${ports.uiPort}: the viewer and the OTLP receiver need a port each`,
    );
  for (const [option, key] of Object.entries(LIMIT_OPTIONS)) {
    const raw = values[option as keyof typeof LIMIT_OPTIONS];
    if (raw !== undefined) limits[key] = integer(option, raw, 1, 10_000_000);
  }
  const memory = values['max-memory'];
  if (memory !== undefined)
    Object.assign(limits, byteLimitsOf(integer('max-memory', memory, 1, MAX_MEMORY_MIB)));
  return { ...ports, limits, ...base, help };
}
