import { setTimeout as delay } from 'node:timers/promises';
import { ProviderError } from './errors.js';

/** Sleep `ms`, rejecting early when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryInfo {
  /** The attempt that failed, 1-based. */
  attempt: number;
  error: ProviderError;
  /** How long the next attempt waits. */
  delayMs: number;
}

export interface RetryOptions {
  /**
   * How long a call may keep retrying transient faults, in ms of `now`, from the
   * start of its first attempt. A retry whose wait would end past this deadline is
   * not made; an attempt that started before it runs its full timeout.
   */
  budgetMs: number;
  /** At most this many retries after the first attempt, within the budget; no count cap when absent. */
  maxRetries?: number | undefined;
  /** First backoff ceiling; doubles with each retry. */
  baseMs?: number | undefined;
  /** Largest backoff ceiling. */
  capMs?: number | undefined;
  /**
   * Longest wait a provider's `retry-after` may ask for. When it asks for more (a
   * spent daily quota, say), the call gives up at once with that error instead of
   * sleeping through the run.
   */
  maxWaitMs?: number | undefined;
  /** The budget's clock in ms; `performance.now` by default. */
  now?: (() => number) | undefined;
  sleep?: Sleep | undefined;
  /** A number in [0, 1); `Math.random` by default. */
  random?: (() => number) | undefined;
  onRetry?: ((info: RetryInfo) => void) | undefined;
  /** Called when a retryable error escapes because the budget was spent (not a cap or a long retry-after). */
  onBudgetSpent?: (() => void) | undefined;
  /** What the escaping error says instead of the budget's reason, when the budget is spent (a provider found down). */
  spentNote?: { why: string; fix: string } | undefined;
  signal?: AbortSignal | undefined;
}

const defaultSleep: Sleep = (ms, signal) => delay(ms, undefined, signal ? { signal } : {});
const defaultNow = (): number => performance.now();

/**
 * The wait before retry number `retry` (1-based): full jitter over an exponential
 * ceiling, and never less than the provider's `retry-after`.
 *
 * @example
 * backoffMs(3, { baseMs: 500, capMs: 30_000, random: () => 0.5 }) // 1000 (half of 2000)
 * backoffMs(1, { baseMs: 500, capMs: 30_000, random: () => 0.5, retryAfterMs: 1200 }) // 1200
 */
export function backoffMs(
  retry: number,
  options: { baseMs: number; capMs: number; random: () => number; retryAfterMs?: number | undefined },
): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** (retry - 1));
  const jittered = Math.floor(options.random() * ceiling);
  return Math.max(jittered, options.retryAfterMs ?? 0);
}

/**
 * Run `fn`, retrying provider errors whose `retryable` is true (429, 5xx,
 * timeouts, resets, unusable answers) until `budgetMs` has passed (and at most
 * `maxRetries` times, when set). The wait before a retry is full jitter over a
 * ceiling that doubles from `baseMs` up to `capMs`, and at least the provider's
 * `retry-after`; a retry whose wait would end past the deadline is not made, so
 * no attempt starts after it, and a `retry-after` beyond `maxWaitMs` gives up at once. Each call of `fn` is a new
 * request: it must take its own limiter slot. The error that escapes is the last
 * `ProviderError`, with `attempts` set and, after retries, how many attempts over
 * how long and what to do; other errors escape at once, untouched.
 *
 * @example
 * const reply = await withRetry(async (attempt) => {
 *   const release = await limiter.acquire();
 *   try { return await adapter.chat(ref, request, { timeoutMs: 60_000 }); } finally { release(); }
 * }, { budgetMs: 240_000, onRetry: ({ delayMs }) => console.log(`retrying in ${delayMs} ms`) });
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const baseMs = options.baseMs ?? 500;
  const capMs = options.capMs ?? 30_000;
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  const now = options.now ?? defaultNow;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const started = now();
  const deadline = started + options.budgetMs;

  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      error.attempts = attempt;
      if (!error.retryable || options.signal?.aborted) throw error;
      const retryAfterMs = retryAfterOf(error);
      const delayMs = backoffMs(attempt, { baseMs, capMs, random, retryAfterMs });
      const stop = reasonToStop(error, {
        ...options,
        maxWaitMs,
        retryAfterMs,
        delayMs,
        leftMs: deadline - now(),
      });
      if (stop !== undefined) {
        const reason = stop.budget ? (options.spentNote ?? stop) : stop;
        error.message += `; ${reason.why}: gave up after ${plural(attempt, 'attempt')} over ${seconds(now() - started)}; ${reason.fix}`;
        if (stop.budget) options.onBudgetSpent?.();
        throw error;
      }
      options.onRetry?.({ attempt, error, delayMs });
      await sleep(delayMs, options.signal);
    }
  }
}

/**
 * Why a retryable error is not retried, or `undefined`: no retry left of `maxRetries`,
 * a `retry-after` beyond `maxWaitMs`, or a wait that would end past the deadline
 * (a `retry-after` longer than the time left, or the budget spent).
 */
function reasonToStop(
  error: ProviderError,
  options: {
    budgetMs: number;
    maxRetries?: number | undefined;
    maxWaitMs: number;
    retryAfterMs: number | undefined;
    delayMs: number;
    leftMs: number;
  },
): { why: string; fix: string; budget?: true } | undefined {
  const settings = `providers.${error.provider}`;
  const budget = `the ${seconds(options.budgetMs)} retry budget (${settings}.retry_budget_s)`;
  const later = 'retry when the provider has recovered';
  const { retryAfterMs, leftMs } = options;
  if (options.maxRetries !== undefined && error.attempts > options.maxRetries) {
    return {
      why: `${settings}.max_retries is ${options.maxRetries}`,
      fix: `${later}, or remove max_retries to retry for the whole retry_budget_s`,
    };
  }
  const asked = `the provider asked to wait ${seconds(retryAfterMs ?? 0)}`;
  if (retryAfterMs !== undefined && retryAfterMs > options.maxWaitMs) {
    return {
      why: `${asked}, more than the ${seconds(options.maxWaitMs)} a retry may wait`,
      fix: 'try again later or raise the quota',
    };
  }
  if (options.delayMs <= leftMs) return undefined;
  if (retryAfterMs !== undefined && retryAfterMs === options.delayMs) {
    return {
      why: `${asked}, more than the ${seconds(Math.max(0, leftMs))} left of ${budget}`,
      fix: `${later}, or raise retry_budget_s`,
      budget: true,
    };
  }
  return {
    why: `the next wait (${seconds(options.delayMs)}) would end past ${budget}`,
    fix: `${later}, or raise retry_budget_s`,
    budget: true,
  };
}

function retryAfterOf(error: ProviderError): number | undefined {
  const value: unknown = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** `0.3 s`, `12.5 s`, `3600 s`: a tenth of a second below a minute, whole seconds above. */
function seconds(ms: number): string {
  const s = ms / 1000;
  return `${s < 60 ? Math.round(s * 10) / 10 : Math.round(s)} s`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
