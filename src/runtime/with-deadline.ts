/**
 * Waits for `work` at most `ms` milliseconds. Never rejects: a failure or a timeout is
 * returned as a value so that shutdown paths cannot throw into the app (docs/design.md decision 4).
 * The timer is unref'd so it never keeps the process alive on its own, unless `holdProcess`:
 * then the process lives until the work ends or the deadline comes, whatever the work waits on
 * (an OTLP export's retries wait without holding it: otlp/background-retrying-transport.ts).
 */
export async function withDeadline(
  work: Promise<unknown>,
  ms: number,
  holdProcess = false,
): Promise<
  | { readonly status: 'done' }
  | { readonly status: 'timeout' }
  | { readonly status: 'failed'; readonly error: unknown }
> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<{ status: 'timeout' }>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'timeout' }), Math.max(0, ms));
    if (!holdProcess) timer.unref();
  });
  try {
    return await Promise.race([
      work.then(
        () => ({ status: 'done' as const }),
        (error: unknown) => ({ status: 'failed' as const, error }),
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
