/**
 * The adapter for OpenAI, Azure OpenAI and OpenAI-compatible servers, on the
 * official `openai` SDK. One attempt per call (SDK retries off); errors come out
 * as `ProviderError`s.
 */
import type * as OpenAIModule from 'openai';
import type OpenAI from 'openai';
import { SdkAdapter } from '../adapter.js';
import type {
  AdapterChatResult,
  AdapterEmbedResult,
  Attempt,
  ListedModel,
  SdkAdapterConfig,
} from '../adapter.js';
import { startAttempt } from '../attempt-scope.js';
import { httpFetch } from '../http-fetch.js';
import { OpenAIStreamAssembler } from './stream.js';
import {
  fromOpenAICompletion,
  readEmbeddings,
  toOpenAIParams,
  type OpenAIFlavour,
  type OpenAIResult,
} from './wire.js';
import { abortError, toProviderError, unreadableResponse } from '../sdk-call.js';
import type { ChatRequest, EmbedRequest, ModelRef } from '../types.js';

/** Everything the adapter needs, already read from settings and the environment. */
export interface OpenAIAdapterConfig extends SdkAdapterConfig {
  flavour: OpenAIFlavour;
  /** `undefined` when none is set; OpenAI-compatible servers may need none. */
  apiKey: string | undefined;
  /** OpenAI and OpenAI-compatible: the API base URL, e.g. `http://127.0.0.1:8000/v1`. */
  baseURL?: string | undefined;
  /** Azure: the resource endpoint, e.g. `https://my-resource.openai.azure.com`. */
  endpoint?: string | undefined;
  /** Azure: the `api-version` query parameter. */
  apiVersion?: string | undefined;
}

/**
 * A `ProviderAdapter` on the `openai` SDK. The client is created on the first
 * call; for Azure the model part of `azure:<deployment>` is the deployment.
 *
 * @example
 * const adapter = new OpenAIAdapter({ flavour: 'openai', apiKey: env.OPENAI_API_KEY, missing: undefined, credentialsHint: 'OPENAI_API_KEY' })
 * const result = await adapter.chat(ref, { model: 'openai:gpt-5-mini', messages }, { timeoutMs: 60_000 })
 */
export class OpenAIAdapter extends SdkAdapter<OpenAIAdapterConfig, OpenAISdk, OpenAI> {
  readonly supportsN = true;

  async chat(ref: ModelRef, request: ChatRequest, attempt: Attempt): Promise<AdapterChatResult> {
    const { target, sdk, client } = await this.connect(ref);
    const params = toOpenAIParams(ref.model, request, this.config.flavour);
    const wantsParsed = request.responseSchema !== undefined;
    const scope = startAttempt(attempt);
    const options = { timeout: attempt.timeoutMs, signal: scope.signal, maxRetries: 0 };
    const started = this.now();
    try {
      if (request.stream === true) {
        const streamed = { ...params, stream: true, stream_options: { include_usage: true } } as const;
        const { data: stream, request_id } = await client.chat.completions
          .create(streamed, options)
          .withResponse();
        const requestId = request_id ?? undefined;
        const assembler = new OpenAIStreamAssembler();
        let timeToFirstTokenMs: number | undefined;
        for await (const chunk of stream) {
          if (assembler.add(chunk)) timeToFirstTokenMs = this.now() - started;
        }
        const aborted = abortError(scope, target);
        if (aborted) throw aborted;
        if (assembler.empty) throw unreadableResponse(target, 'a stream with no choices', requestId);
        const result = assembler.finish({ wantsParsed });
        if (!result) throw unreadableResponse(target, 'stream ended early, without finish_reason', requestId);
        return toChatResult(ref, result, requestId, timeToFirstTokenMs);
      }
      const { data, request_id } = await client.chat.completions
        .create({ ...params, stream: false }, options)
        .withResponse();
      const requestId = request_id ?? undefined;
      const result = fromOpenAICompletion(data, { wantsParsed });
      if (!result) throw unreadableResponse(target, 'a 200 with no choices', requestId);
      return toChatResult(ref, result, requestId, undefined);
    } catch (error) {
      throw toProviderError(error, target, scope, sdk.default);
    } finally {
      scope.dispose();
    }
  }

  async embed(ref: ModelRef, request: EmbedRequest, attempt: Attempt): Promise<AdapterEmbedResult> {
    const { target, sdk, client } = await this.connect(ref);
    if (request.input.length === 0) return { model: ref.model, vectors: [], inputTokens: 0 };
    const scope = startAttempt(attempt);
    try {
      const { data, request_id } = await client.embeddings
        .create(
          { model: ref.model, input: request.input, encoding_format: 'float' },
          { timeout: attempt.timeoutMs, signal: scope.signal, maxRetries: 0 },
        )
        .withResponse();
      const requestId = request_id ?? undefined;
      const vectors = readEmbeddings(data, request.input.length);
      if (!vectors) {
        throw unreadableResponse(target, `not one embedding per input (${request.input.length})`, requestId);
      }
      return { model: ref.model, vectors, inputTokens: data.usage?.prompt_tokens ?? 0, requestId };
    } catch (error) {
      throw toProviderError(error, target, scope, sdk.default);
    } finally {
      scope.dispose();
    }
  }

  /**
   * `GET /models` (one page on OpenAI): every id, with `created` (unix seconds) as an ISO date-time
   * (none for `created: 0`).
   *
   * @example
   * await adapter.listModels({ timeoutMs: 30_000 }) // [{ id: 'gpt-5.2', createdAt: '2026-12-01T00:00:00.000Z' }]
   */
  async listModels(attempt: Attempt): Promise<ListedModel[]> {
    const ref: ModelRef = {
      id: `${this.config.flavour}:models`,
      provider: this.config.flavour,
      model: 'models',
    };
    const { target, sdk, client } = await this.connect(ref);
    const scope = startAttempt(attempt);
    try {
      const listed: ListedModel[] = [];
      const options = { timeout: attempt.timeoutMs, signal: scope.signal, maxRetries: 0 };
      for await (const model of client.models.list(options)) {
        // Some OpenAI-compatible servers send `created: 0`: no date, not 1970.
        const created =
          typeof model.created === 'number' && model.created > 0 ? new Date(model.created * 1000) : undefined;
        listed.push({
          id: model.id,
          createdAt: created && !Number.isNaN(created.getTime()) ? created.toISOString() : undefined,
        });
      }
      return listed;
    } catch (error) {
      throw toProviderError(error, target, scope, sdk.default);
    } finally {
      scope.dispose();
    }
  }

  protected loadSdk(): Promise<OpenAISdk> {
    return loadSdk();
  }

  protected createClient(sdk: OpenAISdk): OpenAI {
    return createClient(sdk, this.config);
  }
}

type OpenAISdk = typeof OpenAIModule;
let loading: Promise<OpenAISdk> | undefined;

/**
 * The SDK, imported on the first OpenAI call, as the Anthropic SDK is: Vitest's
 * main process loads the plugin to read its config and never calls a model, and
 * importing the SDK costs it about 0.13 s (bench/FINDINGS.md).
 */
function loadSdk(): Promise<OpenAISdk> {
  loading ??= import('openai');
  return loading;
}

/**
 * The SDK client, configured only from `config`: every option the SDK would read
 * from `process.env` is given explicitly, so the injected environment is the only one.
 */
function createClient(sdk: OpenAISdk, config: OpenAIAdapterConfig): OpenAI {
  const { default: OpenAI, AzureOpenAI } = sdk;
  const common = {
    maxRetries: 0,
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    // Failures reach the caller as ProviderErrors; the SDK's own console logging would duplicate them.
    logLevel: 'off',
    // node:http instead of undici's fetch: a quarter of the CPU per call (http-fetch.ts).
    fetch: httpFetch,
  } as const;
  if (config.flavour === 'azure') {
    return new AzureOpenAI({
      ...common,
      apiKey: config.apiKey,
      endpoint: config.endpoint,
      apiVersion: config.apiVersion,
      // null, not undefined: undefined would make the SDK read OPENAI_BASE_URL from process.env.
      baseURL: null,
    });
  }
  if (config.apiKey === undefined) {
    // A keyless local server: the SDK insists on a key, so give a placeholder and drop the header.
    return new OpenAI({
      ...common,
      apiKey: 'no-key',
      baseURL: config.baseURL,
      defaultHeaders: { Authorization: null },
    });
  }
  return new OpenAI({ ...common, apiKey: config.apiKey, baseURL: config.baseURL });
}

function toChatResult(
  ref: ModelRef,
  result: OpenAIResult,
  requestId: string | undefined,
  timeToFirstTokenMs: number | undefined,
): AdapterChatResult {
  return { model: ref.model, ...result, requestId, timeToFirstTokenMs };
}
