// The AWS SDK instrumentation, set up when the app first requires the SDK rather than at
// start-up (docs/decisions/0055-start-up-loads-what-it-starts.md), against dynalite on
// loopback standing in for DynamoDB (test/helpers/dynamodb-local.ts): the SDK's real client
// sends real HTTP; nothing reaches AWS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamoDb, startLocalDynamoDb } from '../helpers/dynamodb-local.js';
import { type OtlpReceiver, startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { spawnApp } from '../helpers/spawn-app.js';

const AWS_SDK_SCOPE = '@opentelemetry/instrumentation-aws-sdk';

const VARIANTS = [
  {
    name: 'CommonJS, --require lookout/register',
    args: ['--require', 'lookout/register', 'test/fixtures/aws-sdk-app/app.cjs'],
  },
  {
    name: 'ES module, --import lookout/register',
    args: ['--import', 'lookout/register', 'test/fixtures/aws-sdk-app/app.mjs'],
  },
];

describe.each(VARIANTS)('AWS SDK calls in an app started with $name', ({ args }) => {
  let receiver: OtlpReceiver;
  let dynamodb: LocalDynamoDb;

  beforeAll(async () => {
    [receiver, dynamodb] = await Promise.all([startOtlpReceiver(), startLocalDynamoDb()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([receiver?.close(), dynamodb?.close()]);
  });

  it('makes a DynamoDB client span for a call, though the instrumentation was not set up at start-up', async () => {
    // Prepare
    const app = await spawnApp({
      args,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: 'aws-sdk-app',
        DYNAMODB_ENDPOINT: dynamodb.endpoint,
      },
      readyPattern: /tables/,
    });

    // Act
    const [span] = await receiver.waitForSpans((candidate) => candidate.scope.name === AWS_SDK_SCOPE);
    const exit = await app.exited;

    // Assess
    expect(exit.code).toBe(0);
    expect(span?.kind).toBe('CLIENT');
    expect(span?.name).toBe('DynamoDB.ListTables');
    expect(span?.attributes['rpc.service']).toBe('DynamoDB');
    expect(span?.attributes['rpc.method']).toBe('ListTables');
    expect(app.stderrLines().filter((line) => line.includes('LOOKOUT_INSTRUMENTATION'))).toEqual([]);
  });
});
