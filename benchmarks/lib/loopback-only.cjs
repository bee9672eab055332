// Preloaded (`--require`) into every app a benchmark starts, whatever the variant: refuses TCP
// connections to anything but loopback. Benchmarks must not send traffic off the machine, and
// some peers cannot be told not to (ADOT's EC2 resource detector always asks the instance
// metadata address). A refused connection fails at once, as it would on a machine with no
// metadata service, so every variant runs under the same rule at the same small cost.
'use strict';
const net = require('node:net');

/** @param {unknown} host */
function isLoopback(host) {
  if (host === undefined || host === null || host === '' || host === 'localhost') return true;
  const text = String(host).replace(/^\[|\]$/g, '');
  return text === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(text);
}

/**
 * The host a `Socket#connect` call targets, for each of the forms Node accepts.
 * @param {unknown[]} args
 * @returns {unknown}
 */
function targetHost(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first !== null && typeof first === 'object') return first.path === undefined ? first.host : 'localhost';
  if (typeof first === 'string' && !/^\d+$/.test(first)) return 'localhost'; // an IPC path
  return typeof args[1] === 'string' ? args[1] : undefined;
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = /** @type {typeof connect} */ (
  /**
   * @this {import('node:net').Socket}
   * @param {unknown[]} args
   */
  function loopbackOnlyConnect(...args) {
    const host = targetHost(args);
    if (isLoopback(host)) return connect.apply(this, /** @type {Parameters<typeof connect>} */ (args));
    /** @type {NodeJS.ErrnoException} */
    const error = new Error(`connect ECONNREFUSED ${String(host)} (benchmarks allow loopback only)`);
    error.code = 'ECONNREFUSED';
    process.nextTick(() => this.destroy(error));
    return this;
  }
);
