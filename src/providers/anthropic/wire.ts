/**
 * Pure translation between the neutral chat shapes and the Anthropic Messages
 * wire format. No I/O here: `adapter.ts` sends what this builds.
 *
 * Structured output is a forced tool: `responseSchema` becomes a tool of that
 * name with `tool_choice: { type: 'tool' }`, and its call comes back as the
 * choice's `text` (JSON) and `parsed`, not as a tool call.
 */
import type {
  ContentBlockParam,
  Message,
  MessageCreateParamsBase,
  MessageParam,
  StopReason,
  Tool,
  ToolChoice,
} from '@anthropic-ai/sdk/resources/messages';
import { parseJsonOrUndefined } from '../sdk-call.js';
import type { ChatChoice, ChatMessage, ChatRequest, FinishReason, JsonSchema } from '../types.js';

/** Anthropic requires `max_tokens`; this is sent when the request sets none. */
export const DEFAULT_MAX_TOKENS = 4096;

/** A message read back into one neutral choice (Anthropic has no `n`). */
export interface AnthropicResult {
  choice: ChatChoice;
  inputTokens: number;
  outputTokens: number;
}

/** The parts of a reply both the plain and the streamed reading produce. */
export interface AnthropicReply {
  blocks: ReplyBlock[];
  stopReason: StopReason | null;
  /** `stop_details.explanation` of a refusal. */
  explanation: string | null;
  inputTokens: number;
  outputTokens: number;
}

/** One content block of a reply, as the adapter keeps it. */
export type ReplyBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown; rawArguments: string };

/**
 * The request body (without `stream`) for a neutral chat request. Consecutive
 * tool results go into one user turn, as the API requires.
 *
 * `temperature` is not sent: API version 2026-10-21 (what SDK 1.x sends) removed
 * the sampling parameters and answers 400 to any of them. `logprobs` and `n` have
 * no Anthropic equivalent either.
 *
 * @example
 * toAnthropicParams('claude-sonnet-4-6', { model: 'anthropic:claude-sonnet-4-6', messages: [{ role: 'user', content: 'Hi' }] })
 * // { model: 'claude-sonnet-4-6', max_tokens: 4096, messages: [{ role: 'user', content: 'Hi' }] }
 */
export function toAnthropicParams(model: string, request: ChatRequest): MessageCreateParamsBase {
  const params: MessageCreateParamsBase = {
    model,
    max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
    messages: toAnthropicMessages(request.messages),
  };
  if (request.system !== undefined) params.system = request.system;
  const tools: Tool[] = (request.tools ?? []).map((tool) =>
    toTool(tool.name, tool.parameters, tool.description),
  );
  const schema = request.responseSchema;
  if (schema !== undefined) tools.push(toTool(schema.name, schema.schema, schema.description));
  if (tools.length > 0) params.tools = tools;
  if (schema !== undefined) params.tool_choice = { type: 'tool', name: schema.name };
  else if (request.toolChoice !== undefined) params.tool_choice = toToolChoice(request.toolChoice);
  return params;
}

function toTool(name: string, schema: JsonSchema, description: string | undefined): Tool {
  return {
    name,
    input_schema: { ...schema, type: 'object' },
    ...(description === undefined ? {} : { description }),
  };
}

function toToolChoice(choice: NonNullable<ChatRequest['toolChoice']>): ToolChoice {
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'required') return { type: 'any' };
  if (choice === 'none') return { type: 'none' };
  return { type: 'tool', name: choice.name };
}

function toAnthropicMessages(messages: ChatMessage[]): MessageParam[] {
  const wire: { role: 'user' | 'assistant'; blocks: ContentBlockParam[] }[] = [];
  for (const message of messages) {
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks = toBlocks(message);
    const last = wire.at(-1);
    if (last?.role === role) last.blocks.push(...blocks);
    else wire.push({ role, blocks });
  }
  return wire.map(({ role, blocks }) => {
    const [only] = blocks;
    const plain = blocks.length === 1 && only?.type === 'text';
    return { role, content: plain ? only.text : blocks };
  });
}

function toBlocks(message: ChatMessage): ContentBlockParam[] {
  if (message.role === 'tool') {
    return [{ type: 'tool_result', tool_use_id: message.toolCallId, content: message.content }];
  }
  const blocks: ContentBlockParam[] = message.content === '' ? [] : [{ type: 'text', text: message.content }];
  if (message.role === 'assistant') {
    for (const call of message.toolCalls ?? []) {
      blocks.push({
        type: 'tool_use',
        id: call.id,
        name: call.name,
        input: toolInput(call.arguments, call.rawArguments),
      });
    }
  }
  return blocks;
}

/** Anthropic wants the input as an object: the parsed arguments, else the raw JSON parsed, else `{}`. */
function toolInput(parsed: unknown, raw: string): Record<string, unknown> {
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isObject(parsed)) return parsed;
  const reparsed = parseJsonOrUndefined(raw);
  return isObject(reparsed) ? reparsed : {};
}

/**
 * The reply parts of a (non-streamed) message; `undefined` when the body is not
 * a message.
 *
 * @example
 * readAnthropicMessage(message)?.blocks // [{ type: 'text', text: 'Hello' }]
 */
export function readAnthropicMessage(body: unknown): AnthropicReply | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const message = body as Partial<Message>;
  if (!Array.isArray(message.content)) return undefined;
  const blocks = message.content.flatMap((block): ReplyBlock[] => {
    if (block.type === 'text') return [{ type: 'text', text: block.text }];
    if (block.type !== 'tool_use') return [];
    const rawArguments = JSON.stringify(block.input ?? {});
    return [{ type: 'tool_use', id: block.id, name: block.name, input: block.input, rawArguments }];
  });
  return {
    blocks,
    stopReason: message.stop_reason ?? null,
    explanation: message.stop_details?.explanation ?? null,
    inputTokens: message.usage?.input_tokens ?? 0,
    outputTokens: message.usage?.output_tokens ?? 0,
  };
}

/**
 * The neutral choice of a reply; `undefined` when it has no content blocks at all
 * and is not a refusal (an unusable 200). `schemaTool` names the forced
 * structured-output tool, if the request had a `responseSchema`.
 *
 * @example
 * toAnthropicResult(reply, undefined)?.choice.finishReason // 'stop'
 */
export function toAnthropicResult(
  reply: AnthropicReply,
  schemaTool: string | undefined,
): AnthropicResult | undefined {
  if (reply.blocks.length === 0 && reply.stopReason !== 'refusal') return undefined;
  const text = reply.blocks.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
  const uses = reply.blocks.flatMap((block) => (block.type === 'tool_use' ? [block] : []));
  const forced = schemaTool === undefined ? undefined : uses.find((use) => use.name === schemaTool);
  const toolCalls = uses
    .filter((use) => use !== forced)
    .map(({ id, name, input, rawArguments }) => ({ id, name, arguments: input, rawArguments }));
  let finishReason = anthropicFinishReason(reply.stopReason);
  if (finishReason === 'tool_calls' && forced !== undefined && toolCalls.length === 0) finishReason = 'stop';
  const forcedText =
    forced && (forced.input === undefined ? forced.rawArguments : JSON.stringify(forced.input));
  const choice: ChatChoice = { text: forcedText ?? text, toolCalls, finishReason };
  if (schemaTool !== undefined) choice.parsed = forced ? forced.input : parseJsonOrUndefined(text);
  if (reply.stopReason === 'refusal') {
    choice.refusal = text !== '' ? text : (reply.explanation ?? 'the model refused to answer');
  }
  return { choice, inputTokens: reply.inputTokens, outputTokens: reply.outputTokens };
}

/**
 * The neutral finish reason for an Anthropic `stop_reason`.
 *
 * @example
 * anthropicFinishReason('end_turn') // 'stop'
 */
export function anthropicFinishReason(reason: StopReason | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'refusal';
    default:
      return 'other';
  }
}
