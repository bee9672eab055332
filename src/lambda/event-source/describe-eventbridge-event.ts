import type { Attributes } from '@opentelemetry/api';
import { EVENT_SOURCES, type EventSourceInfo, NO_MESSAGE_TRACE_HEADERS } from './event-source.js';
import { asObject, asString } from './read-event.js';

/**
 * Describes an EventBridge event (`source`, `detail-type`, `detail`). A scheduled rule's event
 * (`aws.events` / `Scheduled Event`) is a `timer` trigger with `faas.time`; any other is
 * `pubsub`, with the CloudEvents attributes its envelope maps to.
 *
 * @example
 * describeEventBridgeEvent({ id: 'e1', source: 'orders', 'detail-type': 'OrderPlaced', time: '2026-01-01T00:00:00Z', detail: {} });
 * // { source: 'aws:events', trigger: 'pubsub', attributes: { 'cloudevents.event_type': 'OrderPlaced', ... } }
 */
export function describeEventBridgeEvent(event: unknown): EventSourceInfo | undefined {
  const envelope = asObject(event);
  if (envelope === undefined || !('detail' in envelope)) return undefined;
  const detailType = asString(envelope['detail-type']);
  const source = asString(envelope.source);
  if (detailType === undefined || source === undefined) return undefined;

  const scheduled = source === 'aws.events' && detailType === 'Scheduled Event';
  const attributes: Attributes = {
    'lookout.lambda.event_source': EVENT_SOURCES.eventBridge,
    'cloudevents.event_source': source,
    'cloudevents.event_type': detailType,
  };
  const id = asString(envelope.id);
  if (id !== undefined) attributes['cloudevents.event_id'] = id;
  const time = asString(envelope.time);
  if (scheduled && time !== undefined) attributes['faas.time'] = time;
  return {
    source: EVENT_SOURCES.eventBridge,
    trigger: scheduled ? 'timer' : 'pubsub',
    attributes,
    operation: undefined,
    headers: undefined,
    messageTraceHeaders: NO_MESSAGE_TRACE_HEADERS,
  };
}
