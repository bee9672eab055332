// One name per log level, whichever logger wrote the line, so the level column and the level
// filter read the same for Powertools, pino, bunyan, winston and OTLP records
// (docs/decisions/0039-viewer-levels-and-times.md).

/**
 * pino's and bunyan's numbers: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. A
 * custom level between two takes the name of the one below it.
 */
const TENS = [
  [60, 'FATAL'],
  [50, 'ERROR'],
  [40, 'WARN'],
  [30, 'INFO'],
  [20, 'DEBUG'],
  [10, 'TRACE'],
] as const;

/** winston's default (npm) levels, for a line that carries the number instead of the name. */
const WINSTON_NPM = ['ERROR', 'WARN', 'INFO', 'HTTP', 'VERBOSE', 'DEBUG', 'SILLY'] as const;

/** Spellings of the same level by different loggers. */
const ALIASES: Readonly<Record<string, string>> = { WARNING: 'WARN', ERR: 'ERROR', CRIT: 'CRITICAL' };

// winston's colorize() wraps the level in terminal colour codes.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what is matched
const ANSI_SEQUENCE = /\u001b\[[0-9;]*m/g;

/**
 * The level's name in capitals, from a name (`info`, `WARNING`, a colourised winston level) or a
 * number (pino and bunyan's 10–60, winston's npm levels 0–6); undefined when there is none.
 *
 * @example
 * levelName(30); // 'INFO'
 * levelName('\u001b[32minfo\u001b[39m'); // 'INFO'
 */
export function levelName(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const name = value.replace(ANSI_SEQUENCE, '').trim().toUpperCase();
    if (name === '') return undefined;
    if (/^\d+$/.test(name)) return levelName(Number(name));
    return ALIASES[name] ?? name;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  if (Number.isInteger(value) && value >= 0 && value < WINSTON_NPM.length) return WINSTON_NPM[value];
  for (const [floor, name] of TENS) if (value >= floor) return name;
  return `LEVEL ${value}`;
}
