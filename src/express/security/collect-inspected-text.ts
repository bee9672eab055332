import type { ExpressRequest } from '../types.js';
import type { InspectedPart } from './security-rules.js';

/** Most characters inspected per part of a request (URL path, query string, body): 16 KiB of text. */
export const MAX_INSPECTED_CHARS = 16 * 1024;

/**
 * Stands for each character of a secret in a masked text (a private-use character, which
 * request text has no reason to hold), so that a masked text keeps the offsets of the text the
 * rules saw.
 */
export const MASKED_CHAR = '\uE000';

/** Whether a body key or query parameter name holds secrets (the redaction policy's test). */
export type IsSensitiveKey = (key: string) => boolean;

/** The text of one part of a request, as the rules see it. */
export interface InspectedText {
  readonly part: InspectedPart;
  readonly text: string;
}

function decodeOnce(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // Malformed escapes: decode the valid %XX bytes one by one instead of giving up.
    return text.replace(/%([0-9a-f]{2})/gi, (_match, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
  }
}

/** Percent-decoded twice at most: double encoding (%252e) is a classic way around filters. */
function decode(text: string): string {
  const once = decodeOnce(text);
  return /%[0-9a-f]{2}/i.test(once) ? decodeOnce(once) : once;
}

/**
 * Strings and keys of a parsed body, depth first, one per line, until 16 KiB of text is read.
 * Every other value (a number, a boolean, null, an object or an array itself) costs one
 * character of that budget: never more than it takes in the body's JSON, so that thousands of
 * zeros or empty arrays cannot use the budget up before an attack placed after them in a body
 * under 16 KiB, and a body of a million empty values is still cut after 16,384 of them.
 */
function bodyText(body: unknown, isSensitiveKey: IsSensitiveKey | undefined): string {
  if (typeof body === 'string') return body.slice(0, MAX_INSPECTED_CHARS);
  if (Buffer.isBuffer(body)) return body.toString('utf8', 0, MAX_INSPECTED_CHARS);
  if (body === null || typeof body !== 'object') return '';
  const lines: string[] = [];
  let remaining = MAX_INSPECTED_CHARS;
  const stack: unknown[] = [body];
  // Masking only: whether each entry of `stack` lies under a sensitive key. Left undefined
  // otherwise, so that `secret?.push(...)` costs the inspection of every request nothing.
  const secret: boolean[] | undefined = isSensitiveKey === undefined ? undefined : [false];
  while (stack.length > 0 && remaining > 0) {
    const value = stack.pop();
    const hidden = secret?.pop() === true;
    if (typeof value === 'string') {
      const kept = value.slice(0, remaining);
      lines.push(hidden ? MASKED_CHAR.repeat(kept.length) : kept);
      remaining -= kept.length + 1;
      continue;
    }
    remaining -= 1;
    // Each child costs at least one character: those past the budget would never be read.
    if (Array.isArray(value))
      for (let index = Math.min(value.length, remaining) - 1; index >= 0; index--) {
        stack.push(value[index]);
        secret?.push(hidden);
      }
    else if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      for (let index = Math.min(keys.length, remaining) - 1; index >= 0; index--) {
        const key = keys[index] as string;
        stack.push((value as Record<string, unknown>)[key]);
        secret?.push(hidden || (isSensitiveKey as IsSensitiveKey)(key));
        stack.push(key);
        secret?.push(hidden);
      }
    }
  }
  return lines.join('\n');
}

/** The values of sensitive parameters (one `name=value` per line) masked, lengths kept. */
function maskQuery(text: string, isSensitiveKey: IsSensitiveKey): string {
  return text
    .split('\n')
    .map((line) => {
      const equals = line.indexOf('=');
      if (equals === -1 || !isSensitiveKey(line.slice(0, equals))) return line;
      return line.slice(0, equals + 1) + MASKED_CHAR.repeat(line.length - equals - 1);
    })
    .join('\n');
}

/**
 * What the rules look at: the decoded URL path, the decoded query string (one parameter per
 * line) and the parsed body (`req.body`: its keys and string values, one per line), each cut
 * at 16 KiB of text. A body not parsed yet (no body parser before the monitor) is not seen.
 * With `isSensitiveKey`, the same text with every character of a secret (a value under a
 * sensitive body key, at any depth, or of a sensitive query parameter) replaced by
 * MASKED_CHAR: what an excerpt may show.
 */
export function collectInspectedText(req: ExpressRequest, isSensitiveKey?: IsSensitiveKey): InspectedText[] {
  const url = req.originalUrl ?? req.url ?? '';
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const parts: InspectedText[] = [{ part: 'url', text: decode(path.slice(0, MAX_INSPECTED_CHARS)) }];
  if (queryAt !== -1) {
    const query = url.slice(queryAt + 1, queryAt + 1 + MAX_INSPECTED_CHARS);
    const text = decode(query.replace(/\+/g, ' ')).replace(/&/g, '\n');
    parts.push({
      part: 'query',
      text: isSensitiveKey === undefined ? text : maskQuery(text, isSensitiveKey),
    });
  }
  const body = bodyText(req.body, isSensitiveKey);
  if (body !== '') parts.push({ part: 'body', text: body });
  return parts;
}
