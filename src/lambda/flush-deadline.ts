import { withDeadline } from '../core.js';

// One timer for every delivery's deadline, not one per delivery
// (docs/decisions/0059-lambda-span-processor.md), as for the extension's release (0058).
// Deliveries come one at a time and each one's deadline nearly always falls later than the one
// before, so a timer armed for an earlier delivery is left pending and, when it fires, re-armed
// for what is left of the current one. A delivery that starts while another still waits (not
// seen on Lambda, where an environment runs one invocation at a time) gets a timer of its own.

interface Waiting {
  readonly dueAt: number;
  readonly settle: (inTime: boolean) => void;
}

let waiting: Waiting | undefined;
let timer: NodeJS.Timeout | undefined;
let timerDueAt = 0;

function arm(dueAt: number): void {
  if (timer !== undefined && timerDueAt <= dueAt) return;
  clearTimeout(timer);
  timerDueAt = dueAt;
  timer = setTimeout(onTimer, Math.max(0, dueAt - performance.now()));
  // A pending deadline never keeps the process alive.
  timer.unref();
}

function onTimer(): void {
  timer = undefined;
  if (waiting === undefined) return;
  if (performance.now() >= waiting.dueAt) waiting.settle(false);
  else arm(waiting.dueAt);
}

/**
 * Waits for `work` at most `budgetMs` milliseconds: resolves true when it settled (fulfilled or
 * rejected) in time, false when the time ran out first. Never rejects.
 *
 * @example
 * if (!(await waitAtMost(flushExports(), budgetMs))) reportTimeout();
 */
export function waitAtMost(work: Promise<unknown>, budgetMs: number): Promise<boolean> {
  if (waiting !== undefined)
    return withDeadline(work, budgetMs).then((outcome) => outcome.status !== 'timeout');
  return new Promise<boolean>((resolve) => {
    const current: Waiting = {
      dueAt: performance.now() + budgetMs,
      settle: (inTime) => {
        if (waiting === current) waiting = undefined;
        resolve(inTime);
      },
    };
    waiting = current;
    arm(current.dueAt);
    const inTime = () => current.settle(true);
    work.then(inTime, inTime);
  });
}
