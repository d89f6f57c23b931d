import type { ChatChoice, ChatRequest, EmbedRequest, ModelRef } from './types.js';

/** What one attempt needs beyond the request. */
export interface Attempt {
  /** Per-attempt timeout in milliseconds. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/** The raw result of one chat attempt, before cost and retry accounting. */
export interface AdapterChatResult {
  model: string;
  choices: ChatChoice[];
  inputTokens: number;
  outputTokens: number;
  timeToFirstTokenMs?: number | undefined;
  requestId?: string | undefined;
}

export interface AdapterEmbedResult {
  model: string;
  vectors: number[][];
  inputTokens: number;
  requestId?: string | undefined;
}

/**
 * One provider behind the official SDK. An adapter makes exactly one attempt
 * (SDK retries off) and throws a `ProviderError` subclass on failure; limits,
 * retries, samples fan-out and the cache belong to the client around it.
 */
export interface ProviderAdapter {
  /** Whether one request can return `n` samples. When false the client fans out `n` calls. */
  readonly supportsN: boolean;
  /** Whether an API key (or equivalent) is configured, so a cache miss can be called. */
  readonly hasCredentials: boolean;
  /** The environment variable a user sets to give credentials, for messages. */
  readonly credentialsHint: string;
  chat(ref: ModelRef, request: ChatRequest, attempt: Attempt): Promise<AdapterChatResult>;
  embed(ref: ModelRef, request: EmbedRequest, attempt: Attempt): Promise<AdapterEmbedResult>;
}
