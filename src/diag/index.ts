export type { DiagLevel } from './diagnostics.js';
export { DIAG_LEVELS, describeError, diagnostics, markReported, wasReported } from './diagnostics.js';
