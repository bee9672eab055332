// Public API of `lookout/lambda`: re-exports only (STYLE.md), each name listed.
export { correlationPaths } from './correlation-id.js';
export type { LookoutMiddyMiddleware, MiddyRequest } from './middy.js';
export { middy } from './middy.js';
export type { LambdaContext, LambdaHandler, WrapOptions } from './types.js';
export { wrap } from './wrap.js';
