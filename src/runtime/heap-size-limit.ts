let limitBytes: number | undefined;

/**
 * V8's heap size limit in bytes, fixed for the life of the process. `node:v8` is loaded on the
 * first call rather than at start-up: nothing else in an app needs it, and the runtime metrics
 * and `health()` read it only when they sample
 * (docs/decisions/0068-builtins-loaded-on-first-use.md).
 *
 * @example
 * const limitMb = heapSizeLimitBytes() / (1024 * 1024);
 */
export function heapSizeLimitBytes(): number {
  limitBytes ??= (require('node:v8') as typeof import('node:v8')).getHeapStatistics().heap_size_limit;
  return limitBytes;
}
