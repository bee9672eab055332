/**
 * Normalises a key for matching: lower case, without `-`, `_`, `.` or white space, so that
 * `X-Api-Key`, `x_api_key`, `xApiKey` and `X API KEY` are the same key.
 *
 * @example
 * normalizeKey('X-Api-Key'); // 'xapikey'
 */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[\s_.-]/g, '');
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
