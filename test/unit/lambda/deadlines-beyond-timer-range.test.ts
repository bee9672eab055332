import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SharedDeadline } from '../../../src/lambda/extension/shared-deadline.js';
import {
  cancelTimeoutWarning,
  scheduleTimeoutWarning,
} from '../../../src/lambda/schedule-timeout-warning.js';

// Node's timers take at most 2^31 - 1 ms (about 24.8 days): a longer delay is set to 1 ms, with
// a TimeoutOverflowWarning. A deadline that far away comes from a context or a Runtime API that
// is not Lambda's (Lambda's timeout is at most 15 minutes): a test harness's context whose
// getRemainingTimeInMillis() returns Number.MAX_SAFE_INTEGER, say. Real timers here: the
// overflow is Node's.
let overflows = 0;
const countOverflow = (warning: Error) => {
  if (warning.name === 'TimeoutOverflowWarning') overflows++;
};
beforeEach(() => {
  overflows = 0;
  process.on('warning', countOverflow);
});
afterEach(() => {
  process.off('warning', countOverflow);
});

const FAR_MS = Number.MAX_SAFE_INTEGER / 2;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('deadlines beyond the range of a timer', () => {
  it('schedules the timeout warning without firing a timer every millisecond', async () => {
    let warned = false;
    const target = {
      warn: () => {
        warned = true;
      },
    };

    scheduleTimeoutWarning(FAR_MS, 1000, target);
    await pause(50);
    cancelTimeoutWarning(target);

    expect(warned).toBe(false);
    expect(overflows).toBe(0);
  });

  it("waits for the extension's release without firing a timer every millisecond", async () => {
    let settled = false;
    const deadline = new SharedDeadline(Date.now);
    const due = {
      dueAt: Date.now() + FAR_MS,
      settle: () => {
        settled = true;
      },
    };

    deadline.wait(due);
    await pause(50);
    deadline.done(due);

    expect(settled).toBe(false);
    expect(overflows).toBe(0);
  });
});
