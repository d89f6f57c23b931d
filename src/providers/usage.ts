import type { CallPurpose, CallUsage, Price, UsageTotals } from './types.js';

/**
 * List prices of a few well-known models, US dollars per million tokens, as the
 * providers published them (reviewed 2026-11-27; this machine cannot reach the
 * pricing pages, so check before you bill by them). Deliberately short: prices
 * in rubric.yaml (`prices:`) win, and a model in neither is reported as not
 * priced rather than guessed.
 */
export const BUILTIN_PRICES: Readonly<Record<string, Price>> = {
  'anthropic:claude-sonnet-4-6': { input_per_mtok: 3, output_per_mtok: 15 },
  'anthropic:claude-sonnet-4-5': { input_per_mtok: 3, output_per_mtok: 15 },
  'anthropic:claude-opus-4-5': { input_per_mtok: 5, output_per_mtok: 25 },
  'anthropic:claude-haiku-4-5': { input_per_mtok: 1, output_per_mtok: 5 },
  'openai:gpt-5': { input_per_mtok: 1.25, output_per_mtok: 10 },
  'openai:gpt-5-mini': { input_per_mtok: 0.25, output_per_mtok: 2 },
  'openai:gpt-5-nano': { input_per_mtok: 0.05, output_per_mtok: 0.4 },
  'openai:gpt-4o': { input_per_mtok: 2.5, output_per_mtok: 10 },
  'openai:gpt-4o-mini': { input_per_mtok: 0.15, output_per_mtok: 0.6 },
  'openai:text-embedding-3-small': { input_per_mtok: 0.02, output_per_mtok: 0 },
  'openai:text-embedding-3-large': { input_per_mtok: 0.13, output_per_mtok: 0 },
  // Bedrock on-demand, in-region (and `global.` profiles): the same list prices as Anthropic's own API.
  // Geographic cross-region profiles (`us.`, `eu.`, `apac.`) are not listed: AWS prices them apart.
  'bedrock:anthropic.claude-sonnet-4-6': { input_per_mtok: 3, output_per_mtok: 15 },
  'bedrock:anthropic.claude-sonnet-4-5': { input_per_mtok: 3, output_per_mtok: 15 },
  'bedrock:anthropic.claude-opus-4-5': { input_per_mtok: 5, output_per_mtok: 25 },
  'bedrock:anthropic.claude-haiku-4-5': { input_per_mtok: 1, output_per_mtok: 5 },
  'bedrock:amazon.titan-embed-text-v2:0': { input_per_mtok: 0.02, output_per_mtok: 0 },
  'bedrock:cohere.embed-english-v3': { input_per_mtok: 0.1, output_per_mtok: 0 },
  'bedrock:cohere.embed-multilingual-v3': { input_per_mtok: 0.1, output_per_mtok: 0 },
  // Vertex AI: Gemini at the standard tier (prompts up to 200k tokens; thinking tokens are output), Claude as on Anthropic.
  'vertex:gemini-2.5-pro': { input_per_mtok: 1.25, output_per_mtok: 10 },
  'vertex:gemini-2.5-flash': { input_per_mtok: 0.3, output_per_mtok: 2.5 },
  'vertex:gemini-2.5-flash-lite': { input_per_mtok: 0.1, output_per_mtok: 0.4 },
  'vertex:gemini-embedding-001': { input_per_mtok: 0.15, output_per_mtok: 0 },
  'vertex:claude-sonnet-4-6': { input_per_mtok: 3, output_per_mtok: 15 },
  'vertex:claude-sonnet-4-5': { input_per_mtok: 3, output_per_mtok: 15 },
  'vertex:claude-opus-4-5': { input_per_mtok: 5, output_per_mtok: 25 },
  'vertex:claude-haiku-4-5': { input_per_mtok: 1, output_per_mtok: 5 },
};

/** A Bedrock model id's version and date: `-20250929-v1:0`, `-v1:0`; and the `global.` profile prefix. */
const BEDROCK_VERSION = /(-\d{8})?-v\d+(:\d+)?$/;

/** A dated snapshot suffix: `-2024-08-06` (OpenAI), `-20250929` (Anthropic) or `@20250929` (Claude on Vertex). */
const SNAPSHOT_SUFFIX = /-(\d{4}-\d{2}-\d{2}|\d{8})$|@\d{8}$/;

/**
 * The price of `provider:model`: an exact entry, else the entry of the model
 * without its dated snapshot suffix (Bedrock: without its date and version, and
 * a `global.` profile as its model). `prices` is the rubric's table, merged
 * over the built-in one.
 *
 * @example
 * priceOf('openai:gpt-4o-2024-08-06') // { input_per_mtok: 2.5, output_per_mtok: 10 }
 * priceOf('bedrock:global.anthropic.claude-sonnet-4-5-20250929-v1:0') // { input_per_mtok: 3, output_per_mtok: 15 }
 * priceOf('acme:private-model')       // undefined
 */
export function priceOf(modelId: string, prices: Record<string, Price> = {}): Price | undefined {
  const table: Record<string, Price> = { ...BUILTIN_PRICES, ...prices };
  const exact = table[modelId] ?? table[modelId.replace(SNAPSHOT_SUFFIX, '')];
  if (exact !== undefined || !modelId.startsWith('bedrock:')) return exact;
  const model = modelId.slice('bedrock:'.length).replace(/^global\./, '');
  return table[`bedrock:${model}`] ?? table[`bedrock:${model.replace(BEDROCK_VERSION, '')}`];
}

/**
 * Cost of one call in US dollars. An unknown model costs 0 with `priced: false`.
 *
 * @example
 * callCost('anthropic:claude-sonnet-4-6', 1_000, 500) // { costUsd: 0.0105, priced: true }
 */
export function callCost(
  modelId: string,
  inputTokens: number,
  outputTokens: number,
  prices: Record<string, Price> = {},
): { costUsd: number; priced: boolean } {
  const price = priceOf(modelId, prices);
  if (!price) return { costUsd: 0, priced: false };
  const costUsd = (inputTokens * price.input_per_mtok + outputTokens * price.output_per_mtok) / 1_000_000;
  return { costUsd, priced: true };
}

/**
 * Tokens, cost and latency of one call. A call answered from the cache
 * (`sent: false`) cost nothing, priced or not; one sent to a model with no
 * price is marked `unpriced`.
 *
 * @example
 * callUsage('openai:gpt-5', { inputTokens: 1_000, outputTokens: 500 }, 420, true)
 * // { inputTokens: 1000, outputTokens: 500, costUsd: 0.00625, latencyMs: 420 }
 */
export function callUsage(
  modelId: string,
  tokens: { inputTokens: number; outputTokens: number },
  latencyMs: number,
  sent: boolean,
  prices: Record<string, Price> = {},
): Pick<CallUsage, 'inputTokens' | 'outputTokens' | 'costUsd' | 'unpriced' | 'latencyMs'> {
  const cost = callCost(modelId, tokens.inputTokens, tokens.outputTokens, prices);
  return {
    inputTokens: tokens.inputTokens,
    outputTokens: tokens.outputTokens,
    costUsd: sent ? cost.costUsd : 0,
    ...(sent && !cost.priced ? { unpriced: true } : {}),
    latencyMs,
  };
}

/** The counts every usage total keeps (the scorecard's run `usage` and each case's). */
export interface CallCounts {
  calls: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  cached_calls: number;
  retries?: number | undefined;
}

/**
 * Zeroed counts, where a run's or a case's usage starts.
 *
 * @example
 * zeroCounts() // { calls: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, cached_calls: 0, retries: 0 }
 */
export function zeroCounts(): CallCounts & { retries: number } {
  return { calls: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, cached_calls: 0, retries: 0 };
}

/**
 * Adds one logical call (all its retries and samples) to `counts`: a cache hit
 * counts in `calls` and `cached_calls`, with the recorded answer's tokens.
 *
 * @example
 * const counts = zeroCounts();
 * countCall(counts, response.usage);
 */
export function countCall(counts: CallCounts, usage: CallUsage): void {
  counts.calls += 1;
  counts.input_tokens += usage.inputTokens;
  counts.output_tokens += usage.outputTokens;
  counts.cost_usd += usage.costUsd;
  if (usage.cached) counts.cached_calls += 1;
  counts.retries = (counts.retries ?? 0) + usage.retries;
}

/**
 * Adds counts already summed (a case's, a pass's) to `into`. Shared by the scorecard's totals and a
 * case's two passes.
 *
 * @example
 * const total = zeroCounts();
 * for (const c of cases) addCounts(total, c.usage);
 */
export function addCounts(into: CallCounts, from: CallCounts): void {
  into.calls += from.calls;
  into.input_tokens += from.input_tokens;
  into.output_tokens += from.output_tokens;
  into.cost_usd += from.cost_usd;
  into.cached_calls += from.cached_calls;
  if (from.retries !== undefined) into.retries = (into.retries ?? 0) + from.retries;
}

/** Accumulates `CallUsage` into the scorecard's `UsageTotals`. */
export interface UsageMeter {
  /** Count one logical call (all its retries and samples). */
  record(modelId: string, usage: CallUsage, purpose?: CallPurpose | undefined): void;
  totals(): UsageTotals;
  /** Models called for real that have no price, sorted: their cost counts as 0. */
  unpricedModels(): string[];
}

/**
 * A usage meter. Cache hits are counted in `calls` and `cached_calls`, cost 0,
 * and keep the token counts of the recorded answer (tokens describe the
 * answers; cost says what this run spent).
 *
 * @example
 * const meter = createUsageMeter();
 * meter.record('openai:gpt-5', response.usage, 'judge');
 * meter.totals().cost_usd
 */
export function createUsageMeter(prices: Record<string, Price> = {}): UsageMeter {
  const totals: UsageTotals = { ...zeroCounts(), by_purpose: {} };
  const unpriced = new Set<string>();

  return {
    record(modelId, usage, purpose) {
      countCall(totals, usage);
      if (!usage.cached && !priceOf(modelId, prices)) unpriced.add(modelId);
      if (purpose) {
        const slot = (totals.by_purpose[purpose] ??= { calls: 0, input_tokens: 0, output_tokens: 0 });
        slot.calls += 1;
        slot.input_tokens += usage.inputTokens;
        slot.output_tokens += usage.outputTokens;
      }
    },
    totals() {
      return structuredClone(totals);
    },
    unpricedModels() {
      return [...unpriced].sort();
    },
  };
}
