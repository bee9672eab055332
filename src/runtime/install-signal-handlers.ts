const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** What Lookout does when the process is asked to stop. */
export interface SignalActions {
  /**
   * The app has its own listener for the signal and decides when to exit: Lookout flushes and
   * keeps recording what the app still does (requests it finishes while closing).
   */
  appHandles(signal: NodeJS.Signals): void;
  /**
   * Nobody else listens: Lookout owns the exit. Resolves once the process may end; the signal
   * is then raised again, so the process ends exactly as it would have without Lookout.
   */
  lookoutHandles(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Flushes telemetry when the process is asked to stop, without taking the decision to exit
 * away from the app:
 *
 * 1. Lookout's listener runs first (prepended) and removes itself.
 * 2. If the app has its own listener for that signal, the app decides when to exit; Lookout
 *    only flushes (`appHandles`).
 * 3. If nobody else listens, Lookout finishes its work (`lookoutHandles`, bounded by its
 *    deadline) and then raises the signal again. The re-raise is synchronous with the end of
 *    that work: nothing the app does can slip in between.
 *
 * Returns a function that removes the listeners.
 */
export function installSignalHandlers(actions: SignalActions): () => void {
  const listeners = new Map<NodeJS.Signals, () => void>();
  const remove = () => {
    for (const [signal, listener] of listeners) process.removeListener(signal, listener);
    listeners.clear();
  };
  for (const signal of SIGNALS) {
    const listener = () => {
      process.removeListener(signal, listener);
      listeners.delete(signal);
      if (process.listenerCount(signal) > 0) {
        actions.appHandles(signal);
        return;
      }
      void actions.lookoutHandles(signal).finally(() => {
        remove();
        process.kill(process.pid, signal);
      });
    };
    listeners.set(signal, listener);
    process.prependListener(signal, listener);
  }
  return remove;
}
