import type { ExpressResponse } from './types.js';

interface Counted {
  bytes: number;
  readonly write: (...args: unknown[]) => boolean;
  readonly end: (...args: unknown[]) => ExpressResponse;
}

// Per-response counts; the wrappers below are shared functions, not closures per request.
const counted = new WeakMap<object, Counted>();

function chunkBytes(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string')
    return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  if (chunk instanceof Uint8Array) return chunk.byteLength;
  return 0;
}

function countedWrite(this: ExpressResponse, ...args: unknown[]): boolean {
  const state = counted.get(this) as Counted;
  state.bytes += chunkBytes(args[0], args[1]);
  return state.write.apply(this, args);
}

function countedEnd(this: ExpressResponse, ...args: unknown[]): ExpressResponse {
  const state = counted.get(this) as Counted;
  if (typeof args[0] !== 'function') state.bytes += chunkBytes(args[0], args[1]);
  return state.end.apply(this, args);
}

/**
 * Counts the body bytes written to `res` from now on, through `write()` and `end()` (after
 * any compression middleware mounted later, so the count is what went on the wire).
 */
export function countResponseBytes(res: ExpressResponse): void {
  if (counted.has(res)) return;
  counted.set(res, {
    bytes: 0,
    write: res.write as Counted['write'],
    end: res.end as Counted['end'],
  });
  res.write = countedWrite as typeof res.write;
  res.end = countedEnd as typeof res.end;
}

/** The body bytes counted so far for `res` (0 when it was not counted). */
export function responseBytes(res: ExpressResponse): number {
  return counted.get(res)?.bytes ?? 0;
}
