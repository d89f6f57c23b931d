import { createAdapter } from './adapters.js';
import { ResponseCache } from './cache/cache.js';
import type { CacheHit, CacheReport, CacheSlot } from './cache/cache.js';
import type { StoredChatResponse, StoredEmbedResponse } from './cache/cassette.js';
import { providerPolicy, underPolicy } from './client-policy.js';
import type { ProviderPolicy } from './client-policy.js';
import { mergeSamples, throwOnRefusal, withParsed } from './client-choices.js';
import { ProviderBadRequestError } from './errors.js';
import { parseModelRef } from './model-ref.js';
import type { Sleep } from './retry.js';
import type {
  CacheMode,
  CallPurpose,
  CallUsage,
  ChatRequest,
  ChatResponse,
  EmbedResponse,
  ModelClient,
  ModelRef,
  Price,
  ProviderSettings,
  SupportedProvider,
} from './types.js';
import { callCost, createUsageMeter } from './usage.js';

export interface ModelClientOptions {
  /** `providers:` of rubric.yaml: rate limits, timeouts, retries, base URLs, per provider. */
  providers?: Record<string, ProviderSettings> | undefined;
  /** `prices:` of rubric.yaml, merged over the built-in table. */
  prices?: Record<string, Price> | undefined;
  /** The mode comes from `cacheModeFromEnv(env)` in the caller. */
  cache: { mode: CacheMode; dir: string };
  /** Where keys and base URLs are read; `process.env` in production. */
  env: Record<string, string | undefined>;
  adapterFactory?: typeof createAdapter | undefined;
  sleep?: Sleep | undefined;
  /** Wall clock in milliseconds, for latency and `recorded_at`. */
  now?: (() => number) | undefined;
  random?: (() => number) | undefined;
  /**
   * Calls of these purposes are answered only from the cassettes, whatever the
   * mode: `qualify rescore` replays the agent and calls only the judge.
   */
  replayPurposes?: readonly CallPurpose[] | undefined;
  /** Warnings (an unfinished cassette line); `console.warn` by default. */
  warn?: ((message: string) => void) | undefined;
}

/** The model client, plus what the scorecard reports about the run. */
export interface QualifyModelClient extends ModelClient {
  /** Cache hits, and whether any came from a hand-written cassette. */
  cacheReport(): CacheReport;
  /** Models called for real that have no price (their cost counted as 0). */
  unpricedModels(): string[];
}

/** Purposes whose callers need an answer: a refusal there is an error, not a result. */
const MUST_ANSWER: ReadonlySet<CallPurpose> = new Set(['judge', 'faithfulness', 'answer_relevancy']);

/**
 * The one client every model call goes through: the response cache first, then
 * the provider's limiter, retries and timeout around one adapter attempt, with
 * tokens, cost and latency accounted.
 *
 * A refusal is returned as is to the agent (and to probes); for the judge and
 * the ragas metrics it is a `ModelRefusalError`. `n > 1` on a provider without
 * `n` is sent as `n` parallel single-sample requests, each under the limiter.
 *
 * @example
 * const client = createModelClient({ cache: { mode: cacheModeFromEnv(process.env), dir: 'eval/cassettes' }, env: process.env });
 * const reply = await client.chat({ model: 'anthropic:claude-sonnet-4-6', messages: [{ role: 'user', content: 'Hi' }] });
 * await client.flush();
 */
export function createModelClient(options: ModelClientOptions): QualifyModelClient {
  const now = options.now ?? Date.now;
  const prices = options.prices ?? {};
  const factory = options.adapterFactory ?? createAdapter;
  const cache = new ResponseCache({
    mode: options.cache.mode,
    dir: options.cache.dir,
    now,
    warn: options.warn,
  });
  const meter = createUsageMeter(prices);
  const replayPurposes = new Set(options.replayPurposes ?? []);
  const policies = new Map<SupportedProvider, ProviderPolicy>();
  const policyOptions = { sleep: options.sleep, random: options.random };

  function policyFor(ref: ModelRef): ProviderPolicy {
    let policy = policies.get(ref.provider);
    if (!policy) {
      policy = providerPolicy(ref.provider, options.providers?.[ref.provider] ?? {}, options.env, factory);
      policies.set(ref.provider, policy);
    }
    return policy;
  }

  /** The cached answer, or the policy to call with; throws when a miss cannot be called. */
  async function lookup(
    slot: CacheSlot,
    purpose: CallPurpose | undefined,
  ): Promise<{ hit: CacheHit } | { policy: ProviderPolicy }> {
    const hit = await cache.lookup(slot);
    if (hit) return { hit };
    const policy = policyFor(slot.ref);
    const replayOnly = purpose !== undefined && replayPurposes.has(purpose);
    if (cache.mode === 'replay' || replayOnly) throw cache.missError(slot, policy.adapter.credentialsHint);
    if (cache.mode === 'auto' && !policy.adapter.hasCredentials) {
      throw cache.missError(slot, policy.adapter.credentialsHint, true);
    }
    return { policy };
  }

  /** Tokens, cost and latency of a call; a cache hit (`sent: false`) cost nothing, priced or not. */
  function usageOf(
    ref: ModelRef,
    tokens: { inputTokens: number; outputTokens: number },
    started: number,
    sent: boolean,
  ) {
    const cost = callCost(ref.id, tokens.inputTokens, tokens.outputTokens, prices);
    return {
      inputTokens: tokens.inputTokens,
      outputTokens: tokens.outputTokens,
      costUsd: sent ? cost.costUsd : 0,
      ...(sent && !cost.priced ? { unpriced: true } : {}),
      latencyMs: now() - started,
    };
  }

  async function sampleChat(policy: ProviderPolicy, ref: ModelRef, request: ChatRequest) {
    const n = request.n ?? 1;
    if (!Number.isInteger(n) || n < 1) {
      throw new ProviderBadRequestError(
        `${ref.id}: n must be a whole number of samples, 1 or more; got ${n}`,
        {
          provider: ref.provider,
          model: ref.model,
        },
      );
    }
    const call = (req: ChatRequest, signal: AbortSignal | undefined) =>
      underPolicy(policy, ref, (attempt) => policy.adapter.chat(ref, req, attempt), {
        ...policyOptions,
        signal,
      });
    if (n === 1 || policy.adapter.supportsN) return call(request, request.signal);
    // Fan out; the first failure cancels the other samples.
    const cancel = new AbortController();
    const signal = request.signal ? AbortSignal.any([request.signal, cancel.signal]) : cancel.signal;
    const single: ChatRequest = { ...request, n: undefined };
    const samples = await Promise.all(
      Array.from({ length: n }, () =>
        call(single, signal).catch((error: unknown) => {
          cancel.abort(error);
          throw error;
        }),
      ),
    ).finally(() => cancel.abort());
    return {
      value: mergeSamples(samples.map((s) => s.value)),
      retries: samples.reduce((sum, s) => sum + s.retries, 0),
    };
  }

  return {
    async chat(request) {
      const started = now();
      const ref = parseModelRef(request.model);
      const slot = cache.slot('chat', ref, request);
      const found = await lookup(slot, request.purpose);
      let response: ChatResponse;
      if ('hit' in found) {
        const stored = found.hit.response as StoredChatResponse;
        response = {
          model: stored.model,
          choices: request.responseSchema ? stored.choices.map(withParsed) : stored.choices,
          usage: {
            ...usageOf(ref, stored.usage, started, false),
            retries: 0,
            cached: true,
            handWritten: found.hit.handWritten,
          },
          requestId: stored.requestId,
        };
      } else {
        const { value, retries } = await sampleChat(found.policy, ref, request);
        response = {
          model: value.model,
          choices: value.choices,
          usage: {
            ...usageOf(ref, value, started, true),
            timeToFirstTokenMs: value.timeToFirstTokenMs,
            retries,
            cached: false,
          },
          requestId: value.requestId,
        };
        cache.store(slot, response);
      }
      meter.record(ref.id, response.usage, request.purpose);
      if (request.purpose && MUST_ANSWER.has(request.purpose)) throwOnRefusal(ref, response.choices);
      return response;
    },

    async embed(request) {
      const started = now();
      const ref = parseModelRef(request.model);
      const slot = cache.slot('embed', ref, request);
      const found = await lookup(slot, request.purpose);
      let response: EmbedResponse;
      if ('hit' in found) {
        const stored = found.hit.response as StoredEmbedResponse;
        const usage: CallUsage = {
          ...usageOf(ref, stored.usage, started, false),
          retries: 0,
          cached: true,
          handWritten: found.hit.handWritten,
        };
        response = { model: stored.model, vectors: stored.vectors, usage };
      } else {
        const { policy } = found;
        const { value, retries } = await underPolicy(
          policy,
          ref,
          (attempt) => policy.adapter.embed(ref, request, attempt),
          { ...policyOptions, signal: request.signal },
        );
        const tokens = { inputTokens: value.inputTokens, outputTokens: 0 };
        response = {
          model: value.model,
          vectors: value.vectors,
          usage: { ...usageOf(ref, tokens, started, true), retries, cached: false },
        };
        cache.store(slot, response);
      }
      meter.record(ref.id, response.usage, request.purpose);
      return response;
    },

    usage: () => meter.totals(),
    flush: () => cache.flush(),
    cacheReport: () => cache.report(),
    unpricedModels: () => meter.unpricedModels(),
  };
}
