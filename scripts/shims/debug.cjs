'use strict';
// Stands in for the `debug` package inside Lookout's bundle (see scripts/build.mjs). The
// OpenTelemetry instrumentation stack uses `debug` (through require-in-the-middle) for its
// own tracing output, which only matters when DEBUG is set. Loading the real package cost
// about 23 M instructions of every cold start, and it is called on every require.
// Same contract: `debug(namespace)` returns a logger that writes to stderr when DEBUG names
// the namespace (comma- or space-separated, `*` wildcards, a leading `-` excludes).
const { format } = require('node:util');

/** @param {string} glob */
function toPattern(glob) {
  return new RegExp(`^${glob.replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replace(/\*/g, '.*?')}$`);
}

/**
 * @param {string} namespace
 * @param {string | undefined} setting the value of DEBUG
 */
function isEnabled(namespace, setting) {
  if (!setting) return false;
  let enabled = false;
  for (const part of setting.split(/[\s,]+/)) {
    if (part === '') continue;
    if (part.startsWith('-')) {
      if (toPattern(part.slice(1)).test(namespace)) return false;
    } else if (toPattern(part).test(namespace)) {
      enabled = true;
    }
  }
  return enabled;
}

function noop() {}

/** @param {string} namespace */
function createDebug(namespace) {
  const enabled = isEnabled(namespace, process.env.DEBUG);
  const logger = enabled
    ? /** @type {(formatter: unknown, ...args: unknown[]) => void} */ (formatter, ...args) => {
        process.stderr.write(`${namespace} ${format(formatter, ...args)}\n`);
      }
    : noop;
  return Object.assign(logger, { enabled, namespace });
}

createDebug.default = createDebug;
module.exports = createDebug;
