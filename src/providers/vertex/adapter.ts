/**
 * The adapter for Vertex AI: Gemini through `@google/genai` (`vertexai: true`),
 * and Claude on Vertex (`vertex:claude-*`) through `@anthropic-ai/vertex-sdk`.
 * Both SDKs are imported on the first call; both authenticate with Google's
 * application default credentials, the credentials file read from the injected
 * environment (`GOOGLE_APPLICATION_CREDENTIALS`), never from `process.env`.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type * as AnthropicModule from '@anthropic-ai/sdk';
import type * as ClaudeModule from '@anthropic-ai/vertex-sdk';
import type { AnthropicVertex } from '@anthropic-ai/vertex-sdk';
import type * as GenaiModule from '@google/genai';
import type { GoogleGenAI } from '@google/genai';
import type * as AuthModule from 'google-auth-library';
import type {
  AdapterChatResult,
  AdapterEmbedResult,
  Attempt,
  ListedModel,
  ProviderAdapter,
} from '../adapter.js';
import { anthropicChat } from '../anthropic/chat.js';
import { startAttempt } from '../attempt-scope.js';
import { sdkNotLoaded } from '../optional-sdk.js';
import {
  abortError,
  buildClient,
  missingCredentials,
  unreadableResponse,
  type CallTarget,
} from '../sdk-call.js';
import type { ChatRequest, EmbedRequest, ModelRef } from '../types.js';
import { claudeAuthError, toVertexError } from './errors.js';
import { GeminiStreamAssembler } from './gemini-stream.js';
import { toGeminiRequest, toGeminiResult, type GeminiReply } from './gemini-wire.js';
import { ThoughtSignatures } from './signatures.js';

/** Everything the adapter needs, already read from settings and the environment. */
export interface VertexAdapterConfig {
  project: string | undefined;
  /** `global`, or a region such as `us-east5` (Claude on Vertex is served in regions). */
  location: string;
  /** The API root without the version, e.g. `https://aiplatform.googleapis.com`. */
  baseURL: string;
  /** A credentials file (service account key, or workload identity federation config); ADC when absent. */
  credentialsFile: string | undefined;
  missing: string | undefined;
  credentialsHint: string;
  now?: (() => number) | undefined;
}

type Genai = typeof GenaiModule;
type ClaudeSdk = typeof ClaudeModule;
type AnthropicSdk = typeof AnthropicModule;
type AuthLibrary = typeof AuthModule;

const SCOPES = ['https://www.googleapis.com/auth/cloud-platform'];

/** Embedding models Vertex serves one input per `:predict` request. */
const ONE_INPUT_PER_REQUEST = new Set(['gemini-embedding-001']);

/**
 * Whether a Vertex model is Claude (served by Anthropic's publisher endpoint).
 *
 * @example
 * isClaude('claude-sonnet-4-5@20250929') // true
 */
export function isClaude(model: string): boolean {
  return model.startsWith('claude-');
}

/**
 * A `ProviderAdapter` on Vertex AI. One attempt per call: genai retries only with
 * `httpOptions.retryOptions` (never set), AnthropicVertex has `maxRetries: 0`.
 * Gemini takes `n` (`candidateCount`); Claude does not, so the client fans out.
 *
 * @example
 * const adapter = new VertexAdapter({ project: 'my-project', location: 'global', baseURL: 'https://aiplatform.googleapis.com',
 *   credentialsFile: undefined, missing: undefined, credentialsHint: 'GOOGLE_APPLICATION_CREDENTIALS' })
 * await adapter.chat(ref, { model: 'vertex:gemini-2.5-flash', messages }, { timeoutMs: 60_000 })
 */
export class VertexAdapter implements ProviderAdapter {
  readonly supportsN = true;
  readonly hasCredentials: boolean;
  readonly credentialsHint: string;
  readonly #config: VertexAdapterConfig;
  readonly #now: () => number;
  #gemini: GoogleGenAI | undefined;
  #claude: AnthropicVertex | undefined;
  readonly #signatures = new ThoughtSignatures();

  constructor(config: VertexAdapterConfig) {
    this.#config = config;
    this.hasCredentials = config.missing === undefined;
    this.credentialsHint = config.credentialsHint;
    this.#now = config.now ?? (() => performance.now());
  }

  supportsNFor(ref: ModelRef): boolean {
    return !isClaude(ref.model);
  }

  /** The SDK of the model about to be called: a run on Gemini alone never imports the Claude SDK (about 0.2 s). */
  async ready(ref?: ModelRef): Promise<void> {
    const load =
      ref === undefined
        ? Promise.all([loadGenai(), loadClaude()])
        : isClaude(ref.model)
          ? loadClaude()
          : loadGenai();
    await load.catch(() => undefined);
  }

  async chat(ref: ModelRef, request: ChatRequest, attempt: Attempt): Promise<AdapterChatResult> {
    const target: CallTarget = { provider: ref.provider, model: ref.model };
    if (isClaude(ref.model)) {
      const { client, anthropic } = await this.#claudeClient(target);
      return anthropicChat({ client, sdk: anthropic, target, ref, request, attempt, now: this.#now }).catch(
        (error: unknown) => {
          throw claudeAuthError(error, target) ?? error;
        },
      );
    }
    const { genai, client } = await this.#geminiClient(target);
    const signatures = this.#signatures;
    const { model, contents, config } = toGeminiRequest(ref.model, request, (call) => signatures.of(call));
    const structured = request.responseSchema !== undefined;
    const scope = startAttempt(attempt);
    const started = this.#now();
    try {
      let reply: GeminiReply | undefined;
      let requestId: string | undefined;
      let timeToFirstTokenMs: number | undefined;
      const params = { model, contents, config: { ...config, abortSignal: scope.signal } };
      if (request.stream === true) {
        const stream = await client.models.generateContentStream(params);
        const assembler = new GeminiStreamAssembler();
        for await (const chunk of stream) {
          requestId ??= chunk.responseId;
          if (assembler.add(chunk)) timeToFirstTokenMs = this.#now() - started;
        }
        const aborted = abortError(scope, target);
        if (aborted) throw aborted;
        reply = assembler.finish();
        if (!reply) throw unreadableResponse(target, 'stream ended early, without a finishReason', requestId);
      } else {
        const response = await client.models.generateContent(params);
        requestId = response.responseId;
        reply = response;
      }
      const result = toGeminiResult(reply, structured, (call, signature) =>
        signatures.remember(call, signature),
      );
      if (!result) throw unreadableResponse(target, 'a 200 with no candidates', requestId);
      return { model: ref.model, ...result, requestId, timeToFirstTokenMs };
    } catch (error) {
      throw toVertexError(error, target, scope, genai);
    } finally {
      scope.dispose();
    }
  }

  async embed(ref: ModelRef, request: EmbedRequest, attempt: Attempt): Promise<AdapterEmbedResult> {
    const target: CallTarget = { provider: ref.provider, model: ref.model };
    const { genai, client } = await this.#geminiClient(target);
    const scope = startAttempt(attempt);
    try {
      // gemini-embedding-001 takes one text per request; the text-embedding models up to 250.
      const batches = ONE_INPUT_PER_REQUEST.has(ref.model)
        ? request.input.map((text) => [text])
        : [request.input];
      const responses = await Promise.all(
        batches.map((contents) =>
          client.models.embedContent({ model: ref.model, contents, config: { abortSignal: scope.signal } }),
        ),
      );
      const embeddings = responses.flatMap((response) => response.embeddings ?? []);
      const vectors = embeddings.map((embedding) => embedding.values ?? []);
      if (vectors.length !== request.input.length || vectors.some((vector) => vector.length === 0)) {
        throw unreadableResponse(target, `${vectors.length} vectors for ${request.input.length} inputs`);
      }
      const inputTokens = embeddings.reduce((sum, e) => sum + (e.statistics?.tokenCount ?? 0), 0);
      return { model: ref.model, vectors, inputTokens };
    } catch (error) {
      throw toVertexError(error, target, scope, genai);
    } finally {
      scope.dispose();
    }
  }

  /** Google's publisher models (`GET /v1/publishers/google/models`); Claude is not listed there. */
  async listModels(attempt: Attempt): Promise<ListedModel[]> {
    const target: CallTarget = { provider: 'vertex', model: 'models.list' };
    const { genai, client } = await this.#geminiClient(target);
    const scope = startAttempt(attempt);
    try {
      const pager = await client.models.list({ config: { abortSignal: scope.signal } });
      const models: ListedModel[] = [];
      for await (const model of pager) {
        const id = model.name?.split('/').at(-1);
        if (id !== undefined && id !== '') models.push({ id });
      }
      return models;
    } catch (error) {
      throw toVertexError(error, target, scope, genai);
    } finally {
      scope.dispose();
    }
  }

  async #geminiClient(target: CallTarget): Promise<{ genai: Genai; client: GoogleGenAI }> {
    const genai = await loadGenai().catch((error: unknown) => {
      throw sdkNotLoaded(target, '@google/genai', error);
    });
    const config = this.#config;
    if (config.missing !== undefined) throw missingCredentials(target, config.missing);
    this.#gemini ??= buildClient(
      target,
      () =>
        new genai.GoogleGenAI({
          vertexai: true,
          // Always given: genai would read GOOGLE_CLOUD_PROJECT / GOOGLE_CLOUD_LOCATION from process.env.
          project: config.project!,
          location: config.location,
          // The GA API (the SDK's default is v1beta1).
          apiVersion: 'v1',
          httpOptions: { baseUrl: config.baseURL },
          googleAuthOptions: {
            scopes: SCOPES,
            ...(config.credentialsFile === undefined ? {} : { keyFilename: config.credentialsFile }),
          },
        }),
    );
    return { genai, client: this.#gemini };
  }

  async #claudeClient(
    target: CallTarget,
  ): Promise<{ anthropic: AnthropicSdk['default']; client: AnthropicVertex }> {
    const { sdk, anthropic, auth } = await loadClaude().catch((error: unknown) => {
      throw sdkNotLoaded(target, '@anthropic-ai/vertex-sdk', error);
    });
    const config = this.#config;
    if (config.missing !== undefined) throw missingCredentials(target, config.missing);
    this.#claude ??= buildClient(
      target,
      () =>
        new sdk.AnthropicVertex({
          projectId: config.project!,
          region: config.location,
          baseURL: `${config.baseURL.replace(/\/+$/, '')}/v1`,
          googleAuth: new auth.GoogleAuth({
            scopes: SCOPES,
            ...(config.credentialsFile === undefined ? {} : { keyFilename: config.credentialsFile }),
          }),
          maxRetries: 0,
          // Failures reach the caller as ProviderErrors; the SDK's own console logging would duplicate them.
          logLevel: 'off',
        }),
    );
    return { anthropic, client: this.#claude };
  }
}

let genaiLoading: Promise<Genai> | undefined;
let claudeLoading:
  Promise<{ sdk: ClaudeSdk; anthropic: AnthropicSdk['default']; auth: AuthLibrary }> | undefined;

/** `@google/genai`, imported on the first Gemini call (CONTRIBUTING.md: no SDK on the start-up path). */
function loadGenai(): Promise<Genai> {
  genaiLoading ??= import('@google/genai').catch((error: unknown) => {
    genaiLoading = undefined;
    throw error;
  });
  return genaiLoading;
}

/**
 * `google-auth-library` as `@anthropic-ai/vertex-sdk` resolves it (its own dependency, not ours): the
 * `GoogleAuth` the client is given is then the class the SDK expects, with any package manager's layout.
 */
async function importAuthLibrary(): Promise<AuthLibrary> {
  const vertexSdk = import.meta.resolve('@anthropic-ai/vertex-sdk');
  const path = createRequire(vertexSdk).resolve('google-auth-library');
  return (await import(pathToFileURL(path).href)) as AuthLibrary;
}

/** `@anthropic-ai/vertex-sdk`, its `@anthropic-ai/sdk` error classes and `google-auth-library`, on the first Claude call. */
function loadClaude(): Promise<{ sdk: ClaudeSdk; anthropic: AnthropicSdk['default']; auth: AuthLibrary }> {
  claudeLoading ??= Promise.all([
    import('@anthropic-ai/vertex-sdk'),
    import('@anthropic-ai/sdk'),
    importAuthLibrary(),
  ])
    .then(([sdk, anthropic, auth]) => ({ sdk, anthropic: anthropic.default, auth }))
    .catch((error: unknown) => {
      claudeLoading = undefined;
      throw error;
    });
  return claudeLoading;
}
