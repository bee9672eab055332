/**
 * X-Ray's limit on each string of a document's `http.request` (`url`, `method`, `user_agent`,
 * `client_ip`) and on a segment's `user`, in characters (the segment document schema's
 * `maxLength`, counted in Unicode code points).
 */
export const MAX_HTTP_REQUEST_FIELD_LENGTH = 250;

function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/**
 * Cuts a string to at most `max` code points (never in the middle of a surrogate pair).
 *
 * @example
 * fitRequestField('Mozilla/5.0 …'); // unchanged unless longer than 250 characters
 */
export function fitRequestField(text: string, max: number = MAX_HTTP_REQUEST_FIELD_LENGTH): string {
  // Fast path: a string of at most `max` UTF-16 units has at most `max` code points.
  if (text.length <= max) return text;
  if (codePointLength(text) <= max) return text;
  return Array.from(text).slice(0, max).join('');
}

/**
 * Makes a URL fit X-Ray's 250 characters, keeping what identifies the request: the fragment
 * goes first (browsers never send it), then query parameters from the last one on, whole
 * (never a parameter cut in two), and only then is the path itself cut. The URL given is
 * already redacted (the exporter sees redacted spans), so nothing cut here can reveal a secret
 * that redaction hid.
 *
 * @example
 * fitHttpUrl(`https://api.example.com/search?q=${'x'.repeat(300)}&page=2`);
 * // 'https://api.example.com/search'
 */
export function fitHttpUrl(url: string, max: number = MAX_HTTP_REQUEST_FIELD_LENGTH): string {
  if (url.length <= max) return url;
  if (codePointLength(url) <= max) return url;
  const hash = url.indexOf('#');
  const withoutFragment = hash === -1 ? url : url.slice(0, hash);
  const question = withoutFragment.indexOf('?');
  const base = question === -1 ? withoutFragment : withoutFragment.slice(0, question);
  const baseLength = codePointLength(base);
  if (baseLength > max) return fitRequestField(base, max);
  if (question === -1) return base;
  let fitted = base;
  let length = baseLength;
  let separator = '?';
  for (const parameter of withoutFragment.slice(question + 1).split('&')) {
    if (parameter === '') continue;
    const added = 1 + codePointLength(parameter);
    if (length + added > max) break;
    fitted += separator + parameter;
    length += added;
    separator = '&';
  }
  return fitted;
}
