// Builds the event CloudWatch Logs sends a Lambda function subscribed to a log group, from
// log lines: `{ awslogs: { data } }`, data the base64 of the gzip of the JSON delivery
// (messageType DATA_MESSAGE, owner, logGroup, logStream, subscriptionFilters, logEvents).
import { randomInt } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export interface LogEventInput {
  readonly message: string;
  /** @default the line's own `timestamp` when it has one, else now */
  readonly timestamp?: number;
}

export interface SubscriptionDelivery {
  readonly event: { readonly awslogs: { readonly data: string } };
  readonly logEvents: readonly {
    readonly id: string;
    readonly timestamp: number;
    readonly message: string;
  }[];
  readonly logGroup: string;
  readonly logStream: string;
}

function lineTimestamp(message: string): number | undefined {
  try {
    const parsed = JSON.parse(message) as { timestamp?: unknown };
    const time = typeof parsed.timestamp === 'string' ? Date.parse(parsed.timestamp) : Number.NaN;
    return Number.isFinite(time) ? time : undefined;
  } catch {
    return undefined;
  }
}

// CloudWatch Logs event ids are 56 decimal digits; only their uniqueness matters here.
function eventId(): string {
  let id = '';
  while (id.length < 56) id += String(randomInt(0, 1_000_000_000)).padStart(9, '0');
  return id.slice(0, 56);
}

/**
 * The subscription event for `lines`, as CloudWatch Logs would deliver them.
 *
 * @example
 * const { event } = subscriptionDelivery(errorLines, { logGroup: '/aws/lambda/payments' });
 * await api.invoke({ event });
 */
export function subscriptionDelivery(
  lines: readonly (string | LogEventInput)[],
  options: { readonly logGroup?: string; readonly logStream?: string } = {},
): SubscriptionDelivery {
  const logGroup = options.logGroup ?? '/lookout/payments-prod';
  const logStream = options.logStream ?? '2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef';
  const logEvents = lines.map((line) => {
    const input = typeof line === 'string' ? { message: line } : line;
    return {
      id: eventId(),
      timestamp: input.timestamp ?? lineTimestamp(input.message) ?? Date.now(),
      message: input.message,
    };
  });
  const document = {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup,
    logStream,
    subscriptionFilters: ['ErrorStoreSubscription'],
    logEvents,
  };
  return {
    event: { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(document))).toString('base64') } },
    logEvents,
    logGroup,
    logStream,
  };
}

/** The same delivery again, as CloudWatch Logs or Lambda's retry would send it. */
export function redeliver(delivery: SubscriptionDelivery): SubscriptionDelivery['event'] {
  return delivery.event;
}
