// Flattens decoded logs requests into one plain record per log record, carrying its resource and
// scope, with attributes and body as plain values.
import {
  type Attributes,
  type AttributeValue,
  type FlatScope,
  flattenResource,
  flattenScope,
  orUndefined,
  toAttributes,
  unwrapAnyValue,
} from './flatten-values.js';
import type { OtlpLogsRequest } from './logs-schema.js';

/** One log record, with its resource and scope. */
export interface FlatLogRecord {
  readonly timeUnixNano: bigint;
  readonly observedTimeUnixNano: bigint;
  readonly severityNumber: number;
  readonly severityText: string;
  /** The body unwrapped; null when the record has none. */
  readonly body: AttributeValue;
  readonly attributes: Attributes;
  readonly eventName: string;
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
  readonly flags: number;
  readonly droppedAttributesCount: number;
  readonly resource: Attributes;
  readonly scope: FlatScope;
}

/**
 * One record per log record in a decoded logs request.
 *
 * @example
 * const logs = flattenLogs(decodeLogsRequest(body));
 * const errors = logs.filter((record) => record.severityNumber >= 17);
 */
export function flattenLogs(request: OtlpLogsRequest): FlatLogRecord[] {
  const records: FlatLogRecord[] = [];
  for (const resourceLogs of request.resourceLogs) {
    const resource = flattenResource(resourceLogs.resource);
    for (const scopeLogs of resourceLogs.scopeLogs) {
      const scope = flattenScope(scopeLogs.scope);
      for (const record of scopeLogs.logRecords) {
        records.push({
          timeUnixNano: BigInt(record.timeUnixNano),
          observedTimeUnixNano: BigInt(record.observedTimeUnixNano),
          severityNumber: record.severityNumber,
          severityText: record.severityText,
          body: record.body === undefined ? null : unwrapAnyValue(record.body),
          attributes: toAttributes(record.attributes),
          eventName: record.eventName,
          traceId: orUndefined(record.traceId),
          spanId: orUndefined(record.spanId),
          flags: record.flags,
          droppedAttributesCount: record.droppedAttributesCount,
          resource,
          scope,
        });
      }
    }
  }
  return records;
}
