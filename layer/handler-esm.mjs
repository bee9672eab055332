// The Lookout layer's handler for ES module functions: the exec wrapper (lookout-handler) sets
// _HANDLER here and LOOKOUT_LAMBDA_HANDLER to the function's own handler, which this loads in the
// init phase and wraps.
import { loadWrappedHandler } from '../dist/esm/lambda/auto.js';
import { wrap } from '../dist/esm/lambda/index.js';

export const handler = await loadWrappedHandler(wrap);
