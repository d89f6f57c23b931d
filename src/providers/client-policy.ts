import type { Attempt, ProviderAdapter } from './adapter.js';
import type { createAdapter } from './adapters.js';
import { ProviderAbortError, ProviderError } from './errors.js';
import { createLimiter } from './limiter.js';
import type { Limiter } from './limiter.js';
import { withRetry } from './retry.js';
import type { Sleep } from './retry.js';
import type { ModelRef, ProviderSettings, SupportedProvider } from './types.js';

/** The settings the policies are built from: `providers:` of rubric.yaml, the environment, the adapter factory. */
export interface PolicySettings {
  providers?: Record<string, ProviderSettings> | undefined;
  env: Record<string, string | undefined>;
  factory: typeof createAdapter;
}

/**
 * Defaults of `providers.<name>` in rubric.yaml. `retry_budget_s` is argued in
 * docs/guarantees.md (the faults section); `max_retries` has no default: no count cap.
 */
export const PROVIDER_DEFAULTS = { timeout_s: 60, retry_budget_s: 240 } as const;

/** One provider as the client uses it: its adapter, its limiter and its limits. */
export interface ProviderPolicy {
  readonly adapter: ProviderAdapter;
  readonly limiter: Limiter;
  readonly timeoutMs: number;
  /** How long a call retries transient faults; time queued in `limiter` does not count. */
  readonly retryBudgetMs: number;
  /** A cap on the retries of a call, when `max_retries` is set. */
  readonly maxRetries: number | undefined;
}

/**
 * Build the adapter and limiter of a provider from its settings.
 *
 * @example
 * const policy = providerPolicy('anthropic', { rpm: 50, max_in_flight: 8 }, process.env, createAdapter);
 */
export function providerPolicy(
  provider: SupportedProvider,
  settings: ProviderSettings,
  env: Record<string, string | undefined>,
  factory: typeof createAdapter,
): ProviderPolicy {
  return {
    adapter: factory(provider, settings, env),
    limiter: createLimiter({ rpm: settings.rpm, maxInFlight: settings.max_in_flight }),
    timeoutMs: (settings.timeout_s ?? PROVIDER_DEFAULTS.timeout_s) * 1000,
    retryBudgetMs: (settings.retry_budget_s ?? PROVIDER_DEFAULTS.retry_budget_s) * 1000,
    maxRetries: settings.max_retries,
  };
}

/**
 * The policy of each provider, built on its first call and then shared by every
 * call to it (one limiter per provider and process).
 *
 * @example
 * const policyFor = policyTable({ providers: rubric.providers, env: process.env, factory: createAdapter });
 * policyFor(parseModelRef('openai:gpt-5')).retryBudgetMs // 240_000
 */
export function policyTable(settings: PolicySettings): (ref: ModelRef) => ProviderPolicy {
  const policies = new Map<SupportedProvider, ProviderPolicy>();
  return (ref) => {
    let policy = policies.get(ref.provider);
    if (!policy) {
      policy = providerPolicy(
        ref.provider,
        settings.providers?.[ref.provider] ?? {},
        settings.env,
        settings.factory,
      );
      policies.set(ref.provider, policy);
    }
    return policy;
  };
}

export interface PolicyOptions {
  /** The retry budget's clock in ms; `performance.now` by default. */
  clock?: (() => number) | undefined;
  sleep?: Sleep | undefined;
  random?: (() => number) | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * One request under the provider's policy: each attempt takes a limiter slot
 * (a retry is a new request), runs with the per-attempt timeout, and faults
 * are retried with backoff until the retry budget is spent. Time spent waiting
 * for a slot does not count against the budget: it is our own pacing, not a
 * fault. Returns the value and how many retries it took. An abort while
 * waiting for a slot or a backoff becomes a `ProviderAbortError`.
 *
 * @example
 * const { value, retries } = await underPolicy(policy, ref, (attempt) => policy.adapter.chat(ref, request, attempt), {});
 */
export async function underPolicy<T>(
  policy: ProviderPolicy,
  ref: ModelRef,
  attempt: (attempt: Attempt) => Promise<T>,
  options: PolicyOptions,
): Promise<{ value: T; retries: number }> {
  const { signal } = options;
  const clock = options.clock ?? (() => performance.now());
  let retries = 0;
  let queuedMs = 0;
  // The SDK is loaded before the first slot is taken, so a start is a request on the wire (adapter.ts `ready`).
  await policy.adapter.ready?.();
  try {
    const value = await withRetry(
      async () => {
        const queued = clock();
        const release = await policy.limiter.acquire(signal);
        queuedMs += clock() - queued;
        try {
          return await attempt({ timeoutMs: policy.timeoutMs, signal });
        } finally {
          release();
        }
      },
      {
        budgetMs: policy.retryBudgetMs,
        maxRetries: policy.maxRetries,
        now: () => clock() - queuedMs,
        sleep: options.sleep,
        random: options.random,
        signal,
        onRetry: () => {
          retries += 1;
        },
      },
    );
    return { value, retries };
  } catch (error) {
    if (signal?.aborted && !(error instanceof ProviderError)) {
      throw new ProviderAbortError(`${ref.id}: the call was aborted by its caller; nothing to do`, {
        provider: ref.provider,
        model: ref.model,
        attempts: retries + 1,
        cause: error,
      });
    }
    throw error;
  }
}
