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
