// What Node's HTTP client sends: a name that is an HTTP token (RFC 9110), a value of tabs and
// visible Latin-1 characters. Node throws on anything else, and an exporter given such a header
// fails every request it makes.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Why a header cannot be sent, or undefined when it can. */
export function checkHttpHeader(name: string, value: string): string | undefined {
  if (!HEADER_NAME.test(name)) return 'a header HTTP cannot carry (its name is not an HTTP token)';
  if (!HEADER_VALUE.test(value))
    return 'a header HTTP cannot carry (its value has a control or non-Latin-1 character)';
  return undefined;
}

/** The headers settings' `acceptsText`. */
export const HTTP_HEADERS_ACCEPTED =
  'comma-separated key=value pairs, each a header HTTP can carry (the name an HTTP token, the value without control characters)';
