/**
 * The demo server's two wire protocols, just enough of them for the official `openai` and
 * `@anthropic-ai/sdk` clients: read a chat request into a `DemoChat`, write a `DemoReply` back as
 * an OpenAI chat completion (structured output as `json_schema` content) or an Anthropic message
 * (structured output as the forced tool's `tool_use`), whole or as server-sent events. Usage is
 * always 0 tokens: the demo costs nothing, and the scorecard says so.
 */
import type { DemoChat, DemoReply } from './answers.js';

type Body = Record<string, unknown>;
type Message = { role?: unknown; content?: unknown };

/** The text of the last user message, whatever the content shape (string or parts). */
function lastUserText(body: Body): string {
  const messages = Array.isArray(body['messages']) ? (body['messages'] as Message[]) : [];
  const user = messages.filter((m) => m.role === 'user').at(-1);
  if (typeof user?.content === 'string') return user.content;
  if (!Array.isArray(user?.content)) return '';
  return (user.content as { text?: unknown }[])
    .map((p) => (typeof p.text === 'string' ? p.text : ''))
    .join('');
}

/**
 * An OpenAI chat request as the demo reads it.
 *
 * @example
 * openAIChat({ messages: [{ role: 'user', content: 'Hi' }] }) // { user: 'Hi', schemaName: undefined, ... }
 */
export function openAIChat(body: Body): DemoChat {
  const format = body['response_format'] as { json_schema?: { name?: string; schema?: Body } } | undefined;
  return {
    user: lastUserText(body),
    schemaName: format?.json_schema?.name,
    schema: format?.json_schema?.schema,
  };
}

/**
 * An Anthropic messages request as the demo reads it: structured output is the forced tool.
 *
 * @example
 * anthropicChat({ messages: [], tool_choice: { type: 'tool', name: 'verdicts' } }).schemaName // 'verdicts'
 */
export function anthropicChat(body: Body): DemoChat {
  const choice = body['tool_choice'] as { type?: string; name?: string } | undefined;
  const forced = choice?.type === 'tool' ? choice.name : undefined;
  const tools = Array.isArray(body['tools'])
    ? (body['tools'] as { name?: string; input_schema?: Body }[])
    : [];
  const schema = tools.find((t) => t.name === forced)?.input_schema;
  return { user: lastUserText(body), schemaName: forced, schema };
}

/**
 * The chat completion for `replies` (one per `n`).
 *
 * @example
 * openAICompletion('gpt-5', [{ text: 'Hi' }], 1).choices // [{ index: 0, message: { content: 'Hi', ... }, ... }]
 */
export function openAICompletion(model: string, replies: DemoReply[], seq: number): Body {
  return {
    id: `chatcmpl-demo-${seq}`,
    object: 'chat.completion',
    created: 0,
    model,
    choices: replies.map((reply, index) => ({
      index,
      message: { role: 'assistant', content: contentOf(reply), refusal: null },
      finish_reason: 'stop',
      logprobs: null,
    })),
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}

/**
 * The chat completion as its stream chunks: role and content, then finish, per choice; then usage.
 *
 * @example
 * openAIChunks('gpt-5', [{ text: 'Hi' }], 1).length // 3
 */
export function openAIChunks(model: string, replies: DemoReply[], seq: number): Body[] {
  const chunk = (choices: Body[], usage: Body | null = null): Body => ({
    id: `chatcmpl-demo-${seq}`,
    object: 'chat.completion.chunk',
    created: 0,
    model,
    choices,
    usage,
  });
  return [
    ...replies.flatMap((reply, index) => [
      chunk([{ index, delta: { role: 'assistant', content: contentOf(reply) }, finish_reason: null }]),
      chunk([{ index, delta: {}, finish_reason: 'stop' }]),
    ]),
    chunk([], { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }),
  ];
}

/**
 * The Anthropic message for a reply to `chat`: structured output as the forced tool's `tool_use`.
 *
 * @example
 * anthropicMessage('claude-opus-4-7', { user: '', schemaName: 'verdicts' }, { json: {} }, 1).stop_reason // 'tool_use'
 */
export function anthropicMessage(model: string, chat: DemoChat, reply: DemoReply, seq: number): Body {
  const content =
    'json' in reply && chat.schemaName !== undefined
      ? [{ type: 'tool_use', id: `toolu_demo_${seq}`, name: chat.schemaName, input: reply.json }]
      : [{ type: 'text', text: contentOf(reply) }];
  return {
    id: `msg_demo_${seq}`,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: content[0]!.type === 'tool_use' ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 0, output_tokens: 0 },
  };
}

/**
 * The Anthropic message as its stream events, `message_start` to `message_stop`.
 *
 * @example
 * anthropicEvents(message).map((e) => e['type']).at(-1) // 'message_stop'
 */
export function anthropicEvents(message: Body): Body[] {
  const [block] = message['content'] as Body[];
  const delta =
    block!['type'] === 'tool_use'
      ? { type: 'input_json_delta', partial_json: JSON.stringify(block!['input']) }
      : { type: 'text_delta', text: block!['text'] };
  const start = block!['type'] === 'tool_use' ? { ...block, input: {} } : { ...block, text: '' };
  return [
    { type: 'message_start', message: { ...message, content: [], stop_reason: null } },
    { type: 'content_block_start', index: 0, content_block: start },
    { type: 'content_block_delta', index: 0, delta },
    { type: 'content_block_stop', index: 0 },
    {
      type: 'message_delta',
      delta: { stop_reason: message['stop_reason'], stop_sequence: null },
      usage: { output_tokens: 0 },
    },
    { type: 'message_stop' },
  ];
}

function contentOf(reply: DemoReply): string {
  return 'text' in reply ? reply.text : JSON.stringify(reply.json);
}
