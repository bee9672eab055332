import type { Attributes } from '@opentelemetry/api';
import {
  EVENT_SOURCES,
  type EventSourceInfo,
  type FaasTrigger,
  type MessageTraceHeader,
  type MessageTraceHeaders,
  NO_MESSAGE_TRACE_HEADERS,
} from './event-source.js';
import { arnResource, arnResourcePart, asObject, asString, objectAt, stringAt } from './read-event.js';

// The event's own array, read in place: a record that is no object reads as one without fields.
// No copy is made of it (a 6 MB event of `{"Records":[0,0,…]}` holds three million records).
type RecordList = readonly unknown[];

/** The one value every record has, or undefined when they differ (a batch from several sources). */
function common(records: RecordList, read: (record: unknown) => string | undefined) {
  let value: string | undefined;
  for (const record of records) {
    const current = read(record);
    if (current === undefined || (value !== undefined && current !== value)) return undefined;
    value = current;
  }
  return value;
}

function info(
  source: EventSourceInfo['source'],
  trigger: FaasTrigger,
  records: RecordList,
  attributes: Attributes,
  messageTraceHeaders: MessageTraceHeaders = NO_MESSAGE_TRACE_HEADERS,
): EventSourceInfo {
  return {
    source,
    trigger,
    attributes: {
      'lookout.lambda.event_source': source,
      'lookout.lambda.record_count': records.length,
      ...attributes,
    },
    operation: undefined,
    headers: undefined,
    messageTraceHeaders,
  };
}

/** Sets `key` only when `value` is defined (attributes never hold undefined). */
function put(attributes: Attributes, key: string, value: string | number | string[] | undefined): void {
  if (value !== undefined) attributes[key] = value;
}

function describeSqs(records: RecordList): EventSourceInfo {
  const attributes: Attributes = {
    'messaging.system': 'aws_sqs',
    'messaging.operation.type': 'process',
    'messaging.batch.message_count': records.length,
  };
  put(
    attributes,
    'messaging.destination.name',
    arnResource(common(records, (r) => stringAt(r, 'eventSourceARN'))),
  );
  if (records.length === 1) put(attributes, 'messaging.message.id', stringAt(records[0], 'messageId'));
  return info(EVENT_SOURCES.sqs, 'pubsub', records, attributes, new SqsTraceHeaders(records));
}

/** Each SQS message's `AWSTraceHeader`, read only when asked for (see `MessageTraceHeaders`). */
class SqsTraceHeaders implements MessageTraceHeaders {
  readonly #records: RecordList;

  constructor(records: RecordList) {
    this.#records = records;
  }

  get count(): number {
    return this.#records.length;
  }

  at(index: number): MessageTraceHeader | undefined {
    const record = this.#records[index];
    const header = stringAt(objectAt(record, 'attributes'), 'AWSTraceHeader');
    return header === undefined ? undefined : { header, messageId: stringAt(record, 'messageId') };
  }
}

function describeSns(records: RecordList): EventSourceInfo {
  const attributes: Attributes = { 'messaging.system': 'aws.sns', 'messaging.operation.type': 'process' };
  const topicArn = common(records, (r) => stringAt(objectAt(r, 'Sns'), 'TopicArn'));
  put(attributes, 'aws.sns.topic.arn', topicArn);
  put(attributes, 'messaging.destination.name', arnResource(topicArn));
  if (records.length === 1)
    put(attributes, 'messaging.message.id', stringAt(objectAt(records[0], 'Sns'), 'MessageId'));
  return info(EVENT_SOURCES.sns, 'pubsub', records, attributes);
}

const DYNAMODB_OPERATIONS: Readonly<Record<string, string>> = {
  INSERT: 'insert',
  MODIFY: 'edit',
  REMOVE: 'delete',
};

function describeDynamoDb(records: RecordList): EventSourceInfo {
  const attributes: Attributes = {};
  // arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>
  const table = arnResourcePart(
    common(records, (r) => stringAt(r, 'eventSourceARN')),
    1,
  );
  put(attributes, 'faas.document.collection', table);
  if (table !== undefined) attributes['aws.dynamodb.table_names'] = [table];
  const operation = common(records, (r) => stringAt(r, 'eventName'));
  put(
    attributes,
    'faas.document.operation',
    operation === undefined ? undefined : DYNAMODB_OPERATIONS[operation],
  );
  return info(EVENT_SOURCES.dynamoDb, 'datasource', records, attributes);
}

function describeKinesis(records: RecordList): EventSourceInfo {
  const attributes: Attributes = {
    'messaging.operation.type': 'process',
    'messaging.batch.message_count': records.length,
  };
  // arn:aws:kinesis:<region>:<account>:stream/<name>
  put(
    attributes,
    'aws.kinesis.stream_name',
    arnResourcePart(
      common(records, (r) => stringAt(r, 'eventSourceARN')),
      1,
    ),
  );
  return info(EVENT_SOURCES.kinesis, 'pubsub', records, attributes);
}

function s3Operation(eventName: string | undefined): string | undefined {
  if (eventName === undefined) return undefined;
  if (eventName.startsWith('ObjectCreated:')) return 'insert';
  if (eventName.startsWith('ObjectRemoved:')) return 'delete';
  return 'edit';
}

function describeS3(records: RecordList): EventSourceInfo {
  const attributes: Attributes = {};
  const bucket = common(records, (r) => stringAt(objectAt(objectAt(r, 's3'), 'bucket'), 'name'));
  put(attributes, 'faas.document.collection', bucket);
  put(attributes, 'aws.s3.bucket', bucket);
  put(attributes, 'faas.document.operation', s3Operation(common(records, (r) => stringAt(r, 'eventName'))));
  const first = records[0];
  if (records.length === 1) {
    const key = stringAt(objectAt(objectAt(first, 's3'), 'object'), 'key');
    put(attributes, 'faas.document.name', key);
    put(attributes, 'aws.s3.key', key);
    put(attributes, 'faas.document.time', stringAt(first, 'eventTime'));
  }
  return info(EVENT_SOURCES.s3, 'datasource', records, attributes);
}

/**
 * Describes a batch of records: SQS (with each message's `AWSTraceHeader`), SNS, DynamoDB and
 * Kinesis streams, S3 notifications. Undefined when the event has no records from one of them.
 *
 * @example
 * describeRecordEvent({ Records: [{ eventSource: 'aws:sqs', messageId: 'm1',
 *   eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:orders', attributes: { AWSTraceHeader: 'Root=…' } }] });
 * // { source: 'aws:sqs', trigger: 'pubsub', messageTraceHeaders: { count: 1, at(0): { header: 'Root=…', messageId: 'm1' } }, ... }
 */
export function describeRecordEvent(event: unknown): EventSourceInfo | undefined {
  const list = asObject(event)?.Records;
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const records: RecordList = list;
  const first = asObject(records[0]);
  // SNS spells it EventSource; the others eventSource.
  const source = asString(first?.eventSource) ?? asString(first?.EventSource);
  switch (source) {
    case EVENT_SOURCES.sqs:
      return describeSqs(records);
    case EVENT_SOURCES.sns:
      return objectAt(first, 'Sns') !== undefined ? describeSns(records) : undefined;
    case EVENT_SOURCES.dynamoDb:
      return describeDynamoDb(records);
    case EVENT_SOURCES.kinesis:
      return describeKinesis(records);
    case EVENT_SOURCES.s3:
      return describeS3(records);
    default:
      return undefined;
  }
}
