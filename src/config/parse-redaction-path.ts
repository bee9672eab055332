/** Stands for "any key or index" at one level of a redaction path. */
export const ANY_KEY: unique symbol = Symbol('any key');

export type RedactionPathSegment = string | typeof ANY_KEY;

/** What a redaction path may look like, for error messages. */
export const REDACTION_PATH_SYNTAX = 'a path like a.b, a.*.c, a["x-y"], a[0] or a[*]';

/**
 * Parses a redaction path in the syntax pino and fast-redact use: dot segments, `["quoted"]`
 * or `[0]` brackets, and `*` / `[*]` for any one key. Returns undefined when the path is
 * malformed, so the caller can choose between an error (options) and a warning (environment).
 *
 * @example
 * parseRedactionPath('user.*.ssn'); // ['user', ANY_KEY, 'ssn']
 * parseRedactionPath('headers["x-session"]'); // ['headers', 'x-session']
 */
export function parseRedactionPath(path: string): RedactionPathSegment[] | undefined {
  const segments: RedactionPathSegment[] = [];
  let at = 0;
  const length = path.length;
  if (length === 0) return undefined;
  while (at < length) {
    const char = path[at];
    if (char === '[') {
      const close = readBracket(path, at);
      if (close === undefined) return undefined;
      segments.push(close.segment);
      at = close.next;
    } else {
      if (segments.length > 0) {
        // Between segments only `.` or `[` may follow.
        if (char !== '.') return undefined;
        at += 1;
      }
      let end = at;
      while (end < length && path[end] !== '.' && path[end] !== '[' && path[end] !== ']') end += 1;
      const name = path.slice(at, end).trim();
      if (name === '') return undefined;
      segments.push(name === '*' ? ANY_KEY : name);
      at = end;
    }
  }
  return segments;
}

function readBracket(
  path: string,
  open: number,
): { segment: RedactionPathSegment; next: number } | undefined {
  const quote = path[open + 1];
  if (quote === '"' || quote === "'") {
    const endQuote = path.indexOf(quote, open + 2);
    if (endQuote === -1 || path[endQuote + 1] !== ']') return undefined;
    return { segment: path.slice(open + 2, endQuote), next: endQuote + 2 };
  }
  const close = path.indexOf(']', open + 1);
  if (close === -1) return undefined;
  const inner = path.slice(open + 1, close).trim();
  if (inner === '*') return { segment: ANY_KEY, next: close + 1 };
  if (!/^\d+$/.test(inner)) return undefined;
  // `[007]` and `[7]` name the same array element.
  return { segment: String(Number(inner)), next: close + 1 };
}
