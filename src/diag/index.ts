export type { DiagLevel } from './diagnostics.js';
export { DIAG_LEVELS, describeError, diagnostics } from './diagnostics.js';
