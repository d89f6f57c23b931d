import { describe, expect, test } from 'vitest';
import type { ProviderError } from '../../../src/providers/errors.js';
import {
  ProviderBadRequestError,
  ProviderConnectionError,
  ProviderRateLimitError,
  ProviderServerError,
} from '../../../src/providers/errors.js';
import { backoffMs, withRetry } from '../../../src/providers/retry.js';
import type { RetryInfo } from '../../../src/providers/retry.js';

const details = { provider: 'openai', model: 'gpt-5' };

/** A fn that throws the given errors in turn, then returns 'ok'. */
function failing(...errors: Error[]): { fn: (attempt: number) => Promise<string>; attempts: number[] } {
  const attempts: number[] = [];
  return {
    attempts,
    fn: async (attempt) => {
      attempts.push(attempt);
      const error = errors[attempt - 1];
      if (error) throw error;
      return 'ok';
    },
  };
}

function recorder(): { sleeps: number[]; sleep: (ms: number) => Promise<void> } {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms) => void sleeps.push(ms) };
}

describe('backoffMs', () => {
  test('is full jitter over an exponential ceiling capped at capMs', () => {
    const options = { baseMs: 500, capMs: 30_000, random: () => 0.5 };
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((retry) => backoffMs(retry, options))).toEqual([
      250, 500, 1000, 2000, 4000, 8000, 15_000, 15_000,
    ]);
    expect(backoffMs(3, { ...options, random: () => 0 })).toBe(0);
    expect(backoffMs(3, { ...options, random: () => 0.999 })).toBe(1998);
  });

  test('never waits less than retry-after', () => {
    expect(backoffMs(1, { baseMs: 500, capMs: 30_000, random: () => 0.5, retryAfterMs: 1200 })).toBe(1200);
    expect(backoffMs(6, { baseMs: 500, capMs: 30_000, random: () => 0.5, retryAfterMs: 1200 })).toBe(8000);
  });
});

describe('withRetry', () => {
  test('honours retry-after-ms 1200, then succeeds', async () => {
    const { fn, attempts } = failing(new ProviderRateLimitError('429', { ...details, retryAfterMs: 1200 }));
    const { sleeps, sleep } = recorder();
    const retries: RetryInfo[] = [];
    const result = await withRetry(fn, {
      maxRetries: 4,
      sleep,
      random: () => 0.5,
      onRetry: (info) => retries.push(info),
    });
    expect(result).toBe('ok');
    expect(attempts).toEqual([1, 2]);
    expect(sleeps).toEqual([1200]);
    expect(retries.map(({ attempt, delayMs, error }) => [attempt, delayMs, error.code])).toEqual([
      [1, 1200, 'E_PROVIDER_RATE_LIMIT'],
    ]);
  });

  test('backs off exponentially with jitter when there is no retry-after', async () => {
    const { fn } = failing(
      new ProviderServerError('503', details),
      new ProviderConnectionError('reset', details),
      new ProviderServerError('502', details),
    );
    const { sleeps, sleep } = recorder();
    await expect(withRetry(fn, { maxRetries: 4, sleep, random: () => 0.5 })).resolves.toBe('ok');
    expect(sleeps).toEqual([250, 500, 1000]);
  });

  test('does not retry a non-retryable error, and sets attempts to 1', async () => {
    const error = new ProviderBadRequestError('400 unknown model', details);
    const { fn, attempts } = failing(error);
    const { sleeps, sleep } = recorder();
    await expect(withRetry(fn, { maxRetries: 4, sleep })).rejects.toBe(error);
    expect(attempts).toEqual([1]);
    expect(sleeps).toEqual([]);
    expect(error.attempts).toBe(1);
  });

  test('an exhausted budget throws the last provider error with attempts = maxRetries + 1', async () => {
    const errors = Array.from({ length: 5 }, (_, i) => new ProviderServerError(`503 #${i + 1}`, details));
    const { fn, attempts } = failing(...errors);
    const { sleeps, sleep } = recorder();
    const thrown = await withRetry(fn, { maxRetries: 3, sleep, random: () => 0 }).catch((e: unknown) => e);
    expect(thrown).toBe(errors[3]);
    expect((thrown as ProviderError).attempts).toBe(4);
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(sleeps).toEqual([0, 0, 0]);
  });

  test('maxRetries 0 tries once', async () => {
    const error = new ProviderServerError('503', details);
    const { fn, attempts } = failing(error);
    await expect(withRetry(fn, { maxRetries: 0, sleep: recorder().sleep })).rejects.toBe(error);
    expect(attempts).toEqual([1]);
    expect(error.attempts).toBe(1);
  });

  test('gives up at once when retry-after asks for more than maxWaitMs, and says why', async () => {
    const error = new ProviderRateLimitError('openai:gpt-5 answered 429: quota', {
      ...details,
      retryAfterMs: 3_600_000,
    });
    const { fn, attempts } = failing(error);
    const { sleeps, sleep } = recorder();
    await expect(withRetry(fn, { maxRetries: 4, sleep })).rejects.toBe(error);
    expect(attempts).toEqual([1]);
    expect(sleeps).toEqual([]);
    expect(error.message).toBe(
      'openai:gpt-5 answered 429: quota; the provider asked to wait 3600 s, more than the 60 s a retry may wait: try again later or raise the quota',
    );
  });

  test('an error that is not a provider error escapes at once, untouched', async () => {
    const bug = new TypeError('x is undefined');
    const { fn, attempts } = failing(bug);
    await expect(withRetry(fn, { maxRetries: 4, sleep: recorder().sleep })).rejects.toBe(bug);
    expect(attempts).toEqual([1]);
  });

  test('an abort during the backoff rejects with the abort reason and stops retrying', async () => {
    const controller = new AbortController();
    const { fn, attempts } = failing(
      new ProviderServerError('503', details),
      new ProviderServerError('503', details),
    );
    const sleep = async (_ms: number, signal?: AbortSignal): Promise<void> => {
      controller.abort(new Error('test timed out'));
      signal?.throwIfAborted();
    };
    await expect(withRetry(fn, { maxRetries: 4, sleep, signal: controller.signal })).rejects.toThrow(
      'test timed out',
    );
    expect(attempts).toEqual([1]);
  });

  test('the default sleep really waits', async () => {
    const { fn } = failing(new ProviderServerError('503', details));
    const started = performance.now();
    await withRetry(fn, { maxRetries: 1, baseMs: 40, random: () => 0.999 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
  });
});
