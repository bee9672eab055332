import { describe, expect, it } from 'vitest';
import type { Invocation, InvocationOutcome } from '../../../src/lambda/invocation.js';
import { originalOf, watchRuntimeAnswer } from '../../../src/lambda/route-context-methods.js';

/** An invocation that notes the answers routed to it. */
function noting(): Invocation & { answers: InvocationOutcome[] } {
  const answers: InvocationOutcome[] = [];
  return {
    answers,
    run: (fn) => fn(),
    end: () => Promise.resolve(),
    endNow: () => undefined,
    refused: () => {},
    answered: (outcome) => answers.push(outcome),
  };
}

describe('the context answers of an async handler', () => {
  it('reach the context’s own methods and note the answer, for a context passed to 1,000 invocations', () => {
    // Prepare
    const calls: unknown[][] = [];
    const own = {
      succeed: (result: unknown) => calls.push(['succeed', result]),
      fail: (error: unknown) => calls.push(['fail', error]),
      done: (error: unknown, result: unknown) => calls.push(['done', error, result]),
    };
    const context = { ...own };
    let last = noting();

    // Act
    for (let index = 0; index < 1000; index++) {
      last = noting();
      watchRuntimeAnswer(context, last);
    }
    context.fail(undefined);
    context.done(null, { order: 1 });
    context.succeed({ order: 2 });

    // Assess: routed once in front of the context's own methods, not once per invocation
    expect(originalOf(context.fail)).toBe(own.fail);
    expect(originalOf(context.done)).toBe(own.done);
    expect(originalOf(context.succeed)).toBe(own.succeed);
    expect(calls).toEqual([
      ['fail', undefined],
      ['done', null, { order: 1 }],
      ['succeed', { order: 2 }],
    ]);
    expect(last.answers).toEqual([{ error: 'handled' }, { result: { order: 1 } }, { result: { order: 2 } }]);
  });

  it('note no answer the context’s own method threw for', () => {
    // Prepare
    const refusal = new TypeError('Do not know how to serialize a BigInt');
    const context = {
      succeed: () => {
        throw refusal;
      },
    };
    const invocation = noting();
    const refused: unknown[] = [];
    invocation.refused = (error) => refused.push(error);
    watchRuntimeAnswer(context, invocation);

    // Act
    const act = () => context.succeed();

    // Assess
    expect(act).toThrow(refusal);
    expect(refused).toEqual([refusal]);
    expect(invocation.answers).toEqual([]);
  });

  it('route the other methods of a context one of whose methods cannot be read', () => {
    // Prepare: a revoked Proxy of a function, which throws on any property read
    const { proxy, revoke } = Proxy.revocable(() => {}, {});
    revoke();
    const failed: unknown[] = [];
    const context = { succeed: proxy, fail: (error: unknown) => failed.push(error) };
    const invocation = noting();
    watchRuntimeAnswer(context, invocation);

    // Act
    context.fail('declined');

    // Assess
    expect(failed).toEqual(['declined']);
    expect(invocation.answers).toEqual([{ error: 'declined' }]);
  });
});
