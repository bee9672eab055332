'use strict';
// Stands in for `node:crypto` where @aws-lambda-powertools/logger's Logger imports it (see
// scripts/build.mjs, docs/decisions/0068-builtins-loaded-on-first-use.md). The Logger takes
// `randomInt` for debug log sampling, which runs only when a sample rate is set; importing
// node:crypto for it cost every start-up 2–3 ms, on Lambda in every Init Duration, where the
// runtime itself never loads it. The module is loaded on the first call instead.

/** @type {typeof import('node:crypto') | undefined} */
let crypto;

/**
 * `crypto.randomInt(min, max)`, with node:crypto loaded on the first call. Powertools calls it
 * with both bounds and no callback.
 * @param {number} min
 * @param {number} max
 * @returns {number}
 */
function randomInt(min, max) {
  crypto ??= require('node:crypto');
  return crypto.randomInt(min, max);
}

module.exports = { randomInt };
