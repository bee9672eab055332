// What every Lambda integration test stands up around a function: a fresh Runtime API emulator and
// a fresh OTLP receiver per test, and the function processes it started killed after the test
// whatever its outcome, so that no test sees another's invocations, spans or processes.
import { afterEach, beforeEach } from 'vitest';
import { type LambdaFunction, type LambdaFunctionOptions, startLambdaFunction } from './lambda-function.js';
import { type LambdaRuntimeApi, startLambdaRuntimeApi } from './lambda-runtime-api.js';
import { type OtlpReceiver, startOtlpReceiver } from './otlp-receiver.js';

export interface LambdaSandbox {
  /** The current test's Runtime API emulator. */
  readonly api: LambdaRuntimeApi;
  /** The current test's OTLP/HTTP receiver. */
  readonly receiver: OtlpReceiver;
  /** Starts a function against the current test's emulator; it is killed after the test. */
  startFunction(options: Omit<LambdaFunctionOptions, 'api'>): Promise<LambdaFunction>;
}

/** Registers the per-test set-up and tear-down in the calling test file's scope. */
export function useLambdaSandbox(): LambdaSandbox {
  let api: LambdaRuntimeApi | undefined;
  let receiver: OtlpReceiver | undefined;
  const started: LambdaFunction[] = [];

  beforeEach(async () => {
    api = await startLambdaRuntimeApi();
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((fn) => fn.kill()));
    await api?.close();
    await receiver?.close();
    api = undefined;
    receiver = undefined;
  });

  const current = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the Lambda sandbox's ${what} exists only while a test runs`);
    return value;
  };
  return {
    get api() {
      return current(api, 'Runtime API emulator');
    },
    get receiver() {
      return current(receiver, 'OTLP receiver');
    },
    async startFunction(options) {
      const fn = await startLambdaFunction({ ...options, api: current(api, 'Runtime API emulator') });
      started.push(fn);
      return fn;
    },
  };
}
