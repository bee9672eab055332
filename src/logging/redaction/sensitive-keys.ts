import { foldLookalikes } from './fold-lookalikes.js';

// Printable ASCII: the keys almost every app logs, normalised without any Unicode work.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const NOT_ASCII_ALPHANUMERIC = /[^a-z0-9]/g;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]/gu;

/**
 * Normalises a key for matching: lower case, letters and digits only, so that `X-Api-Key`,
 * `x_api_key`, `xApiKey`, `X API KEY` and `password:` match their plain forms. A key with other
 * characters is first folded to the ASCII letters it looks like (compatibility normalisation,
 * accents and invisible characters removed, Cyrillic and Greek lookalikes mapped), so that
 * `pаssword` with a Cyrillic а, `ｐａｓｓｗｏｒｄ` or `pass\u200bword` is the same key.
 *
 * @example
 * normalizeKey('X-Api-Key'); // 'xapikey'
 * normalizeKey('p\u0430ssword'); // 'password'
 */
export function normalizeKey(key: string): string {
  if (PRINTABLE_ASCII.test(key)) return key.toLowerCase().replace(NOT_ASCII_ALPHANUMERIC, '');
  return foldLookalikes(key).toLowerCase().replace(NOT_LETTER_OR_DIGIT, '');
}

/**
 * Keys whose values are secrets wherever they appear (normalised as `normalizeKey` does).
 * Exact matches; see SENSITIVE_KEY_SUFFIXES for the compound forms (`newPassword`).
 */
export const DEFAULT_SENSITIVE_KEYS: readonly string[] = [
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'clientsecret',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'sessiontoken',
  'authtoken',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'xapikey',
  'apikey',
  'xauthtoken',
  'xamzsecuritytoken',
  'privatekey',
  'secretkey',
  'secretaccesskey',
  'awssecretaccesskey',
  'credentials',
  'ssn',
  'socialsecuritynumber',
  'cardnumber',
  'creditcard',
  'creditcardnumber',
  'ccnumber',
  'cardno',
  'cvv',
  'cvv2',
  'cvc',
  'securitycode',
  'pin',
];

/**
 * A key ending in one of these is sensitive too: `newPassword`, `client_secret`, `csrfToken`,
 * `stripeApiKey`. Short, ambiguous words (`pin`, `ssn`) are exact matches only, to avoid
 * redacting `shipping` or `lessn`.
 */
export const SENSITIVE_KEY_SUFFIXES: readonly string[] = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'privatekey',
  'secretkey',
  'secretaccesskey',
];
