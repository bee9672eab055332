/**
 * The last `capacity` items, oldest dropped first and counted: the viewer's memory stays
 * bounded whatever the app writes.
 *
 * @example
 * const logs = new RingBuffer<string>(2);
 * logs.push('a'); logs.push('b'); logs.push('c');
 * logs.toArray(); // ['b', 'c']; logs.dropped === 1
 */
export class RingBuffer<T> {
  readonly capacity: number;
  #items: (T | undefined)[];
  #start = 0;
  #size = 0;
  #dropped = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    this.capacity = capacity;
    this.#items = new Array(capacity);
  }

  /** Items held now. */
  get size(): number {
    return this.#size;
  }

  /** Items dropped to make room since the buffer was created. */
  get dropped(): number {
    return this.#dropped;
  }

  push(item: T): void {
    if (this.#size < this.capacity) {
      this.#items[(this.#start + this.#size) % this.capacity] = item;
      this.#size += 1;
      return;
    }
    this.#items[this.#start] = item;
    this.#start = (this.#start + 1) % this.capacity;
    this.#dropped += 1;
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
}
