export type { RedactionPathSegment } from '../../config/parse-redaction-path.js';
export { ANY_KEY, parseRedactionPath, REDACTION_PATH_SYNTAX } from '../../config/parse-redaction-path.js';
export type { RedactionLine, RedactionPolicy, RedactionPolicyOptions } from './create-redaction-policy.js';
export {
  createRedactionPolicy,
  isErrorOfAnotherRealm,
  LINE_BUDGET_DEFAULTS,
  MARKERS,
} from './create-redaction-policy.js';
export { jsonNumberBytes, jsonStringBytes } from './json-bytes.js';
export { isCardNumber, isLuhnValid } from './luhn.js';
export { DEFAULT_SENSITIVE_KEYS, normalizeKey, SENSITIVE_KEY_SUFFIXES } from './sensitive-keys.js';
