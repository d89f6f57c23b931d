/**
 * The worker writes answers to the cassettes in batches (at most 250 ms
 * apart). A run stopped by a signal (a cancelled CI job, Ctrl-C, Vitest's own
 * teardown of the worker) would lose the last batch and pay for those calls
 * again on the next run. So on SIGTERM or SIGINT the pending answers are
 * written first, then the signal is raised again and does what it would have.
 * @internal
 */

/** What a signal handler needs of `process`; tests pass a fake. */
export interface SignalTarget {
  pid: number;
  once(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
  kill(pid: number, signal: NodeJS.Signals): unknown;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/** The longest a signal waits for the flush: Vitest sends SIGKILL 500 ms after SIGTERM anyway. */
const FLUSH_LIMIT_MS = 400;

/**
 * Flush on SIGTERM and SIGINT, then re-raise the signal. Returns a function
 * that removes the handlers.
 *
 * @example
 * const stop = flushOnSignal(() => client.flush());
 */
export function flushOnSignal(flush: () => Promise<void>, target: SignalTarget = process): () => void {
  const handlers = SIGNALS.map((signal) => {
    const handler = (): void => {
      remove();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const limit = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, FLUSH_LIMIT_MS);
        timer.unref();
      });
      void Promise.race([flush().catch(() => undefined), limit]).then(() => {
        clearTimeout(timer);
        target.kill(target.pid, signal);
      });
    };
    target.once(signal, handler);
    return { signal, handler };
  });
  const remove = (): void => {
    for (const { signal, handler } of handlers) target.off(signal, handler);
  };
  return remove;
}
