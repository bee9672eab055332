// Starts Node.js processes against the built package (dist/), the way users run Lookout:
// `node --import lookout/register app.mjs`, or a script that calls init().
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: `lookout` resolves to its own built package from here. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A path under test/fixtures. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/**
 * A clean environment: PATH and HOME only, plus what the test sets, so that variables of
 * the machine running the tests (OTEL_*, AWS_*) cannot change what is tested.
 */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...extra };
  if (process.env.PATH !== undefined) env.PATH = process.env.PATH;
  if (process.env.HOME !== undefined) env.HOME = process.env.HOME;
  return env;
}

export interface AppProcess {
  /** `http://127.0.0.1:<port>`, from the app's `listening <port>` line. */
  readonly url: string;
  stdout(): string;
  stderr(): string;
  /** Sends a signal and resolves with how the process ended. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function collect(child: ChildProcess) {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return { stdout: () => stdout, stderr: () => stderr, exited };
}

/**
 * Starts a server fixture and resolves once it printed `listening <port>`; rejects if it exits
 * first or does not start within `timeoutMs`.
 */
export function startApp(
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<AppProcess> {
  const child = spawn(process.execPath, [...args], { cwd: REPO_ROOT, env: cleanEnv(env), stdio: 'pipe' });
  const output = collect(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the app did not start within ${timeoutMs} ms:\n${output.stderr()}`));
    }, timeoutMs);
    void output.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the app exited (${code ?? signal}) before listening:\n${output.stderr()}`));
    });
    const onData = () => {
      const match = /listening (\d+)/.exec(output.stdout());
      if (!match) return;
      child.stdout?.off('data', onData);
      clearTimeout(timer);
      resolve({
        url: `http://127.0.0.1:${match[1]}`,
        stdout: output.stdout,
        stderr: output.stderr,
        stop: (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return output.exited;
        },
      });
    };
    child.stdout?.on('data', onData);
  });
}

/** Runs a script to completion and resolves with its exit code and output. */
export async function runScript(
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...args], { cwd: REPO_ROOT, env: cleanEnv(env), stdio: 'pipe' });
  const output = collect(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const { code } = await output.exited;
  clearTimeout(timer);
  return { code, stdout: output.stdout(), stderr: output.stderr() };
}
