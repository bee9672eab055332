// Secrets carried by URLs and `name=value` text: query parameters and form fields named like a
// sensitive key (`?token=…`, `&client_secret=…`, `password=…` in a message), and the userinfo of
// an absolute URL (`postgres://app:s3cret@db`). Names are judged by the key rules, so a URL
// parameter is censored exactly when a log key of the same name would be.

/** Judges a (decoded) parameter name. */
export type IsSensitiveName = (name: string) => boolean;

// A name, `=`, and the value up to the next separator. The name must start the text or follow
// a character that cannot be part of a name, so `xtoken=` is one name, never `token=`. Names
// are bounded in length, values are not (a long token must be censored whole): every quantifier
// here is linear in the text. A value that is an HTTP authentication scheme followed by its
// credentials (`authorization=Bearer <token>`, `Basic <base64>`) runs to the credentials' end:
// cut at the space, the scheme word was censored and the token after it written, out of the
// bearer rule's reach now that no scheme stood before it. A quoted value (logfmt's `"…"`,
// libpq's `'…'`) runs to its closing quote, escapes included, or to the end of the line when
// the text was cut before it: each character is an escape or not, so it cannot backtrack.
const PARAMETER =
  /(?<![A-Za-z0-9%_.~+[\]-])([A-Za-z0-9%_.~+[\]-]{1,128})=((?:basic|bearer|digest|negotiate|ntlm|oauth|token|apikey|aws4-hmac-sha256)[ \t]{1,16}[A-Za-z0-9\-._~+/]+=*|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|[^&#;\s"'<>]*)/gi;

const VALUE_SEPARATOR = /[&#;\s"'<>]/;

// scheme://userinfo@ — the userinfo runs to the last `@` before the authority ends (at `/`, `?`,
// `#` or a space), as URL parsers and database drivers read it: a password holding an unencoded
// `@` (`app:p@ssw0rd@db`) is censored whole, not up to its own `@`. Bounded: one run of at most
// 512 characters per `://`, and a run cannot reach past the next `://`.
const USERINFO = /\b([A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/)([^\s/?#[\]]{1,512})@/g;

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  const letter = code | 0x20; // A-F as a-f
  return letter >= 97 && letter <= 102 ? letter - 87 : -1;
}

/** The byte of the two hex digits at `at`, or -1. */
function hexByteAt(text: string, at: number): number {
  const high = hexDigit(text.charCodeAt(at));
  const low = hexDigit(text.charCodeAt(at + 1));
  return high === -1 || low === -1 ? -1 : high * 16 + low;
}

/**
 * Whether decodeURIComponent accepts the text: every `%` starts two hex digits, and the bytes
 * they give are well-formed UTF-8 (no stray continuation, overlong form, surrogate or code point
 * past U+10FFFF, no other character inside a sequence). Checked without calling it, because its
 * answer to anything else is a thrown URIError, which costs microseconds: a path of Latin-1
 * escapes (`caf%e9`, one every few characters) cost 10 ms per 10 KB, on the request's path.
 */
export function isDecodable(text: string): boolean {
  let need = 0;
  let lower = 0x80;
  let upper = 0xbf;
  for (let index = 0; index < text.length; index += 1) {
    if (text.charCodeAt(index) !== 37) {
      if (need > 0) return false;
      continue;
    }
    const byte = hexByteAt(text, index + 1);
    if (byte === -1) return false;
    index += 2;
    if (need > 0) {
      if (byte < lower || byte > upper) return false;
      lower = 0x80;
      upper = 0xbf;
      need -= 1;
    } else if (byte >= 0xc2 && byte <= 0xdf) {
      need = 1;
    } else if (byte >= 0xe0 && byte <= 0xef) {
      need = 2;
      if (byte === 0xe0) lower = 0xa0;
      if (byte === 0xed) upper = 0x9f;
    } else if (byte >= 0xf0 && byte <= 0xf4) {
      need = 3;
      if (byte === 0xf0) lower = 0x90;
      if (byte === 0xf4) upper = 0x8f;
    } else if (byte > 0x7f) {
      return false;
    }
  }
  return need === 0;
}

/** decodeURIComponent(text), or undefined where it would throw (found without a throw). */
function decodeIfDecodable(text: string): string | undefined {
  if (!isDecodable(text)) return undefined;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Decodes percent-escapes and `+` in a parameter name; a malformed name is judged as written. */
export function decodeParameterName(name: string): string {
  if (!name.includes('%') && !name.includes('+')) return name;
  return decodeIfDecodable(name.replace(/\+/g, ' ')) ?? name;
}

const NOTHING_CENSORED: ReadonlySet<string> = new Set();

/**
 * Censors the values of sensitive `name=value` pairs anywhere in the text: URL query strings,
 * form bodies, `key=value` log text. Empty values, and values in `censored` (already the
 * censor text), are left alone.
 *
 * @example
 * redactParameters('/cb?token=abc&page=2', (name) => name === 'token', '[REDACTED]');
 * // '/cb?token=[REDACTED]&page=2'
 */
export function redactParameters(
  text: string,
  isSensitive: IsSensitiveName,
  censor: string,
  censored: ReadonlySet<string> = NOTHING_CENSORED,
): string {
  if (!text.includes('=')) return text;
  // A censor text with a separator in it ("*** hidden ***") ends a value early; recognised
  // where it starts, so that redacting twice writes it once.
  const censorHasSeparator = VALUE_SEPARATOR.test(censor);
  return text.replace(PARAMETER, (match, name: string, value: string, offset: number) => {
    const quote = value.charAt(0);
    if (quote === '"' || quote === "'") {
      // Quoted: the censor goes between the quotes; an empty or censored value stays. A quoted
      // value under an ordinary name is searched in turn (`msg="retry with token=…"`): matched
      // whole, it is out of this pattern's reach otherwise.
      const closed = value.length > 1 && value.endsWith(quote);
      const inner = value.slice(1, closed ? -1 : undefined);
      if (inner === '' || inner === censor || censored.has(inner)) return match;
      const closing = closed ? quote : '';
      if (isSensitive(decodeParameterName(name))) return `${name}=${quote}${censor}${closing}`;
      const searched = redactParameters(inner, isSensitive, censor, censored);
      return searched === inner ? match : `${name}=${quote}${searched}${closing}`;
    }
    if (value === '' || censored.has(value)) return match;
    if (censorHasSeparator && text.startsWith(censor, offset + name.length + 1)) return match;
    return isSensitive(decodeParameterName(name)) ? `${name}=${censor}` : match;
  });
}

// A `"name": value` member of JSON text (a request body kept as a string, such as the `body` of
// an API Gateway event): the name, and a string or number value. A string value runs to its
// closing quote, escapes included; each character is either an escape or not, so no input makes
// the match backtrack more than the length it scanned. Names are bounded like parameter names.
const JSON_MEMBER =
  /"([^"\\\n]{1,128})"(\s{0,16}:\s{0,16})("(?:[^"\\\n]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

/**
 * Censors the values of sensitive members of JSON text anywhere in the text, as `redactParameters`
 * does for `name=value` pairs: a string or number value becomes the censor as a JSON string, so
 * the text stays JSON. Empty strings and values already censored are left alone; objects and
 * arrays under a sensitive name are not recognised.
 *
 * @example
 * redactJsonMembers('{"user":"ada","password":"hunter2"}', (name) => name === 'password', '[REDACTED]');
 * // '{"user":"ada","password":"[REDACTED]"}'
 */
export function redactJsonMembers(
  text: string,
  isSensitive: IsSensitiveName,
  censor: string,
  censored: ReadonlySet<string> = NOTHING_CENSORED,
): string {
  if (!text.includes('"')) return text;
  const censorJson = JSON.stringify(censor);
  return text.replace(JSON_MEMBER, (match, name: string, colon: string, value: string) => {
    if (value === '""' || value === censorJson || censored.has(value)) return match;
    return isSensitive(name) ? `"${name}"${colon}${censorJson}` : match;
  });
}

/**
 * Censors the userinfo of absolute URLs: the password of `user:password@`, or all of a
 * userinfo without one (`https://ghp_token@github.com`), which is as often a token as a name.
 *
 * @example
 * redactUserinfo('postgres://app:s3cret@db/orders', '[REDACTED]'); // 'postgres://app:[REDACTED]@db/orders'
 */
export function redactUserinfo(text: string, censor: string): string {
  if (!text.includes('://') || !text.includes('@')) return text;
  return text.replace(USERINFO, (_match, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon === -1 ? `${scheme}${censor}@` : `${scheme}${userinfo.slice(0, colon)}:${censor}@`;
  });
}

// One or more percent-escapes in a row: decoded together, so multi-byte UTF-8 stays whole.
const ESCAPE_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
const HAS_ESCAPE = /%[0-9A-Fa-f]{2}/;
// Double and triple encoding (`%2540`) are decoded too; deeper nesting is not worth a scan.
const MAX_DECODE_ROUNDS = 3;

function decodeEscapeRun(run: string): string {
  return decodeIfDecodable(run) ?? run; // not UTF-8: kept as written
}

/**
 * The text with its percent-escapes decoded (up to three times, for double encoding), or
 * undefined when it has none. Malformed escapes are kept as written.
 *
 * @example
 * decodePercentEscapes('/users/jane%40example.com'); // '/users/jane@example.com'
 */
export function decodePercentEscapes(text: string): string | undefined {
  if (!text.includes('%') || !HAS_ESCAPE.test(text)) return undefined;
  let decoded = text;
  for (let round = 0; round < MAX_DECODE_ROUNDS && HAS_ESCAPE.test(decoded); round += 1) {
    const next = decoded.replace(ESCAPE_RUN, decodeEscapeRun);
    if (next === decoded) break;
    decoded = next;
  }
  return decoded === text ? undefined : decoded;
}

/**
 * Redacts a URL, path or query string part by part, so that it stays a valid URL: each path
 * segment, parameter value and the fragment is percent-decoded, given to `redactText`, and
 * re-encoded only when something in it was redacted; a parameter whose name is sensitive gets
 * `encodedCensor`. A string without `?` that looks like a query (`a=1&token=x`) is read as one.
 *
 * @example
 * redactUrlParts('/users/jane%40example.com?token=x&page=2', (n) => n === 'token', '%5BREDACTED%5D', mask);
 * // '/users/ja***%40example.com?token=%5BREDACTED%5D&page=2'
 */
export function redactUrlParts(
  text: string,
  isSensitive: IsSensitiveName,
  encodedCensor: string,
  redactText: (decoded: string) => string,
): string {
  const hashAt = text.indexOf('#');
  const beforeHash = hashAt === -1 ? text : text.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : `#${redactComponent(text.slice(hashAt + 1), redactText)}`;
  const queryAt = beforeHash.indexOf('?');
  if (queryAt === -1 && beforeHash.includes('=') && !beforeHash.includes('/'))
    return `${redactQuery(beforeHash, isSensitive, encodedCensor, redactText)}${fragment}`;
  const path = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const query =
    queryAt === -1
      ? ''
      : `?${redactQuery(beforeHash.slice(queryAt + 1), isSensitive, encodedCensor, redactText)}`;
  const segments = path.split('/');
  for (let index = 0; index < segments.length; index++)
    segments[index] = redactComponent(segments[index] as string, redactText);
  return `${segments.join('/')}${query}${fragment}`;
}

// The parts below are module functions rather than closures made per call: every span's
// `url.path` comes through here at export, and a closure made per call is an allocation (and,
// in the bundle, a `__name` call) per span.

/** One path segment, parameter value or fragment: decoded, redacted, re-encoded if changed. */
function redactComponent(component: string, redactText: (decoded: string) => string): string {
  if (component === '') return component;
  const decoded = decodePercentEscapes(component) ?? component;
  const redacted = redactText(decoded);
  return redacted === decoded ? component : encodeURIComponent(redacted);
}

function redactQuery(
  query: string,
  isSensitive: IsSensitiveName,
  encodedCensor: string,
  redactText: (decoded: string) => string,
): string {
  const parameters = query.split('&');
  for (let index = 0; index < parameters.length; index++) {
    const parameter = parameters[index] as string;
    const equals = parameter.indexOf('=');
    if (equals === -1) {
      parameters[index] = redactComponent(parameter, redactText);
      continue;
    }
    const name = parameter.slice(0, equals);
    const value = parameter.slice(equals + 1);
    parameters[index] =
      value !== '' && isSensitive(decodeParameterName(name))
        ? `${name}=${encodedCensor}`
        : `${name}=${redactComponent(value, redactText)}`;
  }
  return parameters.join('&');
}
