import { withDeadline } from '../core.js';
import { type Due, SharedDeadline } from './extension/shared-deadline.js';

// One timer for every delivery's deadline, not one per delivery
// (docs/decisions/0059-lambda-span-processor.md): deliveries come one at a time, each one's
// deadline nearly always later than the one before. A delivery that starts while another still
// waits (not seen on Lambda, where an environment runs one invocation at a time) gets a timer of
// its own.
const deadline = new SharedDeadline(() => performance.now());

/**
 * Waits for `work` at most `budgetMs` milliseconds: resolves true when it settled (fulfilled or
 * rejected) in time, false when the time ran out first. Never rejects.
 *
 * @example
 * if (!(await waitAtMost(flushExports(), budgetMs))) reportTimeout();
 */
export function waitAtMost(work: Promise<unknown>, budgetMs: number): Promise<boolean> {
  if (deadline.current !== undefined)
    return withDeadline(work, budgetMs).then((outcome) => outcome.status !== 'timeout');
  return new Promise<boolean>((resolve) => {
    const due: Due = {
      dueAt: performance.now() + budgetMs,
      settle: () => {
        deadline.done(due);
        resolve(false);
      },
    };
    deadline.wait(due);
    const inTime = () => {
      deadline.done(due);
      resolve(true);
    };
    work.then(inTime, inTime);
  });
}
