/**
 * A scripted reply rendered as an Anthropic message (pure). Typed against the
 * `@anthropic-ai/sdk` response types so the wire shape cannot drift.
 */
import type { ContentBlock, Message, Usage } from '@anthropic-ai/sdk/resources/messages';
import { argumentsText, finishReasonFor, outputText } from './replies.js';
import { isObject, requestText } from './request-text.js';
import { estimateTokens } from './tokens.js';
import type { ChatReply, JsonObject, RecordedRequest } from './types.js';

type StopReason = NonNullable<Message['stop_reason']>;

/**
 * The tool a request forces: `tool_choice: { type: 'tool', name }`, or
 * `{ type: 'any' }` with exactly one tool.
 *
 * @example
 * forcedTool({ tool_choice: { type: 'tool', name: 'grade' } }); // 'grade'
 */
export function forcedTool(body: JsonObject): string | undefined {
  const choice = body['tool_choice'];
  if (!isObject(choice)) return undefined;
  if (choice['type'] === 'tool' && typeof choice['name'] === 'string') return choice['name'];
  const tools = body['tools'];
  if (choice['type'] !== 'any' || !Array.isArray(tools) || tools.length !== 1) return undefined;
  const only: unknown = tools[0];
  return isObject(only) && typeof only['name'] === 'string' ? only['name'] : undefined;
}

/** Tool input from scripted arguments: a string is parsed as JSON when it can be. */
function toolInput(args: unknown): unknown {
  if (typeof args !== 'string') return args;
  try {
    return JSON.parse(args) as unknown;
  } catch {
    return args;
  }
}

function contentBlocks(reply: ChatReply, body: JsonObject, seq: number): ContentBlock[] {
  const forced = forcedTool(body);
  const jsonAsTool = reply.json !== undefined && forced !== undefined;
  const text = reply.json !== undefined && !jsonAsTool ? argumentsText(reply.json) : reply.text;
  const calls = [
    ...(reply.toolCalls ?? []).map((call) => ({ name: call.name, input: toolInput(call.arguments) })),
    ...(jsonAsTool ? [{ name: forced, input: reply.json }] : []),
  ];
  const blocks: ContentBlock[] = [];
  const empty = calls.length === 0 && reply.refusal === undefined;
  if (text !== undefined || empty) blocks.push({ type: 'text', text: text ?? '', citations: null });
  calls.forEach((call, i) => {
    blocks.push({
      type: 'tool_use',
      id: `toolu_fake_${seq}_${i}`,
      name: call.name,
      input: call.input,
      caller: { type: 'direct' },
    });
  });
  return blocks;
}

function usageOf(input: number, output: number): Usage {
  return {
    input_tokens: input,
    output_tokens: output,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: null,
    server_tool_use: null,
    service_tier: 'standard',
    inference_geo: null,
    output_tokens_details: null,
    speed: null,
  };
}

/**
 * The message for a reply to a request. Anthropic has no `n`: a reply with
 * `choices` answers with its first choice.
 *
 * @example
 * buildMessage({ refusal: 'No.' }, req, 1).stop_reason; // 'refusal'
 */
export function buildMessage(reply: ChatReply, req: RecordedRequest, seq: number): Message {
  const choice = reply.choices?.[0] ?? reply;
  const content = contentBlocks(choice, req.body, seq);
  const usage = reply.usage ??
    choice.usage ?? {
      input: estimateTokens(requestText(req.body)),
      output: estimateTokens(outputText(choice)),
    };
  const natural: StopReason =
    choice.refusal !== undefined
      ? 'refusal'
      : content.some((block) => block.type === 'tool_use')
        ? 'tool_use'
        : 'end_turn';
  // A cast: scripts may send any stop reason, to test how unknown ones are handled.
  const stopReason = (
    choice.finishReason === undefined ? natural : finishReasonFor('anthropic', choice.finishReason)
  ) as StopReason;
  return {
    id: `msg_fake_${seq}`,
    type: 'message',
    role: 'assistant',
    model: req.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    stop_details:
      choice.refusal === undefined ? null : { type: 'refusal', category: null, explanation: choice.refusal },
    usage: usageOf(usage.input, usage.output),
    container: null,
    diagnostics: null,
  };
}

/**
 * An Anthropic message with no content (the `empty-choices` fault).
 *
 * @example
 * emptyMessage(req, 1).content; // []
 */
export function emptyMessage(req: RecordedRequest, seq: number): Message {
  return { ...buildMessage({ text: '' }, req, seq), content: [] };
}
