import { LookoutConfigError } from '../errors/index.js';

/** Levels Powertools can buffer at (its `bufferAtVerbosity`). */
export const LOG_BUFFER_LEVELS = ['DEBUG', 'INFO', 'WARN'] as const;
export type LogBufferLevel = (typeof LOG_BUFFER_LEVELS)[number];

/**
 * Powertools Logger's log buffering (its `logBufferOptions`): on Lambda, lines at or below
 * `bufferAtVerbosity` are held per invocation and written only when an error is logged (or
 * `logger.flushBuffer()` is called), so debug detail costs nothing on invocations that succeed.
 */
export interface LogBufferOptions {
  /** @default true */
  enabled?: boolean;
  /**
   * Most bytes held per invocation; the oldest lines are dropped past it.
   * @default 20480
   */
  maxBytes?: number;
  /**
   * The most verbose level held back: lines at it and below are buffered.
   * @default "DEBUG"
   */
  bufferAtVerbosity?: LogBufferLevel;
  /**
   * Write the buffer when an ERROR (or CRITICAL) line is logged.
   * @default true
   */
  flushOnErrorLog?: boolean;
}

const OPTION = 'logging.logBufferOptions';
const ALIAS = 'logging.logBufferingOptions';
const KEYS = new Set(['enabled', 'maxBytes', 'bufferAtVerbosity', 'flushOnErrorLog']);

/**
 * Validates `logging.logBufferOptions` (also accepted as `logging.logBufferingOptions`), an
 * option in code only: Powertools reads no variable for it. Throws `LookoutConfigError` naming
 * the field; returns undefined when neither is given, or buffering is turned off.
 */
export function resolveLogBuffer(options: Record<string, unknown>): Readonly<LogBufferOptions> | undefined {
  const logging = options.logging as Record<string, unknown> | undefined;
  const given = logging?.logBufferOptions;
  const alias = logging?.logBufferingOptions;
  if (given !== undefined && alias !== undefined)
    throw new LookoutConfigError({
      option: ALIAS,
      value: alias,
      accepted: `only one of ${OPTION} and ${ALIAS} (the same setting)`,
    });
  const value = given ?? alias;
  const option = given !== undefined ? OPTION : ALIAS;
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new LookoutConfigError({ option, value, accepted: 'an object' });
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record))
    if (!KEYS.has(key))
      throw new LookoutConfigError({
        option: `${option}.${key}`,
        value: record[key],
        accepted: `one of ${[...KEYS].join(', ')}`,
      });
  const resolved: LogBufferOptions = {};
  for (const key of ['enabled', 'flushOnErrorLog'] as const) {
    const field = record[key];
    if (field === undefined) continue;
    if (typeof field !== 'boolean')
      throw new LookoutConfigError({ option: `${option}.${key}`, value: field, accepted: 'true or false' });
    resolved[key] = field;
  }
  if (record.maxBytes !== undefined) {
    const maxBytes = record.maxBytes;
    if (
      typeof maxBytes !== 'number' ||
      !Number.isInteger(maxBytes) ||
      maxBytes < 1 ||
      maxBytes > 10 * 1024 * 1024
    )
      throw new LookoutConfigError({
        option: `${option}.maxBytes`,
        value: maxBytes,
        accepted: 'an integer from 1 to 10485760',
      });
    resolved.maxBytes = maxBytes;
  }
  if (record.bufferAtVerbosity !== undefined) {
    const level = record.bufferAtVerbosity;
    const canonical = typeof level === 'string' ? level.toUpperCase() : undefined;
    if (!LOG_BUFFER_LEVELS.includes(canonical as LogBufferLevel))
      throw new LookoutConfigError({
        option: `${option}.bufferAtVerbosity`,
        value: level,
        accepted: `one of ${LOG_BUFFER_LEVELS.join(', ')}`,
      });
    resolved.bufferAtVerbosity = canonical as LogBufferLevel;
  }
  return resolved.enabled === false ? undefined : resolved;
}
