/**
 * The one module that reads the process environment (docs/contributing.md: all environment access goes
 * through one module). Everything else receives an `Env` so tests can pass their own.
 */
export type Env = Readonly<Record<string, string | undefined>>;

/** The live process environment. */
export function getProcessEnv(): Env {
  return process.env;
}

/**
 * Reads one variable, treating an empty or whitespace-only value as unset, as the
 * OpenTelemetry specification requires for its variables.
 */
export function readEnv(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * Runs `run` with the named variables unset in the process environment, and puts them back
 * before returning (or throwing). For a dependency that reads a variable itself, once, while it
 * is constructed, where Lookout has already resolved that variable by its own precedence: the
 * dependency then sees only what Lookout hands it. `run` must be synchronous; nothing else runs
 * in between, so no other code sees the variables missing.
 *
 * @example
 * const exporter = withVariablesUnset(['OTEL_EXPORTER_OTLP_HEADERS'], () => new OTLPLogExporter(options));
 */
export function withVariablesUnset<T>(names: readonly string[], run: () => T): T {
  const saved: Array<[string, string]> = [];
  for (const name of names) {
    const value = process.env[name];
    if (value === undefined) continue;
    saved.push([name, value]);
    delete process.env[name];
  }
  try {
    return run();
  } finally {
    for (const [name, value] of saved) process.env[name] = value;
  }
}
