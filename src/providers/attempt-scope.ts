import type { Attempt } from './adapter.js';

/**
 * The signal and deadline of one attempt. The SDKs time out only until the
 * response headers arrive; this deadline also covers reading the body or stream.
 */
export interface AttemptScope {
  /** Aborts when the caller aborts or the deadline passes; give it to the SDK. */
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  /** Whether the deadline passed (an abort of ours, reported as a timeout). */
  timedOut(): boolean;
  /** Whether the caller's own signal aborted. */
  callerAborted(): boolean;
  /** Clear the timer and listeners. Call once the attempt is over. */
  dispose(): void;
}

/**
 * Start the clock of one attempt.
 *
 * @example
 * const scope = startAttempt({ timeoutMs: 30_000, signal })
 * try { await sdk.call({ signal: scope.signal }) } finally { scope.dispose() }
 */
export function startAttempt(attempt: Attempt): AttemptScope {
  const controller = new AbortController();
  let expired = false;
  const caller = attempt.signal;
  const onCallerAbort = (): void => controller.abort(caller?.reason);
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new Error(`deadline of ${attempt.timeoutMs} ms passed`));
  }, attempt.timeoutMs);
  if (caller?.aborted) onCallerAbort();
  else caller?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    timeoutMs: attempt.timeoutMs,
    timedOut: () => expired && !(caller?.aborted ?? false),
    callerAborted: () => caller?.aborted ?? false,
    dispose: () => {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}
