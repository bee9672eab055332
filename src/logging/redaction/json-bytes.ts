/**
 * The bytes `JSON.stringify(text)` takes in UTF-8, quotes included: escapes for quotes,
 * backslashes, control characters and lone surrogates, 2 to 4 bytes for other characters.
 * One pass over the text; on the per-line path of every log call, so a loop rather than a
 * regular expression (whose call costs more than the scan of a short string).
 *
 * @example
 * jsonStringBytes('héllo'); // 8
 */
export function jsonStringBytes(text: string): number {
  const length = text.length;
  let bytes = length + 2;
  for (let index = 0; index < length; index += 1) {
    const code = text.charCodeAt(index);
    // ASCII other than control characters, `"` and `\`: one byte, already counted.
    if (code >= 0x20 && code <= 0x7f && code !== 0x22 && code !== 0x5c) continue;
    if (code < 0x20) {
      // \b \t \n \f \r have two-character escapes; the others are written \u00XX.
      bytes += code === 8 || code === 9 || code === 10 || code === 12 || code === 13 ? 1 : 5;
    } else if (code === 0x22 || code === 0x5c || code < 0x800) {
      bytes += 1; // a two-character escape, or a two-byte character
    } else if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 2; // four bytes for the pair of units
        index += 1;
      } else {
        bytes += 5; // a lone surrogate is written \uD8XX
      }
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      bytes += 5;
    } else {
      bytes += 2; // three bytes
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
