// Imports nothing: the internal extension, which the layer loads on its own, uses it too.

/**
 * The longest delay a Node.js timer takes (about 24.8 days); a longer one is set to 1 ms, with a
 * TimeoutOverflowWarning each time. Lambda's deadlines are never that far, but a deadline from a
 * context or a Runtime API that is not Lambda's can be: its timer is armed for this long and,
 * when it fires early, armed again for what is left.
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** A deadline being waited for: `settle` is called when the clock reaches `dueAt`. */
export interface Due {
  readonly dueAt: number;
  readonly settle: () => void;
}

/**
 * One timer for a series of deadlines waited for one at a time, each nearly always later than
 * the one before (an invocation's release by the extension, a delivery's deadline), instead of a
 * timer made and cleared for each (docs/decisions/0058-lambda-extension-off-the-invocation-path.md,
 * docs/decisions/0059-lambda-span-processor.md). A timer armed for an earlier deadline is left
 * pending and, when it fires, re-armed for what is left of the current one; an earlier deadline
 * re-arms it at once. The timer never keeps the process alive.
 *
 * @example
 * const release = new SharedDeadline(Date.now);
 * const due = { dueAt: deadlineMs - marginMs, settle: invocation.settle };
 * release.wait(due);
 * await invocation.promise;
 * release.done(due);
 */
export class SharedDeadline {
  readonly #now: () => number;
  #current: Due | undefined;
  #timer: NodeJS.Timeout | undefined;
  #timerDueAt = 0;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** The deadline waited for now, if any. */
  get current(): Due | undefined {
    return this.#current;
  }

  /** Waits for `due` from now on, in place of any deadline waited for before. */
  wait(due: Due): void {
    this.#current = due;
    this.#arm(due.dueAt);
  }

  /** Stops waiting for `due` (it settled otherwise); another deadline waited for is left alone. */
  done(due: Due): void {
    if (this.#current === due) this.#current = undefined;
  }

  #arm(dueAt: number): void {
    if (this.#timer !== undefined && this.#timerDueAt <= dueAt) return;
    clearTimeout(this.#timer);
    const now = this.#now();
    const delay = Math.min(Math.max(0, dueAt - now), MAX_TIMER_DELAY_MS);
    this.#timerDueAt = now + delay;
    this.#timer = setTimeout(this.#fire, delay);
    this.#timer.unref();
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    const due = this.#current;
    if (due === undefined) return;
    if (this.#now() >= due.dueAt) due.settle();
    else this.#arm(due.dueAt);
  };
}
