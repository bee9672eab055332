import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type WaitAtMost = typeof import('../../../src/lambda/flush-deadline.js').waitAtMost;

let waitAtMost: WaitAtMost;
beforeEach(async () => {
  // The module keeps one timer for every wait: a fresh copy per test, on a fake clock.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  vi.resetModules();
  ({ waitAtMost } = await import('../../../src/lambda/flush-deadline.js'));
});
afterEach(() => {
  vi.useRealTimers();
});

const never = new Promise<void>(() => {});

describe("the delivery's deadline", () => {
  it('resolves true when the work settles in time, rejected work included', async () => {
    const fulfilled = waitAtMost(Promise.resolve(), 100);
    const rejected = waitAtMost(Promise.reject(new Error('export failed')), 100);

    expect(await fulfilled).toBe(true);
    expect(await rejected).toBe(true);
  });

  it('resolves false when the budget runs out first', async () => {
    const waited = waitAtMost(never, 100);
    await vi.advanceTimersByTimeAsync(100);

    expect(await waited).toBe(false);
  });

  it("serves consecutive deliveries with one timer, re-armed for the later one's deadline when it fires", async () => {
    // Prepare: the first delivery settles in time, leaving its timer pending.
    await waitAtMost(Promise.resolve(), 100);
    let settled: boolean | undefined;

    // Act
    void waitAtMost(never, 300).then((inTime) => {
      settled = inTime;
    });
    const timersAtStart = vi.getTimerCount();
    await vi.advanceTimersByTimeAsync(150);
    const afterTheFirstDeadline = { timers: vi.getTimerCount(), settled };
    await vi.advanceTimersByTimeAsync(150);

    // Assess
    expect(timersAtStart).toBe(1);
    expect(afterTheFirstDeadline).toEqual({ timers: 1, settled: undefined });
    expect(settled).toBe(false);
  });

  it('arms an earlier deadline at once when a delivery is due sooner than the pending timer', async () => {
    await waitAtMost(Promise.resolve(), 1000);

    const waited = waitAtMost(never, 50);
    await vi.advanceTimersByTimeAsync(50);

    expect(await waited).toBe(false);
  });

  it('gives a delivery that starts while another waits a deadline of its own', async () => {
    let firstSettled: boolean | undefined;
    void waitAtMost(never, 500).then((inTime) => {
      firstSettled = inTime;
    });

    const second = waitAtMost(never, 100);
    await vi.advanceTimersByTimeAsync(100);
    const secondInTime = await second;
    await vi.advanceTimersByTimeAsync(400);

    expect(secondInTime).toBe(false);
    expect(firstSettled).toBe(false);
  });
});
