import { DEFAULT_STORE_LIMITS, type StoreLimits } from './telemetry-store.js';

/** Where `lookout dev` listens unless told otherwise (OTLP/HTTP's and the X-Ray daemon's own ports). */
export const DEFAULT_DEV_PORTS = Object.freeze({ ui: 4319, otlp: 4318, xray: 2000 });

export interface DevArgs {
  readonly uiPort: number;
  readonly otlpPort: number;
  readonly xrayPort: number;
  readonly limits: StoreLimits;
  /** The app to run, from after `--`; empty when there is none. */
  readonly command: readonly string[];
  readonly help: boolean;
}

const PORT_FLAGS = { '--port': 'uiPort', '--otlp-port': 'otlpPort', '--xray-port': 'xrayPort' } as const;
const LIMIT_FLAGS = {
  '--max-traces': 'maxTraces',
  '--max-spans': 'maxSpans',
  '--max-logs': 'maxLogs',
  '--max-metrics': 'maxMetricPoints',
  '--max-audit': 'maxAuditEntries',
} as const;

function integer(flag: string, raw: string | undefined, min: number, max: number): number | string {
  const value = raw === undefined || !/^\d+$/.test(raw) ? Number.NaN : Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max)
    return `${flag} needs a whole number from ${min} to ${max}, got ${raw === undefined ? 'nothing' : `"${raw}"`}`;
  return value;
}

/**
 * Parses `lookout dev` arguments; a string is a usage error.
 *
 * @example
 * parseDevArgs(['--port', '0', '--', 'node', 'app.mjs']);
 */
export function parseDevArgs(args: readonly string[]): DevArgs | string {
  const ports: Record<'uiPort' | 'otlpPort' | 'xrayPort', number> = {
    uiPort: DEFAULT_DEV_PORTS.ui,
    otlpPort: DEFAULT_DEV_PORTS.otlp,
    xrayPort: DEFAULT_DEV_PORTS.xray,
  };
  const limits: Record<keyof StoreLimits, number> = { ...DEFAULT_STORE_LIMITS };
  let help = false;
  let command: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      command = args.slice(i + 1);
      break;
    }
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const [flag = '', inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg];
    const value = inline ?? args[i + 1];
    if (Object.hasOwn(PORT_FLAGS, flag)) {
      const parsed = integer(flag, value, 0, 65_535);
      if (typeof parsed === 'string') return parsed;
      ports[PORT_FLAGS[flag as keyof typeof PORT_FLAGS]] = parsed;
    } else if (Object.hasOwn(LIMIT_FLAGS, flag)) {
      const parsed = integer(flag, value, 1, 10_000_000);
      if (typeof parsed === 'string') return parsed;
      limits[LIMIT_FLAGS[flag as keyof typeof LIMIT_FLAGS]] = parsed;
    } else {
      return arg.startsWith('-')
        ? `unknown option "${arg}"`
        : `unexpected argument "${arg}" (put the app's command after --)`;
    }
    if (inline === undefined) i += 1;
  }
  return { ...ports, limits, command, help };
}
