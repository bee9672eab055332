import type { Attributes } from '@opentelemetry/api';

/** The event sources Lookout recognises, and `other` for everything else. */
export const EVENT_SOURCES = {
  apiGatewayRest: 'aws:apigateway:rest',
  apiGatewayHttp: 'aws:apigateway:http',
  alb: 'aws:elb',
  functionUrl: 'aws:lambda:url',
  sqs: 'aws:sqs',
  sns: 'aws:sns',
  eventBridge: 'aws:events',
  dynamoDb: 'aws:dynamodb',
  kinesis: 'aws:kinesis',
  s3: 'aws:s3',
  other: 'other',
} as const;
export type EventSourceName = (typeof EVENT_SOURCES)[keyof typeof EVENT_SOURCES];

/** `faas.trigger` values (OpenTelemetry FaaS semantic conventions). */
export type FaasTrigger = 'http' | 'pubsub' | 'datasource' | 'timer' | 'other';

/** A message's trace header, to become a span link (SQS `AWSTraceHeader`). */
export interface MessageTraceHeader {
  readonly header: string;
  readonly messageId: string | undefined;
}

/**
 * The trace headers of a batch's messages, read one message at a time: a batch holds up to
 * 10,000 messages and its span keeps 128 links, so only the messages whose links it keeps are
 * read (resolve-trace-parent.ts).
 */
export interface MessageTraceHeaders {
  readonly count: number;
  /** The trace header of the message at `index` (from 0 to `count - 1`), if it has one. */
  at(index: number): MessageTraceHeader | undefined;
}

/** A batch whose messages carry no trace headers (or an event that is no batch). */
export const NO_MESSAGE_TRACE_HEADERS: MessageTraceHeaders = Object.freeze({
  count: 0,
  at: () => undefined,
});

/** What an event says about the invocation, for its span, logs and metrics. */
export interface EventSourceInfo {
  readonly source: EventSourceName;
  readonly trigger: FaasTrigger;
  /** Span attributes describing the event (HTTP, messaging, document semantic conventions). */
  readonly attributes: Attributes;
  /** `METHOD /route/{template}` for HTTP events with a route template; the span and metric name. */
  readonly operation: string | undefined;
  /** Lower-cased request headers of HTTP events (for `traceContext: 'http'`). */
  readonly headers: Readonly<Record<string, string>> | undefined;
  /** Trace headers carried by the messages of the batch. */
  readonly messageTraceHeaders: MessageTraceHeaders;
}

/** An event from no recognised source. */
export const OTHER_EVENT: EventSourceInfo = Object.freeze({
  source: EVENT_SOURCES.other,
  trigger: 'other',
  attributes: Object.freeze({}),
  operation: undefined,
  headers: undefined,
  messageTraceHeaders: NO_MESSAGE_TRACE_HEADERS,
});
