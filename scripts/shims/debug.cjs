'use strict';
// Stands in for the `debug` package inside Lookout's bundle (see scripts/build.mjs). The
// OpenTelemetry instrumentation stack uses `debug` (through require-in-the-middle) for its
// own tracing output, which only matters when DEBUG is set. Loading the real package cost
// about 23 M instructions of every cold start, and it is called on every require.
// Same contract: `debug(namespace)` returns a logger that writes to stderr when DEBUG names
// the namespace (comma- or space-separated, `*` wildcards, a leading `-` excludes).
const { format } = require('node:util');

function toPattern(glob) {
  return new RegExp(`^${glob.replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replace(/\*/g, '.*?')}$`);
}

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

function createDebug(namespace) {
  const enabled = isEnabled(namespace, process.env.DEBUG);
  const logger = enabled
    ? (formatter, ...args) => {
        process.stderr.write(`${namespace} ${format(formatter, ...args)}\n`);
      }
    : noop;
  return Object.assign(logger, { enabled, namespace });
}

module.exports = createDebug;
module.exports.default = createDebug;
