import { describeEventBridgeEvent } from './describe-eventbridge-event.js';
import { describeHttpEvent } from './describe-http-event.js';
import { describeRecordEvent } from './describe-record-event.js';
import { type EventSourceInfo, OTHER_EVENT } from './event-source.js';

/**
 * Recognises what triggered an invocation from the event's shape alone (Lambda does not say)
 * and describes it. Never throws: an event of any other shape, or no object at all, is `other`.
 *
 * @example
 * detectEventSource({ Records: [{ eventSource: 'aws:s3', s3: { bucket: { name: 'b' }, object: { key: 'k' } } }] }).trigger;
 * // 'datasource'
 */
export function detectEventSource(event: unknown): EventSourceInfo {
  try {
    return (
      describeHttpEvent(event) ?? describeRecordEvent(event) ?? describeEventBridgeEvent(event) ?? OTHER_EVENT
    );
  } catch {
    // A getter on a hand-made event object may throw; the invocation goes on as `other`.
    return OTHER_EVENT;
  }
}
