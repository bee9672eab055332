// Names teams give the environments where a developer reads the responses: only there may an
// error response or a health check show internals. Anything else (production, staging, an
// unknown name) is treated as production: safe unless told otherwise.
const DEVELOPMENT_ENVIRONMENTS: ReadonlySet<string> = new Set(['development', 'dev', 'local', 'test']);

/**
 * Whether a resolved environment (`Config.environment`) is a development one, where error
 * details may be shown. The environment itself defaults to `NODE_ENV`, then to `production` on
 * AWS (Lambda, ECS, EC2) and `development` elsewhere, so on AWS with nothing set this is false.
 *
 * @example
 * isDevelopmentEnvironment('development'); // true
 * isDevelopmentEnvironment('staging'); // false
 */
export function isDevelopmentEnvironment(environment: string): boolean {
  return DEVELOPMENT_ENVIRONMENTS.has(environment.trim().toLowerCase());
}
