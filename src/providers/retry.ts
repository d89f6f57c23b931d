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
  /** Retries after the first attempt; 0 means try once. */
  maxRetries: number;
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
  sleep?: Sleep | undefined;
  /** A number in [0, 1); `Math.random` by default. */
  random?: (() => number) | undefined;
  onRetry?: ((info: RetryInfo) => void) | undefined;
  signal?: AbortSignal | undefined;
}

const defaultSleep: Sleep = (ms, signal) => delay(ms, undefined, signal ? { signal } : {});

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
 * timeouts, resets, unusable answers) up to `maxRetries` times. Each call of
 * `fn` is a new request: it must take its own limiter slot. The error that
 * escapes is the last `ProviderError`, with `attempts` set; other errors escape
 * at once, untouched.
 *
 * @example
 * const reply = await withRetry(async (attempt) => {
 *   const release = await limiter.acquire();
 *   try { return await adapter.chat(ref, request, { timeoutMs: 60_000 }); } finally { release(); }
 * }, { maxRetries: 4, onRetry: ({ delayMs }) => console.log(`retrying in ${delayMs} ms`) });
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const baseMs = options.baseMs ?? 500;
  const capMs = options.capMs ?? 30_000;
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;

  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      error.attempts = attempt;
      if (!error.retryable || attempt > options.maxRetries || options.signal?.aborted) throw error;
      const retryAfterMs = retryAfterOf(error);
      if (retryAfterMs !== undefined && retryAfterMs > maxWaitMs) {
        error.message += `; the provider asked to wait ${Math.ceil(retryAfterMs / 1000)} s, more than the ${Math.round(maxWaitMs / 1000)} s a retry may wait: try again later or raise the quota`;
        throw error;
      }
      const delayMs = backoffMs(attempt, { baseMs, capMs, random, retryAfterMs });
      options.onRetry?.({ attempt, error, delayMs });
      await sleep(delayMs, options.signal);
    }
  }
}

function retryAfterOf(error: ProviderError): number | undefined {
  const value: unknown = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
