import { VERSION } from '../core.js';
import { closestMatch } from './closest-match.js';

/** A subcommand: receives the arguments after its name, resolves to the exit code. */
export type CommandRunner = (args: readonly string[]) => Promise<number>;

interface CommandEntry {
  readonly summary: string;
  /** Loaded only when the command runs, so `lookout --help` stays instant. */
  readonly load: () => Promise<CommandRunner>;
}

// Each command lives in its own folder and is registered here with one line.
const COMMANDS: Record<string, CommandEntry> = {
  check: {
    summary:
      'check CloudFormation against the Security Hub controls for observability (check TEMPLATE|cdk.out)',
    load: async () => (await import('./check/command.js')).run,
  },
  collector: {
    summary: 'check a collector configuration (collector check FILE [--target lambda|ecs])',
    load: async () => (await import('./collector/command.js')).run,
  },
  dev: {
    summary: 'run a local viewer for traces, logs and metrics (dev [--port N] [-- command args…])',
    load: async () => (await import('./dev/command.js')).run,
  },
  layer: {
    summary: 'build the Lambda layer zip (layer build [--out FILE])',
    load: async () => (await import('./layer/command.js')).run,
  },
};

function usage(): string {
  const names = Object.keys(COMMANDS).sort();
  const width = Math.max(10, ...names.map((name) => name.length));
  return [
    `lookout ${VERSION}: observability for Node.js services on AWS`,
    '',
    'Usage: lookout <command> [options]',
    '',
    'Commands:',
    ...names.map((name) => `  ${name.padEnd(width)}  ${COMMANDS[name]?.summary ?? ''}`),
    `  ${'--version'.padEnd(width)}  print the version`,
    '',
    'Each command answers --help (lookout <command> --help).',
    '',
  ].join('\n');
}

/**
 * Runs the `lookout` command line and resolves to the process exit code: 0 done, 1 the
 * command found a problem (or no command was given), 2 the command line was wrong.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2));
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name === undefined ? 1 : 0;
  }
  if (name === 'help') {
    // `lookout help layer` reads as `lookout layer --help`.
    const [topic] = rest;
    return topic === undefined ? runCli(['--help']) : runCli([topic, '--help']);
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (entry === undefined) {
    const near = closestMatch(name, Object.keys(COMMANDS));
    const what = name.startsWith('-') ? 'option' : 'command';
    process.stderr.write(
      `lookout: unknown ${what} "${name}"${near === undefined ? '' : ` (did you mean "${near}"?)`}. See lookout --help\n`,
    );
    return 2;
  }
  const run = await entry.load();
  return run(rest);
}

/** Registers a command; used by the command table above and by tests. */
export function registerCommand(name: string, entry: CommandEntry): void {
  COMMANDS[name] = entry;
}
