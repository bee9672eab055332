export { isColdStartPending, takeColdStart } from './cold-start.js';
export type {
  EcsRuntimeInfo,
  LambdaRuntimeInfo,
  ReadSystemFile,
  RuntimeInfo,
  RuntimeKind,
} from './detect-runtime.js';
export { detectRuntime, RUNTIME_KINDS } from './detect-runtime.js';
export type { Env } from './env.js';
export { getProcessEnv, readEnv, withVariablesUnset } from './env.js';
export type { AppPackage } from './find-app-package.js';
export { defaultPackageSearchDirs, findAppPackage } from './find-app-package.js';
export type { DrainOutcome } from './flush-until-quiet.js';
export { flushUntilQuiet } from './flush-until-quiet.js';
export { getEntryScript } from './get-entry-script.js';
export { heapSizeLimitBytes } from './heap-size-limit.js';
export type { SignalActions } from './install-signal-handlers.js';
export { installSignalHandlers } from './install-signal-handlers.js';
export { isThenable } from './is-thenable.js';
export { LONGEST_TIMER_DELAY_MS } from './longest-timer-delay.js';
export { randomHex, randomUuid } from './random-ids.js';
export { readField } from './read-field.js';
export { parsePackageJson, readPackageJsonFile } from './read-package-json-file.js';
export { roundMs } from './round-ms.js';
export { stopAcceptingRequests } from './stop-accepting-requests.js';
export { noteTelemetry, onTelemetry, telemetryCount } from './telemetry-activity.js';
export { textOf } from './text-of.js';
export { withDeadline } from './with-deadline.js';
export type { StdioStreamName, StdioWriter } from './write-stdio.js';
export { createStdioWriter } from './write-stdio.js';
