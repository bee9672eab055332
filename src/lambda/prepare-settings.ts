import {
  describeError,
  diagnostics,
  ERROR_CODES,
  getLookout,
  getProcessEnv,
  holdLogLinesPerTurn,
  init,
  installSignalHandlers,
  type LambdaSettings,
  readEnv,
  resolveLambdaOptions,
  SETTINGS,
} from '../core.js';
import { compileCorrelationIdPath } from './correlation-id.js';
import { deliverOnExit } from './deliver-on-exit.js';
import { startInternalExtension } from './extension/internal-extension.js';
import { deliverAtExit } from './invocation.js';
import type { HandlerSettings, WrapOptions } from './types.js';

function tableDefault<T>(path: string): T {
  return SETTINGS.find((setting) => setting.path === path)?.default as T;
}

/**
 * Starts Lookout from the environment if nothing started it yet (a handler module that imports
 * `lookout/lambda` needs no `init()` call), then resolves the settings one handler runs with.
 * Runs when the handler is wrapped, in the function's init phase, so the first invocation pays
 * nothing for it. Invalid options throw `LookoutConfigError`; a failed start-up does not.
 */
export function prepareSettings(options: WrapOptions | undefined): HandlerSettings {
  let base: LambdaSettings | undefined;
  try {
    base = (getLookout() ?? init()).config.lambda;
  } catch (error) {
    diagnostics.error(
      ERROR_CODES.START_FAILED,
      `Lookout could not start for this Lambda handler, which runs without it: ${describeError(error)}`,
    );
  }
  deliverOnExit();
  // The correlation id path is the handler's own, not a `lambda` setting of init().
  const { correlationIdPath, ...lambdaOptions } = (options ?? {}) as WrapOptions;
  const correlationIdOf =
    correlationIdPath === undefined ? undefined : compileCorrelationIdPath(correlationIdPath);
  const settings = resolveLambdaOptions(
    base ?? {
      traceContext: tableDefault('lambda.traceContext'),
      flushTimeoutMs: tableDefault('lambda.flushTimeoutMs'),
      deadlineMarginMs: tableDefault('lambda.deadlineMarginMs'),
      deliverAfterResponse: tableDefault('lambda.deliverAfterResponse'),
      logLinesAfterResponse: tableDefault('lambda.logLinesAfterResponse'),
    },
    options === undefined ? undefined : lambdaOptions,
  );
  return correlationIdOf === undefined ? settings : { ...settings, correlationIdOf };
}

let flushesOnShutdown = false;

/**
 * With an extension registered, Lambda ends an environment with SIGTERM to the runtime (without
 * one, with SIGKILL): what is left is flushed then, within Lambda's shutdown window. Installed
 * here unless `shutdown.handleSignals` already did, which Lookout does not do on Lambda by
 * default.
 */
function flushOnShutdown(registered: boolean): void {
  const lookout = getLookout();
  if (!registered || flushesOnShutdown || lookout === undefined || lookout.config.shutdown.handleSignals)
    return;
  flushesOnShutdown = true;
  // The environment is ending: shut down whoever decides the exit (shutdown() flushes until a
  // flush finds nothing new, then stops the parts). An invocation still running then is one
  // Lambda stopped, at its timeout (Lambda shuts down only idle environments otherwise): it is
  // ended first, as failed, so that its span goes out with that flush and its metrics and error
  // line are written. The process ends by the signal, with no 'exit' event to do it then.
  const endInFlight = (signal: NodeJS.Signals): void =>
    deliverAtExit(
      new Error(
        `Lambda ended the execution environment (${signal}) before the invocation ended: it timed out`,
      ),
    );
  installSignalHandlers({
    appHandles: (signal) => {
      endInFlight(signal);
      void lookout.shutdown();
    },
    lookoutHandles: (signal) => {
      endInFlight(signal);
      return lookout.shutdown();
    },
  });
}

/**
 * Starts the internal extension that lets invocations answer first and deliver after
 * (docs/decisions/0010-lambda-delivery-after-response.md), when the settings ask for it and the
 * Extensions API is there, and arms it: from now on each invocation hands its delivery over.
 * Called when a handler is wrapped, in the init phase: Lambda accepts a registration only before
 * the runtime asks for its first invocation. Never throws.
 */
export function prepareDelivery(settings: LambdaSettings): void {
  if (!settings.deliverAfterResponse) return;
  // Lookout turned off (`enabled: false`, LOOKOUT_ENABLED=false) has no telemetry to deliver: an
  // extension would still hold the init for its registration and each freeze for a hand-over.
  if (getLookout()?.config.enabled === false) return;
  try {
    // Already registered by the layer's preload, or registered here with the runtime's first
    // /next held until Lambda answered: the runtime asks for its first invocation as soon as the
    // handler module has loaded (docs/decisions/0010).
    const extension = startInternalExtension(
      readEnv(getProcessEnv(), 'AWS_LAMBDA_RUNTIME_API'),
      'hold-runtime',
    );
    if (extension === undefined) return;
    extension.arm(settings.deadlineMarginMs);
    // A registration accepted after it was given up on gets SIGTERM at shutdown too. An
    // extension started by an older copy of Lookout (the layer's) may not say so.
    const accepted: Promise<boolean> | undefined = extension.accepted;
    void (accepted ?? extension.registration).then(flushOnShutdown);
    void extension.registration.then((registered) => {
      // Once Lambda accepted the extension, invocations answer first; with the setting on, their
      // log lines go out after the response too, at the end of the turn they were logged in
      // (docs/decisions/0075-lambda-log-lines-after-the-response.md).
      if (registered && settings.logLinesAfterResponse) holdLogLinesPerTurn();
    });
  } catch (error) {
    diagnostics.error(
      ERROR_CODES.START_FAILED,
      `Lookout could not register its Lambda extension; invocations wait for their telemetry: ${describeError(error)}`,
    );
  }
}
