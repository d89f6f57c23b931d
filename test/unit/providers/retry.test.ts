import { describe, expect, test } from 'vitest';
import { createAdapter } from '../../../src/providers/adapters.js';
import { underPolicy, type ProviderPolicy } from '../../../src/providers/client-policy.js';
import type { ProviderError } from '../../../src/providers/errors.js';
import {
  CacheMissError,
  ModelRefusalError,
  ProviderAbortError,
  ProviderConnectionError,
  ProviderRateLimitError,
  ProviderServerError,
  ProviderTimeoutError,
  providerErrorFromStatus,
} from '../../../src/providers/errors.js';
import { createLimiter } from '../../../src/providers/limiter.js';
import { parseModelRef } from '../../../src/providers/model-ref.js';
import { backoffMs, withRetry } from '../../../src/providers/retry.js';
import type { RetryInfo } from '../../../src/providers/retry.js';

const details = { provider: 'openai', model: 'gpt-5' };
const BUDGET_MS = 240_000;

/**
 * A virtual clock: `sleep` records its wait and moves the clock on by it, and an
 * attempt moves it on by what it takes (a hang: the 60 s timeout).
 */
function virtualClock() {
  const clock = {
    t: 0,
    sleeps: [] as number[],
    starts: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.t += ms;
    },
  };
  return clock;
}

/** A fn that throws the given errors in turn (each after `takesMs` of the clock), then returns 'ok'. */
function failing(
  clock: ReturnType<typeof virtualClock>,
  errors: Error[],
  takesMs: (attempt: number) => number = () => 0,
): { fn: (attempt: number) => Promise<string>; attempts: number[] } {
  const attempts: number[] = [];
  return {
    attempts,
    fn: async (attempt) => {
      attempts.push(attempt);
      clock.starts.push(clock.t);
      clock.t += takesMs(attempt);
      const error = errors[attempt - 1];
      if (error) throw error;
      return 'ok';
    },
  };
}

const server = (n: number) =>
  Array.from({ length: n }, (_, i) => new ProviderServerError(`503 #${i + 1}`, details));

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
    const clock = virtualClock();
    const { fn, attempts } = failing(clock, [
      new ProviderRateLimitError('429', { ...details, retryAfterMs: 1200 }),
    ]);
    const retries: RetryInfo[] = [];
    const result = await withRetry(fn, {
      budgetMs: BUDGET_MS,
      ...clock,
      random: () => 0.5,
      onRetry: (info) => retries.push(info),
    });
    expect(result).toBe('ok');
    expect(attempts).toEqual([1, 2]);
    expect(clock.sleeps).toEqual([1200]);
    expect(retries.map(({ attempt, delayMs, error }) => [attempt, delayMs, error.code])).toEqual([
      [1, 1200, 'E_PROVIDER_RATE_LIMIT'],
    ]);
  });

  test('backs off exponentially with jitter when there is no retry-after', async () => {
    const clock = virtualClock();
    const { fn } = failing(clock, [
      new ProviderServerError('503', details),
      new ProviderConnectionError('reset', details),
      new ProviderServerError('529 overloaded', { ...details, status: 529 }),
    ]);
    await expect(withRetry(fn, { budgetMs: BUDGET_MS, ...clock, random: () => 0.5 })).resolves.toBe('ok');
    expect(clock.sleeps).toEqual([250, 500, 1000]);
  });

  test('retries until the budget: 20 retries fit in 240 s, the 21st wait would end past it', async () => {
    const clock = virtualClock();
    const errors = server(40);
    const { fn, attempts } = failing(clock, errors);
    const thrown = await withRetry(fn, { budgetMs: BUDGET_MS, ...clock, random: () => 0.5 }).catch(
      (e: unknown) => e,
    );
    expect(thrown).toBe(errors[20]);
    expect(attempts).toHaveLength(21);
    // 250 ms doubling to the 30 s cap, half of each ceiling (random 0.5): 15.75 s after 6 waits, then 15 s each.
    expect(clock.sleeps).toEqual([250, 500, 1000, 2000, 4000, 8000, ...Array<number>(14).fill(15_000)]);
    expect(clock.t).toBe(225_750);
    expect((thrown as ProviderError).attempts).toBe(21);
    expect((thrown as ProviderError).message).toBe(
      '503 #21; the next wait (15 s) would end past the 240 s retry budget (providers.openai.retry_budget_s): ' +
        'gave up after 21 attempts over 226 s; retry when the provider has recovered, or raise retry_budget_s',
    );
  });

  test('an attempt that starts before the deadline runs its full timeout; none starts after it', async () => {
    const hangs = () =>
      Array.from({ length: 4 }, () => new ProviderTimeoutError('no answer in 60000 ms', details));
    // Three hangs of 60 s and the retry waits: the fourth attempt starts at 181.75 s and answers.
    const three = virtualClock();
    const answered = failing(three, hangs().slice(0, 3), (attempt) => (attempt <= 3 ? 60_000 : 0));
    await expect(withRetry(answered.fn, { budgetMs: BUDGET_MS, ...three, random: () => 0.5 })).resolves.toBe(
      'ok',
    );
    expect(three.starts).toEqual([0, 60_250, 120_750, 181_750]);

    // A fourth hang runs to 241.75 s, past the budget, and is the error.
    const four = virtualClock();
    const errors = hangs();
    const lost = failing(four, errors, () => 60_000);
    const thrown = await withRetry(lost.fn, { budgetMs: BUDGET_MS, ...four, random: () => 0.5 }).catch(
      (e: unknown) => e,
    );
    expect(thrown).toBe(errors[3]);
    expect(four.starts).toEqual([0, 60_250, 120_750, 181_750]);
    expect(four.sleeps).toEqual([250, 500, 1000]);
    expect((thrown as ProviderError).message).toBe(
      'no answer in 60000 ms; the next wait (2 s) would end past the 240 s retry budget ' +
        '(providers.openai.retry_budget_s): gave up after 4 attempts over 242 s; ' +
        'retry when the provider has recovered, or raise retry_budget_s',
    );
  });

  test('a retry-after longer than the time left gives up at once, and says why', async () => {
    const clock = virtualClock();
    const errors = [
      new ProviderRateLimitError('openai:gpt-5 answered 429: slow down', { ...details, retryAfterMs: 4000 }),
      new ProviderRateLimitError('openai:gpt-5 answered 429: slow down', { ...details, retryAfterMs: 7000 }),
    ];
    const { fn, attempts } = failing(clock, errors);
    await expect(withRetry(fn, { budgetMs: 10_000, ...clock, random: () => 0.5 })).rejects.toBe(errors[1]);
    expect(attempts).toEqual([1, 2]);
    expect(clock.sleeps).toEqual([4000]);
    expect(errors[1]?.message).toBe(
      'openai:gpt-5 answered 429: slow down; the provider asked to wait 7 s, more than the 6 s left of the 10 s ' +
        'retry budget (providers.openai.retry_budget_s): gave up after 2 attempts over 4 s; ' +
        'retry when the provider has recovered, or raise retry_budget_s',
    );
  });

  test('gives up at once when retry-after asks for more than maxWaitMs, and says why', async () => {
    const clock = virtualClock();
    const error = new ProviderRateLimitError('openai:gpt-5 answered 429: quota', {
      ...details,
      retryAfterMs: 3_600_000,
    });
    const { fn, attempts } = failing(clock, [error]);
    await expect(withRetry(fn, { budgetMs: 7_200_000, ...clock })).rejects.toBe(error);
    expect(attempts).toEqual([1]);
    expect(clock.sleeps).toEqual([]);
    expect(error.message).toBe(
      'openai:gpt-5 answered 429: quota; the provider asked to wait 3600 s, more than the 60 s a retry may wait: ' +
        'gave up after 1 attempt over 0 s; try again later or raise the quota',
    );
  });

  test('max_retries, when set, caps the retries within the budget', async () => {
    const clock = virtualClock();
    const errors = server(5);
    const { fn, attempts } = failing(clock, errors);
    const thrown = await withRetry(fn, {
      budgetMs: BUDGET_MS,
      maxRetries: 3,
      ...clock,
      random: () => 0,
    }).catch((e: unknown) => e);
    expect(thrown).toBe(errors[3]);
    expect((thrown as ProviderError).attempts).toBe(4);
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(clock.sleeps).toEqual([0, 0, 0]);
    expect((thrown as ProviderError).message).toBe(
      '503 #4; providers.openai.max_retries is 3: gave up after 4 attempts over 0 s; ' +
        'retry when the provider has recovered, or remove max_retries to retry for the whole retry_budget_s',
    );
  });

  test('max_retries 0 tries once', async () => {
    const clock = virtualClock();
    const error = new ProviderServerError('503', details);
    const { fn, attempts } = failing(clock, [error]);
    await expect(withRetry(fn, { budgetMs: BUDGET_MS, maxRetries: 0, ...clock })).rejects.toBe(error);
    expect(attempts).toEqual([1]);
    expect(error.attempts).toBe(1);
  });

  const permanent: [string, () => ProviderError][] = [
    ['400', () => providerErrorFromStatus(400, 'bad schema', details)],
    ['401', () => providerErrorFromStatus(401, 'bad key', details)],
    ['403', () => providerErrorFromStatus(403, 'no access', details)],
    ['404', () => providerErrorFromStatus(404, 'no such model', details)],
    ['422', () => providerErrorFromStatus(422, 'unprocessable', details)],
    ['a refusal', () => new ModelRefusalError('I cannot help with that.', details)],
    ['a cache miss', () => new CacheMissError('no recording', { ...details, key: 'abc' })],
    ['an abort', () => new ProviderAbortError('aborted by its caller', details)],
  ];
  test.each(permanent)('%s fails at the first attempt, its message untouched', async (_, make) => {
    const clock = virtualClock();
    const error = make();
    const message = error.message;
    const { fn, attempts } = failing(clock, [error]);
    await expect(withRetry(fn, { budgetMs: BUDGET_MS, ...clock })).rejects.toBe(error);
    expect(attempts).toEqual([1]);
    expect(clock.sleeps).toEqual([]);
    expect(error.attempts).toBe(1);
    expect(error.message).toBe(message);
  });

  test('an error that is not a provider error escapes at once, untouched', async () => {
    const clock = virtualClock();
    const bug = new TypeError('x is undefined');
    const { fn, attempts } = failing(clock, [bug]);
    await expect(withRetry(fn, { budgetMs: BUDGET_MS, ...clock })).rejects.toBe(bug);
    expect(attempts).toEqual([1]);
  });

  test('an abort during the backoff rejects with the abort reason and stops retrying', async () => {
    const controller = new AbortController();
    const clock = virtualClock();
    const { fn, attempts } = failing(clock, server(2));
    const sleep = async (_ms: number, signal?: AbortSignal): Promise<void> => {
      controller.abort(new Error('test timed out'));
      signal?.throwIfAborted();
    };
    await expect(
      withRetry(fn, { budgetMs: BUDGET_MS, now: clock.now, sleep, signal: controller.signal }),
    ).rejects.toThrow('test timed out');
    expect(attempts).toEqual([1]);
  });

  test('the default sleep and clock really wait', async () => {
    const clock = virtualClock();
    const { fn } = failing(clock, server(1));
    const started = performance.now();
    await withRetry(fn, { budgetMs: 1000, baseMs: 40, random: () => 0.999 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
  });
});

describe('underPolicy', () => {
  test('time queued in our own limiter does not count against the retry budget', async () => {
    const clock = virtualClock();
    const limiter = createLimiter({ maxInFlight: 1 });
    const policy: ProviderPolicy = {
      adapter: createAdapter('openai', {}, { OPENAI_API_KEY: 'sk-test' }),
      limiter,
      timeoutMs: 60_000,
      retryBudgetMs: 10_000,
      maxRetries: undefined,
    };
    const errors = server(2);
    const { fn, attempts } = failing(clock, errors, () => 1000);
    // Another call holds the only slot for 30 s, three times the budget.
    const held = await limiter.acquire();
    const call = underPolicy(policy, parseModelRef('openai:gpt-5'), () => fn(attempts.length + 1), {
      clock: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
    });
    await Promise.resolve();
    clock.t += 30_000;
    held();
    await expect(call).resolves.toEqual({ value: 'ok', retries: 2 });
    expect(clock.starts).toEqual([30_000, 31_250, 32_750]);
    expect(clock.sleeps).toEqual([250, 500]);
  });
  describe('a provider that answers nothing', () => {
    const ref = parseModelRef('openai:gpt-5');
    const policyWithHealth = (): ProviderPolicy => ({
      adapter: createAdapter('openai', {}, { OPENAI_API_KEY: 'sk-test' }),
      limiter: createLimiter({}),
      timeoutMs: 60_000,
      retryBudgetMs: 10_000,
      maxRetries: undefined,
      health: { answeredAt: undefined, spent: 0, downSince: undefined },
    });
    const always503 = (clock: ReturnType<typeof virtualClock>) => failing(clock, server(1000), () => 100);
    const run = (
      policy: ProviderPolicy,
      clock: ReturnType<typeof virtualClock>,
      calls: ReturnType<typeof failing>,
    ) =>
      underPolicy(policy, ref, () => calls.fn(calls.attempts.length + 1), {
        clock: clock.now,
        sleep: clock.sleep,
        random: () => 0.5,
      });

    test('is down once two calls spent their whole budget: each call then tries once, until one is answered', async () => {
      const clock = virtualClock();
      const policy = policyWithHealth();
      const first = always503(clock);
      await expect(run(policy, clock, first)).rejects.toThrow('retry budget');
      expect(first.attempts.length).toBe(6); // 100 ms attempts, 250, 500, ... 4000 ms waits: the next, 8 s, ends past 10 s
      // One call alone may be unlucky: a second must spend its budget too.
      expect(policy.health?.downSince).toBeUndefined();
      const again = always503(clock);
      await expect(run(policy, clock, again)).rejects.toThrow('retry budget');
      expect(again.attempts.length).toBe(6);
      expect(policy.health?.downSince).toBe(clock.t);

      const second = always503(clock);
      const error = (await run(policy, clock, second).catch((e: unknown) => e)) as ProviderError;
      expect(second.attempts).toEqual([1]);
      expect(error.message).toBe(
        '503 #1; openai looks down (two calls spent their whole retry budget and nothing was answered since), so each call tries once: gave up after 1 attempt over 0.1 s; retry when the provider has recovered; the first answer ends this',
      );

      // An answer ends it: the next failing call has its whole budget again.
      const answered = failing(clock, []);
      await expect(run(policy, clock, answered)).resolves.toEqual({ value: 'ok', retries: 0 });
      expect(policy.health?.downSince).toBeUndefined();
      const third = always503(clock);
      await expect(run(policy, clock, third)).rejects.toThrow('retry budget');
      expect(third.attempts.length).toBe(6);
    });

    test('is not down when another call was answered while one spent its budget (a bad day, not an outage)', async () => {
      const clock = virtualClock();
      const policy = policyWithHealth();
      const spending = always503(clock);
      // Its first backoff waits until the other call has been answered.
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      let waits = 0;
      let downWhileSpending: number | undefined;
      const call = underPolicy(policy, ref, () => spending.fn(spending.attempts.length + 1), {
        clock: clock.now,
        random: () => 0.5,
        sleep: async (ms) => {
          clock.t += ms;
          if (waits++ === 0) await gate;
        },
      });
      await new Promise((r) => setImmediate(r));
      expect(spending.attempts).toEqual([1]);
      await expect(run(policy, clock, failing(clock, []))).resolves.toEqual({ value: 'ok', retries: 0 });
      open();
      await call.catch(() => {
        downWhileSpending = policy.health?.downSince;
      });
      expect(spending.attempts.length).toBe(6);
      expect(downWhileSpending).toBeUndefined();
      await expect(call).rejects.toThrow('retry budget');
      const next = always503(clock);
      await expect(run(policy, clock, next)).rejects.toThrow('retry budget');
      expect(next.attempts.length).toBeGreaterThan(1);
    });

    test('a refusal of the request (400) is an answer; a cap of max_retries never makes it down', async () => {
      const clock = virtualClock();
      const policy = { ...policyWithHealth(), maxRetries: 1 };
      await expect(run(policy, clock, always503(clock))).rejects.toThrow('max_retries is 1');
      expect(policy.health?.downSince).toBeUndefined();
      const bad = failing(clock, [providerErrorFromStatus(400, 'bad', details)]);
      await expect(run(policy, clock, bad)).rejects.toThrow('answered 400');
      expect(policy.health?.answeredAt).toBe(clock.t);
    });
  });
});
