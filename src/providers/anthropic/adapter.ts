/**
 * The adapter for Anthropic, on the official `@anthropic-ai/sdk`. One attempt
 * per call (SDK retries off); errors come out as `ProviderError`s.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { SdkAdapter } from '../adapter.js';
import type {
  AdapterChatResult,
  AdapterEmbedResult,
  Attempt,
  ListedModel,
  SdkAdapterConfig,
} from '../adapter.js';
import { startAttempt } from '../attempt-scope.js';
import { toProviderError } from '../sdk-call.js';
import { anthropicChat } from './chat.js';
import { ProviderBadRequestError } from '../errors.js';
import { httpFetch } from '../http-fetch.js';
import type { ChatRequest, EmbedRequest, ModelRef } from '../types.js';

/** Everything the adapter needs, already read from settings and the environment. */
export interface AnthropicAdapterConfig extends SdkAdapterConfig {
  apiKey: string | undefined;
  /** e.g. `https://api.anthropic.com`. */
  baseURL: string;
}

/**
 * A `ProviderAdapter` on the Anthropic SDK. The client is created on the first call.
 * Anthropic has no `n` (the client fans out) and no embeddings API.
 *
 * @example
 * const adapter = new AnthropicAdapter({ apiKey, baseURL: 'https://api.anthropic.com', missing: undefined, credentialsHint: 'ANTHROPIC_API_KEY' })
 * const result = await adapter.chat(ref, { model: 'anthropic:claude-sonnet-4-6', messages }, { timeoutMs: 60_000 })
 */
export class AnthropicAdapter extends SdkAdapter<AnthropicAdapterConfig, typeof Anthropic, Anthropic> {
  readonly supportsN = false;

  async chat(ref: ModelRef, request: ChatRequest, attempt: Attempt): Promise<AdapterChatResult> {
    const { target, sdk, client } = await this.connect(ref);
    return anthropicChat({ client, sdk, target, ref, request, attempt, now: this.now });
  }

  embed(ref: ModelRef, _request: EmbedRequest, _attempt: Attempt): Promise<AdapterEmbedResult> {
    return Promise.reject(
      new ProviderBadRequestError(
        'anthropic has no embeddings API: set `embeddings:` in rubric.yaml to an openai or openai-compatible model',
        { provider: ref.provider, model: ref.model },
      ),
    );
  }

  /**
   * `GET /v1/models`, every page (`has_more`, `after_id` = `last_id`): each id with its `created_at`.
   *
   * @example
   * await adapter.listModels({ timeoutMs: 30_000 }) // [{ id: 'claude-opus-4-7', createdAt: '2026-11-20T00:00:00Z' }]
   */
  async listModels(attempt: Attempt): Promise<ListedModel[]> {
    const ref: ModelRef = { id: 'anthropic:models', provider: 'anthropic', model: 'models' };
    const { target, sdk, client } = await this.connect(ref);
    const scope = startAttempt(attempt);
    try {
      const listed: ListedModel[] = [];
      const options = { timeout: attempt.timeoutMs, signal: scope.signal, maxRetries: 0 };
      for await (const model of client.models.list({ limit: 100 }, options)) {
        listed.push({ id: model.id, createdAt: isoOrUndefined(model.created_at) });
      }
      return listed;
    } catch (error) {
      throw toProviderError(error, target, scope, sdk);
    } finally {
      scope.dispose();
    }
  }

  protected loadSdk(): Promise<typeof Anthropic> {
    return loadSdk();
  }

  protected createClient(sdk: typeof Anthropic): Anthropic {
    return createClient(sdk, this.config);
  }
}

let loading: Promise<typeof Anthropic> | undefined;

/**
 * The SDK, imported on the first Anthropic call: importing it costs about 0.4 s
 * of CPU, which a run with no Anthropic model (and every Vitest worker that
 * starts) should not pay (bench/RESULTS.md).
 */
function loadSdk(): Promise<typeof Anthropic> {
  loading ??= import('@anthropic-ai/sdk').then((module) => module.default);
  return loading;
}

/** The SDK client, configured only from `config`, never from `process.env`. */
function createClient(Sdk: typeof Anthropic, config: AnthropicAdapterConfig): Anthropic {
  return new Sdk({
    // Both credentials given (authToken null), so the SDK reads neither ANTHROPIC_API_KEY nor ANTHROPIC_AUTH_TOKEN.
    apiKey: config.apiKey ?? null,
    authToken: null,
    baseURL: config.baseURL,
    maxRetries: 0,
    webhookKey: null,
    // Failures reach the caller as ProviderErrors; the SDK's own console logging would duplicate them.
    logLevel: 'off',
    // node:http instead of undici's fetch: a quarter of the CPU per call (http-fetch.ts).
    fetch: httpFetch,
  });
}

function isoOrUndefined(text: unknown): string | undefined {
  return typeof text === 'string' && !Number.isNaN(Date.parse(text)) ? text : undefined;
}
