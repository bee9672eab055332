import { LOG_LEVEL_NAMES, REDACTION_RULE_NAMES } from '../options.js';
import { readPowertoolsBoolean } from '../read-powertools-boolean.js';
import { defineSettings } from '../setting.js';

/** Logging settings: the Powertools Logger, its level and the redaction policy. */
export const LOGGING_SETTINGS = defineSettings([
  {
    path: 'logging.enabled',
    env: 'LOOKOUT_LOGGING_ENABLED',
    type: 'boolean',
    default: true,
    defaultText: '`true`',
    description:
      'Turns log output on or off; off, `logger` writes nothing. `OTEL_SDK_DISABLED` does not turn logging off.',
  },
  {
    path: 'logging.level',
    env: 'LOOKOUT_LOG_LEVEL',
    standard: ['POWERTOOLS_LOG_LEVEL', 'LOG_LEVEL', 'AWS_LAMBDA_LOG_LEVEL'],
    type: 'enum',
    values: LOG_LEVEL_NAMES,
    default: 'INFO',
    defaultText: '`INFO`',
    description:
      "Lowest level written. On Lambda, the function's log-level filter (`AWS_LAMBDA_LOG_LEVEL`), when set, is the level whatever else asks for one, as in Powertools.",
  },
  {
    path: 'logging.sampleRate',
    env: 'LOOKOUT_LOG_SAMPLE_RATE',
    standard: ['POWERTOOLS_LOGGER_SAMPLE_RATE'],
    type: 'number',
    min: 0,
    max: 1,
    default: 0,
    defaultText: '`0`',
    description:
      'Share of processes (on Lambda, of invocations) that log at DEBUG whatever the level, from 0 to 1.',
  },
  {
    path: 'logging.pretty',
    env: 'LOOKOUT_LOG_PRETTY',
    type: 'boolean',
    default: ({ env }) => readPowertoolsBoolean(env, 'POWERTOOLS_DEV') === true,
    defaultText: '`true` when `POWERTOOLS_DEV` is `true` (or `1`, `yes`, `on`), else `false`',
    description: 'Indented JSON for reading in a terminal; one line per entry otherwise.',
  },
  {
    path: 'logging.logEvent',
    env: 'LOOKOUT_LOG_EVENT',
    // Powertools reads it as strictly `true` or `false` too (and throws on anything else;
    // Lookout warns once and keeps the default).
    standard: ['POWERTOOLS_LOGGER_LOG_EVENT'],
    type: 'boolean',
    default: false,
    defaultText: '`false`',
    description:
      "Logs each Lambda invocation's event, redacted, at INFO (`Lambda invocation event`, key `event`) in `wrap()` and `middy()`, as Powertools does.",
  },
  {
    path: 'logging.maxDepth',
    env: 'LOOKOUT_LOG_MAX_DEPTH',
    type: 'integer',
    min: 1,
    max: 100,
    default: 16,
    defaultText: '`16`',
    description: 'Nesting depth after which a value is replaced by `"[Max depth]"`.',
  },
  {
    path: 'logging.maxStringLength',
    env: 'LOOKOUT_LOG_MAX_STRING_LENGTH',
    type: 'integer',
    min: 64,
    max: 1_000_000,
    default: 10_000,
    defaultText: '`10000`',
    description:
      'Length after which a string (a message, a stack) is cut and marked `…[truncated, N chars]`.',
  },
  {
    path: 'logging.maxLineValues',
    env: 'LOOKOUT_LOG_MAX_LINE_VALUES',
    type: 'integer',
    min: 100,
    max: 10_000_000,
    default: 20_000,
    defaultText: '`20000`',
    description:
      'Values (objects, arrays, strings, numbers) written per line; the line is cut there, marked `"[Truncated]"` and `lookout_truncated`.',
  },
  {
    path: 'logging.maxLineBytes',
    env: 'LOOKOUT_LOG_MAX_LINE_BYTES',
    type: 'integer',
    min: 4096,
    max: 1_048_576,
    default: 256_000,
    defaultText: '`256000`',
    description:
      'Bytes per line (UTF-8, compact JSON); the line is cut there, marked `"[Truncated]"` and `lookout_truncated`. The default fits CloudWatch Logs\' event limit (256 KiB less 26 bytes).',
  },
  {
    path: 'logging.redaction.censor',
    env: 'LOOKOUT_LOG_REDACT_CENSOR',
    type: 'string',
    default: '[REDACTED]',
    defaultText: '`[REDACTED]`',
    description: 'Text written in place of a redacted value.',
  },
  {
    path: 'logging.redaction.disabledRules',
    env: 'LOOKOUT_LOG_REDACT_DISABLED_RULES',
    type: 'list',
    values: REDACTION_RULE_NAMES,
    default: [],
    defaultText: 'none',
    description: 'Default redaction rules to turn off (docs/logging.md lists what each one hides).',
  },
  {
    path: 'logging.redaction.keys',
    env: 'LOOKOUT_LOG_REDACT_KEYS',
    type: 'list',
    default: [],
    defaultText: 'none',
    description:
      'Extra key names whose values are redacted at any depth, matched ignoring case and `-`, `_`, `.` and spaces.',
  },
  {
    path: 'logging.redaction.keepKeys',
    env: 'LOOKOUT_LOG_REDACT_KEEP_KEYS',
    type: 'list',
    default: [],
    defaultText: 'none',
    description: 'Key names exempted from the default sensitive-key list, e.g. `nextToken`.',
  },
  {
    path: 'logging.redaction.paths',
    env: 'LOOKOUT_LOG_REDACT_PATHS',
    type: 'list',
    default: [],
    defaultText: 'none',
    description:
      'Paths redacted from the top of each line: `user.*.ssn`, `headers["x-session"]`, `items[0].card`; `*` matches one level.',
  },
]);
