import { MAX_TIMER_DELAY_MS } from './extension/shared-deadline.js';

/** What a timeout warning calls: the invocation in progress. */
export interface TimeoutWarningTarget {
  warn(remainingMs: number): void;
}

// Timers that fire this close to their time (ms) count as on time: libuv's clock and
// performance.now() do not agree to the millisecond.
const TOLERANCE_MS = 1;

/**
 * The timeout warning of the invocation in progress, on one timer for every invocation. A
 * Lambda process runs one invocation at a time, and each invocation's warning falls later than
 * the one before (its deadline is later), so the timer armed for an earlier invocation, still
 * pending, is not cleared and made anew per invocation (a timer list and a priority-queue entry
 * per distinct delay): when it fires before the current invocation's warning is due, it is
 * armed again for what is left. An invocation that ends just stops being the target. The
 * result: about one timer per function timeout instead of one per invocation
 * (docs/decisions/0012-lambda-invocation-path.md).
 *
 * The timer is unref'd: a callback-style handler's response waits for an empty event loop
 * (`callbackWaitsForEmptyEventLoop`), which a pending warning must not hold up.
 */
class TimeoutWarnings {
  #timer: NodeJS.Timeout | undefined;
  /** When the pending timer fires (performance.now() ms). */
  #firesAt = 0;
  #target: TimeoutWarningTarget | undefined;
  /** When the target's warning is due (performance.now() ms). */
  #dueAt = 0;
  #marginMs = 0;

  arm(target: TimeoutWarningTarget, delayMs: number, marginMs: number): void {
    this.#target = target;
    this.#dueAt = performance.now() + delayMs;
    this.#marginMs = marginMs;
    if (this.#timer !== undefined && this.#firesAt <= this.#dueAt) return;
    this.#start(delayMs);
  }

  disarm(target: TimeoutWarningTarget): void {
    if (this.#target === target) this.#target = undefined;
  }

  #start(delayMs: number): void {
    clearTimeout(this.#timer);
    // A warning due beyond a timer's range fires early, and fire() arms the timer for the rest.
    const delay = Math.min(delayMs, MAX_TIMER_DELAY_MS);
    this.#firesAt = performance.now() + delay;
    this.#timer = setTimeout(fire, delay, this);
    this.#timer.unref();
  }

  /** Called by the timer: warns the target if its warning is due, else waits for the rest. */
  fire(): void {
    this.#timer = undefined;
    const target = this.#target;
    if (target === undefined) return;
    const left = this.#dueAt - performance.now();
    if (left > TOLERANCE_MS) {
      this.#start(left);
      return;
    }
    this.#target = undefined;
    target.warn(this.#marginMs);
  }
}

function fire(warnings: TimeoutWarnings): void {
  warnings.fire();
}

const warnings = new TimeoutWarnings();

/**
 * Calls `target.warn(marginMs)` `marginMs` before the invocation's deadline, unless
 * `cancelTimeoutWarning(target)` is called first. Nothing is scheduled when the deadline is
 * unknown or already within the margin. One invocation at a time: arming a new target replaces
 * the previous one.
 */
export function scheduleTimeoutWarning(
  remainingMs: number | undefined,
  marginMs: number,
  target: TimeoutWarningTarget,
): void {
  if (remainingMs === undefined) return;
  const delay = remainingMs - marginMs;
  if (delay <= 0) return;
  warnings.arm(target, delay, marginMs);
}

/** Cancels `target`'s warning, if it is the one scheduled. */
export function cancelTimeoutWarning(target: TimeoutWarningTarget): void {
  warnings.disarm(target);
}
