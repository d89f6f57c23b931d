/**
 * A scripted reply rendered as Bedrock answers it (pure): a Converse response,
 * an InvokeModel embeddings body (Titan or Cohere), a ListFoundationModels
 * list. Typed against `@aws-sdk/client-bedrock-runtime` so the shape cannot drift.
 */
import type { ContentBlock, ConverseResponse } from '@aws-sdk/client-bedrock-runtime';
import { argumentsText, finishReasonFor, outputText } from './replies.js';
import { isObject, requestText } from './request-text.js';
import { estimateTokens } from './tokens.js';
import type { ChatReply, JsonObject, RecordedRequest } from './types.js';

/** A Converse response as it goes on the wire (the SDK's type minus `$metadata`). */
export type ConverseBody = Omit<ConverseResponse, '$metadata'>;

/**
 * The tool a Converse request forces: `toolConfig.toolChoice.tool.name`, or
 * `{ any: {} }` with exactly one tool.
 *
 * @example
 * converseForcedTool({ toolConfig: { toolChoice: { tool: { name: 'grade' } } } }); // 'grade'
 */
export function converseForcedTool(body: JsonObject): string | undefined {
  const config = body['toolConfig'];
  if (!isObject(config)) return undefined;
  const choice = config['toolChoice'];
  if (!isObject(choice)) return undefined;
  const tool = choice['tool'];
  if (isObject(tool) && typeof tool['name'] === 'string') return tool['name'];
  const tools = config['tools'];
  if (choice['any'] === undefined || !Array.isArray(tools) || tools.length !== 1) return undefined;
  const spec: unknown = isObject(tools[0]) ? tools[0]['toolSpec'] : undefined;
  return isObject(spec) && typeof spec['name'] === 'string' ? spec['name'] : undefined;
}

function toolInput(args: unknown): unknown {
  if (typeof args !== 'string') return args;
  try {
    return JSON.parse(args) as unknown;
  } catch {
    return args;
  }
}

/**
 * The Converse response for a reply. Converse has no `n`: a reply with
 * `choices` answers with its first. A `refusal` is a `content_filtered` stop
 * with the refusal as text (Bedrock has no refusal field).
 *
 * @example
 * buildConverse({ text: 'hi' }, req, 1).stopReason; // 'end_turn'
 */
export function buildConverse(reply: ChatReply, req: RecordedRequest, seq: number): ConverseBody {
  const choice = reply.choices?.[0] ?? reply;
  const forced = converseForcedTool(req.body);
  const jsonAsTool = choice.json !== undefined && forced !== undefined;
  const text =
    choice.json !== undefined && !jsonAsTool ? argumentsText(choice.json) : (choice.text ?? choice.refusal);
  const calls = [
    ...(choice.toolCalls ?? []).map((call) => ({ name: call.name, input: toolInput(call.arguments) })),
    ...(jsonAsTool ? [{ name: forced, input: choice.json }] : []),
  ];
  const content: ContentBlock[] = [];
  if (text !== undefined || calls.length === 0) content.push({ text: text ?? '' });
  calls.forEach((call, i) => {
    content.push({
      toolUse: { toolUseId: `tooluse_fake_${seq}_${i}`, name: call.name, input: call.input as never },
    });
  });
  const usage = reply.usage ??
    choice.usage ?? {
      input: estimateTokens(requestText(req.body)),
      output: estimateTokens(outputText(choice)),
    };
  const natural =
    choice.refusal !== undefined ? 'content_filtered' : calls.length > 0 ? 'tool_use' : 'end_turn';
  const stopReason =
    choice.finishReason === undefined ? natural : finishReasonFor('bedrock', choice.finishReason);
  return {
    output: { message: { role: 'assistant', content } },
    // A cast: scripts may send any stop reason, to test how unknown ones are handled.
    stopReason: stopReason as ConverseBody['stopReason'],
    usage: { inputTokens: usage.input, outputTokens: usage.output, totalTokens: usage.input + usage.output },
    metrics: { latencyMs: 1 },
  };
}

/**
 * A Converse response with no content (the `empty-choices` fault).
 *
 * @example
 * emptyConverse(req, 1).output?.message?.content; // []
 */
export function emptyConverse(req: RecordedRequest, seq: number): ConverseBody {
  return {
    ...buildConverse({ text: '' }, req, seq),
    output: { message: { role: 'assistant', content: [] } },
  };
}

/** Whether an InvokeModel request is for a Cohere model (else Titan). */
export function isCohere(req: RecordedRequest): boolean {
  return /(^|[./])cohere\./.test(req.model);
}

/**
 * The InvokeModel body for embedding vectors: Titan `{ embedding, inputTextTokenCount }` (one
 * input), Cohere `{ embeddings, texts, response_type }`. `tokens` goes in the
 * `x-amzn-bedrock-input-token-count` header.
 *
 * @example
 * bedrockEmbeddingsBody(req, [[1, 0]], 3); // { embedding: [1, 0], inputTextTokenCount: 3 }
 */
export function bedrockEmbeddingsBody(
  req: RecordedRequest,
  vectors: number[][],
  tokens: number,
): Record<string, unknown> {
  if (isCohere(req)) {
    return {
      id: `emb_fake_${req.id}`,
      embeddings: vectors,
      texts: req.body['texts'],
      response_type: 'embeddings_floats',
    };
  }
  return { embedding: vectors[0] ?? [], inputTextTokenCount: tokens };
}

/**
 * The ListFoundationModels body for model ids.
 *
 * @example
 * foundationModelsBody(['amazon.titan-embed-text-v2:0']).modelSummaries[0].providerName; // 'amazon'
 */
export function foundationModelsBody(models: readonly string[]): {
  modelSummaries: Record<string, unknown>[];
} {
  return {
    modelSummaries: models.map((modelId) => ({
      modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${modelId}`,
      modelId,
      modelName: modelId,
      providerName: modelId.split('.')[0] ?? '',
      inputModalities: ['TEXT'],
      outputModalities: [modelId.includes('embed') ? 'EMBEDDING' : 'TEXT'],
      responseStreamingSupported: !modelId.includes('embed'),
      inferenceTypesSupported: ['ON_DEMAND'],
      modelLifecycle: { status: 'ACTIVE' },
    })),
  };
}
