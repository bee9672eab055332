// Preloaded (`--require`) into an app by first-response-instructions.mjs: ends the process as soon
// as the server has finished its first response, or with FIRST_RESPONSE_EXIT=listen as soon as a
// server listens, and writes `status <code>` to stderr first so that the parent can check it.
// It leaves through process.reallyExit, which skips the `exit` handlers: what is counted is the
// start and the first response, not what telemetry does when the process ends.
const { subscribe } = require('node:diagnostics_channel');
const { writeSync } = require('node:fs');
const net = require('node:net');

function leave(status) {
  writeSync(2, `status ${status}\n`);
  /** @type {{ reallyExit(code: number): never }} */ (/** @type {unknown} */ (process)).reallyExit(0);
}

if (process.env.FIRST_RESPONSE_EXIT === 'listen') {
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function listenThenLeave(...args) {
    this.once('listening', () => leave('listening'));
    return listen.apply(this, args);
  };
} else {
  subscribe('http.server.response.finish', (message) => {
    leave(/** @type {{ response: { statusCode: number } }} */ (message).response.statusCode);
  });
}
