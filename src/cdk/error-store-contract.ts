// What the error store's construct and its forwarder (src/lambda/error-store/) must agree on:
// the table's attribute and index names, the forwarder's variables and metric names, and the
// lines the subscription filter lets through. The forwarder is another adapter, which src/cdk
// may not import (scripts/check-imports.mjs), so the names are written here again and
// test/cdk/error-store.test.ts fails when the two copies differ.
import * as logs from 'aws-cdk-lib/aws-logs';

/** The table's key schema and indexes (the forwarder's ERROR_TABLE_SCHEMA). */
export const ERROR_TABLE_SCHEMA = {
  partitionKey: 'errorId',
  sortKey: 'timestamp',
  ttlAttribute: 'expiresAt',
  functionIndex: { name: 'FunctionNameIndex', partitionKey: 'functionName', sortKey: 'timestamp' },
  fingerprintIndex: {
    name: 'FingerprintIndex',
    partitionKey: 'fingerprint',
    sortKey: 'timestamp',
    projected: ['errorType', 'message', 'service', 'functionName', 'route', 'requestId', 'xrayTraceId'],
  },
} as const;

/** The variables the forwarder reads (the forwarder's FORWARDER_ENV). */
export const FORWARDER_ENV = {
  tableName: 'ERROR_STORE_TABLE_NAME',
  retentionDays: 'ERROR_STORE_RETENTION_DAYS',
  serviceName: 'ERROR_STORE_SERVICE_NAME',
} as const;

/** The forwarder's own metrics (the forwarder's FORWARDER_METRICS). */
export const FORWARDER_METRICS = {
  stored: 'ErrorsStored',
  rejected: 'ErrorRecordsRejected',
  unwritten: 'ErrorItemsUnwritten',
  retries: 'ErrorStoreWriteRetries',
} as const;

/** The message of the forwarder's line for each stored error (the saved queries read it). */
export const STORED_LINE_MESSAGE = 'error store: error stored';

/**
 * The subscription filter: Lookout's lines at ERROR or CRITICAL that carry `error` (an Error,
 * or the text of a thrown non-Error), and the Lambda runtime's JSON lines for an error nothing
 * caught (`message.errorType`). Access-log lines, which are at ERROR for a 5xx but carry no
 * error, and every other line stay out: CloudWatch Logs does the filtering, the forwarder is
 * invoked for errors only.
 *
 * @example
 * new logs.SubscriptionFilter(this, 'Errors', { logGroup, destination, filterPattern: errorLinePattern() });
 */
export function errorLinePattern(): logs.IFilterPattern {
  const { all, any, stringValue, exists } = logs.FilterPattern;
  return all(
    any(stringValue('$.level', '=', 'ERROR'), stringValue('$.level', '=', 'CRITICAL')),
    any(exists('$.error.name'), exists('$.error'), exists('$.message.errorType')),
  );
}
