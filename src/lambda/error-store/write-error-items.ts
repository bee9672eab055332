import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { ERROR_TABLE_SCHEMA, type ErrorItem, toAttributeMap } from './error-item.js';

/** BatchWriteItem takes at most 25 put requests. */
export const BATCH_SIZE = 25;

/** BatchGetItem takes at most 100 keys. */
const GET_BATCH_SIZE = 100;

/** What happened to the items of one delivery. */
export interface WriteOutcome {
  /** Items DynamoDB accepted. */
  readonly written: number;
  /** Ids of the items the table held already (a delivery that came again): not written again. */
  readonly alreadyStored: readonly string[];
  /** Ids of the items counted in `unwritten`. */
  readonly unwrittenIds: readonly string[];
  /** Items DynamoDB refused (a ValidationException for that item alone): dropped, never retried. */
  readonly rejected: readonly { readonly errorId: string; readonly reason: string }[];
  /** Items still unprocessed (or unsent after a failed call) when the retries ran out. */
  readonly unwritten: number;
  /** Retry rounds for unprocessed items (a sign of throttling). */
  readonly retries: number;
}

export interface WriteOptions {
  readonly client: Pick<DynamoDBClient, 'send'>;
  readonly tableName: string;
  /** Calls per batch, the first included. @default 8 */
  readonly maxAttempts?: number;
  /** First back-off before retrying unprocessed items; doubles each round, with full jitter. @default 50 */
  readonly baseDelayMs?: number;
  /** @default 2000 */
  readonly maxDelayMs?: number;
  /** Milliseconds left in the invocation; no retry starts when fewer than `reserveMs` are left. */
  readonly remainingMs?: () => number;
  /** @default 3000 */
  readonly reserveMs?: number;
}

interface Tally {
  written: number;
  unwritten: number;
  unwrittenIds: string[];
  retries: number;
  rejected: { errorId: string; reason: string }[];
}

function isValidationError(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'ValidationException';
}

function errorIdOf(request: WriteRequest): string {
  return request.PutRequest?.Item?.errorId?.S ?? '(unknown)';
}

async function writeBatch(requests: WriteRequest[], options: WriteOptions, tally: Tally): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 50;
  const maxDelayMs = options.maxDelayMs ?? 2000;
  const reserveMs = options.reserveMs ?? 3000;
  let pending = requests;
  for (let attempt = 1; ; attempt += 1) {
    let unprocessed: WriteRequest[];
    try {
      const response = await options.client.send(
        new BatchWriteItemCommand({ RequestItems: { [options.tableName]: pending } }),
      );
      unprocessed = response.UnprocessedItems?.[options.tableName] ?? [];
    } catch (error) {
      // DynamoDB refuses the whole call when one item is invalid: write the items one by one
      // so that only the invalid one is lost (a poison item never blocks the batch).
      if (isValidationError(error)) {
        if (pending.length === 1) {
          tally.rejected.push({
            errorId: errorIdOf(pending[0] as WriteRequest),
            reason: (error as Error).message,
          });
          return;
        }
        for (const request of pending) await writeBatch([request], options, tally);
        return;
      }
      // The SDK has already retried throttling and server errors; the delivery is retried whole.
      tally.unwritten += pending.length;
      tally.unwrittenIds.push(...pending.map(errorIdOf));
      return;
    }
    tally.written += pending.length - unprocessed.length;
    if (unprocessed.length === 0) return;
    const outOfTime = options.remainingMs !== undefined && options.remainingMs() < reserveMs;
    if (attempt >= maxAttempts || outOfTime) {
      tally.unwritten += unprocessed.length;
      tally.unwrittenIds.push(...unprocessed.map(errorIdOf));
      return;
    }
    tally.retries += 1;
    // Exponential back-off with full jitter, as AWS advises for unprocessed items.
    await sleep(Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
    pending = unprocessed;
  }
}

const keyOf = (item: ErrorItem): string => `${item.errorId}\n${item.timestamp}`;

/**
 * The keys (keyOf) of the items the table holds already. An item's key comes from its log
 * event's id (errorIdOf), so an item found is the same event delivered again: CloudWatch Logs
 * delivers at least once, and Lambda retries a failed delivery whole. One BatchGetItem per 100
 * items, reading the keys only, strongly consistent so that a delivery written a moment ago is
 * seen. What cannot be read (a failed call, unprocessed keys) counts as not held: it is written,
 * as before, and at worst said to be stored twice.
 */
async function findStored(items: readonly ErrorItem[], options: WriteOptions): Promise<Set<string>> {
  const { partitionKey, sortKey } = ERROR_TABLE_SCHEMA;
  const found = new Set<string>();
  for (let start = 0; start < items.length; start += GET_BATCH_SIZE) {
    const keys = items
      .slice(start, start + GET_BATCH_SIZE)
      .map((item) => ({ [partitionKey]: { S: item.errorId }, [sortKey]: { S: item.timestamp } }));
    let held: Record<string, AttributeValue>[];
    try {
      const response = await options.client.send(
        new BatchGetItemCommand({
          RequestItems: {
            [options.tableName]: {
              Keys: keys,
              // `timestamp` is a reserved word in DynamoDB expressions.
              ProjectionExpression: '#pk, #sk',
              ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey },
              ConsistentRead: true,
            },
          },
        }),
      );
      held = response.Responses?.[options.tableName] ?? [];
    } catch {
      continue;
    }
    for (const key of held) found.add(`${key[partitionKey]?.S}\n${key[sortKey]?.S}`);
  }
  return found;
}

/**
 * Writes the items with BatchWriteItem, 25 per call, retrying unprocessed items with
 * exponential back-off. Items with the same key are written once (BatchWriteItem refuses a
 * call that names one key twice), and items the table holds already are not written again
 * (`alreadyStored`: the same log event delivered again). Never throws: the outcome says what
 * was not written.
 *
 * @example
 * const outcome = await writeErrorItems(items, { client, tableName: 'error-logs-prod' });
 * if (outcome.unwritten > 0) throw new Error('retry the delivery');
 */
export async function writeErrorItems(
  items: readonly ErrorItem[],
  options: WriteOptions,
): Promise<WriteOutcome> {
  const unique = new Map<string, ErrorItem>();
  for (const item of items) unique.set(keyOf(item), item);
  const stored = unique.size === 0 ? new Set<string>() : await findStored([...unique.values()], options);
  const alreadyStored: string[] = [];
  const requests: WriteRequest[] = [];
  for (const [key, item] of unique) {
    if (stored.has(key)) alreadyStored.push(item.errorId);
    else requests.push({ PutRequest: { Item: toAttributeMap(item) } });
  }
  const tally: Tally = { written: 0, unwritten: 0, unwrittenIds: [], retries: 0, rejected: [] };
  for (let start = 0; start < requests.length; start += BATCH_SIZE)
    await writeBatch(requests.slice(start, start + BATCH_SIZE), options, tally);
  return { ...tally, alreadyStored };
}
