// The Init error of a function whose handler cannot be loaded, through the Lookout layer and
// without it: the real runtime interface client loads the handler (itself, or through the layer's
// handler) against the Runtime API emulator, which records what the runtime posts to /init/error.
// The error a user reads in the Init error must be the runtime's own, whatever the layer does.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLambdaFunction } from '../helpers/lambda-function.js';
import { type ExtractedLayer, extractLayer } from '../helpers/lambda-layer.js';
import { startLambdaRuntimeApi } from '../helpers/lambda-runtime-api.js';

let layer: ExtractedLayer;

beforeAll(async () => {
  layer = await extractLayer('lookout-layer-load-');
});
afterAll(() => {
  layer.remove();
});

/**
 * Starts the app in an environment of its own (expected to fail its init; the helper kills what
 * it started when init fails) and returns what the runtime posted to /init/error.
 */
async function initErrorOf(app: string, withLayer: boolean): Promise<Record<string, unknown>> {
  const api = await startLambdaRuntimeApi();
  try {
    const started = startLambdaFunction({
      api,
      taskRoot: layer.taskRoot(app),
      handler: 'index.handler',
      optDir: layer.opt,
      env: withLayer ? { AWS_LAMBDA_EXEC_WRAPPER: join(layer.opt, 'lookout-handler') } : {},
    });
    const posted = await api.initError(30_000);
    const fn = await started.catch(() => undefined);
    await fn?.kill();
    const { errorType, errorMessage } = posted.document ?? {};
    return { errorTypeHeader: posted.errorTypeHeader, errorType, errorMessage };
  } finally {
    await api.close();
  }
}

describe('a handler the runtime cannot load, through the Lookout layer', () => {
  it('reports an export that is not a function as the runtime does: "is not a function"', async () => {
    // Prepare: the runtime's own Init error, without the layer
    const alone = await initErrorOf('not-a-function-app', false);

    // Act
    const layered = await initErrorOf('not-a-function-app', true);

    // Assess
    expect(alone).toEqual({
      errorTypeHeader: 'Runtime.HandlerNotFound',
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'index.handler is not a function',
    });
    expect(layered).toEqual(alone);
  });
});
