import {
  describeError,
  diagnostics,
  ERROR_CODES,
  getConfig,
  getLoggingRuntime,
  heapSizeLimitBytes,
  isDevelopmentEnvironment,
} from '../core.js';
import { excludeFromTelemetry } from './request-state.js';
import {
  type HealthCheck,
  type HealthCheckResult,
  type RunningChecks,
  runHealthCheck,
} from './run-health-check.js';
import { sendJson } from './send-json.js';
import type { RequestMiddleware } from './types.js';

/** Options of `health()`. */
export interface HealthOptions {
  /**
   * Named checks, run in parallel on every call: each is healthy unless it throws, rejects,
   * resolves to `false` or takes longer than `timeoutMs`. A call that comes while a check's
   * earlier run is still in progress (within that run's timeout) waits for that run.
   * @default {}
   */
  checks?: Record<string, HealthCheck>;
  /**
   * Longest time one check may take, in milliseconds; at most 2147483647, the longest a Node
   * timer waits.
   * @default 2000
   */
  timeoutMs?: number;
  /**
   * The `version` field.
   * @default the service version (`serviceVersion`, package.json), else null
   */
  version?: string;
  /**
   * Share of the V8 heap limit above which `memory.status` is `warning` (reported, not failing).
   * @default 0.9
   */
  memoryWarningRatio?: number;
  /**
   * Leaves health requests out of access logs, request metrics and the audit trail, whatever
   * their path (spans follow the `excludedPaths` setting).
   * @default true
   */
  excludeFromTelemetry?: boolean;
  /**
   * Adds each failed check's error message to the response.
   * @default true only when Lookout's environment is a development one (`development`, `dev`,
   * `local`, `test`); the environment defaults to NODE_ENV, then to `production` on AWS
   */
  exposeErrors?: boolean;
}

/** The response body of `health()`. */
export interface HealthBody {
  readonly status: 'healthy' | 'degraded';
  readonly timestamp: string;
  /** Process uptime in seconds. */
  readonly uptime: number;
  readonly version: string | null;
  readonly environment: string;
  readonly memory: {
    /** V8 heap used, in MB. */
    readonly used: number;
    /** V8 heap allocated, in MB. */
    readonly total: number;
    /** V8 heap limit, in MB. */
    readonly limit: number;
    readonly status: 'healthy' | 'warning';
  };
  readonly checks: Readonly<Record<string, HealthCheckResult>>;
}

const MB = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 2000;

function memory(warningRatio: number): HealthBody['memory'] {
  const usage = process.memoryUsage();
  const limit = heapSizeLimitBytes();
  return {
    used: Math.round(usage.heapUsed / MB),
    total: Math.round(usage.heapTotal / MB),
    limit: Math.round(limit / MB),
    status: usage.heapUsed / limit > warningRatio ? 'warning' : 'healthy',
  };
}

function validTimeout(value: number | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_MS;
  if (Number.isFinite(value) && value > 0) return value;
  diagnostics.warnOnce(
    'express:health-timeout',
    ERROR_CODES.CONFIG_INVALID,
    `health({ timeoutMs: ${String(value)} }) is not a positive number of milliseconds; ${DEFAULT_TIMEOUT_MS} is used.`,
  );
  return DEFAULT_TIMEOUT_MS;
}

async function buildHealthBody(
  options: HealthOptions,
  timeoutMs: number,
  exposeErrors: boolean,
  running: RunningChecks,
) {
  const { policy } = getLoggingRuntime();
  const describe = (error: unknown) => policy.redactString(describeError(error));
  const entries = Object.entries(options.checks ?? {});
  const results = await Promise.all(
    entries.map(([, check]) =>
      typeof check === 'function'
        ? runHealthCheck(check, timeoutMs, describe, running)
        : Promise.resolve<HealthCheckResult>({
            status: 'unhealthy',
            duration_ms: 0,
            error: 'not a function',
          }),
    ),
  );
  const checks: Record<string, HealthCheckResult> = {};
  entries.forEach(([name], index) => {
    const result = results[index] as HealthCheckResult;
    if (exposeErrors || result.error === undefined) checks[name] = result;
    else checks[name] = { status: result.status, duration_ms: result.duration_ms };
  });
  const config = getConfig();
  const body: HealthBody = {
    status: results.every((result) => result.status === 'healthy') ? 'healthy' : 'degraded',
    timestamp: new Date().toISOString(),
    uptime: Math.round(process.uptime() * 1000) / 1000,
    version: options.version ?? config.serviceVersion ?? null,
    environment: config.environment,
    memory: memory(options.memoryWarningRatio ?? 0.9),
    checks,
  };
  return body;
}

/**
 * A health endpoint: status, timestamp, uptime, version, environment, V8 heap memory and
 * named async checks, each with a timeout (2 s by default). 200 when every check passes, 503
 * with `status: "degraded"` otherwise; it answers within the timeout even when a check hangs.
 * Health requests are left out of access logs, request metrics and the audit trail.
 *
 * @example
 * import { health } from 'lookout/express';
 * app.get('/health', health({ checks: { db: () => pool.query('SELECT 1') } }));
 */
export function health(options: HealthOptions = {}): RequestMiddleware {
  const timeoutMs = validTimeout(options.timeoutMs);
  const running: RunningChecks = new WeakMap();
  return function lookoutHealth(req, res, next) {
    if (options.excludeFromTelemetry !== false) excludeFromTelemetry(req);
    // Read per request, not when the middleware is made: an app may build it before init().
    const exposeErrors = options.exposeErrors ?? isDevelopmentEnvironment(getConfig().environment);
    buildHealthBody(options, timeoutMs, exposeErrors, running)
      .then(
        (body) => {
          if (!res.headersSent) sendJson(res, body.status === 'healthy' ? 200 : 503, body);
        },
        (error: unknown) => next(error),
      )
      .catch((error: unknown) => {
        // Nothing above should throw; if it does, it must not become an unhandled rejection.
        diagnostics.errorOnce(
          'express:health',
          ERROR_CODES.INTERNAL,
          `health() could not answer: ${describeError(error)}`,
        );
      });
  };
}
