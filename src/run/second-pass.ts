/**
 * The second pass: a case whose first pass ended in a transient error (a provider fault that outlived its
 * retries, a judge that never answered well, a case timeout) runs once more, after the rest of its group
 * has finished and a cool-down, before its error counts (docs/guarantees.md "A bad provider day").
 * @internal
 */
import { addCounts } from '../providers/usage.js';
import type { CaseError, CaseResult } from '../scorecard/types.js';

/** Provider faults that another try later may not meet. Auth, bad requests, refusals and cache misses are not. */
const TRANSIENT_PROVIDER_CODES: ReadonlySet<string> = new Set([
  'E_PROVIDER_RATE_LIMIT',
  'E_PROVIDER_SERVER',
  'E_PROVIDER_TIMEOUT',
  'E_PROVIDER_CONNECTION',
  'E_PROVIDER_RESPONSE',
]);

/**
 * Whether a case's error may go away on a second pass: a transient provider fault, a judge reply that
 * did not parse after its retries, or the case's own timeout. An agent that threw, a missing key or
 * an unknown model would fail the same way again.
 *
 * @example
 * transient({ kind: 'provider', code: 'E_PROVIDER_RATE_LIMIT', message: '...' }) // true
 * transient({ kind: 'provider', code: 'E_PROVIDER_AUTH', message: '...' }) // false
 */
export function transient(error: CaseError): boolean {
  if (error.kind === 'timeout') return true;
  if (error.kind === 'judge') return error.code === 'E_JUDGE_REPLY';
  return error.kind === 'provider' && TRANSIENT_PROVIDER_CODES.has(error.code);
}

/** One group of concurrent tests (a subject's cases in one case file), as the second pass sees it. */
export interface SecondPassGroup {
  /** A case of the group finished for good (passed, failed, or errored with nothing to retry). */
  settled(): void;
  /**
   * A case errored transiently: wait until every other case of the group has settled or is waiting
   * too (or the waiters hold every concurrency slot, so no other case could start), then the
   * cool-down, shared by all who waited together. Resolves early, with no cool-down, when `signal`
   * aborts; at the latest after `maxWaitMs` plus the cool-down.
   */
  wait(signal?: AbortSignal): Promise<void>;
}

export interface SecondPassOptions {
  /** Tests in the group that will run (in scope). */
  size: number;
  /** Tests Vitest runs at once (`maxConcurrency`): waiters holding them all would block the rest. */
  slots: number;
  coolDownMs: number;
  /** The longest a waiter waits for the group before it goes ahead anyway. */
  maxWaitMs: number;
  /** Timers; tests pass fakes. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref?.());

/**
 * The coordinator of one group's second pass.
 *
 * @example
 * const group = secondPassGroup({ size: 20, slots: 32, coolDownMs: 30_000, maxWaitMs: 600_000 })
 * // in each test: run the case; if its error is transient, `await group.wait(signal)` and run it again;
 * // then `group.settled()`
 */
export function secondPassGroup(options: SecondPassOptions): SecondPassGroup {
  const sleep = options.sleep ?? realSleep;
  let settled = 0;
  let waiters: Array<() => void> = [];

  const release = (): void => {
    if (waiters.length === 0) return;
    const blocking = waiters.length >= options.slots;
    const quiet = settled + waiters.length >= options.size;
    if (!blocking && !quiet) return;
    const batch = waiters;
    waiters = [];
    // One cool-down for the batch: they go again together, after the provider had time to recover.
    void sleep(options.coolDownMs).then(() => {
      for (const go of batch) go();
    });
  };

  return {
    settled() {
      settled += 1;
      release();
    },
    wait(signal) {
      if (signal?.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        let done = false;
        const finish = (): void => {
          if (done) return;
          done = true;
          signal?.removeEventListener('abort', onAbort);
          clearTimeout(timer);
          resolve();
        };
        const go = (): void => finish();
        const onAbort = (): void => {
          waiters = waiters.filter((w) => w !== go);
          finish();
        };
        // Past the longest wait, this case goes ahead alone: the group is not quiet, but a bound is kept.
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== go);
          void sleep(options.coolDownMs).then(finish);
        }, options.maxWaitMs);
        timer.unref?.();
        signal?.addEventListener('abort', onAbort, { once: true });
        waiters.push(go);
        release();
      });
    },
  };
}

/**
 * A case's result after its second pass: the second pass's result, with the first pass's error kept
 * (`second_pass`) and the usage of both passes added, since both were paid for.
 *
 * @example
 * afterSecondPass(first, second).second_pass // { first_error: first.error, recovered: second.error === null }
 */
export function afterSecondPass(first: CaseResult, second: CaseResult): CaseResult {
  const a = first.usage;
  const b = second.usage;
  const usage = Object.assign({}, b);
  addCounts(usage, a);
  if (a.hand_written_calls !== undefined)
    usage.hand_written_calls = (b.hand_written_calls ?? 0) + a.hand_written_calls;
  const unpriced = [...new Set([...(a.unpriced ?? []), ...(b.unpriced ?? [])])].sort();
  if (unpriced.length > 0) usage.unpriced = unpriced;
  return Object.assign(second, {
    usage,
    second_pass: { first_error: first.error!, recovered: second.error === null },
  });
}
