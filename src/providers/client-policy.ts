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
  /** Whether the provider answers; absent in a policy built by hand (a test), which then never counts as down. */
  readonly health?: ProviderHealth | undefined;
}

/**
 * Whether a provider answers at all. A provider is down once two calls have each spent their whole
 * retry budget with nothing answered since they began: from then on each call tries once, until one
 * is answered. A run against a provider that is down for good then ends in minutes, not in a retry
 * budget per case; a provider that answers some calls (a bad day, not an outage) is never down, and
 * one unlucky call alone at the end of a run does not make it so.
 */
export interface ProviderHealth {
  /** The clock reading (ms) of the last answer: a reply, or an error that is not a fault (400, 401). */
  answeredAt: number | undefined;
  /** Calls that spent their whole budget with nothing answered since they began, since the last answer. */
  spent: number;
  /** When the provider was found down; `undefined` while it answers. */
  downSince: number | undefined;
}

/** Calls that must spend their whole budget, unanswered, before a provider counts as down. */
const DOWN_AFTER = 2;

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
    health: { answeredAt: undefined, spent: 0, downSince: undefined },
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
  await policy.adapter.ready?.(ref);
  const health = policy.health;
  const began = clock();
  const down = health?.downSince !== undefined;
  const answered = (): void => {
    if (!health) return;
    health.answeredAt = clock();
    health.spent = 0;
    health.downSince = undefined;
  };
  try {
    const value = await withRetry(
      async () => {
        const queued = clock();
        const release = await policy.limiter.acquire(signal);
        queuedMs += clock() - queued;
        try {
          const value = await attempt({ timeoutMs: policy.timeoutMs, signal });
          answered();
          return value;
        } catch (error) {
          // A refusal of the request itself (400, 401, 404) is an answer: the provider is up.
          if (error instanceof ProviderError && !error.retryable && !(error instanceof ProviderAbortError)) {
            answered();
          }
          throw error;
        } finally {
          release();
        }
      },
      {
        // A provider found down gets one attempt per call until one is answered.
        budgetMs: down ? 0 : policy.retryBudgetMs,
        spentNote: down
          ? {
              why: `${ref.provider} looks down (two calls spent their whole retry budget and nothing was answered since), so each call tries once`,
              fix: 'retry when the provider has recovered; the first answer ends this',
            }
          : undefined,
        onBudgetSpent: () => {
          if (!health || down || (health.answeredAt !== undefined && health.answeredAt >= began)) return;
          health.spent += 1;
          if (health.spent >= DOWN_AFTER) health.downSince = clock();
        },
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
