// Limits of the CloudWatch Embedded Metric Format and of CloudWatch metric names, from the EMF
// specification and the CloudWatch API reference (MetricDatum, Dimension). The 30-dimension
// limit replaced the original 9 in 2022. Every check here is a pure function returning the
// reason a value is unusable, or undefined, so callers decide how to report it (once).

/** Numeric limits the documents Lookout writes never exceed (docs/design.md decision 6). */
export const EMF_LIMITS = {
  /** Metric definitions in one MetricDirective. */
  maxMetricsPerDirective: 100,
  /** Dimension keys in one DimensionSet. */
  maxDimensionsPerSet: 30,
  /** Values in one metric's value array. */
  maxValuesPerMetric: 100,
  maxNamespaceLength: 255,
  maxMetricNameLength: 255,
  maxDimensionNameLength: 255,
  maxDimensionValueLength: 1024,
  /** CloudWatch accepts timestamps up to two weeks old... */
  maxTimestampAgeMs: 14 * 24 * 60 * 60 * 1000,
  /** ...and up to two hours ahead. */
  maxTimestampAheadMs: 2 * 60 * 60 * 1000,
  /**
   * One document is one CloudWatch Logs event. The service takes events up to 1 MB since 2025,
   * but the way there still holds them to 256 KiB less the 26 bytes counted per event (the
   * awslogs log driver splits longer lines, the CloudWatch agent skips them), and a document
   * cut in two is two lines of invalid JSON: its metrics are lost. The same budget as a log
   * line (docs/decisions/0015-log-line-budgets.md).
   */
  maxDocumentBytes: 256_000,
  /**
   * CloudWatch rejects metric values other than 0 whose magnitude is below 2^-360 or above
   * 2^360 (PutMetricData, MetricDatum.Value); one such value loses the whole document.
   */
  minValueMagnitude: 2 ** -360,
  maxValueMagnitude: 2 ** 360,
} as const;

/** The units the EMF specification accepts, exactly as they are written. */
export const EMF_UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
] as const;
export type EmfUnit = (typeof EMF_UNITS)[number];

/** StorageResolution: 60 is standard (one-minute) resolution, 1 is high resolution. */
export const STORAGE_RESOLUTIONS = { standard: 60, high: 1 } as const;
export type StorageResolution = (typeof STORAGE_RESOLUTIONS)[keyof typeof STORAGE_RESOLUTIONS];

const UNIT_SET: ReadonlySet<string> = new Set(EMF_UNITS);

// CloudWatch concepts: namespaces are ASCII letters, digits and `. - _ / # :` (and spaces),
// and custom metrics may not use the reserved `AWS/` prefix.
const NAMESPACE_PATTERN = /^[A-Za-z0-9._\-/#: ]+$/;
// Dimension names and values must be printable ASCII with at least one non-space character.
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
// Metric names may hold any character except control characters.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** Keys no name may take: `_aws` is the EMF metadata member at the document's root. */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['_aws']);

/**
 * A name no document can carry: documents are built as JavaScript objects (by Powertools and
 * by Lookout), where assigning `__proto__` sets the prototype instead of adding a member, so the
 * name and its value would vanish from the document without a word.
 */
const PROTOTYPE_KEY = '__proto__';
const PROTOTYPE_KEY_REASON = 'cannot be written (a JavaScript object takes it for its prototype)';

/** Why a key of the document's root (a metric, dimension or metadata name) is taken, or undefined. */
function checkRootKey(value: string): string | undefined {
  if (RESERVED_KEYS.has(value)) return 'is reserved by the EMF format';
  if (value === PROTOTYPE_KEY) return PROTOTYPE_KEY_REASON;
  return undefined;
}

/** Why a namespace is unusable, or undefined when it is valid. */
export function checkNamespace(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return 'must be a non-empty string';
  if (value.length > EMF_LIMITS.maxNamespaceLength)
    return `must be at most ${EMF_LIMITS.maxNamespaceLength} characters`;
  if (!NAMESPACE_PATTERN.test(value)) return 'may hold only ASCII letters, digits, spaces and . - _ / # :';
  if (value.startsWith('AWS/')) return 'must not start with "AWS/" (reserved for AWS services)';
  return undefined;
}

/** Why a metric name is unusable, or undefined when it is valid. */
export function checkMetricName(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return 'must be a non-empty string';
  if (value.length > EMF_LIMITS.maxMetricNameLength)
    return `must be at most ${EMF_LIMITS.maxMetricNameLength} characters`;
  if (CONTROL_CHARACTER.test(value)) return 'must not contain control characters';
  return checkRootKey(value);
}

/** Why a dimension name is unusable, or undefined when it is valid. */
export function checkDimensionName(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return 'must be a non-empty string';
  if (value.length > EMF_LIMITS.maxDimensionNameLength)
    return `must be at most ${EMF_LIMITS.maxDimensionNameLength} characters`;
  if (!PRINTABLE_ASCII.test(value)) return 'must be printable ASCII';
  if (value.startsWith(':')) return 'must not start with ":"';
  return checkRootKey(value);
}

/** Why a metadata key is unusable (empty, or a name the document's root cannot take), or undefined. */
export function checkMetadataKey(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'must be a non-empty string';
  return checkRootKey(value);
}

/** Why a dimension value is unusable, or undefined when it is valid. */
export function checkDimensionValue(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return 'must be a non-empty string';
  if (value.length > EMF_LIMITS.maxDimensionValueLength)
    return `must be at most ${EMF_LIMITS.maxDimensionValueLength} characters`;
  if (!PRINTABLE_ASCII.test(value)) return 'must be printable ASCII';
  return undefined;
}

/** Whether `value` is one of the EMF units. */
export function isEmfUnit(value: unknown): value is EmfUnit {
  return typeof value === 'string' && UNIT_SET.has(value);
}

/** Whether CloudWatch accepts a metric value: 0, or a magnitude between 2^-360 and 2^360. */
export function isMetricValueAccepted(value: number): boolean {
  const magnitude = Math.abs(value);
  return (
    magnitude === 0 ||
    (magnitude >= EMF_LIMITS.minValueMagnitude && magnitude <= EMF_LIMITS.maxValueMagnitude)
  );
}

/**
 * Why a metric value is unusable (NaN, ±Infinity, not a number, outside the range CloudWatch
 * accepts), or undefined when it is valid.
 */
export function checkMetricValue(value: unknown): string | undefined {
  if (typeof value !== 'number') return 'must be a number';
  if (!Number.isFinite(value)) return 'must be a finite number (not NaN or Infinity)';
  if (!isMetricValueAccepted(value))
    return 'must be 0 or between 2^-360 and 2^360 in magnitude (CloudWatch rejects the document otherwise)';
  return undefined;
}

/** Whether a timestamp (ms since the epoch) is inside the window CloudWatch accepts. */
export function isTimestampAccepted(timestamp: number, now: number): boolean {
  return (
    Number.isInteger(timestamp) &&
    timestamp >= now - EMF_LIMITS.maxTimestampAgeMs &&
    timestamp <= now + EMF_LIMITS.maxTimestampAheadMs
  );
}
