// An API answer as JSON text, with the lists whose records were serialised to be measured
// (MAX_LIST_BYTES) spliced in as they are: serialising them again for the answer did the
// largest part of the work twice, up to 16 MiB per list on every refresh of a page.

/**
 * Records already serialised as JSON, one text each, that an answer holds as an array. Its
 * `toJSON` gives the records themselves, so that JSON.stringify of an answer holding one, at
 * any depth, is still right: toJsonText only saves the work at an answer's top level.
 *
 * @example
 * const list = new SerializedList(items, items.map((item) => JSON.stringify(item)));
 */
export class SerializedList<T = unknown> {
  readonly items: readonly T[];
  readonly texts: readonly string[];

  constructor(items: readonly T[], texts: readonly string[]) {
    this.items = items;
    this.texts = texts;
  }

  /** The records and their texts last first. */
  reversed(): SerializedList<T> {
    return new SerializedList([...this.items].reverse(), [...this.texts].reverse());
  }

  toJSON(): readonly T[] {
    return this.items;
  }
}

/**
 * `JSON.stringify(body)`, byte for byte, with each top-level SerializedList written from its
 * texts: keys in JSON.stringify's order, those whose value it leaves out (undefined, functions)
 * left out.
 *
 * @example
 * toJsonText({ logs: list, truncated: false }); // '{"logs":[…],"truncated":false}'
 */
export function toJsonText(body: unknown): string {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || 'toJSON' in body)
    return JSON.stringify(body);
  const members: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    const text = value instanceof SerializedList ? `[${value.texts.join(',')}]` : JSON.stringify(value);
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${members.join(',')}}`;
}
