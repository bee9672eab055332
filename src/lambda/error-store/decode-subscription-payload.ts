import { gunzipSync } from 'node:zlib';

/** One log event of a CloudWatch Logs subscription delivery. */
export interface SubscriptionLogEvent {
  /** The event's id, unique in its log group: the base of the item's `errorId`. */
  readonly id: string;
  /** Milliseconds since the epoch, as CloudWatch Logs recorded the event. */
  readonly timestamp: number;
  /** The log line. */
  readonly message: string;
}

/** The decoded `awslogs.data` of a subscription delivery (a DATA_MESSAGE). */
export interface SubscriptionPayload {
  readonly messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
  readonly owner: string;
  readonly logGroup: string;
  readonly logStream: string;
  readonly subscriptionFilters: readonly string[];
  readonly logEvents: readonly SubscriptionLogEvent[];
}

/**
 * The most a delivery may unpack to. Lambda takes at most 256 KiB of event for an asynchronous
 * invocation, which log lines fill at a compression of 10 to 50 to one: a few MiB. A payload
 * that unpacks past 64 MiB is a gzip bomb, not log lines, and unpacking it whole would take the
 * forwarder's memory, so it is refused as undecodable.
 */
export const MAX_DECODED_BYTES = 64 * 1024 * 1024;

/** Why a delivery could not be decoded (the whole delivery is unusable, not one event). */
export class UndecodablePayloadError extends Error {
  override readonly name = 'UndecodablePayloadError';
}

function isLogEvent(value: unknown): value is SubscriptionLogEvent {
  const event = value as Partial<SubscriptionLogEvent> | null;
  return (
    typeof event === 'object' &&
    event !== null &&
    typeof event.id === 'string' &&
    typeof event.timestamp === 'number' &&
    typeof event.message === 'string'
  );
}

/**
 * Decodes the event CloudWatch Logs sends a subscribed Lambda function: `awslogs.data` is the
 * base64 of the gzip of a JSON document holding the log group, the log stream and the matching
 * log events. Throws `UndecodablePayloadError` for anything else. Log events that are not
 * `{ id, timestamp, message }` are returned in `malformed`, not thrown: one bad event must not
 * cost the others.
 *
 * @example
 * const { payload } = decodeSubscriptionPayload(event); // payload.logEvents[0].message
 */
export function decodeSubscriptionPayload(event: unknown): {
  readonly payload: SubscriptionPayload;
  readonly malformed: number;
} {
  const data = (event as { awslogs?: { data?: unknown } } | null)?.awslogs?.data;
  if (typeof data !== 'string') throw new UndecodablePayloadError('the event has no awslogs.data string');
  let unpacked: Buffer;
  try {
    unpacked = gunzipSync(Buffer.from(data, 'base64'), { maxOutputLength: MAX_DECODED_BYTES });
  } catch (error) {
    throw new UndecodablePayloadError(
      (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE'
        ? `awslogs.data unpacks to more than ${MAX_DECODED_BYTES / 1024 / 1024} MiB`
        : `awslogs.data is not base64 of gzip: ${(error as Error).message}`,
    );
  }
  let document: Partial<SubscriptionPayload> & { logEvents?: unknown };
  try {
    document = JSON.parse(unpacked.toString('utf8'));
  } catch (error) {
    throw new UndecodablePayloadError(`awslogs.data is not gzipped JSON: ${(error as Error).message}`);
  }
  if (
    typeof document !== 'object' ||
    document === null ||
    (document.messageType !== 'DATA_MESSAGE' && document.messageType !== 'CONTROL_MESSAGE') ||
    !Array.isArray(document.logEvents)
  ) {
    throw new UndecodablePayloadError('awslogs.data is not a subscription delivery (messageType, logEvents)');
  }
  const events = document.logEvents as unknown[];
  const logEvents = events.filter(isLogEvent);
  return {
    payload: {
      messageType: document.messageType,
      owner: String(document.owner ?? ''),
      logGroup: String(document.logGroup ?? ''),
      logStream: String(document.logStream ?? ''),
      subscriptionFilters: Array.isArray(document.subscriptionFilters)
        ? document.subscriptionFilters.map(String)
        : [],
      logEvents,
    },
    malformed: events.length - logEvents.length,
  };
}
