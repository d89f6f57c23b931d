import { buildClient, missingCredentials, type CallTarget } from './sdk-call.js';
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
  /** Of `outputTokens`, the reasoning tokens, where the provider reports them. */
  reasoningTokens?: number | undefined;
  timeToFirstTokenMs?: number | undefined;
  requestId?: string | undefined;
}

/** One model a provider lists (its models endpoint), for `qualify watch`. */
export interface ListedModel {
  /** The id as a `provider:model` string takes it, e.g. `claude-opus-4-7`. */
  id: string;
  /** When the provider released it (ISO 8601), where the list says. */
  createdAt?: string | undefined;
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
  /** Per model, where a provider serves models that differ (Vertex: Gemini takes `n`, Claude does not); `supportsN` when absent. */
  supportsNFor?(ref: ModelRef): boolean;
  /** Whether an API key (or equivalent) is configured, so a cache miss can be called. */
  readonly hasCredentials: boolean;
  /** The environment variable a user sets to give credentials, for messages. */
  readonly credentialsHint: string;
  chat(ref: ModelRef, request: ChatRequest, attempt: Attempt): Promise<AdapterChatResult>;
  embed(ref: ModelRef, request: EmbedRequest, attempt: Attempt): Promise<AdapterEmbedResult>;
  /**
   * Load what a first call needs (the SDK) before the call takes a limiter slot: a slot is a start on
   * the wire, and a first call that spent its slot importing the SDK would reach the provider late,
   * closer to the next one than the limiter allows. Never rejects; a failure shows on the call.
   * `ref` is the model about to be called (Vertex loads the SDK of that model's publisher only).
   */
  ready?(ref?: ModelRef): Promise<void>;
  /** The models this account can call, through the SDK's list endpoint; one attempt, like `chat`. */
  listModels?(attempt: Attempt): Promise<ListedModel[]>;
}

/** What every SDK-backed adapter is configured with, beside its provider's own settings. */
export interface SdkAdapterConfig {
  /** What to set before a call can be made (`set OPENAI_API_KEY ...`); `undefined` when ready. */
  missing: string | undefined;
  /** The variable named in messages about credentials. */
  credentialsHint: string;
  /** Clock for `timeToFirstTokenMs`, in milliseconds. */
  now?: (() => number) | undefined;
}

/**
 * The skeleton the OpenAI and Anthropic adapters share: credentials known up
 * front, the SDK imported on the first call (`loadSdk`), and one SDK client
 * built on the first call from the adapter's config (`createClient`).
 *
 * @example
 * class MyAdapter extends SdkAdapter<MyConfig, MySdk, MyClient> { ... }
 * const { target, sdk, client } = await this.connect(ref)
 */
export abstract class SdkAdapter<Config extends SdkAdapterConfig, Sdk, Client> implements ProviderAdapter {
  abstract readonly supportsN: boolean;
  readonly hasCredentials: boolean;
  readonly credentialsHint: string;
  protected readonly config: Config;
  protected readonly now: () => number;
  #client: Client | undefined;

  constructor(config: Config) {
    this.config = config;
    this.hasCredentials = config.missing === undefined;
    this.credentialsHint = config.credentialsHint;
    this.now = config.now ?? (() => performance.now());
  }

  abstract chat(ref: ModelRef, request: ChatRequest, attempt: Attempt): Promise<AdapterChatResult>;
  abstract embed(ref: ModelRef, request: EmbedRequest, attempt: Attempt): Promise<AdapterEmbedResult>;

  async ready(): Promise<void> {
    await this.loadSdk().catch(() => undefined);
  }

  /** The SDK (imported once, on the first call of any adapter of this provider). */
  protected abstract loadSdk(): Promise<Sdk>;

  /** The SDK client, configured only from `this.config`, never from `process.env`. */
  protected abstract createClient(sdk: Sdk): Client;

  /**
   * Who is called, the SDK and this adapter's client (built on the first call);
   * throws a `ProviderAuthError` when credentials are missing, and a
   * `ProviderBadRequestError` when the SDK refuses the client's settings.
   */
  protected async connect(ref: ModelRef): Promise<{ target: CallTarget; sdk: Sdk; client: Client }> {
    const target: CallTarget = { provider: ref.provider, model: ref.model };
    const sdk = await this.loadSdk();
    if (this.config.missing !== undefined) throw missingCredentials(target, this.config.missing);
    this.#client ??= buildClient(target, () => this.createClient(sdk));
    return { target, sdk, client: this.#client };
  }
}
