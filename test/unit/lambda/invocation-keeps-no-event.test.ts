import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/index.js';
import { startInvocation } from '../../../src/lambda/invocation.js';
import { detectRuntime } from '../../../src/runtime/index.js';

// A full collection on demand: the flag takes effect for the contexts made after it is set.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const settings = resolveConfig({
  env: {},
  options: {},
  appPackage: { name: 'orders', version: '1.0.0' },
  runtime: detectRuntime({}, () => undefined),
}).config.lambda;

/** A batch of `size` SQS messages, each with a trace header. */
function sqsBatch(size: number) {
  return {
    Records: Array.from({ length: size }, (_, index) => ({
      eventSource: 'aws:sqs',
      messageId: `m${index}`,
      eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:orders',
      body: 'x'.repeat(256),
      attributes: {
        AWSTraceHeader: `Root=1-5759e988-${(index + 1).toString(16).padStart(24, '0')};Parent=53995c3f42cd8ad8;Sampled=1`,
      },
    })),
  };
}

describe('an ended invocation', () => {
  it('keeps none of its event, though it is kept itself until the next invocation starts', async () => {
    // Prepare
    let event: ReturnType<typeof sqsBatch> | undefined = sqsBatch(1000);
    const records = new WeakRef(event.Records[999] as object);
    const context = { awsRequestId: 'r1', functionName: 'orders' };

    // Act
    const invocation = startInvocation(event, context, settings);
    await invocation.end({ result: undefined });
    event = undefined;
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();

    // Assess
    expect(records.deref()).toBeUndefined();
  });
});
