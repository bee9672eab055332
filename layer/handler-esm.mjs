// The Lookout layer's handler for ES module functions: the exec wrapper (lookout-handler) sets
// _HANDLER here and LOOKOUT_LAMBDA_HANDLER to the function's own handler, which this loads in the
// init phase (with import(), as the runtime would) and wraps.
//
// Lookout's Lambda code is loaded as the CommonJS files the preload's core belongs to, through
// require(): an ES module import of a CommonJS file makes Node scan it, and the files it
// requires, for export names first (docs/decisions/0073-layer-preloads-the-commonjs-core.md).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { loadWrappedHandler } = require('../dist/cjs/lambda/auto.js');
const { wrap } = require('../dist/cjs/lambda/index.js');

export const handler = await loadWrappedHandler(wrap);
