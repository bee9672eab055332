// Characters JSON.stringify writes as themselves, one byte each in UTF-8: printable ASCII
// except `"` and `\`. A string made only of them costs its length plus the two quotes.
const PLAIN_JSON_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * The bytes `JSON.stringify(text)` takes in UTF-8, quotes included: escapes for quotes,
 * backslashes, control characters and lone surrogates, 2 to 4 bytes for other characters.
 *
 * @example
 * jsonStringBytes('héllo'); // 8
 */
export function jsonStringBytes(text: string): number {
  if (PLAIN_JSON_TEXT.test(text)) return text.length + 2;
  let bytes = 2;
  const length = text.length;
  for (let index = 0; index < length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20) {
      // \b \t \n \f \r have two-character escapes; the others are written \u00XX.
      bytes += code === 8 || code === 9 || code === 10 || code === 12 || code === 13 ? 2 : 6;
    } else if (code === 0x22 || code === 0x5c) {
      bytes += 2;
    } else if (code < 0x80) {
      bytes += 1;
    } else if (code < 0x800) {
      bytes += 2;
    } else if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        index += 1;
      } else {
        bytes += 6; // a lone surrogate is written \uD8XX
      }
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      bytes += 6;
    } else {
      bytes += 3;
    }
  }
  return bytes;
}

/** The bytes `JSON.stringify(value)` takes for a number: `null` for NaN and ±Infinity. */
export function jsonNumberBytes(value: number): number {
  if (!Number.isFinite(value)) return 4;
  // Small integers, by far the most common numbers in a log line, without a conversion.
  if (value >= 0 && value < 1e9 && Number.isInteger(value)) {
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits += 1;
    return digits;
  }
  return String(value).length;
}
