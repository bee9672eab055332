import { AsyncResource } from 'node:async_hooks';
import { describeError, diagnostics, ERROR_CODES } from '../core.js';
import type { ExpressResponse } from './types.js';

/** How a response ended. */
export interface ResponseOutcome {
  /** False when the connection closed before the response was complete (client went away). */
  readonly finished: boolean;
}

interface Watcher {
  readonly name: string;
  readonly callback: (outcome: ResponseOutcome) => void;
}

interface Watchers {
  /** The async context of the first middleware that watched: its request context and trace. */
  readonly scope: AsyncResource;
  readonly list: Watcher[];
  done: boolean;
}

// This runs for every request, so the listeners are shared functions reading per-response
// state from here, rather than closures made per request.
const watching = new WeakMap<object, Watchers>();

function runWatchers(watchers: Watchers, finished: boolean): void {
  const outcome: ResponseOutcome = { finished };
  for (const { name, callback } of watchers.list) {
    try {
      callback(outcome);
    } catch (error) {
      diagnostics.errorOnce(
        `express:${name}`,
        ERROR_CODES.INTERNAL,
        `The ${name} middleware failed at the end of a request: ${describeError(error)}`,
      );
    }
  }
}

function settle(res: ExpressResponse, finished: boolean): void {
  const watchers = watching.get(res);
  if (watchers === undefined || watchers.done) return;
  watchers.done = true;
  res.removeListener('finish', onFinish);
  res.removeListener('close', onClose);
  watchers.scope.runInAsyncScope(runWatchers, undefined, watchers, finished);
}

function onFinish(this: ExpressResponse): void {
  settle(this, true);
}

function onClose(this: ExpressResponse): void {
  settle(this, this.writableFinished);
}

/**
 * Calls `callback` once when the response has finished, or when its connection closed first.
 * Callbacks run in the order they were registered, in the async context of the first caller
 * for this response (its request context and trace), not in whatever context Node emits the
 * event from. A callback that throws is reported once and never reaches the app (docs/design.md
 * decision 4).
 */
export function onResponseDone(
  res: ExpressResponse,
  name: string,
  callback: (outcome: ResponseOutcome) => void,
): void {
  let watchers = watching.get(res);
  if (watchers === undefined) {
    watchers = { scope: new AsyncResource('lookout.response'), list: [], done: false };
    watching.set(res, watchers);
    res.once('finish', onFinish);
    res.once('close', onClose);
  }
  if (!watchers.done) watchers.list.push({ name, callback });
}
