/**
 * The last `capacity` items, and at most `maxBytes` of them by the sizes they were pushed
 * with: oldest dropped first and counted, so the viewer's memory stays bounded whatever the app
 * writes, many small records or few large ones. One item larger than `maxBytes` alone is kept
 * alone (everything older is dropped): the newest record is the one the developer is looking
 * for, and it is already in memory; what it costs is bounded where it is read (a line, a body).
 *
 * @example
 * const logs = new RingBuffer<string>(2);
 * logs.push('a'); logs.push('b'); logs.push('c');
 * logs.toArray(); // ['b', 'c']; logs.dropped === 1
 */
export class RingBuffer<T> {
  readonly capacity: number;
  readonly maxBytes: number;
  #items: (T | undefined)[];
  #sizes: number[];
  #start = 0;
  #size = 0;
  #bytes = 0;
  #dropped = 0;

  constructor(capacity: number, maxBytes = Number.POSITIVE_INFINITY) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    if (!(maxBytes > 0)) throw new RangeError('maxBytes must be positive');
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    this.#items = new Array(capacity);
    this.#sizes = new Array(capacity);
  }

  /** Items held now. */
  get size(): number {
    return this.#size;
  }

  /** Bytes held now, as the items' sizes were given to `push`. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Items dropped to make room since the buffer was created. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Adds an item of `bytes` (its estimated size; 0 when only the count bounds the buffer). */
  push(item: T, bytes = 0): void {
    if (this.#size === this.capacity) this.#dropOldest();
    const index = (this.#start + this.#size) % this.capacity;
    this.#items[index] = item;
    this.#sizes[index] = bytes;
    this.#size += 1;
    this.#bytes += bytes;
    // Off the common case: only a buffer over its bytes drops more than the one above.
    while (this.#bytes > this.maxBytes && this.#size > 1) this.#dropOldest();
  }

  /** Oldest first. */
  toArray(): T[] {
    const result: T[] = [];
    for (let i = 0; i < this.#size; i += 1) result.push(this.#items[(this.#start + i) % this.capacity] as T);
    return result;
  }

  /** Newest first, at most `limit` items that match. */
  newest(limit: number, matches: (item: T) => boolean = () => true): T[] {
    const result: T[] = [];
    for (let i = this.#size - 1; i >= 0 && result.length < limit; i -= 1) {
      const item = this.#items[(this.#start + i) % this.capacity] as T;
      if (matches(item)) result.push(item);
    }
    return result;
  }

  #dropOldest(): void {
    this.#bytes -= this.#sizes[this.#start] ?? 0;
    // Let the item go now, not when its slot is next written.
    this.#items[this.#start] = undefined;
    this.#start = (this.#start + 1) % this.capacity;
    this.#size -= 1;
    this.#dropped += 1;
  }
}
