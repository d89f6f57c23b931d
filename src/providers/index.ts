export { createModelClient } from './client.js';
export type { ModelClientOptions, QualifyModelClient } from './client.js';
export { PROVIDER_DEFAULTS } from './client-policy.js';
export { CACHE_MODES, cacheModeFromEnv } from './cache/mode.js';
export { ResponseCache } from './cache/cache.js';
export type { CacheHit, CacheReport, ResponseCacheOptions } from './cache/cache.js';
export type { CacheSlot } from './cache/slot.js';
export { CASSETTE_FORMAT, cassettePath } from './cache/cassette.js';
export type { CassetteEntry, CassetteHeader } from './cache/cassette.js';
export { cacheKey, canonicalJson, keyedRequest } from './cache/key.js';
export type { CacheKind } from './cache/key.js';
export { createLimiter } from './limiter.js';
export type { Limiter, LimiterOptions, LimiterTimers, Release } from './limiter.js';
export { backoffMs, withRetry } from './retry.js';
export type { RetryInfo, RetryOptions, Sleep } from './retry.js';
export { BUILTIN_PRICES, callCost, createUsageMeter, priceOf } from './usage.js';
export type { UsageMeter } from './usage.js';
export { createAdapter } from './adapters.js';
export type { ProviderAdapter } from './adapter.js';
export { parseModelRef } from './model-ref.js';
export {
  CacheMissError,
  ModelRefusalError,
  ProviderAbortError,
  ProviderAuthError,
  ProviderBadRequestError,
  ProviderConnectionError,
  ProviderError,
  ProviderRateLimitError,
  ProviderResponseError,
  ProviderServerError,
  ProviderTimeoutError,
} from './errors.js';
export { PROVIDERS, SUPPORTED_PROVIDERS } from './types.js';
export type {
  CacheMode,
  CallPurpose,
  CallUsage,
  ChatChoice,
  ChatMessage,
  ChatRequest,
  ChatResponse,
  EmbedRequest,
  EmbedResponse,
  ModelClient,
  ModelRef,
  Price,
  ProviderSettings,
  UsageTotals,
} from './types.js';
