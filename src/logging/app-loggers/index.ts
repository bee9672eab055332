export { addMissingTraceIds, getActiveTraceIds } from './active-trace-ids.js';
export { patchConsoleWithTraceIds } from './console-correlation.js';
export { createAppLoggerInstrumentations } from './create-app-logger-instrumentations.js';
