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
