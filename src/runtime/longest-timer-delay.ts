/**
 * The longest delay a Node timer waits, in milliseconds (2^31 − 1, about 24.8 days): past it,
 * `setTimeout` fires after 1 ms instead and Node writes a TimeoutOverflowWarning. A delay that
 * comes from configuration is capped or refused at this bound.
 */
export const LONGEST_TIMER_DELAY_MS = 2 ** 31 - 1;
