// node:crypto is loaded on the first id, not at start-up: loading it costs 2–3 ms, and a Lambda
// function's runtime never loads it itself, so at import it would add that much to every Init
// Duration (docs/decisions/0068-builtins-loaded-on-first-use.md).
let crypto: typeof import('node:crypto') | undefined;

function loadCrypto(): typeof import('node:crypto') {
  crypto ??= require('node:crypto') as typeof import('node:crypto');
  return crypto;
}

/**
 * `bytes` cryptographically random bytes as lower-case hex (two digits a byte).
 *
 * @example
 * randomHex(8); // 'a1b2c3d4e5f60718'
 */
export function randomHex(bytes: number): string {
  return loadCrypto().randomBytes(bytes).toString('hex');
}

/**
 * A random (version 4) UUID.
 *
 * @example
 * randomUuid(); // '0f9c2c1e-3a4b-4c5d-8e6f-7a8b9c0d1e2f'
 */
export function randomUuid(): string {
  return loadCrypto().randomUUID();
}
