/**
 * Pure translation between the neutral chat shapes and the Bedrock Converse
 * wire format, one path for every model family Converse serves (Anthropic,
 * Mistral, Llama, Nova). No I/O here: `adapter.ts` sends what this builds.
 *
 * Structured output is a forced tool, as on the Anthropic adapter:
 * `responseSchema` becomes a tool of that name with `toolChoice: { tool }`, and
 * its call comes back as the choice's `text` (JSON) and `parsed`.
 */
import type {
  ContentBlock,
  ConverseRequest,
  ConverseResponse,
  Message,
  StopReason,
  Tool,
  ToolChoice,
  ToolUseBlock,
} from '@aws-sdk/client-bedrock-runtime';
import { parseJsonOrUndefined } from '../sdk-call.js';
import type { ChatChoice, ChatMessage, ChatRequest, FinishReason, JsonSchema } from '../types.js';

/**
 * Sent as `maxTokens` to Anthropic models when the request sets none, as the Anthropic adapter does.
 * Other families get their own default: a fixed value would exceed some (Llama takes at most 2048).
 */
export const DEFAULT_MAX_TOKENS = 4096;

/**
 * An Anthropic model id on Bedrock: a foundation model, an inference profile or an ARN naming one.
 *
 * @example
 * ANTHROPIC_ON_BEDROCK.test('us.anthropic.claude-sonnet-4-6-v1:0') // true
 */
export const ANTHROPIC_ON_BEDROCK = /(^|[.:/])anthropic\./;

/** The parts of a reply both the plain and the streamed reading produce. */
export interface BedrockReply {
  blocks: ReplyBlock[];
  stopReason: StopReason | string | undefined;
  inputTokens: number;
  outputTokens: number;
}

/** One content block of a reply, as the adapter keeps it. */
export type ReplyBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown; rawArguments: string };

/** A reply read back into one neutral choice (Converse has no `n`). */
export interface BedrockResult {
  choice: ChatChoice;
  inputTokens: number;
  outputTokens: number;
}

/**
 * The Converse request for a neutral chat request. Consecutive tool results go
 * into one user turn, as Converse requires. Anthropic models get `maxTokens`
 * 4096 by default and no `temperature` (as on Anthropic's API); other models
 * get `temperature` when asked. `logprobs` and `n` have no Converse equivalent.
 *
 * @example
 * toConverseRequest('mistral.mistral-large-2407-v1:0', { model: 'bedrock:mistral...', messages: [{ role: 'user', content: 'Hi' }], temperature: 0 })
 * // { modelId: 'mistral.mistral-large-2407-v1:0', messages: [{ role: 'user', content: [{ text: 'Hi' }] }], inferenceConfig: { temperature: 0 } }
 */
export function toConverseRequest(modelId: string, request: ChatRequest): ConverseRequest {
  const anthropic = ANTHROPIC_ON_BEDROCK.test(modelId);
  const messages = toConverseMessages(request.messages);
  const maxTokens = request.maxTokens ?? (anthropic ? DEFAULT_MAX_TOKENS : undefined);
  const inferenceConfig = {
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(!anthropic && request.temperature !== undefined ? { temperature: request.temperature } : {}),
  };
  const params: ConverseRequest = {
    modelId,
    messages,
    ...(Object.keys(inferenceConfig).length > 0 ? { inferenceConfig } : {}),
  };
  if (request.system !== undefined) params.system = [{ text: request.system }];
  const schema = request.responseSchema;
  // Converse has no `none` choice: the tools are left out, unless the history holds tool blocks (which need them).
  const offered =
    request.toolChoice === 'none' && schema === undefined && !hasToolBlocks(messages) ? [] : request.tools;
  const tools: Tool[] = (offered ?? []).map((tool) => toTool(tool.name, tool.parameters, tool.description));
  if (schema !== undefined) tools.push(toTool(schema.name, schema.schema, schema.description));
  if (tools.length === 0) return params;
  const toolChoice: ToolChoice | undefined =
    schema !== undefined ? { tool: { name: schema.name } } : toToolChoice(request.toolChoice);
  params.toolConfig = { tools, ...(toolChoice === undefined ? {} : { toolChoice }) };
  return params;
}

function toTool(name: string, schema: JsonSchema, description: string | undefined): Tool {
  return {
    toolSpec: {
      name,
      inputSchema: { json: { ...schema, type: 'object' } },
      ...(description === undefined ? {} : { description }),
    },
  };
}

function toToolChoice(choice: ChatRequest['toolChoice']): ToolChoice | undefined {
  if (choice === undefined || choice === 'auto' || choice === 'none') return undefined;
  if (choice === 'required') return { any: {} };
  return { tool: { name: choice.name } };
}

function hasToolBlocks(messages: Message[]): boolean {
  return messages.some((message) =>
    (message.content ?? []).some((block) => block.toolUse !== undefined || block.toolResult !== undefined),
  );
}

function toConverseMessages(messages: ChatMessage[]): Message[] {
  const wire: Message[] = [];
  for (const message of messages) {
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks = toBlocks(message);
    const last = wire.at(-1);
    if (last?.role === role) last.content = [...(last.content ?? []), ...blocks];
    else wire.push({ role, content: blocks });
  }
  return wire;
}

function toBlocks(message: ChatMessage): ContentBlock[] {
  if (message.role === 'tool') {
    return [{ toolResult: { toolUseId: message.toolCallId, content: [{ text: message.content }] } }];
  }
  const blocks: ContentBlock[] = message.content === '' ? [] : [{ text: message.content }];
  if (message.role === 'assistant') {
    for (const call of message.toolCalls ?? []) {
      blocks.push({
        toolUse: {
          toolUseId: call.id,
          name: call.name,
          input: toolInput(call.arguments, call.rawArguments) as ToolUseBlock['input'],
        },
      });
    }
  }
  return blocks;
}

/** Converse wants the input as a JSON object: the parsed arguments, else the raw JSON parsed, else `{}`. */
function toolInput(parsed: unknown, raw: string): Record<string, unknown> {
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isObject(parsed)) return parsed;
  const reparsed = parseJsonOrUndefined(raw);
  return isObject(reparsed) ? reparsed : {};
}

/**
 * The reply parts of a (non-streamed) Converse response; `undefined` when it
 * holds no message.
 *
 * @example
 * readConverseResponse(response)?.blocks // [{ type: 'text', text: 'Hello' }]
 */
export function readConverseResponse(response: Partial<ConverseResponse>): BedrockReply | undefined {
  const content = response.output?.message?.content;
  if (!Array.isArray(content)) return undefined;
  const blocks = content.flatMap((block): ReplyBlock[] => {
    if (typeof block.text === 'string') return [{ type: 'text', text: block.text }];
    const use = block.toolUse;
    if (use === undefined) return [];
    const rawArguments = JSON.stringify(use.input ?? {});
    return [
      { type: 'tool_use', id: use.toolUseId ?? '', name: use.name ?? '', input: use.input, rawArguments },
    ];
  });
  return {
    blocks,
    stopReason: response.stopReason,
    inputTokens: response.usage?.inputTokens ?? 0,
    outputTokens: response.usage?.outputTokens ?? 0,
  };
}

/**
 * The neutral choice of a reply; `undefined` when it has no content blocks and
 * was not stopped by a filter (an unusable 200). A reply stopped by a guardrail
 * or content filter carries `refusal`. `schemaTool` names the forced
 * structured-output tool, if the request had a `responseSchema`.
 *
 * @example
 * toBedrockResult(reply, undefined)?.choice.finishReason // 'stop'
 */
export function toBedrockResult(
  reply: BedrockReply,
  schemaTool: string | undefined,
): BedrockResult | undefined {
  const finish = bedrockFinishReason(reply.stopReason);
  if (reply.blocks.length === 0 && finish !== 'content_filter') return undefined;
  const text = reply.blocks.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
  const uses = reply.blocks.flatMap((block) => (block.type === 'tool_use' ? [block] : []));
  const forced = schemaTool === undefined ? undefined : uses.find((use) => use.name === schemaTool);
  const toolCalls = uses
    .filter((use) => use !== forced)
    .map(({ id, name, input, rawArguments }) => ({ id, name, arguments: input, rawArguments }));
  const finishReason =
    finish === 'tool_calls' && forced !== undefined && toolCalls.length === 0 ? 'stop' : finish;
  const forcedText =
    forced && (forced.input === undefined ? forced.rawArguments : JSON.stringify(forced.input));
  const choice: ChatChoice = { text: forcedText ?? text, toolCalls, finishReason };
  if (schemaTool !== undefined) choice.parsed = forced ? forced.input : parseJsonOrUndefined(text);
  // A guardrail or content filter that stopped the reply is a refusal: the model's text, else the reason.
  if (finish === 'content_filter')
    choice.refusal = text !== '' ? text : `stopped by Bedrock (${reply.stopReason})`;
  return { choice, inputTokens: reply.inputTokens, outputTokens: reply.outputTokens };
}

/**
 * The neutral finish reason for a Converse `stopReason`.
 *
 * @example
 * bedrockFinishReason('end_turn') // 'stop'
 */
export function bedrockFinishReason(reason: string | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content_filter';
    default:
      return 'other';
  }
}
