import { AsyncResource } from 'node:async_hooks';
import { describeError, diagnostics, ERROR_CODES } from '../core.js';
import type { ExpressResponse } from './types.js';

/** How a response ended. */
export interface ResponseOutcome {
  /** False when the connection closed before the response was complete (client went away). */
  readonly finished: boolean;
}

/**
 * Calls `callback` once when the response has finished, or when its connection closed first.
 * The callback runs in the async context of the caller (its request context and trace), not
 * in whatever context Node emits the event from. A callback that throws is reported once and
 * never reaches the app (DESIGN decision 4).
 */
export function onResponseDone(
  res: ExpressResponse,
  name: string,
  callback: (outcome: ResponseOutcome) => void,
): void {
  let done = false;
  const run = AsyncResource.bind((finished: boolean) => {
    if (done) return;
    done = true;
    res.removeListener('finish', onFinish);
    res.removeListener('close', onClose);
    try {
      callback({ finished });
    } catch (error) {
      diagnostics.errorOnce(
        `express:${name}`,
        ERROR_CODES.INTERNAL,
        `The ${name} middleware failed at the end of a request: ${describeError(error)}`,
      );
    }
  });
  const onFinish = (): void => run(true);
  const onClose = (): void => run(res.writableFinished);
  res.once('finish', onFinish);
  res.once('close', onClose);
}
