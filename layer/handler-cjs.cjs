// The Lookout layer's handler for CommonJS functions: the exec wrapper (lookout-handler) sets
// _HANDLER here and LOOKOUT_LAMBDA_HANDLER to the function's own handler, which this loads in the
// init phase and wraps.
const { loadWrappedHandlerSync } = require('../dist/cjs/lambda/auto.js');
const { wrap } = require('../dist/cjs/lambda/index.js');

module.exports.handler = loadWrappedHandlerSync(wrap);
