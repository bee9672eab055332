import { describe, expect, it } from 'vitest';
import { readInvocationFacts, remainingTimeMs } from '../../../src/lambda/read-lambda-context.js';

describe("the reading of a Lambda context's facts", () => {
  it('keeps the fields it can read from a context whose other getters throw', () => {
    // A hand-made context (a test harness's, or one a handler passes on to another): the
    // facts are read as the invocation starts, and a throw there leaves it untraced.
    const context = {
      awsRequestId: 'r-1',
      get functionName(): string {
        throw new Error('functionName getter');
      },
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:f',
      xRayTraceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
      getRemainingTimeInMillis: () => 1234,
    };

    expect(readInvocationFacts(context)).toEqual({
      requestId: 'r-1',
      functionName: undefined,
      invokedArn: 'arn:aws:lambda:eu-west-1:123456789012:function:f',
      traceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    });
    expect(remainingTimeMs(context)).toBe(1234);
  });

  it('reads nothing, and throws nothing, from a context whose every read throws', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();

    expect(readInvocationFacts(proxy).requestId).toBeUndefined();
    expect(remainingTimeMs(proxy)).toBeUndefined();
  });
});
