import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('the arity of the handlers Lookout hands the runtime', () => {
  it('declares no third parameter unless the handler did (Node.js 24 refuses callback-style handlers by arity)', () => {
    const out = execFileSync(process.execPath, ['test/fixtures/lambda/handler-arity.cjs'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', LOOKOUT_HANDLE_SIGNALS: 'false' },
    });

    expect(JSON.parse(out.trim().split('\n').pop() ?? '{}')).toEqual({
      async: 2,
      promiseReturning: 2,
      plainTwoParameters: 2,
      callbackStyle: 3,
      layerShimForAnEsModule: 2,
    });
  });
});
