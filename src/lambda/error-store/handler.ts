// The error store's forwarder: a Lambda function subscribed to the service's log group
// (src/cdk/error-store.ts), built into dist/error-store-forwarder/ as one self-contained file
// (scripts/build.mjs). It runs beside the service, never in its request path
// (docs/decisions/0025-error-store-off-the-request-path.md), and is itself a Lookout-wrapped
// function: its logs, metrics and traces are Lookout's.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { getProcessEnv, LookoutConfigError, readEnv } from '../../core.js';
import { wrap } from '../wrap.js';
import { type ForwardSummary, forwardErrors } from './forward-errors.js';

/** The variables the construct sets on the forwarder. */
export const FORWARDER_ENV = {
  tableName: 'ERROR_STORE_TABLE_NAME',
  retentionDays: 'ERROR_STORE_RETENTION_DAYS',
  serviceName: 'ERROR_STORE_SERVICE_NAME',
} as const;

const DEFAULT_RETENTION_DAYS = 90;

let client: DynamoDBClient | undefined;

function settingsFromEnv(): { tableName: string; retentionDays: number; serviceName: string } {
  const env = getProcessEnv();
  const tableName = readEnv(env, FORWARDER_ENV.tableName);
  if (tableName === undefined)
    throw new LookoutConfigError({
      option: FORWARDER_ENV.tableName,
      value: undefined,
      accepted: 'the table name',
    });
  const days = Number(readEnv(env, FORWARDER_ENV.retentionDays) ?? DEFAULT_RETENTION_DAYS);
  return {
    tableName,
    retentionDays: Number.isInteger(days) && days > 0 ? days : DEFAULT_RETENTION_DAYS,
    serviceName: readEnv(env, FORWARDER_ENV.serviceName) ?? 'unknown',
  };
}

/**
 * The forwarder's Lambda handler (`index.handler` in dist/error-store-forwarder/).
 * The DynamoDB endpoint is the SDK's own choice: `AWS_ENDPOINT_URL_DYNAMODB` points it at a
 * local server in tests.
 */
export const handler = wrap(
  async (event: unknown, context: { getRemainingTimeInMillis(): number }): Promise<ForwardSummary> => {
    const settings = settingsFromEnv();
    client ??= new DynamoDBClient({});
    return forwardErrors(event, {
      ...settings,
      client,
      remainingMs: () => context.getRemainingTimeInMillis(),
    });
  },
);
