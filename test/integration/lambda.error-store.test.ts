// The error store's forwarder, end to end on this machine: real Lambda functions (the runtime
// interface client, driven by the Runtime API emulator) write real error lines; the lines the
// construct's subscription filter matches are packed the way CloudWatch Logs delivers them
// (gzip, base64); the built forwarder (dist/error-store-forwarder) runs in its own Lambda
// runtime and writes to a DynamoDB-protocol server on loopback (dynalite), into a table
// created from the construct's own template. AWS itself is not here: DynamoDB's throttling
// (UnprocessedItems) and its refusal of an item (ValidationException) come from a proxy that
// mocks exactly those answers (test/helpers/dynamodb-fault-proxy.ts).
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type AttributeValue, QueryCommand } from '@aws-sdk/client-dynamodb';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorStore } from '../../src/cdk/index.js';
import { ERROR_TABLE_SCHEMA } from '../../src/lambda/error-store/error-item.js';
import {
  ALREADY_STORED_LINE_MESSAGE,
  STORED_LINE_MESSAGE,
} from '../../src/lambda/error-store/forward-errors.js';
import { resourcesOfType, type TemplateJson } from '../helpers/cdk-template.js';
import {
  type BatchWriteAnswer,
  type DynamoDbFaultProxy,
  startDynamoDbFaultProxy,
  type WireWriteRequest,
} from '../helpers/dynamodb-fault-proxy.js';
import { LOCAL_CREDENTIALS, type LocalDynamoDb, startLocalDynamoDb } from '../helpers/dynamodb-local.js';
import { findSum, readEmf, sumEmf } from '../helpers/emf-reader.js';
import { matchesJsonFilter } from '../helpers/json-filter-pattern.js';
import { type LambdaFunction, startLambdaFunction } from '../helpers/lambda-function.js';
import {
  type InvocationInput,
  type InvocationOutcome,
  type LambdaRuntimeApi,
  startLambdaRuntimeApi,
} from '../helpers/lambda-runtime-api.js';
import { fixture } from '../helpers/node-process.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { type SubscriptionDelivery, subscriptionDelivery } from '../helpers/subscription-payload.js';

const FORWARDER_DIR = fileURLToPath(new URL('../../dist/error-store-forwarder/', import.meta.url));
const TABLE = 'error-logs-test';
const RETENTION_DAYS = 30;
const PRODUCER = 'payments-charge';
const FORWARDER_METRIC_DIMENSIONS = { Service: 'payments-error-store', Environment: 'prod' };

let db: LocalDynamoDb;
let proxy: DynamoDbFaultProxy;
let api: LambdaRuntimeApi;
let receiver: OtlpReceiver;
let forwarder: LambdaFunction;
let pattern: string;
/** What the proxy answers to the next BatchWriteItem calls (default: pass through). */
let decide: (callNumber: number, requests: Record<string, readonly unknown[]>) => BatchWriteAnswer;

interface ProducedRun {
  readonly lines: string[];
  readonly outcomes: InvocationOutcome[];
}
const produced: Record<'caught' | 'uncaught' | 'background', ProducedRun> = {
  caught: { lines: [], outcomes: [] },
  uncaught: { lines: [], outcomes: [] },
  background: { lines: [], outcomes: [] },
};

/** A trace header as the Lambda service sets it (AWS is not here: the test makes it up). */
function traceHeader(): { header: string; traceId: string; root: string } {
  const root = `1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
  return {
    root,
    traceId: root.slice(2).replace('-', ''),
    header: `Root=${root};Parent=${randomBytes(8).toString('hex')};Sampled=1`,
  };
}

/** Runs one handler of test/fixtures/lambda/error-handlers.mjs in a real runtime and keeps its stdout. */
async function produce(handler: keyof typeof produced, invocations: InvocationInput[]): Promise<void> {
  const fn = await startLambdaFunction({
    api,
    taskRoot: fixture('lambda'),
    handler: `error-handlers.${handler}`,
    functionName: PRODUCER,
    env: {
      AWS_LAMBDA_LOG_FORMAT: 'JSON',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      LOOKOUT_SERVICE_NAME: 'payments',
      LOOKOUT_ENVIRONMENT: 'prod',
    },
  });
  for (const input of invocations) produced[handler].outcomes.push(await api.invoke(input));
  // The background handler's error comes after the response (Lookout answers first): the runtime
  // logs it ("Uncaught Exception"), then blocks reporting it for an invocation that is over, so
  // the process is killed once that line is out. The others are stopped. Either way every line
  // is read once the process has exited.
  if (handler === 'background') {
    await fn.waitForLine(/the background job read an undefined field/, 30_000);
    await fn.kill();
  } else await fn.stop();
  produced[handler].lines.push(...fn.stdoutLines());
}

/** The lines of a run that the construct's subscription filter delivers. */
function delivered(run: ProducedRun): string[] {
  return run.lines.filter((line) => matchesJsonFilter(pattern, line));
}

function deliveryOf(lines: readonly string[]): SubscriptionDelivery {
  return subscriptionDelivery(lines, {
    logGroup: '/lookout/payments-prod',
    logStream: `2026/01/01/[$LATEST]${randomBytes(16).toString('hex')}`,
  });
}

/** Resolves once the forwarder has written `count` EMF documents in all (one per invocation). */
function forwarderDocumentsAfter(count: number): Promise<void> {
  const documents = () => forwarder.stdoutLines().filter((line) => line.includes('"ErrorsStored"')).length;
  if (documents() >= count) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (documents() < count) return;
      forwarder.child.stdout?.off('data', check);
      resolve();
    };
    forwarder.child.stdout?.on('data', check);
  });
}

/** Invokes the forwarder and returns its outcome and the metrics it wrote for that invocation. */
async function forward(event: unknown) {
  const before = forwarder.stdoutLines().filter((line) => line.includes('"ErrorsStored"')).length;
  const linesBefore = forwarder.stdoutLines().length;
  const outcome = await api.invoke({ event, timeoutMs: 60_000 });
  await forwarderDocumentsAfter(before + 1);
  const lines = forwarder.stdoutLines().slice(linesBefore);
  const sums = sumEmf(readEmf(lines.join('\n')).documents);
  const metric = (name: string) => findSum(sums, name, FORWARDER_METRIC_DIMENSIONS)?.sum;
  return { outcome, lines, metric };
}

async function itemsOf(delivery: SubscriptionDelivery): Promise<Record<string, AttributeValue>[]> {
  return (await db.scan(TABLE)).filter((item) => item.logStream?.S === delivery.logStream);
}

const text = (item: Record<string, AttributeValue> | undefined, key: string) => item?.[key]?.S;

/** The `error_id`s of the forwarder's lines with `message`, sorted. */
function errorIdsLogged(lines: readonly string[], message: string): string[] {
  const ids: string[] = [];
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    const parsed = JSON.parse(line) as { message?: unknown; error_id?: unknown };
    if (parsed.message === message) ids.push(String(parsed.error_id));
  }
  return ids.sort();
}

/**
 * An item's size as DynamoDB bills it: each attribute's name in UTF-8 bytes plus its value
 * (a string's UTF-8 bytes, a number's digits halved plus one, one byte for a boolean).
 */
function billedSize(item: Record<string, AttributeValue>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    bytes += Buffer.byteLength(name);
    if (value.S !== undefined) bytes += Buffer.byteLength(value.S);
    else if (value.N !== undefined) bytes += Math.ceil(value.N.replace(/[^0-9]/g, '').length / 2) + 1;
    else if (value.BOOL !== undefined) bytes += 1;
  }
  return bytes;
}

/** Write request units for one put: 1 per KB (or part of one) of the item. */
const writeUnits = (bytes: number) => Math.ceil(bytes / 1024);

beforeAll(async () => {
  // The table exactly as the construct declares it (keys, attribute types, both indexes).
  const app = new App();
  const stack = new Stack(app, 'ErrorStoreTest');
  const store = new ErrorStore(stack, 'Errors', {
    serviceName: 'payments',
    environment: 'prod',
    logGroup: new logs.LogGroup(stack, 'Logs'),
    retention: Duration.days(RETENTION_DAYS),
  });
  pattern =
    store.subscription.node.defaultChild === undefined
      ? ''
      : String((store.subscription.node.defaultChild as logs.CfnSubscriptionFilter).filterPattern);
  const [, table] =
    resourcesOfType(Template.fromStack(stack).toJSON() as TemplateJson, 'AWS::DynamoDB::Table')[0] ?? [];
  db = await startLocalDynamoDb();
  await db.createTable({
    TableName: TABLE,
    BillingMode: table?.BillingMode as 'PAY_PER_REQUEST',
    KeySchema: table?.KeySchema as never,
    AttributeDefinitions: table?.AttributeDefinitions as never,
    GlobalSecondaryIndexes: table?.GlobalSecondaryIndexes as never,
  });
  proxy = await startDynamoDbFaultProxy(db.endpoint, (callNumber, requests) => decide(callNumber, requests));
  decide = () => ({ kind: 'forward' });
  api = await startLambdaRuntimeApi();
  receiver = await startOtlpReceiver();

  await produce('caught', [
    {
      event: { orderId: 'ord-1', cardNumber: '4111 1111 1111 1111', amount: 42 },
      traceHeader: traceHeader().header,
    },
    {
      event: { orderId: 'ord-2', cardNumber: '4111 1111 1111 1111', amount: 7 },
      traceHeader: traceHeader().header,
    },
  ]);
  await produce('uncaught', [
    { event: { orderId: 'ord-3' }, traceHeader: traceHeader().header },
    { event: { orderId: 'ord-4' }, traceHeader: traceHeader().header },
  ]);
  await produce('background', [{ event: {} }]);

  forwarder = await startLambdaFunction({
    api,
    taskRoot: FORWARDER_DIR,
    handler: 'index.handler',
    functionName: 'payments-error-store',
    env: {
      AWS_LAMBDA_LOG_FORMAT: 'JSON',
      AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      LOOKOUT_SERVICE_NAME: 'payments-error-store',
      LOOKOUT_ENVIRONMENT: 'prod',
      ERROR_STORE_TABLE_NAME: TABLE,
      ERROR_STORE_RETENTION_DAYS: String(RETENTION_DAYS),
      ERROR_STORE_SERVICE_NAME: 'payments',
    },
  });
}, 180_000);

afterAll(async () => {
  await forwarder?.kill();
  await api?.close();
  await receiver?.close();
  await proxy?.close();
  await db?.close();
});

beforeEach(() => {
  decide = () => ({ kind: 'forward' });
});

describe('the subscription filter', () => {
  it('matches the error lines of real functions and none of their other lines', () => {
    const matched = {
      caught: delivered(produced.caught).map((line) => JSON.parse(line)),
      uncaught: delivered(produced.uncaught).map((line) => JSON.parse(line)),
      background: delivered(produced.background).map((line) => JSON.parse(line)),
    };

    // Two caught errors, logged by the app.
    expect(matched.caught.map((line) => line.message)).toEqual([
      'charging the card failed',
      'charging the card failed',
    ]);
    // Two handler failures: Lookout's line and the runtime's "Invoke Error" line for each.
    expect(matched.uncaught.filter((line) => line.message === 'Lambda invocation failed')).toHaveLength(2);
    expect(matched.uncaught.filter((line) => line.message?.errorType === 'CardDeclinedError')).toHaveLength(
      2,
    );
    expect(matched.uncaught).toHaveLength(4);
    // The runtime's "Uncaught Exception" line for the error thrown outside the handler.
    expect(matched.background.map((line) => line.message?.errorType)).toEqual(['TypeError']);
    // Everything else stays out: INFO lines, EMF documents, the runtime's START/END lines.
    const all = [...produced.caught.lines, ...produced.uncaught.lines, ...produced.background.lines];
    expect(all.length).toBeGreaterThan(7);
    expect(
      all.filter((line) => line.includes('"_aws"')).some((line) => matchesJsonFilter(pattern, line)),
    ).toBe(false);
  });
});

describe('the error store forwarder', () => {
  it('writes one item per error with the fields on-call reads, and a handler failure once', async () => {
    // Prepare: each process's lines are one delivery, as they are one log stream.
    const caught = deliveryOf(delivered(produced.caught));
    const uncaught = deliveryOf(delivered(produced.uncaught));
    const background = deliveryOf(delivered(produced.background));

    // Act
    const results = [
      await forward(caught.event),
      await forward(uncaught.event),
      await forward(background.event),
    ];

    // Assess
    for (const { outcome } of results) expect(outcome.status).toBe('success');
    expect(results.map(({ metric }) => metric('ErrorsStored'))).toEqual([2, 2, 1]);
    expect(results[1]?.metric('ErrorRecordsRejected')).toBe(0);

    const caughtItems = (await itemsOf(caught)).sort((a, b) =>
      (text(a, 'timestamp') ?? '').localeCompare(text(b, 'timestamp') ?? ''),
    );
    expect(caughtItems).toHaveLength(2);
    const [first, second] = caughtItems;
    const firstOutcome = produced.caught.outcomes[0];
    expect(text(first, 'errorId')).toMatch(/^[0-9a-f]{32}$/);
    expect(text(first, 'timestamp')).toBe(new Date(caught.logEvents[0]?.timestamp ?? 0).toISOString());
    expect(text(first, 'service')).toBe('payments');
    expect(text(first, 'environment')).toBe('prod');
    expect(text(first, 'functionName')).toBe(PRODUCER);
    expect(text(first, 'errorType')).toBe('CardDeclinedError');
    expect(text(first, 'message')).toBe('card declined for order ord-1');
    expect(text(first, 'stack')).toMatch(
      /^CardDeclinedError: card declined for order ord-1\n\s+at charge \(/,
    );
    expect(text(first, 'requestId')).toBe(firstOutcome?.requestId);
    expect(text(first, 'traceId')).toMatch(/^[0-9a-f]{32}$/);
    expect(text(first, 'xrayTraceId')).toBe(
      `1-${text(first, 'traceId')?.slice(0, 8)}-${text(first, 'traceId')?.slice(8)}`,
    );
    expect(first?.coldStart?.BOOL).toBe(true);
    expect(second?.coldStart?.BOOL).toBe(false);
    // The event summary the app logged, as the logger redacted it.
    const details = JSON.parse(text(first, 'details') ?? '{}');
    expect(details.order_id).toBe('ord-1');
    expect(details.payment.amount).toBe(42);
    expect(details.payment.cardNumber).toBe('[REDACTED]');
    // The card number in any spacing; not a bare '4111', which random log stream names and
    // event ids contain about once in a hundred runs.
    expect(JSON.stringify(caughtItems)).not.toMatch(/4111[ -]?1111[ -]?1111[ -]?1111/);
    // Same type, same top frame: one fingerprint for both orders.
    expect(text(first, 'fingerprint')).toMatch(/^[0-9a-f]{16}$/);
    expect(text(second, 'fingerprint')).toBe(text(first, 'fingerprint'));

    // A handler failure is logged twice (Lookout, then the runtime) and stored once, from Lookout's line.
    const uncaughtItems = await itemsOf(uncaught);
    expect(uncaughtItems.map((item) => text(item, 'origin'))).toEqual(['lookout', 'lookout']);
    expect(uncaughtItems.map((item) => text(item, 'logMessage'))).toEqual([
      'Lambda invocation failed',
      'Lambda invocation failed',
    ]);
    expect(new Set(uncaughtItems.map((item) => text(item, 'requestId')))).toEqual(
      new Set(produced.uncaught.outcomes.map((outcome) => outcome.requestId)),
    );
    // Thrown by the same function as the caught ones: the same fingerprint.
    expect(text(uncaughtItems[0], 'fingerprint')).toBe(text(first, 'fingerprint'));

    // The error thrown outside any handler, from the runtime's line.
    const [runtimeItem] = await itemsOf(background);
    expect(text(runtimeItem, 'origin')).toBe('lambda-runtime');
    expect(text(runtimeItem, 'errorType')).toBe('TypeError');
    expect(text(runtimeItem, 'message')).toBe('the background job read an undefined field');
    expect(text(runtimeItem, 'service')).toBe('payments');
    expect(text(runtimeItem, 'fingerprint')).not.toBe(text(first, 'fingerprint'));

    // The forwarder is itself instrumented: each invocation is a SERVER span at the OTLP
    // receiver, with its DynamoDB call as a CLIENT span under it.
    const [invocation] = await receiver.waitForSpans(
      (span) => span.resource['service.name'] === 'payments-error-store' && span.kind === 'SERVER',
    );
    const calls = await receiver.waitForSpans(
      (span) => span.kind === 'CLIENT' && span.traceId === invocation?.traceId,
    );
    expect(calls[0]?.parentSpanId).toBe(invocation?.spanId);
  });

  it('keeps an item of a real error with its event summary within 3 write units, 1 in the fingerprint index', async () => {
    // docs/infrastructure.md prices a million errors from these sizes: a budget in bytes.
    const delivery = deliveryOf(delivered(produced.caught).slice(0, 1));
    await forward(delivery.event);

    const [item] = await itemsOf(delivery);
    const size = billedSize(item ?? {});
    const { fingerprintIndex } = ERROR_TABLE_SCHEMA;
    const projected = Object.fromEntries(
      Object.entries(item ?? {}).filter(([key]) =>
        ['errorId', 'timestamp', 'fingerprint', ...fingerprintIndex.projected].includes(key),
      ),
    );

    expect(writeUnits(size)).toBeLessThanOrEqual(3);
    expect(writeUnits(billedSize(projected))).toBe(1);
  });

  it('sets the TTL attribute to the log event time plus the retention', async () => {
    const delivery = deliveryOf(delivered(produced.caught).slice(0, 1));

    await forward(delivery.event);

    const [item] = await itemsOf(delivery);
    const eventSeconds = Math.floor((delivery.logEvents[0]?.timestamp ?? 0) / 1000);
    expect(item?.[ERROR_TABLE_SCHEMA.ttlAttribute]?.N).toBe(String(eventSeconds + RETENTION_DAYS * 86_400));
  });

  // CloudWatch Logs delivers at least once, and Lambda retries a failed delivery whole: the
  // store's "error stored" lines are what the saved queries count occurrences by, so a
  // redelivered error must not be counted again.
  it('changes nothing when a delivery comes again, and says its errors were already stored', async () => {
    const delivery = deliveryOf(delivered(produced.caught));
    const first = await forward(delivery.event);
    const once = await itemsOf(delivery);

    const again = await forward(delivery.event);

    expect(again.outcome.status).toBe('success');
    expect(await itemsOf(delivery)).toEqual(once);
    expect(once).toHaveLength(2);
    const ids = once.map((item) => text(item, 'errorId')).sort();
    expect(errorIdsLogged(first.lines, STORED_LINE_MESSAGE)).toEqual(ids);
    expect(first.metric('ErrorsStored')).toBe(2);
    expect(errorIdsLogged(again.lines, STORED_LINE_MESSAGE)).toEqual([]);
    expect(errorIdsLogged(again.lines, ALREADY_STORED_LINE_MESSAGE)).toEqual(ids);
    expect(again.metric('ErrorsStored')).toBe(0);
  });

  it('says each error stored once over a delivery that failed part-way and its redelivery', async () => {
    const delivery = deliveryOf(delivered(produced.caught));
    // DynamoDB under load takes the first item and leaves the second unprocessed on every call.
    const idOf = (request: WireWriteRequest | undefined) => String(request?.PutRequest?.Item.errorId?.S);
    let held: string | undefined;
    decide = () => ({
      kind: 'holdBack',
      holdBack: (requests) => {
        held ??= idOf(requests[1]);
        return requests.filter((request) => idOf(request) === held);
      },
    });

    const failed = await forward(delivery.event);
    decide = () => ({ kind: 'forward' });
    const retried = await forward(delivery.event);

    expect(failed.outcome.status).toBe('error');
    expect(retried.outcome.status).toBe('success');
    const items = await itemsOf(delivery);
    expect(items).toHaveLength(2);
    const storedFirst = errorIdsLogged(failed.lines, STORED_LINE_MESSAGE);
    const storedThen = errorIdsLogged(retried.lines, STORED_LINE_MESSAGE);
    expect(storedFirst).toHaveLength(1);
    expect([...storedFirst, ...storedThen].sort()).toEqual(items.map((item) => text(item, 'errorId')).sort());
    expect(errorIdsLogged(retried.lines, ALREADY_STORED_LINE_MESSAGE)).toEqual(storedFirst);
    expect((failed.metric('ErrorsStored') ?? 0) + (retried.metric('ErrorsStored') ?? 0)).toBe(2);
  });

  it('retries unprocessed items until DynamoDB takes them', async () => {
    const lines = delivered(produced.caught);
    const delivery = deliveryOf([...lines, ...lines.map((line) => line)]);
    const callsBefore = proxy.batchWrites.length;
    // DynamoDB under load: the first two calls leave all but one item unprocessed.
    decide = (callNumber) =>
      callNumber - callsBefore <= 2
        ? { kind: 'holdBack', holdBack: (requests) => requests.slice(1) }
        : { kind: 'forward' };

    const { outcome, metric } = await forward(delivery.event);

    expect(outcome.status).toBe('success');
    const calls = proxy.batchWrites.slice(callsBefore).map((call) => Object.values(call.requests)[0]?.length);
    expect(calls).toEqual([4, 3, 2]);
    expect(metric('ErrorStoreWriteRetries')).toBe(2);
    expect(metric('ErrorsStored')).toBe(4);
    expect(await itemsOf(delivery)).toHaveLength(4);
  });

  it('fails the invocation while items stay unprocessed, and the redelivery stores them', async () => {
    const delivery = deliveryOf(delivered(produced.caught));
    decide = () => ({ kind: 'holdBack', holdBack: (requests) => [...requests] });

    const failed = await forward(delivery.event);

    expect(failed.outcome.status).toBe('error');
    expect(failed.outcome.error?.errorType).toBe('UnwrittenErrorsError');
    expect(failed.metric('ErrorItemsUnwritten')).toBe(2);
    expect(await itemsOf(delivery)).toHaveLength(0);

    decide = () => ({ kind: 'forward' });
    const retried = await forward(delivery.event);

    expect(retried.outcome.status).toBe('success');
    expect(await itemsOf(delivery)).toHaveLength(2);
  });

  it('stores the rest of a delivery around poison records', async () => {
    const [good, other] = delivered(produced.caught);
    const cut = (good ?? '').slice(0, 120); // a line CloudWatch Logs cut at its 256 KB limit
    const refused = delivered(produced.uncaught)[0] ?? '';
    const delivery = deliveryOf([good ?? '', cut, 'Task timed out after 3.00 seconds', other ?? '', refused]);
    const refusedId = delivery.logEvents[4]?.id;
    // DynamoDB refuses any call that holds the item of the fifth event (a ValidationException
    // names no item, so the forwarder must find it by writing the items one by one).
    decide = (_callNumber, requests) =>
      JSON.stringify(requests).includes(`"logEventId":{"S":"${refusedId}"}`)
        ? { kind: 'validationError', message: 'One or more parameter values were invalid' }
        : { kind: 'forward' };

    const { outcome, metric, lines } = await forward(delivery.event);

    expect(outcome.status).toBe('success');
    expect(metric('ErrorRecordsRejected')).toBe(3);
    expect(metric('ErrorsStored')).toBe(2);
    const items = await itemsOf(delivery);
    expect(items.map((item) => text(item, 'logEventId')).sort()).toEqual(
      [delivery.logEvents[0]?.id, delivery.logEvents[3]?.id].sort(),
    );
    // Each poison record is named in the forwarder's log, by event id and reason.
    const problems = lines
      .map((line) => JSON.parse(line.startsWith('{') ? line : '{}'))
      .filter((line) => line.level === 'WARN' || line.level === 'ERROR');
    expect(problems.map((line) => line.log_event_id ?? line.reason).filter(Boolean)).toHaveLength(3);
  });

  it('stores an error whose message is nested thousands deep, and the rest of its delivery', async () => {
    const [good] = delivered(produced.caught);
    // 10 KB of JSON that parses, but that a recursive walk or JSON.stringify cannot get through.
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
    const nested = `{"level":"ERROR","message":"bad request","service":"payments","error":{"name":"BadRequest","message":${deep}}}`;
    const delivery = deliveryOf([good ?? '', nested]);

    const { outcome, metric } = await forward(delivery.event);

    expect(outcome.status).toBe('success');
    expect(metric('ErrorsStored')).toBe(2);
    const items = await itemsOf(delivery);
    const stored = items.find((item) => text(item, 'logEventId') === delivery.logEvents[1]?.id);
    expect(text(stored, 'errorType')).toBe('BadRequest');
    expect(text(stored, 'message')?.length).toBeGreaterThan(0);
  });

  it('counts a delivery it cannot decode and does not ask for it again', async () => {
    const { outcome, metric } = await forward({
      awslogs: { data: Buffer.from('not gzip').toString('base64') },
    });

    expect(outcome.status).toBe('success');
    expect(metric('ErrorRecordsRejected')).toBe(1);
    expect(metric('ErrorsStored')).toBe(0);
  });

  it("takes CloudWatch Logs' control message for a check, not for a rejected record", async () => {
    // What CloudWatch Logs sends when a subscription is put on a log group, to check that the
    // destination answers: one log event that is not a log line.
    const document = {
      messageType: 'CONTROL_MESSAGE',
      owner: 'CloudwatchLogs',
      logGroup: '',
      logStream: '',
      subscriptionFilters: [],
      logEvents: [
        {
          id: '',
          timestamp: Date.now(),
          message: 'CWL CONTROL MESSAGE: Checking health of destination Lambda function.',
        },
      ],
    };

    const { outcome, metric, lines } = await forward({
      awslogs: { data: gzipSync(Buffer.from(JSON.stringify(document))).toString('base64') },
    });

    expect(outcome.status).toBe('success');
    expect(metric('ErrorRecordsRejected')).toBe(0);
    expect(metric('ErrorsStored')).toBe(0);
    expect(
      lines.filter((line) => line.includes('"level":"WARN"') || line.includes('"level":"ERROR"')),
    ).toEqual([]);
  });

  it('answers by function, by fingerprint and by time through the indexes', async () => {
    const delivery = deliveryOf(delivered(produced.caught));
    await forward(delivery.event);
    const [item] = await itemsOf(delivery);
    const from = new Date((delivery.logEvents[0]?.timestamp ?? 0) - 1000).toISOString();
    const to = new Date((delivery.logEvents[1]?.timestamp ?? 0) + 1000).toISOString();
    const { functionIndex, fingerprintIndex } = ERROR_TABLE_SCHEMA;

    const byFunction = await db.client.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: functionIndex.name,
        KeyConditionExpression: 'functionName = :fn AND #ts BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#ts': 'timestamp' },
        ExpressionAttributeValues: { ':fn': { S: PRODUCER }, ':from': { S: from }, ':to': { S: to } },
      }),
    );
    const byFingerprint = await db.client.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: fingerprintIndex.name,
        KeyConditionExpression: 'fingerprint = :fp',
        ExpressionAttributeValues: { ':fp': { S: text(item, 'fingerprint') ?? '' } },
        ScanIndexForward: false,
      }),
    );

    const ids = (items: Record<string, AttributeValue>[] | undefined) =>
      (items ?? []).map((entry) => text(entry, 'errorId'));
    const stored = (await itemsOf(delivery)).map((entry) => text(entry, 'errorId'));
    expect(ids(byFunction.Items)).toEqual(expect.arrayContaining(stored));
    expect(byFunction.Items?.every((entry) => text(entry, 'stack') !== undefined)).toBe(true);
    expect(ids(byFingerprint.Items)).toEqual(expect.arrayContaining(stored));
    expect(Object.keys(byFingerprint.Items?.[0] ?? {}).sort()).toEqual(
      [...fingerprintIndex.projected, 'errorId', 'timestamp', 'fingerprint']
        .filter((key) => byFingerprint.Items?.[0]?.[key] !== undefined)
        .sort(),
    );
  });
});
