import { LookoutConfigError } from '../core.js';

/**
 * Where the common event sources carry a correlation id, as Powertools Logger names them
 * (`correlationPaths`), for `wrap(handler, { correlationIdPath })` and `middy({ correlationIdPath })`.
 *
 * @example
 * export const handler = wrap(fn, { correlationIdPath: correlationPaths.API_GATEWAY_REST });
 */
export const correlationPaths = {
  API_GATEWAY_REST: 'requestContext.requestId',
  API_GATEWAY_HTTP: 'requestContext.requestId',
  APPSYNC_AUTHORIZER: 'requestContext.requestId',
  APPSYNC_RESOLVER: 'request.headers."x-amzn-trace-id"',
  APPLICATION_LOAD_BALANCER: 'headers."x-amzn-trace-id"',
  EVENT_BRIDGE: 'id',
  LAMBDA_FUNCTION_URL: 'requestContext.requestId',
  S3_OBJECT_LAMBDA: 'xAmzRequestId',
  VPC_LATTICE: 'headers."x-amzn-trace-id"',
} as const;

type Step = string | number;

const ACCEPTED =
  'a path of field names separated by dots, each a name ([A-Za-z_][A-Za-z0-9_]*) or a "quoted name", optionally followed by [index] (the JMESPath subexpressions Powertools uses, e.g. headers."x-amzn-trace-id")';

/** Parses the JMESPath subset of correlation paths into steps; undefined when it is not one. */
function parsePath(path: string): Step[] | undefined {
  const steps: Step[] = [];
  let at = 0;
  const identifier = /[A-Za-z_][A-Za-z0-9_]*/y;
  const index = /\[(\d+)\]/y;
  for (;;) {
    if (path[at] === '"') {
      let name = '';
      at++;
      for (; at < path.length && path[at] !== '"'; at++) {
        if (path[at] === '\\') {
          at++;
          if (path[at] !== '"' && path[at] !== '\\') return undefined;
        }
        name += path[at];
      }
      if (path[at] !== '"') return undefined;
      at++;
      steps.push(name);
    } else {
      identifier.lastIndex = at;
      const match = identifier.exec(path);
      if (match === null) return undefined;
      steps.push(match[0]);
      at = identifier.lastIndex;
    }
    for (;;) {
      index.lastIndex = at;
      const match = index.exec(path);
      if (match === null) break;
      steps.push(Number(match[1]));
      at = index.lastIndex;
    }
    if (at === path.length) return steps;
    if (path[at] !== '.') return undefined;
    at++;
  }
}

/**
 * Compiles a correlation id path once, when the handler is wrapped: an invalid path throws
 * `LookoutConfigError` then, never during an invocation. The reader returns the value at the
 * path as a string (numbers included), or undefined when the event does not have one; it never
 * throws.
 *
 * @example
 * const read = compileCorrelationIdPath('headers."x-amzn-trace-id"');
 * read({ headers: { 'x-amzn-trace-id': 'Root=1-…' } }); // 'Root=1-…'
 */
export function compileCorrelationIdPath(path: unknown): (event: unknown) => string | undefined {
  const steps = typeof path === 'string' && path.length <= 1024 ? parsePath(path) : undefined;
  if (steps === undefined)
    throw new LookoutConfigError({ option: 'correlationIdPath', value: path, accepted: ACCEPTED });
  return (event) => {
    try {
      return readPath(event, steps);
    } catch {
      // A getter or a Proxy trap of a hand-made event threw: the reader runs as the invocation
      // starts, and a throw there would leave the whole invocation untraced.
      return undefined;
    }
  };
}

function readPath(event: unknown, steps: readonly Step[]): string | undefined {
  let current: unknown = event;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return undefined;
    if (typeof step === 'number' ? !Array.isArray(current) : Array.isArray(current)) return undefined;
    current = Object.hasOwn(current, step) ? (current as Record<string | number, unknown>)[step] : undefined;
  }
  if (typeof current === 'string') return current === '' ? undefined : current.slice(0, 1024);
  if (typeof current === 'number' && Number.isFinite(current)) return String(current);
  return undefined;
}
