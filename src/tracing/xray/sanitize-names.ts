import { SEGMENT_NAME_CHARACTER_CLASS } from './segment-name-characters.js';

// Segment names allow the characters of the published schema's `name` pattern (letters, digits,
// separators, `_ . : / % & # = + - @`; segment-name-characters.ts), up to 200 characters.
// Anything else is dropped, as X-Ray would refuse the whole document rather than the
// character; tabs and line breaks become spaces first, so words stay apart.
const INVALID_NAME_CHARACTERS = new RegExp(`[^${SEGMENT_NAME_CHARACTER_CLASS}]`, 'gu');
const CONTROL_WHITESPACE = /[\t\n\v\f\r\u0085]/g;
const MAX_NAME_LENGTH = 200;
const FALLBACK_NAME = 'span';

// Annotation keys: letters, digits and underscores only, up to 500 characters.
const INVALID_KEY_CHARACTERS = /[^A-Za-z0-9_]/g;
const MAX_KEY_LENGTH = 500;

/**
 * Makes a segment or subsegment name X-Ray accepts.
 *
 * @example
 * toSegmentName('GET /orders/{id}'); // 'GET /orders/id'
 */
export function toSegmentName(name: string): string {
  const cleaned = name.replace(CONTROL_WHITESPACE, ' ').replace(INVALID_NAME_CHARACTERS, '').trim();
  if (cleaned === '') return FALLBACK_NAME;
  // Cut on code points, not UTF-16 units, so a surrogate pair is never split.
  const codePoints = Array.from(cleaned);
  return codePoints.length > MAX_NAME_LENGTH ? codePoints.slice(0, MAX_NAME_LENGTH).join('') : cleaned;
}

/**
 * Makes an annotation key X-Ray accepts: every other character becomes `_`.
 *
 * @example
 * toAnnotationKey('http.route'); // 'http_route'
 */
export function toAnnotationKey(attribute: string): string {
  const key = attribute.replace(INVALID_KEY_CHARACTERS, '_').slice(0, MAX_KEY_LENGTH);
  return key === '' ? '_' : key;
}

/** Whether a key already follows the annotation key rules. */
export function isValidAnnotationKey(key: string): boolean {
  return key.length > 0 && key.length <= MAX_KEY_LENGTH && !/[^A-Za-z0-9_]/.test(key);
}
