export { detectEventSource } from './detect-event-source.js';
export type {
  EventSourceInfo,
  EventSourceName,
  FaasTrigger,
  MessageTraceHeader,
  MessageTraceHeaders,
} from './event-source.js';
export { EVENT_SOURCES } from './event-source.js';
