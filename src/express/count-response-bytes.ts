import type { ExpressResponse } from './types.js';

type Chunk = string | Uint8Array | undefined | null;

function chunkBytes(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string')
    return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  if (chunk instanceof Uint8Array) return chunk.byteLength;
  return 0;
}

/**
 * Counts the body bytes written to `res` from now on, through `write()` and `end()` (after
 * any compression middleware mounted later, so the count is what went on the wire). Returns
 * a function that reads the count.
 */
export function countResponseBytes(res: ExpressResponse): () => number {
  let bytes = 0;
  const write = res.write;
  const end = res.end;
  res.write = function countedWrite(this: ExpressResponse, chunk: Chunk, ...rest: unknown[]) {
    bytes += chunkBytes(chunk, rest[0]);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof res.write;
  res.end = function countedEnd(this: ExpressResponse, chunk?: unknown, ...rest: unknown[]) {
    if (typeof chunk !== 'function') bytes += chunkBytes(chunk, rest[0]);
    return (end as (...args: unknown[]) => ExpressResponse).call(this, chunk, ...rest);
  } as typeof res.end;
  return () => bytes;
}
