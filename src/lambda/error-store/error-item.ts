import { createHash } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { redact } from '../../core.js';
import type { SubscriptionLogEvent } from './decode-subscription-payload.js';
import { errorFingerprint } from './error-fingerprint.js';
import type { ErrorLine } from './read-error-line.js';

/**
 * The table's key schema and indexes: the names the forwarder writes and the CDK construct
 * declares (test/cdk/error-store.test.ts checks they agree). `errorId` + `timestamp` is the key
 * of the table teams build by hand; `expiresAt` is the TTL attribute.
 *
 * @example
 * ERROR_TABLE_SCHEMA.functionIndex.name; // 'FunctionNameIndex'
 */
export const ERROR_TABLE_SCHEMA = {
  partitionKey: 'errorId',
  sortKey: 'timestamp',
  ttlAttribute: 'expiresAt',
  functionIndex: { name: 'FunctionNameIndex', partitionKey: 'functionName', sortKey: 'timestamp' },
  fingerprintIndex: {
    name: 'FingerprintIndex',
    partitionKey: 'fingerprint',
    sortKey: 'timestamp',
    /** Projected besides the keys: enough to list occurrences without reading the table. */
    projected: ['errorType', 'message', 'service', 'functionName', 'route', 'requestId', 'xrayTraceId'],
  },
} as const;

/** Longest value kept per attribute, in characters; longer ones end in TRUNCATED_MARK. */
export const ITEM_LIMITS = {
  /** Index keys: DynamoDB allows 2048 bytes for a partition key, 1024 for a sort key. */
  key: 256,
  message: 2048,
  stack: 16_384,
  details: 16_384,
} as const;

export const TRUNCATED_MARK = '…[truncated]';

/** One stored error (docs/decisions/0027-error-item-shape.md). */
export interface ErrorItem {
  readonly errorId: string;
  /** ISO 8601, UTC, milliseconds: sorts as text. */
  readonly timestamp: string;
  /** Epoch seconds after which DynamoDB deletes the item. */
  readonly expiresAt: number;
  readonly service: string;
  readonly environment?: string;
  /** The Lambda function's name, or the service's name for a server. */
  readonly functionName: string;
  readonly route?: string;
  readonly errorType: string;
  readonly message: string;
  readonly stack?: string;
  readonly fingerprint: string;
  readonly requestId?: string;
  readonly functionRequestId?: string;
  readonly traceId?: string;
  readonly xrayTraceId?: string;
  readonly coldStart?: boolean;
  /** JSON of the line's other keys (the event or request summary), already redacted. */
  readonly details?: string;
  readonly level: string;
  readonly logMessage?: string;
  readonly origin: string;
  readonly logGroup: string;
  readonly logStream: string;
  readonly logEventId: string;
}

/** Where the lines came from and how long items are kept. */
export interface ItemContext {
  readonly logGroup: string;
  readonly logStream: string;
  readonly retentionDays: number;
  /** For lines that name no service (the Lambda runtime's). */
  readonly serviceName: string;
}

function cut(value: string, limit: number): string {
  return value.length <= limit ? value : `${value.slice(0, limit - TRUNCATED_MARK.length)}${TRUNCATED_MARK}`;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * The item's id: the same log event always gives the same id, so a redelivered payload
 * overwrites its items instead of adding copies (docs/decisions/0027-error-item-shape.md).
 */
export function errorIdOf(logGroup: string, logStream: string, eventId: string): string {
  return createHash('sha256').update(`${logGroup}\n${logStream}\n${eventId}`).digest('hex').slice(0, 32);
}

/**
 * Builds the item for one error line. Message, stack and details go through Lookout's
 * redaction policy once more: Lookout's own lines are already redacted, the Lambda runtime's
 * are not.
 *
 * @example
 * const item = createErrorItem(line, logEvent, { logGroup, logStream, retentionDays: 90, serviceName: 'orders-api' });
 */
export function createErrorItem(
  line: ErrorLine,
  event: SubscriptionLogEvent,
  context: ItemContext,
): ErrorItem {
  const service = cut(line.service ?? context.serviceName, ITEM_LIMITS.key);
  const stack = line.stack === undefined ? undefined : cut(redact(line.stack), ITEM_LIMITS.stack);
  const details =
    line.details === undefined ? undefined : cut(JSON.stringify(redact(line.details)), ITEM_LIMITS.details);
  return {
    errorId: errorIdOf(context.logGroup, context.logStream, event.id),
    timestamp: new Date(event.timestamp).toISOString(),
    expiresAt: Math.floor(event.timestamp / 1000) + context.retentionDays * 86_400,
    service,
    ...optional('environment', line.environment),
    functionName: cut(line.functionName ?? service, ITEM_LIMITS.key),
    ...optional('route', line.route === undefined ? undefined : cut(line.route, ITEM_LIMITS.key)),
    errorType: cut(line.errorType, ITEM_LIMITS.key),
    message: cut(redact(line.errorMessage), ITEM_LIMITS.message),
    ...optional('stack', stack),
    fingerprint: errorFingerprint(line.errorType, line.stack),
    ...optional('requestId', line.requestId),
    ...optional('functionRequestId', line.functionRequestId),
    ...optional('traceId', line.traceId),
    ...optional('xrayTraceId', line.xrayTraceId),
    ...optional('coldStart', line.coldStart),
    ...optional('details', details),
    level: line.level,
    ...optional(
      'logMessage',
      line.logMessage === undefined ? undefined : cut(line.logMessage, ITEM_LIMITS.message),
    ),
    origin: line.origin,
    logGroup: context.logGroup,
    logStream: context.logStream,
    logEventId: event.id,
  };
}

/**
 * The item as DynamoDB attribute values: strings as S, numbers as N, booleans as BOOL.
 *
 * @example
 * toAttributeMap(item).expiresAt; // { N: '1767225600' }
 */
export function toAttributeMap(item: ErrorItem): Record<string, AttributeValue> {
  const map: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(item)) {
    if (typeof value === 'string') map[key] = { S: value };
    else if (typeof value === 'number') map[key] = { N: String(value) };
    else if (typeof value === 'boolean') map[key] = { BOOL: value };
  }
  return map;
}
