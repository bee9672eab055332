import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { logger, MetricUnit, metrics } from '../../core.js';
import { decodeSubscriptionPayload, UndecodablePayloadError } from './decode-subscription-payload.js';
import { createErrorItem, type ErrorItem } from './error-item.js';
import { ERROR_ORIGINS, type ErrorLine, readErrorLine } from './read-error-line.js';
import { writeErrorItems } from './write-error-items.js';

/**
 * The forwarder's own metrics (EMF, with the `Service` and `Environment` it runs under): what
 * the error store's alarms watch, so that no failure of the forwarder is silent.
 *
 * @example
 * FORWARDER_METRICS.rejected; // 'ErrorRecordsRejected'
 */
export const FORWARDER_METRICS = {
  /** Items written to the table (not those it held already: a delivery that came again). */
  stored: 'ErrorsStored',
  /** Log events or deliveries that cannot become an item (poison), and items DynamoDB refused. */
  rejected: 'ErrorRecordsRejected',
  /** Items not written when the retries ran out; the delivery is then retried by Lambda. */
  unwritten: 'ErrorItemsUnwritten',
  /** Retry rounds for unprocessed items: DynamoDB throttling. */
  retries: 'ErrorStoreWriteRetries',
} as const;

/** Thrown to have Lambda deliver the payload again; writing it again is harmless (same keys). */
export class UnwrittenErrorsError extends Error {
  override readonly name = 'UnwrittenErrorsError';
}

export interface ForwarderSettings {
  readonly client: Pick<DynamoDBClient, 'send'>;
  readonly tableName: string;
  readonly retentionDays: number;
  readonly serviceName: string;
  readonly remainingMs?: () => number;
  readonly baseDelayMs?: number;
}

/** What one delivery came to, as the forwarder's summary line writes it. */
export interface ForwardSummary {
  readonly received: number;
  readonly stored: number;
  /** Items the table held already: their log events were delivered before. */
  readonly alreadyStored: number;
  readonly rejected: number;
  readonly duplicates: number;
  readonly unwritten: number;
  readonly retries: number;
}

/**
 * A wrapped handler's failure is logged by Lookout, and the Lambda runtime logs it again
 * ("Invoke Error"): the runtime's line is dropped when the same delivery holds Lookout's line
 * for that invocation. They are written together to one log stream, so they are almost always
 * delivered together; when not, both are stored (docs/decisions/0027-error-item-shape.md).
 */
function dropRuntimeDuplicates<T extends { readonly line: ErrorLine }>(
  lines: readonly T[],
): { kept: T[]; dropped: number } {
  const seen = new Set<string>();
  for (const { line } of lines)
    if (line.origin === ERROR_ORIGINS.lookout && line.functionRequestId !== undefined)
      seen.add(line.functionRequestId);
  const kept = lines.filter(
    ({ line }) =>
      line.origin !== ERROR_ORIGINS.lambdaRuntime ||
      line.functionRequestId === undefined ||
      !seen.has(line.functionRequestId),
  );
  return { kept, dropped: lines.length - kept.length };
}

/** readErrorLine, with anything it throws on one hostile line turned into a reason. */
function readEventSafely(message: string): ReturnType<typeof readErrorLine> {
  try {
    return readErrorLine(message);
  } catch (error) {
    return { ok: false, reason: `the line could not be read: ${(error as Error).message}` };
  }
}

/** The message of the line written for each stored error, which the saved queries count by fingerprint. */
export const STORED_LINE_MESSAGE = 'error store: error stored';

/**
 * The message of the line written for an error whose item the table held already: its log
 * event was delivered again. It is not STORED_LINE_MESSAGE, so the saved queries, which count
 * occurrences by that line, count each error once.
 */
export const ALREADY_STORED_LINE_MESSAGE = 'error store: error already stored';

const EXAMPLE_MESSAGE_LENGTH = 200;

/**
 * One line per item of the delivery: "error stored" for each item written, "error already
 * stored" for each the table held already; none for items refused or left unwritten (the
 * redelivery of a failed delivery says those).
 */
function logStoredErrors(
  items: readonly ErrorItem[],
  notStored: ReadonlySet<string>,
  alreadyStored: ReadonlySet<string>,
): void {
  for (const item of items) {
    if (notStored.has(item.errorId)) continue;
    if (alreadyStored.has(item.errorId)) {
      logger.info(ALREADY_STORED_LINE_MESSAGE, { error_id: item.errorId, fingerprint: item.fingerprint });
      continue;
    }
    logger.info(STORED_LINE_MESSAGE, {
      error_id: item.errorId,
      fingerprint: item.fingerprint,
      error_type: item.errorType,
      function_name: item.functionName,
      route: item.route,
      error_message: item.message.slice(0, EXAMPLE_MESSAGE_LENGTH),
    });
  }
}

function record(summary: ForwardSummary): void {
  metrics.addMetric(FORWARDER_METRICS.stored, MetricUnit.Count, summary.stored);
  metrics.addMetric(FORWARDER_METRICS.rejected, MetricUnit.Count, summary.rejected);
  metrics.addMetric(FORWARDER_METRICS.unwritten, MetricUnit.Count, summary.unwritten);
  metrics.addMetric(FORWARDER_METRICS.retries, MetricUnit.Count, summary.retries);
}

/**
 * Handles one CloudWatch Logs subscription delivery: decodes it, turns each error line into
 * an item and writes the items. A log event that cannot become an item is counted and logged
 * (by id and reason) and the others are still written; items left unwritten after the retries
 * make it throw `UnwrittenErrorsError`, so that Lambda delivers the payload again.
 *
 * @example
 * export const handler = wrap((event, context) => forwardErrors(event, { client, tableName, retentionDays: 90, serviceName: 'orders-api', remainingMs: () => context.getRemainingTimeInMillis() }));
 */
export async function forwardErrors(event: unknown, settings: ForwarderSettings): Promise<ForwardSummary> {
  let decoded: ReturnType<typeof decodeSubscriptionPayload>;
  try {
    decoded = decodeSubscriptionPayload(event);
  } catch (error) {
    if (!(error instanceof UndecodablePayloadError)) throw error;
    // Delivering it again cannot help: counted, logged, and the invocation succeeds.
    const summary = {
      received: 0,
      stored: 0,
      alreadyStored: 0,
      rejected: 1,
      duplicates: 0,
      unwritten: 0,
      retries: 0,
    };
    logger.error('error store: a delivery could not be decoded', error);
    record(summary);
    return summary;
  }
  const { payload, malformed } = decoded;
  if (payload.messageType === 'CONTROL_MESSAGE') {
    // CloudWatch Logs checks that the destination answers when a subscription is put on a log
    // group: its one event is not a log line. Counting it as rejected would sound the
    // rejected-records alarm on every deploy of the subscription.
    const summary = {
      received: 0,
      stored: 0,
      alreadyStored: 0,
      rejected: 0,
      duplicates: 0,
      unwritten: 0,
      retries: 0,
    };
    record(summary);
    return summary;
  }
  const context = {
    logGroup: payload.logGroup,
    logStream: payload.logStream,
    retentionDays: settings.retentionDays,
    serviceName: settings.serviceName,
  };
  const read: { line: ErrorLine; event: (typeof payload.logEvents)[number] }[] = [];
  let rejected = malformed;
  /** Counts an event that is not stored as rejected, and says which and why. */
  const skip = (eventId: string, reason: string): void => {
    rejected += 1;
    logger.warn('error store: a log event is not an error line and was skipped', {
      log_event_id: eventId,
      log_group: payload.logGroup,
      reason,
    });
  };
  for (const logEvent of payload.logEvents) {
    const result = readEventSafely(logEvent.message);
    if (result.ok) read.push({ line: result.line, event: logEvent });
    else skip(logEvent.id, result.reason);
  }
  const { kept, dropped } = dropRuntimeDuplicates(read);
  const items: ErrorItem[] = [];
  for (const { line, event: logEvent } of kept) {
    // One event the item cannot be built from (a value too deep for the redaction's walk, say)
    // must not fail the delivery: Lambda would retry it whole, and lose every error in it.
    try {
      items.push(createErrorItem(line, logEvent, context));
    } catch (error) {
      skip(logEvent.id, `the item could not be built: ${(error as Error).message}`);
    }
  }
  const outcome = await writeErrorItems(items, {
    client: settings.client,
    tableName: settings.tableName,
    ...(settings.remainingMs === undefined ? {} : { remainingMs: settings.remainingMs }),
    ...(settings.baseDelayMs === undefined ? {} : { baseDelayMs: settings.baseDelayMs }),
  });
  for (const { errorId, reason } of outcome.rejected)
    logger.error('error store: DynamoDB refused an item', { error_id: errorId, reason });
  const summary: ForwardSummary = {
    received: payload.logEvents.length + malformed,
    stored: outcome.written,
    alreadyStored: outcome.alreadyStored.length,
    rejected: rejected + outcome.rejected.length,
    duplicates: dropped,
    unwritten: outcome.unwritten,
    retries: outcome.retries,
  };
  record(summary);
  // Items written before the delivery failed are said stored now: its redelivery finds them in
  // the table and says them already stored, so each error is said stored once.
  logStoredErrors(
    items,
    new Set([...outcome.rejected.map(({ errorId }) => errorId), ...outcome.unwrittenIds]),
    new Set(outcome.alreadyStored),
  );
  logger.info('error store: delivery handled', { log_group: payload.logGroup, ...summary });
  if (summary.unwritten > 0)
    throw new UnwrittenErrorsError(
      `${summary.unwritten} of ${items.length} error items were not written after the retries; the delivery will be retried`,
    );
  return summary;
}
