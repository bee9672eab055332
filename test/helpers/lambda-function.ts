// Starts a Lambda function the way the Node.js managed runtime does, against the Runtime API
// emulator (lambda-runtime-api.ts), which stands in for the Lambda service: the runtime's
// bootstrap stand-in (test/fixtures/lambda-runtime/bootstrap) honours AWS_LAMBDA_EXEC_WRAPPER
// and runs the real runtime interface client (aws-lambda-ric), which loads the handler named by
// _HANDLER from LAMBDA_TASK_ROOT and polls the emulator for invocations. As Lambda does, it
// first starts every file of the extensions folder (`<optDir>/extensions`, playing
// /opt/extensions) as an external extension, and starts the runtime once they registered.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runtimeClientFix, runtimeClientState } from '../../scripts/lib/test-prerequisites.mjs';
import type { LambdaRuntimeApi } from './lambda-runtime-api.js';
import { type AppExit, type SpawnedApp, spawnApp } from './spawn-app.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/lambda-runtime/', import.meta.url));
/** The runtime's bootstrap stand-in. */
export const BOOTSTRAP = join(FIXTURE, 'bootstrap');

/** Throws, saying why and what fixes it, when the runtime interface client's native part was not built. */
export function assertRuntimeClientBuilt(): void {
  const state = runtimeClientState();
  if (!state.ok)
    throw new Error(
      `${state.reason}: the Lambda tests drive the real runtime client. Fix: ${runtimeClientFix()} (docs/decisions/0004-test-prerequisites-on-a-fresh-machine.md)`,
    );
}

export interface LambdaFunctionOptions {
  readonly api: LambdaRuntimeApi;
  /** LAMBDA_TASK_ROOT: the function's code. */
  readonly taskRoot: string;
  /** _HANDLER, e.g. `handlers.echo`. */
  readonly handler: string;
  /** @default "lookout-test" */
  readonly functionName?: string;
  /** Where layers are extracted (plays /opt); NODE_PATH includes its nodejs/node_modules. */
  readonly optDir?: string;
  /** More variables (AWS_LAMBDA_EXEC_WRAPPER, OTEL_*, LOOKOUT_*); `undefined` removes one. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Freeze the processes (SIGSTOP) whenever the emulator freezes the environment, and thaw them
   * (SIGCONT) before the next invocation or the shutdown, as Lambda does: nothing runs in a
   * frozen environment, so what a sink received while frozen was sent before the freeze.
   * @default false
   */
  readonly freeze?: boolean;
}

/** How the shutdown phase ended. */
export interface ShutdownOutcome {
  readonly runtime: AppExit;
  readonly extensions: readonly AppExit[];
  /** Whether a process had to be killed at the end of the shutdown window. */
  readonly killed: boolean;
}

export interface LambdaFunction extends SpawnedApp {
  /** performance.now() of the first GET /next (the end of the init phase). */
  readonly initDoneAt: number;
  /** performance.now() just before the process was spawned. */
  readonly spawnedAt: number;
  /** The external extensions' processes, in start order. */
  readonly extensionProcesses: readonly SpawnedApp[];
  /**
   * The shutdown phase, as Lambda runs it: SHUTDOWN to the extensions registered for it, SIGTERM
   * to the runtime when any extension is registered (SIGKILL otherwise), SIGKILL to whatever is
   * left when `windowMs` is over.
   */
  shutdown(windowMs?: number): Promise<ShutdownOutcome>;
}

/** The variables the Lambda service sets for a Node.js 20 function (those the runtime reads). */
export function lambdaEnvironment(options: LambdaFunctionOptions): Record<string, string | undefined> {
  const name = options.functionName ?? 'lookout-test';
  return {
    AWS_LAMBDA_RUNTIME_API: options.api.address,
    LAMBDA_TASK_ROOT: options.taskRoot,
    LAMBDA_RUNTIME_DIR: FIXTURE,
    _HANDLER: options.handler,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef',
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: 'eu-west-1',
    TZ: ':UTC',
    LAMBDA_TEST_OPT_DIR: options.optDir,
    ...options.env,
  };
}

/**
 * Starts the function and resolves once its runtime asked for the first invocation.
 *
 * @example
 * const api = await startLambdaRuntimeApi();
 * const fn = await startLambdaFunction({ api, taskRoot: fixture('lambda'), handler: 'handlers.echo' });
 * const outcome = await api.invoke({ event: {} });
 * await fn.stop();
 */
export async function startLambdaFunction(options: LambdaFunctionOptions): Promise<LambdaFunction> {
  assertRuntimeClientBuilt();
  const env = lambdaEnvironment(options);
  const extensionsDir = options.optDir === undefined ? undefined : join(options.optDir, 'extensions');
  const extensionFiles =
    extensionsDir !== undefined && existsSync(extensionsDir)
      ? readdirSync(extensionsDir)
          .sort()
          .filter((name) => statSync(join(extensionsDir, name)).isFile())
      : [];
  options.api.newEnvironment();
  options.api.setExternalExtensions(extensionFiles);
  // This function's own first poll, not one of an earlier function on the same emulator.
  const pollsBefore = options.api.nextCount();
  const spawnedAt = performance.now();
  // Lambda starts the extensions first and the runtime once each has registered.
  const extensionProcesses: SpawnedApp[] = [];
  for (const name of extensionFiles) {
    const extension = await spawnApp({
      command: join(extensionsDir as string, name),
      args: [],
      cwd: options.taskRoot,
      env: { ...env, _HANDLER: options.handler },
      readyPattern: null,
    });
    extensionProcesses.push(extension);
  }
  await Promise.all(
    extensionFiles.map((name, index) =>
      Promise.race([
        options.api.registered(name, 30_000),
        extensionProcesses[index]?.exited.then((exit) => {
          throw new Error(`extension ${name} exited (code ${exit.code}) before it registered`);
        }),
      ]),
    ),
  );
  const app = await spawnApp({
    command: BOOTSTRAP,
    args: [],
    cwd: options.taskRoot,
    env,
    readyPattern: null,
  });
  const processes = () => [app, ...extensionProcesses];
  if (options.freeze === true) {
    const signal = (name: NodeJS.Signals) => () => {
      for (const { child } of processes())
        if (child.exitCode === null && child.signalCode === null) child.kill(name);
    };
    options.api.onFreeze(signal('SIGSTOP'));
    options.api.onThaw(signal('SIGCONT'));
  }
  const thaw = () => {
    for (const { child } of processes())
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGCONT');
  };
  const output = () =>
    `--- stdout ---\n${app.stdoutLines().join('\n')}\n--- stderr ---\n${app.stderrLines().join('\n')}`;
  let initDoneAt: number;
  try {
    initDoneAt = await Promise.race([
      options.api.nextAfter(pollsBefore, 30_000),
      app.exited.then((exit) => {
        throw new Error(`the function exited (code ${exit.code}, signal ${exit.signal}) during init`);
      }),
    ]);
  } catch (error) {
    await Promise.all(processes().map((process) => process.kill()));
    throw new Error(`${(error as Error).message}\n${output()}`, { cause: error });
  }
  const stop = app.stop.bind(app);
  const kill = app.kill.bind(app);
  return Object.assign(app, {
    initDoneAt,
    spawnedAt,
    extensionProcesses,
    stop: async (signal?: NodeJS.Signals) => {
      thaw();
      await Promise.all(extensionProcesses.map((extension) => extension.kill()));
      return stop(signal);
    },
    kill: async () => {
      await Promise.all(extensionProcesses.map((extension) => extension.kill()));
      return kill();
    },
    async shutdown(windowMs = 2000): Promise<ShutdownOutcome> {
      options.api.shutdown('spindown', windowMs);
      thaw();
      const anyExtension = options.api.extensions().length > 0;
      app.child.kill(anyExtension ? 'SIGTERM' : 'SIGKILL');
      let killed = false;
      const timer = setTimeout(() => {
        killed = true;
        for (const process of processes()) void process.kill();
      }, windowMs);
      const [runtime, ...extensions] = await Promise.all(processes().map((process) => process.exited));
      clearTimeout(timer);
      return { runtime: runtime as AppExit, extensions, killed };
    },
  });
}

/** Log lines (JSON objects with a `level`) a function wrote to stdout. */
export function jsonLogLines(fn: SpawnedApp): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  for (const line of fn.stdoutLines()) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (typeof parsed.level === 'string') lines.push(parsed);
    } catch {
      // not JSON: the runtime's own output
    }
  }
  return lines;
}
