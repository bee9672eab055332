import { parseArgs } from 'node:util';
import { closestMatch } from './closest-match.js';

/** A mistake in how a command was called: reported as one line pointing at the command's --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** One option of a command: `--name VALUE` (string) or `--name` (boolean). */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

type OptionValues<Specs extends OptionSpecs> = {
  readonly [Name in keyof Specs]?: Specs[Name]['type'] extends 'string' ? string : boolean;
};

export interface ParsedCommandArgs<Specs extends OptionSpecs> {
  readonly values: OptionValues<Specs>;
  /** Arguments that are not options, before any `--`. */
  readonly positionals: readonly string[];
  /** Everything after `--`, untouched (the command `lookout dev` runs). */
  readonly afterTerminator: readonly string[];
  /** `--help` or `-h` was given (before any `--`): the command prints its help and ignores the rest. */
  readonly help: boolean;
}

const HELP: OptionSpec = { type: 'boolean', short: 'h' };

function quoteOption(name: string): string {
  return `"--${name}"`;
}

/**
 * Parses a command's arguments with `node:util` `parseArgs`, checking each option itself so
 * that every mistake reads as one sentence naming the option, with the nearest known option
 * when it looks mistyped: an unknown option, a value missing (or an option where the value
 * should be, as in `--out --help`), a value given to a flag. `--help` and `-h` are always
 * accepted and win over any mistake, so every command answers them.
 *
 * @example
 * const { values, positionals } = parseCommandArgs(['--out', 'layer.zip'], { out: { type: 'string' } });
 */
export function parseCommandArgs<Specs extends OptionSpecs>(
  args: readonly string[],
  specs: Specs,
  { positionals: allowPositionals = true }: { readonly positionals?: boolean } = {},
): ParsedCommandArgs<Specs> {
  const options: Record<string, OptionSpec> = { ...specs, help: HELP };
  const { tokens } = parseArgs({
    args: [...args],
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  const afterTerminator: string[] = [];
  const problems: string[] = [];
  let terminated = false;
  for (const token of tokens) {
    if (token.kind === 'option-terminator') {
      terminated = true;
      continue;
    }
    if (token.kind === 'positional') {
      (terminated ? afterTerminator : positionals).push(token.value);
      continue;
    }
    const spec = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (spec === undefined) {
      const names = Object.keys(options);
      const near = closestMatch(token.name, names);
      problems.push(
        `unknown option "${token.rawName}"${near === undefined ? '' : ` (did you mean ${quoteOption(near)}?)`}`,
      );
    } else if (spec.type === 'boolean') {
      if (token.inlineValue === true) problems.push(`${quoteOption(token.name)} takes no value`);
      else values[token.name] = true;
    } else if (
      token.value === undefined ||
      token.value === '' ||
      (token.inlineValue === false && token.value.length > 1 && token.value.startsWith('-'))
    ) {
      problems.push(`${quoteOption(token.name)} needs a value`);
    } else {
      values[token.name] = token.value;
    }
  }
  const help = values.help === true;
  delete values.help;
  if (!help && problems[0] !== undefined) throw new UsageError(problems[0]);
  if (!help && !allowPositionals && positionals[0] !== undefined)
    throw new UsageError(`unexpected argument "${positionals[0]}"`);
  return { values: values as OptionValues<Specs>, positionals, afterTerminator, help };
}

/**
 * `value` when it is one of `allowed`; otherwise a usage error naming the option, the allowed
 * values and the nearest one.
 *
 * @example
 * const target = oneOf('--target', values.target, ['lambda', 'ecs']);
 */
export function oneOf<const Allowed extends string>(
  option: string,
  value: string,
  allowed: readonly Allowed[],
): Allowed {
  if ((allowed as readonly string[]).includes(value)) return value as Allowed;
  const near = closestMatch(value, allowed);
  throw new UsageError(
    `${option} must be one of ${allowed.join(', ')}, not "${value}"${near === undefined ? '' : ` (did you mean "${near}"?)`}`,
  );
}

/**
 * A usage error when `word` is not one of a command's subcommands, with the nearest one.
 *
 * @example
 * if (sub !== 'build') throw unknownSubcommand(sub, ['build']);
 */
export function unknownSubcommand(word: string | undefined, subcommands: readonly string[]): UsageError {
  if (word === undefined) return new UsageError(`missing subcommand (${subcommands.join(', ')})`);
  const near = closestMatch(word, subcommands);
  return new UsageError(
    `unknown subcommand "${word}"${near === undefined ? '' : ` (did you mean "${near}"?)`}`,
  );
}

/**
 * Writes a usage error as one line ending with where the help is, and gives exit code 2.
 *
 * @example
 * return reportUsageError('layer build', error);
 */
export function reportUsageError(
  command: string,
  error: UsageError,
  write: (text: string) => void = (text) => process.stderr.write(text),
): number {
  write(`lookout ${command}: ${error.message}. See lookout ${command} --help\n`);
  return 2;
}
