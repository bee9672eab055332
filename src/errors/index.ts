export type { LookoutErrorCode } from './lookout-error.js';
export { describeValue, ERROR_CODES, LookoutConfigError, LookoutError } from './lookout-error.js';
