const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Flushes telemetry when the process is asked to stop, without taking the decision to exit
 * away from the app:
 *
 * 1. Lookout's listener runs first (prepended) and starts the flush at once.
 * 2. If the app has its own listener for that signal, the app decides when to exit; Lookout
 *    only flushes. (An app that exits synchronously should `await shutdown()` first.)
 * 3. If nobody else listens, Lookout waits for the flush (bounded by its deadline) and then
 *    re-raises the signal so the process ends exactly as it would have without Lookout.
 *
 * Returns a function that removes the listeners.
 */
export function installSignalHandlers(flush: () => Promise<void>): () => void {
  const listeners = new Map<NodeJS.Signals, () => void>();
  const remove = () => {
    for (const [signal, listener] of listeners) process.removeListener(signal, listener);
    listeners.clear();
  };
  for (const signal of SIGNALS) {
    const listener = () => {
      process.removeListener(signal, listener);
      listeners.delete(signal);
      const appListens = process.listenerCount(signal) > 0;
      const flushing = flush();
      if (appListens) return;
      void flushing.finally(() => {
        remove();
        process.kill(process.pid, signal);
      });
    };
    listeners.set(signal, listener);
    process.prependListener(signal, listener);
  }
  return remove;
}
