import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Powertools' per-invocation stores ask whether AWS_LAMBDA_MAX_CONCURRENCY is set on every
// access; the build gives them a switch that reads it once per process
// (docs/decisions/0064-invoke-store-switch-read-once.md). Checked on the built package, in a real
// Node process per module system, since the switch exists only in the bundles.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const BUILDS = [
  ['the CommonJS build', `const lookout = require('lookout');`],
  ['the ES module build', `const lookout = await import(${JSON.stringify(`${ROOT}dist/esm/index.js`)});`],
] as const;

/** Runs `body` after `load` in an async function of a fresh CommonJS process; returns its JSON. */
function run(load: string, body: string, env: Record<string, string> = {}): Record<string, unknown> {
  const script = `(async () => { ${load} ${body} })().catch((error) => { console.error(error); process.exit(1); });`;
  const output = execFileSync(process.execPath, ['-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, POWERTOOLS_METRICS_NAMESPACE: 'Test', ...env },
  });
  return JSON.parse(output.trim().split('\n').at(-1) ?? '') as Record<string, unknown>;
}

// One invocation's worth of Logger and Metrics work: a key, a line, a metric, a publish.
const INVOCATION = `
  const { logger, metrics } = lookout;
  function invocation(index) {
    logger.appendKeys({ order: index });
    logger.info('order accepted');
    logger.removeKeys(['order']);
    metrics.addDimension('route', 'orders');
    metrics.addMetric('ordersAccepted', 'Count', 1);
    metrics.publishStoredMetrics();
  }`;

describe('Powertools invoke-store switch in the built package', () => {
  it.each(BUILDS)('%s reads AWS_LAMBDA_MAX_CONCURRENCY once, not per invocation', (_name, load) => {
    const result = run(
      load,
      `${INVOCATION}
      invocation(0);
      let reads = 0;
      const original = process.env;
      process.env = new Proxy(original, {
        get(target, key, receiver) {
          if (key === 'AWS_LAMBDA_MAX_CONCURRENCY') reads++;
          return Reflect.get(target, key, receiver);
        },
      });
      for (let index = 1; index <= 20; index++) invocation(index);
      process.env = original;
      process.stdout.write('\\n' + JSON.stringify({ reads }));`,
    );
    expect(result).toEqual({ reads: 0 });
  });

  it.each(BUILDS)(
    '%s keeps state per invocation when Lambda runs invocations concurrently',
    (_name, load) => {
      // The InvokeStore the Lambda runtime sets up for concurrent invocations, from the package the
      // runtime and Powertools use (Lambda itself cannot run here).
      const result = run(
        `const { InvokeStore, InvokeStoreBase } = require('@aws/lambda-invoke-store');
      const store = await InvokeStore.getInstanceAsync();
      ${load}`,
        `const { logger } = lookout;
      const before = logger.level;
      let inside;
      await store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: 'one' }, async () => {
        logger.setLogLevel('ERROR');
        inside = logger.level;
      });
      const inAnother = await store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: 'two' }, async () => logger.level);
      process.stdout.write('\\n' + JSON.stringify({ before, inside, inAnother, after: logger.level }));`,
        { AWS_LAMBDA_MAX_CONCURRENCY: '4' },
      );
      // INFO is 12, ERROR 20: the level set in invocation one stays in it.
      expect(result).toEqual({ before: 12, inside: 20, inAnother: 12, after: 12 });
    },
  );
});
