import { createAdapter } from './adapters.js';
import { ResponseCache } from './cache/cache.js';
import type { CacheHit, CacheReport } from './cache/cache.js';
import type { CacheSlot } from './cache/slot.js';
import type { StoredChatResponse, StoredEmbedResponse } from './cache/cassette.js';
import { policyTable, underPolicy } from './client-policy.js';
import type { PolicyOptions, ProviderPolicy } from './client-policy.js';
import { throwOnRefusal, withParsed } from './client-choices.js';
import { sampleChat } from './client-samples.js';
import { parseModelRef } from './model-ref.js';
import type { Sleep } from './retry.js';
import type {
  CacheMode,
  CallPurpose,
  CallUsage,
  ChatRequest,
  ChatResponse,
  EmbedRequest,
  EmbedResponse,
  ModelRef,
  ModelClient,
  Price,
  ProviderSettings,
} from './types.js';
import { callUsage, createUsageMeter, type UsageMeter } from './usage.js';

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
  /**
   * The retry budget's clock in milliseconds; `performance.now` by default. A test
   * that gives a `sleep` which does not wait gives one that the sleep advances.
   */
  clock?: (() => number) | undefined;
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
  const cache = new ResponseCache({
    mode: options.cache.mode,
    dir: options.cache.dir,
    now,
    warn: options.warn,
  });
  const meter = createUsageMeter(options.prices ?? {});
  const calls: Calls = {
    cache,
    meter,
    prices: options.prices ?? {},
    now,
    policyFor: policyTable({
      providers: options.providers,
      env: options.env,
      factory: options.adapterFactory ?? createAdapter,
    }),
    policyOptions: { clock: options.clock, sleep: options.sleep, random: options.random },
    replayPurposes: new Set(options.replayPurposes ?? []),
  };
  return {
    chat: (request) => chat(calls, request),
    embed: (request) => embed(calls, request),
    usage: () => meter.totals(),
    flush: () => cache.flush(),
    cacheReport: () => cache.report(),
    unpricedModels: () => meter.unpricedModels(),
  };
}

/** What every call of one client shares: its cache, meter, prices, clock and provider policies. */
interface Calls {
  cache: ResponseCache;
  meter: UsageMeter;
  prices: Record<string, Price>;
  now: () => number;
  policyFor: (ref: ModelRef) => ProviderPolicy;
  policyOptions: Omit<PolicyOptions, 'signal'>;
  /** Purposes answered only from the cassettes, whatever the mode. */
  replayPurposes: ReadonlySet<CallPurpose>;
}

async function chat(calls: Calls, request: ChatRequest): Promise<ChatResponse> {
  const started = calls.now();
  const ref = parseModelRef(request.model);
  const slot = calls.cache.slot('chat', ref, request);
  const found = await lookup(calls, slot, request.purpose);
  let response: ChatResponse;
  if ('hit' in found) {
    const stored = found.hit.response as StoredChatResponse;
    response = {
      model: stored.model,
      choices: request.responseSchema ? stored.choices.map(withParsed) : stored.choices,
      usage: cachedUsage(calls, ref, stored.usage, started, found.hit),
      requestId: stored.requestId,
    };
  } else {
    const { value, retries } = await sampleChat(found.policy, ref, request, calls.policyOptions);
    response = {
      model: value.model,
      choices: value.choices,
      usage: {
        ...callUsage(ref.id, value, calls.now() - started, true, calls.prices),
        ...(value.reasoningTokens === undefined ? {} : { reasoningTokens: value.reasoningTokens }),
        timeToFirstTokenMs: value.timeToFirstTokenMs,
        retries,
        cached: false,
      },
      requestId: value.requestId,
    };
    calls.cache.store(slot, response);
  }
  calls.meter.record(ref.id, response.usage, request.purpose);
  if (request.purpose && MUST_ANSWER.has(request.purpose)) throwOnRefusal(ref, response.choices);
  return response;
}

async function embed(calls: Calls, request: EmbedRequest): Promise<EmbedResponse> {
  const started = calls.now();
  const ref = parseModelRef(request.model);
  const slot = calls.cache.slot('embed', ref, request);
  const found = await lookup(calls, slot, request.purpose);
  let response: EmbedResponse;
  if ('hit' in found) {
    const stored = found.hit.response as StoredEmbedResponse;
    const usage = cachedUsage(calls, ref, stored.usage, started, found.hit);
    response = { model: stored.model, vectors: stored.vectors, usage };
  } else {
    const { policy } = found;
    const { value, retries } = await underPolicy(
      policy,
      ref,
      (attempt) => policy.adapter.embed(ref, request, attempt),
      { ...calls.policyOptions, signal: request.signal },
    );
    const tokens = { inputTokens: value.inputTokens, outputTokens: 0 };
    response = {
      model: value.model,
      vectors: value.vectors,
      usage: {
        ...callUsage(ref.id, tokens, calls.now() - started, true, calls.prices),
        retries,
        cached: false,
      },
    };
    calls.cache.store(slot, response);
  }
  calls.meter.record(ref.id, response.usage, request.purpose);
  return response;
}

/** The cached answer, or the policy to call with; throws when a miss cannot be called. */
async function lookup(
  calls: Calls,
  slot: CacheSlot,
  purpose: CallPurpose | undefined,
): Promise<{ hit: CacheHit } | { policy: ProviderPolicy }> {
  const { cache } = calls;
  const hit = await cache.lookup(slot);
  if (hit) return { hit };
  const policy = calls.policyFor(slot.ref);
  const replayOnly = purpose !== undefined && calls.replayPurposes.has(purpose);
  if (cache.mode === 'replay' || replayOnly) throw cache.missError(slot, policy.adapter.credentialsHint);
  if (cache.mode === 'auto' && !policy.adapter.hasCredentials) {
    throw cache.missError(slot, policy.adapter.credentialsHint, true);
  }
  return { policy };
}

/** The usage of an answer from the cache: its recorded tokens, no cost, no retries. */
function cachedUsage(
  calls: Calls,
  ref: ModelRef,
  tokens: { inputTokens: number; outputTokens: number; reasoningTokens?: number | undefined },
  started: number,
  hit: CacheHit,
): CallUsage {
  return {
    ...callUsage(ref.id, tokens, calls.now() - started, false, calls.prices),
    ...(tokens.reasoningTokens === undefined ? {} : { reasoningTokens: tokens.reasoningTokens }),
    retries: 0,
    cached: true,
    handWritten: hit.handWritten,
  };
}
