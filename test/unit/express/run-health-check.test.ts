import { describe, expect, it } from 'vitest';
import { runHealthCheck } from '../../../src/express/run-health-check.js';

const describeError = (error: unknown) => (error instanceof Error ? error.message : String(error));

describe('runHealthCheck', () => {
  it.each([
    ['returns a value', () => 'pong', 'healthy', undefined],
    ['resolves', () => Promise.resolve({ rows: 1 }), 'healthy', undefined],
    ['returns undefined', () => undefined, 'healthy', undefined],
    ['returns false', () => false, 'unhealthy', 'returned false'],
    ['resolves false', () => Promise.resolve(false), 'unhealthy', 'returned false'],
    [
      'throws',
      () => {
        throw new Error('no route to host');
      },
      'unhealthy',
      'no route to host',
    ],
    ['rejects', () => Promise.reject(new Error('refused')), 'unhealthy', 'refused'],
    ['never settles', () => new Promise(() => {}), 'unhealthy', 'timed out after 20 ms'],
  ])('a check that %s is %s', async (_name, check, status, error) => {
    const result = await runHealthCheck(check, 20, describeError);

    expect(result.status).toBe(status);
    expect(result.error).toBe(error);
    expect(result.duration_ms).toBeGreaterThanOrEqual(0);
  });
});

describe('runHealthCheck with long timeouts', () => {
  it.each([2 ** 31, 30 * 24 * 60 * 60 * 1000, Number.MAX_SAFE_INTEGER])(
    'waits for a check that takes 30 ms when the timeout is %d ms, beyond what a timer holds',
    async (timeoutMs) => {
      // Prepare: Node runs a timer longer than 2^31 - 1 ms after 1 ms instead.
      const check = () => new Promise((resolve) => setTimeout(resolve, 30, true));

      // Act
      const result = await runHealthCheck(check, timeoutMs, describeError);

      // Assess
      expect(result.status).toBe('healthy');
      expect(result.error).toBeUndefined();
    },
  );
});

describe('runHealthCheck with the runs in progress', () => {
  it('shares a run between calls while it lasts, and starts a new one after it settles', async () => {
    // Prepare
    let calls = 0;
    const check = () => {
      calls += 1;
      return new Promise((resolve) => setTimeout(resolve, 20, true));
    };
    const running = new WeakMap();

    // Act
    const together = await Promise.all([
      runHealthCheck(check, 1000, describeError, running),
      runHealthCheck(check, 1000, describeError, running),
    ]);
    const callsTogether = calls;
    const after = await runHealthCheck(check, 1000, describeError, running);

    // Assess
    expect(together.map((result) => result.status)).toEqual(['healthy', 'healthy']);
    expect(after.status).toBe('healthy');
    expect(callsTogether).toBe(1);
    expect(calls).toBe(2);
  });

  it('starts a new run once the one in progress has outlasted a timeout', async () => {
    // Prepare
    let calls = 0;
    const check = () => {
      calls += 1;
      return new Promise(() => {});
    };
    const running = new WeakMap();

    // Act
    const first = await runHealthCheck(check, 20, describeError, running);
    const second = await runHealthCheck(check, 20, describeError, running);

    // Assess
    expect([first.status, second.status]).toEqual(['unhealthy', 'unhealthy']);
    expect(calls).toBe(2);
  });
});
