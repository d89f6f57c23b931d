/**
 * The adapter for Amazon Bedrock, on the official `@aws-sdk/client-bedrock-runtime`:
 * Converse and ConverseStream for chat (one path for Anthropic, Mistral, Llama
 * and Nova models), InvokeModel for embeddings (Titan, Cohere), and
 * `@aws-sdk/client-bedrock` ListFoundationModels for `listModels`. One attempt
 * per call (`maxAttempts: 1`); errors come out as `ProviderError`s (errors.ts).
 */
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { SdkAdapter } from '../adapter.js';
import type {
  AdapterChatResult,
  AdapterEmbedResult,
  Attempt,
  ListedModel,
  SdkAdapterConfig,
} from '../adapter.js';
import { startAttempt } from '../attempt-scope.js';
import { ProviderBadRequestError } from '../errors.js';
import { buildClient, missingCredentials, unreadableResponse, type CallTarget } from '../sdk-call.js';
import type { ChatRequest, EmbedRequest, ModelRef } from '../types.js';
import { embeddingBodies, embeddingFamily, readEmbeddingReply } from './embed.js';
import type { BedrockAccess } from './endpoint.js';
import { bedrockError } from './errors.js';
import { sdkNotLoaded } from '../optional-sdk.js';
import { clientConfig, loadControl, loadSdk, type BedrockSdk } from './sdk.js';
import { BedrockStreamAssembler } from './stream.js';
import { readConverseResponse, toBedrockResult, toConverseRequest, type BedrockReply } from './wire.js';

/** Everything the adapter needs, already read from settings and the environment (endpoint.ts). */
export interface BedrockAdapterConfig extends SdkAdapterConfig {
  access: BedrockAccess;
}

/**
 * A `ProviderAdapter` on the AWS SDK. Model ids pass through as Converse's
 * `modelId`: a foundation model (`anthropic.claude-sonnet-4-6-v1:0`), an
 * inference profile (`us.anthropic.claude-sonnet-4-6-v1:0`) or an ARN.
 * Converse has no `n` (the client fans out) and no logprobs.
 *
 * @example
 * const adapter = createAdapter('bedrock', { region: 'us-east-1' }, process.env)
 * await adapter.chat(parseModelRef('bedrock:us.anthropic.claude-sonnet-4-6-v1:0'), request, { timeoutMs: 60_000 })
 */
export class BedrockAdapter extends SdkAdapter<BedrockAdapterConfig, BedrockSdk, BedrockRuntimeClient> {
  readonly supportsN = false;

  async chat(ref: ModelRef, request: ChatRequest, attempt: Attempt): Promise<AdapterChatResult> {
    const { target, sdk, client } = await this.connect(ref);
    const input = toConverseRequest(ref.model, request);
    const schemaTool = request.responseSchema?.name;
    const scope = startAttempt(attempt);
    const options = { abortSignal: scope.signal };
    const started = this.now();
    let requestId: string | undefined;
    try {
      let reply: BedrockReply | undefined;
      let timeToFirstTokenMs: number | undefined;
      if (request.stream === true) {
        const output = await client.send(new sdk.runtime.ConverseStreamCommand(input), options);
        requestId = output.$metadata.requestId;
        if (output.stream === undefined)
          throw unreadableResponse(target, 'a 200 with no event stream', requestId);
        const assembler = new BedrockStreamAssembler();
        for await (const event of output.stream) {
          if (assembler.add(event)) timeToFirstTokenMs = this.now() - started;
        }
        reply = assembler.finish();
        if (!reply) throw unreadableResponse(target, 'stream ended early, without messageStop', requestId);
      } else {
        const output = await client.send(new sdk.runtime.ConverseCommand(input), options);
        requestId = output.$metadata.requestId;
        reply = readConverseResponse(output);
        if (!reply) throw unreadableResponse(target, 'a 200 with no output message', requestId);
      }
      const result = toBedrockResult(reply, schemaTool);
      if (!result) throw unreadableResponse(target, 'a 200 with no content blocks', requestId);
      return {
        model: ref.model,
        choices: [result.choice],
        inputTokens: result.inputTokens,
        outputTokens: result.outputTokens,
        requestId,
        timeToFirstTokenMs,
      };
    } catch (error) {
      throw bedrockError(error, target, scope, requestId);
    } finally {
      scope.dispose();
    }
  }

  async embed(ref: ModelRef, request: EmbedRequest, attempt: Attempt): Promise<AdapterEmbedResult> {
    const family = embeddingFamily(ref.model);
    if (family === undefined) {
      throw new ProviderBadRequestError(
        `bedrock:${ref.model} is not an embedding model the adapter speaks: use amazon.titan-embed-text-v2:0 ` +
          `or a cohere.embed-* model in \`embeddings:\` of rubric.yaml`,
        { provider: ref.provider, model: ref.model },
      );
    }
    const { target, sdk, client } = await this.connect(ref);
    const scope = startAttempt(attempt);
    try {
      const vectors: number[][] = [];
      let inputTokens = 0;
      let requestId: string | undefined;
      // Titan takes one text per call: the calls of one attempt run in parallel, under its one deadline.
      const replies = await Promise.all(
        embeddingBodies(family, request.input).map((body) =>
          this.#invoke(sdk, client, ref.model, body, scope.signal),
        ),
      );
      for (const { body, tokens, id } of replies) {
        const read = readEmbeddingReply(family, body, tokens);
        if (!read) throw unreadableResponse(target, 'a 200 that is not an embeddings reply', id);
        vectors.push(...read.vectors);
        inputTokens += read.inputTokens;
        requestId ??= id;
      }
      if (vectors.length !== request.input.length) {
        throw unreadableResponse(
          target,
          `${vectors.length} vectors for ${request.input.length} inputs`,
          requestId,
        );
      }
      return { model: ref.model, vectors, inputTokens, requestId };
    } catch (error) {
      throw bedrockError(error, target, scope);
    } finally {
      scope.dispose();
    }
  }

  async #invoke(
    sdk: BedrockSdk,
    client: BedrockRuntimeClient,
    modelId: string,
    body: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<{ body: unknown; tokens: number | undefined; id: string | undefined }> {
    const command = new sdk.runtime.InvokeModelCommand({
      modelId,
      contentType: 'application/json',
      accept: 'application/json',
      body: new TextEncoder().encode(JSON.stringify(body)),
    });
    let tokens: number | undefined;
    // Cohere reports its input tokens only in a response header, which the command output does not carry.
    command.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const headers = (result.response as { headers?: Record<string, string> }).headers ?? {};
        const count = Number(headers['x-amzn-bedrock-input-token-count']);
        if (Number.isFinite(count)) tokens = count;
        return result;
      },
      { step: 'deserialize', name: 'qualifyInputTokenCount' },
    );
    const output = await client.send(command, { abortSignal: signal });
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(output.body)) as unknown;
    } catch {
      parsed = undefined;
    }
    return { body: parsed, tokens, id: output.$metadata.requestId };
  }

  /** The foundation models of the account's region (ListFoundationModels); the list has no release dates. */
  async listModels(attempt: Attempt): Promise<ListedModel[]> {
    const target: CallTarget = { provider: 'bedrock', model: 'foundation-models' };
    const [sdk, control] = await Promise.all([
      this.loadSdk(),
      loadControl().catch((error: unknown) => {
        throw sdkNotLoaded(target, '@aws-sdk/client-bedrock', error);
      }),
    ]);
    if (this.config.missing !== undefined) throw missingCredentials(target, this.config.missing);
    const client = buildClient(
      target,
      () => new control.BedrockClient(clientConfig(sdk, this.config.access, true)),
    );
    const scope = startAttempt(attempt);
    try {
      const output = await client.send(new control.ListFoundationModelsCommand({}), {
        abortSignal: scope.signal,
      });
      if (!Array.isArray(output.modelSummaries)) {
        throw unreadableResponse(target, 'a 200 with no modelSummaries', output.$metadata.requestId);
      }
      return output.modelSummaries.flatMap((model) => (model.modelId ? [{ id: model.modelId }] : []));
    } catch (error) {
      throw bedrockError(error, target, scope);
    } finally {
      scope.dispose();
      client.destroy();
    }
  }

  /** The runtime SDK; when it is not installed, one line naming the package (`connect` rethrows it). */
  protected loadSdk(): Promise<BedrockSdk> {
    return loadSdk().catch((error: unknown) => {
      throw sdkNotLoaded({ provider: 'bedrock', model: 'models' }, '@aws-sdk/client-bedrock-runtime', error);
    });
  }

  protected createClient(sdk: BedrockSdk): BedrockRuntimeClient {
    return new sdk.runtime.BedrockRuntimeClient(clientConfig(sdk, this.config.access, false));
  }
}
